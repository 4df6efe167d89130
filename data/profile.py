"""What a table holds: column kinds, default roles and per-column profiles.

Everything runs as vectorised polars expressions over whole columns (one `select` per step so
polars can spread the columns over its threads); Python only loops over columns and over small
samples, never over rows.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from data.sniff import DateParse, detect_dates

Severity = Literal["error", "warning", "info"]
KINDS = ("numeric", "categorical", "datetime", "boolean", "identifier", "text", "empty")
ROLES = ("target", "id", "time", "series", "exogenous", "ignore", "feature")
MAX_LISTED_ROWS = 20
HIST_BINS = 20

_ID_TOKENS = {"id", "key", "code", "uuid", "guid", "identifier"}
_TARGET_NAMES = (
    "target", "label", "class", "outcome", "default", "y", "churn", "failure",
    "machine failure", "sales", "demand", "quantity",
)  # fmt: skip
_SERIES_TOKENS = {"store", "item", "sku", "product", "series", "region", "location", "site", "unit", "machine"}
_TARGET_KINDS = {"numeric", "boolean", "categorical"}


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


@dataclass
class Facts:
    """Per-column counts computed once and shared by typing, roles and the profile."""

    nulls: dict[str, int]
    distinct: dict[str, int] = field(default_factory=dict)
    lo: dict[str, Any] = field(default_factory=dict)
    hi: dict[str, Any] = field(default_factory=dict)
    tops: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def constant(self, column: str) -> bool:
        return self.distinct[column] == 1 and self.nulls[column] == 0


_RANGED = ("numeric", "datetime")
_MANY_VALUES = 10_000  # above this many distinct values, top values come from _frequent_values
_FREQUENT_SAMPLE = 50_000
_COUNTED = ("categorical", "boolean", "text", "identifier")


def gather_facts(frame: pl.DataFrame, schema: dict[str, str], known: Facts | None = None) -> Facts:
    """Fill in whatever `known` lacks, in two parallel passes (counts and ranges, then top values)."""
    facts = known or Facts(nulls=dict(zip(frame.columns, frame.null_count().row(0), strict=True)))
    _count_and_range(frame, schema, facts)
    _top_values(frame, schema, facts)
    return facts


def _count_and_range(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> None:
    exprs: list[pl.Expr] = []
    for i, c in enumerate(frame.columns):
        if c not in facts.distinct:
            exprs.append(_n_unique(pl.col(c), frame.schema[c]).alias(f"u{i}"))
        if schema[c] in _RANGED and c not in facts.lo:
            exprs += [pl.col(c).min().alias(f"lo{i}"), pl.col(c).max().alias(f"hi{i}")]
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
        if f"t{i}" in out:
            yes, no = int(out[f"t{i}"] or 0), frame.height - facts.nulls[c] - int(out[f"t{i}"] or 0)
            facts.tops[c] = sorted([(v, k) for v, k in (("true", yes), ("false", no)) if k], key=lambda x: -x[1])


def _n_unique(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    """Counting distinct 64-bit hashes is ~5x faster than distinct strings; a collision among
    even 10 million distinct values has odds of about 1 in 370,000."""
    return expr.hash().n_unique() if dtype == pl.String else expr.n_unique()


def _top_values(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> None:
    wanted = [c for c in frame.columns if schema[c] in _COUNTED and c not in facts.tops]
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


# --- roles ----------------------------------------------------------------------------------------


def infer_roles(frame: pl.DataFrame, schema: dict[str, str]) -> dict[str, str]:
    """Smart defaults so most users can press Run without touching the role pickers."""
    facts = Facts(nulls=dict(zip(frame.columns, frame.null_count().row(0), strict=True)))
    _count_and_range(frame, {c: "" for c in frame.columns}, facts)
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
    for c in open_cols:
        if roles[c] != "feature":
            continue
        few = facts.distinct[c] <= 1000 and facts.distinct[c] < 0.2 * n_rows
        series_like = schema[c] in ("categorical", "identifier", "numeric") and few
        if time_col and series_like and _SERIES_TOKENS.intersection(name_tokens(c)):
            roles[c] = "series"
        elif schema[c] == "identifier":
            roles[c] = "id"
    return roles


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
    hists = _histograms(frame, schema, facts)
    return [
        ColumnProfile(
            name=c,
            kind=schema[c],
            missing_pct=round(100.0 * facts.nulls[c] / n, 2) if n else 0.0,
            distinct=facts.distinct[c],
            min=_display(facts.lo.get(c)) if schema[c] in _RANGED else None,
            max=_display(facts.hi.get(c)) if schema[c] in _RANGED else None,
            top_values=facts.tops.get(c, []) if schema[c] in _COUNTED else [],
            histogram=hists.get(c),
        )
        for c in frame.columns
    ]


def _display(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _histograms(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> dict[str, dict]:
    """Equal-width bins via polars' hist; small integer ranges get one bin per value."""
    ranged = [c for c in frame.columns if schema[c] in _RANGED and facts.lo.get(c) is not None]
    bins: dict[str, int] = {}
    out: dict[str, dict] = {}
    for c in ranged:
        lo, hi, dtype = facts.lo[c], facts.hi[c], frame.schema[c]
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
            edges = _edges(frame.schema[c], facts.lo[c], facts.hi[c], k)
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
    return _display(value) if dtype.is_temporal() else value


