"""The finance desk's errors about a training or scoring table: each names the column, the values and what to do."""
from __future__ import annotations

from services.errors import UserFacingError


class CreditDataError(UserFacingError):
    """The training table cannot be used as it is."""


class TargetError(CreditDataError):
    pass


class TooFewRowsError(CreditDataError):
    pass


class DuplicateIdError(CreditDataError):
    pass


class MissingColumnsError(UserFacingError):
    """A file lacks columns the model needs."""
