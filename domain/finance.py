"""Credit decision rules as plain functions: cost cut-off, risk grades, expected loss, PSI, empty applications.

Standard library only, so the rules a risk committee signs off on can be read (and tested)
without any model code. Probabilities of default (PD) come in as plain floats.
"""
from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass

GRADES = ("A", "B", "C", "D", "E", "F", "G")
# Upper PD bounds of grades A..F; G is everything above the last bound.
DEFAULT_GRADE_BOUNDS = (0.02, 0.05, 0.10, 0.20, 0.35, 0.50)
DEFAULT_LGD = 0.45  # Basel foundation-IRB loss given default for senior unsecured exposures
PSI_BANDS = ((0.1, "stable"), (0.25, "watch"))  # above the last bound: "shifted"
PSI_FLOOR = 1e-4  # an empty bin's share in PSI (log(0) otherwise)
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


def population_stability(expected: Sequence[float], actual: Sequence[float], floor: float = PSI_FLOOR) -> float:
    """PSI between two binned distributions (counts or shares), each bin floored to avoid log(0)."""
    if len(expected) != len(actual) or not expected:
        raise DecisionRuleError("PSI needs the same, non-empty set of bins on both sides.")
    e_total, a_total = sum(expected) or 1.0, sum(actual) or 1.0
    psi = 0.0
    for e, a in zip(expected, actual):
        e_share, a_share = max(e / e_total, floor), max(a / a_total, floor)
        psi += (a_share - e_share) * math.log(a_share / e_share)
    return psi


def psi_band(value: float, rows: int | None = None, noise: float = 0.0) -> str:
    """stable / watch / shifted; "too few rows" when the batch has fewer than MIN_PSI_ROWS rows; "stable" too when
    the PSI is within ``noise``, what the batch's size gives by chance (``ml.credit_eval.psi_chance``)."""
    if rows is not None and rows < MIN_PSI_ROWS:
        return TOO_FEW_ROWS
    if noise and value <= noise + 1e-9:  # at the level itself too: a discrete share (no row of a 4 % code) ties it
        return "stable"
    for upper, name in PSI_BANDS:
        if value < upper:
            return name
    return "shifted"


# The reasons in words (column names, values, "… raised the risk") are in domain.finance_text.
BASELINE_REASON = "No single factor raised the risk: this loan book's typical risk is above the cut-off"
MAX_EMPTY_SHARE = 0.5  # an application with more of the model's fields empty is not scored on what is left


def too_empty(empty_share: float, usual_share: float = 0.0) -> bool:
    """Whether an application is too empty to score: every field empty, or more than half of them and more
    than the training rows had (``usual_share``: their 99th percentile), so a book whose fields are often
    empty keeps its ordinary applicants."""
    return empty_share >= 1.0 or empty_share > max(MAX_EMPTY_SHARE, usual_share)


def sparse_reason(empty: int, fields: int, floor: float | None = None, declined: bool = True) -> str:
    """Why an application with most fields empty reads as it does: too little is known to score it, so its PD is at
    least ``floor``, the book's default rate (an unknown applicant is an average one), and it is decided at the
    cut-off like any other (declined whatever the cut-off, it had read PD 0.30, decline, under a cut-off of 0.48)."""
    said = f"Not enough information to score: {empty} of {fields} fields are empty"
    if floor is not None:
        said += f"; its PD is taken as at least the book's default rate ({floor:.1%})"
    return said + ("; complete them to score it" if not declined else "; declined until they are completed")


def _missing(value: object) -> bool:
    return isinstance(value, float) and math.isnan(value)
