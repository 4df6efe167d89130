"""The note on a label read with failures on most rows. On a fault-class table (CWRU's nine faults and Normal_1,
every fault named with --positive) it told to give --positive Normal_1, the healthy class, as the failure; it now says
the table is read as meant and what its chances mean. A failure value that reads as the healthy class is named."""
import numpy as np
import pandas as pd

from services import maintenance

FAULTS = ["Ball_007_1", "IR_007_1", "OR_007_6_1"]


def _notes(labels: list[str], positive: str) -> list[str]:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"rms": rng.normal(0, 1, len(labels)), "kurtosis": rng.normal(3, 1, len(labels)),
                          "fault": labels})
    setup, _, _ = maintenance.inspect_failure_data(frame, "fault", positive=positive, use_suggestions=False)
    return [n for n in setup.label_notes if "healthy class" in n or "read as failures" in n]


def test_faults_on_most_rows_with_the_healthy_class_left_are_read_as_meant():
    notes = _notes(FAULTS * 30 + ["Normal_1"] * 10, ",".join(FAULTS))
    assert notes == ["90.0% of the rows are read as failures ('Ball_007_1', 'IR_007_1', 'OR_007_6_1') and "
                     "'Normal_1', the healthy class, as no failure: a table of fault classes, where faults are the "
                     "majority. Its chances of failure are those of this table (90% failures): on readings of a "
                     "mostly healthy fleet they read high, so rank readings by them rather than read them as a "
                     "fleet's chance of failure."]
    assert not any("--positive Normal_1" in n for n in notes)


def test_the_healthy_class_named_as_the_failure_is_said_whatever_its_share():
    notes = _notes(FAULTS * 30 + ["Normal_1"] * 10, "Normal_1")
    assert notes == ["'Normal_1', counted as a failure, reads as the healthy class. If the failure is every other "
                     "value, name those with --positive (separated by commas: --positive Ball_007_1,IR_007_1,"
                     "OR_007_6_1; 'Failure value' on the page)."]
    assert _notes(["NORMAL"] * 70 + ["BROKEN"] * 30, "NORMAL") == [
        "70.0% of the rows are read as failures ('NORMAL'), and it reads as the healthy class: failures are "
        "usually the rare value. If the failure is every other value, name those with --positive (separated by "
        "commas: --positive BROKEN; 'Failure value' on the page)."]


def test_most_rows_failures_without_a_healthy_class_keeps_its_hint():
    notes = _notes(["stopped"] * 70 + ["running"] * 30, "stopped")
    assert notes == ["70.0% of the rows are read as failures ('stopped'): failures are usually the rare value. If "
                     "the failure is every other value, name those with --positive (separated by commas: "
                     "--positive running; 'Failure value' on the page)."]
