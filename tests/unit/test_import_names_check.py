"""A check that reads only column names (the failure-risk CLI's check_columns) gets the table with no rows: the
import of a 1.5-million-row telemetry file no longer converts the whole table to pandas just to read its header."""
import numpy as np
import pandas as pd
import polars as pl
import pytest

from services.errors import UserFacingError


def _runtime():
    from commands.common import runtime

    return runtime()


def _telemetry(rows: int = 60) -> bytes:
    rng = np.random.default_rng(25)
    frame = pd.DataFrame({"timestamp": pd.date_range("2020-02-01", periods=rows, freq="10s").astype(str),
                          "TP2": rng.normal(1.0, 3.0, rows).round(3), "COMP": rng.integers(0, 2, rows),
                          "failure": (np.arange(rows) >= rows - 5).astype(int)})
    return frame.to_csv().encode()  # the unnamed leading index column MetroPT-3 has


def _converted_heights(monkeypatch) -> list[int]:
    heights: list[int] = []
    to_pandas = pl.DataFrame.to_pandas

    def recording(self, *args, **kwargs):
        heights.append(self.height)
        return to_pandas(self, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "to_pandas", recording)
    return heights


def test_a_names_check_gets_the_columns_and_dtypes_without_rows_and_no_table_is_converted(settings_env, monkeypatch):
    from services import datasets

    seen: list[pd.DataFrame] = []
    heights = _converted_heights(monkeypatch)
    info = datasets.import_dataset(_runtime(), _telemetry(), filename="metropt.csv", user="t",
                                   check=datasets.NamesCheck(seen.append))
    assert heights == [0]
    assert len(seen) == 1 and len(seen[0]) == 0
    assert list(seen[0].columns) == ["column_1", "timestamp", "TP2", "COMP", "failure"]
    assert str(seen[0]["timestamp"].dtype) == "datetime64[us]" and seen[0]["TP2"].dtype == np.float64
    assert info.rows == 60 and datasets.load_pandas(_runtime(), info.id)["failure"].sum() == 5


def test_a_plain_check_still_gets_the_whole_table(settings_env):
    from services import datasets

    seen: list[pd.DataFrame] = []
    datasets.import_dataset(_runtime(), _telemetry(), filename="metropt.csv", user="t", check=seen.append)
    assert len(seen[0]) == 60 and seen[0]["failure"].sum() == 5


def test_a_stored_copy_is_checked_on_its_names_without_reading_its_rows(settings_env, tmp_path, monkeypatch):
    from services import datasets

    path = tmp_path / "metropt.csv"
    path.write_bytes(_telemetry())
    first = datasets.import_or_reuse(_runtime(), path, user="t")
    seen: list[pd.DataFrame] = []
    heights = _converted_heights(monkeypatch)
    again = datasets.import_or_reuse(_runtime(), path, user="t", check=datasets.NamesCheck(seen.append))
    assert again.id == first.id and heights == [0]
    assert len(seen[0]) == 0 and list(seen[0].columns) == ["column_1", "timestamp", "TP2", "COMP", "failure"]


def test_the_failure_columns_check_refuses_a_missing_target_in_the_same_words_and_stores_nothing(settings_env):
    from data import ingest
    from services import datasets, maintenance_checks

    runtime = _runtime()
    check = maintenance_checks.columns_check("Failure", id_column="column_1")
    with pytest.raises(UserFacingError) as named_only:
        datasets.import_dataset(runtime, _telemetry(), filename="metropt.csv", user="t", check=check)
    with pytest.raises(UserFacingError) as whole:
        table = ingest.read_table(_telemetry(), filename="metropt.csv").frame.to_pandas()
        maintenance_checks.check_columns(table, "Failure", id_column="column_1")
    assert str(named_only.value) == str(whole.value)
    assert str(named_only.value).startswith("Target column 'Failure' is not in the data.")
    assert datasets.list_datasets(runtime) == []
    assert isinstance(check, datasets.NamesCheck)
