"""Post-champion rules of the retail desk: slow sellers are judged from their first sale and get a mean."""
import numpy as np
import pandas as pd
import pytest

from services import retail_adjust as adjust


def test_slow_sellers_are_judged_from_their_first_sale_and_forecast_at_their_yearly_mean():
    weeks = pd.date_range("2023-01-02", periods=104, freq="W-MON")
    slow = np.tile([1.0, 0, 0, 0], 26)
    slow[-8:] = 0.0                                            # 8 empty weeks: its 8-week average would be 0
    launch = np.r_[np.zeros(84), np.full(20, 42.0)]           # padded with zeros, then sells every week
    history = pd.concat([pd.DataFrame({"unique_id": "slow", "ds": weeks, "y": slow}),
                         pd.DataFrame({"unique_id": "launch", "ds": weeks, "y": launch})], ignore_index=True)
    assert adjust._slow_series(history, "W") == ["slow"]
    assert adjust._last_year_mean(history, "W")["slow"] == pytest.approx(slow[-52:].mean())
    assert adjust._last_year_mean(history, "W")["launch"] == pytest.approx(42.0)


def test_a_seasonal_item_with_a_long_off_season_is_not_a_slow_seller():
    weeks = pd.date_range("2023-01-02", periods=104, freq="W-MON")
    summer = np.where(weeks.month.isin([5, 6, 7, 8, 9]), 20.0, 0.0)     # zero 7 months a year, in one run
    history = pd.DataFrame({"unique_id": "garden", "ds": weeks, "y": summer})
    assert adjust._slow_series(history, "W") == []


def test_sparse_sellers_with_long_chance_gaps_are_still_slow_sellers():
    rng = np.random.default_rng(11)
    days = pd.date_range("2023-01-01", periods=700, freq="D")
    items = [pd.DataFrame({"unique_id": f"spare{i}", "ds": days,
                           "y": np.where(rng.random(700) < 0.04, rng.integers(1, 4, 700), 0).astype(float)})
             for i in range(20)]
    assert len(adjust._slow_series(pd.concat(items, ignore_index=True), "D")) >= 19


def test_a_champion_well_over_or_under_total_demand_in_the_backtest_is_said():
    from services.retail_backtest_notes import bias_notes

    table = {"seasonal_naive": {"wape": 23.5, "bias": 18.2}, "lightgbm": {"wape": 31.2, "bias": -6.5}}
    (note,) = bias_notes(table, "seasonal_naive", "wape")
    assert note.startswith("The champion (seasonal_naive) forecast 18 % over total demand in the backtest: expect "
                           "its P50 to run high")
    table["seasonal_naive"]["bias"] = -12.0
    assert "12 % under total demand" in bias_notes(table, "seasonal_naive", "wape")[0]
    table["seasonal_naive"]["bias"] = 4.0
    assert bias_notes(table, "seasonal_naive", "wape") == []
    table["zero"] = {"wape": 20.0, "bias": -80.0}  # lower error, set aside for missing demand by 80 %
    notes = bias_notes(table, "seasonal_naive", "wape")
    assert len(notes) == 1 and notes[0].startswith("zero had a lower backtest WAPE but missed total demand by -80 %")


def test_left_out_columns_say_how_to_use_drivers_and_set_identifiers_apart():
    from ml.forecast_prep import PrepOptions, prepare
    from services.retail import _exogenous

    days = pd.date_range("2024-01-01", periods=60)
    frame = pd.DataFrame({"day": days, "store": "a", "units": 5.0, "Row ID": np.arange(60),
                          "Postal Code": 10001, "promo": np.arange(60) % 2, "region": "east", "store_nbr": 44})
    prepared = prepare(frame, PrepOptions(date="day", target="units", series=("store",), horizon=7))
    used, future, notes = _exogenous(None, prepared, {"horizon": 7})
    assert used == () and future is None
    assert notes == ["Numeric columns left out of the model (no future values given): promo. To use them as drivers, "
                     "add the dates to forecast as rows with them filled and the quantity blank (or upload a filled "
                     "future template on the page).",
                     "Other columns left out (identifiers, codes or text, not drivers): Row ID, Postal Code, region, "
                     "store_nbr."]


