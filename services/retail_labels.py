"""Retail names as a planner reads them: models described in words, backtest columns with their units.

The stored names (``seasonal_naive``, ``wape``) stay in the run, the CLI's ``--json`` and exports; pages and
reports show these labels instead."""
from __future__ import annotations

import pandas as pd

from domain import retail as rules
from ml.forecast_calendar import MOVING_AVERAGE_WINDOW, SEASON_LENGTH

MODEL_DESCRIPTIONS = {
    "lightgbm": "one LightGBM model over all series (lags, rolling means, calendar, series keys)",
    "seasonal_index": "each series' recent level × trend × weekday and month (or week-of-year, or quarter) "
                      "indices shared by all series",
    "seasonal_naive": "the value one season earlier",
    "seasonal_naive_yearly": "the value on the same weekday a year earlier",
    "moving_average": "the mean of the last 28 days / 8 weeks / 3 months / 4 quarters",
}
MODEL_LABELS = {"lightgbm": "LightGBM", "seasonal_index": "seasonal index", "seasonal_naive": "seasonal naive",
                "seasonal_naive_yearly": "same period last year", "moving_average": "moving average",
                "mean_last_year": "mean of the last year"}
BACKTEST_COLUMNS = {
    "model": "model", "champion": "champion", "wape": "WAPE (%)", "smape": "sMAPE (%)",
    "bias": "bias (% of demand, + = over)", "mase": "MASE (1 = naive's error)",
    "balance": "periods over − under (points)", "balance_noise": "chance allows ± (points)",
    "coverage": "in P10–P90 band (%, aim 80)", "score": "score: WAPE + imbalance beyond chance (lowest wins)",
}

# The page's short headers, each column's full label kept as its help: the full labels side by side made the table
# wider than the page, so its last column (the score the champion was chosen on) needed a horizontal scroll.
BACKTEST_HEADERS = {
    "WAPE (%)": "WAPE %", "sMAPE (%)": "sMAPE %", "bias (% of demand, + = over)": "bias %",
    "MASE (1 = naive's error)": "MASE", "periods over − under (points)": "over − under",
    "chance allows ± (points)": "chance ±", "in P10–P90 band (%, aim 80)": "in band %",
    "score: WAPE + imbalance beyond chance (lowest wins)": "score",
}


# Under the page's drivers for one series and date; it had read "shap: its push on the forecast, in the model's
# standardised units".
ROW_DRIVERS = {"driver": "driver", "value": "what the model saw", "shap": "push on the forecast"}
ROW_DRIVERS_NOTE = ("What the model saw: each driver's value, in sales units (averages of the past are read back "
                    "from the model's scale, so slightly under the plain average). Push on the forecast: how far "
                    "that driver moved this forecast up (+) or down (−), counted in typical swings of this series' "
                    "sales (1 = one typical swing); compare the pushes with each other, not with sales units.")

_UNITS = {"D": "days", "W": "weeks", "M": "months", "Q": "quarters"}


def describe_model(name: str | None, freq: str | None = None) -> str:
    """The model in words with a plain description ('moving average: the mean of the last 28 days' for a daily
    run), for captions and reports; without a full stop, so it fits inside a sentence."""
    if name not in MODEL_DESCRIPTIONS:
        return model_label(name)
    text = MODEL_DESCRIPTIONS[name]
    if freq in _UNITS and name == "moving_average":
        text = f"the mean of the last {MOVING_AVERAGE_WINDOW[freq]} {_UNITS[freq]}"
    elif freq in _UNITS and name == "seasonal_naive":
        text = f"the value one season ({SEASON_LENGTH[freq]} {_UNITS[freq]}) earlier"
    return f"{model_label(name)}: {text}"


def model_label(name: str | None) -> str:
    """'seasonal naive' for ``seasonal_naive``; an unknown name with spaces."""
    return MODEL_LABELS.get(str(name), str(name).replace("_", " "))


def plain_backtest(table: pd.DataFrame) -> pd.DataFrame:
    """The model-vs-baselines table with plain model names and column labels carrying their units, figures
    rounded to 2 decimals (the stored table keeps its names for the CLI and exports)."""
    out = table.copy()
    if "model" in out.columns:
        out["model"] = out["model"].map(model_label)
    figures = out.select_dtypes("number").columns
    out[figures] = out[figures].round(2)
    if "mase" in out.columns and out["mase"].isna().any():  # a blank read 'None' on the page
        out["mase"] = [NO_FIGURE if pd.isna(v) else v for v in out["mase"]]
    return out.rename(columns=BACKTEST_COLUMNS)


NO_FIGURE = "–"
MASE_NOTE = ("MASE – : not defined for this run. MASE divides the error by the error of a seasonal naive forecast "
             "inside the history before the first backtest window, and that error was 0 (the history repeats itself "
             "one season apart) or there was too little history to measure it.")


def mase_note(table: pd.DataFrame) -> str:
    """The note under a backtest table whose MASE could not be computed ('' when every model has one)."""
    return MASE_NOTE if "mase" in table.columns and table["mase"].isna().any() else ""


def report_backtest(table: pd.DataFrame) -> pd.DataFrame:
    """``plain_backtest`` for a report: the champion ticked, the other rows left blank (not True/False)."""
    out = plain_backtest(table)
    if "champion" in out.columns:
        out["champion"] = ["✓" if bool(v) else "" for v in out["champion"]]
    return out


