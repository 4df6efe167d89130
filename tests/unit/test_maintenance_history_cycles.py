"""History features along a whole-number time axis (the Azure template's turbofan 'cycle'), when a table has a
machine column but no timestamp: windows count readings, past readings of the same machine only, folds by
machine, and scoring builds them from the scored file's own readings."""
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml import unit_history
from services import maintenance as service
from services import maintenance_checks as checks
from services import maintenance_history_choice as choice
from services import maintenance_scoring as scoring

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"


def _engines(units: int = 6, seed: int = 0, time: str = "cycle") -> pd.DataFrame:
    """PM_train-like: id, cycle 1..life, a constant setting, a sensor drifting towards failure and a noisy one,
    label1 on the last 10 cycles; machine after machine, as the template lists them."""
    rng = np.random.default_rng(seed)
    frames = []
    for unit in range(1, units + 1):
        life = int(rng.integers(40, 70))
        cycle = np.arange(1, life + 1)
        frames.append(pd.DataFrame({"id": unit, time: cycle, "setting3": 100.0,
                                    "s2": 640 + 5 * (cycle / life) ** 3 + rng.normal(0, 0.5, life),
                                    "s3": 1585 + rng.normal(0, 6, life), "label1": (life - cycle <= 10).astype(int)}))
    return pd.concat(frames, ignore_index=True)


def _inspect(data: pd.DataFrame, **kwargs):
    setup, table, _ = service.inspect_failure_data(data, "label1", id_column="id", use_suggestions=False, **kwargs)
    return setup, table


def test_a_cycle_column_orders_each_machines_readings_when_there_is_no_timestamp():
    data = _engines()
    setup, table = _inspect(data)
    history = setup.history
    assert history is not None and (history.unit, history.time, history.axis) == ("id", "cycle", "readings")
    assert history.windows == (5, 20, 100) and history.step_seconds == 1 and history.sensors == ("s2", "s3")
    assert "cycle" in setup.features and "s2, 5-reading mean" in setup.features  # the cycle stays a feature
    assert "s3, reading minus 100-reading mean" in setup.features
    one = data[data["id"] == 3]
    assert table.loc[one.index, "s2, 5-reading mean"].tolist() == pytest.approx(
        one["s2"].rolling(5, min_periods=1).mean().tolist())  # this machine's last 5 readings only
    assert table.loc[one.index, "s2, 20-reading std dev"].tolist()[1:] == pytest.approx(
        one["s2"].rolling(20, min_periods=1).std().tolist()[1:])
    later = data.assign(s2=np.where(data["cycle"] > 30, 999.0, data["s2"]))  # the future changes
    later.loc[later["id"] == 4, "s2"] = 0.0                                  # another machine too
    _, changed = _inspect(later)
    earlier = (data["cycle"] <= 30) & (data["id"] != 4)
    names = history.names()
    pd.testing.assert_frame_equal(changed.loc[earlier, names], table.loc[earlier, names])
    note = checks.history_note(history)
    assert note.startswith("History features per 'id' in the order of 'cycle': 'cycle' has no dates, so the "
                           "windows count each machine's last 5, 20 and 100 readings along it.")


def test_cross_validation_keeps_each_engine_in_one_fold():
    setup, table = _inspect(_engines(units=8))
    groups, notes = checks.fold_groups(table, setup, "id", folds=4)
    assert groups is not None and (groups == table["id"].astype(str)).all()
    assert notes[0].startswith("Cross-validation keeps each 'id' value's readings in one fold (8 machines)")


@pytest.mark.parametrize("name", ["cycle", "cycles", "time_in_cycles", "time", "step", "hour", "day", "age"])
def test_columns_named_like_a_time_axis_are_read_as_one(name):
    setup, _ = _inspect(_engines(time=name))
    assert setup.history is not None and setup.history.time == name and setup.history.axis == "readings"


def test_columns_that_are_no_time_axis_give_no_history():
    data = _engines()
    hour_of_day = data.assign(cycle=data["cycle"] % 24)                        # wraps round within a machine
    measured = data.assign(cycle=data["cycle"] + 0.37)                          # not whole numbers
    sensor = data.rename(columns={"cycle": "pressure"})                          # not named like a time axis
    age = data.assign(cycle=data["id"] * 3)                                      # one value per machine
    one_reading = data.groupby("id").nth([0, -1])                                # too few readings per machine
    for table in (hour_of_day, measured, sensor, age, one_reading):
        assert _inspect(table)[0].history is None
    ai4i = pd.read_csv(SAMPLE).head(400)                                         # Product ID unique per row
    for id_column in ("UDI", "Product ID"):
        setup, _, _ = service.inspect_failure_data(ai4i, "Machine failure", id_column=id_column)
        assert setup.history is None and not [c for c in setup.features if "," in c]


