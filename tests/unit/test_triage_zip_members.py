"""ZIP members and files on disk are read when their bytes are needed, not all up front: every check on names,
count and sizes still refuses an archive before anything is read, and a member that fails to unpack stops the job
with the archive's message when it is reached."""
from __future__ import annotations

import io
import struct
import zipfile
from types import SimpleNamespace

import numpy as np
import pytest

from data import images
from data.input_files import ArchiveError
from services import triage, triage_split, triage_training
from services.triage_inputs import TriageInputError, read_files, unpack_nested
from tests.support import make_runtime
from tests.triage_support import dicom_bytes, png_bytes, sample_images


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_STORED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def _class_set() -> dict[str, bytes]:
    return {f"set/{label}/{i}.png": png_bytes(px) for label, arrays in sample_images(6).items()
            for i, px in enumerate(arrays)}


@pytest.fixture
def opened(monkeypatch) -> list[str]:
    """The names of the ZIP members opened for reading."""
    names: list[str] = []
    original = zipfile.ZipFile.open

    def counting(self, member, mode="r", *args, **kwargs):
        if mode == "r":  # not the writes that build a test's ZIP
            names.append(member.filename if isinstance(member, zipfile.ZipInfo) else member)
        return original(self, member, mode, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", counting)
    return names


def test_a_member_is_read_only_when_its_bytes_are_asked_for_and_not_kept(tmp_path, opened):
    members = {"chest/a.png": png_bytes(np.eye(16, dtype=np.uint8) * 200), "chest/IM0001": dicom_bytes(np.eye(16))}
    path = tmp_path / "studies.zip"
    path.write_bytes(_zip(members))
    files = read_files(str(path))
    assert [(f.name, f.size) for f in files] == [(n, len(b)) for n, b in members.items()]
    assert opened == ["chest/IM0001"]  # only the suffix-less one, for its first bytes (a DICOM by its preamble)
    assert files[0].payload == members["chest/a.png"] and files[0].payload == members["chest/a.png"]
    assert opened == ["chest/IM0001", "chest/a.png", "chest/a.png"]  # read each time: no copy held


def test_count_size_and_ratio_checks_refuse_before_any_member_is_read(monkeypatch, opened):
    bomb = _zip({"ok.png": png_bytes(np.eye(8, dtype=np.uint8)), "bomb.dcm": bytes(4 * 1024**2)}, zipfile.ZIP_DEFLATED)
    with pytest.raises(images.ImageInputError, match="possible ZIP bomb"):
        images.read_zip(bomb)
    monkeypatch.setattr(images, "MAX_FILES", 2)
    with pytest.raises(images.ImageInputError, match="holds 3 files; the limit is 2"):
        images.read_zip(_zip({f"{i}.png": png_bytes(np.eye(8, dtype=np.uint8)) for i in range(3)}))
    assert opened == []


def _damaged(members: dict[str, bytes], name: str) -> bytes:
    """The ZIP with one byte of ``name``'s stored data flipped: its checksum fails when it is unpacked."""
    raw = bytearray(_zip(members))
    start = raw.index(name.encode()) + len(name) + len(members[name]) // 2
    raw[start] ^= 0xFF
    return bytes(raw)


def test_a_damaged_member_stops_ranking_with_the_archive_message_and_stores_nothing(monkeypatch, tmp_path):
    pictures = sample_images(3)["normal"]
    members = {f"Doe_John/{i}.png": png_bytes(px) for i, px in enumerate(pictures)}
    path = tmp_path / "studies.zip"
    path.write_bytes(_damaged(members, "Doe_John/2.png"))
    stored: list[object] = []
    monkeypatch.setattr(triage, "load_model", lambda runtime, run_id: (SimpleNamespace(parameters={"size": 28}), None))
    monkeypatch.setattr(triage, "_store_worklist", lambda *args, **kwargs: stored.append(args))
    with pytest.raises(TriageInputError, match="^The ZIP archive is damaged: a file inside it fails its checksum") \
            as raised:
        triage.score_studies(make_runtime(tmp_path / "var"), 1, str(path), user="ana")
    assert "Doe" not in str(raised.value) and stored == []


def test_a_damaged_member_stops_training_with_the_archive_message(tmp_path):
    members = _class_set()
    path = tmp_path / "set.zip"
    path.write_bytes(_damaged(members, "set/pneumonia/3.png"))
    params = triage.train_params(str(path), size=28, epochs=1)
    with pytest.raises(TriageInputError, match="^The ZIP archive is damaged"):
        triage._train(make_runtime(tmp_path / "var"), params, lambda fraction, message: None)


def test_a_member_longer_than_its_header_says_is_refused_when_read():
    raw = bytearray(_zip({"a.png": png_bytes(np.eye(16, dtype=np.uint8))}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # uncompressed size, local and central
        at = raw.index(signature) + offset
        raw[at:at + 4] = struct.pack("<I", struct.unpack("<I", raw[at:at + 4])[0] - 10)
    member, = images.read_zip(bytes(raw))
    assert member.size == len(png_bytes(np.eye(16, dtype=np.uint8))) - 10
    with pytest.raises(ArchiveError):
        member.payload


def test_a_folder_is_read_file_by_file_and_a_file_gone_since_is_named(tmp_path):
    (tmp_path / "normal").mkdir()
    first, second = (png_bytes(px) for px in sample_images(2)["normal"])
    (tmp_path / "normal" / "a.png").write_bytes(first)
    (tmp_path / "normal" / "b.png").write_bytes(first)
    files = images.read_folder(tmp_path)
    (tmp_path / "normal" / "a.png").write_bytes(second)  # changed after listing: read as it is when decoded
    (tmp_path / "normal" / "b.png").unlink()
    assert files[0].payload == second
    with pytest.raises(images.ImageInputError, match=r"^normal/b.png: the file cannot be read"):
        files[1].payload


def test_nested_zip_members_are_renamed_and_read_when_asked(opened):
    inner = _zip({"1.png": png_bytes(np.eye(16, dtype=np.uint8) * 90)})
    outer = images.read_zip(_zip({"batch/site_b.zip": inner, "batch/a.png": png_bytes(np.eye(16, dtype=np.uint8))}))
    files = unpack_nested(outer)
    assert [f.name for f in files] == ["batch/site_b/1.png", "batch/a.png"]
    assert "1.png" not in opened  # the inner member is read when asked for, like any
    assert files[0].payload == png_bytes(np.eye(16, dtype=np.uint8) * 90)


def test_only_files_alike_in_size_and_start_are_read_whole_to_find_copies():
    reads: list[tuple[str, int]] = []

    def member(name: str, data: bytes) -> images.InputFile:
        def read(count: int) -> bytes:
            reads.append((name, count))
            return data if count < 0 else data[:count]
        return images.InputFile(name, read=read, size=len(data))

    same = b"\x01" * 5000
    files = [member("normal/a.dcm", same), member("normal/copy.dcm", same), member("pneumonia/b.dcm", b"\x02" * 5000),
             member("pneumonia/c.dcm", b"\x03" * 4000)]
    layout = {f.name: (f.name.split("/")[0], None) for f in files}
    kept, skipped, warnings = triage_split.drop_duplicates(files, layout)
    assert [f.name for f in kept] == ["normal/a.dcm", "pneumonia/b.dcm", "pneumonia/c.dcm"] and warnings == []
    assert skipped == ["normal/copy.dcm: a byte-identical copy of normal/a.dcm (same label); one copy kept"]
    assert sorted(n for n, count in reads if count < 0) == ["normal/a.dcm", "normal/copy.dcm"]
    assert "pneumonia/c.dcm" not in {n for n, _ in reads}  # no other file of its size: not read at all


def test_a_training_file_gone_since_it_was_listed_is_skipped_as_unreadable(tmp_path):
    for label, arrays in sample_images(10).items():
        (tmp_path / label).mkdir()
        for i, px in enumerate(arrays):
            (tmp_path / label / f"{i}.png").write_bytes(png_bytes(px))
    files = images.read_folder(tmp_path)
    (tmp_path / "normal" / "3.png").unlink()
    labelled = triage_training.load_labelled(files, None, lambda fraction, message: None, consume=True)
    assert labelled.total == 20 and any(s.startswith("normal/3.png: the file cannot be read") for s in labelled.skipped)


def test_a_password_protected_zip_is_refused_up_front_naming_no_file(opened):
    """Hospital exports are often ZIPs with a password: reading a member raised a RuntimeError naming it."""
    raw = bytearray(_zip({"DOE_JANE/a.png": png_bytes(np.eye(16, dtype=np.uint8))}))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # general purpose flags: bit 0, encrypted
        raw[raw.index(signature) + offset] |= 0x1
    with pytest.raises(images.ImageInputError, match="^The ZIP is password-protected") as raised:
        images.read_zip(bytes(raw))
    assert "DOE" not in str(raised.value) and opened == []
