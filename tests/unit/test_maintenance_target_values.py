"""A target without both kinds of reading is refused for what it is, not as a many-valued label."""
import pandas as pd
import pytest

from ml import failure, failure_modes


def test_a_target_with_one_value_says_the_file_holds_one_kind_of_reading():
    with pytest.raises(failure.TargetError) as caught:
        failure.binarise(pd.Series(["no"] * 30 + [None] * 3, name="Failure?"))
    assert str(caught.value) == ("'Failure?' holds one value only (no): a failure model needs readings that failed "
                                 "and readings that did not. Check that the file holds both (a filtered export keeps "
                                 "only one kind).")


def test_naming_every_value_as_the_failure_is_refused():
    status = pd.Series(["comp1", "comp2", "comp1"] * 10, name="failure")
    with pytest.raises(failure.TargetError, match=r"^With comp1, comp2 as the failure, every labelled row of "
                                                  r"'failure' is a failure"):
        failure.binarise(status, "comp1,comp2")
    with pytest.raises(failure.TargetError, match="every labelled row of 'Failure\\?' is a failure"):
        failure.binarise(pd.Series(["no"] * 20, name="Failure?"), "no")


def test_two_values_still_read_as_before():
    coded, positive = failure.binarise(pd.Series(["no", "yes", "no", None], name="f"))
    assert positive == "yes" and coded.tolist()[:3] == [0, 1, 0]


def test_the_target_cannot_be_the_id_column_too():
    from services import maintenance
    from services.errors import UserFacingError

    frame = pd.DataFrame({"temp": [70.0, 80.0] * 10, "failure": ["no", "yes"] * 10})
    message = "'failure' is the target and cannot be the id column too"
    with pytest.raises(UserFacingError, match=message):
        maintenance.failure_params(0, "failure", id_column="failure")
    with pytest.raises(UserFacingError, match=message):  # the page's check, before its train button
        maintenance.inspect_failure_data(frame, "failure", id_column="failure")
    assert maintenance.failure_params(0, "failure", id_column="temp")["id_column"] == "temp"


def test_a_severity_graded_from_zero_counts_every_grade_above_zero_as_a_failure():
    from services import maintenance

    severity = pd.Series([0, 0, 1, 0, 2, 0, 0, 1] * 5 + [None], name="severity")  # a blank made it 0.0/1.0/2.0
    coded, positive = failure.binarise(severity)
    assert positive == "1, 2" and coded.tolist()[:8] == [0, 0, 1, 0, 1, 0, 0, 1]
    frame = pd.DataFrame({"temp": [70.0, 81.0, 74.0, 69.0] * 10 + [72.0], "severity": severity})
    setup, _, _ = maintenance.inspect_failure_data(frame, "severity", use_suggestions=False)
    assert setup.label_notes == ("Target 'severity' has 3 values: '1', '2' count as failures and '0' counts as no "
                                 "failure.",)
    for ungraded in ([1, 2, 3] * 5, [0, 1, 2, 2, 2], [0, 0, 0, -1, 1]):  # no 0, 0 not the usual, below 0
        with pytest.raises(failure.TargetError, match="exactly two values"):
            failure.binarise(pd.Series(ungraded, name="t"))


def test_a_failure_log_joined_to_readings_reads_its_empty_cells_as_no_failure():
    """Azure PdM: telemetry joined with the failure log, 'comp1'…'comp4' on failure hours and blank otherwise,
    was refused as four values ('exactly two values'), its blank readings dropped as unlabelled."""
    from services import maintenance, maintenance_checks

    failed = ["comp1", None, None, "comp2", None, None, None, "comp4", None, None] * 4
    frame = pd.DataFrame({"volt": [170.0, 165.0, 172.0, 190.0, 168.0, 171.0, 169.0, 185.0, 166.0, 170.5] * 4,
                          "failure": failed})
    setup, _, y = maintenance.inspect_failure_data(frame, "failure", use_suggestions=False)
    assert y.tolist()[:4] == [1, 0, 0, 1] and len(y) == 40 and int(y.sum()) == 12
    assert setup.positive == "comp1, comp2, comp4"
    assert setup.label_notes[0] == ("28 empty cells of 'failure' were read as no failure: most rows are empty and the "
                                    "filled ones name failures ('comp1', 'comp2', 'comp4'), as in a failure log "
                                    "joined to the readings.")
    notes = maintenance_checks.training_notes(frame, setup, {"cv_auc": 0.8, "positive_rate": 0.3})
    assert not [n for n in notes if "without a value" in n]


