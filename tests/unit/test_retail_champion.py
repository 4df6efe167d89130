"""Champion choice: WAPE plus the P50's balance, and short series' baseline picked on their own backtest."""
import numpy as np
import pandas as pd
import pytest

from domain import retail as rules
from ml import forecast_metrics as m


def test_balance_is_the_share_of_periods_above_less_below_and_ignores_the_skew_of_demand():
    rows = pd.DataFrame({"unique_id": ["a"] * 8, "y": [10, 10, 10, 10, 0, 2, 2, 0],
                         "yhat": [12, 8, 10, 14, 0, 2, 4, 0]})
    assert m.summary(rows, pd.Series({"a": 1.0}))["balance"] == pytest.approx(100 * (3 - 1) / 8)
    # A median forecast of lumpy demand (one order of 15): far under the total, yet balanced.
    lumpy = pd.DataFrame({"unique_id": ["a"] * 6, "y": [0, 2, 1, 0, 2, 15], "yhat": [1.0] * 6})
    out = m.summary(lumpy, pd.Series({"a": 1.0}))
    assert out["bias"] == pytest.approx(100 * (6 - 20) / 20) and out["balance"] == pytest.approx(100 * (2 - 3) / 6)
    # Periods count by their series' volume, as in WAPE: three slow sellers forecast at 0 (under each sale) do
    # not outweigh a fast seller forecast evenly around its sales (unweighted: 6 of 16 periods under, -37.5).
    fast = pd.DataFrame({"unique_id": "fast", "y": [50.0, 60, 70, 60], "yhat": [55.0, 55, 65, 65]})
    slow = [pd.DataFrame({"unique_id": f"slow{i}", "y": [0.0, 1, 0, 2], "yhat": 0.0}) for i in range(3)]
    mixed = m.summary(pd.concat([fast, *slow], ignore_index=True), pd.Series(dtype=float))
    assert mixed["balance"] == pytest.approx(100 * (3 * -2 * 0.75) / (4 * 60 + 12 * 0.75))
    assert mixed["balance_noise"] == pytest.approx(196 * np.sqrt(4 * 60**2 + 12 * 0.75**2) / (4 * 60 + 12 * 0.75))
    assert np.isnan(m.summary(slow[0].assign(y=0.0), pd.Series(dtype=float))["balance"])  # nothing sold


def test_a_model_above_the_actuals_in_most_periods_loses_to_a_balanced_one_with_a_slightly_higher_wape():
    # A monthly backtest of three windows, one holding December: the seasonal naive on falling sales won on
    # WAPE while running high in two periods out of three; LightGBM's errors cancelled between windows.
    table = {"lightgbm": {"wape": 22.0, "smape": 23.4, "bias": -1.2, "balance": 18.4},
             "seasonal_naive": {"wape": 19.4, "smape": 22.5, "bias": 11.4, "balance": 32.3},
             "moving_average": {"wape": 30.2, "smape": 29.8, "bias": 6.1, "balance": 18.8}}
    assert rules.selection_score(table["seasonal_naive"]) == pytest.approx(19.4 + 32.3)
    assert rules.champion_from_table(table) == ("lightgbm", "wape")
    # The median of skewed demand (a lumpy seller) is balanced though far under the total: it keeps its pick.
    lumpy = {"lightgbm": {"wape": 67.8, "bias": -27.1, "balance": -6.8},
             "seasonal_naive": {"wape": 91.5, "bias": 0.8, "balance": 1.5}}
    assert rules.champion_from_table(lumpy) == ("lightgbm", "wape")
    # A balance within chance of 0 costs nothing: 168 days of four Poisson sellers put LightGBM 7.6 points low.
    chance = {"lightgbm": {"wape": 12.4, "bias": -3.6, "balance": -7.6, "balance_noise": 14.9},
              "seasonal_naive": {"wape": 16.0, "bias": -0.7, "balance": -0.5, "balance_noise": 14.9}}
    assert rules.selection_score(chance["lightgbm"]) == 12.4 and rules.champion_from_table(chance)[0] == "lightgbm"
    assert rules.selection_score({"wape": 19.4, "balance": 36.1, "balance_noise": 7.1}) == pytest.approx(48.4)
    # Without a balance (a table stored before it existed) WAPE alone decides; sMAPE ignores the balance.
    assert rules.selection_score({"wape": 5.0}) == 5.0
    assert rules.selection_score({"smape": 5.0, "balance": 40.0}, "smape") == 5.0


