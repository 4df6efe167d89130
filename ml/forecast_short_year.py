"""The seasonal index's time-of-year pattern from one to two years of history.

The classical index measures each month against the series' centred one-year moving average, which exists only a
half-year in from each end: with less than two years it leaves months unmeasured (index 1), so the seasonal index
was not offered there, and LightGBM was left with a year-ago lag filled on few training rows. On 23 months of
store-item history (1 January 2016 to 3 December 2017) that lag was filled on two December days: LightGBM forecast
December 13 % under November where every year falls 26 % (hold-out bias +18.5 %).

Here the trend is read from the periods seen in both years instead (the pooled growth from a month, or ISO week, to
the same one a year later), taken out of every value, and each part of the year is measured against its series'
mean over the parts: a growing business does not read as a low first month and a high last one.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

ID, DS = "unique_id", "ds"
GROWTH_LIMITS = (0.5, 2.0)  # yearly growth read from the overlap: outside, a launch or a closure, not a trend
DAYS_PER_YEAR = 365.25


def short_year_ratio(frame: pd.DataFrame, part: pd.Series, freq: str) -> pd.Series:
    """Part of the year -> Σ detrended mean / Σ series mean over all series (volume-weighted), not normalised.
    ``part``: each row's month, ISO week or quarter; ``frame["adjusted"]``: the weekday-adjusted values."""
    dates, values = frame[DS], frame["adjusted"]
    year = dates.dt.isocalendar().year.astype(int) if freq == "W" else dates.dt.year
    usable = values.notna()
    growth = yearly_growth(frame[ID][usable], year[usable], part[usable], values[usable])
    elapsed = (dates - dates.min()).dt.days.to_numpy(float) / DAYS_PER_YEAR
    table = pd.DataFrame({"id": frame[ID][usable].to_numpy(), "part": part[usable].to_numpy(int),
                          "value": (values / growth ** elapsed)[usable].to_numpy(float)})
    means = table.groupby(["id", "part"], sort=False)["value"].mean()
    level = means.groupby(level=0, sort=False).transform("mean")  # each series over the parts it was seen in
    return means.groupby(level=1).sum() / level.groupby(level=1).sum()


def yearly_growth(ids: pd.Series, year: pd.Series, part: pd.Series, values: pd.Series) -> float:
    """Σ mean value of a series in a part of one year / Σ the same a year earlier, over every series and part seen
    in both (1 where none is)."""
    table = pd.DataFrame({"id": ids.to_numpy(), "year": year.to_numpy(int), "part": part.to_numpy(int),
                          "now": values.to_numpy(float)})
    means = table.groupby(["id", "year", "part"], sort=False)["now"].mean().reset_index()
    earlier = means.assign(year=means["year"] + 1).rename(columns={"now": "then"})
    pairs = means.merge(earlier, on=["id", "year", "part"])
    then = float(pairs["then"].sum())
    growth = float(pairs["now"].sum()) / then if then > 0 else 1.0
    return float(np.clip(growth, *GROWTH_LIMITS)) if np.isfinite(growth) else 1.0
