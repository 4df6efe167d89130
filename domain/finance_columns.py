"""Loan-book column names the finance desk reads beyond ``domain.loan_columns``: which date is the application's
own (and which of several to count from), and which records are written only after a loan went bad.

Pure rules on names; the finance service checks values (a constant snapshot date, a column filled only on
defaulted loans) itself.
"""
from __future__ import annotations

import math
import re

from domain import loan_columns

# Dates of the application under names the general rule misses (Bondora, Prosper, SBA exports).
_MORE_APPLICATION = re.compile(r"(?i)(^|[^a-z])(listing_?creation\w*|listed\w*|loan_?date|approval\w*|approved\w*|"
                               r"application\w*|creation)([^a-z]|$)")
# Which application-like date to count the others back from, best first: when the applicant asked
# (LoanApplicationStartedDate, ListingCreationDate, ApplicationDate), then when the loan was made (LoanDate,
# ListedOnUTC, ApprovalDate, origination, issue). A report or snapshot date says when the file was written.
_ANCHOR_TIERS = (
    re.compile(r"(?i)(^|[^a-z])(applic\w*|app|appl|applied|listing_?creation\w*|created|creation|submitted|"
               r"request\w*)([^a-z]|$)"),
    re.compile(r"(?i)(^|[^a-z])(loan_?date|listed\w*|approval\w*|approved\w*|orig|origination|originated|issue|"
               r"issued|decision|booking|booked)([^a-z]|$)"),
)
# Records made after the outcome under names the general rule misses: payments made so far (Bondora),
# Prosper's LP_* ledger, first defaulted cycle and the loan's state now (LoanCurrentDaysDelinquent), SBA's
# charge-off date and amount, a closing date, a loan's age.
_MORE_POST_OUTCOME = re.compile(r"(?i)(^lp_|(^|[^a-z])(principal_?payments_?made|interest_?and_?penalty\w*|"
                                r"payments_?made|chg_?off\w*|\w*defaulted_?cycle\w*|default_?date|closed_?date|"
                                r"loan_?months_?since_?origination|loan_?current_?\w+)([^a-z]|$))")


_YEAR_WORD = re.compile(r"(?i)(^|_)(fy|year|yr|jahr|vintage)($|_)")


def _snake(column: str) -> str:
    return re.sub(r"[\s.\-]+", "_", re.sub(r"([a-z])([A-Z])", r"\1_\2", str(column)).strip())


def is_application_date(column: str) -> bool:
    """'issue_d', 'LoanApplicationStartedDate', 'ListingCreationDate', 'ApprovalDate', 'LoanDate', 'ListedOnUTC'."""
    return loan_columns.is_application_date(column) or _MORE_APPLICATION.search(_snake(column)) is not None


def is_application_year(column: str) -> bool:
    """SBA's 'ApprovalFY', 'issue_year', 'vintage': the year the loan was asked for or made, a calendar date too."""
    return _YEAR_WORD.search(_snake(column)) is not None and is_application_date(column)


def anchor_rank(column: str) -> int:
    """0: when the applicant asked; 1: when the loan was made; 2: any other application-like date (a report)."""
    return next((rank for rank, tier in enumerate(_ANCHOR_TIERS) if tier.search(_snake(column))), len(_ANCHOR_TIERS))


def is_post_outcome(column: str) -> bool:
    """'total_pymnt', 'PrincipalPaymentsMade', 'LP_CustomerPayments', 'ChgOffDate', 'LoanFirstDefaultedCycleNumber',
    'ClosedDate', 'LoanMonthsSinceOrigination', 'LoanCurrentDaysDelinquent': known only once the loan has run (or
    failed)."""
    return loan_columns.is_post_outcome(column) or _MORE_POST_OUTCOME.search(_snake(column)) is not None


# Whole numbers that are codes, ids or years, written without thousands separators ("Zip of 5710", "Approval FY of
# 2006", the Vehicle Loan book's "Supplier ID of 24654").
_PLAIN_NUMBER = re.compile(
    r"(?i)(^|[^a-z])(zip|zip_?code|post_?code|postal\w*|fy|year|yr|naics|sic|\w*code|id)([^a-z]|$)")


