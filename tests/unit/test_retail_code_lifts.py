"""Driver columns of codes enter the trees as each code's past lift, not as its alphabetical number.

A festival's number (its place in the alphabet) was read by the trees as a quantity: renumbering the codes changed
the forecast, and a festival seen on a few past dates was forecast well below its demand.
"""
import numpy as np
import pandas as pd

from ml import forecast_lifts as lifts
from ml import forecast_models as models
from services.retail import _exogenous, fit_and_forecast, prepare_sales

HORIZON = 14
NAMES = ["Alpha Fair", "Bonfire Night", "Carnival", "Dragon Boat"]


def _festivals(seed: int = 1) -> pd.DataFrame:
    """Two years and 14 days of eight series; each festival on one date a year (and once in the last 14 days),
    lifting sales by its own factor; ``festival`` blank on other days."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2022-01-01", periods=2 * 364 + HORIZON, freq="D")
    name = np.full(len(days), None, dtype=object)
    lift = np.ones(len(days))
    for k, (festival, factor) in enumerate(zip(NAMES, (2.5, 1.2, 3.0, 1.6))):
        for at in (40 + 80 * k, 404 + 80 * k, len(days) - HORIZON + 2 + 3 * k):
            name[at], lift[at] = festival, factor
    frames = [pd.DataFrame({"date": days, "shop": f"s{s}", "sales": rng.poisson(20 * (s + 1) * lift).astype(float),
                            "festival": name}) for s in range(8)]
    frame = pd.concat(frames, ignore_index=True)
    frame.loc[frame["date"] > days[-HORIZON - 1], "sales"] = np.nan
    return frame


def _fit_and_predict(coded: tuple[str, ...], renumber: dict[float, float] | None = None) -> pd.DataFrame:
    prepared = prepare_sales(_festivals(), {"date": "date", "target": "sales", "series": ["shop"],
                                            "horizon": HORIZON})
    used, future, _ = _exogenous(None, prepared, {"horizon": HORIZON})
    history = prepared.frame
    if renumber:  # the same codes, numbered in another order
        history = history.assign(festival=history["festival"].map(renumber))
        future = future.assign(festival=future["festival"].map(renumber))
    config = models.feature_config("D", "D", HORIZON, int(history.groupby("unique_id").size().min()),
                                   static=prepared.keys, exogenous=used, n_estimators=60, coded=coded)
    fitted = models.fit_lightgbm(history, config, threads=1)
    return fitted.predict(HORIZON, future_exog=future[["unique_id", "ds", *used]])


def test_renumbering_the_codes_does_not_change_the_forecast():
    shuffled = {0.0: 2.0, 1.0: 0.0, 2.0: 4.0, 3.0: 1.0, 4.0: 3.0}  # "(blank)" and the four names, in another order
    plain = _fit_and_predict(("festival",))
    renumbered = _fit_and_predict(("festival",), shuffled)
    np.testing.assert_allclose(plain["yhat"].to_numpy(), renumbered["yhat"].to_numpy())


def test_a_training_row_reads_its_code_lift_without_its_own_date():
    days = pd.to_datetime(["2023-01-01", "2023-01-01", "2023-02-01", "2023-03-01", "2023-04-01"])
    dates = pd.DataFrame({"code": [1.0, 1.0, 2.0, 0.0], "ds": pd.to_datetime(["2023-01-01", "2023-02-01",
                                                                               "2023-03-01", "2023-04-01"]),
                          "lift": [0.6, 0.9, 0.8, 0.0]})
    codes = pd.Series([1.0, 1.0, 1.0, 2.0, 0.0])
    # Code 1 seen on two dates: each reads the other's lift (shrunk by one date of none); code 2 seen once: none.
    np.testing.assert_allclose(lifts.training_lifts(codes, pd.Series(days), dates)[[0, 2, 3, 4]],
                               [0.9 / 2, 0.6 / 2, 0.0, 0.0])
    ahead = lifts.forecast_lifts(pd.Series([1.0, 2.0, 7.0]), lifts.code_lifts(dates))
    np.testing.assert_allclose(ahead, [1.5 / 3, 0.8 / 2, 0.0])  # a code never seen has no lift


def test_a_run_reads_its_coded_drivers_as_lifts():
    prepared = prepare_sales(_festivals(), {"date": "date", "target": "sales", "series": ["shop"],
                                            "horizon": HORIZON})
    used, future, _ = _exogenous(None, prepared, {"horizon": HORIZON})
    result = fit_and_forecast(prepared, horizon=HORIZON, windows=1, exogenous=used, future=future, n_estimators=10)
    assert result["config"].coded == ("festival",)
    assert models.FeatureConfig.from_json(result["config"].to_json()).coded == ("festival",)


def test_a_code_lift_is_its_dates_sales_over_the_same_weekdays_around_them():
    days = pd.date_range("2023-01-02", periods=63, freq="D")
    sales = np.where(days.dayofweek == 5, 20.0, 10.0)  # Saturdays sell twice as much
    code = np.zeros(len(days))
    code[days == "2023-02-04"] = 1.0  # a festival on a Saturday, selling 3 × a Saturday
    sales[days == "2023-02-04"] = 60.0
    history = pd.DataFrame({"unique_id": "a", "ds": days, "y": sales, "festival": code})
    dates = lifts.date_lifts(history.sample(frac=1, random_state=0), ("festival",), "D")["festival"]
    assert dates["code"].tolist() == [1.0]  # the ordinary day (the most common code) reads 0 by definition
    np.testing.assert_allclose(dates["lift"], [np.log1p(60.0) - np.log1p(20.0)])