def test_a_column_blank_on_the_future_rows_is_named_as_left_out():
    """Rossmann's Customers (counted once the day is over, blank on the dates to forecast) was dropped without a
    word while Promo, filled in, was said to be used."""
    from ml.forecast_prep import PrepOptions, prepare
    from services.retail import _exogenous

    days = pd.date_range("2024-01-01", periods=67)
    frame = pd.DataFrame({"day": days, "store": "a", "units": np.r_[np.full(60, 5.0), np.full(7, np.nan)],
                          "Promo": np.arange(67) % 2, "Customers": np.r_[np.full(60, 40.0), np.full(7, np.nan)]})
    prepared = prepare(frame, PrepOptions(date="day", target="units", series=("store",), horizon=7))
    used, future, notes = _exogenous(None, prepared, {"horizon": 7})
    assert used == ("Promo",) and future["Promo"].tolist() == [0, 1, 0, 1, 0, 1, 0]
    assert notes == ["Driver column(s) Promo are used, with their values from the table's future rows.",
                     "Column(s) Customers are left out of the model: the table's future rows do not give them for "
                     "every series and each of the 7 forecast dates (a figure known only after the day, such as a "
                     "customer count, cannot drive a forecast)."]

def test_a_weekday_the_business_never_opens_is_forecast_at_zero():
    from ml.forecast_prep import PrepOptions, prepare

    days = pd.date_range("2024-01-01", periods=120)
    frame = pd.DataFrame({"day": np.tile(days, 2), "shop": np.repeat(["a", "b"], 120), "units": 5.0})
    frame = frame[frame["day"].dt.dayofweek != 5]  # no row on any Saturday
    prepared = prepare(frame, PrepOptions(date="day", target="units", series=("shop",), horizon=14))
    future = pd.DataFrame({"unique_id": np.repeat(["shop=a", "shop=b"], 14),
                           "ds": np.tile(pd.date_range(days[-1] + pd.Timedelta(days=1), periods=14), 2),
                           "p10": 3.0, "p50": 5.0, "p90": 7.0})
    notes: list[str] = []
    out = adjust.closed_weekdays(prepared, future, notes)
    saturdays = out["ds"].dt.dayofweek == 5
    assert (out.loc[saturdays, ["p10", "p50", "p90"]] == 0).all().all() and saturdays.sum() == 4
    assert (out.loc[~saturdays, "p50"] == 5).all()
    assert notes == ["No series had a row on Saturdays in each of the last 8 weeks: the business is closed then, "
                     "and those days are forecast at 0."]
    opened = prepare(pd.DataFrame({"day": days, "shop": "a", "units": 5.0}),
                     PrepOptions(date="day", target="units", series=("shop",), horizon=14))
    assert adjust.closed_weekdays(opened, future, []).equals(future)


def test_a_store_with_rows_of_zero_sales_on_its_closed_weekday_is_forecast_at_zero_then():
    from ml.forecast_prep import PrepOptions, prepare

    rng = np.random.default_rng(5)
    days = pd.date_range("2024-01-01", periods=120)
    units = rng.poisson(40, (2, 120)).astype(float)
    units[0, days.dayofweek == 6] = 0.0  # shop a: a row of 0 sales every Sunday (Rossmann's Open = 0)
    units[1, ::9] = 0.0                  # shop b: open on Sundays, a quiet day now and then
    frame = pd.DataFrame({"day": np.tile(days, 2), "shop": np.repeat(["a", "b"], 120), "units": units.ravel()})
    prepared = prepare(frame, PrepOptions(date="day", target="units", series=("shop",), horizon=14))
    future = pd.DataFrame({"unique_id": np.repeat(["shop=a", "shop=b"], 14),
                           "ds": np.tile(pd.date_range(days[-1] + pd.Timedelta(days=1), periods=14), 2),
                           "p10": 0.0, "p50": 0.0, "p90": 30.0})
    future.loc[future["ds"].dt.dayofweek != 6, ["p10", "p50", "p90"]] = [30.0, 40.0, 50.0]
    notes: list[str] = []
    out = adjust.closed_weekdays_of_series(prepared, future, notes)
    sundays = out["ds"].dt.dayofweek == 6
    assert (out.loc[sundays & (out["unique_id"] == "shop=a"), "p90"] == 0).all() and sundays.sum() == 4
    assert (out.loc[sundays & (out["unique_id"] == "shop=b"), "p90"] == 30).all()
    assert (out.loc[~sundays, "p50"] == 40).all()
    assert notes == ["1 series sold nothing on Sundays (a row of 0 on each of them) while selling on nearly every "
                     "other day: closed then. Those rows are not read as sales (left out of training and scoring, "
                     "bridged for the lag features) and the days are forecast at 0, band included: shop=a."]
    assert adjust.closed_weekdays_of_series(prepared, out, []).equals(out)  # nothing left to zero: no second note


