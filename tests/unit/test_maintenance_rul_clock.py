"""Run-to-failure histories timed by a clock without a date (a bearing rig's 23:59:50, then 00:00:00): a unit run
through the night keeps its readings in order, a day added at midnight. Read as today's times, its last, worn readings
were put first and the unit was said to hold two histories."""
import numpy as np
import pandas as pd
import pytest

from ml.rul_history import HistoryPreprocessor
from ml.rul_readings import past_midnight
from ml.rul_shape import TIME, UNIT


def _bearings(starts=("22:30:00", "09:00:00", "23:30:00", "13:00:00"), readings=120):
    rng = np.random.default_rng(0)
    parts = []
    for number, start in enumerate(starts, start=1):
        stamps = pd.Timestamp(f"2010-11-05 {start}") + pd.to_timedelta(np.arange(readings) * 60, unit="s")
        wear = np.linspace(0, 1, readings) ** 3
        parts.append(pd.DataFrame({"bearing": f"Bearing1_{number}", "time": stamps.strftime("%H:%M:%S"),
                                   "rms_h": 0.4 + 2 * wear + rng.normal(0, 0.02, readings)}))
    return pd.concat(parts, ignore_index=True)


def test_a_unit_run_past_midnight_keeps_its_readings_in_order():
    frame = _bearings()
    prep = HistoryPreprocessor(unit="bearing", time="time").fit(frame)
    prepared, notes = prep.transform(frame)
    said = ("Time column 'time' holds times of day without a date: 2 unit(s) pass midnight (Bearing1_1, Bearing1_3); "
            "a day was added at each midnight, in the file's order.")
    assert said in prep.notes_ and said in notes
    assert not any("Time starts again" in n or "not grouped by unit" in n for n in prep.notes_)  # before: both
    first = prepared[prepared[UNIT] == "Bearing1_1"]
    assert first[TIME].tolist() == pytest.approx(list(range(1, 121)))  # minutes from the first reading
    assert first["rms_h"].iloc[-1] > first["rms_h"].iloc[0] + 2  # the worn readings last, not first


def test_only_a_clock_read_in_order_is_moved_past_midnight():
    text = pd.Series(["23:58:00", "23:59:00", "00:00:00", "00:01:00", "10:00:00", "09:00:00", "11:00:00", "08:00"])
    stamps = pd.to_datetime("2020-01-01 " + text, format="mixed")
    units = pd.Series(["a"] * 4 + ["b"] * 4)  # b goes back by an hour: out of order, left as read
    moved, passed = past_midnight(text, stamps, units)
    assert passed == ["a"] and moved.dt.day.tolist() == [1, 1, 2, 2, 1, 1, 1, 1]
    dated = "2020-01-01 " + text
    assert past_midnight(dated, stamps, units) == (stamps, [])  # dates written: nothing to add


def test_failure_risk_history_reads_a_clock_past_midnight_in_order():
    from services.maintenance_checks import machine_times, with_history

    frame = _bearings(starts=("23:30:00", "10:00:00", "12:00:00", "14:00:00"), readings=60)
    times = machine_times("time", frame["time"], frame["bearing"])
    first = times[frame["bearing"] == "Bearing1_1"]
    assert first.is_monotonic_increasing and first.iloc[-1] - first.iloc[0] == pd.Timedelta(minutes=59)  # not 23 h
    flags = {"time": "timestamp (dates and times written as text)"}
    data, history = with_history(frame, flags, ["rms_h"], "bearing")
    worn = data[frame["bearing"] == "Bearing1_1"]
    assert history is not None and history.time == "time"
    minus = worn["rms_h, reading minus 1-week mean"]
    assert minus.iloc[0] == 0 and minus.iloc[-1] > 1  # the last, worn reading against the bearing's own past


def test_a_time_of_day_split_into_columns_is_no_sensor():
    frame = _bearings(starts=("08:00:00", "09:10:00", "10:20:00", "11:30:00"))
    stamps = pd.to_datetime(frame["time"], format="%H:%M:%S")
    clock = frame.assign(hour=stamps.dt.hour, min=stamps.dt.minute, s=stamps.dt.second)
    prep = HistoryPreprocessor(unit="bearing", time="time").fit(clock)
    assert "hour" not in prep.sensors_ and "min" not in prep.sensors_ and "rms_h" in prep.sensors_  # before: hour kept
    assert any(n.startswith("Left out hour, min, s: parts of a time of day") for n in prep.notes_)
    rng = np.random.default_rng(1)
    worn = frame.assign(min=frame["rms_h"] * 0.8 + rng.normal(0, 0.01, len(frame)),  # a window's minimum
                        hour=frame.groupby("bearing").cumcount() * 30)  # operating hours: past 23, an age
    kept = HistoryPreprocessor(unit="bearing", time="time").fit(worn)
    assert "min" in kept.sensors_ and not any("parts of a time of day" in n for n in kept.notes_)
