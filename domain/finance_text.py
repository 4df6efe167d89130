"""Reason codes in words: column names made readable, values formatted, "… raised the risk".

Standard library only. Split from ``domain.finance`` (the decision rules) so each stays short; the text an
applicant reads is its own concern.
"""
from __future__ import annotations

import datetime
import functools
import math
import numbers
import re
from collections.abc import Mapping, Sequence

from domain import finance_columns
from domain.data_dictionary import Glossary
from domain.finance import BASELINE_REASON

# Abbreviations common in loan books, written in capitals in reasons ("DTI of 35", not "Dti of 35").
ACRONYMS = frozenset({"apr", "cltv", "dob", "dti", "ead", "emi", "fico", "id", "lgd", "ltv", "pd", "pti", "ssn",
                      "ytd", "mtd", "usd", "eur", "gbp", "gdp", "bvn", "cibil", "ccj", "ir", "bki", "naics"})
# Abbreviated words of loan-book exports, spelled out in reasons ("Loan amnt" → "Loan amount").
SPELLED_OUT = {"amnt": "amount", "amt": "amount", "inc": "income", "int": "interest", "bal": "balance",
               "cr": "credit", "util": "utilisation", "revol": "revolving", "mths": "months", "yrs": "years",
               "delinq": "delinquency", "emp": "employment", "num": "number", "pct": "percent", "prncp": "principal",
               "pymnt": "payment", "acc": "accounts", "inq": "inquiries", "dpd": "days past due",
               # the home-equity book (HMEQ) writes its fields as run-together abbreviations
               "debtinc": "debt-to-income", "clage": "oldest credit line age", "clno": "credit lines",
               "ninq": "recent inquiries", "derog": "derogatory reports", "yoj": "years on job",
               "mortdue": "mortgage due", "addr": "address", "cnt": "count",
               # bureau and Lending Club exports: cb_person_cred_hist_length, tot_cur_bal, bc_util, mort_acc …
               "cred": "credit", "hist": "history", "cb": "credit bureau", "ext": "external", "tot": "total",
               "avg": "average", "cur": "current", "lim": "limit", "bc": "bankcard", "il": "instalment",
               "rev": "revolving", "tl": "trade lines", "mort": "mortgage", "acct": "account", "rcnt": "recent",
               "nvr": "never", "dlq": "delinquent", "fam": "family",  # Home Credit's CNT_FAM_MEMBERS
               "medi": "median"}  # Home Credit's building columns: APARTMENTS_AVG, _MODE and _MEDI
# Abbreviations read only as a pair ("rec" alone may be a record id).
SPELLED_OUT_PAIRS = {("pub", "rec"): ("public", "records"), ("mo", "sin"): ("months", "since"),
                     # the Taiwan card book (UCI): PAY_AMT1, LIMIT_BAL
                     ("pay", "amount"): ("payment", "amount"), ("limit", "balance"): ("credit", "limit"),
                     ("no", "employment"): ("number of", "employees"),  # the SBA book's NoEmp
                     ("no", "of"): ("number", "of")}  # Bondora's NoOfPreviousLoansBeforeLoan
# Words read so only before a month's number: the Taiwan book's PAY_0 … PAY_6 are repayment statuses.
SPELLED_OUT_NUMBERED = {"pay": "repayment status"}
# ... and amounts numbered by month: its BILL_AMT1 … 6 and PAY_AMT1 … 6 read "Bill amount (month 1)", not
# "Bill amount 1" (month 1 is the latest, as the book's documentation numbers them).
MONTHLY_AMOUNTS = frozenset({("bill", "amount"), ("payment", "amount")})


