"""A training set that cannot train is refused at upload (services.triage_layout.check_training_set), in the words
the training job refuses it with: it had been found only once the queued job ran. A set that can train passes."""
from __future__ import annotations

import io
import re
import zipfile

import pytest

import cli
from services import triage, triage_layout
from services.errors import UserFacingError
from tests.support import make_runtime
from tests.triage_support import write_class_folders, zip_bytes as _zip, zip_tree


@pytest.fixture(scope="module")
def sets(tmp_path_factory):
    root = tmp_path_factory.mktemp("sets")
    good = zip_tree(write_class_folders(root / "good", per_class=3))
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        pictures = {name: archive.read(name) for name in archive.namelist()}
    damaged = bytearray(good)
    start = damaged.index(b"IDAT")
    damaged[start + 8:start + 40] = bytes(32)  # a member's bytes no longer match its checksum
    flat = {f"images/{name.split('/')[-1]}": payload for name, payload in pictures.items()}
    return {"good": good, "not a zip": b"hello, this is not a zip file\n" * 10, "cut short": good[:len(good) // 2],
            "damaged member": bytes(damaged), "no images": _zip({"README.txt": b"no images", "notes.md": b"x"}),
            "one class": _zip({n: p for n, p in pictures.items() if n.startswith("normal/")}),
            "flat": _zip(flat), "manifest": ("file,label\n" + "".join(f"{n},\n" for n in flat)).encode()}


REFUSED = {"not a zip": "The archive is not a readable ZIP file: it may be damaged, cut short or not a ZIP at all.",
           "cut short": "The archive is not a readable ZIP file",
           "damaged member": "The ZIP archive is damaged: a file inside it fails its checksum or cannot be unpacked.",
           "no images": "No images found (PNG, JPEG, DICOM, TIFF, BMP, GIF or WebP); nothing was stored. Left out: "
                        "README.txt (not an image); notes.md (not an image).",
           "one class": "The training set has a single class (normal); a classifier needs two or more class folders.",
           "flat": "The training set has a single class (images); a classifier needs two or more class folders. All "
                   "6 images lie in images/, so its name was read as their class"}


@pytest.mark.parametrize("name", list(REFUSED))
def test_a_set_that_cannot_train_is_refused_at_upload_as_the_job_refuses_it(sets, name, tmp_path):
    with pytest.raises(UserFacingError) as checked:
        triage_layout.check_training_set([("set.zip", sets[name])])
    assert str(checked.value).startswith(REFUSED[name]), str(checked.value)
    path = tmp_path / "set.zip"
    path.write_bytes(sets[name])
    params = triage.train_params(str(path), size=28, epochs=1)
    with pytest.raises(UserFacingError) as trained:  # the job's own words, before any training
        triage.train_triage_job(make_runtime(tmp_path / "var"), params, lambda fraction, message: None)
    assert str(trained.value) == str(checked.value)


def test_a_manifest_without_a_usable_label_is_refused_and_a_good_set_passes(sets):
    with pytest.raises(UserFacingError, match="All 6 manifest rows have an empty label: give each file its class"):
        triage_layout.check_training_set([("set.zip", sets["flat"])], sets["manifest"])
    labelled = sets["manifest"].decode().replace(",\n", ",normal\n", 3).replace(",\n", ",pneumonia\n").encode()
    assert triage_layout.check_training_set([("set.zip", sets["flat"])], labelled) is None
    assert triage_layout.check_training_set([("set.zip", sets["good"])]) is None
    with pytest.raises(UserFacingError, match="'bird'"):  # the abnormal class named on the page is no class
        triage_layout.check_training_set([("set.zip", sets["good"])], positive="bird")


HEADER_ONLY = "The manifest has a header row (file, label) but no rows under it: add one row per image"


def test_a_manifest_of_a_header_alone_is_refused_in_words(sets, settings_env, tmp_path, capsys):
    """A header with no rows had raised 'IndexError: list index out of range' on the page and in the CLI."""
    with pytest.raises(UserFacingError, match=re.escape(HEADER_ONLY)):
        triage_layout.check_training_set([("set.zip", sets["flat"])], b"file,label\n")
    (tmp_path / "set.zip").write_bytes(sets["flat"])
    (tmp_path / "labels.csv").write_text("file,label\n")
    code = cli.main(["triage", "train", "--images", str(tmp_path / "set.zip"), "--manifest",
                     str(tmp_path / "labels.csv"), "--size", "28", "--epochs", "1"])
    assert code == 2 and HEADER_ONLY in capsys.readouterr().err
