"""Credit decision rules as plain functions: cost cut-off, risk grades, expected loss, PSI, reasons.

Standard library only, so the rules a risk committee signs off on can be read (and tested)
without any model code. Probabilities of default (PD) come in as plain floats.
"""
from __future__ import annotations

import bisect
import datetime
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from domain import finance_columns
from domain.data_dictionary import Glossary

GRADES = ("A", "B", "C", "D", "E", "F", "G")
# Upper PD bounds of grades A..F; G is everything above the last bound.
DEFAULT_GRADE_BOUNDS = (0.02, 0.05, 0.10, 0.20, 0.35, 0.50)
DEFAULT_LGD = 0.45  # Basel foundation-IRB loss given default for senior unsecured exposures
PSI_BANDS = ((0.1, "stable"), (0.25, "watch"))  # above the last bound: "shifted"
MIN_PSI_ROWS = 50  # PSI compares shares of ten bands: on fewer rows those shares are mostly chance
TOO_FEW_ROWS = "too few rows"
APPROVE, DECLINE = "approve", "decline"

class DecisionRuleError(ValueError):
    """A rule's settings are inconsistent (negative costs, unsorted grade bands…)."""


@dataclass(frozen=True)
class CostMatrix:
    """Cost of approving an applicant who defaults vs declining one who would have repaid."""

    bad_approved: float = 5.0
    good_declined: float = 1.0

    def __post_init__(self) -> None:
        if self.bad_approved < 0 or self.good_declined < 0 or self.bad_approved + self.good_declined == 0:
            raise DecisionRuleError("Costs must be zero or positive, and not both zero.")

    @property
    def bayes_cutoff(self) -> float:
        """The PD above which declining is cheaper, if PDs were perfectly calibrated."""
        return self.good_declined / (self.bad_approved + self.good_declined)


@dataclass(frozen=True)
class CutoffChoice:
    cutoff: float
    cost_per_case: float
    approval_rate: float


def decide(pd_value: float, cutoff: float) -> str:
    """Decline when the PD is above the cut-off (so a cut-off of 1.0 approves everyone)."""
    return DECLINE if pd_value > cutoff else APPROVE


def cost_per_case(pds: Sequence[float], bad: Sequence[bool], cutoff: float, costs: CostMatrix) -> float:
    total = 0.0
    for value, is_bad in zip(pds, bad, strict=True):
        declined = value > cutoff
        if is_bad and not declined:
            total += costs.bad_approved
        elif declined and not is_bad:
            total += costs.good_declined
    return total / len(pds) if pds else 0.0


def best_cutoff(pds: Sequence[float], bad: Sequence[bool], costs: CostMatrix) -> CutoffChoice:
    """Exact search: sweep the sorted PDs once; candidates sit midway between distinct PDs.

    Midpoints (rather than the PDs themselves) keep a new applicant with a tied PD on the same side.
    """
    n = len(pds)
    if n == 0:
        raise DecisionRuleError("No predictions to choose a cut-off from.")
    pairs = sorted(zip(pds, bad), key=lambda item: item[0])
    total_bad = sum(1 for _, b in pairs if b)
    # Start at "approve everyone": every bad is approved.
    best = CutoffChoice(1.0, costs.bad_approved * total_bad / n, 1.0)
    declined_bad = declined_good = 0
    i = n
    while i > 0:  # decline from the riskiest down, one distinct PD at a time
        value = pairs[i - 1][0]
        while i > 0 and pairs[i - 1][0] == value:
            declined_bad += pairs[i - 1][1]
            declined_good += not pairs[i - 1][1]
            i -= 1
        if i == 0 and value <= 0:
            break  # a PD of 0 cannot be declined by "PD above the cut-off"
        cutoff = (pairs[i - 1][0] + value) / 2 if i > 0 else value / 2
        cost = (costs.bad_approved * (total_bad - declined_bad) + costs.good_declined * declined_good) / n
        if cost < best.cost_per_case - 1e-12:
            best = CutoffChoice(cutoff, cost, i / n)
    return best