@functools.lru_cache(maxsize=4096)  # a pure function of the name, asked once per reason: 45,000 times a batch
def humanise(column: str) -> str:
    """'credit_amount' → 'Credit amount', 'loanAmount' → 'Loan amount', 'dti' → 'DTI', 'int_rate' → 'Interest
    rate': reason codes are read by applicants, not engineers. Words already in capitals (an acronym the
    book spells) stay."""
    text = str(column).replace("_", " ").replace(".", " ")
    # An acronym run before a capitalised word splits too: Thera Bank's 'CCAvg' → 'CC average', not 'Ccavg'.
    spaced = re.sub(r"([a-z])([A-Z])|(?<=[A-Z]{2})(?=[A-Z][a-z])|(?<=[A-Za-z]{3})(?=\d)|(?<=\d)(?=[A-Za-z]{3})",
                    lambda m: f"{m.group(1)} {m.group(2)}" if m.group(1) else " ", text)
    shouting = text.upper() == text  # DAYS_BIRTH: capitals say nothing about which words are acronyms
    words = [w.upper() if w.lower() in ACRONYMS else SPELLED_OUT.get(w.lower(), w if w.isupper() and len(w) > 1
             and not shouting else w.lower()) for w in spaced.split()]
    for i in range(len(words) - 1):
        words[i:i + 2] = SPELLED_OUT_PAIRS.get((words[i].lower(), words[i + 1].lower()), words[i:i + 2])
        if words[i + 1].isdigit():
            words[i] = SPELLED_OUT_NUMBERED.get(words[i].lower(), words[i])
    if not words:
        return str(column)
    if len(words) > 2 and words[-1].isdigit() and (words[-3].lower(), words[-2].lower()) in MONTHLY_AMOUNTS:
        words[-1] = f"(month {words[-1]})"
    if len(words) > 1 and words[0].lower() == "number" and words[1].lower() != "of" and not words[1].isdigit():
        words.insert(1, "of")  # num_dependents: "Number of dependents", as NoEmp reads "Number of employees"
    words = _window(words)
    return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])


# Words before a trailing "<n> <units>" that already say it is a window ("within 12 months", "since 2 years").
_WINDOW_WORDS = frozenset({"in", "within", "over", "since", "next", "per", "of", "for", "during"})
# A count over a window reads in the plural: Lending Club's delinq_2yrs is "Delinquencies in the last 2 years".
COUNTED = {"delinquency": "delinquencies"}


def _window(words: list[str]) -> list[str]:
    """A name ending in a window, "<n> <units>" or "<n>m" (Lending Club's delinq_2yrs, inq_last_6mths, open_acc_6m),
    says it is one: "Delinquencies in the last 2 years", "Inquiries in the last 6 months"; "Delinquency 2 years of
    1" had read like a duration."""
    if len(words) > 1 and re.fullmatch(r"\d+m", words[-1]):  # open_il_12m: 12 months
        words = [*words[:-1], words[-1][:-1], "months"]
    if len(words) < 3 or not words[-2].isdigit() or words[-1].lower() not in ("days", "weeks", "months", "years"):
        return words
    before = words[-3].lower()
    if before in ("last", "past"):  # inq_last_6mths: "Inquiries in the last 6 months"
        return [*words[:-3], "in", "the", *words[-3:]]
    if before in _WINDOW_WORDS:
        return words
    stem = [COUNTED.get(words[0].lower(), words[0]), *words[1:-2]] if len(words) == 3 else words[:-2]
    return [*stem, "in", "the", "last", *words[-2:]]


def format_value(value: object) -> str:
    if value is None or _missing(value):
        return "missing"
    if type(value).__name__ in ("bool", "bool_"):  # numpy's bool too
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if abs(value) >= 1e15:  # beyond exact integers: 1e+20, not 100,000,000,000,000,008,388,608
            return f"{value:.3g}"
        if value.is_integer():
            return f"{int(value):,}"
        if abs(value) < 1:  # ratios: three significant digits (-0.00451, not -0)
            return f"{value:.3g}"
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d" if value.time() == datetime.time() else "%Y-%m-%d %H:%M")
    return str(value)


