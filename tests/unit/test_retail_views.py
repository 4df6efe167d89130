"""What a planner reads on the Retail results and Inventory tabs: driver values in sales, whole order units,
plain backtest labels, chart legends and axes, and the notes on the band's coverage and the champion pick."""
import math

import numpy as np
import pandas as pd
import pytest

from ml import forecast_models as models
from ml import forecast_units as units


def _history(seed=0, periods=80):
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2022-01-03", periods=periods, freq="D")
    return pd.concat([pd.DataFrame({"unique_id": f"store={s}", "ds": dates, "store": str(s),
                                    "y": rng.poisson(lam, periods).astype(float)})
                      for s, lam in ((1, 45), (2, 8))], ignore_index=True)


@pytest.mark.parametrize("transform", ["log1p", "standard"])
def test_driver_values_read_back_in_sales_not_standardised_units(transform):
    data = _history()
    config = models.feature_config("D", "D", 7, 60, static=("store",), n_estimators=5)
    config = models.FeatureConfig(**{**config.__dict__, "transform": transform})
    fitted = models.fit_lightgbm(data, config, threads=1)
    rows = fitted.predicted_features(fitted.predict(7))
    first = rows[(rows["unique_id"] == "store=1") & (rows["step"] == 1)].iloc[0]
    mine = data[data["unique_id"] == "store=1"]["y"].to_numpy()
    assert first["lag7"] != mine[-7]  # the model's own value is standardised (e.g. -0.48 for 42 sales)
    shown = units.readable("lag7", first["lag7"], mean=first[units.SCALE_MEAN], std=first[units.SCALE_STD],
                           transform=transform)
    assert shown == f"{mine[-7]:.2f}"
    mean7 = units.readable("rolling_mean_lag1_window_size7", first["rolling_mean_lag1_window_size7"],
                           mean=first[units.SCALE_MEAN], std=first[units.SCALE_STD], transform=transform)
    if transform == "standard":
        assert mean7 == f"{mine[-7:].mean():.2f}"
    else:  # a mean of log sales: the geometric-type mean, a little under the plain one
        assert float(mean7) == pytest.approx(np.expm1(np.log1p(mine[-7:]).mean()), abs=0.005)
    # A stored history gives the same scales as the model kept (runs stored before the scales were).
    again = units.scales_from_history(data["y"], data["unique_id"], transform).set_index("unique_id")
    assert again.loc["store=1", units.SCALE_MEAN] == pytest.approx(first[units.SCALE_MEAN])
    assert again.loc["store=1", units.SCALE_STD] == pytest.approx(first[units.SCALE_STD])


def test_calendar_values_read_as_names_and_numbers_are_rounded():
    kw = {"mean": None, "std": None, "transform": "log1p"}
    assert units.readable("dayofweek", 0, **kw) == "Monday" and units.readable("dayofweek", 6.0, **kw) == "Sunday"
    assert units.readable("month", 1, **kw) == "January" and units.readable("dayofyear", 1, **kw) == "1"
    assert units.readable("price", 2.4567, **kw) == "2.46" and units.readable("lag7", float("nan"), **kw) == ""
    assert units.readable("lag7", -2.9536454504595318, **kw) == "-2.95 (standardised)"  # no scale known: said


def test_purchase_plan_orders_whole_units_from_the_upper_half_of_the_band():
    from services.retail_plan import purchase_plan

    # The QA run's store 3 / item 10: P50 − P10 = 39 but P90 − P50 = 10 each day; lead time 7, review 1.
    dates = pd.date_range("2018-01-01", periods=14, freq="D")
    forecast = pd.DataFrame({"store": 3, "item": 10, "date": dates, "p10": 210.0, "p50": 249.0, "p90": 259.0})
    plan = purchase_plan(forecast, ["store", "item"], lead_time=7, review_period=1, service_level=0.95)
    z, sigma = 1.6448536269514722, 10 / 1.2815515655446004
    assert list(plan.columns) == ["store", "item", "on_hand", "lead_time_demand", "safety_stock", "reorder_point",
                                  "order_up_to", "order_quantity"]
    row = plan.iloc[0]
    assert row["reorder_point"] == pytest.approx(round(7 * 249 + z * sigma * math.sqrt(7), 2))  # not + 132.39
    assert row["safety_stock"] == pytest.approx(round(z * sigma * math.sqrt(8), 2))  # over lead time + review period
    assert row["order_up_to"] == pytest.approx(round(8 * 249 + z * sigma * math.sqrt(8), 2))  # 2028.30
    assert row["order_quantity"] == 2029 and isinstance(row["order_quantity"], (int, np.integer))  # rounded up