_EPOCH = dt.datetime(1970, 1, 1)


def _physical(value: dt.date) -> float:
    if isinstance(value, dt.datetime):
        return (value.replace(tzinfo=None) - _EPOCH) / dt.timedelta(microseconds=1)
    return float((value - _EPOCH.date()).days)


def _from_physical(dtype: pl.DataType, value: float) -> str:
    if dtype == pl.Date:
        return (_EPOCH.date() + dt.timedelta(days=round(value))).isoformat()
    return (_EPOCH + dt.timedelta(microseconds=round(value))).isoformat(sep=" ")


# --- column kinds ---------------------------------------------------------------------------------

# The spellings pandas treats as missing by default, which analysts' files are full of, plus
# Excel's formula errors (a #DIV/0! cell has no value either).
MISSING_MARKERS = [
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
    "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null",
    "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
]  # fmt: skip
_TRUE = {"true", "yes", "y"}
_FALSE = {"false", "no", "n"}
_NUMBERISH = r"(?i)^\s*[+-]?(\d[\d.,]*([eE][+-]?\d+)?|\.\d+|inf|infinity)\s*$"
_THOUSANDS_COMMA = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$|^[+-]?\d+(\.\d+)?$"
_DECIMAL_COMMA = r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+(,\d+)?$"
_PARALLEL_ROWS = 50_000  # below this, threads cost more than they save
_HIGH_CARDINALITY = 0.9  # share of distinct sample values above which a group-by is not worth it


@dataclass(frozen=True)
class Typed:
    """A frame with one dtype per kind, plus the facts later steps reuse instead of recomputing."""

    frame: pl.DataFrame
    schema: dict[str, str]
    problems: list[Problem]
    facts: Facts


@dataclass
class _Context:
    """What every per-column step needs: where problems go and how to number rows."""

    problems: list[Problem]
    row_numbers: pl.Series | None
    decimal_comma: bool
    facts: Facts

    def rows(self, indices: pl.Series) -> tuple[list[int], int]:
        return listed_rows(indices, self.row_numbers), len(indices)

    def add(self, row: int | None, column: str | None, message: str, severity: Severity) -> None:
        self.problems.append(Problem(row, column, message, severity))


def type_columns(
    frame: pl.DataFrame, *, decimal_comma: bool = False, row_numbers: pl.Series | None = None
) -> Typed:
    """Decide each column's kind, convert it to the matching dtype and note what was changed.

    `row_numbers` maps positions to the file's row numbers when blank rows were dropped.
    Columns are typed on a few threads: polars releases the GIL and most per-column steps
    (parsing, grouping) would otherwise leave cores idle.
    """
    facts = Facts(nulls=dict(zip(frame.columns, frame.null_count().row(0), strict=True)))
    ctx = _Context([], row_numbers, decimal_comma, facts)
    columns = frame.get_columns()
    if frame.height >= _PARALLEL_ROWS and len(columns) > 1:
        with ThreadPoolExecutor(max_workers=min(len(columns), os.cpu_count() or 1, 8)) as pool:
            typed = list(pool.map(lambda s: _type_column(s, ctx), columns))
    else:
        typed = [_type_column(s, ctx) for s in columns]
    schema = {s.name: kind for s, (kind, _) in zip(columns, typed, strict=True)}
    replaced = [new for _, new in typed if new is not None]
    if replaced:
        frame = frame.with_columns(replaced)
    frame = _null_non_finite(frame, ctx)
    _count_and_range(frame, schema, facts)
    _mark_integer_ids(frame, schema, facts)
    _top_values(frame, schema, facts)
    for c in frame.columns:
        if facts.constant(c):
            value = _display(frame.get_column(c)[0])
            ctx.add(None, c, f"Column '{c}' has the same value ({value!r}) in every row; "
                    "it carries no information and will be ignored.", "warning")  # fmt: skip
    position = {c: i for i, c in enumerate(frame.columns)}
    ctx.problems.sort(key=lambda p: (position.get(p.column, -1), p.row or 0))  # threads add out of order
    return Typed(frame, schema, ctx.problems, facts)


