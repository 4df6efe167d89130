"""Repeated runs of missing rows in a steady seller: rows missing from the export (a file of the 1st to the 19th of
each month), named in the note on missing periods with the advice to use --fill missing."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ml.forecast_gaps import SELLS_MOST

REPEATED_RUN = {"D": 7, "W": 3, "M": 2, "Q": 2}  # no rows this long, time and again, in a steady seller
REPEATED_SHARE = 0.1  # ... on at least this share of its periods: rows missing from the export, not days without sales
REPEATED_CHANCE = 0.001  # ... that many runs unlikely by chance at the series' own share of periods without a row


def repeated_gaps_hint(ids: np.ndarray, y: np.ndarray, zero: np.ndarray, freq: str) -> str:
    """'. In 1 series …: use --fill missing', ending the note on missing periods: series that sold on nearly every
    row they have, with no row for runs of a week or more, at least two, on a tenth of their periods. Kaggle's
    bike-sharing train.csv holds the 1st to the 19th of each month: set to 0, the rest taught LightGBM a collapse
    every month, and the days after 19 December were forecast at about 0. Not where that many runs are likely by
    chance: a slow seller in a file of transaction lines has rows only on the days it sold, so it "sells on every row
    it has", and at a sale on one day in seven it goes a week without one about four times a quarter (an
    Amazon-sale-report-like file was told to use --fill missing for such categories, which would read their days
    without a sale as unknown)."""
    zero = np.asarray(zero, dtype=bool)
    ids = np.asarray(ids)
    cut = np.r_[True, (zero[1:] != zero[:-1]) | (ids[1:] != ids[:-1])]
    runs = pd.DataFrame({"id": ids, "run": np.cumsum(cut), "zero": zero})
    length = runs.groupby("run")["zero"].transform("size").to_numpy()
    long = zero & (length >= REPEATED_RUN[freq])
    sold = pd.Series(np.where(zero, np.nan, np.asarray(y, dtype=float) > 0)).groupby(ids).mean()
    per = pd.DataFrame({"long": long, "start": long & cut}).groupby(ids).agg(
        long=("long", "sum"), runs=("start", "sum"), size=("long", "size"))
    per["gaps"] = pd.Series(zero).groupby(ids).mean()
    chance = [_chance(int(r.runs), float(r.gaps), int(r.size), REPEATED_RUN[freq]) for r in per.itertuples()]
    hit = per[(per["runs"] >= 2) & (per["long"] >= REPEATED_SHARE * per["size"]) & (sold[per.index] >= SELLS_MOST)
              & (np.asarray(chance) < REPEATED_CHANCE)]
    if hit.empty:
        return ""
    shown = ", ".join(f"{sid}: {int(r.long)} periods in {int(r.runs)} runs" for sid, r in hit.head(5).iterrows())
    return (f". In {len(hit)} series they come in runs of {REPEATED_RUN[freq]} periods or more, time and again, while "
            f"the series sold on nearly every row it has ({shown}{' …' if len(hit) > 5 else ''}): if those periods "
            "are missing from the export (a file of the 1st to the 19th of each month), use --fill missing")


def _chance(runs: int, rate: float, size: int, length: int) -> float:
    """The chance of at least ``runs`` runs of ``length`` periods without a row, each period missing at ``rate``
    alone: Poisson with the expected count of such runs' starts, size × (1 − rate) × rate^length."""
    expected = size * (1 - rate) * rate ** length
    return float(1 - sum(math.exp(-expected) * expected ** k / math.factorial(k) for k in range(runs)))