def cost_curve(pds: Sequence[float], bad: Sequence[bool], costs: CostMatrix,
               points: int = 101) -> list[dict[str, float]]:
    """Cost per case and approval rate on a grid of cut-offs, for the cost-curve chart.

    One sort, then each cut-off is a binary search: counts of approved goods and bads up to it.
    """
    n = len(pds)
    pairs = sorted(zip(pds, bad), key=lambda item: item[0])
    values = [value for value, _ in pairs]
    bad_below = [0]  # bads among the first k applicants, PD ascending
    for _, is_bad in pairs:
        bad_below.append(bad_below[-1] + bool(is_bad))
    total_bad = bad_below[-1]
    rows = []
    for k in range(points):
        cutoff = k / (points - 1)
        approved = bisect.bisect_right(values, cutoff)  # PD at or below the cut-off is approved
        approved_bad = bad_below[approved]
        declined_good = (n - approved) - (total_bad - approved_bad)
        cost = (costs.bad_approved * approved_bad + costs.good_declined * declined_good) / n if n else 0.0
        rows.append({"cutoff": cutoff, "cost_per_case": cost, "approval_rate": approved / n if n else 0.0})
    return rows


def check_grade_bounds(bounds: Sequence[float]) -> tuple[float, ...]:
    values = tuple(float(b) for b in bounds)
    if len(values) != len(GRADES) - 1:
        raise DecisionRuleError(f"Give {len(GRADES) - 1} PD bounds for grades A–F (G is above the last); "
                                f"got {len(values)}.")
    if any(not 0 < b < 1 for b in values) or any(a >= b for a, b in zip(values, values[1:])):
        raise DecisionRuleError("Grade PD bounds must be strictly increasing and between 0 and 1.")
    return values


def grade(pd_value: float, bounds: Sequence[float] = DEFAULT_GRADE_BOUNDS) -> str:
    """A is the safest band: a PD below the first bound; G is at or above the last."""
    for letter, upper in zip(GRADES, bounds):
        if pd_value < upper:
            return letter
    return GRADES[-1]


def grade_bands(bounds: Sequence[float] = DEFAULT_GRADE_BOUNDS) -> list[dict[str, object]]:
    lows = (0.0, *bounds)
    highs = (*bounds, 1.0)
    return [{"grade": g, "pd_from": lo, "pd_to": hi} for g, lo, hi in zip(GRADES, lows, highs)]


def expected_loss(pd_value: float, exposure: float | None, lgd: float | None = None,
                  default_lgd: float = DEFAULT_LGD) -> float | None:
    """EL = PD × LGD × EAD; missing LGD falls back to the default, missing exposure gives no EL."""
    if exposure is None or _missing(exposure):
        return None
    loss_rate = default_lgd if lgd is None or _missing(lgd) else min(max(float(lgd), 0.0), 1.0)
    return float(pd_value) * loss_rate * float(exposure)


def population_stability(expected: Sequence[float], actual: Sequence[float], floor: float = 1e-4) -> float:
    """PSI between two binned distributions (counts or shares), each bin floored to avoid log(0)."""
    if len(expected) != len(actual) or not expected:
        raise DecisionRuleError("PSI needs the same, non-empty set of bins on both sides.")
    e_total, a_total = sum(expected) or 1.0, sum(actual) or 1.0
    psi = 0.0
    for e, a in zip(expected, actual):
        e_share, a_share = max(e / e_total, floor), max(a / a_total, floor)
        psi += (a_share - e_share) * math.log(a_share / e_share)
    return psi


def psi_band(value: float, rows: int | None = None) -> str:
    """stable / watch / shifted; "too few rows" when the batch has fewer than MIN_PSI_ROWS rows."""
    if rows is not None and rows < MIN_PSI_ROWS:
        return TOO_FEW_ROWS
    for upper, name in PSI_BANDS:
        if value < upper:
            return name
    return "shifted"


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
               "nvr": "never", "dlq": "delinquent"}
# Abbreviations read only as a pair ("rec" alone may be a record id).
SPELLED_OUT_PAIRS = {("pub", "rec"): ("public", "records"), ("mo", "sin"): ("months", "since"),
                     # the Taiwan card book (UCI): PAY_AMT1, LIMIT_BAL
                     ("pay", "amount"): ("payment", "amount"), ("limit", "balance"): ("credit", "limit"),
                     ("no", "employment"): ("number of", "employees")}  # the SBA book's NoEmp
# Words read so only before a month's number: the Taiwan book's PAY_0 … PAY_6 are repayment statuses.
SPELLED_OUT_NUMBERED = {"pay": "repayment status"}