def test_an_engine_listed_newest_first_is_still_read_along_its_cycles():
    data = _engines()
    setup, table = _inspect(data)
    flipped = data.iloc[::-1]  # every engine's readings newest first
    _, again = _inspect(flipped)
    assert again.set_index(flipped.index.to_numpy()).loc[data.index, setup.history.names()].to_numpy() == \
        pytest.approx(table[setup.history.names()].to_numpy(), nan_ok=True)


def test_scoring_builds_the_history_from_the_scored_files_own_readings_in_cycle_order():
    data = _engines()
    setup, table = _inspect(data)
    config = {"features": list(setup.features), "target": "label1", "id_column": "id",
              "history": asdict(setup.history), "fill": {}}
    test = data[data["cycle"] <= 25].drop(columns=["label1"])  # PM_test-like: engines cut short, no labels
    shuffled = test.sample(frac=1.0, random_state=0)
    _, _, _, scored, _ = scoring._readable(shuffled.reset_index(drop=True), config, [])
    expected = table.loc[test.index, setup.history.names()]
    got = scored.set_index(shuffled.index.to_numpy()).loc[test.index, setup.history.names()]
    assert got.to_numpy() == pytest.approx(expected.to_numpy(), nan_ok=True)  # first 25 cycles: same past
    keys = shuffled["id"].astype(str).reset_index(drop=True)
    order, notes = scoring.reading_order(shuffled.reset_index(drop=True), keys, "cycle", counted=True)
    assert (shuffled["cycle"].to_numpy()[order][keys.to_numpy()[order] == "2"] == np.arange(1, 26)).all()
    assert notes and "in the order of 'cycle'" in notes[0]
    short = pd.concat([test[test["id"] == 1].head(3), test[test["id"] == 2]])
    history = setup.history
    spans = unit_history.unit_spans(history, short["id"], short["cycle"])
    assert spans.tolist() == [3.0] * 3 + [25.0] * 25  # readings per engine, the windows' unit
    assert scoring.history_notes(short, history, (spans < 5).to_numpy()) == [
        "History features come from this file's own readings per 'id': of 2 machine(s), 1 have fewer readings than "
        "the 5-reading window (3 row(s), scored by the run's model on readings alone, with its own "
        "threshold) and 1 have fewer readings than 75% of training's usual 55.5 per machine. Include each "
        "machine's earlier readings to score it as in training."]


def test_a_run_stored_before_the_reading_axis_reads_as_a_timed_history():
    stored = {"unit": "machineID", "time": "datetime", "sensors": ["volt"], "windows": [21600, 86400, 604800],
              "step_seconds": 3600.0, "eligible": 1}
    history = unit_history.History.from_config(stored)
    assert history.axis == "time" and history.names()[0] == "volt, 6-hour mean"


def test_the_readings_alone_note_counts_readings_on_a_cycle_axis_and_spans_on_a_timestamp():
    snapshot = (None, {"cv_auc": 0.9, "cv_f1": 0.7, "threshold": 0.25})
    cycles = unit_history.History("id", "cycle", ("s2",), (5, 20, 100), 1.0, 1, unit_history.AXIS)
    timed = unit_history.History("machineID", "datetime", ("volt",), (21600, 86400, 604800), 3600.0, 1, "time")
    tail = ("(each machine's latest reading alone, say) is scored by a second model on the readings alone: "
            "cross-validated AUC 0.900, F1 0.700 at its own threshold 0.25. Send each machine's earlier readings "
            "too for the figures above.")
    assert choice.snapshot_notes(snapshot, cycles) == [
        f"A machine with fewer readings in a scored file than the 5-reading short window {tail}"]
    assert choice.snapshot_notes(snapshot, timed) == choice.snapshot_notes(snapshot) == [
        f"A machine whose readings in a scored file span less than the short window {tail}"]
    assert choice.snapshot_notes(None, cycles) == []
