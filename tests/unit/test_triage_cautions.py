"""Study cautions by DICOM header: a modality or body part the model was not trained on."""
import numpy as np
import pandas as pd

from data.image_decode import decode
from services import triage_cautions as cautions
from tests.triage_support import DICOM_SAMPLES, dicom_bytes

CHEST = {"images": 40, "modalities": {"CR": 25, "DX": 15}, "body_parts": {"CHEST": 40}}
PIXELS = (np.arange(32 * 32).reshape(32, 32) % 200).astype(np.uint8)


def _kind(sample: str) -> tuple:
    return cautions.dicom_kind(decode((DICOM_SAMPLES / sample).read_bytes(), sample))


def test_headers_of_real_samples_and_generated_radiographs_are_read():
    assert _kind("CT_small.dcm") == ("CT", "")
    assert _kind("MR_small.dcm") == ("MR", "")
    assert _kind("JPEG2000.dcm") == ("NM", "WHOLE BODY")
    assert cautions.dicom_kind(decode(dicom_bytes(PIXELS, "cr", "Chest "), "c.dcm")) == ("CR", "CHEST")
    png = decode((DICOM_SAMPLES / "CT_small.dcm").read_bytes(), "CT_small.dcm")
    assert cautions.dicom_kind(type(png)(png.pixels, None, (), "png")) == (None, None)


def test_a_png_is_never_cautioned_by_a_dicom_profile():
    assert cautions.unlike_dicom((None, None), "a.png", CHEST) == ""


def test_the_profile_counts_dicom_images_only_and_spells_body_parts_one_way():
    modalities = pd.Series(["CR", "DX", None, "DX", ""])
    parts = pd.Series(["CHEST", "THORAX", None, "chest", ""])
    assert cautions.dicom_profile(modalities, parts) == {"images": 4, "modalities": {"DX": 2, "CR": 1},
                                                         "body_parts": {"CHEST": 3}}
    assert cautions.dicom_profile(pd.Series([None, None]), pd.Series([None, None])) == {}
    assert "modality CR 25, DX 15; body part CHEST 40" in cautions.profile_notes(CHEST)[0]


def test_an_mr_or_ct_scored_by_a_chest_radiograph_model_is_cautioned():
    """A CR/DX chest model scored MR_small 0.90 ('review') and an NM study 0.87 without a word."""
    for sample, modality in (("MR_small.dcm", "MR"), ("CT_small.dcm", "CT"), ("JPEG2000.dcm", "NM")):
        header = _kind(sample)
        assert cautions.unlike_dicom(header, sample, CHEST) == (
            f"{sample}: modality {modality} (DICOM Modality), while the model was trained on CR/DX images: it is "
            "unlike anything the model learnt, so its score means little; read it as if unscored.")


def test_another_body_part_is_cautioned_but_radiographs_of_the_chest_are_not():
    assert cautions.unlike_dicom(("CR", "SKULL"), "s.dcm", CHEST).startswith(
        "s.dcm: body part SKULL (DICOM BodyPartExamined), while the model was trained on CHEST studies")
    for header in (("DX", "CHEST"), ("CR", "Thorax"), ("DX", ""), ("OT", "CHEST"), ("SC", ""), ("", "")):
        assert cautions.unlike_dicom(header, "a.dcm", CHEST) == "", header
    for profile in (None, {}):  # a run stored before the profile was kept; trained on PNG/JPEG only
        for header in (("CR", "SKULL"), ("DX", ""), ("RG", "CHEST"), ("DR", ""), ("OT", ""), ("SC", ""), ("", "")):
            assert cautions.unlike_dicom(header, "a.dcm", profile) == "", (header, profile)


def test_a_modality_rare_in_training_counts_as_unseen():
    mostly_cr = {"images": 100, "modalities": {"CR": 98, "MR": 2}, "body_parts": {"CHEST": 100}}
    assert "modality MR" in cautions.unlike_dicom(("MR", "CHEST"), "a.dcm", mostly_cr)
    mixed = {"images": 100, "modalities": {"CT": 50, "MR": 50}, "body_parts": {"HEAD": 100}}
    assert cautions.unlike_dicom(("MR", "BRAIN"), "a.dcm", mixed) == ""


