"""Maintenance desk: the service schedule that saves the most within capacity, solved as an assignment.

Taking the most urgent unit first and giving it the earliest slot that pays is not the cheapest plan: a unit
sure to fail within the first period, or one whose saving hardly falls with delay, can hold a slot that another
unit needed sooner (seven units, one slot a day for four days: 153,265 expected against 146,301). Each unit gets
at most one slot, each period ``capacity`` slots: an assignment problem, solved exactly.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from domain import maintenance as rules

MAX_CELLS = 4_000_000  # a larger problem (thousands of candidates and slots) falls back to the greedy order
SWAP_CHECK = 400  # the most urgent first among equal plans, checked pairwise up to this many served units


def best_slots(savings: list[list[float]], capacity: int) -> dict[int, int]:
    """The period (0-based) of each served unit index, maximising the total saving; units listed most urgent
    first, which take the earlier slot where two plans save the same."""
    if not savings:
        return {}
    gain = np.asarray(savings, dtype=float)
    slots = capacity * gain.shape[1]
    # A unit in the best plan is among the ``slots`` largest savings of its period: otherwise an unserved unit above
    # it there would take its place and save more. The others are left out of the assignment.
    keep = np.zeros(len(gain), dtype=bool)
    for k in range(gain.shape[1]):
        keep[np.argsort(-gain[:, k], kind="stable")[:slots]] = True
    candidates = np.flatnonzero(keep & (gain.max(axis=1) > 0))
    if not len(candidates):
        return {}
    if len(candidates) * (slots + len(candidates)) > MAX_CELLS:
        return rules.greedy_slots(savings, capacity)
    cost = np.zeros((len(candidates), slots + len(candidates)))  # then one 'no slot' column per unit, saving 0
    cost[:, :slots] = -np.repeat(gain[candidates], capacity, axis=1)
    rows, cols = linear_sum_assignment(cost)
    chosen = {int(candidates[r]): int(c // capacity) for r, c in zip(rows, cols)
              if c < slots and gain[candidates[r], c // capacity] > 0}
    return _urgent_first(chosen, gain)


def _urgent_first(chosen: dict[int, int], gain: np.ndarray) -> dict[int, int]:
    """Swap the periods of two served units where the more urgent (lower index) has the later one and the swap
    saves as much: the solver breaks ties at random-looking places."""
    if len(chosen) > SWAP_CHECK:
        return chosen
    served = sorted(chosen)
    tolerance = 1e-9 * max(1.0, float(np.abs(gain).max()))
    for a, i in enumerate(served):
        for j in served[a + 1:]:
            pi, pj = chosen[i], chosen[j]
            if pi > pj and gain[i, pj] + gain[j, pi] >= gain[i, pi] + gain[j, pj] - tolerance \
                    and gain[i, pj] > 0 and gain[j, pi] > 0:
                chosen[i], chosen[j] = pj, pi
    return chosen
