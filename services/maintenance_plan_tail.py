"""The lower tail of an RUL run's band, measured on its held-out validation cuts, for the plan's chances of
failure below the band's 10 % point (``domain.maintenance.failure_probability``); and the plan's units as numbers
in its XLSX."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.rul import ResidualIntervals

TAIL_FRACTIONS = (0.25, 0.5, 0.75, 0.9)  # of rul_low: where the chance of failing is read off the cuts


def band_tail(validation: pd.DataFrame, intervals: dict | None) -> tuple[tuple[float, float], ...]:
    """(fraction of rul_low, chance of failing by then) pairs: the share of held-out cuts whose true RUL was at most
    that fraction of their band's low end. Counted as (k + 1) / (n + 1), so that none of 200 cuts still leaves a
    chance, but not above the even spread from RUL 0 (10 % x fraction, the rule without cuts) unless the plain
    share k / n is: 1 of 70 battery cuts below a quarter of the low end read 2.9 % against the even 2.5 %. Runs
    without stored cuts or intervals: no tail (the even spread)."""
    if intervals is None or validation.empty or not {"actual", "rul"} <= set(validation.columns):
        return ()
    predicted = pd.to_numeric(validation["rul"], errors="coerce").to_numpy(float)
    actual = pd.to_numeric(validation["actual"], errors="coerce").to_numpy(float)
    low = np.minimum(ResidualIntervals.from_json(intervals).apply(predicted)[0], predicted)
    kept = np.isfinite(actual) & (low > 0)
    if not kept.any():
        return ()
    ratio, n = actual[kept] / low[kept], int(kept.sum())
    below = [int(np.sum(ratio <= f)) for f in TAIL_FRACTIONS]
    return tuple((f, max(k / n, min((k + 1) / (n + 1), 0.1 * f))) for f, k in zip(TAIL_FRACTIONS, below))


def numbered_units(frame: pd.DataFrame) -> pd.DataFrame:
    """Units that are plain whole numbers (NASA's engines 1 … 100) as numbers in the XLSX: stored as text ('34'),
    Excel sorted them 1, 10, 100, 11. Codes with a leading zero ('0042') or letters stay text."""
    units = frame["unit"].astype(str) if "unit" in frame.columns else None
    if units is None or units.empty or not units.str.fullmatch(r"-?(?:0|[1-9]\d{0,14})").all():
        return frame
    return frame.assign(unit=units.astype("int64"))
