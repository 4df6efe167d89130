"""Retail names in words: model descriptions per frequency, '–' for an undefined MASE, the report's table."""
from __future__ import annotations

import pandas as pd

from services import retail_labels


def test_a_model_is_described_in_words_for_the_runs_frequency_only():
    assert retail_labels.describe_model("moving_average", "D") == "moving average: the mean of the last 28 days"
    assert retail_labels.describe_model("moving_average", "W") == "moving average: the mean of the last 8 weeks"
    monthly = retail_labels.describe_model("seasonal_naive", "M")
    assert monthly == "seasonal naive: the value one season (12 months) earlier"
    assert retail_labels.describe_model("lightgbm", "D").startswith("LightGBM: one LightGBM model")
    assert retail_labels.describe_model("mean_last_year") == "mean of the last year"
    assert "_" not in retail_labels.describe_model("seasonal_index", "Q")


def _table() -> pd.DataFrame:
    return pd.DataFrame({"model": ["lightgbm", "seasonal_naive"], "champion": [True, False],
                         "wape": [12.34567, 20.0], "mase": [None, float("nan")]})


def test_an_undefined_mase_reads_as_a_dash_with_a_note_saying_why():
    shown = retail_labels.plain_backtest(_table())
    assert shown["MASE (1 = naive's error)"].tolist() == ["–", "–"]  # was None / nan
    assert shown["WAPE (%)"].tolist() == [12.35, 20.0]
    assert retail_labels.mase_note(_table()).startswith("MASE – : not defined for this run.")
    assert retail_labels.mase_note(_table().assign(mase=[0.7, 1.1])) == ""
    assert retail_labels.plain_backtest(_table().assign(mase=[0.7, 1.1]))["MASE (1 = naive's error)"].dtype == float


def test_the_reports_backtest_table_ticks_the_champion():
    assert retail_labels.report_backtest(_table())["champion"].tolist() == ["✓", ""]  # was True / False


def test_the_champion_rule_names_the_score_not_the_bare_wape():
    # LightGBM had the lower WAPE (7.4 against 9.48) and lost on WAPE + imbalance: 'WAPE (%)' read as if it won
    assert retail_labels.champion_metric_label("wape").startswith(
        "WAPE (%) + over/under imbalance beyond chance (the backtest table's score; lowest wins")
    assert retail_labels.champion_metric_label("smape").startswith("sMAPE (%) (every backtest actual was 0")
    run = {"champion": "seasonal_naive", "champion_metric": "wape", "steady_leader": None}
    assert retail_labels.champion_rule(run) == "lowest WAPE + over/under imbalance beyond chance"
    assert retail_labels.champion_rule({}) == retail_labels.champion_rule(run)  # runs stored before both
    assert retail_labels.champion_caption(run).startswith("Chosen on the lowest WAPE plus its balance beyond chance")
    steady = {**run, "steady_leader": "seasonal_naive"}  # lowest WAPE in half the windows too: balance not counted
    assert retail_labels.champion_rule(steady) == ("lowest WAPE, also lowest in at least half the backtest windows, "
                                                   "so its imbalance was not counted")
    assert retail_labels.champion_caption(steady).startswith("Chosen on the lowest WAPE: it was also the lowest")
    zeros = {**run, "champion_metric": "smape"}
    assert retail_labels.champion_rule(zeros) == "lowest sMAPE, as every backtest actual was 0 (WAPE undefined)"
    assert retail_labels.champion_caption(zeros) == ("Chosen on the lowest sMAPE, as every backtest actual was 0 "
                                                     "(WAPE undefined).")


def _drivers_run(champion: str, exogenous: list[str]) -> dict:
    table = [{"model": "lightgbm", "wape": 7.4}, {"model": "seasonal_naive", "wape": 9.48}]
    return {"champion": champion, "exogenous": exogenous, "notes": ["Frequency: daily (detected)."],
            "backtest_table": table}


def test_drivers_given_to_a_champion_that_ignores_them_are_said():
    note = retail_labels.unused_drivers_note(_drivers_run("seasonal_naive", ["onpromotion"]))
    assert note == ("Future values were given for onpromotion, but the champion (seasonal naive) does not use them: "
                    "this forecast is the same as it would be without them. Only LightGBM reads known-in-advance "
                    "columns, and it was not chosen on this backtest (see the table).")
    assert retail_labels.run_notes(_drivers_run("seasonal_naive", ["onpromotion"])) == [
        "Frequency: daily (detected).", note]
    assert retail_labels.unused_drivers_note(_drivers_run("lightgbm", ["onpromotion"])) == ""  # it reads them
    assert retail_labels.unused_drivers_note(_drivers_run("seasonal_index", [])) == ""  # none given
    assert retail_labels.run_notes(_drivers_run("lightgbm", ["onpromotion"])) == ["Frequency: daily (detected)."]
