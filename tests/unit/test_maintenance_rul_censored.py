"""Units a status column says were still running are left out of RUL training: read as failures at their last
reading, ten compressors still running among 40 put the validation RMSE at 136 hours instead of 34."""
import numpy as np
import pandas as pd

from ml.rul_history import HistoryPreprocessor
from ml.rul_leaks import end_mark
from ml.rul_shape import UNIT


def _fleet(failed: int = 5, running: int = 2, *, mark=("RUNNING", "FAILED")) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    parts = []
    for u in range(failed + running):
        n = 30 + 5 * u
        wear = np.linspace(0, 1, n) ** 2 * (0.5 if u >= failed else 1.0)
        status = [mark[0]] * n
        if u < failed:
            status[-1] = mark[1] if isinstance(mark[1], (str, int)) else mark[1][u % len(mark[1])]
        parts.append(pd.DataFrame({"asset": f"CMP-{u + 1:03d}", "op_hours": np.cumsum(rng.uniform(1, 20, n)).round(2),
                                   "temp": 70 + 15 * wear + rng.normal(0, 0.3, n), "status": status}))
    return pd.concat(parts, ignore_index=True).sample(frac=1, random_state=1)  # exports come unsorted


def test_units_whose_last_reading_lacks_the_failure_mark_are_left_out_with_a_note():
    prep = HistoryPreprocessor(unit="asset", time="op_hours").fit(_fleet())
    assert prep.running_units_ == ["CMP-006", "CMP-007"]
    assert prep.notes_[1].startswith("Left out 2 unit(s) still running when the file was written (CMP-006, CMP-007): "
                                     "'status' marks each failure on its unit's last reading (5 units)")
    assert prep.sensors_ == ["temp"]


def test_an_event_flag_and_several_failure_modes_mark_failures_and_leave_the_model():
    flagged = _fleet(mark=(0, 1)).rename(columns={"status": "event"})
    prep = HistoryPreprocessor(unit="asset", time="op_hours").fit(flagged)
    assert prep.running_units_ == ["CMP-006", "CMP-007"] and "event" not in prep.sensors_  # 1 on the end: the answer
    modes = _fleet(mark=(None, ("bearing", "seal"))).rename(columns={"status": "failure_mode"})
    assert end_mark(modes.sort_values(["asset", "op_hours"]), "asset", "op_hours") == (
        "failure_mode", ["CMP-006", "CMP-007"])


def test_a_fleet_that_all_failed_or_a_sensor_with_levels_leaves_nothing_out():
    every = _fleet(failed=6, running=0).sort_values(["asset", "op_hours"])
    assert end_mark(every, "asset", "op_hours") == (None, [])
    levels = _fleet().sort_values(["asset", "op_hours"]).drop(columns="status")
    levels["alarm"] = (levels["temp"] > 80).astype(int) + (levels["temp"] > 84).astype(int)  # 0/1/2 along wear
    assert end_mark(levels, "asset", "op_hours") == (None, [])


def test_training_prepares_the_failed_units_only():
    from services.maintenance_rul import prepare_histories, rul_params

    _, prepared = prepare_histories(_fleet(), rul_params(1, "asset", "op_hours"))
    assert sorted(prepared[UNIT].unique()) == [f"CMP-{u:03d}" for u in range(1, 6)]
    assert prepared.index.equals(pd.RangeIndex(len(prepared)))


def test_units_that_lived_far_longer_are_not_said_to_be_still_running():
    """XJTU-SY-shaped bearings: the two of 2,538 and 2,496 minute-files (the median bearing 161) ended 'healthy'
    to models trained on shorter lives, and the note said to leave them out of training."""
    from services.maintenance_rul_notes import ended_healthy_note

    lives = {"B1": 123, "B2": 161, "B3": 52, "B4": 491, "B5": 161, "B6": 42, "B7": 339, "B8": 114, "B9": 1515,
             "B10": 122, "B3_1": 2538, "B3_2": 2496}
    at_end = {**{u: 5.0 for u in lives}, "B3_1": 75.0, "B3_2": 71.0}
    (note,) = ended_healthy_note(at_end, 125.0, 12, rmse=31.0, lives=lives)
    assert note == ("2 of 12 held-out units end looking healthy (units B3_1, B3_2): the models, trained without them, "
                    "put 71–75 cycles of life left at their last reading. Their histories are far longer than the "
                    "others' (2,538, 2,496 readings against a median of 161): the models, which learnt from shorter "
                    "lives, may misread how such a long one ends. Leave them out of the training file only if they did "
                    "not fail there.")
    stopped = {**lives, "B3_1": 300, "B3_2": 250}  # cut short: still running, as the note has said
    assert "should be left out of the training file" in ended_healthy_note(at_end, 125.0, 12, rmse=31.0,
                                                                           lives=stopped)[0]