def test_real_mr_ct_and_nm_samples_are_cautioned_when_training_named_no_modality():
    """A PNG chest X-ray model put MR_small and MR_small_RLE at 'routine · normal', p 0.376, CT_small at routine
    and the NM study at urgent, with no caution on their rows: the run had no DICOM profile to compare with."""
    for sample, modality in (("MR_small.dcm", "MR"), ("MR_small_RLE.dcm", "MR"), ("MR_small_implicit.dcm", "MR"),
                             ("CT_small.dcm", "CT"), ("JPEG2000.dcm", "NM")):
        assert cautions.unlike_dicom(_kind(sample), sample, {}) == (
            f"{sample}: modality {modality} (DICOM Modality), not a plain radiograph, while the model was trained "
            f"on PNG/JPEG images, which name no modality: unless those were {modality} images too, it is unlike "
            "what the model learnt, so its score means little; read it as if unscored.")
    assert "trained on images whose kind the run did not record" in cautions.unlike_dicom(_kind("MR_small.dcm"),
                                                                                          "m.dcm", None)
    untold = {"images": 10, "modalities": {"OT": 10}, "body_parts": {}}
    assert "trained on DICOM images that name no modality" in cautions.unlike_dicom(_kind("CT_small.dcm"), "c.dcm",
                                                                                    untold)


def test_x_rays_of_another_kind_than_plain_radiographs_are_cautioned():
    """Mammograms, dental (IO, PX), fluoroscopy (RF) and angiography (XA) are X-rays, not chest radiographs."""
    for modality in ("MG", "IO", "PX", "RF", "XA", "US", "PT"):
        assert f"modality {modality} (DICOM Modality)" in cautions.unlike_dicom((modality, ""), "a.dcm", {})
        assert f"modality {modality} (DICOM Modality)" in cautions.unlike_dicom((modality, "CHEST"), "a.dcm", CHEST)
    assert cautions.unlike_dicom(("RG", "CHEST"), "a.dcm", CHEST) == ""  # film radiograph: the CR/DX family


def _pages(count: int, fmt: str) -> bytes:
    import io

    from PIL import Image

    frames = [Image.fromarray(np.roll(PIXELS, 5 * i, axis=1)) for i in range(count)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format=fmt, save_all=count > 1, append_images=frames[1:])
    return buffer.getvalue()


def _frames_dicom(count: int) -> bytes:
    import io

    import pydicom

    ds = pydicom.dcmread(io.BytesIO(dicom_bytes(PIXELS)))
    ds.NumberOfFrames = count
    ds.PixelData = ds.PixelData * count
    buffer = io.BytesIO()
    pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
    return buffer.getvalue()


def _multi_frame_reason(payload: bytes, name: str) -> str:
    decoded = decode(payload, name)
    return cautions.multi_frame(decoded.frames, decoded.kind, name)


def test_a_file_of_several_pages_or_frames_carries_a_caution_naming_the_one_scored():
    # a TIFF whose film is on page 2 was scored by its cover page, without a word
    assert _multi_frame_reason(_pages(2, "TIFF"), "films.tif").startswith(
        "films.tif: holds 2 pages; only the first was scored")
    assert _multi_frame_reason(_pages(3, "GIF"), "cine.gif").startswith("cine.gif: holds 3 frames; only the first")
    assert _multi_frame_reason(_frames_dicom(5), "tomo.dcm").startswith(
        "tomo.dcm: holds 5 frames; only frame 3 (the middle one) was scored")
    for payload, name in ((_pages(1, "TIFF"), "one.tif"), (_pages(1, "PNG"), "one.png"),
                          (dicom_bytes(PIXELS), "one.dcm")):
        assert _multi_frame_reason(payload, name) == ""


def test_a_caution_many_studies_share_is_said_once_with_their_count():
    """40 MRs scored by a chest model printed the same long caution 40 times; now once, counted, names first."""
    files = [f"mr_{i}.dcm" for i in range(1, 6)] + ["tiny.png", "ct.dcm"]
    reasons = [cautions.unlike_dicom(("MR", ""), name, CHEST) for name in files[:5]] + [
        cautions.low_resolution(np.zeros((14, 14), np.uint8), "tiny.png"), cautions.unlike_dicom(("CT", ""), "ct.dcm",
                                                                                                CHEST)]
    said = cautions.said_once(files, reasons)
    assert said == [
        "5 studies (mr_1.dcm, mr_2.dcm, mr_3.dcm and 2 more), each: modality MR (DICOM Modality), while the model "
        "was trained on CR/DX images: it is unlike anything the model learnt, so its score means little; read it as "
        "if unscored.", reasons[5], reasons[6]]
    assert cautions.said_once(files[:2], reasons[:2])[0].startswith("2 studies (mr_1.dcm, mr_2.dcm), each: modality")
    assert cautions.said_once(["a.png"], ["a.png: x"]) == ["a.png: x"]
    assert cautions.said_once(["a.png", "b.png"], ["other: x", "other: x"]) == ["other: x", "other: x"]