def test_goods_sold_by_weight_are_ordered_in_hundredths_beside_whole_items():
    from services.retail_plan import fractional_series, purchase_plan

    history = pd.DataFrame({"item": ["apples"] * 4 + ["cheese"] * 4,
                            "y": [3.0, 5.0, 4.0, float("nan"), 2.35, 1.7, 3.125, 2.0]})
    assert fractional_series(history, ["item"]) == {"item=cheese"}
    dates = pd.date_range("2024-01-01", periods=3, freq="D")
    forecast = pd.concat([pd.DataFrame({"item": item, "date": dates, "p10": 1.0, "p50": 2.1, "p90": 3.0})
                          for item in ("apples", "cheese")])
    plan = purchase_plan(forecast, ["item"], lead_time=2, review_period=1, fractional={"item=cheese"})
    level = plan.set_index("item")["order_up_to"]  # 3 × 2.1 + z σ √3, the same for both
    ordered = plan.set_index("item")["order_quantity"]
    assert ordered["apples"] == math.ceil(level["apples"]) and ordered["cheese"] == pytest.approx(
        math.ceil(level["cheese"] * 100) / 100) and ordered["cheese"] != ordered["apples"]
    assert purchase_plan(forecast, ["item"], lead_time=2)["order_quantity"].dtype.kind == "i"


def test_the_page_backtest_table_has_plain_labels_and_units():
    from types import SimpleNamespace

    from services.retail_views import backtest_table, backtest_view

    rows = [{"model": "seasonal_naive", "wape": 22.79553, "smape": 20.6, "bias": 14.3, "mase": 1.24,
             "balance": 37.4, "balance_noise": 19.1, "coverage": 58.92857},
            {"model": "lightgbm", "wape": 18.19585, "smape": 17.7, "bias": 12.1, "mase": 1.01,
             "balance": 40.6, "balance_noise": 19.1, "coverage": 56.25}]
    run = SimpleNamespace(parameters={"backtest_table": rows, "champion": "lightgbm"})
    view = backtest_view(run)
    assert list(view.columns) == ["model", "champion", "WAPE (%)", "sMAPE (%)", "bias (% of demand, + = over)",
                                  "MASE (1 = naive's error)", "periods over − under (points)",
                                  "chance allows ± (points)", "in P10–P90 band (%, aim 80)",
                                  "score: WAPE + imbalance beyond chance (lowest wins)"]
    assert view["model"].tolist() == ["LightGBM", "seasonal naive"] and view["WAPE (%)"].tolist() == [18.2, 22.8]
    assert view.iloc[:, -1].tolist() == [39.7, 41.1]  # 18.2 + (40.6 - 19.1); 22.8 + (37.4 - 19.1): how it was chosen
    assert list(backtest_table(run).columns[:3]) == ["model", "champion", "wape"]  # the CLI's --json keeps names


def test_the_chart_names_past_forecasts_once_and_the_ranking_shows_percent_unclipped():
    from reports.retail_figures import error_ranking_figure, forecast_view_figure

    dates = pd.date_range("2024-01-01", periods=12, freq="W-MON")
    history = pd.DataFrame({"date": dates, "y": 10.0})
    backtest = pd.DataFrame({"date": dates[[6, 7, 9, 10]], "p50": 10.0, "window": [1, 1, 2, 2]})
    forecast = pd.DataFrame({"date": dates[-2:] + pd.Timedelta(weeks=2), "p10": 8.0, "p50": 10.0, "p90": 12.0})
    fig = forecast_view_figure(history, backtest, forecast, "Weekly forecast", "sales", "week")
    past = [t for t in fig.data if t.legendgroup == "backtest"]
    assert [t.name for t in past] == ["Backtest (past forecasts)"] * 2 and [t.showlegend for t in past] == [True, False]
    ranked = pd.DataFrame({"unique_id": ["store=3|item=10", "store=7|item=25"], "wape": [20.9, 15.0]})
    bars = error_ranking_figure(ranked, "unique_id")
    assert bars.layout.yaxis.automargin is True and bars.layout.xaxis.ticksuffix == "%"
    assert bars.layout.xaxis.title.text == "WAPE (%)"
    assert bars.layout.title.text.startswith("Series by backtest WAPE (%)")


def _backtest(above, below, n=112, seed=0):
    """Champion backtest rows with ``above`` / ``below`` of ``n`` actuals outside P90 / P10."""
    rng = np.random.default_rng(seed)
    y = np.full(n, 100.0)
    idx = rng.permutation(n)
    y[idx[:above]], y[idx[above:above + below]] = 130.0, 70.0
    return pd.DataFrame({"unique_id": "a", "y": y, "yhat": 100.0, "p10": 90.0, "p90": 110.0})


def test_a_band_far_from_80_percent_gets_a_note_on_what_it_means_for_safety_stock():
    from services.retail_backtest_notes import coverage_notes

    # The QA daily run: 56 % inside, 11 % above P90 and 33 % below P10 (LightGBM ran 12 % high).
    (low,) = coverage_notes(_backtest(12, 37))
    assert low.startswith("Warning: only 56 % of the 112 backtest actuals (periods × series) fell inside the "
                          "P10–P90 band, which should hold about 80 %: 11 % were above P90 and 33 % below P10")
    assert "mostly below P10" in low and "overstock" in low
    (short,) = coverage_notes(_backtest(30, 10))  # demand above the band: safety stock too small
    assert short.startswith("Warning: only 64 %") and "safety stock and reorder points are too low" in short
    (wide,) = coverage_notes(_backtest(1, 2))
    assert wide.startswith("97 % of the 112") and "larger than the chosen service level needs" in wide
    assert coverage_notes(_backtest(11, 12)) == []  # 79 %: as promised
    assert coverage_notes(_backtest(11, 12).assign(imputed=True)) == []  # filled gaps are not actuals


