"""A series that sells every day it has a row, with no row on the 20th to the end of each month (Kaggle's
bike-sharing train.csv), had those days set to 0 sales with only a count in the note; the days after the 19th were
then forecast at about 0. The note now says how they fall and to use --fill missing."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_prep import PrepOptions, prepare


def _counts(days: pd.DatetimeIndex) -> pd.DataFrame:
    rng = np.random.default_rng(6)
    return pd.DataFrame({"date": days, "city": "DC", "count": rng.poisson(1500, len(days)).astype(float)})


def test_rows_missing_time_and_again_in_a_steady_series_point_to_fill_missing():
    days = pd.date_range("2011-01-01", "2011-12-19", freq="D")
    notes = prepare(_counts(days[days.day <= 19]),
                    PrepOptions(date="date", target="count", series=("city",), horizon=14)).notes
    said = [n for n in notes if "missing periods" in n]
    assert said == ["125 missing periods across 1 series were set to 0 sales. In 1 series they come in runs of 7 "
                    "periods or more, time and again, while the series sold on nearly every row it has (city=DC: 125 "
                    "periods in 11 runs): if those periods are missing from the export (a file of the 1st to the "
                    "19th of each month), use --fill missing."]


def test_a_few_scattered_gaps_get_the_count_only():
    days = pd.date_range("2011-01-01", "2011-12-19", freq="D")
    rng = np.random.default_rng(7)
    notes = prepare(_counts(days[rng.random(len(days)) > 0.05]),
                    PrepOptions(date="date", target="count", series=("city",), horizon=14)).notes
    said = [n for n in notes if "missing periods" in n]
    assert len(said) == 1 and said[0].endswith("series were set to 0 sales.")


def test_a_slow_seller_with_rows_only_on_its_sale_days_gets_the_count_only():
    """Transaction lines summed per day: a category selling on one day in seven has a row only on those days, so it
    'sells on every row it has', and goes a week or more without a row about four times a quarter by chance. It had
    been told to use --fill missing, which would read its days without a sale as unknown."""
    days = pd.date_range("2022-03-31", "2022-06-15", freq="D")
    rng = np.random.default_rng(3)
    steady = pd.DataFrame({"date": days, "Category": "Set", "Qty": rng.poisson(50, len(days)).astype(float)})
    sold = days[rng.random(len(days)) < 0.14]
    slow = pd.DataFrame({"date": sold, "Category": "Saree", "Qty": 1.0})
    prepared = prepare(pd.concat([steady, slow], ignore_index=True),
                       PrepOptions(date="date", target="Qty", series=("Category",), horizon=14))
    said = [n for n in prepared.notes if "missing periods" in n]
    assert len(said) == 1 and said[0].endswith("series were set to 0 sales."), said
