"""RUL inputs shaped like public run-to-failure sets: N-CMAPSS-like flights (a time that restarts each cycle under a
cycle number), scoring units older than every training unit, and a generated fleet of test units only."""
import numpy as np
import pandas as pd
import pytest

from ml.degradation_sim import simulate_fleet
from ml.rul_history import HistoryError, HistoryPreprocessor
from ml.rul_readings import cycling_time
from ml.rul_shape import TIME, UNIT
from services.maintenance_rul_scoring import _older_note


def _flights(units: int = 5, cycles: int = 8, seconds: int = 10, seed: int = 0) -> pd.DataFrame:
    """Readings every second of each flight (time 0..seconds-1 again in every cycle), a sensor that wears."""
    rng = np.random.default_rng(seed)
    rows = [(u, c, t, 100 + 2 * c + rng.normal(0, 0.1), rng.normal())
            for u in range(1, units + 1) for c in range(1, cycles + 1) for t in range(seconds)]
    return pd.DataFrame(rows, columns=["unit", "cycle", "time", "egt", "noise"])


def test_a_time_restarting_in_every_flight_is_refused_naming_the_cycle_column():
    flights = _flights()
    assert cycling_time(flights, "unit", "time") == (7, "cycle")
    said = r"'time' starts again about 7 times within each unit .* Column 'cycle' counts the cycles: give it as "
    said += r"the time column \(--time cycle; 'Time / cycle column' on the page\)"
    with pytest.raises(HistoryError, match=said):
        HistoryPreprocessor(unit="unit", time="time").fit(flights)
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(flights)  # the cycle: ten seconds averaged per cycle
    prepared, _ = prep.transform(flights)
    assert len(prepared) == 40 and prepared.groupby(UNIT)[TIME].max().tolist() == [8.0] * 5


def test_a_restarting_time_without_a_cycle_column_is_read_with_a_note_and_shuffled_rows_are_not_flagged():
    flights = _flights().drop(columns="cycle")
    prep = HistoryPreprocessor(unit="unit", time="time").fit(flights)
    assert any(n.startswith("Time column 'time' starts again about 7 times within each unit") for n in prep.notes_)
    shuffled = _flights().sample(frac=1, random_state=0)
    assert cycling_time(shuffled, "unit", "time") == (0, None)
    assert cycling_time(_flights(), "unit", "cycle") == (0, None)


def test_scoring_units_older_than_every_training_unit_are_named():
    prepared = pd.DataFrame({UNIT: ["A"] * 3 + ["B"] * 6 + ["C"] * 5, TIME: [*range(3), *range(6), *range(5)]})
    (note,) = _older_note(prepared, longest=4)
    assert note.startswith("2 unit(s) have more readings than the longest-lived training unit (4) (B, C; the "
                           "longest has 6): the model saw no unit this old")
    assert _older_note(prepared, longest=6) == [] and _older_note(prepared, longest=None) == []


def test_a_generated_fleet_of_test_units_only():
    fleet = simulate_fleet(n_train=0, n_test=3, seed=1)
    assert fleet.train.empty and list(fleet.train.columns) == list(fleet.test.columns)
    assert fleet.test["unit"].nunique() == 3 and len(fleet.test_rul) == 3


def test_a_file_of_true_ruls_given_as_histories_is_named_as_such():
    from services.maintenance_rul import history_error

    answers = pd.DataFrame({"145": [106, 191, 138]})  # RUL_FD001.txt: its first value read as a header
    trained = [f"column_{i}" for i in range(1, 27)]
    message = history_error(HistoryError("Columns not in the data: column_1, column_2."), answers, trained)
    assert message == ("Columns not in the data: column_1, column_2. The file's columns: 145. The file has 1 column: "
                       "RUL reads histories, a unit, a time and sensor columns on every row. A file of RULs alone "
                       "(NASA's RUL_FD00x.txt) holds the answers, not histories: give the histories (test_FD00x.txt).")
    assert history_error(HistoryError("Columns not in the data: column_1."), answers).endswith("(train_FD00x.txt).")
