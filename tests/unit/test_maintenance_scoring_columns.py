"""A scoring file without the model's columns: what the refusal says."""
import pandas as pd
import pytest

from services import maintenance_scoring
from services.errors import UserFacingError

CONFIG = {"features": ["temp", "vibration"], "id_column": "asset", "history": None, "fill": {}}


def test_a_file_split_at_the_wrong_separator_shows_the_columns_it_was_read_with():
    # "asset;temp;vibration" with decimal commas, read at its commas: the first data row became the header
    frame = pd.DataFrame([["A01;76", "8;3", "221"]], columns=["A00;70", "17;6", "338"])
    with pytest.raises(UserFacingError) as caught:
        maintenance_scoring._readable(frame, CONFIG, [])
    assert str(caught.value) == (
        "The file lacks columns the model needs: temp, vibration. None of them is in the file, whose columns were "
        "read as 'A00;70', '17;6', '338': check that it is the right file and that it was split at its separator.")


def test_a_file_missing_one_column_names_only_that_column():
    frame = pd.DataFrame({"asset": ["A1"], "temp": [70.0], "remark": ["x"]})
    with pytest.raises(UserFacingError) as caught:
        maintenance_scoring._readable(frame, CONFIG, [])
    assert str(caught.value) == "The file lacks columns the model needs: vibration."


def test_history_times_name_a_missing_time_column_in_words():
    from ml.unit_history import ONE_MACHINE, History
    from services.maintenance_score_notes import history_times

    history = History(ONE_MACHINE, "timestamp", ("Oil_temperature",), (600, 3_600, 604_800), 600.0)
    frame = pd.DataFrame({"UDI": [1, 2], "Torque [Nm]": [40.0, 41.0]})  # an AI4I file: no timestamp
    with pytest.raises(UserFacingError, match="lack the column 'timestamp'"):
        history_times(history, frame)
    stamped = frame.assign(timestamp=["2020-02-01 00:00", "2020-02-01 00:10"])
    assert history_times(history, stamped).diff().iloc[1] == pd.Timedelta(minutes=10)
