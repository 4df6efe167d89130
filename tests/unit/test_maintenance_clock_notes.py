"""A clock without a date that passes midnight is said on the failure-risk side too, and a scored file's hour,
minute and second columns, which RUL training left out, are named among the columns the model ignores."""
import numpy as np
import pandas as pd

from ml.rul_history import HistoryPreprocessor
from services.maintenance_checks import with_history
from services.maintenance_clock import midnight_note
from services.maintenance_rul_notes import rul_ignored_note
from services.maintenance_score_notes import history_notes

SAID = ("Time column 'time' holds times of day without a date: 2 machine(s) pass midnight (Bearing1_1, Bearing1_3); "
        "a day was added at each midnight, in the file's order.")


def _bearings(starts=("23:30:00", "10:00:00", "23:50:00", "14:00:00"), readings=60, dated=False):
    rng = np.random.default_rng(0)
    parts = []
    for number, start in enumerate(starts, start=1):
        stamps = pd.Timestamp(f"2010-11-05 {start}") + pd.to_timedelta(np.arange(readings) * 60, unit="s")
        wear = np.linspace(0, 1, readings) ** 3
        parts.append(pd.DataFrame({"bearing": f"Bearing1_{number}",
                                   "time": stamps.strftime("%Y-%m-%d %H:%M:%S" if dated else "%H:%M:%S"),
                                   "hour": stamps.hour, "min": stamps.minute, "s": stamps.second,
                                   "rms_h": 0.4 + 2 * wear + rng.normal(0, 0.02, readings)}))
    return pd.concat(parts, ignore_index=True)


def _history(frame):
    flags = {"time": "timestamp (dates and times written as text)"}
    return with_history(frame, flags, ["rms_h"], "bearing")[1]


def test_failure_risk_says_which_machines_pass_midnight():
    frame = _bearings()
    history = _history(frame)
    assert midnight_note(frame, history) == [SAID]  # before: no note at all
    assert history_notes(frame, history)[0] == SAID  # scoring says it too


def test_no_midnight_note_for_dated_times_or_a_clock_within_a_day():
    dated = _bearings(dated=True)
    assert midnight_note(dated, _history(dated)) == []
    daytime = _bearings(starts=("08:00:00", "10:00:00", "12:00:00", "14:00:00"))
    assert midnight_note(daytime, _history(daytime)) == []


def test_scored_clock_columns_are_named_as_left_out():
    frame = _bearings(starts=("08:00:00", "10:00:00", "12:00:00", "14:00:00"), readings=40)
    prep = HistoryPreprocessor(unit="bearing", time="time").fit(frame)
    assert "hour" not in prep.sensors_ and prep.columns_ == list(frame.columns)
    read = [prep.unit, prep.time, *prep.settings_, *prep.sensors_]
    scored = frame.assign(extra=1.0)
    assert rul_ignored_note(scored, prep.columns_, read) == [
        "Ignored 4 column(s) the model does not use: extra; hour, min, s (left out in training: parts of a time of "
        "day)."]  # before: 'Ignored 1 column(s) the model does not use: extra.'
    assert rul_ignored_note(frame.drop(columns=["hour", "min", "s"]).assign(extra=1.0), prep.columns_, read) == [
        "Ignored 1 column(s) the model does not use: extra."]
    assert rul_ignored_note(frame, None, read) == []


def _labelled(frame):
    ends = frame.groupby("bearing").cumcount() >= 50
    return frame.assign(rms_v=frame["rms_h"] * 0.5 + np.random.default_rng(1).normal(0, 0.3, len(frame)),
                        failure=ends.astype(int))


def test_failure_risk_leaves_clock_columns_out():
    from services import maintenance

    setup, _, _ = maintenance.inspect_failure_data(_labelled(_bearings()), "failure", id_column="bearing")
    assert {"hour", "min"} <= set(setup.flags) and setup.flags["hour"].startswith("part of a time of day")
    assert not any(f.startswith(("hour", "min")) for f in setup.features)  # before: hour, min and their history
    operating = _labelled(_bearings()).assign(hour=lambda f: f.groupby("bearing").cumcount() + 100)
    setup, _, _ = maintenance.inspect_failure_data(operating.drop(columns=["min", "s"]), "failure", id_column="bearing")
    assert not setup.flags.get("hour", "").startswith("part of a time of day")  # operating hours past 23


def test_one_machine_past_midnight_is_said_without_a_machine_name():
    frame = _bearings(starts=("23:30:00",), readings=90).drop(columns=["bearing"])
    history = with_history(frame, {"time": "timestamp (dates and times written as text)"}, ["rms_h"], None)[1]
    assert history is not None
    assert midnight_note(frame, history) == [
        "Time column 'time' holds times of day without a date: the readings (one machine's) pass midnight; a day was "
        "added at each midnight, in the file's order."]