def test_blank_labels_stay_unlabelled_where_the_filled_cells_say_no_failure_too():
    from ml.failure_inputs import blanks_as_no_failure

    assert blanks_as_no_failure(pd.Series([0, 1, None, None, None, 0] * 3)) is None  # gaps in a 0/1 label
    assert blanks_as_no_failure(pd.Series(["yes", "no", "yes", None] * 3)) is None  # mostly filled
    assert blanks_as_no_failure(pd.Series(["ok", "none", "comp1", None] * 3)) is None  # 'ok' too: not only none
    # a label whose no-failure value is a word for none: an empty cell says the same (it was dropped as unlabelled)
    assert blanks_as_no_failure(pd.Series(["none", "comp1", None, None, None] * 3)).tolist()[:5] == [
        "none", "comp1", "none", "none", "none"]
    assert blanks_as_no_failure(pd.Series(["No failure", "No failure", "Overstrain", " "])).tolist() == [
        "No failure", "No failure", "Overstrain", "No failure"]
    assert blanks_as_no_failure(pd.Series([1, None, None, " "])).tolist() == [1, "no failure", "no failure",
                                                                              "no failure"]


def test_blank_cells_beside_none_are_read_as_none_with_a_note():
    from services import maintenance, maintenance_checks

    failed = ["none", "none", None, "comp1", "none", None, "none", "comp2", "none", "none"] * 4
    frame = pd.DataFrame({"volt": [170.0, 165.0, 172.0, 190.0, 168.0, 171.0, 169.0, 185.0, 166.0, 170.5] * 4,
                          "failure": failed})
    setup, _, y = maintenance.inspect_failure_data(frame, "failure", use_suggestions=False, keep=["volt"])
    assert len(y) == 40 and int(y.sum()) == 8 and y.tolist()[:4] == [0, 0, 0, 1]  # 8 blanks kept, as no failure
    assert setup.positive == "comp1, comp2"
    assert setup.label_notes[0] == (
        "8 empty cells of 'failure' were read as 'none' (no failure): the column writes no failure as 'none' and "
        "names the failures ('comp1', 'comp2'), so an empty cell says no failure too. If they are readings without "
        "a label, leave those rows out of the file.")
    notes = maintenance_checks.training_notes(frame, setup, {"cv_auc": 0.8, "positive_rate": 0.2})
    assert not [n for n in notes if "without a value" in n]


def test_a_target_of_several_failure_values_breaks_failures_down_by_value():
    from services import maintenance, maintenance_checks

    failed = ["comp1", None, None, "comp2", None, None, None, "comp1", None, None] * 4
    frame = pd.DataFrame({"volt": [170.0, 165.0, 172.0, 190.0, 168.0, 171.0, 169.0, 185.0, 166.0, 170.5] * 4,
                          "failure": failed})
    setup, data, y = maintenance.inspect_failure_data(frame, "failure", use_suggestions=False)
    assert maintenance_checks.mode_columns(setup) == ["failure"]
    table = failure_modes.mode_breakdown(data[["failure"]], y.to_numpy(), y.to_numpy() * 0.9, 0.5)
    assert table[["mode", "failures", "share_of_failures"]].values.tolist() == [
        ["failure = comp1", 8, 8 / 12], ["failure = comp2", 4, 4 / 12]]
    one = maintenance.FailureSetup("failed", "1", {"TWF": "sub-label"}, (), ("volt",), modes=("TWF",))
    assert maintenance_checks.mode_columns(one) == ["TWF"]  # one failure value: its mode columns alone
