"""Products launched a few weeks before the forecast origin follow their established peers' season ahead: a flat
last value or recent mean missed the autumn rise (interval coverage about 61 % against 80 %)."""
import numpy as np
import pandas as pd

from ml import forecast_launch as launch
from ml.forecast_prep import Prepared
from services import retail_short

WEEKS = pd.date_range("2023-01-01", periods=40, freq="W-SUN")
AHEAD = pd.date_range(WEEKS[-1], periods=9, freq="W-SUN")[1:]


def _frame(store: str, item: str, weeks: pd.DatetimeIndex, level: float) -> pd.DataFrame:
    return pd.DataFrame({"unique_id": f"store={store}|item={item}", "ds": weeks, "y": level, "imputed": False,
                         "store": store, "item": item})


def _ahead(ids: list[str], rise: float) -> pd.DataFrame:
    """Established series' forecast: their level × 1 … × rise over the 8 weeks ahead."""
    shape = np.linspace(1.0, rise, len(AHEAD))
    return pd.concat([pd.DataFrame({"unique_id": sid, "ds": AHEAD, "yhat": 100.0 * shape}) for sid in ids])


def test_a_launch_takes_the_season_ahead_of_its_store():
    north = [_frame("N", f"old{i}", WEEKS, 100.0) for i in range(5)]
    south = [_frame("S", f"old{i}", WEEKS, 100.0) for i in range(5, 10)]
    new = [_frame("N", "new", WEEKS[-6:], 20.0), _frame("S", "new2", WEEKS[-3:], 20.0)]
    established = pd.concat([*north, *south])
    ahead = pd.concat([_ahead([f"store=N|item=old{i}" for i in range(5)], 1.5),
                       _ahead([f"store=S|item=old{i}" for i in range(5, 10)], 0.5)])
    short = pd.concat(new)
    point = pd.concat([pd.DataFrame({"unique_id": sid, "ds": AHEAD, "yhat": 20.0})
                       for sid in short["unique_id"].unique()], ignore_index=True)
    factor = launch.season_ahead(point, short, established, ahead, keys=("store", "item"), name="moving_average",
                                 freq="W", pandas_freq="W-SUN", horizon=8)
    north_new = factor[point["unique_id"] == "store=N|item=new"].to_numpy()
    south_new = factor[point["unique_id"] == "store=S|item=new2"].to_numpy()
    assert np.allclose(north_new, np.linspace(1.0, 1.5, 8))   # its store's rise, not the file's flat sum
    assert np.allclose(south_new, np.linspace(1.0, 0.5, 8))


def test_fewer_peers_than_needed_leave_the_forecast_as_it_was():
    established = pd.concat([_frame("N", f"old{i}", WEEKS, 100.0) for i in range(launch.PEERS - 1)])
    short = _frame("N", "new", WEEKS[-6:], 20.0)
    point = pd.DataFrame({"unique_id": "store=N|item=new", "ds": AHEAD, "yhat": 20.0})
    factor = launch.season_ahead(point, short, established, _ahead(list(established["unique_id"].unique()), 2.0),
                                 keys=("store", "item"), name="seasonal_naive", freq="W", pandas_freq="W-SUN",
                                 horizon=8)
    assert (factor == 1.0).all()


def test_short_series_forecast_rises_with_the_established_series():
    rng = np.random.default_rng(0)
    old = [_frame("N", f"old{i}", WEEKS, 100.0).assign(y=lambda f: 100.0 + rng.normal(0, 3, len(f))) for i in range(8)]
    new = [_frame("N", f"new{i}", WEEKS[-16:], 30.0).assign(y=lambda f: 30.0 + rng.normal(0, 1, len(f)))
           for i in range(10)]
    frame = pd.concat([*old, *new], ignore_index=True)
    short_ids = tuple(frame.loc[frame["item"].str.startswith("new"), "unique_id"].unique())
    prepared = Prepared(frame, "W", "W-SUN", ("store", "item"), (), short_ids)
    rows = pd.DataFrame(columns=["unique_id", "ds", "y", "yhat", "model", "window"])
    notes: list[str] = []
    out = retail_short.short_forecast(prepared, {}, rows, pd.Series(dtype=float), horizon=8, windows=1,
                                      long_point=_ahead([f"store=N|item=old{i}" for i in range(8)], 1.4), notes=notes)
    first, last = out[out["ds"] == AHEAD[0]]["p50"], out[out["ds"] == AHEAD[-1]]["p50"]
    assert (last.to_numpy() / first.to_numpy()).min() > 1.3   # flat before: the launch level copied ahead
    assert "season ahead" in notes[0]
