"""Parquet storage: round trips, and a failed write never leaves a partial file."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest

from data.storage import read_parquet, sha256_file, write_parquet_atomic


def sample() -> pl.DataFrame:
    return pl.DataFrame({
        "day": [dt.date(2024, 1, 1), dt.date(2024, 1, 2), None],
        "ts": [dt.datetime(2024, 1, 1, 10), None, dt.datetime(2024, 1, 3, 8, 30)],
        "store": [1, 2, None],
        "price": [1.5, None, 3.25],
        "flag": [True, False, None],
        "city": ["Köln", None, "Zürich"],
    })  # fmt: skip


def test_round_trip_keeps_values_and_dtypes(tmp_path: Path) -> None:
    path = write_parquet_atomic(sample(), tmp_path / "sub" / "table.parquet")
    assert path == tmp_path / "sub" / "table.parquet"
    assert read_parquet(path).equals(sample())
    assert read_parquet(path, columns=["city", "store"]).equals(sample().select("city", "store"))
    assert [p.name for p in path.parent.iterdir()] == ["table.parquet"]


def test_overwrite_replaces_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    write_parquet_atomic(pl.DataFrame({"a": [1]}), path)
    write_parquet_atomic(pl.DataFrame({"a": [2, 3]}), path)
    assert read_parquet(path).get_column("a").to_list() == [2, 3]


def test_failure_mid_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_write(self: pl.DataFrame, file: object, **kwargs: object) -> None:
        Path(file).write_bytes(b"PAR1 half a file")  # type: ignore[arg-type]
        raise OSError("disk full")

    monkeypatch.setattr(pl.DataFrame, "write_parquet", half_write)
    with pytest.raises(OSError, match="disk full"):
        write_parquet_atomic(sample(), tmp_path / "t.parquet")
    assert list(tmp_path.iterdir()) == []


def test_failure_keeps_the_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_parquet_atomic(pl.DataFrame({"a": [1]}), tmp_path / "t.parquet")
    monkeypatch.setattr("os.fsync", lambda fd: (_ for _ in ()).throw(OSError("fsync failed")))
    with pytest.raises(OSError, match="fsync failed"):
        write_parquet_atomic(pl.DataFrame({"a": [9, 9]}), path)
    monkeypatch.undo()
    assert read_parquet(path).get_column("a").to_list() == [1]
    assert [p.name for p in tmp_path.iterdir()] == ["t.parquet"]


def test_sha256_file(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"decision desk" * 1000)
    assert sha256_file(path) == hashlib.sha256(b"decision desk" * 1000).hexdigest()
