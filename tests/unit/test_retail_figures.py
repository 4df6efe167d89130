"""The page's forecast chart opens on recent history, with the forecast readable beside it."""
from __future__ import annotations

import numpy as np
import pandas as pd

from reports.retail_figures import forecast_view_figure


def _frames(days: int, horizon: int):
    dates = pd.date_range("2013-01-01", periods=days, freq="D")
    history = pd.DataFrame({"date": dates, "y": 100 + 50 * np.sin(np.arange(days) / 58.0)})
    future = pd.date_range(dates[-1] + pd.Timedelta(days=1), periods=horizon, freq="D")
    forecast = pd.DataFrame({"date": future, "p10": 90.0, "p50": 100.0, "p90": 110.0})
    backtest = pd.DataFrame({"date": dates[-horizon:], "p50": 101.0, "window": 0})
    return history, backtest, forecast


def test_five_years_of_daily_history_open_on_the_last_eight_horizons():
    history, backtest, forecast = _frames(5 * 365, 28)
    fig = forecast_view_figure(history, backtest, forecast, "Daily forecast", "sales", "day")
    start, end = (pd.Timestamp(x) for x in fig.layout.xaxis.range)
    assert start == forecast["date"].iloc[0] - pd.Timedelta(days=8 * 28)  # was the whole history (no range)
    assert end >= forecast["date"].iloc[-1]
    assert len(fig.data[0].x) == 5 * 365  # the rest of the history is still drawn, a zoom-out away
    low, high = fig.layout.yaxis.range
    shown = history.loc[history["date"] >= start, "y"]
    top, bottom = max(shown.max(), 110.0), min(shown.min(), 90.0)
    assert low == 0.0 and high == top + 0.05 * (top - bottom) < history["y"].max()  # fits what is in view


def test_a_short_horizon_still_shows_90_days_and_a_short_history_is_not_zoomed():
    history, backtest, forecast = _frames(800, 7)
    fig = forecast_view_figure(history, backtest, forecast, "Daily forecast")
    assert pd.Timestamp(fig.layout.xaxis.range[0]) == forecast["date"].iloc[0] - pd.Timedelta(days=90)
    history, backtest, forecast = _frames(60, 7)
    assert forecast_view_figure(history, backtest, forecast, "Daily forecast").layout.xaxis.range is None
