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


def _batteries(count: int = 6, seed: int = 0) -> pd.DataFrame:
    """Battery_RUL.csv-like: histories one after another, Cycle_Index from 1 again for each, no battery column."""
    rng = np.random.default_rng(seed)
    lives = rng.integers(40, 60, count)
    return pd.DataFrame({"Cycle_Index": np.concatenate([np.arange(1.0, n + 1) for n in lives]),
                         "Discharge Time (s)": np.concatenate([5500 - 30 * np.arange(n) for n in lives]),
                         "RUL": np.concatenate([n - np.arange(1, n + 1) for n in lives])})


def test_histories_without_a_unit_column_are_counted_with_how_to_add_one():
    from services.errors import UserFacingError
    from services.maintenance_rul import check_columns, prepare_histories, rul_params

    batteries = _batteries()
    said = (r"Columns not in the data: battery\. .* 'Cycle_Index' starts again from its lowest values 5 time\(s\) "
            r"\(at data rows 58, 110, 160 …\): the file seems to hold 6 histories .* df\['unit'\] = "
            r"df\['Cycle_Index'\]\.diff\(\)\.lt\(0\)\.cumsum\(\) \+ 1\), and give it as --unit")
    with pytest.raises(UserFacingError, match=said):
        check_columns(batteries, "battery", "Cycle_Index")
    with pytest.raises(UserFacingError, match="has 1.* seems to hold 6 histories"):  # a battery column of one value
        prepare_histories(batteries.assign(battery="B1"), rul_params(1, "battery", "Cycle_Index"))
    halves = batteries.assign(cell=np.where(batteries["Cycle_Index"].diff().lt(0).cumsum() < 3, "A", "B"))
    with pytest.raises(UserFacingError, match="has 2.* seems to hold 6 histories"):  # not "give 'cell' as --unit"
        prepare_histories(halves, rul_params(1, "cell", "Cycle_Index"))
    with pytest.raises(UserFacingError, match="The unit and time columns are both 'Cycle_Index'"):
        rul_params(1, "Cycle_Index", "Cycle_Index")  # it stopped with pandas' "cannot insert Cycle_Index"
    ids = batteries.assign(battery=batteries["Cycle_Index"].diff().lt(0).cumsum() + 1)
    check_columns(ids, "battery", "Cycle_Index")
    with pytest.raises(UserFacingError, match=r"holds 6 histories one after another, and 'battery' changes with each: "
                                              r"give it as --unit \('Unit column' on the page\)\.$"):
        check_columns(ids, "unit", "Cycle_Index")  # a unit column under another name than the one given
    check_columns(_flights(), "unit", "time")  # a time restarting inside each unit is no missing unit column


def test_four_batteries_train_and_fewer_named_by_the_unit_column_get_no_hint_to_add_one():
    """NASA's four batteries (B0005, B0006, B0007, B0018), each under its battery_id, were refused for too few units
    (5), with a hint to add the unit column the file already has. Four now train, held out in turn; three are
    refused without the hint."""
    from ml.rul_shape import UNIT
    from services.errors import UserFacingError
    from services.maintenance_rul import prepare_histories, rul_params

    def named(count: int) -> pd.DataFrame:
        batteries = _batteries(count)
        return batteries.assign(battery_id="B" + (batteries["Cycle_Index"].diff().lt(0).cumsum() + 5).astype(str))

    _, prepared = prepare_histories(named(4), rul_params(1, "battery_id", "Cycle_Index"))
    assert prepared[UNIT].nunique() == 4
    with pytest.raises(UserFacingError) as refused:
        prepare_histories(named(3), rul_params(1, "battery_id", "Cycle_Index"))
    assert str(refused.value) == "RUL needs run-to-failure histories of at least 4 units; 'battery_id' has 3."


def test_a_position_names_a_column_only_in_a_file_without_a_header_row():
    from services.maintenance_rul import numbered_column

    raw = pd.DataFrame({"column_1": [1, 1], "column_2": [1, 2], "column_3": [0.5, 0.6]})
    assert numbered_column(raw, "1") == "column_1" and numbered_column(raw, " 2 ") == "column_2"
    assert numbered_column(raw, "9") == "9" and numbered_column(raw, "unit") == "unit"  # left for the error
    named = pd.DataFrame({"unit": [1], "1": [3], "cycle": [1]})
    assert numbered_column(named, "1") == "1" and numbered_column(named.drop(columns="1"), "1") == "1"
