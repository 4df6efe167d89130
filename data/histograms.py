"""Column histograms for the profile: equal-width bins, one bin per value on small integer ranges, dates binned
on their physical value and labelled in ISO text.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from data.facts import Facts

HIST_BINS = 20
_RANGED = ("numeric", "datetime")


def iso_text(value: dt.date) -> str:
    """A date or datetime as ISO text (a space between date and time)."""
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()


def histograms(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> dict[str, dict]:
    """Equal-width bins via polars' hist; small integer ranges get one bin per value."""
    ranged = [c for c in frame.columns if schema[c] in _RANGED and facts.lo.get(c) is not None]
    bins: dict[str, int] = {}
    out: dict[str, dict] = {}
    dtypes = frame.schema  # built anew on each access: once, not once per column (1,900-column files)
    for c in ranged:
        lo, hi, dtype = facts.lo[c], facts.hi[c], dtypes[c]
        if lo == hi:  # one distinct value: a single bin holding every non-null row
            out[c] = {"edges": [_edge_value(dtype, lo)] * 2, "counts": [frame.height - facts.nulls[c]]}
        elif dtype.is_integer() and hi - lo < HIST_BINS:
            bins[c] = hi - lo + 1
        else:
            bins[c] = max(1, min(HIST_BINS, facts.distinct[c]))
    if bins:
        row = frame.select(
            pl.col(c).to_physical().hist(bin_count=k).implode().alias(c) for c, k in bins.items()
        ).row(0)
        for (c, k), counts in zip(bins.items(), row, strict=True):
            edges = _edges(dtypes[c], facts.lo[c], facts.hi[c], k)
            out[c] = {"edges": edges, "counts": [int(x) for x in counts]}
    return out


def _edges(dtype: pl.DataType, lo: Any, hi: Any, k: int) -> list:
    if dtype.is_integer() and hi - lo + 1 == k:
        return [lo - 0.5 + i for i in range(k + 1)]
    if dtype.is_numeric():
        width = (hi - lo) / k
        return [float(f"{lo + i * width:.12g}") for i in range(k)] + [hi]
    phys_lo, phys_hi = _physical(lo), _physical(hi)
    width = (phys_hi - phys_lo) / k
    return [_from_physical(dtype, phys_lo + i * width) for i in range(k)] + [_edge_value(dtype, hi)]


def _edge_value(dtype: pl.DataType, value: Any) -> Any:
    return iso_text(value) if dtype.is_temporal() else value


_EPOCH = dt.datetime(1970, 1, 1)


def _physical(value: dt.date) -> float:
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - _EPOCH) / dt.timedelta(microseconds=1)
    return float((value - _EPOCH.date()).days)


def _from_physical(dtype: pl.DataType, value: float) -> str:
    if dtype == pl.Date:
        return (_EPOCH.date() + dt.timedelta(days=round(value))).isoformat()
    return (_EPOCH + dt.timedelta(microseconds=round(value))).isoformat(sep=" ")