def test_the_champion_note_says_what_the_balance_means_in_words():
    from services.retail_backtest_notes import bias_notes

    # The QA weekly run (rounded figures from its backtest table).
    table = {"lightgbm": {"wape": 13.26, "bias": 12.5, "balance": 75.97, "balance_noise": 21.79},
             "seasonal_naive": {"wape": 12.13, "bias": -11.8, "balance": -95.87, "balance_noise": 21.79}}
    note = [n for n in bias_notes(table, "lightgbm", "wape") if "lower backtest error" in n][0]
    assert note == ("seasonal naive had the lower backtest error (WAPE 12.1 % against 13.3 % for LightGBM), but its "
                    "forecast was below the actual far more often than above: by 96 percentage points of the periods "
                    "(weighted by volume), where chance alone explains up to 22. A median forecast should fall above "
                    "and below the actual about equally often; one that runs low leaves the shelf short. The champion "
                    "is picked on WAPE plus the imbalance beyond chance, lower is better: LightGBM 13.3 + 54.2 = 67.4; "
                    "seasonal naive 12.1 + 74.1 = 86.2.")


def test_a_plan_mixing_whole_items_and_goods_by_weight_holds_whole_orders_as_integers():
    from services.retail_plan import purchase_plan

    dates = pd.date_range("2024-01-01", periods=3, freq="D")
    forecast = pd.concat([pd.DataFrame({"item": item, "date": dates, "p10": 40.0, "p50": 42.1, "p90": 45.0})
                          for item in ("apples", "cheese")])
    plan = purchase_plan(forecast, ["item"], lead_time=2, review_period=1, fractional={"item=cheese"})
    ordered = plan.set_index("item")["order_quantity"]
    assert isinstance(ordered["apples"], int) and ordered["apples"] == math.ceil(ordered["cheese"])
    assert isinstance(ordered["cheese"], float) and ordered["cheese"] != int(ordered["cheese"])
    lines = plan.to_csv(index=False).splitlines()
    assert lines[1].endswith(f",{ordered['apples']}") and lines[2].endswith(f",{ordered['cheese']}")  # 135, not 135.0
    assert purchase_plan(forecast, ["item"], lead_time=2, fractional={"item=pears"})["order_quantity"].dtype.kind == "i"


def test_stock_counted_in_whole_units_is_written_whole_and_a_blank_stays_blank():
    from services.retail_plan import purchase_plan

    dates = pd.date_range("2024-01-01", periods=3, freq="D")
    forecast = pd.concat([pd.DataFrame({"item": item, "date": dates, "p10": 40.0, "p50": 42.1, "p90": 45.0})
                          for item in ("apples", "cheese", "pears")])
    stock = pd.DataFrame({"item": ["apples", "cheese", "pears"], "on_hand": [319.0, None, 12.0]})
    plan = purchase_plan(forecast, ["item"], lead_time=2, on_hand=stock)
    assert [line.split(",")[1] for line in plan.to_csv(index=False).splitlines()] == ["on_hand", "319", "", "12"]
    by_weight = purchase_plan(forecast, ["item"], lead_time=2, on_hand=stock.assign(on_hand=[3.5, 2.0, None]))
    assert by_weight["on_hand"].tolist()[:2] == [3.5, 2.0]


def test_a_stock_column_mixing_whole_counts_and_weights_writes_each_as_it_is():
    from services.retail_plan import purchase_plan

    dates = pd.date_range("2024-01-01", periods=3, freq="D")
    forecast = pd.concat([pd.DataFrame({"item": item, "date": dates, "p10": 40.0, "p50": 42.1, "p90": 45.0})
                          for item in ("apples_kg", "bread", "milk")])
    stock = pd.DataFrame({"item": ["apples_kg", "bread", "milk"], "on_hand": [40.5, 40.0, None]})
    plan = purchase_plan(forecast, ["item"], lead_time=2, on_hand=stock)
    lines = plan.to_csv(index=False).splitlines()
    assert [line.split(",")[1] for line in lines] == ["on_hand", "40.5", "40", ""]  # bread was 40.0


def test_purchase_plan_sums_the_forecasts_mean_over_the_lead_time():
    from ml.forecast_backtest import MEAN
    from services.retail_plan import purchase_plan

    dates = pd.date_range("2018-01-01", periods=14, freq="D")
    forecast = pd.DataFrame({"item": "sparse", "date": dates, "p10": 0.0, "p50": 0.66, "p90": 2.0, MEAN: 0.89})
    plan = purchase_plan(forecast, ["item"], lead_time=7)
    assert plan["lead_time_demand"].iloc[0] == pytest.approx(6.23)  # 7 × 0.89; the P50s summed to 4.62
    older = purchase_plan(forecast.drop(columns=MEAN), ["item"], lead_time=7)  # a run stored without means
    assert older["lead_time_demand"].iloc[0] == pytest.approx(4.62)
    assert list(plan.columns) == list(older.columns)