def is_plain_number(column: str, value: object) -> bool:
    """A whole number in a column named like a code or a year: 5710, not 5,710."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        return False
    return float(value).is_integer() and _PLAIN_NUMBER.search(_snake(column)) is not None


# A share or a rate by its name (installment_rate_pct, InterestRate, dti_ratio, 'Rate %').
_SHARE_NAME = re.compile(r"(?i)(^|[^a-z])(pct|perc|percent\w*|rate|ratio)([^a-z]|$)|%")
SCALE_TOP = 5  # a "percent" of whole numbers from 0 or 1 up to at most this is a scale's codes


def is_code_scale(column: str, values: list[float]) -> bool:
    """A column named as a percent or rate whose values are only a few whole numbers, 0 or 1 up to at most 5 (German
    credit's installment_rate_pct holds 1-4, bands of the instalment's share of income): codes of a scale, which a
    reason must not read as "4 percent"."""
    whole = all(math.isfinite(v) and float(v).is_integer() for v in values)
    return (len(values) >= 2 and whole and min(values) >= 0 and max(values) <= SCALE_TOP
            and _SHARE_NAME.search(_snake(column)) is not None)


# The Taiwan card book's repayment statuses (UCI "default of credit card clients": PAY_0, PAY_2 … PAY_6). Its
# documentation names -1 "pay duly" and 1 … 9 the months of delay (9: nine months and above); -2 and 0 it leaves
# unnamed, so a reason shows them as codes without a meaning rather than guess one.
_REPAYMENT_STATUS = re.compile(r"(?i)^pay_?\d$")
REPAYMENT_CODES = (-2, 9)  # lowest and highest code of the book
MOST_CODES = 12  # distinct values a column of codes holds at most: the repayment statuses -2 … 9


def is_repayment_status(column: str, values: list[float]) -> bool:
    """PAY_0 … PAY_6 holding whole numbers within the book's codes, a negative one among them (which no amount or
    count of months has): a repayment status, whose codes "Repayment status 0 of 2" had read like a count."""
    whole = bool(values) and all(math.isfinite(v) and float(v).is_integer() for v in values)
    return (whole and REPAYMENT_CODES[0] <= min(values) < 0 and max(values) <= REPAYMENT_CODES[1]
            and _REPAYMENT_STATUS.match(_snake(column)) is not None)


def repayment_meaning(code: float) -> str | None:
    """What the book's documentation says a repayment status code means; None for -2 and 0, which it does not."""
    if code == -1:
        return "paid duly"
    if 1 <= code <= 8 and float(code).is_integer():
        return f"{int(code)} month{'s' if code > 1 else ''} late"
    return "9 months late or more" if code == 9 else None


# The columns of a scored file (besides the id): an input column of the same name (Lending Club's own `grade`) is
# not that output, which reasons and notes must say, or "Grade of B raised the risk" sits beside a grade of C.
SCORED_COLUMNS = ("pd", "grade", "decision", "reason_1", "reason_2", "reason_3", "expected_loss")


def is_scored_name(column: object) -> bool:
    """'grade', 'Grade ', 'PD': an input named like a column of the scored file (compared as a reader would)."""
    return str(column).strip().casefold() in SCORED_COLUMNS


# An input named like the outcome the model scores (bank marketing's 'default': has the client credit in default?):
# "Default of unknown raised the risk" read as the model's own default.
OUTCOME_NAMES = ("default", "defaulted", "bad")


def input_name(column: str, name: str) -> str:
    """A reason's name for an input column that shares its name with a scored column or with the outcome:
    "Lender's grade (input column 'grade')" where ``name`` is the plain one ('Grade'), else "<name> (input column
    '<column>')"."""
    if not is_scored_name(column) and str(column).strip().casefold() not in OUTCOME_NAMES:
        return name
    if loan_columns.is_lender_grade(column) and name.casefold() == str(column).strip().casefold():
        name = "Lender's grade"
    return f"{name} (input column {str(column)!r})"
