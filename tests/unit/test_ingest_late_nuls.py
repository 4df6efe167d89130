"""NUL bytes past the first 256 KB (the sniffed sample) are handled as early ones: removed with a warning.

They had been kept: a cell read 'C19\\x00000', a number with one was emptied as "not a number", and a padded end
became one more row.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from data.ingest import IngestError, read_table

HEADER = b"id,amount,grade,bad\n"


def _body(n: int = 20_000) -> list[bytes]:
    return [f"C{i:05d},{1000 + i},{'abc'[i % 3]},{i % 2}\n".encode() for i in range(n)]


def _source(tmp_path: Path, data: bytes, on_disk: bool) -> Path | bytes:
    if not on_disk:
        return data
    path = tmp_path / "late.csv"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("on_disk", [False, True])
def test_late_nuls_in_cells_are_removed(tmp_path: Path, on_disk: bool) -> None:
    rows = _body()
    rows[19_000] = b"C19\x00000,20\x00000,b\x00,0\n"
    data = HEADER + b"".join(rows)
    assert data.index(b"\x00") > 256 * 1024
    result = read_table(_source(tmp_path, data, on_disk), filename="late.csv")
    assert result.frame.row(19_000) == ("C19000", 20000, "b", 0)
    assert result.schema["amount"] == "numeric"
    assert any("NUL bytes" in p.problem and p.severity == "warning" for p in result.problems)


def test_late_padding_is_not_a_row() -> None:
    data = HEADER + b"".join(_body()) + b"\x00" * 5000
    result = read_table(data, filename="padded.csv")
    assert result.frame.height == 20_000
    assert any("NUL bytes" in p.problem for p in result.problems)


def test_binary_after_the_sample_is_refused() -> None:
    data = HEADER + b"".join(_body()) + b"\x00\x01\x02\x00" * 50_000
    with pytest.raises(IngestError, match="NUL bytes after its first 256 KB"):
        read_table(data, filename="mixed.csv")
