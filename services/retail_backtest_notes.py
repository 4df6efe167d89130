"""What the backtest says in words beside the retail champion: why a model with a lower error was not picked
(it missed total demand, or ran high or low in most periods), and P10–P90 bands that held too few or too many
actuals."""
from __future__ import annotations

import numpy as np
import pandas as pd

from domain import retail as rules
from ml import forecast_calendar as calendar
from services.retail_labels import model_label


def shared_window_notes(rows: pd.DataFrame, shared: list[int], freq: str) -> list[str]:
    """Which windows the models were compared on, where a model (the seasonal index, offered from a year of
    history before the last third of the windows) could not forecast the earlier ones."""
    windows = sorted(rows["window"].unique()) if len(rows) else []
    if not shared or len(shared) == len(windows):
        return []
    missing = sorted(set(rows["model"]) - set(rows.loc[rows["window"] == windows[0], "model"]))
    first = pd.Timestamp(rows.loc[rows["window"] == shared[0], "cutoff"].iloc[0]).date()
    names = ", ".join(model_label(m) for m in missing)
    over = "that window" if len(shared) == 1 else "those windows"
    band = " Its P10–P90 band is learnt on that one window, so read its coverage as optimistic." if len(shared) == 1 \
        else ""
    return [f"The {names} needs over a year of history ({calendar.YEAR_LENGTH[freq]} {PERIODS[freq]}) before a "
            f"backtest window's origin: it was backtested on the last {len(shared)} of {len(windows)} windows, so "
            f"every model's backtest figures are over {over} (after {first}), for a comparison on the same "
            f"dates.{band}"]


PERIODS = {"D": "days", "W": "weeks", "M": "months", "Q": "quarters"}
NOTED_BIAS = 10.0  # a champion over or under total demand by this many per cent in the backtest is said


def bias_notes(table: dict[str, dict], champion: str, picked_on: str) -> list[str]:
    """Why a model with a lower backtest error was not picked (it missed total demand by over half), and a
    champion that itself ran well over or under total demand in the backtest."""
    if picked_on not in (rules.CHAMPION_METRIC, rules.FALLBACK_METRIC):
        return []
    notes = []
    bias = table[champion].get("bias", float("nan"))
    if abs(bias) >= NOTED_BIAS:
        way = "over" if bias > 0 else "under"
        notes.append(f"The champion ({champion}) forecast {abs(bias):.0f} % {way} total demand in the backtest: "
                     f"expect its P50 to run {'high' if bias > 0 else 'low'} if the trend behind it holds (compare "
                     "the latest periods with the same periods a year before), and check the order sizes built "
                     "on it.")
    notes.extend(_balance_note(table, champion, picked_on))
    aside = [m for m in rules.set_aside_for_bias(table) if table[m][picked_on] < table[champion][picked_on]]
    if not aside:
        return notes
    misses = ", ".join(f"{table[m]['bias']:+.0f} %" for m in aside)
    return [f"{', '.join(aside)} had a lower backtest {picked_on.upper()} but missed total demand by {misses}; the "
            f"champion is the best model within ±{rules.MAX_CHAMPION_BIAS:.0f} % ({champion}). With many zero "
            "periods a forecast near 0 scores a low error yet would leave the shelf empty.", *notes]


def _balance_note(table: dict[str, dict], champion: str, picked_on: str) -> list[str]:
    """Why the model with the lowest backtest WAPE is not champion: it ran above (or below) the actuals in
    most periods, which the pick (WAPE + |balance|) holds against it."""
    if picked_on != rules.CHAMPION_METRIC:
        return []
    aside = set(rules.set_aside_for_bias(table))
    lower = [m for m, row in table.items() if m not in aside and row[picked_on] < table[champion][picked_on]]
    if not lower:
        return []
    best = min(lower, key=lambda m: table[m][picked_on])
    return [f"{model_label(best)} had the lower backtest error (WAPE {table[best][picked_on]:.1f} % against "
            f"{table[champion][picked_on]:.1f} % for {model_label(champion)}), but {_imbalance(table[best])}. A "
            "median forecast should fall above and below the actual about equally often; one that runs "
            f"{'high overstocks' if table[best].get('balance', 0) > 0 else 'low leaves the shelf short'}. The "
            "champion is picked on WAPE plus the imbalance beyond chance, lower is better: "
            f"{_score_sum(champion, table[champion])}; {_score_sum(best, table[best])}."]


