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
