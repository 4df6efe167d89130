"""The purchase plan of a forecast run: per series the reorder point, the order-up-to level and the order
(domain.retail rules), for the page's Inventory tab and `cli.py retail reorder`."""
from __future__ import annotations

from collections.abc import Collection, Mapping

import pandas as pd

from domain import retail as rules
from ml.forecast_backtest import MEAN
from ml.numbers import to_numeric
from services.errors import UserFacingError
from services.results import RunInfo
from services.retail_adjust import SLOW_MEAN
from services.retail_views import PLAN_DECIMALS, forecast_frame, history_frame, series_label
from services.runtime import Runtime


YEAR_DAYS = 364  # a slow seller's spread is read over its last year, as its mean is
# The page's words for the plan's figures, in its table and its downloads; `retail reorder` keeps the column names.
PLAN_HEADERS = {"on_hand": "on hand", "lead_time_demand": "lead time demand", "safety_stock": "safety stock",
                "reorder_point": "reorder point", "order_up_to": "order-up-to level",
                "order_quantity": "order quantity"}


def stock_notes(plan: pd.DataFrame, on_hand_column: str | None) -> list[str]:
    """What the orders assume about stock on hand: without a stock column, or with blanks in it, stock is taken as
    0 and the order is the full order-up-to level (it was assumed silently)."""
    if not on_hand_column:
        return ["No on-hand column: stock is taken as 0; the order quantity is the full order-up-to level."]
    blank = int(plan["on_hand"].isna().sum()) if "on_hand" in plan.columns else 0
    if not blank:
        return []
    return [f"{blank} series have no latest value in '{on_hand_column}': their stock is taken as 0 and their "
            "order quantity is the full order-up-to level."]


def fractional_series(history: pd.DataFrame, keys: list[str]) -> set[str]:
    """Labels of the series not sold in whole units (by weight or volume: 2.35 kg) in the run's history."""
    return {series_label(dict(zip(keys, values if isinstance(values, tuple) else (values,))), keys)
            for values, group in history.groupby(keys, sort=False)
            if not rules.sold_in_whole_units(group["y"].tolist())}


