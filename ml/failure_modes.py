"""The failure-mode breakdown: per mode (a 0/1 flag such as TWF, or each unusual value of a label column such as
'Failure Type'), how often it occurs among failures and how many of them the model catches."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.failure import as_flag

MAX_MODES = 20  # values of a failure-mode label column shown one by one
RESTATED = 0.95  # a flag set on this share of the failures or more, beside other modes, is the outcome restated
COLUMNS = ["mode", "rows", "failures", "share_of_failures", "caught_at_threshold", "mean_p_failure"]


def mode_breakdown(modes: pd.DataFrame, y: np.ndarray, scores: np.ndarray, threshold: float) -> pd.DataFrame:
    """Per failure mode: how often it occurs among failures and how many of them the model catches. Caught counts
    the mode's failures only (flag and target set): a flag also set on rows that did not fail (RNF on a reading
    without a failure) would otherwise read as missed failures."""
    rows, flags = [], set()
    failures = max(int(y.sum()), 1)
    for name in modes.columns:
        if as_flag(modes[name]) is not None:
            flags.add(str(name))
        for mode, hit in _mode_rows(modes[name]):
            failed = hit & (y == 1)
            rows.append({"mode": mode, "rows": int(hit.sum()), "failures": int(failed.sum()),
                         "share_of_failures": float(failed.sum() / failures),
                         "caught_at_threshold": float((scores[failed] >= threshold).mean()) if failed.any()
                         else float("nan"),
                         "mean_p_failure": float(scores[hit].mean()) if hit.any() else float("nan")})
    return pd.DataFrame(_without_restated(rows, flags), columns=COLUMNS)


def _without_restated(rows: list[dict], flags: set[str]) -> list[dict]:
    """Leaves out a 0/1 flag set on (nearly) every failure when the other modes cover most of them too: it is the
    outcome written again, not a kind of failure (Kaggle's predictive-maintenance file trained on 'Failure Type'
    listed its 'Target' column as a mode holding 100 % of the failures beside the four real ones). A flag alone,
    or one mode that truly dominates, stays."""
    def others(row: dict) -> float:
        return sum(r["share_of_failures"] for r in rows if r is not row)
    return [row for row in rows if not (row["mode"] in flags and row["share_of_failures"] >= RESTATED
                                        and others(row) >= 0.5)]


def _mode_rows(column: pd.Series) -> list[tuple[str, np.ndarray]]:
    """A 0/1 flag (TWF) is one mode; a label column ("Failure Type") has one mode per value but its usual one."""
    coded = as_flag(column)
    if coded is not None:
        return [(str(column.name), (coded == 1).to_numpy())]
    counts = column.value_counts(dropna=False)  # the usual value may be empty ("no failure" left blank)
    if len(counts) > MAX_MODES:
        return []
    return [(f"{column.name} = {value}", (column == value).to_numpy()) for value in counts.index[1:]
            if not pd.isna(value)]
