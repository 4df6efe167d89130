"""Slow sellers on their last-year mean follow the season ahead that the other series' forecast shows."""
import numpy as np
import pandas as pd
import pytest

from ml.forecast_prep import PrepOptions, prepare
from services import retail_adjust as adjust

WEEKS = pd.date_range("2023-01-02", periods=100, freq="W-MON")
AHEAD = pd.date_range(WEEKS[-1] + pd.Timedelta(weeks=1), periods=4, freq="W-MON")


def _prepared():
    rng = np.random.default_rng(5)
    frames = [pd.DataFrame({"week": WEEKS, "item": f"fast{i}", "units": rng.poisson(50, len(WEEKS)).astype(float)})
              for i in range(6)]
    frames += [pd.DataFrame({"week": WEEKS, "item": f"slow{i}", "units": np.tile([2.0, 0, 0, 0], 25)})
               for i in range(2)]
    return prepare(pd.concat(frames, ignore_index=True),
                   PrepOptions(date="week", target="units", series=("item",), horizon=4))


def _forecast(prepared, ramp: np.ndarray) -> pd.DataFrame:
    """LightGBM's forecast: the fast items' mean demand (1.3 × their median) ramps up; the slow ones' median is 0."""
    rows = []
    for sid in prepared.frame["unique_id"].unique():
        level = 50.0 * ramp if "fast" in sid else np.zeros(len(AHEAD))
        rows.append(pd.DataFrame({"unique_id": sid, "ds": AHEAD, "yhat": level, "p10": level * 0.8, "p50": level,
                                  "p90": level * 1.2, "mean_demand": level * 1.3, "model": "lightgbm"}))
    return pd.concat(rows, ignore_index=True)


def test_slow_sellers_follow_the_season_ahead_of_the_other_series():
    prepared = _prepared()
    ramp = np.array([1.0, 1.5, 2.0, 1.2])
    forecast = _forecast(prepared, ramp)
    means = prepared.frame.groupby("unique_id")["y"].apply(lambda s: s.tail(52).mean())
    notes: list[str] = []
    out = adjust.slow_sellers_on_a_mean(prepared, forecast, prepared.frame, 4, notes, exclude=[])
    slow = out[out["unique_id"] == "item=slow0"].sort_values("ds")
    shape = ramp * 50.0 * 1.3 / means[[f"item=fast{i}" for i in range(6)]].mean()
    assert slow["p50"].to_numpy() == pytest.approx(0.5 * shape, rel=1e-9)   # a flat 0.5 before
    assert (slow["p90"].to_numpy() >= slow["p50"].to_numpy()).all()
    assert slow["model"].eq("mean_last_year").all()
    assert "the season and weekdays ahead" in notes[0]


def test_with_too_few_other_series_the_mean_stays_flat():
    prepared = _prepared()
    forecast = _forecast(prepared, np.array([1.0, 1.5, 2.0, 1.2]))
    notes: list[str] = []
    out = adjust.slow_sellers_on_a_mean(prepared, forecast, prepared.frame, 4, notes,
                                        exclude=[f"item=fast{i}" for i in range(2)])
    assert out.loc[out["unique_id"] == "item=slow1", "p50"].to_numpy() == pytest.approx(np.full(4, 0.5))
    assert "the season and weekdays ahead" not in notes[0]
