"""Image inputs: corrupt and bomb PNGs, hostile ZIPs, class folder layouts, DICOM decoding and de-identification."""
import io
import zipfile

import numpy as np
import pytest

from data import dicom, image_decode, images
from data.input_files import ArchiveError
from tests.triage_support import DICOM_SAMPLES, SAMPLE_IDENTIFIERS, bomb_png, png_bytes, traversal_zip


def test_png_jpeg_and_16_bit_decode_to_uint8():
    from PIL import Image

    gray = np.arange(28 * 30, dtype=np.uint8).reshape(28, 30)
    assert image_decode.decode(png_bytes(gray), "a.png").pixels.tolist() == gray.tolist()
    buffer = io.BytesIO()
    Image.fromarray(np.dstack([gray, gray // 2, gray // 3])).save(buffer, format="JPEG")
    colour = image_decode.decode(buffer.getvalue(), "b.jpg").pixels
    assert colour.shape == (28, 30, 3) and colour.dtype == np.uint8
    buffer = io.BytesIO()
    Image.fromarray((np.arange(100, dtype=np.uint16).reshape(10, 10) * 40)).save(buffer, format="PNG")
    wide = image_decode.decode(buffer.getvalue(), "c.png").pixels  # 12-bit values: windowed to their used range
    assert wide.dtype == np.uint8 and wide.min() == 0 and wide.max() == 255


def test_a_png_or_jpeg_named_dcm_is_read_as_what_it_is():
    """A PNG exported as scan.dcm had been refused as 'a DICOM file with no pixel data'."""
    gray = np.arange(28 * 30, dtype=np.uint8).reshape(28, 30)
    assert image_decode.decode(png_bytes(gray), "scan.dcm").pixels.tolist() == gray.tolist()
    with pytest.raises(images.ImageInputError, match="^scan.dcm: "):  # other bytes still go to the DICOM reader
        image_decode.decode(b"plainly not an image at all", "scan.dcm")


def _png16(values: np.ndarray) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(values.astype(np.uint16)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_16_bit_png_with_a_narrow_used_range_is_windowed_to_it():
    """A 12-bit detector's 2000-2600 scaled by the bit depth was a flat grey 132-160 the model scored near chance."""
    gray = np.random.default_rng(1).integers(0, 256, (40, 40)).astype(np.float64)
    decoded = image_decode.decode(_png16(2000 + gray * 600 / 255), "narrow.png").pixels.astype(int)
    low, high = np.percentile(gray, [0.5, 99.5])
    expected = np.clip((gray - low) / (high - low), 0, 1) * 255
    assert decoded.min() == 0 and decoded.max() == 255 and np.abs(decoded - expected).max() <= 2
    small = np.arange(40 * 40).reshape(40, 40) % 200  # 8-bit values in a 16-bit file: used as they are
    assert image_decode.decode(_png16(small), "eight.png").pixels.tolist() == small.tolist()


def test_a_full_range_16_bit_png_reads_as_its_8_bit_copy():
    """The same film as an 8-bit PNG and as a 16-bit one (values × 257): the 16-bit copy had been stretched to its
    percentiles and scored apart from the 8-bit one."""
    film = np.random.default_rng(2).normal(120, 40, (40, 40)).clip(0, 255).astype(np.uint8)
    film[0, 0], film[0, 1] = 0, 255
    eight = image_decode.decode(png_bytes(film), "film.png").pixels
    sixteen = image_decode.decode(_png16(film.astype(np.uint32) * 257), "film16.png").pixels
    assert sixteen.tolist() == eight.tolist()


def test_a_narrow_8_bit_film_saved_at_16_bits_keeps_its_grey_levels():
    """A film spanning grey levels 101-204 saved at 16 bits (× 257, or shifted by 8 bits) had been windowed to its
    percentiles, 0-255: up to 110 grey levels off, scores 0.981 -> 0.417."""
    film = np.random.default_rng(3).integers(101, 205, (40, 40)).astype(np.uint8)
    eight = image_decode.decode(png_bytes(film), "film.png").pixels
    for step in (257, 256):
        sixteen = image_decode.decode(_png16(film.astype(np.uint32) * step), "film16.png").pixels
        assert sixteen.tolist() == eight.tolist()


def _dicom_of(stored: np.ndarray, bits: int, **tags) -> bytes:
    return _mr_with(BitsAllocated=16 if bits > 8 else 8, BitsStored=bits, HighBit=bits - 1, PixelRepresentation=0,
                    Rows=stored.shape[0], Columns=stored.shape[1], RescaleSlope=1.0, RescaleIntercept=0.0,
                    PixelData=stored.astype(np.uint16 if bits > 8 else np.uint8).tobytes(), **tags)


def _without_window(payload: bytes, **tags) -> bytes:
    import pydicom

    ds = pydicom.dcmread(io.BytesIO(payload))
    for tag in ("WindowCenter", "WindowWidth", "VOILUTSequence"):
        if tag in ds:
            delattr(ds, tag)
    return _saved(ds, **tags)


def _saved(ds, **tags) -> bytes:
    for key, value in tags.items():
        setattr(ds, key, value)
    buffer = io.BytesIO()
    ds.save_as(buffer)
    return buffer.getvalue()


def test_a_dicom_without_a_window_decodes_like_the_same_picture_as_png():
    """An 8-bit DICOM without a window scored 0.454 against 0.004 as a PNG: it was stretched to its own range."""
    gray = np.clip(np.random.default_rng(2).normal(120, 30, (40, 40)), 30, 220).astype(np.uint8)
    eight = _without_window(_dicom_of(gray, 8))
    assert image_decode.decode(eight, "eight.dcm").pixels.tolist() == gray.tolist()  # used as is, like the PNG
    deep = gray.astype(np.uint16) * 3 + 2000
    assert image_decode.decode(_without_window(_dicom_of(deep, 12)), "deep.dcm").pixels.tolist() == \
        image_decode.decode(_png16(deep), "deep.png").pixels.tolist()  # windowed to the used range, like the PNG


def test_a_voi_lut_is_applied_without_library_warnings():
    import warnings

    from pydicom.dataset import Dataset

    gray = np.clip(np.random.default_rng(4).normal(120, 30, (40, 40)), 0, 255).astype(np.uint16)
    item = Dataset()
    item.LUTDescriptor, item.LUTData = [4096, 0, 16], (np.arange(4096) // 16).astype("<u2").tobytes()
    payload = _without_window(_dicom_of(gray * 16, 12), VOILUTSequence=[item])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        decoded = image_decode.decode(payload, "lut.dcm").pixels.astype(int)
    assert np.abs(decoded - gray.astype(int)).max() <= 1


@pytest.mark.parametrize("min_is_white", [True, False])
def test_a_16_bit_min_is_white_tiff_is_not_read_as_its_negative(min_is_white):
    from PIL import Image, TiffImagePlugin

    ramp = np.tile(np.linspace(0, 4000, 64, dtype=np.uint16), (64, 1))  # 0 (dark) … 4000 (bright) when MinIsBlack
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[262] = 0 if min_is_white else 1
    buffer = io.BytesIO()
    Image.fromarray(ramp).save(buffer, format="TIFF", tiffinfo=tags)
    pixels = image_decode.decode(buffer.getvalue(), "film.tif").pixels
    left, right = int(pixels[:, 0].mean()), int(pixels[:, -1].mean())
    assert (left, right) == ((255, 0) if min_is_white else (0, 255))


def test_exif_orientation_is_applied():
    from PIL import Image

    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    Image.fromarray(np.tile(np.arange(60, dtype=np.uint8) * 4, (40, 1))).save(buffer, format="JPEG", exif=exif)
    assert image_decode.decode(buffer.getvalue(), "phone.jpg").pixels.shape == (60, 40)


NEARLY_FLAT = np.full((64, 64), 120, np.uint8)
NEARLY_FLAT[3, 3] = 121


@pytest.mark.parametrize("pixels", [np.zeros((8, 8), np.uint8), np.full((8, 8, 3), 200, np.uint8), NEARLY_FLAT])
def test_a_blank_image_needs_a_manual_read(pixels):
    with pytest.raises(images.ImageInputError, match=r"blank.png: \(nearly\) every pixel has the same value"):
        image_decode.decode(png_bytes(pixels), "blank.png")


def test_gray_saved_as_rgb_stays_one_channel():
    gray = np.arange(64, dtype=np.uint8).reshape(8, 8)
    assert image_decode.decode(png_bytes(np.dstack([gray] * 3)), "g.png").pixels.shape == (8, 8)


NOISE = png_bytes(np.random.default_rng(0).integers(0, 255, (64, 64), dtype=np.uint8))


@pytest.mark.parametrize("payload", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, NOISE[:len(NOISE) // 2], b"not an image"])
def test_corrupt_png_is_a_clear_error(payload):
    with pytest.raises(images.ImageInputError, match="broken.png: not a readable image"):
        image_decode.decode(payload, "broken.png")


@pytest.mark.parametrize("payload,reason", [(b"", "the file is empty"), (b"just text", "not a known image format")])
def test_unreadable_file_messages_name_the_reason_not_python_objects(payload, reason):
    with pytest.raises(images.ImageInputError) as caught:
        image_decode.decode(payload, "x.png")
    assert reason in str(caught.value) and "object at 0x" not in str(caught.value)


def test_bomb_png_is_refused_from_its_header(monkeypatch):
    payload = bomb_png()
    assert len(payload) < 2000
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: pytest.fail("pixels were decoded"))
    with pytest.raises(images.ImageInputError, match="possible decompression bomb.*not decoded"):
        image_decode.decode(payload, "bomb.png")
    with pytest.raises(images.ImageInputError, match="9000 × 9000 pixels is larger than the limit"):
        image_decode.decode(bomb_png(9000, 9000), "big.png")  # under Pillow's own limit: ours stops it


def test_zip_with_parent_paths_is_refused_whole():
    with pytest.raises(images.ImageInputError, match=r"unsafe path names .*\.\./\.\./evil\.png"):
        images.read_zip(traversal_zip())


def test_zip_bomb_ratio_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("normal/zeros.png", b"\x00" * (8 * 1024 * 1024))
    with pytest.raises(images.ImageInputError, match="possible ZIP bomb"):
        images.read_zip(buffer.getvalue())


def test_hidden_and_macos_files_are_ignored():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("normal/a.png", b"x")
        archive.writestr("__MACOSX/normal/._a.png", b"x")
        archive.writestr("normal/.DS_Store", b"x")
    assert [f.name for f in images.read_zip(buffer.getvalue())] == ["normal/a.png"]


def test_class_folders_layouts():
    wrapped = images.class_folders(["data/normal/a.png", "data/pneumonia/b.png"])
    assert wrapped == {"data/normal/a.png": ("normal", None), "data/pneumonia/b.png": ("pneumonia", None)}
    split = images.class_folders(["train/cat/1.png", "val/dog/2.png", "test/cat/3.png"])
    assert split == {"train/cat/1.png": ("cat", "train"), "val/dog/2.png": ("dog", "val"),
                     "test/cat/3.png": ("cat", "test")}
    nested = images.class_folders(["x/normal/p1/a.dcm", "x/tumour/p2/b.dcm"])
    assert [label for label, _ in nested.values()] == ["normal", "tumour"]
    assert images.class_folders(["a.png"]) == {"a.png": (None, None)}
    assert images.class_folders(["normal/a.png", "normal/b.png"])["normal/a.png"] == ("normal", None)


def test_kaggle_chest_xray_zip_with_its_tree_twice_keeps_one_copy():
    names = ["chest_xray/train/NORMAL/a.jpeg", "chest_xray/train/PNEUMONIA/b.jpeg", "chest_xray/test/NORMAL/c.jpeg",
             "chest_xray/chest_xray/train/NORMAL/a.jpeg", "chest_xray/chest_xray/train/PNEUMONIA/b.jpeg",
             "chest_xray/chest_xray/test/NORMAL/c.jpeg"]
    kept = images.drop_nested_copies([images.InputFile(n, b"") for n in names])
    layout = images.class_folders([f.name for f in kept])
    assert sorted(layout) == sorted(names[:3]) and {label for label, _ in layout.values()} == {"NORMAL", "PNEUMONIA"}
    only_nested = [images.InputFile(n, b"") for n in names[3:]]
    assert images.drop_nested_copies(only_nested) == only_nested


def test_a_loose_file_beside_the_class_folders_is_not_a_class():
    names = [f"chest/{c}/{i}.png" for c in ("normal", "pneumonia") for i in range(20)] + ["chest/preview.png"]
    layout = images.class_folders(names)
    assert layout["chest/preview.png"] == (None, None)
    assert {label for n, (label, _) in layout.items() if n != "chest/preview.png"} == {"normal", "pneumonia"}
    # a small flat folder beside the wrapper is a folder, not loose files: it is never dropped
    beside = images.class_folders(names[:-1] + [f"tb/{i}.png" for i in range(5)])
    assert {label for label, _ in beside.values()} == {"chest", "tb"}


def test_a_folder_named_like_its_parent_with_other_images_is_kept():
    files = [images.InputFile("pets/cat/1.png", b"a"), images.InputFile("pets/cat/cat/1.png", b"b")]
    assert images.drop_nested_copies(files) == files


def _mr_with(**tags) -> bytes:
    import pydicom

    return _saved(pydicom.dcmread(DICOM_SAMPLES / "MR_small.dcm"), **tags)


def test_dicom_without_preamble_or_file_meta_is_read_with_or_without_a_suffix():
    import pydicom
    from pydicom.filebase import DicomBytesIO
    from pydicom.filewriter import write_dataset

    ds = pydicom.dcmread(DICOM_SAMPLES / "MR_small.dcm")
    del ds.file_meta
    raw = DicomBytesIO()
    raw.is_little_endian, raw.is_implicit_VR = True, True
    write_dataset(raw, ds)
    for name in ("study/IM0001", "old.dcm", "series/1.2.840.99999.1.1.7", "MR.0001.IMA"):  # a UID, Siemens
        assert images.image_files([images.InputFile(name, raw.getvalue())]) != []
        assert image_decode.decode(raw.getvalue(), name).pixels.shape == (64, 64)
    assert images.image_files([images.InputFile("notes", b"plain text")]) == []
    assert images.image_files([images.InputFile("notes.txt", raw.getvalue())]) == []  # a named kind: not DICOM


def test_dicom_with_file_meta_but_no_preamble_is_read_by_its_uid_name():
    """Some archives strip the 128-byte preamble and 'DICM' but keep the file meta (group 0002) first."""
    import pydicom

    buffer = io.BytesIO()
    pydicom.dcmread(DICOM_SAMPLES / "MR_small.dcm").save_as(buffer, enforce_file_format=True)
    stripped = buffer.getvalue()[132:]
    assert stripped[:2] == b"\x02\x00"
    for name in ("series/1.2.840.99999.1.1.8", "IM0002"):
        assert images.image_files([images.InputFile(name, stripped)]) != []
        assert image_decode.decode(stripped, name).pixels.shape == (64, 64)


def test_an_empty_dicom_reads_as_an_empty_png_does():
    for name in ("IM0001.dcm", "IM0001.png"):  # an empty .dcm had read "holds only 0 bytes ... looks truncated"
        with pytest.raises(images.ImageInputError, match=r"^IM0001\.(dcm|png): not a readable image \(the file is "
                                                         r"empty\)\.$"):
            image_decode.decode(b"", name)


def test_a_tiny_dicom_fragment_is_called_truncated():
    fragment = (DICOM_SAMPLES / "CT_small.dcm").read_bytes()[:100]
    with pytest.raises(images.ImageInputError, match="holds only 100 bytes and no pixel data: it looks truncated"):
        image_decode.decode(fragment, "IM0002.dcm")
    cut = (DICOM_SAMPLES / "CT_small.dcm").read_bytes()[:2000]  # the header read, the pixels cut off
    with pytest.raises(images.ImageInputError, match="a CT image by its header but holds no pixel data: it looks"):
        image_decode.decode(cut, "IM0003.dcm")


def test_gif_and_webp_images_are_read():
    from PIL import Image

    pixels = np.tile(np.arange(64, dtype=np.uint8) * 4, (64, 1))
    for fmt in ("GIF", "WEBP"):
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format=fmt)
        name = f"scan.{fmt.lower()}"
        assert images.image_files([images.InputFile(name, buffer.getvalue())]) != []
        assert image_decode.decode(buffer.getvalue(), name).pixels.shape[:2] == (64, 64)  # WebP keeps no gray mode


def test_dicom_window_width_zero_falls_back_to_the_value_range():
    image = dicom.read(_mr_with(WindowCenter=600, WindowWidth=0))
    assert image.pixels.dtype == np.uint8 and image.pixels.max() > image.pixels.min()


def test_dicom_rescale_slope_zero_is_blank_not_a_study():
    with pytest.raises(images.ImageInputError, match="every pixel has the same value"):
        image_decode.decode(_mr_with(RescaleSlope=0, RescaleIntercept=0), "slope0.dcm")


@pytest.mark.parametrize("name,shape", [
    ("CT_small.dcm", (128, 128)), ("MR_small.dcm", (64, 64)), ("MR_small_implicit.dcm", (64, 64)),
    ("MR_small_RLE.dcm", (64, 64)), ("JPEG2000.dcm", (1024, 256)), ("SC_rgb_jpeg_dcmtk.dcm", (100, 100, 3))])
def test_dicom_samples_decode_to_8_bit(name, shape):
    image = image_decode.decode((DICOM_SAMPLES / name).read_bytes(), name)
    assert image.kind == "dicom" and image.pixels.shape == shape and image.pixels.dtype == np.uint8
    assert image.pixels.max() > image.pixels.min()


@pytest.mark.parametrize("name,message", [
    ("rtplan.dcm", r"no pixel data: it holds no image \(an RTPLAN object"), ("rtplan_truncated.dcm", "no pixel data")])
def test_dicom_without_pixels_is_refused_clearly(name, message):
    with pytest.raises(images.ImageInputError, match=message):
        image_decode.decode((DICOM_SAMPLES / name).read_bytes(), name)


def test_a_small_structured_report_holds_no_image_and_is_not_called_truncated():
    import pydicom
    from pydicom.dataset import FileDataset, FileMetaDataset

    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = sr_class = "1.2.840.10008.5.1.4.1.1.88.11"
    meta.MediaStorageSOPInstanceUID, meta.TransferSyntaxUID = "1.2.3.4", pydicom.uid.ExplicitVRLittleEndian
    ds = FileDataset(None, {}, file_meta=meta, preamble=b"\0" * 128)
    ds.SOPClassUID, ds.SOPInstanceUID, ds.Modality, ds.PatientName = sr_class, "1.2.3.4", "SR", "QQROE^ANN"
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    assert len(buffer.getvalue()) < 1024
    with pytest.raises(images.ImageInputError, match=r"report.dcm: the DICOM file has no pixel data: it holds no "
                       r"image \(a structured report; a report or other non-image DICOM\)") as caught:
        image_decode.decode(buffer.getvalue(), "report.dcm")
    assert "truncated" not in str(caught.value) and "QQROE" not in str(caught.value)


def test_truncated_pixel_data_is_named_truncated():
    payload = (DICOM_SAMPLES / "CT_small.dcm").read_bytes()[:20000]
    with pytest.raises(images.ImageInputError, match="looks truncated"):
        image_decode.decode(payload, "cut.dcm")


def test_monochrome1_is_inverted_and_undecodable_syntax_is_named(monkeypatch):
    import pydicom

    payload = (DICOM_SAMPLES / "MR_small.dcm").read_bytes()
    normal = dicom.read(payload).pixels
    ds = pydicom.dcmread(io.BytesIO(payload))
    ds.PhotometricInterpretation = "MONOCHROME1"
    buffer = io.BytesIO()
    ds.save_as(buffer)
    assert (dicom.read(buffer.getvalue()).pixels == 255 - normal).all()
    monkeypatch.setattr(pydicom.Dataset, "pixel_array", property(lambda self: (_ for _ in ()).throw(
        NotImplementedError("no plugin"))))
    with pytest.raises(dicom.DicomError, match="transfer syntax Explicit VR Little Endian .* cannot be decoded"):
        dicom.read(payload)


def test_deidentify_removes_identifiers_and_hashes_uids():
    payload = (DICOM_SAMPLES / "CT_small.dcm").read_bytes()
    ds = dicom.deidentify(payload, b"salt")
    text = str(ds)
    assert all(i not in text for i in SAMPLE_IDENTIFIERS)
    assert "PatientName" not in ds and "InstitutionName" not in ds and ds.PatientIdentityRemoved == "YES"
    assert ds.StudyInstanceUID.startswith("2.25.") and ds.SOPClassUID == "1.2.840.10008.5.1.4.1.1.2"
    again = dicom.deidentify(payload, b"salt")
    other = dicom.deidentify(payload, b"pepper")
    assert again.StudyInstanceUID == ds.StudyInstanceUID != other.StudyInstanceUID


def test_scrub_replaces_standalone_identifiers_only():
    assert dicom.scrub("x/1CT1_scan.dcm", ("1CT1",)) == "x/[removed]_scan.dcm"
    assert dicom.scrub("Lestrade^G-ct.dcm", ("Lestrade^G", "Lestrade")) == "[removed]-ct.dcm"
    assert dicom.scrub("pneumonia/preview.png", ("pre",)) == "pneumonia/preview.png"
    identifiers = dicom.header_identifiers((DICOM_SAMPLES / "rtplan.dcm").read_bytes())
    assert "id00001" in identifiers and dicom.header_identifiers(b"not dicom") == ()


def test_names_written_together_and_ids_without_leading_zeros_are_scrubbed_too():
    from pydicom.dataset import Dataset

    ds = Dataset()
    ds.PatientName, ds.PatientID = "QQVIOLET^ANNA^MARIE", "00123456"
    scrubbed = dicom.scrub("QQVIOLETANNA.png, AnnaMarie (123456)/key.png", dicom._identifiers(ds))
    assert scrubbed == "[removed].png, [removed] ([removed])/key.png"


def test_the_birth_date_is_scrubbed_however_a_folder_writes_it():
    """SMITH_ANNA_MRN7731_19650203/ had come out as [removed]_[removed]_[removed]_19650203/."""
    from pydicom.dataset import Dataset

    ds = Dataset()
    ds.PatientName, ds.PatientID, ds.PatientBirthDate = "QQSMITH^ANNA", "MRN7731", "19650203"
    found = dicom._identifiers(ds)
    for folder in ("QQSMITH_ANNA_MRN7731_19650203", "1965-02-03 QQSMITH", "03.02.1965_x", "02/03/1965-x", "x_03021965"):
        assert not any(d in dicom.scrub(folder, found) for d in ("1965", "0302", "0203")), folder
    assert dicom.scrub("scan_2021-02-03.png", found) == "scan_2021-02-03.png"  # another date stays
    ds.PatientBirthDate = ""
    assert not any("1965" in v for v in dicom._identifiers(ds))


@pytest.mark.parametrize(("name", "patient_id", "file"), [
    ("QQROE, ANN", "MRN1", "QQROE_ANN/QQROE_ANN_chest.dcm"),      # written 'Family, Given'
    ("LI^NA", "MRN2", "LI_NA/li_na_chest.dcm"),                     # two-letter parts
    ("QQVIOLET^ANNA", "MRN3", "AnnaQqviolet/AnnaQqviolet.dcm"),     # given name first, run together
    ("MÜLLER^JÖRG", "MRN4", "Müller-Jörg/scan.dcm"),               # letters beyond ASCII
])
def test_name_parts_in_any_order_spelling_or_length_are_scrubbed(name, patient_id, file):
    from pydicom.dataset import Dataset

    ds = Dataset()
    ds.PatientName, ds.PatientID = name, patient_id
    scrubbed = dicom.scrub(file, dicom._identifiers(ds))
    assert all(part.casefold() not in scrubbed.casefold() for part in ("QQROE", "ANN", "LI_NA", "QQVIOLET", "MÜLLER",
                                                                        "JÖRG")), scrubbed
    assert scrubbed.endswith((".dcm",)) and "[removed]" in scrubbed


def test_a_header_without_preamble_still_names_its_patient():
    from pydicom.dataset import Dataset, FileMetaDataset
    from pydicom.uid import ExplicitVRLittleEndian

    ds = Dataset()
    ds.SOPClassUID, ds.Modality, ds.PatientName, ds.PatientID = "1.2.840.10008.5.1.4.1.1.7", "CR", "QQFOX^MAX", "MRN777"
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=False)  # no preamble, no file meta: as old archives hold them
    payload = buffer.getvalue()
    assert not dicom.is_dicom(payload)
    identifiers = dicom.header_identifiers(payload)
    assert {"QQFOX", "MAX", "MRN777"} <= set(identifiers)
    assert dicom.scrub("QQFOX_MAX_MRN777/QQFOX_key.png", identifiers) == "[removed]_[removed]/[removed]_key.png"


def test_an_image_of_a_few_pixels_needs_a_manual_read():
    tiny = np.arange(9, dtype=np.uint8).reshape(3, 3) * 20
    with pytest.raises(images.ImageInputError, match=r"icon.png: only 3 × 3 pixels, too small to be a study"):
        image_decode.decode(png_bytes(tiny), "icon.png")
    payload = (DICOM_SAMPLES / "SC_rgb_small_odd.dcm").read_bytes()
    assert dicom.read(payload).pixels.shape == (3, 3, 3)  # read, but not scored
    with pytest.raises(images.ImageInputError, match=r"odd.dcm: only 3 × 3 pixels, too small"):
        image_decode.decode(payload, "odd.dcm")


def test_names_without_accents_spelt_out_or_decomposed_and_ids_without_zeros_are_scrubbed():
    import unicodedata

    from pydicom.dataset import Dataset

    ds = Dataset()
    ds.PatientName, ds.PatientID, ds.PatientBirthName = "MÜLLER^JÖRG", "MRN0042", "QQTAYLOR"
    identifiers = dicom._identifiers(ds)
    for name in (unicodedata.normalize("NFD", "Müller-Jörg/key.png"), "Muller_Jorg/key.png",
                 "Mueller_Joerg/key.png", "MULLER JORG MRN42/key.png", "QQTAYLOR/key.png"):
        scrubbed = dicom.scrub(name, identifiers)
        assert scrubbed.endswith("/key.png") and scrubbed.split("/")[0].replace("[removed]", "").strip(" _-") == "", \
            scrubbed
    assert dicom.scrub("view_42.png", identifiers) == "view_42.png"  # two digits alone are not the ID


def test_a_folder_walk_stops_past_the_file_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(images, "MAX_FILES", 3)
    for i in range(6):
        (tmp_path / f"{i}.png").write_bytes(b"x")
    (tmp_path / "disk").symlink_to(tmp_path, target_is_directory=True)  # a link back up: read once, not walked on
    assert len(images._walk(tmp_path)) <= 6
    with pytest.raises(images.ImageInputError, match="The folder holds more than the limit"):
        images.read_folder(tmp_path)


def test_info_zip_names_are_read_as_utf_8_and_a_damaged_member_is_a_clear_error():
    """Linux's zip stores UTF-8 names without the UTF-8 flag: 'Müller' came back 'M├╝ller', escaping the scrub."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("Mxxller/chest.png", png_bytes(np.eye(16, dtype=np.uint8)))  # 7 bytes, as 'Müller'
        archive.writestr("ok/plain.png", png_bytes(np.eye(16, dtype=np.uint8) * 9))
    raw = buffer.getvalue().replace(b"Mxxller", "Müller".encode("utf-8"))  # UTF-8 bytes, no flag: as Info-ZIP
    assert zipfile.ZipFile(io.BytesIO(raw)).infolist()[0].flag_bits & 0x800 == 0  # stored like Info-ZIP's
    assert [f.name for f in images.read_zip(raw)] == ["Müller/chest.png", "ok/plain.png"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("SMITH_JOHN/chest.png", png_bytes(np.arange(4096, dtype=np.uint16).reshape(64, 64) % 251))
    damaged = bytearray(buffer.getvalue())
    damaged[60] ^= 0xFF  # a byte of the compressed data: the checksum (or inflating) fails
    member, = images.read_zip(bytes(damaged))  # its bytes are unpacked when asked for, not here
    with pytest.raises(ArchiveError, match="The ZIP archive is damaged") as caught:
        member.payload
    assert "SMITH" not in str(caught.value)


def test_a_dicom_window_is_shown_as_the_window_says_not_stretched_again():
    """Stored values 12-bit, rescaled, and a window that maps them back onto the 8-bit picture they came from: the
    decode must give that picture (re-stretching to the image's own extremes moved grey levels by ~22)."""
    rng = np.random.default_rng(3)
    source = np.clip(rng.normal(120, 30, (64, 64)), 40, 200).astype(np.uint8)  # never reaches 0 or 255
    stored = source.astype(np.uint16) * 15 + 100
    low, high = 2 * 100 - 1024, 2 * (255 * 15 + 100) - 1024  # the window spans what 0 and 255 would store
    payload = _mr_with(BitsStored=12, HighBit=11, PixelRepresentation=0, RescaleSlope=2.0, RescaleIntercept=-1024.0,
                       WindowCenter=(low + high) / 2, WindowWidth=high - low, PixelData=stored.tobytes())
    decoded = image_decode.decode(payload, "win.dcm").pixels.astype(int)
    assert np.abs(decoded - source.astype(int)).max() <= 1


def test_a_compressed_dicom_without_a_decoder_says_how_to_read_it():
    import pydicom
    from pydicom.encaps import encapsulate
    from pydicom.uid import JPEGLosslessSV1

    from tests.triage_support import dicom_bytes

    ds = pydicom.dcmread(io.BytesIO(dicom_bytes(np.full((64, 64), 100, np.uint8))))
    ds.file_meta.TransferSyntaxUID = JPEGLosslessSV1
    ds.PixelData = encapsulate([b"\xff\xd8\xff\xc3" + bytes(60) + b"\xff\xd9"])
    ds["PixelData"].VR = "OB"
    buffer = io.BytesIO()
    pydicom.dcmwrite(buffer, ds, enforce_file_format=True)
    with pytest.raises(images.ImageInputError) as caught:
        image_decode.decode(buffer.getvalue(), "ct.dcm")
    message = str(caught.value)
    assert "no decoder for it is installed" in message and "pylibjpeg-libjpeg" in message
    assert message.count("1.2.840.10008.1.2.4.70") == 1


@pytest.mark.parametrize("transfer, says, not_said", [
    ("1.2.840.10008.1.2.4.80", "`dcmdjpls` / `gdcmconv --raw`, or install pylibjpeg with pylibjpeg-libjpeg",
     "dcmdjpeg"),
    ("1.2.840.10008.1.2.4.91", "`gdcmconv --raw`, or install pylibjpeg with pylibjpeg-openjpeg", "dcmdjpeg"),
    ("1.2.840.10008.1.2.4.101", "It is a video: export a frame", "pylibjpeg"),
    ("1.2.840.10008.1.2.4.50", "`dcmdjpeg` / `gdcmconv --raw`, or install pylibjpeg with pylibjpeg-libjpeg",
     "dcmdjpls"),
])
def test_an_undecodable_syntax_is_told_the_tool_that_reads_it(transfer, says, not_said):
    """JPEG-LS had been told to use dcmdjpeg (plain JPEG only), and an MPEG-2 video to install a JPEG decoder."""
    from data.dicom_pixels import _advice

    assert says in _advice(transfer) and not_said not in _advice(transfer)


def test_a_file_that_is_no_zip_is_refused_in_words_not_with_the_library_message():
    with pytest.raises(images.ImageInputError) as caught:
        images.read_zip(b"PK\x03\x04 not really")
    assert "not a readable ZIP file: it may be damaged" in str(caught.value)
    assert "File is not a zip file" not in str(caught.value)  # zipfile's own words had been shown on the page
