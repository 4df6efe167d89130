"""Errors the app shows to users as they are (pages catch these; anything else is a bug to surface)."""
from __future__ import annotations


class UserFacingError(ValueError):
    """A problem the user can fix; the message says how."""


class NotFoundError(UserFacingError):
    pass


class JobCancelled(RuntimeError):
    """Raised inside a job when the user cancelled it."""
