"""Per-column facts of a typed table (nulls, distinct counts, ranges, top values), computed once in a few
parallel polars passes and shared by typing (data/kinds.py), roles and the profile (data/profile.py)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl


@dataclass
class Facts:
    """Per-column counts computed once and shared by typing, roles and the profile."""

    nulls: dict[str, int]
    distinct: dict[str, int] = field(default_factory=dict)
    lo: dict[str, Any] = field(default_factory=dict)
    hi: dict[str, Any] = field(default_factory=dict)
    tops: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    increasing: dict[str, bool] = field(default_factory=dict)  # number columns: each value above the last

    def constant(self, column: str) -> bool:
        return self.distinct[column] == 1 and self.nulls[column] == 0


RANGED = ("numeric", "datetime")  # kinds with a min and a max
_MANY_VALUES = 10_000  # above this many distinct values, top values come from _frequent_values
_FREQUENT_SAMPLE = 50_000
COUNTED = ("categorical", "boolean", "text", "identifier")  # kinds with top values


def gather_facts(frame: pl.DataFrame, schema: dict[str, str], known: Facts | None = None) -> Facts:
    """Fill in whatever `known` lacks, in two parallel passes (counts and ranges, then top values)."""
    facts = known or Facts(nulls=dict(zip(frame.columns, frame.null_count().row(0), strict=True)))
    count_and_range(frame, schema, facts)
    top_values(frame, schema, facts)
    return facts


def count_and_range(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> None:
    exprs: list[pl.Expr] = []
    dtypes = frame.schema  # built anew on each access: once, not once per column
    for i, c in enumerate(frame.columns):
        if c not in facts.distinct:
            exprs.append(_n_unique(pl.col(c), dtypes[c]).alias(f"u{i}"))
        if schema[c] in RANGED and c not in facts.lo:
            exprs += [pl.col(c).min().alias(f"lo{i}"), pl.col(c).max().alias(f"hi{i}")]
        if schema[c] == "numeric" and c not in facts.increasing:
            exprs.append((pl.col(c).diff().min() > 0).alias(f"inc{i}"))
        if schema[c] == "boolean" and c not in facts.tops:
            exprs.append(pl.col(c).sum().alias(f"t{i}"))
    if not exprs:
        return
    out = frame.select(exprs).row(0, named=True)
    for i, c in enumerate(frame.columns):
        if f"u{i}" in out:
            facts.distinct[c] = int(out[f"u{i}"]) - (facts.nulls[c] > 0)
        if f"lo{i}" in out:
            facts.lo[c], facts.hi[c] = out[f"lo{i}"], out[f"hi{i}"]
        if f"inc{i}" in out:
            facts.increasing[c] = bool(out[f"inc{i}"])
        if f"t{i}" in out:
            yes, no = int(out[f"t{i}"] or 0), frame.height - facts.nulls[c] - int(out[f"t{i}"] or 0)
            facts.tops[c] = sorted([(v, k) for v, k in (("true", yes), ("false", no)) if k], key=lambda x: -x[1])


def _n_unique(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Counting distinct 64-bit hashes is ~5x faster than distinct strings; a collision among
    even 10 million distinct values has odds of about 1 in 370,000."""
    return expr.hash().n_unique() if dtype == pl.String else expr.n_unique()


def top_values(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> None:
    wanted = [c for c in frame.columns if schema[c] in COUNTED and c not in facts.tops]
    # All-distinct columns: every count is 1, so skip the group-by and show the first values.
    unique = [c for c in wanted if facts.distinct[c] == frame.height - facts.nulls[c]]
    for c in unique:
        values = frame.get_column(c).head(5 + facts.nulls[c]).drop_nulls().head(5)
        facts.tops[c] = [(str(v), 1) for v in values.to_list()]
    many = [c for c in wanted if c not in unique and facts.distinct[c] > _MANY_VALUES]
    for c in many:
        facts.tops[c] = _frequent_values(frame.get_column(c))
    counted = [c for c in wanted if c not in unique and c not in many]
    if counted:
        row = frame.select(
            pl.col(c).drop_nulls().cast(pl.String).value_counts(sort=True, name="n").head(5).implode().alias(c)
            for c in counted
        ).row(0)
        for c, items in zip(counted, row, strict=True):
            facts.tops[c] = [(str(item[c]), int(item["n"])) for item in items]


def _frequent_values(s: pl.Series) -> list[tuple[str, int]]:
    """Top values of a column with very many distinct values without grouping all of them.

    Candidates come from an evenly spread sample; their counts are then exact over the whole
    column. A value frequent enough to matter is all but certain to show up in the sample.
    """
    sample = s.gather_every(max(1, len(s) // _FREQUENT_SAMPLE)).drop_nulls()
    candidates = sample.value_counts(sort=True, name="n").head(4 * 5).get_column(s.name)
    hits = s.filter(s.is_in(candidates.implode()))
    counts = pl.DataFrame(hits).select(pl.col(s.name).value_counts(sort=True, name="n")).unnest(s.name)
    return [(str(v), int(k)) for v, k in counts.head(5).iter_rows()]