def test_a_series_that_never_sold_is_forecast_at_zero_whatever_the_champion():
    """Preparation says such series 'are forecast at 0'; a LightGBM champion gave a Favorita-like family with
    only rows of 0 a small level (0.065 a day, P90 0.16)."""
    from ml.forecast_prep import PrepOptions, prepare

    rng = np.random.default_rng(0)
    days = pd.date_range("2024-01-01", periods=60, freq="D")
    frame = pd.concat([pd.DataFrame({"date": days, "family": name, "sales": values}) for name, values in
                       (("GROCERY", rng.poisson(40, 60).astype(float)), ("BOOKS", np.zeros(60)))], ignore_index=True)
    prepared = prepare(frame, PrepOptions(date="date", target="sales", series=("family",), horizon=7))
    fake = pd.DataFrame({"unique_id": ["family=BOOKS", "family=GROCERY"], "yhat": 0.5, "p10": 0.1, "p50": 0.5,
                         "p90": 0.9})
    out = adjust.never_sold_at_zero(prepared, fake)
    assert out["p90"].tolist() == [0.0, 0.9] and out["p50"].tolist() == [0.0, 0.5] and out["yhat"].iloc[0] == 0


def test_a_never_sold_series_backtest_rows_are_scored_at_zero_as_its_forecast_is(monkeypatch):
    """Its LightGBM backtest rows kept the model's small level (sMAPE 200 on each, actual 0), and a Favorita-like
    run's sMAPE read 53.7 while the forecast written was 0."""
    from ml.forecast_prep import PrepOptions, prepare
    from services import retail

    monkeypatch.setattr(retail.rules, "champion_from_table", lambda table, *windows: ("lightgbm", "wape"))
    run_backtest = retail.backtest.run_backtest

    def model_level(*args, **kwargs):  # LightGBM's level for such a series on a Favorita-like file: 0.063 a day
        rows = run_backtest(*args, **kwargs)
        return rows.assign(yhat=rows["yhat"].where(rows["model"] != "lightgbm", rows["yhat"] + 0.063))

    monkeypatch.setattr(retail.backtest, "run_backtest", model_level)
    rng = np.random.default_rng(0)
    days = pd.date_range("2024-01-01", periods=120, freq="D")
    party = rng.poisson(3, 120).astype(float)
    party[:60] = 0
    frame = pd.concat([pd.DataFrame({"date": days, "family": name, "sales": values}) for name, values in
                       (("GROCERY", rng.poisson(40, 120).astype(float)), ("PARTY", party),
                        ("BOOKS", np.zeros(120)))], ignore_index=True)
    prepared = prepare(frame, PrepOptions(date="date", target="sales", series=("family",), horizon=7))
    result = retail.fit_and_forecast(prepared, horizon=7, windows=1, n_estimators=5)
    rows = result["backtest"]
    books = rows[rows["unique_id"] == "family=BOOKS"]
    assert len(books) and (books[["yhat", "p10", "p50", "p90"]] == 0).all().all()
    by_series = result["by_series"].set_index("unique_id")
    assert by_series.loc["family=BOOKS", "smape"] == 0.0  # 200 on each row before
    assert result["table"]["lightgbm"]["smape"] < 60  # its rows, a third of all, at 200 each before
    assert (result["forecast"].loc[result["forecast"]["unique_id"] == "family=BOOKS", "p90"] == 0).all()