def test_the_note_says_why_the_lowest_wape_is_not_champion():
    from services.retail_backtest_notes import bias_notes

    table = {"lightgbm": {"wape": 22.0, "bias": -1.2, "balance": 23.5, "balance_noise": 7.1},
             "seasonal_naive": {"wape": 19.4, "bias": 8.0, "balance": 36.1, "balance_noise": 7.1}}
    (note,) = bias_notes(table, "lightgbm", "wape")
    assert note.startswith("seasonal naive had the lower backtest error (WAPE 19.4 % against 22.0 % for LightGBM), "
                           "but its forecast was above the actual far more often than below: by 36 percentage points "
                           "of the periods (weighted by volume), where chance alone explains up to 7.")
    assert "one that runs high overstocks" in note
    assert note.endswith("LightGBM 22.0 + 16.4 = 38.4; seasonal naive 19.4 + 29.0 = 48.4.")


def test_the_backtest_table_lists_the_champion_first():
    from types import SimpleNamespace

    from services.retail_views import backtest_table

    rows = [{"model": "lightgbm", "wape": 22.0, "balance": 18.4}, {"model": "seasonal_naive", "wape": 19.4,
                                                                    "balance": 32.3}]
    run = SimpleNamespace(parameters={"backtest_table": rows, "champion": "lightgbm"})
    assert list(backtest_table(run)["model"]) == ["lightgbm", "seasonal_naive"]
    old = SimpleNamespace(parameters={"backtest_table": [{k: v for k, v in r.items() if k != "balance"} for r in rows],
                                      "champion": "seasonal_naive"})
    assert list(backtest_table(old)["model"]) == ["seasonal_naive", "lightgbm"]


def _launches_and_steady_items() -> pd.DataFrame:
    """Monthly: two items on sale for three years (December peaks), four launched 18 months ago whose launch
    peak has long faded."""
    months = pd.date_range("2021-01-01", periods=36, freq="MS")
    steady = [pd.DataFrame({"month": months, "sku": sku, "units": 40.0 * np.where(months.month == 12, 2.0, 1.0)})
              for sku in ("old-1", "old-2")]
    age = np.arange(18)
    launches = [pd.DataFrame({"month": months[-18:], "sku": f"new-{i}", "units": 10.0 + 100.0 * np.exp(-age / 2.0)})
                for i in range(4)]
    return pd.concat([*steady, *launches], ignore_index=True)


def test_short_series_get_the_baseline_that_did_best_on_their_own_backtest():
    from ml.forecast_prep import PrepOptions, prepare
    from services.retail_short import short_baseline

    prepared = prepare(_launches_and_steady_items(), PrepOptions(date="month", target="units", series=("sku",),
                                                                 horizon=3))
    assert set(prepared.short_series) == {f"sku=new-{i}" for i in range(4)}
    short = prepared.frame[prepared.frame["unique_id"].isin(prepared.short_series)]
    # On the long items a seasonal naive wins (it copies December); on a launch it copies the launch peak.
    long_table = {"seasonal_naive": {"wape": 5.0, "bias": 0.0, "balance": 0.0},
                  "moving_average": {"wape": 30.0, "bias": 10.0, "balance": 30.0}}
    assert short_baseline(short, prepared, long_table, 3, 3) == ("moving_average", True)  # 4 × 9 periods
    # Too few backtest periods of their own (two launches: 18), or none: the long items' table decides.
    two = short[short["unique_id"].isin(["sku=new-0", "sku=new-1"])]
    assert short_baseline(two, prepared, long_table, 3, 3) == ("seasonal_naive", False)
    tiny = short.groupby("unique_id").tail(2)
    assert short_baseline(tiny, prepared, long_table, 3, 3) == ("seasonal_naive", False)


