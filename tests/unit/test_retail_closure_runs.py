"""A run of days no series has a row for is a closure when the run is unlikely by chance, though each day alone is not.

An Online Retail-like file by four countries, three of them with rows on half the days or fewer, shut from 23
December to 3 January each year: each day alone had a 1.7 % chance, so the shut was read as sales of 0 and
LightGBM forecast the next one at 11–132 a day (now 0) and 4–6 January at 127–192 (now 377–437).
"""
import numpy as np
import pandas as pd

from ml.forecast_gaps import missing_periods

DAYS = pd.date_range("2021-01-04", "2022-12-31", freq="D")
SHUT = ((DAYS.month == 12) & (DAYS.day >= 23)) | ((DAYS.month == 1) & (DAYS.day <= 3))


def _grid(row_shares: tuple[float, ...], shut: np.ndarray, seed: int = 2) -> tuple[np.ndarray, pd.Series, np.ndarray]:
    """Every series on every day; ``filled`` where the series has no row (by chance at its share, or shut)."""
    rng = np.random.default_rng(seed)
    ids, ds, filled = [], [], []
    for k, share in enumerate(row_shares):
        ids.append(np.full(len(DAYS), f"s{k}"))
        ds.append(DAYS)
        filled.append((rng.random(len(DAYS)) > share) | shut)
    return np.concatenate(ids), pd.Series(np.concatenate(ds)), np.concatenate(filled)


def test_a_shut_over_christmas_in_sparse_series_is_a_closure():
    ids, ds, filled = _grid((0.97, 0.55, 0.5, 0.45), SHUT)
    closed = missing_periods(ids, ds, filled, "D")
    closed_days = set(pd.DatetimeIndex(ds[closed]).unique())
    assert closed_days == set(DAYS[SHUT])


def test_chance_runs_of_empty_days_in_slow_sellers_stay_sales_of_zero():
    ids, ds, filled = _grid((0.3, 0.3, 0.3), np.zeros(len(DAYS), dtype=bool))
    day_empty = pd.Series(filled).groupby(ds.to_numpy()).all()
    assert day_empty.sum() > 200  # a third of the days have no row in any series, in runs of several days
    assert not missing_periods(ids, ds, filled, "D").any()