@functools.lru_cache(maxsize=4096)  # a pure function of the name, asked once per reason: 45,000 times a batch
def humanise(column: str) -> str:
    """'credit_amount' → 'Credit amount', 'loanAmount' → 'Loan amount', 'dti' → 'DTI', 'int_rate' → 'Interest
    rate': reason codes are read by applicants, not engineers. Words already in capitals (an acronym the
    book spells) stay."""
    text = str(column).replace("_", " ").replace(".", " ")
    spaced = re.sub(r"([a-z])([A-Z])|(?<=[A-Za-z]{3})(?=\d)|(?<=\d)(?=[A-Za-z]{3})",
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
    return words[0][:1].upper() + words[0][1:] + "".join(" " + w for w in words[1:])


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


def reason_text(column: str, value: object, contribution: float, glossary: Glossary | None = None) -> str:
    """'Credit amount of 15,000 raised the risk' — always in the applicant's own column and value; with a data
    dictionary, in its name for the column and its meaning of a coded value ("… of 1 (no checking account)")."""
    effect = "raised" if contribution > 0 else "lowered"
    name = column_name(column, glossary)
    plain = finance_columns.is_plain_number(column, value)  # a zip code or a year: 5710, not 5,710
    shown = str(int(value)) if plain else format_value(value)  # type: ignore[arg-type]
    if shown == "missing":
        return f"{name} (not given) {effect} the risk"
    meaning = glossary.value(column, value) if glossary else None
    shown += f" ({meaning})" if meaning and meaning != shown else _days_before(column, value)
    if type(value).__name__ in ("bool", "bool_") and not meaning:  # "Is homeowner: no", not "Is homeowner of no"
        return f"{name}: {shown} {effect} the risk"
    return f"{name} of {shown} {effect} the risk"


def column_name(column: str, glossary: Glossary | None = None) -> str:
    """The data dictionary's name for a column, else the column's own name made readable; an input named like a
    column of the scored file (grade, pd, decision) says that it is the input ("Lender's grade (input column
    'grade')"), not the model's output of that name."""
    return finance_columns.input_name(column, (glossary.column(column) if glossary else None) or humanise(column))


def _days_before(column: str, value: object) -> str:
    """A negative day count (Home Credit's DAYS_BIRTH of -12,339, counted back from the application) is
    also said in years, which is how a reader thinks of an age or a job's length."""
    if not str(column).lower().startswith("days") or isinstance(value, bool) or not isinstance(value, (int, float)):
        return ""
    if not math.isfinite(value) or value > -30:
        return ""
    if value > -365:
        return f" ({-value / 30.44:.1f} months before the application)"
    return f" ({-value / 365.25:.1f} years before the application)"


BASELINE_REASON = "No single factor raised the risk: this loan book's typical risk is above the cut-off"
MAX_EMPTY_SHARE = 0.5  # an application with more of the model's fields empty is not scored on what is left


def too_empty(empty_share: float, usual_share: float = 0.0) -> bool:
    """Whether an application is too empty to score: every field empty, or more than half of them and more
    than the training rows had (``usual_share``: their 99th percentile), so a book whose fields are often
    empty keeps its ordinary applicants."""
    return empty_share >= 1.0 or empty_share > max(MAX_EMPTY_SHARE, usual_share)


def sparse_reason(empty: int, fields: int) -> str:
    """Why an application with most fields empty is declined: too little is known to approve it."""
    return (f"Not enough information to score: {empty} of {fields} fields are empty; declined until they are "
            "completed")


def top_reasons(contributions: Sequence[tuple[str, float, object]], k: int = 3, *,
                raising_only: bool = False, glossary: Glossary | None = None) -> list[str]:
    """Risk-raising reasons first, largest first; if fewer than k raise it, fill by largest |effect|
    (an approval may be explained by what lowered the risk), or leave blanks when ``raising_only``
    (a decline is explained only by what raised it, as adverse-action notices are)."""
    raising = sorted((c for c in contributions if c[1] > 0), key=lambda c: -c[1])
    chosen = raising[:k]
    if len(chosen) < k and not raising_only:
        used = {c[0] for c in chosen}
        rest = sorted((c for c in contributions if c[0] not in used), key=lambda c: -abs(c[1]))
        chosen += rest[: k - len(chosen)]
    texts = [reason_text(column, value, effect, glossary) for column, effect, value in chosen]
    if raising_only and not texts:  # declined at about the average risk: say so rather than nothing
        texts = [BASELINE_REASON]
    return texts + [""] * (k - len(texts))


def _missing(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)