def _type_column(series: pl.Series, ctx: _Context) -> tuple[str, pl.Series | None]:
    """The column's kind, and its replacement when the dtype had to change."""
    c, dtype = series.name, series.dtype
    if ctx.facts.nulls[c] == len(series):
        ctx.facts.distinct[c] = 0
        ctx.add(None, c, f"Column '{c}' is completely empty; it will be ignored.", "warning")
        return "empty", series.cast(pl.String) if dtype != pl.String else None
    if dtype == pl.String:
        return _type_strings(series, ctx)
    if dtype.is_temporal() and dtype not in (pl.Time, pl.Duration):
        needs_us = isinstance(dtype, pl.Datetime) and dtype.time_unit != "us"
        return "datetime", series.dt.cast_time_unit("us") if needs_us else None
    if dtype == pl.Boolean:
        return "boolean", None
    if dtype.is_integer():
        return "numeric", series.cast(pl.Int64, strict=False) if dtype != pl.Int64 else None
    if dtype.is_float():
        return "numeric", series.cast(pl.Float64) if dtype != pl.Float64 else None
    return "categorical", series.cast(pl.String, strict=False)  # categoricals, objects: treat as text


def _type_strings(s: pl.Series, ctx: _Context) -> tuple[str, pl.Series | None]:
    """Numbers, booleans and dates often arrive as text; recognise them, else classify the text."""
    sample = s.head(20_000).drop_nulls().head(1000)
    if sample.is_empty():
        sample = s.drop_nulls().head(1000)
    sample = sample.filter(~sample.is_in(MISSING_MARKERS))
    if sample.is_empty():  # only missing markers: an empty column written as text
        cleaned = _null_markers(s, ctx)
        ctx.facts.nulls[s.name], ctx.facts.distinct[s.name] = len(s), 0
        ctx.add(None, s.name, f"Column '{s.name}' is completely empty; it will be ignored.", "warning")
        return "empty", cleaned
    numberish = bool(sample.str.contains(_NUMBERISH).all())
    if numberish or _date_like(sample):
        cleaned = _null_markers(s, ctx)
        if numberish:
            number = _to_number(cleaned, ctx.decimal_comma)
            if number is not None:
                return "numeric", number
        dates = detect_dates(cleaned)
        if dates is not None:
            _date_problems(cleaned, dates, ctx)
            return "datetime", dates.values
        kind, new = _classify_text(cleaned, sample, ctx)
        return kind, new if new is not None else (cleaned if cleaned is not s else None)
    return _classify_text(s, sample, ctx)


def _date_like(sample: pl.Series) -> bool:
    return sample.str.contains(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}").mean() >= 0.5  # type: ignore[operator]


def _null_markers(s: pl.Series, ctx: _Context) -> pl.Series:
    """Turn 'NA', 'NaN', 'null'... into real missing values, saying where they were."""
    mask = s.is_in(MISSING_MARKERS)
    hits = mask.arg_true()
    if not len(hits):
        return s
    rows, total = ctx.rows(hits)
    seen = ", ".join(repr(v) for v in sorted(s.gather(hits).unique().head(3).to_list()))
    ctx.add(rows[0], s.name, f"Column '{s.name}' uses text such as {seen} for missing values (rows "
            f"{rows_text(rows, total)}); these were treated as empty cells.", "warning")  # fmt: skip
    ctx.facts.nulls[s.name] += total
    return pl.select(pl.when(pl.lit(mask)).then(None).otherwise(pl.lit(s)).alias(s.name)).to_series()


