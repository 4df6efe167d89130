"""The working column names of the forecasters, the words for their periods, and the error a table that cannot be
forecast raises."""
from __future__ import annotations

ID, DS, Y, IMPUTED = "unique_id", "ds", "y", "imputed"
MAX_EXAMPLES = 5
UNITS = {"D": "days", "W": "weeks", "M": "months", "Q": "quarters"}


class ForecastInputError(ValueError):
    """The table cannot be forecast as it is; the message says what to change."""
