"""A ZIP holding one table, as Kaggle and many portals ship a CSV (`train.csv.zip`, or `archive.zip` with train.csv
beside `__MACOSX/` entries and a README): had been refused by name ("a .zip file"). Read as the table inside, with a
note; several tables, none, an encrypted table, unsafe names, a size past the limit and a size declared short of
the real one are refused in words."""
from __future__ import annotations

import io
import struct
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest

from data.ingest import FileTooLargeError, IngestError, read_table

PLAIN = ("id,rpm,torque,failure\n" + "".join(f"M{i:05d},{1200 + 7 * i},{40 + i % 9}.5,{i % 2}\n"
                                             for i in range(40))).encode()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members.items():
            archive.writestr(zipfile.ZipInfo(name), payload, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _patched(packed: bytes, *, size: int | None = None, flags: int | None = None) -> bytes:
    """The one-member ZIP with its declared unpacked size or its flags rewritten in both of its headers."""
    data = bytearray(packed)
    local, central = data.index(b"PK\x03\x04"), data.index(b"PK\x01\x02")
    for start, flag_at, size_at in ((local, 6, 22), (central, 8, 24)):
        if size is not None:
            data[start + size_at:start + size_at + 4] = struct.pack("<I", size)
        if flags is not None:
            data[start + flag_at:start + flag_at + 2] = struct.pack("<H", flags)
    return bytes(data)


def _notes(result) -> str:
    return " | ".join(p.problem for p in result.problems)


@pytest.mark.parametrize("filename", ["train.csv.zip", "train.csv"])
def test_a_zip_holding_one_csv_is_read_as_that_csv(filename: str) -> None:
    result = read_table(_zip({"train.csv": PLAIN}), filename=filename)  # refused: "a .zip file" / "a ZIP archive"
    assert result.frame.equals(read_table(PLAIN, filename="train.csv").frame)
    assert "ZIP archive" in _notes(result) and "'train.csv'" in _notes(result)


def test_macos_entries_dot_files_and_a_readme_beside_the_table_are_left_out(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    packed = _zip({"archive/": b"", "archive/train.csv": PLAIN, "__MACOSX/archive/._train.csv": b"\0\5\26\7",
                   "archive/.DS_Store": b"\0\0\0\1Bud1", "archive/README.md": b"# Machines\n"})
    result = read_table(packed, filename="archive.zip")
    assert result.frame.shape == (40, 4) and result.frame["rpm"][:2].to_list() == [1200, 1207]
    assert "'archive/train.csv'" in _notes(result) and "README.md" in _notes(result)
    assert "__MACOSX" not in _notes(result) and not list(tmp_path.iterdir())  # the unpacked copy is removed


def test_a_workbook_inside_a_zip_is_read_as_the_workbook() -> None:
    book = openpyxl.Workbook()
    for row in PLAIN.decode().splitlines():
        book.active.append([int(v) if v.isdigit() else v for v in row.split(",")])
    notes = book.create_sheet("Notes")
    for row in (["note", "by"], ["rpm in 1/min", "QA"]):
        notes.append(row)
    xlsx = io.BytesIO()
    book.save(xlsx)
    packed = _zip({"machines.xlsx": xlsx.getvalue()})
    result = read_table(packed, filename="machines.zip")
    assert result.frame.equals(read_table(xlsx.getvalue(), filename="machines.xlsx").frame)
    assert result.sheet == "Sheet" and read_table(packed, filename="machines.zip", sheet="Notes").frame.height == 1


def test_a_zip_of_several_tables_is_refused_naming_them() -> None:
    packed = _zip({"train.csv": PLAIN, "test.csv": PLAIN, "sample_submission.csv": b"id,failure\n", "notes.pdf": b"%"})
    with pytest.raises(IngestError) as caught:
        read_table(packed, filename="competition.zip")
    message = str(caught.value)
    assert "3 tables" in message and "'train.csv', 'test.csv', 'sample_submission.csv'" in message
    assert "Unzip it" in message and "notes.pdf" not in message


def test_a_zip_without_a_table_is_refused_saying_what_it_holds() -> None:
    with pytest.raises(IngestError, match=r"no CSV, TSV, text or Excel table.*'scan1\.png', 'model\.json'"):
        read_table(_zip({"scan1.png": b"\x89PNG\r\n", "model.json": b"{}", "README.txt": b"hi"}), filename="x.zip")
    with pytest.raises(IngestError, match="no CSV, TSV, text or Excel table.*empty"):
        read_table(_zip({}), filename="empty.zip")
    with pytest.raises(IngestError, match=r"'arrays\.npz' is a \.npz file"):  # a ZIP of arrays, refused by name
        read_table(_zip({"x.npy": b"\x93NUMPY", "y.csv": PLAIN}), filename="arrays.npz")


def test_a_size_past_the_limit_is_refused_before_unpacking() -> None:
    packed = _zip({"train.csv": PLAIN * 50})
    with pytest.raises(FileTooLargeError, match="Unpacked, the file is over"):
        read_table(packed, filename="big.zip", max_bytes=len(PLAIN) * 20)  # the size declared
    with pytest.raises(FileTooLargeError, match="Unpacked, the file is over"):  # a bomb's declared size
        read_table(_patched(packed, size=3 * 1024**3), filename="bomb.zip")


def test_a_declared_size_smaller_than_the_real_one_is_refused_not_read_short() -> None:
    """zipfile stops at the declared size, and the checksum then fails: the cut table is not read."""
    with pytest.raises(IngestError, match="damaged or incomplete ZIP file"):
        read_table(_patched(_zip({"train.csv": PLAIN}), size=100), filename="train.zip")


def test_encrypted_tables_unsafe_names_and_damaged_zips_are_refused_in_words() -> None:
    with pytest.raises(IngestError, match="password-protected"):
        read_table(_patched(_zip({"train.csv": PLAIN}), flags=1), filename="secret.zip")
    with pytest.raises(IngestError, match=r"unsafe path names.*\.\./\.\./etc/cron\.csv"):
        read_table(_zip({"../../etc/cron.csv": PLAIN}), filename="trick.zip")
    packed = _zip({"train.csv": PLAIN})
    with pytest.raises(IngestError, match="damaged or incomplete ZIP file"):
        read_table(packed[: len(packed) // 2], filename="cut.zip")
