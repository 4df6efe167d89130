"""What a table holds: default roles and profiles, from per-column facts (data/facts.py; column kinds:
data/kinds.py; histograms: data/histograms.py).

Everything runs as vectorised polars expressions over whole columns (one `select` per step so
polars can spread the columns over its threads); Python only loops over columns and over small
samples, never over rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

import polars as pl

from data.facts import COUNTED, RANGED, Facts, count_and_range, gather_facts
from data.histograms import histograms, iso_text

Severity = Literal["error", "warning", "info"]
KINDS = ("numeric", "categorical", "datetime", "boolean", "identifier", "text", "empty")
ROLES = ("target", "id", "time", "series", "exogenous", "ignore", "feature")
MAX_LISTED_ROWS = 20

_ID_TOKENS = {"id", "key", "code", "uuid", "guid", "identifier"}
_TARGET_NAMES = (
    "target", "label", "class", "outcome", "default", "y", "churn", "failure",
    "machine failure", "sales", "demand", "quantity",
)  # fmt: skip
_SERIES_TOKENS = {
    "store", "item", "sku", "product", "series", "region", "location", "site", "unit", "machine",
    "family", "category", "subcategory", "department", "dept", "article",  # what a shop sells, grouped
    "branch", "shop", "outlet",
    # the same in German, French, Spanish, Italian and Dutch exports (Filiale, Artikel: a German sales export had
    # no series key offered)
    "filiale", "artikel", "laden", "markt", "produkt", "warengruppe", "magasin", "produit", "tienda", "sucursal",
    "producto", "articulo", "negozio", "prodotto", "articolo", "winkel", "artikelnummer",
}  # fmt: skip
_TARGET_KINDS = {"numeric", "boolean", "categorical"}
PERIOD_NAME = re.compile(r"quarter|qtr|period|w(ee)?k(?!\s*_?day)", re.IGNORECASE)  # not a weekday's name


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an upload, phrased so an analyst knows what to fix."""

    row: int | None  # 1-based data row (header excluded); None for file/column-level problems
    column: str | None
    problem: str
    severity: Severity

    def __str__(self) -> str:
        return self.problem


@dataclass(frozen=True)
class ColumnProfile:
    """Summary of one column for the data preview; cheap to store as JSON.

    `distinct` counts non-null values (text columns count 64-bit hashes: exact short of a hash
    collision). `top_values` of columns with over 10,000 distinct values are the most frequent
    among candidates drawn from an evenly spread sample; their counts are exact. Histograms have
    up to 20 equal-width bins (`edges` has one more entry than `counts`); integer columns
    spanning fewer than 20 values get one bin per value, centred on it; datetime edges are ISO
    strings.
    """

    name: str
    kind: str
    missing_pct: float
    distinct: int
    min: str | None
    max: str | None
    top_values: list[tuple[str, int]]
    histogram: dict | None


def name_tokens(name: str) -> list[str]:
    """Split 'CustomerID', 'store_id' and 'Machine failure' into lower-case words."""
    return [t.lower() for t in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)]


def is_id_name(name: str) -> bool:
    return bool(_ID_TOKENS.intersection(name_tokens(name)))


def rows_where(mask: pl.Series, row_numbers: pl.Series | None = None) -> tuple[list[int], int]:
    """First listed 1-based row numbers where the mask holds, and how many rows in all."""
    hits = mask.fill_null(False).arg_true()
    return listed_rows(hits, row_numbers), len(hits)


def listed_rows(indices: pl.Series, row_numbers: pl.Series | None = None) -> list[int]:
    """0-based positions to the row numbers the user sees (blank lines dropped still count)."""
    first = indices.head(MAX_LISTED_ROWS)
    if row_numbers is not None:
        return [int(r) for r in row_numbers.gather(first).to_list()]
    return [i + 1 for i in first.to_list()]


def rows_text(rows: list[int], total: int) -> str:
    text = ", ".join(str(r) for r in rows)
    return f"{text} and {total - len(rows)} more" if total > len(rows) else text


# --- roles ----------------------------------------------------------------------------------------


def infer_roles(frame: pl.DataFrame, schema: dict[str, str]) -> dict[str, str]:
    """Smart defaults so most users can press Run without touching the role pickers."""
    facts = Facts(nulls=dict(zip(frame.columns, frame.null_count().row(0), strict=True)))
    count_and_range(frame, {c: "numeric" if schema.get(c) == "numeric" else "" for c in frame.columns}, facts)
    return roles_from_facts(schema, facts, frame.height)


