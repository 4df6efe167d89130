"""Dates in a loan table: dates written as text read as dates, the application's own date found (and left out
of the features), and dates about the applicant counted back from it."""
from __future__ import annotations

import shlex

import pandas as pd

from domain import finance_columns
from ml.credit_dates import closest_dates, full_years, read_text_dates, unnamed_excel_days, writes_day_first
from ml.credit_features import FeaturePlan, as_dates


def with_full_years(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Dates written day-month-two-digit-year ('22-11-53', the Vehicle Loan book's Date.of.Birth), which the file
    reader takes for the year 53, read in 19xx or 20xx; with a note naming the columns (none when there are none).
    Left as read, a birth date came out as 70 years after a 2018 application ('0018'), and one of 2000 ('00') as
    younger than one of 1999."""
    read = {c: years for c in frame.columns if (years := full_years(frame[c])) is not None}
    if not read:
        return frame, []
    column, dates = next(iter(read.items()))
    first = dates.first_valid_index()
    example = f"{frame[column][first]:%d-%m}-{frame[column][first].year:02d} as {dates[first]:%Y-%m-%d}"
    note = (f"Column(s) {', '.join(repr(str(c)) for c in read)} hold dates written with a two-digit year, which the "
            f"reader took for years 0 to 99: read in the 1900s or 2000s, never in the future ({example}).")
    out = frame.copy(deep=False)
    for column, values in read.items():
        out[column] = values
    return out, [note]


def application_dates(candidates: pd.DataFrame, notes: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """Dates written as text ('28-Feb-97', 'Q3 2013') read as dates; the application's own dates left out, the
    one to count other dates back from first. A date with one value (Bondora's ReportAsOfEOD, the day the file
    was written) is no application date: it is left out as constant."""
    read, written = read_text_dates(candidates)
    for column, example in written.items():
        when = read[column][candidates[column].first_valid_index()]
        example = repr(example) if pd.isna(when) else f"{example!r} as {when:%Y-%m-%d}"  # 37076 as 2001-07-04
        notes.append(f"Column {column!r} holds dates written as text or numbers (e.g. {example}): read as dates.")
    candidates = _judged_excel_days(read, notes)
    applied = [c for c in candidates.columns if pd.api.types.is_datetime64_any_dtype(candidates[c])
               and finance_columns.is_application_date(str(c)) and candidates[c].nunique() > 1]
    applied.sort(key=lambda c: finance_columns.anchor_rank(str(c)))  # stable: the file's order within a rank
    closest = None if applied else closest_dates(candidates)
    if closest is not None:  # a date named in another language (Antragsdatum), or a first payment date
        applied = [closest]
        notes.append(f"No column is named as the application's date; {closest!r}, the date whose values lie closest "
                     "together, is taken for it, as calendar dates never recur for new applicants. If it is not "
                     f"the application's date, leave it out with --exclude {shlex.quote(closest)} ('Columns to leave "
                     "out' on the page).")
    if applied:
        named = ", ".join(repr(c) for c in applied)
        notes.append(f"Columns {named} are not used: dates of the application or of the loan (new applicants "
                     "come later; a date is no reason code)." if len(applied) > 1 else f"Column {named} is not "
                     "used: the date of the application (new applicants come later; a date is no reason code).")
    years = [c for c in candidates.columns if _application_year(candidates[c])]
    if years:
        notes.append(f"Column(s) {', '.join(map(repr, years))} are not used: the year of the application or of the "
                     "loan (new applicants come later; a calendar year is no reason code).")
    return candidates.drop(columns=applied + years), applied + years


def _application_year(values: pd.Series) -> bool:
    """A number column named as the application's year (SBA's ApprovalFY) holding years: left out like the
    application's date. Used, it had put "Approval FY of 2007 raised the risk" among the reasons."""
    if not finance_columns.is_application_year(str(values.name)) or not pd.api.types.is_numeric_dtype(values) \
            or pd.api.types.is_bool_dtype(values):
        return False
    present = values.dropna()
    return present.nunique() > 1 and bool(present.between(1900, pd.Timestamp.now().year + 1).all())


def _judged_excel_days(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Excel's day numbers in columns whose names say nothing of a day, read as dates, with a note saying why and
    how to undo it; see ``unnamed_excel_days``."""
    judged = unnamed_excel_days(frame)
    dated = [str(c) for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    for column, dates in judged.items():
        low, high = frame[column].min(), frame[column].max()
        beside = ", ".join(map(repr, dated[:3]))
        notes.append(f"Column {column!r} holds whole numbers from {low:.0f} to {high:.0f}, beside the date column(s) "
                     f"{beside}: read as Excel's day numbers, dates from {dates.min():%Y-%m-%d} to "
                     f"{dates.max():%Y-%m-%d}. If they are amounts or counts, name the column as one (such as "
                     f"'{column} amount') or leave it out with --exclude {shlex.quote(column)}.")
    return frame.assign(**judged) if judged else frame


def anchor_dates(plan: FeaturePlan, applied: list[str], raw: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Dates about the applicant count back from the application's date: a credit line opened in 1995 is
    23 years of history on a 2018 application, and the same date is not a different risk next year. A
    training row without an application date counts back from the book's median one."""
    dated = [c for c, kind in plan.kinds.items() if kind == "datetime"]
    applied = [c for c in applied if not (c in raw.columns and _application_year(raw[c]))]  # never an anchor
    plan.day_first = [str(c) for c in (*dated, *applied[:1]) if c in raw.columns and writes_day_first(raw[c])]
    if not (applied and dated):
        return raw
    plan.anchor = str(applied[0])
    notes.append(f"{', '.join(map(repr, dated))} {'is' if len(dated) == 1 else 'are'} read as years before "
                 f"{plan.anchor!r}, the application's date (a file to score without it counts back from today).")
    when = as_dates(raw[plan.anchor], day_first=plan.anchor in plan.day_first)
    if when.isna().any() and when.notna().any():
        middle = when.dropna().sort_values().iloc[when.notna().sum() // 2]
        notes.append(f"{int(when.isna().sum()):,} row(s) have no usable {plan.anchor!r}: their dates count back from "
                     f"the book's median application date, {middle:%Y-%m-%d}.")
        return raw.assign(**{plan.anchor: when.fillna(middle)})
    return raw