def code_text(value: object) -> str:
    """A number standing for a code, written as one: 365243 (Home Credit's days employed), not 365,243."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() \
            and abs(value) < 1e15:
        return str(int(value))
    return format_value(value)


def plain_code(value: object) -> bool:
    """A whole number (a code's value), not a flag or text."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value) \
        and float(value).is_integer()


def reason_text(column: str, value: object, contribution: float, glossary: Glossary | None = None,
                scale: Sequence[float] | None = None) -> str:
    """'Credit amount of 15,000 raised the risk' — always in the applicant's own column and value; with a data
    dictionary, in its name for the column and its meaning of a coded value ("… of 1 (no checking account)").
    ``scale``: the lowest and highest code of a column named as a percent that holds a scale's codes
    ("Installment rate percent of 4 (a code from 1 to 4)", not a 4 %), or of a repayment status ("Repayment status
    0: code 2 (2 months late)", where "Repayment status 0 of 2" had read like a count)."""
    effect = "raised" if contribution > 0 else "lowered"
    name = column_name(column, glossary)
    plain = finance_columns.is_plain_number(column, value)  # a zip code or a year: 5710, not 5,710
    shown = str(int(value)) if plain else format_value(value)  # type: ignore[arg-type]
    unit = _unit(name)
    if shown == "missing":  # "Loan term in months (not given)"
        return f"{f'{unit[0]} in {unit[1][2]}' if unit else name} (not given) {effect} the risk"
    meaning = glossary.value(column, value) if glossary else None
    if scale and not meaning and finance_columns.is_repayment_status(column, list(scale)) and plain_code(value):
        said = finance_columns.repayment_meaning(float(value))  # type: ignore[arg-type]
        return f"{name}: code {code_text(value)}{f' ({said})' if said else ''} {effect} the risk"
    if unit and isinstance(value, numbers.Real) and not isinstance(value, bool):  # "Duration of 60 months"
        name, shown = unit[0], f"{shown} {unit[1][float(value) != 1]}"
    days = unit is not None and unit[1][0] in ("day", "Tag")
    shown += f" ({meaning})" if meaning and meaning != shown else _days_before(column, value, days)
    if scale and not meaning and isinstance(value, numbers.Real) and not isinstance(value, bool):
        shown = f"{code_text(value)} (a code from {code_text(scale[0])} to {code_text(scale[-1])})"
    if type(value).__name__ in ("bool", "bool_") and not meaning:  # "Is homeowner: no", not "Is homeowner of no"
        return f"{name}: {shown} {effect} the risk"
    if not meaning and _is_flag(name, value):  # FLAG_PHONE of 0: "Flag phone: no", as a yes/no column reads
        return f"{name}: {'yes' if value else 'no'} {effect} the risk"
    return f"{named_value(name, shown)} {effect} the risk"


def named_value(name: str, shown: str) -> str:
    """"Credit amount of 15,000"; a numbered name with a colon: "Feature 3: 12", "Bill amount (month 1): 20,000",
    "Delinquencies in the last 2 years: 1" ("Feature 3 of 12", "... 2 years of 1" read like a count)."""
    return f"{name}: {shown}" if _numbered(name) else f"{name} of {shown}"


def _numbered(name: str) -> bool:
    """A name ending in a number, alone or in brackets (one of a numbered run of columns: x1, PAY_AMT1), or in a
    window of a number of units ("Inquiries in the last 6 months")."""
    return re.search(r"\d\)?$|\d (days|weeks|months|years)$", name) is not None


# Unit words a column's name may end in (German credit's duration_months, age_years; a German book's
# Laufzeit_Monate, Alter_Jahre), each as (one, many, many after "in"). Not percent: German credit's
# installment_rate_pct holds codes 1-4, not 4 %.
UNITS = {"day": ("day", "days", "days"), "week": ("week", "weeks", "weeks"), "month": ("month", "months", "months"),
         "year": ("year", "years", "years"), "hour": ("hour", "hours", "hours"),
         "minute": ("minute", "minutes", "minutes"), "tag": ("Tag", "Tage", "Tagen"),
         "woche": ("Woche", "Wochen", "Wochen"), "monat": ("Monat", "Monate", "Monaten"),
         "jahr": ("Jahr", "Jahre", "Jahren"), "stunde": ("Stunde", "Stunden", "Stunden")}
# Each unit word as a name writes it: its singular's key, and whether it is a plural.
_UNIT_WORDS = {**{k: (k, False) for k in UNITS}, **{f.lower(): (k, True) for k, u in UNITS.items() for f in u[1:]}}
_UNIT_NAME = re.compile(r"(?i)(.*?\S)\s+(in\s+|\(\s*(?:in\s+)?)?("
                        + "|".join(sorted(_UNIT_WORDS, key=len, reverse=True)) + r")(\s*\))?")
# ... not after these words: "Number of years", "Inquiries last 6 months" name a count or a window, not a unit.
_NOT_BEFORE_UNIT = frozenset({"of", "number", "no", "count", "total", "per", "last", "past", "next", "since",
                              "and", "or"})
# ... nor after a number written in words: the Vehicle Loan book's NEW.ACCTS.IN.LAST.SIX.MONTHS is a window ("New
# accts in last six months of 2"), not six of 2 months.
_NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                           "twelve", "fifteen", "eighteen", "twenty", "thirty", "sixty", "ninety"})