def roles_from_facts(schema: dict[str, str], facts: Facts, n_rows: int) -> dict[str, str]:
    roles = {c: "feature" for c in schema}
    for c, kind in schema.items():
        if kind in ("empty", "text") or facts.constant(c):
            roles[c] = "ignore"
    open_cols = [c for c in schema if roles[c] == "feature"]
    target = _pick_target([c for c in open_cols if schema[c] in _TARGET_KINDS])
    if target:
        roles[target] = "target"
    time_col = next((c for c in open_cols if schema[c] == "datetime"), None)
    if time_col:
        roles[time_col] = "time"
    # weeks or quarters written as text ('Wk 7 2023', '1998 Q1': the retail desk reads them as dates) date the rows
    # too: an ERP export's Store and Item had no series role beside such a column
    dated = time_col is not None or any(schema[c] in ("categorical", "text") and PERIOD_NAME.search(str(c))
                                        for c in schema)
    for c in open_cols:
        if roles[c] != "feature":
            continue
        few = facts.distinct[c] <= 1000 and facts.distinct[c] < 0.2 * n_rows
        series_like = schema[c] in ("categorical", "identifier", "numeric") and few
        if dated and series_like and _SERIES_TOKENS.intersection(name_tokens(c)):
            roles[c] = "series"
        elif schema[c] == "identifier" or (schema[c] == "numeric" and _row_counter(c, facts, n_rows)):
            roles[c] = "id"
    return roles


_COUNTER_MIN_ROWS = 20
_TIME_TOKENS = {"time", "cycle", "cycles", "step", "t", "hour", "day", "week", "month", "year", "period", "seq",
                "age", "rank", "order", "position", "timestamp", "epoch", "date", "ts"}


_COUNTER_SPREAD = 10  # a counter of a sample: its values span at most this many times the rows


def _row_counter(column: str, facts: Facts, n_rows: int) -> bool:
    """A whole-number column holding 1 … n (or 0 … n−1) once each, or rising row by row within ten times the
    rows (a sample of AI4I: UDI 10 … 10,000 over 2,000 rows), with no blanks: a row counter (AI4I's UDI, a saved
    pandas index), not a measurement. Names that count time or order (cycle, step, rank) stay what they are."""
    lo, hi = facts.lo.get(column), facts.hi.get(column)
    if n_rows < _COUNTER_MIN_ROWS or facts.nulls.get(column) or facts.distinct.get(column) != n_rows:
        return False
    if not (isinstance(lo, int) and isinstance(hi, int)) or _TIME_TOKENS.intersection(name_tokens(column)):
        return False
    if lo in (0, 1) and hi - lo + 1 == n_rows:
        return True
    return bool(facts.increasing.get(column)) and lo >= 0 and hi - lo + 1 <= _COUNTER_SPREAD * n_rows


def _pick_target(columns: list[str]) -> str | None:
    """Exact names win over names that merely contain the word, then the priority order."""
    normal = {c: " ".join(name_tokens(c)) for c in columns}
    for key in _TARGET_NAMES:
        for c in columns:
            if normal[c] == key:
                return c
    for key in _TARGET_NAMES:
        for c in columns:
            if f" {key} " in f" {normal[c]} ":
                return c
    return None


# --- profile --------------------------------------------------------------------------------------


def profile_frame(frame: pl.DataFrame, schema: dict[str, str]) -> list[ColumnProfile]:
    """Per-column summary (missing %, distinct, range, top values, histogram)."""
    return profile_from_facts(frame, schema, gather_facts(frame, schema))


def profile_from_facts(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> list[ColumnProfile]:
    n = frame.height
    hists = histograms(frame, schema, facts)
    return [
        ColumnProfile(
            name=c,
            kind=schema[c],
            missing_pct=round(100.0 * facts.nulls[c] / n, 2) if n else 0.0,
            distinct=facts.distinct[c],
            min=display_value(facts.lo.get(c)) if schema[c] in RANGED else None,
            max=display_value(facts.hi.get(c)) if schema[c] in RANGED else None,
            top_values=facts.tops.get(c, []) if schema[c] in COUNTED else [],
            histogram=hists.get(c),
        )
        for c in frame.columns
    ]


def display_value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dt.date):
        return iso_text(value)
    return str(value)
