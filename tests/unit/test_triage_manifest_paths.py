"""Manifest rows whose paths do not name an image as it lies: a folder row's masks are left out as a class folder's
are (they had trained as images), and CBIS-DDSM's UID paths find the one image of their case folder (they had been
refused as naming files that are not among the images)."""
from __future__ import annotations

import pytest

from data import images
from services import triage_labels
from services.triage_labels import TrainingSetError

STUDY = "MURA-v1.1/train/XR_CHEST/patient00001/study1_positive"
UID = "1.3.6.1.4.1.9590.100.1.2.{}"


def _png(name: str, n: int) -> images.InputFile:
    return images.InputFile(name, b"\x89PNG" + bytes([n]))


def test_masks_below_a_folder_row_are_left_out_with_a_note(tmp_path):
    files = [_png(f"{STUDY}/image1.png", 1), _png(f"{STUDY}/masks/image1.png", 2), _png(f"{STUDY}/image1_mask.png", 3),
             _png("MURA-v1.1/train/XR_CHEST/patient00002/study1_negative/image1.png", 4),
             _png("MURA-v1.1/train/XR_CHEST/patient00003/masks/only_mask.png", 5)]
    manifest = tmp_path / "labels.csv"
    manifest.write_text(f"file,label\n{STUDY}/,1\nMURA-v1.1/train/XR_CHEST/patient00002/,0\n"
                        "MURA-v1.1/train/XR_CHEST/patient00003/masks/,0\n")
    notes: list[str] = []
    layout = triage_labels.manifest_labels(files, str(manifest), notes)
    assert sorted(layout) == [f"{STUDY}/image1.png", "MURA-v1.1/train/XR_CHEST/patient00002/study1_negative/image1.png",
                              "MURA-v1.1/train/XR_CHEST/patient00003/masks/only_mask.png"]  # a row naming masks/
    assert notes == ["3 manifest row(s) name a folder: each labels every image below it.",
                     f"2 segmentation mask(s) left out of training and validation: their folder or file name says mask "
                     f"(e.g. {STUDY}/image1_mask.png). A mask outlines a region of another image; it is not a study "
                     "to learn from."]


def _cbis(tmp_path, second_image: bool = False):
    """TCIA's download layout (case/date/series description/1-1.dcm) and a Kaggle JPEG copy (jpeg/<series UID>/)."""
    files = [images.InputFile(f"CBIS-DDSM/Mass-Training_P_0000{p}_LEFT_CC/07-20-2016-DDSM-{p}/1.000000-full mammogram "
                              f"images-2451{p}/1-1.dcm", bytes([p])) for p in (1, 2)]
    files.append(images.InputFile(f"jpeg/{UID.format(93)}/1-249.jpg", b"\xff\xd8\xff"))
    if second_image:
        files.append(images.InputFile("CBIS-DDSM/Mass-Training_P_00001_LEFT_CC/07-20-2016-DDSM-1/2.jpg", b"\xff\xd8"))
    manifest = tmp_path / "mass_case_description_train_set.csv"
    rows = [f"Mass-Training_P_0000{p}_LEFT_CC/{UID.format(p)}/{UID.format(p + 10)}/000000.dcm,{label}"
            for p, label in ((1, "BENIGN"), (2, "MALIGNANT"))]
    rows.append(f"Calc-Training_P_00003_LEFT_CC/{UID.format(3)}/{UID.format(93)}/000000.dcm,BENIGN")
    manifest.write_text("file,label\n" + "\n".join(rows) + "\n")
    return files, str(manifest)


def test_cbis_ddsm_uid_paths_find_the_one_image_of_their_folder(tmp_path):
    files, manifest = _cbis(tmp_path)
    notes: list[str] = []
    layout = triage_labels.manifest_labels(files, manifest, notes)
    assert layout == {files[0].name: ("BENIGN", None), files[1].name: ("MALIGNANT", None),
                      f"jpeg/{UID.format(93)}/1-249.jpg": ("BENIGN", None)}
    assert notes == ["3 manifest row(s) name their image through DICOM UID folders the images do not have (CBIS-DDSM's "
                     "tables write case/study UID/series UID/000000.dcm, where its download names those folders by "
                     "date and series description): each was read as the one image in the deepest folder of its "
                     f"path that the images hold (e.g. {files[0].name})."]


def test_a_uid_path_to_a_folder_of_several_images_or_a_plain_path_is_still_refused(tmp_path):
    files, manifest = _cbis(tmp_path, second_image=True)
    with pytest.raises(TrainingSetError, match="^1 manifest rows name files that are not among the images given, e.g. "
                                               "Mass-Training_P_00001_LEFT_CC/"):
        triage_labels.manifest_labels(files, manifest)
    (tmp_path / "plain.csv").write_text(f"file,label\n{STUDY}/image3.png,1\n")  # its folder holds image1.png alone
    with pytest.raises(TrainingSetError, match="^1 manifest rows name files that are not among the images given"):
        triage_labels.manifest_labels([_png(f"{STUDY}/image1.png", 1)], str(tmp_path / "plain.csv"))
    series = f"{UID.format(1)}/{UID.format(2)}"  # the row's own UID folders are there, holding another file
    (tmp_path / "uids.csv").write_text(f"file,label\n{series}/IM0001.dcm,1\n")
    with pytest.raises(TrainingSetError, match="^1 manifest rows name files that are not among the images given"):
        triage_labels.manifest_labels([_png(f"dicom/{series}/IM0002.dcm", 1)], str(tmp_path / "uids.csv"))


@pytest.mark.parametrize("columns, matched", [
    ("id_code,diagnosis", "'id_code' as the file column and 'diagnosis' as the label column"),
    ("patient_id,image view,pathology,image file path,cropped image file path",
     "'image file path' as the file column and 'pathology' as the label column")])
def test_aptos_and_cbis_ddsm_tables_are_read_by_their_column_names(tmp_path, columns, matched):
    """They had been refused until renamed (with which columns to rename); the one column fitting each role is read."""
    manifest = tmp_path / "train.csv"
    manifest.write_text(columns + "\n" + ",".join("a.png" if "file" in c or c == "id_code" else "x"
                                                   for c in columns.split(",")) + "\n")
    notes: list[str] = []
    assert triage_labels.manifest_labels([_png("a.png", 1)], str(manifest), notes) == {"a.png": ("x", None)}
    assert matched in notes[0]


def test_a_bare_id_held_as_a_dicom_and_a_jpeg_names_both_copies_and_the_way_out(tmp_path):
    """ISIC 2020's download holds each photograph twice (train/ISIC_1.dcm, jpeg/train/ISIC_1.jpg): given whole, its
    table was refused naming only the ids, with no word of where the two copies lie or that one folder would do."""
    files = [_png(f"{folder}/ISIC_{i}.{suffix}", i) for i in (1, 2) for folder, suffix in (("train", "dcm"),
                                                                                           ("jpeg/train", "jpg"))]
    manifest = tmp_path / "train.csv"
    manifest.write_text("image_name,target\nISIC_1,0\nISIC_2,1\n")
    with pytest.raises(TrainingSetError) as raised:
        triage_labels.manifest_labels(files, str(manifest))
    assert str(raised.value) == (
        "2 manifest rows give a bare file name that several folders hold, e.g. ISIC_1 (train/ISIC_1.dcm and "
        "jpeg/train/ISIC_1.jpg), ISIC_2: give the path inside the folder or archive, or give as the images only the "
        "folder holding the copies to train on.")