def purchase_plan(forecast: pd.DataFrame, keys: list[str], *, lead_time: int, review_period: int = 0,
                  service_level: float = 0.95, on_hand: pd.DataFrame | None = None,
                  variance_ratio: list[float] | None = None, fractional: Collection[str] = (),
                  spread: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Per series: lead-time demand, safety stock, reorder point and order quantity, rounded up to whole units
    (to hundredths for the ``fractional`` series, sold by weight); ``variance_ratio`` is the run's
    ``lead_variance_ratio`` (how errors add up over a lead time). Lead-time demand sums the forecast's
    means (its MEAN column; P50 where there is none: runs stored before it). ``spread`` (``slow_spread``) is the
    least σ per period of the series forecast at their mean."""
    stock = {}
    if on_hand is not None and len(on_hand):
        stock = {series_label(r, keys): float(r["on_hand"]) for r in on_hand.to_dict("records")}
    rows, whole = [], []
    for values, group in forecast.sort_values("date").groupby(keys, sort=True):
        named = dict(zip(keys, values if isinstance(values, tuple) else (values,)))
        label = series_label(named, keys)
        mean = group[MEAN].fillna(group["p50"]).tolist() if MEAN in group.columns else None
        try:
            advice = rules.reorder_advice(group["p50"].tolist(), group["p10"].tolist(), group["p90"].tolist(),
                                          mean=mean, lead_time_steps=lead_time, review_period_steps=review_period,
                                          service_level=service_level, on_hand=stock.get(label),
                                          variance_ratio=variance_ratio, whole_units=label not in fractional,
                                          sigma_floor=(spread or {}).get(label, 0.0))
        except rules.InventoryInputError as exc:
            raise UserFacingError(str(exc)) from exc
        whole.append(label not in fractional)
        rows.append({**named, "on_hand": stock.get(label), "lead_time_demand": round(advice.lead_time_demand, 2),
                     "safety_stock": round(advice.safety_stock, 2), "reorder_point": round(advice.reorder_point, 2),
                     "order_up_to": round(advice.order_up_to, 2), "order_quantity": advice.order_quantity})
    plan = pd.DataFrame(rows)
    if len(plan):
        plan["order_quantity"] = _order_column(plan["order_quantity"].tolist(), whole)
        for name in ("on_hand", *FIGURES):  # one rule: the CSV had 118.0 beside 22.14
            plan[name] = _as_written(plan[name])
    return plan


FIGURES = ("lead_time_demand", "safety_stock", "reorder_point", "order_up_to")  # to hundredths


def _as_written(values: pd.Series) -> pd.Series:
    """A whole value is written whole (319, not 319.0; lead time demand 118, not 118.0, beside a safety stock of
    22.14), a blank stays blank, the rest as they are (to hundredths): stock counted in whole units, a stock
    column mixing counts and weights (bread 40 beside apples_kg 40.5) and the plan's figures, as the orders are."""
    counts = to_numeric(values, errors="coerce")
    known = counts.dropna()
    whole = known == known.round()
    if len(known) and whole.all():
        return counts.astype("Int64")
    if not whole.any():
        return values
    return pd.Series([None if pd.isna(v) else int(v) if v == round(v) else float(v) for v in counts],
                     index=values.index, dtype=object)


def _order_column(orders: list[float], whole: list[bool]) -> pd.Series:
    """Whole-unit orders as integers (855, not 855.0), also beside a series sold by weight (106.41): then the
    column holds both kinds, so a CSV writes each as it is."""
    if all(whole):
        return pd.Series(orders, dtype="int64")
    if not any(whole):
        return pd.Series(orders, dtype="float64")
    return pd.Series([int(q) if w else float(q) for q, w in zip(orders, whole)], dtype=object)


def run_purchase_plan(runtime: Runtime, run: RunInfo, *, lead_time: int, review_period: int = 0,
                      service_level: float = 0.95, on_hand: pd.DataFrame | None = None) -> pd.DataFrame:
    """``purchase_plan`` of a stored run: its forecast, its error ratios, and its history telling which
    series sell by weight."""
    keys = list(run.parameters["keys"])
    forecast = forecast_frame(runtime, run.id, extra=(MEAN, "model"), decimals=PLAN_DECIMALS)  # not to the hundredth
    history = history_frame(runtime, run)
    return purchase_plan(forecast, keys, lead_time=lead_time, review_period=review_period,
                         service_level=service_level, on_hand=on_hand,
                         variance_ratio=run.parameters.get("lead_variance_ratio"),
                         fractional=fractional_series(history, keys), spread=slow_spread(forecast, history, keys))


def slow_spread(forecast: pd.DataFrame, history: pd.DataFrame, keys: list[str]) -> dict[str, float]:
    """Label -> the standard deviation of demand per period over its last year, for the series forecast at their
    mean (``mean_last_year``: slow sellers). Their forecast error is their demand's own spread, which the band's
    P90 − P50 misses for lumpy demand: a spare part selling in 8 % of weeks has a weekly P90 of 0, and its safety
    stock was 0 (its reorder point covered 58 % of its 4-week spells)."""
    if "model" not in forecast.columns:
        return {}
    slow = forecast.loc[forecast["model"] == SLOW_MEAN, keys].drop_duplicates()
    rows = history.merge(slow, on=keys)
    rows = rows[rows["date"] > rows.groupby(keys)["date"].transform("max") - pd.Timedelta(days=YEAR_DAYS)]
    return {series_label(dict(zip(keys, values if isinstance(values, tuple) else (values,))), keys):
            float(group["y"].std()) for values, group in rows.groupby(keys, sort=False) if group["y"].count() > 1}
