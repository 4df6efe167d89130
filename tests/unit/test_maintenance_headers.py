"""Scoring files without a header row (NASA's test files converted as they are) take the training names by
position when they have the training file's number of columns; otherwise the refusal says what to do."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from services.errors import UserFacingError
from services.maintenance_headers import positional_names, reversed_header_hint

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"
TRAINED = ["unit", "cycle", "s1", "s2"]


def _numbered(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_axis([f"column_{i + 1}" for i in range(frame.shape[1])], axis=1)


def test_a_headerless_file_of_the_training_width_takes_the_training_names_in_order():
    frame = _numbered(pd.DataFrame([[1, 1, 0.5, 7.0], [1, 2, 0.6, 7.1]]))
    named, notes = positional_names(frame, TRAINED, ["unit", "cycle", "s2"])
    assert list(named.columns) == TRAINED and named["s2"].tolist() == [7.0, 7.1]
    assert notes == ["The file has no header row: its 4 columns were given the training file's names by position "
                     "(unit, cycle, s1, s2: the training file's columns, in order). Check that its columns are in the "
                     "training file's order."]


def test_two_empty_columns_at_the_end_of_every_row_do_not_count():
    # C-MAPSS's raw text ends each row in two spaces: converted to CSV, every row ends in ',,'
    frame = _numbered(pd.DataFrame([[1, 1, 0.5, 7.0, None, None], [1, 2, 0.6, 7.1, None, None]]))
    named, notes = positional_names(frame, TRAINED, ["unit"])
    assert list(named.columns) == TRAINED and notes[0].endswith(
        "in order); the 2 empty column(s) at the end of every row were left out. Check that its columns are in the "
        "training file's order.")


def test_a_training_file_with_unnamed_empty_columns_at_its_end_matches_either_width():
    trained = [*TRAINED, "column_5", "column_6"]  # a header row ending in ',,' too
    for width in (4, 6):
        frame = _numbered(pd.DataFrame([[1, 1, 0.5, 7.0, None, None][:width]]))
        named, _ = positional_names(frame, trained, ["unit"])
        assert list(named.columns) == TRAINED


def test_a_file_without_the_failure_column_takes_the_other_names():
    trained = ["UDI", "temp", "Machine failure", "torque"]
    frame = _numbered(pd.DataFrame([[1, 300.5, 40.0], [2, 301.0, 41.5]]))
    named, notes = positional_names(frame, trained, ["temp", "torque"], target="Machine failure")
    assert list(named.columns) == ["UDI", "temp", "torque"] and named["torque"].tolist() == [40.0, 41.5]
    assert "the training file's columns but the failure column 'Machine failure', in order" in notes[0]
    # a training file numbered too (column_3 the failure): the columns after it move up one place
    named, notes = positional_names(frame, ["column_1", "column_2", "column_3", "column_4"], ["column_4"],
                                    target="column_3")
    assert list(named.columns) == ["column_1", "column_2", "column_4"] and named["column_4"].tolist() == [40.0, 41.5]


def test_a_first_row_of_whole_numbers_read_as_names_is_put_back_as_data():
    frame = pd.DataFrame([[1, 2, 5, 8], [1, 3, 6, 9]], columns=["1", "1 (column 2)", "4", "7"])
    named, notes = positional_names(frame.rename(columns={"1 (column 2)": "2"}), TRAINED, ["unit"])
    assert named.values.tolist() == [[1, 2, 4, 7], [1, 2, 5, 8], [1, 3, 6, 9]] and list(named.columns) == TRAINED
    assert notes[0].startswith("The file has no header row (its first row, which the reader took for names, is read "
                               "as data): its 4 columns")


def test_a_headerless_file_of_another_width_is_refused_saying_so_first():
    """25 columns where training had 26 read "Columns not in the data: unit, cycle. The file's columns: column_1 …",
    the missing header row said last."""
    frame = _numbered(pd.DataFrame(np.ones((2, 3))))  # one column short, no failure column
    with pytest.raises(UserFacingError) as refused:
        positional_names(frame, TRAINED, ["unit"])
    assert str(refused.value) == (
        "The file has no header row, and it has 3 columns where the training file had 4, so the training file's "
        "names cannot be given to its columns by position. Give it the training file's header row (unit, cycle, "
        "s1, s2), or its 4 columns in that order.")
    numbered = ["column_1", "column_2", "column_3", "column_4"]  # trained without a header too: left to the refusal
    assert positional_names(frame, numbered, ["column_4"]) == (frame, [])


def test_other_widths_named_files_and_shuffled_columns_are_left_to_the_refusal():
    named = pd.DataFrame(np.ones((2, 4)), columns=["engine", "t", "a", "b"])
    assert positional_names(named, TRAINED, ["unit"]) == (named, [])  # a header of other names: not guessed
    shuffled = _numbered(pd.DataFrame([["A", 1, 0.5, 7.0], ["A", 2, 0.6, 7.1]]))
    with pytest.raises(UserFacingError, match=r"its column 1 \(the training file's 'unit', numbers\) holds text such "
                                              r"as 'A': its columns are not in the training file's order"):
        positional_names(shuffled, TRAINED, ["unit"], kinds={"unit": "numeric", "cycle": "numeric"})


def test_the_reverse_a_headed_file_for_a_model_trained_without_a_header_is_told_so():
    headed = pd.DataFrame(np.ones((2, 2)), columns=["unit", "cycle"])
    assert reversed_header_hint(headed, ["column_1", "column_2"]) == (
        " The model was trained on a file without a header row (columns numbered column_1 …): score a file without "
        "one too, or train on a file with this header.")
    assert reversed_header_hint(_numbered(headed), ["column_1", "column_2"]) == ""
    assert reversed_header_hint(headed, ["unit", "cycle"]) == ""


def _runtime():
    from commands.common import runtime

    return runtime()


def test_failure_scoring_reads_a_headerless_file_and_the_reverse_is_refused_in_words(settings_env):
    from services import datasets, maintenance, maintenance_scoring

    runtime = _runtime()
    data = pd.read_csv(SAMPLE).head(300)
    runs = {}
    for name, header in (("named.csv", True), ("numbered.csv", False)):
        info = datasets.import_dataset(runtime, data.to_csv(index=False, header=header).encode(), filename=name,
                                       user="t")
        target, id_column = ("Machine failure", "UDI") if header else ("column_9", "column_1")
        runs[name] = maintenance.train_failure_job(runtime, maintenance.failure_params(
            info.id, target, id_column=id_column, folds=3, n_estimators=10, use_suggestions=False), lambda *_: None)
    new = data.tail(20)
    headed = maintenance_scoring.score_failure(runtime, runs["named.csv"], new.to_csv(index=False).encode(),
                                               filename="new.csv", user="t")
    for dropped, said in ((None, "columns, in order"), ("Machine failure", "but the failure column")):
        table = new.drop(columns=[dropped]) if dropped else new
        bare = maintenance_scoring.score_failure(runtime, runs["named.csv"], table.to_csv(
            index=False, header=False).encode(), filename=f"bare-{said}.csv", user="t")
        pd.testing.assert_frame_equal(bare.frame, headed.frame)
        assert [n for n in bare.notes if n.startswith("The file has no header row")][0].count(said) == 1
    with pytest.raises(UserFacingError) as refused:
        maintenance_scoring.score_failure(runtime, runs["numbered.csv"], new.to_csv(index=False).encode(),
                                          filename="headed.csv", user="t")
    assert str(refused.value).endswith("The model was trained on a file without a header row (columns numbered "
                                       "column_1 …): score a file without one too, or train on a file with this "
                                       "header.")


def test_rul_scoring_reads_a_headerless_file_with_trailing_empty_columns(settings_env):
    """A training file with the RUL computed in a last column (left out as the answer): the test file has none."""
    from ml.degradation_sim import simulate_fleet
    from services import datasets, maintenance_rul, maintenance_rul_scoring

    runtime = _runtime()
    fleet = simulate_fleet(n_train=6, n_test=3, seed=4, min_life=25, max_life=30)
    life = fleet.train.groupby("unit")["cycle"].transform("max")
    train = fleet.train.assign(RUL=life - fleet.train["cycle"])
    info = datasets.import_dataset(runtime, train.to_csv(index=False).encode(), filename="train.csv", user="t")
    run_id = maintenance_rul.train_rul_job(runtime, maintenance_rul.rul_params(
        info.id, "unit", "cycle", epochs=1, n_estimators=20, window=8), lambda *_: None)
    headed = maintenance_rul_scoring.score_rul(runtime, run_id, fleet.test.to_csv(index=False).encode(),
                                               filename="test.csv", user="t")
    raw = "".join(",".join(map(str, row)) + ",,\n" for row in fleet.test.itertuples(index=False))
    bare = maintenance_rul_scoring.score_rul(runtime, run_id, raw.encode(), filename="test_FD001.csv", user="t")
    pd.testing.assert_frame_equal(bare.frame, headed.frame)
    assert bare.frame["unit"].tolist() == [7, 8, 9]
    from services.maintenance_results import scoring_notes  # the run's report says how its latest file was read

    assert scoring_notes(runtime, run_id) == list(bare.notes)
    assert bare.notes[0].startswith("The file has no header row: its 26 columns were given the training file's "
                                    "names by position (unit, cycle, setting_1, setting_2, … s21")
    assert "s21: the training file's columns but the answer column 'RUL', in order); the 2 empty column(s) at the " \
           "end of every row were left out" in bare.notes[0]
    short = "".join(",".join(map(str, row[:-1])) + "\n" for row in fleet.test.itertuples(index=False))
    with pytest.raises(UserFacingError, match="The file has no header row, and it has 25 columns where the training "
                                              "file had 27 \\(26 without the answer column 'RUL'\\), so the "
                                              "training file's names cannot be given to its columns by position. "
                                              "Give it the training file's header row \\(unit, cycle, setting_1"):
        maintenance_rul_scoring.score_rul(runtime, run_id, short.encode(), filename="short.csv", user="t")
