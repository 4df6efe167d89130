"""Declared features: generated names are pinned, the config round-trips through JSON."""
import numpy as np
import pandas as pd

from ml import forecast_calendar as calendar
from ml import forecast_models as models

DAILY_H14 = ["store", "lag1", "lag7", "lag14", "lag28", "rolling_mean_lag1_window_size7",
             "rolling_mean_lag1_window_size28", "rolling_mean_lag28_window_size7",
             "dayofweek", "month", "dayofyear", "year"]
WEEKLY_H4 = ["store", "lag1", "lag2", "lag4", "lag8", "lag13", "lag26", "rolling_mean_lag1_window_size4",
             "rolling_mean_lag1_window_size13", "week", "month", "year"]


def history(freq, periods, seed=0):
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2022-01-03", periods=periods, freq=freq)
    rows = [pd.DataFrame({"unique_id": f"store={s}", "ds": dates, "y": rng.poisson(20, periods).astype(float),
                          "store": str(s)}) for s in (1, 2)]
    return pd.concat(rows, ignore_index=True)


def test_daily_feature_names_are_pinned():
    data = history("D", 60)
    config = models.feature_config("D", "D", 14, 60 - 14, static=("store",), n_estimators=5)
    fitted = models.fit_lightgbm(data, config, threads=1)
    assert fitted.feature_names == DAILY_H14
    forecast = fitted.predict(14)
    assert len(forecast) == 28 and forecast["ds"].min() == pd.Timestamp("2022-03-04")
    rows = fitted.predicted_features(forecast)
    assert len(rows) == 28 and rows[DAILY_H14].notna().all().all()


def test_weekly_feature_names_are_pinned_and_config_round_trips():
    config = models.feature_config("W", "W-MON", 4, 36, static=("store",), n_estimators=5)
    fitted = models.fit_lightgbm(history("W-MON", 40), config, threads=1)
    assert fitted.feature_names == WEEKLY_H4
    assert models.FeatureConfig.from_json(config.to_json()) == config


def test_a_year_lag_keeps_its_rolling_mean_only_where_rows_are_left_to_train_on():
    """55 weeks before the first backtest cut (61 in all, horizon 2): a 4-week mean at lag 52 needs 55 weeks
    before a row has it, and the fit crashed on an empty table."""
    for weeks, rolled in ((55, False), (58, True)):
        config = models.feature_config("W", "W-MON", 2, weeks, static=("store",), n_estimators=5)
        assert 52 in config.lags and (52 in config.rolling) is rolled
        fitted = models.fit_lightgbm(history("W-MON", weeks), config, threads=1)
        assert len(fitted.predict(2)) == 4


def test_baselines_repeat_the_last_season_and_the_last_window_mean():
    data = history("D", 21)
    naive = models.seasonal_naive(data, "D", "D", 10)
    one = data[data["unique_id"] == "store=1"]["y"].to_numpy()
    assert naive[naive["unique_id"] == "store=1"]["yhat"].tolist() == list(np.resize(one[-7:], 10))
    average = models.moving_average(data, "D", "D", 3)
    assert average[average["unique_id"] == "store=1"]["yhat"].iloc[0] == one[-21:].mean()


def test_lags_scale_with_frequency_and_avoid_feedback_on_long_horizons():
    assert calendar.model_lags("D", 14, 2000) == (1, 7, 14, 28, 91, 98, 182, 364)
    assert calendar.model_lags("D", 90, 2000) == (90, 91, 98, 182, 364)
    assert calendar.model_lags("W", 4, 200) == (1, 2, 4, 8, 13, 26, 52)
    assert calendar.model_lags("W", 4, 40) == (1, 2, 4, 8, 13, 26)
    assert calendar.model_lags("M", 3, 60) == (1, 2, 3, 6, 12)


DAILY_H90 = ["store", "lag90", "lag91", "lag98", "lag182", "lag364", "rolling_mean_lag90_window_size7",
             "rolling_mean_lag90_window_size28", "rolling_mean_lag364_window_size7",
             "seasonal_rolling_mean_lag364_season_length7_window_size4",
             "seasonal_rolling_mean_lag91_season_length7_window_size8", "dayofweek", "month", "dayofyear", "year"]


