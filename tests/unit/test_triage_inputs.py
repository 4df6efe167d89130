"""What the triage desk reads in: ZIPs inside ZIPs opened, and reasons scrubbed without garbling the wording."""
import io
import zipfile

import pytest

from data.images import ImageInputError, InputFile, read_zip
from services.triage_inputs import scrub_reason, unpack_nested
from services.triage_review import _as_stored

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


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
