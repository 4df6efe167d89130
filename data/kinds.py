"""Column kinds: which of numeric, categorical, datetime, boolean, identifier, text or empty each column
is, converted to the matching dtype, with every change and problem noted for the validation report.

Like the profile, this runs as vectorised polars expressions per column, a few columns at a time on
threads (polars releases the GIL); Python never loops over rows.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import polars as pl

from data.facts import Facts, count_and_range, top_values
from data.profile import Problem, Severity, display_value, is_id_name, listed_rows, rows_text
from data.dates import DateParse, detect_dates
from data.numbers import to_number
from data.kinds_cleanup import mark_integer_ids, null_non_finite
from data.kinds_numbers import (
    NUMBERISH, late_decimal_commas, late_thousands, mostly_numberish, note_markers, numbers_despite_text, undecorated,
)

# The spellings pandas treats as missing by default, which analysts' files are full of, plus
# Excel's formula errors (a #DIV/0! cell has no value either).
MISSING_MARKERS = [
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>",
    "N/A", "NA", "NULL", "NaN", "None", "n/a", "na", "nan", "null",  # "na": the APS (Scania) trucks file
    "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!",
    "?",  # the UCI repository's marker (crx.data, the Polish bankruptcy set)
]  # fmt: skip
# with Excel's TRUE and FALSE as a German, French, Spanish or Dutch Excel writes them into a CSV (WAHR/FALSCH …)
_TRUE = {"true", "yes", "y", "wahr", "vrai", "verdadero", "waar"}
_FALSE = {"false", "no", "n", "falsch", "faux", "falso", "onwaar"}
# Digit strings that are codes, not quantities: zero-padded (000123, ZIP 02139) or longer than a float
# holds exactly (card and account numbers). Reading them as numbers would drop the zeros or the digits.
CODE_DIGITS = r"^\s*(0\d+|\d{16,})\s*$"
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
    dot_thousands: bool = False
    missing_markers: tuple[str, ...] = tuple(MISSING_MARKERS)

    def rows(self, indices: pl.Series) -> tuple[list[int], int]:
        return listed_rows(indices, self.row_numbers), len(indices)

    def add(self, row: int | None, column: str | None, message: str, severity: Severity) -> None:
        self.problems.append(Problem(row, column, message, severity))


def type_columns(
    frame: pl.DataFrame, *, decimal_comma: bool = False, row_numbers: pl.Series | None = None,
    dot_thousands: bool = False,
) -> Typed:
    """Decide each column's kind, convert it to the matching dtype and note what was changed.

    `row_numbers` maps positions to the file's row numbers when blank rows were dropped. ``dot_thousands``: dots
    in groups of three (1.200) are thousands in a column of whole numbers (a semicolon file with no decimals sampled).
    Columns are typed on a few threads: polars releases the GIL and most per-column steps
    (parsing, grouping) would otherwise leave cores idle.
    """
    facts = Facts(nulls=dict(zip(frame.columns, frame.null_count().row(0), strict=True)))
    ctx = _Context([], row_numbers, decimal_comma, facts, dot_thousands)
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
    frame = null_non_finite(frame, ctx)
    count_and_range(frame, schema, facts)
    frame = mark_integer_ids(frame, schema, facts)
    top_values(frame, schema, facts)
    for c in frame.columns:
        if facts.constant(c):
            value = display_value(frame.get_column(c)[0])
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
    stripped = _strip_blanks(s, ctx)
    kind, new = _type_text(stripped, ctx)
    return kind, new if new is not None else (stripped if stripped is not s else None)


def _strip_blanks(s: pl.Series, ctx: _Context) -> pl.Series:
    """Spaces around a value are noise (' 60 months' is '60 months'); a cell of spaces is empty."""
    stripped = s.str.strip_chars()
    changed = (stripped != s).fill_null(False)
    if not changed.any():
        return s
    blank = (stripped == "").fill_null(False)
    if blank.any():
        rows, total = ctx.rows(blank.arg_true())
        ctx.add(rows[0], s.name, f"Column '{s.name}' has cells holding only spaces (rows {rows_text(rows, total)}); "
                "they were treated as empty cells.", "warning")  # fmt: skip
        ctx.facts.nulls[s.name] += total
        stripped = pl.select(pl.when(pl.lit(blank)).then(None).otherwise(pl.lit(stripped)).alias(s.name)).to_series()
    return stripped


def _type_text(s: pl.Series, ctx: _Context) -> tuple[str, pl.Series | None]:
    sample = _sample(s)
    if not sample.is_empty() and (bare := undecorated(s, sample, ctx)) is not s:
        s, sample = bare, _sample(bare)
    if sample.is_empty():  # only missing markers: an empty column written as text
        cleaned = _null_markers(s, ctx)
        ctx.facts.nulls[s.name], ctx.facts.distinct[s.name] = len(s), 0
        ctx.add(None, s.name, f"Column '{s.name}' is completely empty; it will be ignored.", "warning")
        return "empty", cleaned
    numbers = sample.filter(sample.str.contains(NUMBERISH))
    codes = bool(numbers.str.contains(CODE_DIGITS).any()) or _padded_fixed_width(s, numbers)
    numberish = len(numbers) == len(sample) and not codes
    mostly = not numberish and not codes and mostly_numberish(sample)  # a few cells such as 'high' or 'ERR'
    if numberish or mostly or _date_like(sample):
        cleaned = _null_markers(s, ctx)
        if numberish or mostly:  # the cells that are not numbers may lie past the sample
            number = late_thousands(cleaned, ctx) if numberish else None
            number = to_number(cleaned, ctx.decimal_comma) if numberish and number is None else number
            number = late_decimal_commas(cleaned, ctx) if numberish and number is None else number
            number = number if number is not None else numbers_despite_text(cleaned, ctx)
            if number is not None:
                return "numeric", number
        dates, cleaned = _dates(cleaned, ctx)
        if dates is not None:
            _date_problems(cleaned, dates, ctx)
            return "datetime", dates.values
        if _date_like(sample):
            _dates_written_otherwise(cleaned, ctx)
        kind, new = _classify_text(cleaned, sample, ctx)
        return kind, new if new is not None else (cleaned if cleaned is not s else None)
    return _classify_text(s, sample, ctx)


def _dates(s: pl.Series, ctx: _Context) -> tuple[DateParse | None, pl.Series]:
    """SAS and SPSS write a missing date as '.', as they do a missing number: in a column of dates such cells are
    empty (01JAN2020 with one cell in nine '.' had stayed text)."""
    dots = (s == ".").fill_null(False)
    if not dots.any():
        return detect_dates(s), s
    dates = detect_dates(pl.select(pl.when(pl.lit(dots)).then(None).otherwise(pl.lit(s)).alias(s.name)).to_series())
    return (dates, note_markers(s, dots, ctx)) if dates is not None else (None, s)


def _dates_written_otherwise(s: pl.Series, ctx: _Context) -> None:
    """Mostly dates, but too many written another way to read as dates (ISO, 12.05.2023 and 20230512 in one
    column): the column stays text, and says why. It had become text without a word, and the desks left it out.
    Values shaped as the dates are that are none (school years 1994-95 beside 2000-01) make it no date column."""
    dates = detect_dates(s, min_share=0.5)
    if dates is None:
        return
    shapes = s.str.strip_chars().str.replace_all(r"\d", "9")
    if shapes.gather(dates.unparsed).is_in(shapes.filter(dates.values.is_not_null()).unique()).any():
        return
    others = pl.concat([dates.unparsed, *dates.mixed.values()]).sort()
    rows, total = ctx.rows(others)
    examples = ", ".join(repr(v) for v in s.gather(others.head(3)).to_list())
    ctx.add(rows[0], s.name, f"Column '{s.name}' holds dates written as {dates.family}, but {total:,} of its values "
            f"are written another way ({examples} in rows {rows_text(rows, total)}); the column was kept as text. "
            "Write every date in one format to use it as dates.", "warning")  # fmt: skip


def _sample(s: pl.Series) -> pl.Series:
    sample = s.head(20_000).drop_nulls().head(1000)
    if sample.is_empty():
        sample = s.drop_nulls().head(1000)
    return sample.filter(~sample.is_in(MISSING_MARKERS))


def _padded_fixed_width(s: pl.Series, sample: pl.Series) -> bool:
    """Fixed-width digit codes (every sampled value has the same 4+ digits: EAN, ZIP) with a zero-padded
    value anywhere in the column are codes, even when the sample held no padded one (02134 stays 02134)."""
    stripped = sample.str.strip_chars()
    widths = stripped.str.len_chars().unique()
    if len(widths) != 1 or widths[0] < 4 or not stripped.str.contains(r"^\d+$").all():
        return False
    return bool(s.str.contains(r"^\s*0\d").any())


def _date_like(sample: pl.Series) -> bool:
    # 2024-01-31, Dec-2015, 2024-W05, 03/1985, 2019-01, September 25, 2021, 25 Sep 2021, 25-Sep-2021, 01JAN2020
    pattern = (r"^\s*(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|[A-Za-z]{3,9}[- ]\d{4}\s*$|\d{4}-?W\d{2}\s*$"
               r"|\d{1,2}/\d{4}\s*$|\d{4}-\d{2}\s*$|[A-Za-z]{3,9} \d{1,2}, \d{4}|\d{1,2}[- ]?[A-Za-z]{3,9}[- ]?\d{4})")
    return sample.str.contains(pattern).mean() >= 0.5  # type: ignore[operator]


def _null_markers(s: pl.Series, ctx: _Context) -> pl.Series:
    """Turn 'NA', 'NaN', 'null'... into real missing values, saying where they were."""
    return note_markers(s, s.is_in(MISSING_MARKERS), ctx)


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
            if words <= _TRUE | _FALSE:  # its top values stay the file's words ("Yes", "No"), for replies
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
    if dates.hour_24:
        ctx.add(None, c, f"{dates.hour_24:,} value(s) of column '{c}' are written at 24:00 (the end of the day, as "
                "hour-ending exports write it): they were read as 00:00 of the next day.", "info")
    if dates.ambiguous_with:
        ctx.add(None, c, f"Dates in column '{c}' fit both {dates.family} and {dates.ambiguous_with}; "
                f"they were read as {dates.family}. Check a few values.", "info")  # fmt: skip
