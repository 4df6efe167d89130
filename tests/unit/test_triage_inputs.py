"""What the triage desk reads in: ZIPs inside ZIPs opened, and reasons scrubbed without garbling the wording."""
import io

import numpy as np
import pytest

from data import dicom
from data.images import ImageInputError, InputFile, read_zip
from services.triage_inputs import scrub_reason, scrub_wording, unpack_nested
from services.triage_review import _as_stored
from tests.triage_support import dicom_bytes, zip_bytes as _zip

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_a_zip_inside_the_input_is_opened_in_place():
    # batch.zip holding site_b.zip: its studies were left out as 'not an image'
    outer = _zip({"batch/a.png": PNG, "batch/site_b.zip": _zip({"x/1.png": PNG, "deeper.zip": _zip({"2.png": PNG})}),
                  "batch/form.docx": _zip({"word/media/image1.png": PNG})})
    names = sorted(f.name for f in unpack_nested(read_zip(outer)))
    assert names == ["batch/a.png", "batch/form.docx", "batch/site_b/deeper/2.png", "batch/site_b/x/1.png"]


def test_nested_zips_keep_the_checks_of_any_zip():
    unsafe = [InputFile("batch/b.zip", _zip({"../evil.png": PNG}))]
    with pytest.raises(ImageInputError, match=r"batch/b.zip \(a ZIP inside the input\): .*unsafe path"):
        unpack_nested(unsafe)
    quine = PNG
    for _ in range(5):
        quine = _zip({"in.zip" if quine[:2] == b"PK" else "a.png": quine})
    with pytest.raises(ImageInputError, match="nested more than"):
        unpack_nested([InputFile("top.zip", quine)])


def test_a_reason_scrubs_the_file_name_but_not_the_desks_own_words():
    identifiers = ("First", "Little", "MRN0042")
    reason = "First_MRN0042/x.tif: holds 2 pages; only the first was scored; its score means little (MRN0042)"
    assert scrub_reason(reason, "First_MRN0042/x.tif", "[removed]_[removed]/x.tif", identifiers) == \
        "[removed]_[removed]/x.tif: holds 2 pages; only the first was scored; its score means little ([removed])"


def test_a_study_named_as_the_csv_writes_a_formula_like_name():
    assert _as_stored("'=HYPERLINK(1).png") == "=HYPERLINK(1).png"
    assert _as_stored("'quoted.png") == "'quoted.png" and _as_stored("plain.png") == "plain.png"


def test_a_tcia_style_id_leaves_the_desks_counts_alone_but_not_the_files_it_names():
    """LIDC-IDRI-0015 is also written 15, so a name '15 scans/a.png' loses it; the desk's '15%' had read
    '[removed]%', and a set of 80 such patients lost every count in its notes."""
    ids = dicom.header_identifiers(dicom_bytes(np.zeros((8, 8)), patient="LIDC-IDRI-0015"))
    assert "15" in ids
    note = "Validation: 15% held out (e.g. 15 scans/a.png, LIDC-IDRI-0015/b.dcm); 0015 and MRN42 are removed"
    assert scrub_wording(note, ids, ("15 scans/a.png", "LIDC-IDRI-0015/b.dcm", "15.png")) == \
        "Validation: 15% held out (e.g. [removed] scans/a.png, [removed]/b.dcm); [removed] and [removed] are removed"
    assert scrub_reason("LIDC-IDRI-0015/b.dcm: 15 x 20 pixels, under 28 (0015)", "LIDC-IDRI-0015/b.dcm",
                        "[removed]/b.dcm", ids) == "[removed]/b.dcm: 15 x 20 pixels, under 28 ([removed])"


def test_a_failed_trainings_message_keeps_its_counts(tmp_path):
    """Patients LIDC-IDRI-0001 … 0017 (also written 1 … 17): 'against 15 for normal' read 'against [removed]'."""
    from services import triage
    from services.errors import UserFacingError
    from tests.support import make_runtime

    for i in range(17):
        folder = tmp_path / "set" / ("normal" if i < 15 else "rare")
        folder.mkdir(parents=True, exist_ok=True)
        pixels = np.full((32, 32), 10 * i, dtype=np.uint8)
        pixels[: i + 1] = 200
        (folder / f"LIDC-IDRI-{i + 1:04d}.dcm").write_bytes(dicom_bytes(pixels, patient=f"LIDC-IDRI-{i + 1:04d}"))
    params = triage.train_params(str(tmp_path / "set"), size=28, epochs=1)
    with pytest.raises(UserFacingError) as refused:
        triage._train(make_runtime(tmp_path / "var"), params, lambda *_: None)
    assert str(refused.value).startswith("Class 'rare' has only 2 image(s), against 15 for 'normal'"), refused.value


def test_a_file_named_by_its_sop_instance_uid_loses_the_uid_but_not_numbers_like_its_parts():
    """SIIM names each file by its SOP Instance UID, which the basic profile replaces by a salted hash: it had
    reached the worklist and the database as written. Only the whole UID goes: '1.2 mm' keeps its '1' and '2'."""
    import pydicom

    payload = dicom_bytes(np.zeros((8, 8)))
    uid = str(pydicom.dcmread(io.BytesIO(payload)).SOPInstanceUID)
    ids = dicom.header_identifiers(payload)
    assert uid in ids and "1" not in ids and "2" not in ids
    assert dicom.scrub(f"train/{uid}.dcm", ids) == "train/[removed].dcm"
    assert dicom.scrub("slice 1.2 mm, series 2", ids) == "slice 1.2 mm, series 2"
