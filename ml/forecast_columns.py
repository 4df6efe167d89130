"""The working column names of the forecasters and the error a table that cannot be forecast raises."""
from __future__ import annotations

ID, DS, Y, IMPUTED = "unique_id", "ds", "y", "imputed"
MAX_EXAMPLES = 5


class ForecastInputError(ValueError):
    """The table cannot be forecast as it is; the message says what to change."""