# How the champion was chosen, by the stored ``champion_metric``: 'WAPE (%)' alone had read as if the lowest WAPE
# won, beside a table where LightGBM had the lower WAPE (7.4 against 9.48) and lost on WAPE + imbalance.
CHAMPION_RULES = {
    "wape": "lowest WAPE + over/under imbalance beyond chance",
    "steady": "lowest WAPE, also lowest in at least half the backtest windows, so its imbalance was not counted",
    "smape": "lowest sMAPE, as every backtest actual was 0 (WAPE undefined)",
    "none": "the first model listed, as no backtest figure could be computed",
}
CHAMPION_METRIC_LABELS = {
    "wape": "WAPE (%) + over/under imbalance beyond chance (the backtest table's score; lowest wins; WAPE alone for "
            "a model lowest in at least half the windows)",
    "smape": "sMAPE (%) (every backtest actual was 0, so WAPE was undefined; lowest wins)",
    "none": "no figure (the first model listed)",
}


def _rule_key(parameters: dict) -> str:
    metric = str(parameters.get("champion_metric") or "wape")
    leader = parameters.get("steady_leader")
    return "steady" if metric == "wape" and leader is not None and leader == parameters.get("champion") else metric


def champion_rule(parameters: dict) -> str:
    """The run's rule in a sentence's parentheses: 'Champion (lowest WAPE + over/under imbalance beyond chance):
    …'; a steady leader (``steady_leader``: lowest WAPE in half the windows too) and sMAPE runs say theirs."""
    key = _rule_key(parameters)
    return CHAMPION_RULES.get(key, f"lowest {key}")


def champion_caption(parameters: dict) -> str:
    """The sentence under the page's champion, after its description."""
    key = _rule_key(parameters)
    if key == "wape":
        return ("Chosen on the lowest WAPE plus its balance beyond chance (how much more often it forecast high "
                "than low, or the reverse): a model with a lower WAPE that runs high or low in most periods can lose.")
    if key == "steady":
        return ("Chosen on the lowest WAPE: it was also the lowest in at least half the backtest windows, so its "
                "balance (how much more often it forecast high than low) was not held against it.")
    return f"Chosen on the {champion_rule(parameters)}."


def backtest_caption(parameters: dict, dates: list[str] | None = None) -> str:
    """How the backtest was run, in words, as the report says it: '3 rolling windows of 8 weeks (2017-09-04 to
    2017-12-25)'. The Results tab had not said which windows the table's figures came from."""
    windows, horizon = parameters.get("windows_used"), parameters.get("horizon")
    if not windows or not horizon:
        return ""
    freq = parameters.get("freq_used")
    periods = f"{rules.PERIOD_NAMES[freq]}s" if freq in rules.PERIOD_NAMES else "periods"
    span = f" ({min(dates)} to {max(dates)})" if dates else ""
    return (f"Backtest: {windows} rolling window(s) of {horizon} {periods}{span}, each forecast from the history "
            "before it.")


def champion_metric_label(metric: str | None) -> str:
    """The stored ``champion_metric`` as a report's 'Champion chosen by' should read it: the score, not WAPE."""
    return CHAMPION_METRIC_LABELS.get(str(metric or "wape"), str(metric))


# Only LightGBM reads known-in-advance columns; the baselines and the seasonal index forecast from sales alone.
READS_DRIVERS = ("lightgbm",)


def unused_drivers_note(parameters: dict) -> str:
    """A run given future values of known-in-advance columns whose champion does not read them says so ('' when
    none were used or the champion reads them): a seasonal naive champion had shown no sign of ignoring the
    promotions a planner had filled in."""
    drivers = [str(c) for c in parameters.get("exogenous") or []]
    champion = parameters.get("champion")
    if not drivers or champion is None or champion in READS_DRIVERS:
        return ""
    tried = any(row.get("model") in READS_DRIVERS for row in parameters.get("backtest_table") or []
                if isinstance(row, dict))
    return (f"Future values were given for {', '.join(drivers)}, but the champion ({model_label(champion)}) does "
            "not use them: this forecast is the same as it would be without them. Only LightGBM reads "
            "known-in-advance columns, and it was " + ("not chosen on this backtest (see the table)." if tried
                                                      else "not backtested on this history."))


def run_notes(parameters: dict) -> list[str]:
    """The run's stored notes, then the notes read from its parameters (drivers given but not used)."""
    notes = [str(n) for n in parameters.get("notes") or []]
    return [*notes, *[n for n in (unused_drivers_note(parameters),) if n]]


_CHOICES = {
    "duplicates": ("Rows repeating a series and date", {"error": "refused (the table had none)",
                                                        "sum": "summed into one"}),
    "negatives": ("Negative quantities", {"keep": "kept as returns, netted off demand", "clip": "clipped to 0"}),
}


def preparation_choices(parameters: dict) -> str:
    """The run's preparation choices and steady leader in words: the report's parameter list had read
    'Repeated dates: error' and 'steady_leader | lightgbm'."""
    said = [f"{label}: {words.get(str(parameters.get(name)), str(parameters.get(name)))}."
            for name, (label, words) in _CHOICES.items() if parameters.get(name) is not None]
    leader = parameters.get("steady_leader")
    if leader is not None:
        said.append(f"Lowest WAPE in at least half the backtest windows: {model_label(leader)}.")
    return " ".join(said)
