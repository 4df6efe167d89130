"""Dates in text columns: which of the common ways of writing them a column uses (ISO, DD/MM or MM/DD,
month names, ISO weeks, dates in words), read in one parse of the dominant format, with the rows that
disagree or fit none kept for the report."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import polars as pl

from data.profile import Problem

DATE_FAMILIES = {  # how users write the date part, in priority order when several fit equally
    "YYYY-MM-DD": "%Y-%m-%d",
    "DD/MM/YYYY": "%d/%m/%Y",
    "MM/DD/YYYY": "%m/%d/%Y",
    "DD.MM.YYYY": "%d.%m.%Y",
    "YYYY/MM/DD": "%Y/%m/%d",
    "YYYY.MM.DD": "%Y.%m.%d",  # 2003.10.22, and NASA's IMS bearing snapshots 2003.10.22.12.06.24 (time below)
    "DD-MM-YYYY": "%d-%m-%Y",
    "Mon-YYYY": "%b-%Y",       # loan books and reports by month: Dec-2015
    "Mon YYYY": "%b %Y",
    "Month YYYY": "%B %Y",
    "Month D, YYYY": "%B %d, %Y",  # September 25, 2021 (and Sep 25, 2021): US prose dates, Netflix's date_added
    "D Month YYYY": "%d %B %Y",    # 25 September 2021, 25 Sep 2021, and SAS's DATE9 01JAN2020 (polars reads it so)
    "DD-Mon-YYYY": "%d-%b-%Y",     # 25-Sep-2021, as Oracle and Excel write them
    "MM/YYYY": "%m/%Y",        # a credit file's first credit line (03/1985), a month's sales (2019-01)
    "YYYY-MM": "%Y-%m",
    "YYYY-Www": "%G-W%V-%u",   # ISO weeks (2024-W05), read as the week's Monday: the "-1" is added below
}
TIME_PARTS = ("", " %H:%M:%S", " %H:%M", "T%H:%M:%S", " %H:%M:%S%.f", "T%H:%M:%S%.f", "T%H:%M",
              " %I:%M:%S %p", " %I:%M %p",  # 1/1/2015 6:00:00 AM, as US exports (Azure's telemetry) write them
              ".%H.%M.%S",  # 2003.10.22.12.06.24: NASA's IMS bearing snapshots, named by their time
              ":%H:%M:%S")  # 01JAN2020:10:20:30, SAS's DATETIME
_DATE_SAMPLE = 1000
_ISO_WEEK = r"^\s*(\d{4})-?W(\d{2})\s*$"
# A time of day followed by a UTC offset or Z: the offset is dropped and the local time kept.
_HOUR_24 = r"^(.*\d)[ T]24:00(?::00)?$"
# PostgreSQL writes the offset as hours alone ("2024-03-05 10:00:00+00"), some exports name the zone ("… UTC").
_UTC_OFFSET = r"^(.*\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$"


@dataclass(frozen=True)
class DateParse:
    """A string column read as dates with its dominant format, plus the rows that disagree."""

    values: pl.Series  # Date or Datetime; null where a value did not fit the dominant format
    family: str  # dominant format label, e.g. "YYYY-MM-DD"
    mixed: dict[str, pl.Series]  # other format label -> 0-based row indices written that way
    unparsed: pl.Series  # 0-based row indices of non-empty values that fit no format
    ambiguous_with: str | None  # a format that fits the sample just as well (DD/MM vs MM/DD)
    hour_24: int = 0  # values written at 24:00 (hour-ending exports), read as midnight of the next day


def _parse(values: Any, family: str, time_part: str, *, as_date: bool = False) -> Any:
    """Parse a Series or Expr; the cache only pays off for long repeated strings, so it is off."""
    fmt = DATE_FAMILIES[family] + time_part
    if as_date:
        parsed = values.str.to_date(fmt, strict=False, cache=False)
    else:
        parsed = values.str.to_datetime(fmt, strict=False, time_unit="us", cache=False)
    if isinstance(parsed, pl.Series):  # a two-digit year (25-Sep-21) read as year 21 does not fit a %Y format
        return parsed.set((parsed.dt.year() < 1000).fill_null(False), None)
    return pl.when(parsed.dt.year() >= 1000).then(parsed)


def detect_dates(column: pl.Series, *, min_share: float = 0.9) -> DateParse | None:
    """Read a string column as dates when at least `min_share` of its values fit a known format.

    Formats are tried on a small sample first; the whole column is parsed once with the dominant
    format, and only the rows that fail are re-tried with the other formats, so a clean
    million-row date column costs a single parse.
    """
    column = column.str.strip_chars()  # ' August 4, 2017', as exports pad a value after a quote
    sample = column.head(20 * _DATE_SAMPLE).drop_nulls().head(_DATE_SAMPLE)
    if sample.is_empty() or sample.str.contains(r"\d").mean() < 0.5:  # type: ignore[operator]
        return None
    if sample.str.contains(_ISO_WEEK).mean() >= 0.5:  # type: ignore[operator]
        column, sample = (c.str.replace(_ISO_WEEK, "${1}-W${2}-1") for c in (column, sample))
    ending = None
    if sample.str.contains(_HOUR_24).any():  # "2018-01-01 24:00", as grid operators write the day's last hour
        ending = column.str.contains(_HOUR_24).fill_null(False)
        column, sample = (c.str.replace(_HOUR_24, "${1} 00:00") for c in (column, sample))
    if sample.str.contains(_UTC_OFFSET).any():
        # A sales day is the local one: "2022-06-02T00:00:00+02:00" is 2 June, not 22:00 on 1 June UTC.
        column, sample = (c.str.replace(_UTC_OFFSET, "${1}") for c in (column, sample))
    combos = [(f, t) for f in DATE_FAMILIES for t in TIME_PARTS]
    hits = pl.DataFrame({"v": sample}).select(
        *[_parse(pl.col("v"), f, t).is_not_null().alias(f"{f}|{t}") for f, t in combos]
    )
    if hits.select(pl.any_horizontal(pl.all()).sum()).item() < 0.5 * len(sample):
        return None
    by_family = hits.select(
        pl.any_horizontal(pl.col(f"{f}|{t}" for t in TIME_PARTS)).sum().alias(f) for f in DATE_FAMILIES
    ).row(0, named=True)
    family = max(DATE_FAMILIES, key=lambda f: by_family[f])  # first in order wins ties
    ambiguous = next((f for f in DATE_FAMILIES if f != family and by_family[f] == by_family[family]), None)
    if ambiguous is not None:  # the sample fell on days 1-12 (a file sorted by date): the whole column decides
        family, ambiguous = _decided(column, hits, family, ambiguous)
    seen = [t for t in TIME_PARTS if hits.get_column(f"{family}|{t}").any()]
    date_only = seen == [""]
    values = _coalesce([_parse(column, family, t, as_date=date_only) for t in seen])
    failed = (column.is_not_null() & values.is_null()).arg_true()
    mixed: dict[str, pl.Series] = {}
    if len(failed):
        rest = column.gather(failed)
        unseen = [t for t in TIME_PARTS if t not in seen]
        if unseen:  # the same date order, some with (or without) a time of day: keep the times
            extra = _coalesce([_parse(rest, family, t) for t in unseen])
            fits = extra.is_not_null()
            if fits.any():
                values = values.cast(pl.Datetime("us")).scatter(failed.filter(fits), extra.filter(fits))
            failed, rest = failed.filter(~fits), rest.filter(~fits)
        for other in DATE_FAMILIES:
            if other == family or not len(failed):
                continue
            fits = _coalesce([_parse(rest, other, t) for t in TIME_PARTS]).is_not_null()
            if fits.any():
                mixed[other] = failed.filter(fits)
                failed, rest = failed.filter(~fits), rest.filter(~fits)
    non_null = len(column) - column.null_count()
    if non_null - len(failed) < min_share * non_null:
        return None
    if ending is not None and ending.any():
        frame = pl.DataFrame({"v": values.cast(pl.Datetime("us")), "e": ending})
        values = frame.select(pl.when(pl.col("e")).then(pl.col("v") + pl.duration(days=1)).otherwise(pl.col("v")))
        values = values.to_series()
    return DateParse(values.alias(column.name), family, mixed, failed, ambiguous,
                     int(ending.sum()) if ending is not None else 0)


def _decided(column: pl.Series, hits: pl.DataFrame, family: str, other: str) -> tuple[str, str | None]:
    """Of two date orders that fit the sample equally (DD/MM and MM/DD), the one more of the whole column
    fits; still ambiguous only when the whole column fits both (every day of month at most 12)."""
    def fitting(name: str) -> int:
        parts = [t for t in TIME_PARTS if hits.get_column(f"{name}|{t}").any()] or [""]
        return int(_coalesce([_parse(column, name, t) for t in parts]).is_not_null().sum())

    mine, theirs = fitting(family), fitting(other)
    if theirs > mine:
        return other, None
    return family, (other if theirs == mine else None)


def _coalesce(series: list[pl.Series]) -> pl.Series:
    out = series[0]
    for s in series[1:]:
        out = out.fill_null(s)
    return out


_SLASH_DATE = re.compile(r"^\s*\d{1,2}/\d{1,2}/\d{4}")


def ambiguous_dates(frame: pl.DataFrame, sample_rows: list[list[str]]) -> tuple[pl.DataFrame, list[Problem]]:
    """polars reads 01/02/2024 as 1 February. When no value rules out 2 January, keep the reading under
    which the dates are regular: 02/01/2019, 03/01/2019… are month starts read as MM/DD, not the 2nd to
    12th of January. Either way, say which reading was used."""
    problems = []
    for i, (c, dtype) in enumerate(frame.schema.items()):
        written = [r[i] for r in sample_rows if i < len(r) and r[i].strip()]
        if not dtype.is_temporal() or not written or not all(_SLASH_DATE.match(v) for v in written):
            continue
        if not frame.select((pl.col(c).dt.day() <= 12).all()).item():
            continue
        chosen = "DD/MM/YYYY"
        swapped = _swap_day_and_month(frame.get_column(c))
        if _evenly_spaced(swapped) and not _evenly_spaced(frame.get_column(c)):
            frame, chosen = frame.with_columns(swapped), "MM/DD/YYYY"
        other = "MM/DD/YYYY" if chosen == "DD/MM/YYYY" else "DD/MM/YYYY"
        problems.append(Problem(
            None, c, f"Dates in column '{c}' fit both {chosen} and {other}; they were read as {chosen}"
            + (", under which they are evenly spaced" if chosen == "MM/DD/YYYY" else "")
            + ". Check a few values.", "info",
        ))  # fmt: skip
    return frame, problems


def _evenly_spaced(values: pl.Series) -> bool:
    """Distinct dates one step apart: all steps equal (days, weeks), or all a calendar month (28–31 days)."""
    steps = values.drop_nulls().unique().sort().cast(pl.Date).diff().drop_nulls().dt.total_days()
    if steps.is_empty():
        return False
    low, high = steps.min(), steps.max()
    return bool(low == high or (low >= 28 and high <= 31))


def _swap_day_and_month(values: pl.Series) -> pl.Series:
    """The other reading of slash dates whose days are all ≤ 12 (times of day kept)."""
    swapped = values.dt.replace(month=values.dt.day(), day=values.dt.month())
    return swapped.alias(values.name)
