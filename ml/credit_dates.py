"""Dates in loan files, however they are written: ISO dates, '28-Feb-97' (SBA), quarters 'Q3 2013' (Prosper),
months as numbers (201604 in a column named as a date: Freddie Mac's loan-level files), Excel's day numbers (37076
for 2001-07-04, as a sheet saved to CSV with its date cells formatted as General writes them).

A date column left as text becomes a category with thousands of levels that reasons cite ("Disbursement
date of 11-Jul-94 raised the risk"); read as dates, it is handled like every other date column.
"""
from __future__ import annotations

import re
import warnings

import pandas as pd

from ml.numbers import to_numeric

DATE_SHARE = 0.95  # share of non-empty text cells that must read as dates for a text column to be dates
_SAMPLE = 2000
_QUARTER = re.compile(r"(?i)^\s*(?:q([1-4])[\s/_-]*(\d{4})|(\d{4})[\s/_-]*q([1-4]))\s*$")
# What a date written as text shows: a four-digit year, a month's name, or day/month/two-digit year.
_DATE_LIKE = re.compile(r"\d{4}|[A-Za-z]{3}|^\d{1,2}[-/.]\d{1,2}[-/.]\d{2}$")
_NUMBER = re.compile(r"\d+([.,]\d+)?[A-Za-z]?")
_TWO_DIGIT_YEAR = re.compile(r"(?:^|\D)\d{2}\s*$")
_NUMERIC_DAY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})$")  # 22-11-53, 03/01/1982, 15.06.70
# A month and a two-digit year, as Excel writes mmm-yy (Lending Club 2007-2011's issue_d 'Dec-11', earliest_cr_line
# 'Jan-85'): pandas reads 'Dec-11' as 11 December of no year and gives up, so 2000-2031 were lost.
_MONTH_YEAR = re.compile(r"(?i)^\s*([a-z]{3})[\s/_.-]?(\d{2})\s*$")
# A column named as a date or month, in snake or camel case: first_payment_date, MaturityDate, yyyymm, period.
_DATE_NAME = re.compile(r"(?i)(date|month|period|yyyymm|(^|_)dt($|_)|datum|fecha)")
# A column named as a day, where five-digit whole numbers are Excel's day numbers: 'month' and 'period' are left out
# (a monthly income of 10,000 to 73,000 is no date), 'earliest' (a credit line) and Lending Club's '_d' are in.
_DAY_NAME = re.compile(r"(?i)(date|datum|fecha|(^|[_\s.])(dt|d|dob)($|[_\s.])|earliest|opened|birth)")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")  # Excel's day 1 is 1900-01-01, counting its phantom 29 February 1900
# Words of a column of amounts, counts, scores, codes or places (a Florida book's zip codes run 32004 to 34997), which
# no run of values makes into Excel's day numbers.
_MEASURE_NAME = re.compile(r"(?i)(amount|amt|amnt|income|inc($|[_\s.])|salary|balance|bal($|[_\s.])|limit|value|"
                           r"price|pay|principal|sum|score|count|cnt|num|betrag|einkommen|gehalt|saldo|summe|wert|zip|"
                           r"post|plz|pin|code|(^|[_\s.])(id|nr|no)($|[_\s.]))")
_EXCEL_FIRST = 18264  # 1950-01-01: loan books' opening and start days lie after it
EVENT_SPAN_YEARS = 10  # application dates of one book lie within this (birth dates and first credit lines do not)