def _imbalance(row: dict) -> str:
    """'its forecast was below the actual far more often than above: by 96 percentage points of the periods
    (weighted by volume), where chance alone explains up to 22'."""
    balance, noise = row.get("balance", float("nan")), row.get("balance_noise")
    way, other = ("above", "below") if balance > 0 else ("below", "above")
    chance = f", where chance alone explains up to {noise:.0f}" if noise is not None and np.isfinite(noise) else ""
    return (f"its forecast was {way} the actual far more often than {other}: by {abs(balance):.0f} percentage "
            f"points of the periods (weighted by volume){chance}")


def _score_sum(name: str, row: dict) -> str:
    """'LightGBM 13.3 + 54.2 = 67.4': WAPE plus the imbalance beyond chance."""
    wape, score = row.get(rules.CHAMPION_METRIC), rules.selection_score(row)
    return f"{model_label(name)} {wape:.1f} + {score - wape:.1f} = {score:.1f}"


NOMINAL_COVERAGE, TAIL = 80.0, 10.0  # P10–P90 should hold 80 % of actuals, with 10 % beyond each end


def _off(share: float, aim: float, rows: int, floor: float) -> bool:
    """A share of backtest rows (in %) further from ``aim`` than ``floor`` points and than chance (1.96 binomial
    standard errors over ``rows``) takes it."""
    return abs(share - aim) > max(floor, 1.96 * 100 * np.sqrt(aim / 100 * (1 - aim / 100) / max(rows, 1)))


def coverage_notes(rows: pd.DataFrame) -> list[str]:
    """What a P10–P90 band that missed its 80 % in the champion's backtest means for stock. Safety stock is
    sized on the band's upper half (``domain.retail.sigma_from_halves``), so the note says on which side the
    actuals fell out: above P90 (stock-outs beyond the service level) or below P10 (overstock)."""
    rows = rows[~rows["imputed"].astype(bool)] if "imputed" in rows.columns else rows
    if rows.empty or not {"p10", "p90"} <= set(rows.columns):
        return []
    y, n = rows["y"].to_numpy(float), len(rows)
    above = 100 * float(np.mean(y > rows["p90"].to_numpy(float)))
    below = 100 * float(np.mean(y < rows["p10"].to_numpy(float)))
    inside = 100 - above - below
    if not _off(inside, NOMINAL_COVERAGE, n, 10.0):
        return []
    where = (f"{inside:.0f} % of the {n} backtest actuals (periods × series) fell inside the P10–P90 band, which "
             f"should hold about {NOMINAL_COVERAGE:.0f} %: {above:.0f} % were above P90 and {below:.0f} % below P10 "
             f"(about {TAIL:.0f} % each is expected).")
    if inside > NOMINAL_COVERAGE:
        return [f"{where} The band is wider than the errors were, so safety stock built on it is larger "
                "than the chosen service level needs."]
    if _off(above, TAIL, n, 5.0) and above > TAIL:
        return [f"Warning: only {where} Demand went above the band more often than it says, and the band's upper "
                "half sizes safety stock: safety stock and reorder points are too low for the service level "
                "chosen, so expect more stock-outs than it promises. Raise the service level or add stock by "
                "judgement."]
    return [f"Warning: only {where} The misses are mostly below P10 (the forecast ran high): safety stock, sized "
            "on the band's upper half, held about as the service level says, but orders built on this forecast "
            "run high (overstock)."]


FEW_VALUES = 20  # a driver with at most this many values (a flag, a code) has values the backtest may never meet


def unseen_driver_notes(frame: pd.DataFrame, future: pd.DataFrame | None, codes: dict[str, dict[float, str]],
                        first_cut: pd.Timestamp) -> list[str]:
    """Driver values given on the dates to forecast (other than the column's usual value) that no date of the
    backtest windows held: the champion was picked without seeing them. A yearly festival 60 days ahead had
    no word while the windows, the last 180 days, held none of it; the champion on the file forecast it 24–41 %
    off."""
    if future is None:
        return []
    said = []
    for column in [c for c in future.columns if c not in ("unique_id", "ds") and c in frame.columns]:
        history = pd.to_numeric(frame[column], errors="coerce")
        if history.nunique() > FEW_VALUES or history.dropna().empty:
            continue
        usual = history.mode().iloc[0]
        ahead = future[future[column].notna() & (future[column] != usual)]
        tested = set(history[frame["ds"] > first_cut].dropna())
        for value in [v for v in pd.unique(ahead[column]) if v not in tested]:
            shown = repr(codes[column][value]) if value in codes.get(column, {}) else f"{value:g}"
            dates = ahead.loc[ahead[column] == value, "ds"]
            said.append(f"{column} = {shown} ({dates.nunique()} date(s) to forecast, first {dates.min().date()})")
    if not said:
        return []
    return [f"The backtest windows (after {first_cut.date()}) held no date with {'; '.join(said)}: the champion was "
            "picked without seeing how any model forecasts such a date, so read those dates' forecast with care."]