def test_a_lowest_wape_held_in_most_windows_is_not_set_aside_for_running_low_or_high():
    # Monthly sales rising 1 % a month, horizon 6: a seasonal naive runs low in most periods, yet it had the lowest
    # WAPE in every window. The balance rule gave LightGBM (hold-out against expected demand 11.9 vs 10.2).
    rising = {"lightgbm": {"wape": 23.8, "bias": -5.0, "balance": -14.0, "balance_noise": 22.0},
              "seasonal_naive": {"wape": 12.4, "bias": -9.0, "balance": -52.0, "balance_noise": 22.0},
              "moving_average": {"wape": 37.3, "bias": 20.0, "balance": 30.0, "balance_noise": 22.0}}
    windows = {"lightgbm": [51.3, 13.9, 13.3], "seasonal_naive": [12.4, 10.7, 14.6],
               "moving_average": [45.8, 33.8, 34.6]}
    assert rules.champion_from_table(rising) == ("lightgbm", "wape")  # without the windows: as before
    assert rules.steady_leader(rising, windows) == "seasonal_naive"  # lowest in 2 of 3 windows
    assert rules.champion_from_table(rising, windows) == ("seasonal_naive", "wape")
    # Falling sales: the seasonal naive's lower WAPE came from one window of three (the one holding December).
    falling = {"lightgbm": {"wape": 22.0, "bias": -1.2, "balance": 18.4},
               "seasonal_naive": {"wape": 19.4, "bias": 11.4, "balance": 32.3}}
    one_window = {"lightgbm": [20.0, 21.0, 25.0], "seasonal_naive": [24.0, 23.5, 10.7]}
    assert rules.steady_leader(falling, one_window) is None
    assert rules.champion_from_table(falling, one_window) == ("lightgbm", "wape")
    # Two windows, one each: half is enough. A model set aside for its bias is never the leader.
    assert rules.steady_leader(falling, {"lightgbm": [20.0, 24.0], "seasonal_naive": [24.0, 14.8]}) == "seasonal_naive"
    aside = {**falling, "seasonal_naive": {**falling["seasonal_naive"], "bias": -80.0}}
    assert rules.champion_from_table(aside, one_window | {"seasonal_naive": [1.0, 1.0, 1.0]})[0] == "lightgbm"


def test_window_wape_is_each_models_wape_per_window():
    rows = pd.DataFrame({"unique_id": "a", "model": ["m"] * 4 + ["n"] * 4, "window": [1, 1, 2, 2] * 2,
                         "y": [10.0, 10, 20, 0] * 2, "yhat": [12.0, 10, 15, 5, 10, 10, 20, 0]})
    assert m.window_wape(rows) == {"m": [10.0, 50.0], "n": [0.0, 0.0]}


def test_the_backtest_table_scores_a_steady_leader_on_its_wape():
    from types import SimpleNamespace

    from services.retail_views import backtest_table, backtest_view

    rows = [{"model": "lightgbm", "wape": 23.8, "balance": -14.0, "balance_noise": 22.0},
            {"model": "seasonal_naive", "wape": 12.4, "balance": -52.0, "balance_noise": 22.0}]
    run = SimpleNamespace(parameters={"backtest_table": rows, "champion": "seasonal_naive",
                                      "steady_leader": "seasonal_naive"})
    assert list(backtest_table(run)["model"]) == ["seasonal_naive", "lightgbm"]
    assert backtest_view(run).iloc[:, -1].tolist() == [12.4, 23.8]  # 12.4 + 30 before: listed below its runner-up
