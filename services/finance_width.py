"""How wide a loan table the desk trains on: beyond a limit, refused before any work, in words.

Every input column costs preparation, a boosted model's histograms, the logistic design, stored distributions
and explanations, so training time grows with the width. Up to the limit it stays within minutes on one core:
at 5,000 columns of 300 loans, about 3-4 minutes of CPU (estimated from one fold of each model).
"""
from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from services.finance_errors import CreditDataError

MAX_INPUT_COLUMNS = 5_000


class TooManyColumnsError(CreditDataError):
    """More candidate input columns than the desk trains on."""


def check_width(frame: pd.DataFrame, target: str, *, id_column: str | None = None,
                exclude: Iterable[str] = ()) -> None:
    """Raises when the columns other than the outcome, the id and those left out exceed ``MAX_INPUT_COLUMNS``."""
    inputs = len(set(frame.columns) - {target, id_column, *exclude})
    if inputs > MAX_INPUT_COLUMNS:
        raise TooManyColumnsError(
            f"The file has {inputs:,} columns besides the outcome{' and the id' if id_column else ''}; a credit model "
            f"here takes at most {MAX_INPUT_COLUMNS:,} (beyond that, training would take too long). Keep the columns "
            "you mean the model to use, in a copy of the file, and train on that.")
