"""Two passes after the column kinds are known (data/kinds.py): infinite and NaN floats become empty cells,
with a warning naming the rows, and integer ids become text identifiers.
"""

from __future__ import annotations

import polars as pl

from data.facts import Facts
from data.profile import is_id_name, rows_text


def null_non_finite(frame: pl.DataFrame, ctx) -> pl.DataFrame:
    """inf, -inf and NaN in float columns become empty cells; ctx is data/kinds.py's context (rows, add, facts)."""
    floats = [c for c, d in frame.schema.items() if d.is_float()]
    if not floats or frame.is_empty():
        return frame
    counts = frame.select(
        *[pl.col(c).is_infinite().sum().alias(f"i{i}") for i, c in enumerate(floats)],
        *[pl.col(c).is_nan().sum().alias(f"n{i}") for i, c in enumerate(floats)],
    ).row(0)
    bad = []
    for i, c in enumerate(floats):
        for count, test, what in ((counts[i], "is_infinite", "infinite values (inf/-inf)"),
                                  (counts[len(floats) + i], "is_nan", "'NaN' values")):  # fmt: skip
            if count:
                rows, total = ctx.rows(getattr(frame.get_column(c), test)().arg_true())
                ctx.add(rows[0], c, f"Column '{c}' has {what} in rows {rows_text(rows, total)}; they were "
                        "replaced with empty cells.", "warning")  # fmt: skip
                ctx.facts.nulls[c] += total
                bad.append(c)
    if bad:
        frame = frame.with_columns(pl.when(pl.col(c).is_finite()).then(pl.col(c)).alias(c) for c in set(bad))
    return frame


def mark_integer_ids(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> pl.DataFrame:
    """Integer ids named like ids, and 1..n row numbers, are identifiers rather than quantities.

    They become text: an id is a label, and as text it survives a blank cell (pandas would turn the
    whole column into floats, printing 4000123412341234567 as 4.0001234123412347e+18).
    """
    n = frame.height
    ids, dtypes = [], frame.schema  # a polars schema is built anew on each access: once, not per column
    for c in frame.columns:
        non_null = n - facts.nulls[c]
        if schema[c] != "numeric" or not dtypes[c].is_integer() or facts.distinct[c] < 0.95 * non_null:
            continue
        lo, hi = facts.lo[c], facts.hi[c]
        row_number = facts.nulls[c] == 0 and facts.distinct[c] == n >= 20 and lo in (0, 1) and hi - lo + 1 == n
        if row_number or is_id_name(c):
            schema[c] = "identifier"
            ids.append(c)
    return frame.with_columns(pl.col(ids).cast(pl.String)) if ids else frame