def as_dates(series: pd.Series, *, day_first: bool = False) -> pd.Series:
    """Dates from dates or text in any common format, quarters as their first day; what does not read as one
    is missing (no warning). A two-digit year ('01-Jan-68') is never read as a future date (2068): a loan
    book's dates are past ones. ``day_first``: days written with numbers only are day first (as training's
    column was), even where no value shows it (a batch of one applicant born on 03-01-82)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return pd.to_datetime(series)
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return _numbered(series)  # a month written 201604, as the training file had it (never nanoseconds)
    text = series.astype("string").str.strip()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "could not infer format": each value is parsed alone
        dates = pd.to_datetime(series, errors="coerce")
    dates = _day_first(text, dates, day_first)
    month_year = text.str.extract(_MONTH_YEAR)
    if month_year.notna().all(axis=1).any():
        read = pd.to_datetime(month_year[0].str.title() + "-" + month_year[1], format="%b-%y", errors="coerce")
        dates = dates.where(read.isna(), read)
    quarters = text.str.extract(_QUARTER)
    if quarters.notna().any().any():
        year = quarters[1].fillna(quarters[2])
        quarter = quarters[0].fillna(quarters[3])
        first = pd.to_datetime(year + "-" + ((quarter.astype(float) - 1) * 3 + 1).astype("Int64").astype("string")
                               + "-01", errors="coerce")
        dates = dates.where(first.isna(), first)
    future = dates > pd.Timestamp.now() + pd.DateOffset(years=1)
    short = text.str.contains(_TWO_DIGIT_YEAR).fillna(False) & ~text.str.contains(r"\d{4}").fillna(False)
    return dates.where(~(future & short), dates - pd.DateOffset(years=100))


def _day_first(text: pd.Series, dates: pd.Series, given: bool = False) -> pd.Series:
    """Days written with numbers only, read in one order for the whole column: day first when ``given`` or when
    ``writes_day_first`` says so (the Vehicle Loan book's Date.of.Birth 22-11-53). Read value by value, 03-01-82 had
    been 1 March beside 22-11-53 as 22 November."""
    parts = text.str.extract(_NUMERIC_DAY)
    first, second, year = (to_numeric(parts[i], errors="coerce").astype(float) for i in (0, 2, 3))
    if not given and (not (first > 12).any() or (second > 12).any()):
        return dates
    year = year.where(parts[3].str.len() == 4, year + 2000)  # a two-digit year in the future goes back 100 years
    read = pd.to_datetime(pd.DataFrame({"year": year, "month": second, "day": first}), errors="coerce")
    return dates.where(parts[0].isna(), read)


def writes_day_first(series: pd.Series) -> bool:
    """Text days written with numbers only, the day first: some value's first number is above 12 and none's
    second is (22-11-53 beside 03-01-82)."""
    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return False
    parts = series.astype("string").str.strip().str.extract(_NUMERIC_DAY)
    first, second = (to_numeric(parts[i], errors="coerce").astype(float) for i in (0, 2))
    return bool((first > 12).any()) and not bool((second > 12).any())


def full_years(series: pd.Series) -> pd.Series | None:
    """A date column every one of whose years is below 100 ('22-11-53', which the file reader takes for the year
    53): the same dates in 19xx or 20xx, never in the future, as ``as_dates`` reads a two-digit year; else None."""
    if not pd.api.types.is_datetime64_any_dtype(series) or series.dt.tz is not None:
        return None
    years = series.dt.year
    if years.isna().all() or not (years.dropna() < 100).all():
        return None
    time_of_day = (series - series.dt.floor("D")).fillna(pd.Timedelta(0))
    parts = {"year": years + 2000, "month": series.dt.month, "day": series.dt.day}
    future = pd.to_datetime(pd.DataFrame(parts), errors="coerce") > pd.Timestamp.now() + pd.DateOffset(years=1)
    parts["year"] = parts["year"].where(~future, parts["year"] - 100)
    return (pd.to_datetime(pd.DataFrame(parts), errors="coerce") + time_of_day).rename(series.name)


def _numbered(series: pd.Series) -> pd.Series:
    """201604 as 2016-04-01 and 20160415 as 2016-04-15; six digits that are no such month as a day with a two-digit
    year (the Czech PKDD'99 bank's 930705 for 1993-07-05, never in the future); five digits as Excel's day numbers
    (37076 as 2001-07-04, up to 2100); anything else missing."""
    whole = to_numeric(series, errors="coerce")
    whole = whole.where(whole == whole.round())
    text = whole.astype("Int64").astype("string")
    six = text.where(text.str.len() == 6)
    months = pd.to_datetime(six, format="%Y%m", errors="coerce")
    months = months.where(months.dt.year.between(1900, 2100))
    short = pd.to_datetime(six.where(months.isna()), format="%y%m%d", errors="coerce")
    short = short.where(short <= pd.Timestamp.now() + pd.DateOffset(years=1), short - pd.DateOffset(years=100))
    days = pd.to_datetime(text.where(text.str.len() == 8), format="%Y%m%d", errors="coerce")
    excel = _EXCEL_EPOCH + pd.to_timedelta(whole.where(text.str.len() == 5), unit="D")
    return months.fillna(short).fillna(days).fillna(excel.where(excel.dt.year <= 2100))


def reads_as_dates(series: pd.Series) -> bool:
    """A text column whose values (nearly) all read as dates: '28-Feb-97', 'Q3 2013', '2019-01-31'. Numbers,
    months alone ('May') and ranges ('1-2') do not count."""
    if pd.api.types.is_datetime64_any_dtype(series) or pd.api.types.is_numeric_dtype(series) \
            or pd.api.types.is_bool_dtype(series):
        return False
    present = series.dropna().astype(str).str.strip()
    present = present[present != ""].head(_SAMPLE)
    if len(present) == 0 or present.str.contains(_DATE_LIKE).mean() < DATE_SHARE \
            or present.str.fullmatch(_NUMBER).mean() >= 0.5:  # years or amounts as text (SBA's ApprovalFY '1976A')
        return False
    return bool(as_dates(present).notna().mean() >= DATE_SHARE)


def month_numbers(series: pd.Series, name: str) -> pd.Series | None:
    """Whole numbers in a column named as a date that are all months (201604) or days (20160415), or in a column
    named as a day that are all Excel day numbers (37076): the dates (first of the month), else None. Plain
    numbers in such a column ("days past due date": 30) stay numbers. Left as numbers, Excel's days had been
    amounts in the reasons ("Earliest credit line of 41,487")."""
    allowed = ({6, 8} if _DATE_NAME.search(str(name)) else set()) | ({5} if _DAY_NAME.search(str(name)) else set())
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series) or not allowed:
        return None
    present = series.dropna()
    if present.empty or not (present == present.round()).all():
        return None
    digits = present.astype("int64").astype(str).str.len()
    dates = _numbered(present)
    if digits.nunique() != 1 or digits.iloc[0] not in allowed or dates.isna().any() \
            or not dates.dt.year.between(1900, 2100).all():
        return None
    return _numbered(series)


def unnamed_excel_days(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """Number columns named with no word for a day (German 'Erste Kreditlinie', 'Start', 'Origination') judged by
    their values and neighbours to be Excel's day numbers: the file has another date column, and every value is a
    whole number from 18264 (1950) to a year from now, of 20 or more values, hardly any a multiple of 100 (amounts
    are rounded, days are not), in a column not named as an amount, count or score. Left as numbers, a first credit
    line of 37076 had been an amount of 37,076 in the reasons, and a book's start days a raw day count."""
    dated = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if not dated:
        return {}
    last = (pd.Timestamp.now() + pd.DateOffset(years=1) - _EXCEL_EPOCH).days
    found = {}
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values) \
                or _MEASURE_NAME.search(str(column)) or _DAY_NAME.search(str(column)):
            continue
        present = values.dropna()
        whole = present.nunique() >= 20 and (present == present.round()).all()
        if whole and present.between(_EXCEL_FIRST, last).all() and (present % 100 == 0).mean() <= 0.05:
            found[str(column)] = _numbered(values)
    return found


