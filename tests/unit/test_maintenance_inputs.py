"""The columns a failure-risk run reads, split out of services/maintenance_checks.py (314 lines): checked before a
file is stored, gaps filled at the training median; the CLI still finds check_columns where it looked."""
import numpy as np
import pandas as pd
import pytest

from services import maintenance_checks, maintenance_inputs
from services.errors import UserFacingError


def test_the_cli_finds_the_column_check_where_it_looked():
    assert maintenance_checks.check_columns is maintenance_inputs.check_columns
    frame = pd.DataFrame({"Torque [Nm]": [40.0], "failure": [0]})
    maintenance_checks.check_columns(frame, "failure")
    with pytest.raises(UserFacingError, match="Target column 'broken' is not in the data"):
        maintenance_checks.check_columns(frame, "broken")


def test_readings_without_a_failure_column_are_told_to_join_their_failure_log():
    telemetry = pd.DataFrame({"datetime": ["2015-01-01 06:00:00"], "machineID": [1], "volt": [176.2], "rotate": [418.5],
                              "pressure": [113.1], "vibration": [45.1]})
    with pytest.raises(UserFacingError) as refused:
        maintenance_checks.check_columns(telemetry, "failure", id_column="machineID")
    assert str(refused.value).startswith("Target column 'failure' is not in the data. Columns present: datetime, ")
    assert "a failure log kept apart (Azure's PdM_failures.csv: datetime, machineID, failure) is joined" in str(
        refused.value)
    with pytest.raises(UserFacingError) as misspelled:  # a failure column under another name: no such advice
        maintenance_checks.check_columns(telemetry.assign(Failure=0), "failure")
    assert "failure log" not in str(misspelled.value)


def test_gaps_in_a_never_empty_sensor_are_filled_at_its_training_median():
    train = pd.DataFrame({"torque": [40.0, 42.0, 44.0], "vib": [1.0, np.nan, 3.0], "kind": ["L", "M", "H"]})
    fill, share = maintenance_inputs.gap_fill(train, ["torque", "vib", "kind"])
    assert fill == {"torque": 42.0} and share == {"torque": 0.0, "vib": 0.3333}
    scored = pd.DataFrame({"torque": [np.nan, 41.0, "ERR"], "vib": [np.nan, 2.0, 2.0]})
    filled, notes, rows = maintenance_inputs.fill_gaps(scored, fill)
    assert filled["torque"].tolist() == [42.0, 41.0, 42.0] and np.isnan(filled["vib"].iloc[0])
    assert rows["torque"].tolist() == [True, False, True]
    assert notes[0].endswith("'torque' on 2 reading(s) (rows 1, 3 of the output), at 42.")
