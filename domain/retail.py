"""Retail rules in plain Python: champion choice and inventory arithmetic.

These are the decisions a planner must be able to read and check by hand, so they live here,
free of pandas and model code; the services feed them numbers from the forecast distribution.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist

CHAMPION_METRIC = "wape"  # backtest WAPE (+ |balance| unless steady) wins; it weights errors by volume, as stock does
P10_P90_Z = NormalDist().inv_cdf(0.9)  # 1.2816: P10 and P90 sit this many σ either side of P50


class InventoryInputError(ValueError):
    """Inventory inputs that make no sense (negative lead time, service level outside (0, 1))."""


def pick_champion(scores: Mapping[str, float], metric: str = CHAMPION_METRIC) -> str:
    """Lowest score wins; ties go to the name listed first (the model before the baselines)."""
    finite = {name: value for name, value in scores.items() if value is not None and math.isfinite(value)}
    if not finite:
        raise ValueError(f"no model has a finite backtest {metric}")
    return min(finite, key=lambda name: (finite[name], list(scores).index(name)))


FALLBACK_METRIC = "smape"  # when every backtest actual is 0 (a seasonal item out of season) WAPE is undefined


# A model whose backtest forecasts miss total demand by more than this (%) is not champion while another
# model stays within it. With many zero periods (slow sellers) a forecast near 0 scores the lowest WAPE
# (the median of mostly-zero sales is 0) yet would leave the shelf empty.
MAX_CHAMPION_BIAS = 50.0


def _within_bias(row: Mapping[str, float]) -> bool:
    bias = row.get("bias")
    return bias is None or not math.isfinite(bias) or abs(bias) <= MAX_CHAMPION_BIAS


def set_aside_for_bias(table: Mapping[str, Mapping[str, float]]) -> list[str]:
    """Models left out of the champion choice because their bias is beyond ±MAX_CHAMPION_BIAS."""
    if not any(_within_bias(row) for row in table.values()):
        return []
    return [name for name, row in table.items() if not _within_bias(row)]


def eligible(table: Mapping[str, Mapping[str, float]]) -> dict[str, Mapping[str, float]]:
    """The table less the models set aside for their bias (``set_aside_for_bias``)."""
    aside = set(set_aside_for_bias(table))
    return {name: row for name, row in table.items() if name not in aside}


def selection_score(row: Mapping[str, float], metric: str = CHAMPION_METRIC) -> float | None:
    """WAPE + the balance beyond chance (|balance| − balance_noise, at least 0; the balance is the share of
    periods a model forecast above the actual less the share below, in points, weighted by volume), or the
    plain metric when it is not WAPE or the balance is unknown.

    The P50 is a median: with skewed demand it sits below the mean, so a total bias is expected of it, but
    it should still fall above and below the actuals about equally often. A model that runs high (or low)
    in most periods of every window carries that into the forecast. WAPE alone missed it: on monthly sales
    falling 2 % a month a seasonal naive ran high by 36 points (LightGBM: 24), won on WAPE by 2.6 points
    only because one of its three windows held December, and then missed the hold-out by 18 % where
    LightGBM missed by 12 %. Penalising miscalibration beside the error follows the rule for probabilistic
    forecasts: as sharp as possible, subject to calibration (Gneiting, Balabdaoui and Raftery, 2007)."""
    value, balance, noise = row.get(metric), row.get("balance"), row.get("balance_noise")
    if metric != CHAMPION_METRIC or value is None or balance is None or not math.isfinite(balance):
        return value
    chance = noise if noise is not None and math.isfinite(noise) else 0.0
    return value + max(abs(balance) - chance, 0.0)


def steady_leader(table: Mapping[str, Mapping[str, float]],
                  window_wape: Mapping[str, Sequence[float]] | None) -> str | None:
    """The model with the lowest backtest WAPE, when it also had the lowest WAPE in at least half of the windows
    (``window_wape``: each model's WAPE per window, in window order); else None.

    Its lead then is not one window's luck, and its balance is not held against it: WAPE already counts what a
    steady bias costs. A seasonal naive on monthly sales rising 1 % a month ran low in most periods (balance −52
    to −88, chance 21–24) yet had the lowest WAPE in two or three windows of three (8–15 against LightGBM's
    5–51); the balance rule set it aside for LightGBM, and on the hold-out against the expected demand the two
    were alike (10.2 / 11.9, 9.1 / 8.7 …). On daily data with a weekly pattern the balance rule gave a seasonal
    naive (hold-out 11.6) the pick over LightGBM (3.6), which had won all three windows. The falling-trend case
    the balance rule was made for is kept: there the seasonal naive won on WAPE through one window of three (the
    one holding December)."""
    finite = {m: row.get(CHAMPION_METRIC) for m, row in table.items()}
    finite = {m: v for m, v in finite.items() if v is not None and math.isfinite(v)}
    if not finite or not window_wape:
        return None
    best = pick_champion(finite)
    own = list(window_wape.get(best, ()))
    wins = 0
    for k, value in enumerate(own):
        others = [w[k] for m, w in window_wape.items() if m in finite and m != best and k < len(w)]
        wins += all(value <= other for other in others if other is not None and math.isfinite(other))
    return best if own and 2 * wins >= len(own) else None


def champion_from_table(table: Mapping[str, Mapping[str, float]],
                        window_wape: Mapping[str, Sequence[float]] | None = None) -> tuple[str, str]:
    """(champion, metric it was picked on): the ``steady_leader`` when there is one, else WAPE + |balance|
    (``selection_score``); sMAPE when no model has a finite WAPE; else the first model. Models whose bias is
    beyond ±MAX_CHAMPION_BIAS are left out while another model stays within it."""
    table = eligible(table)
    leader = steady_leader(table, window_wape)
    if leader is not None:
        return leader, CHAMPION_METRIC
    for metric in (CHAMPION_METRIC, FALLBACK_METRIC):
        scores = {name: selection_score(row, metric) for name, row in table.items()}
        if any(v is not None and math.isfinite(v) for v in scores.values()):
            return pick_champion(scores, metric), metric
    return next(iter(table)), "none"


# One period of each forecast frequency, in days: a lead time and a review period count periods of the run.
PERIOD_DAYS = {"D": 1.0, "W": 7.0, "M": 30.4, "Q": 91.3}
PERIOD_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter"}


def period_length(freq: str | None) -> str:
    """What one period of a run is, for a planner entering a lead time in periods: 'quarter (about 91 days)'."""
    if freq not in PERIOD_NAMES:
        return "period"
    days = PERIOD_DAYS[freq]
    return PERIOD_NAMES[freq] + ("" if days == 1 else f" (about {days:.0f} days)")


@dataclass(frozen=True)
class ReorderAdvice:
    lead_time_demand: float
    safety_stock: float  # the order-up-to level's buffer over lead time + review period
    reorder_point: float
    order_up_to: float
    order_quantity: float


def sigma_from_halves(p10: float, p50: float, p90: float) -> float:
    """One step's σ for safety stock, from the upper half of its band: P90 − P50 is 1.2816 σ of a normal.

    A stock-out is demand above the plan, so the reorder point is an upper quantile of demand (service level
    ≥ 0.5) and only the band above P50 sizes it. The lower half says how far demand may fall short, which costs
    overstock, not stock-outs: a band of P10 = 210, P50 = 249, P90 = 259 (a forecast that ran high in the
    backtest) has 39 below and 10 above, and reading σ from the 39 tripled the safety stock. A band cut at 0
    below (a slow seller) is still read whole above."""
    return max(p90 - p50, 0.0) / P10_P90_Z


def reorder_advice(p50: Sequence[float], p10: Sequence[float], p90: Sequence[float], *, lead_time_steps: int,
                   review_period_steps: int = 0, service_level: float = 0.95, on_hand: float | None = None,
                   variance_ratio: Sequence[float] | None = None, whole_units: bool = True,
                   mean: Sequence[float] | None = None, sigma_floor: float = 0.0) -> ReorderAdvice:
    """Order-up-to level = Σ mean over the protection interval L + R + safety stock, z(service level) × √(r_(L+R)
    × Σ σ²) over it; reorder point = Σ mean over the lead time + z × √(r_L × Σ σ²) over the lead time.

    A periodic-review order-up-to policy orders at a review and its order arrives L later, so the stock must
    last until the next order arrives, L + R: the safety stock covers that interval (it had shown the lead time's
    buffer alone, the same 11.89 for a review period of 0, 1 or 7 days on the store-item sample). The reorder point, a
    continuous-review notion (order when the stock falls to it), covers the lead time only, with its own buffer:
    so it is lead-time demand plus a safety stock for L alone, the same figure when R is 0.

    Lead-time demand is the sum of each step's mean demand (``mean``; P50 without it). A sum of medians
    understates it where demand is skewed: a series selling 0.89 a day, no sale on 40 % of days, had a daily
    P50 of 0.66, and 7 of them summed to 74 % of the expected week.

    σ of a step is read from the upper half of its band (``sigma_from_halves``), at least ``sigma_floor`` (a slow
    seller forecast at its mean: its own spread of demand per period, which its band's P90 − P50 does not show
    when it sells in fewer than one period in ten), and
    r_L (``variance_ratio[L - 1]``, measured on the backtest) says how much more the error of an L-step sum
    varies than L independent steps would: errors that persist from day to day (a level the model got wrong)
    do not cancel out. Without it steps count as independent (r_L = 1). The order covers lead time plus
    review period (order-up-to level) minus stock on hand; without on-hand stock the full level is suggested.
    With ``whole_units`` the order is rounded up to whole units (854.02 → 855): a supplier ships whole items,
    and rounding down would fall short of the service level. Without, goods sold by weight or volume
    (``sold_in_whole_units`` false), it is rounded up to hundredths (12.341 kg → 12.35).
    """
    if not 0.5 <= service_level < 1.0:
        raise InventoryInputError(f"Service level must be between 0.5 and 1 (got {service_level}).")
    if lead_time_steps < 1 or review_period_steps < 0:
        raise InventoryInputError("Lead time must be at least one period and the review period not negative.")
    if not len(p50) == len(p10) == len(p90) == len(p50 if mean is None else mean):
        raise InventoryInputError("P10, P50, P90 and the mean must have the same length.")
    covered = lead_time_steps + review_period_steps
    if covered > len(p50):
        raise InventoryInputError(f"Lead time + review period ({covered} periods) is longer than the forecast "
                                  f"({len(p50)} periods); forecast further ahead.")
    z = NormalDist().inv_cdf(service_level)
    sigmas = [max(sigma_from_halves(lo, mid, hi), sigma_floor) for lo, mid, hi in zip(p10, p50, p90)]

    def ratio(steps: int) -> float:
        known = variance_ratio[min(steps, len(variance_ratio)) - 1] if variance_ratio else 1.0
        return min(max(float(known), 1.0), float(steps))

    centre = p50 if mean is None else mean
    lead_demand, covered_demand = float(sum(centre[:lead_time_steps])), float(sum(centre[:covered]))
    reorder_point = lead_demand + z * math.sqrt(ratio(lead_time_steps) * sum(s * s for s in sigmas[:lead_time_steps]))
    safety = z * math.sqrt(ratio(covered) * sum(s * s for s in sigmas[:covered]))
    # Never below the reorder point: r measured for L + R can come out under r_L, and a review period of closed days
    # adds no demand (an Online Retail-like plan had order-up-to 316.31 under its reorder point 316.32).
    level = max(covered_demand + safety, reorder_point)
    order = max(level - (on_hand or 0.0), 0.0) if on_hand is None or math.isfinite(on_hand) else level
    step = 1.0 if whole_units else 100.0  # float dust (12.000000001) is not a 13th unit
    order = math.ceil(round(order * step, 6)) / step
    return ReorderAdvice(lead_demand, level - covered_demand, reorder_point, level, order)


WHOLE_SHARE = 0.99  # of a series' sales figures: a stray half unit (a return, a correction) leaves it whole


def sold_in_whole_units(sales: Sequence[float]) -> bool:
    """Whether a series sells whole items: nearly all its (finite) sales figures are whole numbers. A series
    sold by weight (2.35 kg) or volume is not, and its orders are not rounded up to whole units."""
    known = [float(v) for v in sales if v is not None and math.isfinite(float(v))]
    whole = sum(abs(v - round(v)) < 1e-6 for v in known)
    return not known or whole >= WHOLE_SHARE * len(known)