def read_text_dates(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Text columns that are dates, and months written as numbers in a column named as a date, converted; with
    an example of how each was written (for a note)."""
    found = {str(c): str(frame[c].dropna().iloc[0]) for c in frame.columns if reads_as_dates(frame[c])}
    converted = {c: as_dates(frame[c]) for c in found}
    for column in frame.columns:
        months = month_numbers(frame[column], str(column))
        if months is not None and str(column) not in found:
            converted[str(column)] = months
            found[str(column)] = str(int(frame[column].dropna().iloc[0]))
    return (frame.assign(**converted) if converted else frame), found


def closest_dates(frame: pd.DataFrame, filled: float = 0.9) -> str | None:
    """Of the date columns filled on at least 90 % of rows with more than one value, the one whose middle 90 %
    of values lie closest together, when that is within ten years: the dates of the book's events (applications
    come within a few years; birth dates and first credit lines span decades). None when there is no such column."""
    spans = {}
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_datetime64_any_dtype(values) or values.notna().mean() < filled or values.nunique() < 2:
            continue
        low, high = values.dropna().quantile([0.05, 0.95])
        spans[str(column)] = (high - low).days / 365.25
    near = {c: span for c, span in spans.items() if span <= EVENT_SPAN_YEARS}
    return min(near, key=near.get) if near else None