def _classify_text(s: pl.Series, sample: pl.Series, ctx: _Context) -> tuple[str, pl.Series | None]:
    c, n, facts = s.name, len(s), ctx.facts
    cleaned = None
    # Mostly-distinct values (judged on the sample): grouping them all would cost more than it tells.
    if len(sample) >= 100 and sample.n_unique() >= _HIGH_CARDINALITY * len(sample):
        if s.is_in(MISSING_MARKERS).any():
            cleaned = s = _null_markers(s, ctx)
        facts.distinct[c] = s.hash().n_unique() - (facts.nulls[c] > 0)
    else:
        counts = pl.DataFrame(s).select(pl.col(c).value_counts(sort=True, name="n")).unnest(c)
        counts = counts.filter(pl.col(c).is_not_null())
        if counts.get_column(c).is_in(MISSING_MARKERS).any():
            cleaned = s = _null_markers(s, ctx)
            counts = counts.filter(~pl.col(c).is_in(MISSING_MARKERS))
        facts.distinct[c] = counts.height
        facts.tops[c] = [(str(v), int(k)) for v, k in counts.head(5).iter_rows()]
        if counts.height <= 6:
            words = set(counts.get_column(c).str.strip_chars().str.to_lowercase().to_list())
            if words <= _TRUE | _FALSE:
                facts.tops.pop(c)
                flags = pl.DataFrame(s).select(
                    pl.when(pl.col(c).is_null()).then(None)
                    .otherwise(pl.col(c).str.strip_chars().str.to_lowercase().is_in(list(_TRUE))).alias(c)
                )  # fmt: skip
                return "boolean", flags.to_series()
    distinct, non_null = facts.distinct[c], n - facts.nulls[c]
    spaced, length = sample.str.contains(r"\s").mean(), sample.str.len_chars().mean()
    prose = bool(spaced > 0.5 or length > 30)  # type: ignore[operator]
    if is_id_name(c) and distinct >= 0.95 * non_null:
        return "identifier", cleaned
    if distinct == non_null and non_null >= 20 and not prose:
        return "identifier", cleaned
    if prose and distinct > 0.5 * non_null:  # sentences that rarely repeat are not categories
        return "text", cleaned
    if distinct <= max(50, 0.05 * n):
        return "categorical", cleaned
    return "text", cleaned


def _to_number(s: pl.Series, decimal_comma: bool) -> pl.Series | None:
    text = s.str.strip_chars()
    expected = s.null_count()
    for dtype in (pl.Int64, pl.Float64):
        out = text.cast(dtype, strict=False)
        if out.null_count() == expected:
            return out
    if decimal_comma and text.str.contains(_DECIMAL_COMMA).fill_null(True).all():
        text = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    elif text.str.contains(_THOUSANDS_COMMA).fill_null(True).all():
        text = text.str.replace_all(",", "", literal=True)
    else:
        return None
    out = text.cast(pl.Float64, strict=False)
    return out if out.null_count() == expected else None


def _date_problems(s: pl.Series, dates: DateParse, ctx: _Context) -> None:
    c = s.name
    for other, idx in dates.mixed.items():
        rows, total = ctx.rows(idx)
        ctx.add(rows[0], c, f"Column '{c}' mixes date formats: rows {rows_text(rows, total)} look like "
                f"{other} while the rest are {dates.family}. Use one format.", "error")  # fmt: skip
    if len(dates.unparsed):
        rows, total = ctx.rows(dates.unparsed)
        examples = ", ".join(repr(v) for v in s.gather(dates.unparsed.head(3)).to_list())
        ctx.add(rows[0], c, f"Column '{c}' has values that are not dates ({examples}) in rows "
                f"{rows_text(rows, total)}; they were left empty.", "warning")  # fmt: skip
        ctx.facts.nulls[c] += total
    ctx.facts.nulls[c] += sum(len(idx) for idx in dates.mixed.values())
    if dates.ambiguous_with:
        ctx.add(None, c, f"Dates in column '{c}' fit both {dates.family} and {dates.ambiguous_with}; "
                f"they were read as {dates.family}. Check a few values.", "info")  # fmt: skip


def _null_non_finite(frame: pl.DataFrame, ctx: _Context) -> pl.DataFrame:
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


def _mark_integer_ids(frame: pl.DataFrame, schema: dict[str, str], facts: Facts) -> None:
    """Integer ids named like ids, and 1..n row numbers, are identifiers rather than quantities."""
    n = frame.height
    for c in frame.columns:
        non_null = n - facts.nulls[c]
        if schema[c] != "numeric" or not frame.schema[c].is_integer() or facts.distinct[c] < 0.95 * non_null:
            continue
        lo, hi = facts.lo[c], facts.hi[c]
        row_number = facts.nulls[c] == 0 and facts.distinct[c] == n >= 20 and lo in (0, 1) and hi - lo + 1 == n
        if row_number or is_id_name(c):
            schema[c] = "identifier"