@functools.lru_cache(maxsize=4096)  # a pure function of the name, asked once per reason
def _unit(name: str) -> tuple[str, tuple[str, str, str]] | None:
    """(the name without its unit, the unit's (one, many, many after "in")) for a column named "<what> <units>",
    "<what> in <unit>" or "<what> (<unit>)": 'Duration months' → ('Duration', ('month', 'months', 'months')). A
    singular unit alone ("Approval year", "Birth year") names a date part, not a unit; "Inquiries last 6 months" and
    "Number of years" a window and a count."""
    match = _UNIT_NAME.fullmatch(name)
    if match is None or bool(match.group(2) and "(" in match.group(2)) != bool(match.group(4)):
        return None
    stem, (key, plural) = match.group(1), _UNIT_WORDS[match.group(3).lower()]
    if not plural and not match.group(2):
        return None
    last = stem.split()[-1].lower()
    if last in _NOT_BEFORE_UNIT or last in _NUMBER_WORDS or any(ch.isdigit() for ch in last):
        return None
    return stem, UNITS[key]


def _is_flag(name: str, value: object) -> bool:
    """A 0/1 number in a column named as a flag (Home Credit's FLAG_PHONE, FLAG_DOCUMENT_3, a 'default_flag')."""
    words = name.lower().split()
    return (isinstance(value, numbers.Real) and not isinstance(value, bool) and value in (0, 1) and bool(words)
            and "flag" in (words[0], words[-1]) and words[-1] not in ("count", "number", "total", "sum"))


def column_name(column: str, glossary: Glossary | None = None) -> str:
    """The data dictionary's name for a column, else the column's own name made readable; an input named like a
    column of the scored file (grade, pd, decision) says that it is the input ("Lender's grade (input column
    'grade')"), not the model's output of that name."""
    return finance_columns.input_name(column, (glossary.column(column) if glossary else None) or humanise(column))


def _days_before(column: str, value: object, days: bool = False) -> str:
    """A negative day count (Home Credit's DAYS_BIRTH of -12,339, counted back from the application; ``days``: a
    name ending in days, EMPLOYED_DAYS) is also said in years, which is how a reader thinks of an age or a job's
    length."""
    named = days or str(column).lower().startswith("days")
    if not named or isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    if not math.isfinite(value) or value > -30:
        return ""
    if value > -365:
        return f" ({-value / 30.44:.1f} months before the application)"
    return f" ({-value / 365.25:.1f} years before the application)"


def top_reasons(contributions: Sequence[tuple[str, float, object]], k: int = 3, *, raising_only: bool = False,
                glossary: Glossary | None = None, scales: Mapping[str, Sequence[float]] | None = None) -> list[str]:
    """Risk-raising reasons first, largest first; if fewer than k raise it, fill by largest |effect|
    (an approval may be explained by what lowered the risk), or leave blanks when ``raising_only``
    (a decline is explained only by what raised it, as adverse-action notices are)."""
    raising = sorted((c for c in contributions if c[1] > 0), key=lambda c: -c[1])
    chosen = raising[:k]
    if len(chosen) < k and not raising_only:
        used = {c[0] for c in chosen}
        rest = sorted((c for c in contributions if c[0] not in used), key=lambda c: -abs(c[1]))
        chosen += rest[: k - len(chosen)]
    scales = scales or {}
    texts = [reason_text(column, value, effect, glossary, scales.get(column)) for column, effect, value in chosen]
    if raising_only and not texts:  # declined at about the average risk: say so rather than nothing
        texts = [BASELINE_REASON]
    return texts + [""] * (k - len(texts))


def _missing(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)
