"""A pump's NORMAL / BROKEN / RECOVERING label (Kaggle's pump_sensor.csv): the RECOVERING readings are the stopped
pump after a failure, neither healthy nor failing. With --positive BROKEN they counted as no failure; they are now
left out of training as rows without a label, with a note."""
import numpy as np
import pandas as pd

from ml.failure_inputs import after_failure_values
from services import maintenance


def _pump(n: int = 400) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    status = np.array(["NORMAL"] * n, dtype=object)
    for start in (60, 160, 260, 360):
        status[start] = "BROKEN"
        status[start + 1:start + 21] = "RECOVERING"
    return pd.DataFrame({"sensor_00": rng.normal(2.4, 0.1, n), "sensor_01": rng.normal(47, 2, n),
                         "machine_status": status})


def test_recovering_rows_are_left_out_and_said():
    setup, data, y = maintenance.inspect_failure_data(_pump(), "machine_status", positive="BROKEN")
    assert len(data) == len(y) == 320 and int(y.sum()) == 4  # before: 400 rows, 80 of them RECOVERING as healthy
    assert set(data["machine_status"]) == {"NORMAL", "BROKEN"}
    assert ("'RECOVERING' (80 rows) of 'machine_status' name the machine's state after a failure (being repaired or "
            "restarted): neither a healthy reading nor a failure, so those rows were left out of training.") in \
        setup.label_notes[0]


def test_without_positive_the_failure_word_is_the_failure_and_a_named_recovering_counts():
    setup, _, y = maintenance.inspect_failure_data(_pump(), "machine_status")  # was refused: 3 values
    assert setup.positive == "BROKEN" and len(y) == 320
    setup, _, y = maintenance.inspect_failure_data(_pump(), "machine_status", positive="BROKEN,RECOVERING")
    assert len(y) == 400 and int(y.sum()) == 84 and not any("state after a failure" in n for n in setup.label_notes)


def test_only_labels_of_three_values_or_more_lose_a_state():
    assert after_failure_values(pd.Series(["ok", "repair", "ok"])) == []  # two values: the failure itself
    assert after_failure_values(pd.Series(["none", "comp1", "under repair ", None])) == ["under repair"]
    assert after_failure_values(pd.Series(["NORMAL", "BROKEN", "RECOVERING"]), "recovering") == []
    assert after_failure_values(pd.Series(["ok", "repair needed", "needs maintenance", "maintenance"])) == [
        "maintenance"]  # asking for work may be the failure; the state of being maintained is not
