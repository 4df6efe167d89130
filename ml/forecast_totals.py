"""Total rows of a report-style export: a key cell reading 'Total' (or 'All', 'Subtotal', 'Grand total') on rows
that hold the sum of the other rows of the same date.

An ERP or POS extract pivoted by store and SKU carries such rows per week. Read as a series of their own, they
were forecast, held half the volume the champion was picked on, and put an order for the whole chain in the
purchase plan ('Total, SKU-x: order 79,371'). Rows are left out only where they are the sum of the others
(within rounding), so a store that is really named 'All' stays a store.
"""
from __future__ import annotations

import re

import pandas as pd

TOTAL_LABEL = re.compile(r"^\s*(grand\s*|sub\s*-?\s*)?totals?\s*$|^\s*all\s*$|^\s*\(all\)\s*$", re.IGNORECASE)
MATCH_SHARE = 0.9  # of the total rows whose parts are in the table: their quantity is the parts' sum
TOLERANCE = 0.005  # relative, for rounding in the export


def without_totals(data: pd.DataFrame, series: tuple[str, ...], date: str, target: str,
                   notes: list[str]) -> pd.DataFrame:
    """``data`` less its total rows, with a note naming them; unchanged where none are sums of the others."""
    labelled = pd.DataFrame({k: data[k].astype("string").str.fullmatch(TOTAL_LABEL).fillna(False) for k in series})
    total = labelled.any(axis=1)
    if not total.any() or total.all():
        return data
    quantity = pd.to_numeric(data[target], errors="coerce")
    matched = checked = 0
    parts = data[~total].assign(_q=quantity[~total])
    by_date = parts.groupby(date)["_q"].sum(min_count=1)  # a grand total whose other key is no label of a part
    for pattern, rows in labelled[total].groupby(list(series), sort=False):
        group = [date, *(k for k, is_total in zip(series, pattern) if not is_total)]
        mine = data.loc[rows.index].assign(_q=quantity[rows.index])
        expected = parts.groupby(group, dropna=False)["_q"].sum(min_count=1).reindex(mine.set_index(group).index)
        expected = pd.Series(expected.to_numpy(), index=rows.index).fillna(mine[date].map(by_date))
        mine = mine["_q"]
        known = expected.notna() & mine.notna()
        checked += int(known.sum())
        matched += int(((mine - expected).abs() <= TOLERANCE * expected.abs() + 0.01)[known].sum())
    if checked == 0 or matched < MATCH_SHARE * checked:
        return data
    labels = sorted({str(v) for k in series for v in data.loc[total & labelled[k], k].unique()})
    notes.append(f"{int(total.sum())} rows are totals of other rows (a key reading {', '.join(map(repr, labels))}; "
                 f"their quantity is the sum of the rows of the same date on {100 * matched / checked:.0f} % of them): "
                 "they were left out, so they are neither forecast as a series of their own nor counted twice.")
    return data[~total]