def test_long_daily_history_adds_weekday_means_and_the_yearly_naive():
    data = history("D", 900)
    config = models.feature_config("D", "D", 90, 900 - 90, static=("store",), n_estimators=5, log_scale=True)
    assert config.seasonal_rolling == {91: (8,), 364: (4,)} and config.transform == "log1p"
    assert config.params["colsample_bytree"] == models.COLUMN_SAMPLE == 0.5  # each tree sees half the features
    assert config.baselines == (models.SEASONAL_NAIVE, models.YEARLY_NAIVE, models.SEASONAL_INDEX,
                                models.MOVING_AVERAGE)
    assert models.FeatureConfig.from_json(config.to_json()) == config
    fitted = models.fit_lightgbm(data, config, threads=1)
    assert fitted.feature_names == DAILY_H90
    assert (fitted.predict(90)["yhat"] >= 0).all()
    yearly = models.yearly_naive(data, "D", "D", 90)
    one = data[data["unique_id"] == "store=1"]["y"].to_numpy()
    assert yearly[yearly["unique_id"] == "store=1"]["yhat"].tolist() == list(one[-364:-364 + 90])
    assert models.baselines_for("D", 400) == models.BASELINES and models.baselines_for("W", 200) == models.BASELINES
    assert models.baselines_for("W", 104, log_scale=True) == (models.SEASONAL_NAIVE, models.SEASONAL_INDEX,
                                                                 models.MOVING_AVERAGE)
    assert models.baselines_for("M", 12, log_scale=True) == models.BASELINES  # no month seen twice
    assert models.SEASONAL_INDEX not in models.baselines_for("D", 900)  # sales may be negative: no ratios
    # A few recent launches bound the lags, not the year-based candidates.
    launched = models.feature_config("D", "D", 28, 200, static=(), log_scale=True, longest=800)
    assert models.SEASONAL_INDEX in launched.baselines and launched.lags[0] == 28


QUARTERLY_H4 = ["store", "lag1", "lag2", "lag3", "lag4", "lag8", "rolling_mean_lag1_window_size4",
                "rolling_mean_lag1_window_size8", "rolling_mean_lag8_window_size4", "quarter", "year"]


def test_quarterly_features_are_the_quarter_of_the_year_and_lags_leave_short_series_rows_to_learn_from():
    config = models.feature_config("Q", "QS-JAN", 4, 60, static=("store",), n_estimators=5, log_scale=True)
    assert config.date_features == ("quarter", "year")  # no month or week: one value per quarter, a copy
    fitted = models.fit_lightgbm(history("QS", 64), config, threads=1)
    assert fitted.feature_names == QUARTERLY_H4
    assert fitted.predict(4)["ds"].min() == pd.Timestamp("2038-04-01")  # history runs Q2 2022 to Q1 2038
    assert config.baselines == (models.SEASONAL_NAIVE, models.SEASONAL_INDEX, models.MOVING_AVERAGE)
    short = models.feature_config("Q", "QS-JAN", 4, 12, static=("store",))
    assert short.lags == (1, 2, 3, 4) and short.rolling == {1: (4,), 4: (4,)}  # lag 8 left 4 rows a series
    assert calendar.model_lags("Q", 8, 80) == (1, 2, 3, 4, 8) and calendar.minimum_history("Q", 4) == 12


def test_quarterly_baselines_repeat_the_same_quarter_last_year_and_average_a_year():
    data = history("QS", 10)
    one = data[data["unique_id"] == "store=1"]["y"].to_numpy()
    naive = models.seasonal_naive(data, "Q", "QS-JAN", 6)
    assert naive[naive["unique_id"] == "store=1"]["yhat"].tolist() == list(np.resize(one[-4:], 6))
    average = models.moving_average(data, "Q", "QS-JAN", 2)
    assert average[average["unique_id"] == "store=1"]["yhat"].iloc[0] == one[-4:].mean()
