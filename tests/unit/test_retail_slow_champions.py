"""Slow sellers (intermittent spare parts) get their last-year mean under a baseline champion too."""
import numpy as np
import pandas as pd
import pytest

from ml.forecast_prep import PrepOptions, prepare
from services import retail_adjust as adjust

WEEKS = pd.date_range("2023-01-01", periods=100, freq="W-SUN")
AHEAD = pd.date_range(WEEKS[-1] + pd.Timedelta(weeks=1), periods=4, freq="W-SUN")


def _prepared():
    rng = np.random.default_rng(2)
    parts = [pd.DataFrame({"week": WEEKS, "part": f"fast{i}", "qty": rng.poisson(40, len(WEEKS)).astype(float)})
             for i in range(2)]
    quiet_lately = np.tile([0.0, 0, 3, 0, 0, 0, 0, 0, 0, 0], 10)  # 3 every 10 weeks; none in its last 8
    parts.append(pd.DataFrame({"week": WEEKS, "part": "spare", "qty": quiet_lately}))
    return prepare(pd.concat(parts, ignore_index=True), PrepOptions(date="week", target="qty", series=("part",),
                                                                      horizon=4))


def _moving_average(prepared) -> pd.DataFrame:
    rows = [pd.DataFrame({"unique_id": sid, "ds": AHEAD, "yhat": level, "p10": level, "p50": level, "p90": level,
                          "model": "moving_average"})
            for sid, level in prepared.frame.groupby("unique_id")["y"].apply(lambda s: s.tail(8).mean()).items()]
    return pd.concat(rows, ignore_index=True)


@pytest.mark.parametrize("champion,why", [("moving_average", "reads only their last 8 periods"),
                                          ("seasonal_naive", "copies one period of theirs")])
def test_a_baseline_champion_does_not_leave_a_spare_part_at_its_latest_quiet_spell(champion, why):
    # With a moving average champion the part read 0 a week (its last 8 weeks), so its reorder point held no
    # lead-time demand; its rate is 0.3 a week.
    prepared = _prepared()
    notes: list[str] = []
    out = adjust.slow_sellers_on_a_mean(prepared, _moving_average(prepared), prepared.frame, 4, notes, exclude=[],
                                        champion=champion)
    spare = out[out["unique_id"] == "part=spare"]
    assert spare["p50"].to_numpy() == pytest.approx(np.full(4, 0.3), rel=0.35)  # shaped by the fast parts ±
    assert spare["model"].eq("mean_last_year").all() and (spare["p90"] >= spare["p50"]).all()
    assert why in notes[0] and "part=spare" in notes[0]
    fast = out[out["unique_id"] == "part=fast0"]
    assert fast["model"].eq("moving_average").all()


def test_a_seasonal_index_champion_keeps_its_forecast():
    prepared = _prepared()
    notes: list[str] = []
    forecast = _moving_average(prepared).assign(model="seasonal_index")
    out = adjust.slow_sellers_on_a_mean(prepared, forecast, prepared.frame, 4, notes, exclude=[],
                                        champion="seasonal_index")
    assert out.equals(forecast) and notes == []
