"""Probabilities and cut-offs as the triage page, report and worklist CSV write them.

Three decimals hid the urgent cut-off (0.9997 read "p ≥ 1.000") and put 1.000 (urgent) beside 0.999 (review):
a reader could not tell which side of a cut-off a study was on. Here each cut-off and score gets the fewest
decimals, at least 3, that keep a cut-off apart from 1 and from the other cut-off, a score under 1 under 1,
and a score on the other side of a cut-off on that side when both are read as written.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

MIN_DECIMALS = 3
MAX_DECIMALS = 6
CSV_DECIMALS = 6  # the page's worklist CSV, as `triage score` writes p_abnormal


def _rounded(value: float, decimals: int) -> float:
    """Rounded to ``decimals``, but never up to 1 from below: 0.9999990 reads 0.999999, not 1.000000."""
    shown = round(float(value), decimals)
    return min(shown, 1 - 10 ** -decimals) if value < 1 else shown


def _fits(decimals: int, cutoffs: list[float], scores: list[float]) -> bool:
    shown = [round(c, decimals) for c in cutoffs]
    if any(c < 1 and s >= 1 for c, s in zip(cutoffs, shown)):
        return False
    if len(set(shown)) < len(set(cutoffs)):  # two different cut-offs read alike
        return False
    return all(_rounded(p, decimals) < s for p in scores for c, s in zip(cutoffs, shown) if p < c)


def decimals_for(cutoffs: Iterable[float], scores: Iterable[float | None] = ()) -> int:
    """Decimals for one table or sentence of cut-offs and scores: the fewest (3 to 6) at which every cut-off
    under 1 reads under 1, different cut-offs read differently, and no score under a cut-off reads at or above
    it (a score of 0.99965 beside an urgent cut-off of 0.9997 gets 5)."""
    cuts = [float(c) for c in cutoffs if c is not None and not math.isnan(float(c))]
    values = [float(p) for p in scores if p is not None and not math.isnan(float(p))]
    return next((d for d in range(MIN_DECIMALS, MAX_DECIMALS + 1) if _fits(d, cuts, values)), MAX_DECIMALS)


def probability(value: float | None, decimals: int = MIN_DECIMALS, *, missing: str = "not scored") -> str:
    """A probability with at least ``decimals`` decimals, more (up to 6) when fewer would round a value under 1
    up to 1: 0.9999990 reads 0.999999 where 0.8746 reads 0.875."""
    if value is None or math.isnan(float(value)):
        return missing
    value = float(value)
    places = next((d for d in range(decimals, MAX_DECIMALS + 1) if value >= 1 or round(value, d) < 1),
                  max(decimals, MAX_DECIMALS))
    return f"{_rounded(value, places):.{places}f}"


def csv_probability(value: float | None) -> str:
    """p_abnormal for the worklist CSV, as `triage score` writes it: 6 plain decimals (0.9999990463256836 →
    0.999999, never rounded up to 1; 7.2e-05 → 0.000072, as the page shows it), blank when not scored."""
    if value is None or math.isnan(float(value)):
        return ""
    return f"{_rounded(float(value), CSV_DECIMALS):.{CSV_DECIMALS}f}"


def cutoffs(threshold: float, urgent: float) -> tuple[str, str]:
    """The review and urgent cut-offs, each with its own decimals (3, more only to stay under 1): 'Threshold
    0.878123' had taken the 6 decimals the urgent cut-off 0.999999 needs. Shared decimals only where the two
    would otherwise read alike."""
    own = probability(threshold), probability(urgent)
    if own[0] != own[1] or threshold == urgent:
        return own
    places = decimals_for([threshold, urgent])
    return probability(threshold, places), probability(urgent, places)


def readable(value: float) -> str:
    """A score in a sentence: 3 significant digits, never an exponent (6.807e-05 → 0.0000681), and a score
    under 1 never read as 1 (0.9999990 → 0.999999)."""
    value = float(value)
    if 0 < abs(value) < 0.001:
        return np.format_float_positional(value, precision=3, unique=False, fractional=False, trim="-")
    return probability(value) if 0.5 <= value < 1 else f"{value:.3g}"


# The Grad-CAM overlay's colour scale (jet: blue → green → yellow → red), said under each heat map
HEAT_SCALE = "red = regions that raised the score most, blue = least"


def apart(*values: float) -> tuple[str, ...]:
    """Scores in one sentence, each ``readable``, with the decimals (up to 6) that keep different ones apart: the
    margin note had read "Operating cut-off 0.893: midway … the lowest validation score it must flag (0.893) and the
    highest normal score below that (0.893)" for 0.892985, 0.893165 and 0.892804."""
    shown = tuple(readable(v) for v in values)
    if len(set(shown)) == len({float(v) for v in values}):
        return shown
    places = decimals_for(values)
    return tuple(probability(v, places) for v in values)
