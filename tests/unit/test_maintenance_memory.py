"""Large telemetry (MetroPT-3: 1.5 million readings every 10 s) trains without copying the table at every step: the
model's input, the labelled rows and the readings-alone columns share the table's data, history features are written
window by window, folds fit on their sampled rows only, and label text leaves no garbage behind."""
import gc
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from ml import failure, failure_scores, unit_history
from ml.failure_inputs import labelled_rows, model_frame, shared_columns
from services.maintenance_clock import times_along


def _readings(n: int = 20_000) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({"timestamp": pd.date_range("2020-02-01", periods=n, freq="10s"),
                         **{s: rng.normal(9, 1, n) for s in ("TP2", "TP3", "H1", "Oil_temperature")},
                         "(one machine)": "the machine"})


def test_history_features_peak_near_their_own_size_and_match_a_plain_computation():
    frame = _readings()
    history = unit_history.History("(one machine)", "timestamp", ("TP2", "TP3", "H1", "Oil_temperature"),
                                   (60, 600, 604_800), 10.0)
    tracemalloc.start()
    features = unit_history.history_features(frame, history, frame["timestamp"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    size = features.memory_usage(index=False).sum()
    assert peak < 3 * size  # the four windows' tables, their filled copies and the features at once: 5.2 x
    rolled = frame.rolling("600s", on="timestamp", min_periods=1)["TP3"]
    assert np.allclose(features["TP3, 10-minute mean"], rolled.mean()) and np.allclose(
        features["TP3, 10-minute std dev"], rolled.std(), equal_nan=True)
    week = frame.rolling("604800s", on="timestamp", min_periods=1)["TP3"].mean()
    assert np.allclose(features["TP3, reading minus 1-week mean"], frame["TP3"] - week)
    assert list(features.columns) == history.names()
    joined = unit_history.joined(frame, features)
    assert np.shares_memory(joined["TP2"].to_numpy(), frame["TP2"].to_numpy())
    assert list(joined.columns) == [*frame.columns, *history.names()]


def test_a_reading_without_a_time_is_its_own_first_reading():
    frame = _readings(6).assign(timestamp=lambda f: f["timestamp"].where(f.index != 2))
    history = unit_history.History("(one machine)", "timestamp", ("TP2",), (60, 600, 604_800), 10.0)
    features = unit_history.history_features(frame, history, frame["timestamp"])
    row = features.iloc[2]
    assert row["TP2, 1-minute mean"] == row["TP2, 10-minute mean"] == frame["TP2"][2]
    assert np.isnan(row["TP2, 10-minute std dev"]) and row["TP2, reading minus 1-week mean"] == 0


def test_the_model_input_and_the_labelled_rows_share_the_tables_data():
    data = pd.DataFrame({"Torque [Nm]": [40.0, 41.0, 39.0], "when": pd.to_datetime(["2020-01-01"] * 3),
                         "failure": [0, np.nan, 1]})
    X = model_frame(data, ["Torque [Nm]", "when"])
    assert list(X.columns) == ["Torque _Nm_", "when"] and X["when"].tolist() == [18262.0] * 3
    assert np.shares_memory(X["Torque _Nm_"].to_numpy(), data["Torque [Nm]"].to_numpy())
    assert data["when"].dtype.kind == "M"  # the table keeps its own column
    assert np.shares_memory(shared_columns(X, ["Torque _Nm_"])["Torque _Nm_"].to_numpy(), X["Torque _Nm_"].to_numpy())
    full = data.assign(failure=[0, 0, 1])
    assert np.shares_memory(labelled_rows(full, "failure")["Torque [Nm]"].to_numpy(), full["Torque [Nm]"].to_numpy())
    labelled = labelled_rows(data, "failure")
    assert labelled.index.tolist() == [0, 1] and labelled["Torque [Nm]"].tolist() == [40.0, 39.0]
    labelled["failure"] = ["no", "yes"]
    assert data["failure"].tolist()[::2] == [0, 1]  # set on the labelled rows only


def test_folds_fit_on_their_drawn_rows_as_on_a_copy_of_the_folds_rows():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"torque": rng.normal(40, 10, 3000), "wear": rng.uniform(0, 250, 3000)})
    y = pd.Series(((X["torque"] > 55) & (X["wear"] > 150) | (rng.random(3000) < 0.01)).astype(int))
    rows = np.arange(0, 3000, 2)
    params = {**failure.model_settings(30), "max_rows": 500}
    by_rows = failure.FailureClassifierTask(**params).fit_rows(X, y, rows)
    copied = failure.FailureClassifierTask(**params).fit(X.iloc[rows], y.iloc[rows])
    assert by_rows.negative_share_ == copied.negative_share_ < 1
    assert np.array_equal(by_rows.predict(X)["p_1"], copied.predict(X)["p_1"])
    model = failure.FailureClassifierTask(**params).fit(X, y)
    assert np.array_equal(failure_scores.predicted(model, X, np.arange(3000), chunk=700), model.predict(X)["p_1"])


def test_reading_a_label_leaves_no_text_for_the_garbage_collector():
    labels = pd.Series(np.r_[np.zeros(49_000, int), np.ones(1_000, int)])
    gc.collect()
    gc.disable()
    try:
        tracemalloc.start()
        coded, positive = failure.binarise(labels)
        left, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    finally:
        gc.enable()
    assert positive == "1" and coded.sum() == 1_000
    assert left < 2_000_000  # the 50,000 strings of the label's text (2.9 MB) stayed until a collection


@pytest.mark.parametrize("times", [pd.Series(pd.to_datetime(["2020-01-01 10:00", None, "2020-01-01 09:00"])),
                                   pd.Series(["2020-01-01 10:00", None, "2020-01-01 09:00"])])
def test_the_clock_reads_each_time_once_and_leaves_a_blank_empty(times):
    history = unit_history.History("(one machine)", "t", ("x",), (60, 600, 604_800), 10.0)
    clock = times_along(times, history)
    assert clock[0] == pd.Timestamp("2020-01-01 10:00") and pd.isna(clock[1])
    assert clock[2] == pd.Timestamp("2020-01-01 09:00")
