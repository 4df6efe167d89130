"""Segmentation masks beside a class's images (COVID-19 Radiography Database's <class>/masks/, BUSI's
'benign (1)_mask.png') are left out of training with a note; they had been trained and validated as images."""
from __future__ import annotations

import numpy as np

from data import images
from services import triage_masks, triage_training
from tests.triage_support import png_bytes, sample_images


def _quiet(fraction, message):
    return None


def _mask(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:28, :28]
    inside = ((xx - 14) / rng.uniform(4, 9)) ** 2 + ((yy - 14) / rng.uniform(6, 12)) ** 2 < 1
    return (inside * 255).astype(np.uint8)


def test_a_masks_folder_beside_each_class_s_images_is_left_out_with_a_note():
    films = [images.InputFile(f"COVID-19_Radiography_Dataset/{label}/images/{label}-{i}.png", png_bytes(px))
             for label, arrays in sample_images(8).items() for i, px in enumerate(arrays, 1)]
    masks = [images.InputFile(f"COVID-19_Radiography_Dataset/{label}/masks/{label}-{i}.png", png_bytes(_mask(i + k)))
             for k, label in enumerate(("normal", "pneumonia")) for i in range(1, 9)]
    labelled = triage_training.load_labelled(films + masks, None, _quiet)
    assert labelled.counts == {"normal": 8, "pneumonia": 8}  # was 16 + 16: every mask trained as a film
    assert len(labelled.train) + len(labelled.valid if labelled.valid is not None else []) == 16
    assert ("16 segmentation mask(s) left out of training and validation: their folder or file name says mask (e.g. "
            "COVID-19_Radiography_Dataset/normal/masks/normal-1.png). A mask outlines a region of another image; it "
            "is not a study to learn from.") in labelled.notes


def test_mask_names_are_told_from_class_names_and_ordinary_files():
    assert triage_masks.is_mask("Dataset_BUSI_with_GT/benign/benign (1)_mask.png", "benign")
    assert triage_masks.is_mask("Dataset_BUSI_with_GT/benign/benign (4)_mask_1.png", "benign")
    assert triage_masks.is_mask("QU-Ex/COVID-19/lung masks/covid_1.png", "COVID-19")
    assert triage_masks.is_mask("kaggle_3m/tumour/TCGA_CS_4941_19960909_1_mask.tif", "tumour")
    assert not triage_masks.is_mask("Dataset_BUSI_with_GT/benign/benign (1).png", "benign")
    assert not triage_masks.is_mask("masks/a.png", "masks")              # a class named masks is a class
    assert not triage_masks.is_mask("xray/normal/unmasked_1.png", "normal")
    assert not triage_masks.is_mask("xray/normal/masking-study/1.png", "normal")


def test_a_class_whose_every_file_reads_as_a_mask_keeps_them():
    layout = {"set/normal/a.png": ("normal", None), "set/lesion/masks/b.png": ("lesion", None)}
    assert triage_masks.without_masks(layout) == (layout, [])
    layout["set/lesion/c.png"] = ("lesion", None)
    kept, notes = triage_masks.without_masks(layout)
    assert sorted(kept) == ["set/lesion/c.png", "set/normal/a.png"] and notes[0].startswith("1 segmentation mask(s)")


def test_masks_among_studies_to_rank_are_left_out_only_beside_the_image_they_outline():
    """A COVID-19 Radiography class folder ranked as studies had put its 40 masks at the top of the worklist."""
    from services import triage_inputs

    names = ["Normal/images/Normal-1.png", "Normal/masks/Normal-1.png", "Normal/masks/Normal-2.png",
             "busi/benign (1).png", "busi/benign (1)_mask.png", "busi/benign (1)_mask_1.png", "busi/x_mask.png",
             "busi/y.png"]
    assert triage_masks.paired_masks(names) == {"Normal/masks/Normal-1.png", "busi/benign (1)_mask.png",
                                                "busi/benign (1)_mask_1.png"}  # Normal-2 and x_mask: no image beside
    assert triage_masks.paired_masks(["a/1.png", "b/1.png"]) == set()
    assert triage_inputs.left_out_reason("Normal/masks/Normal-1.png") == (
        "a segmentation mask, beside the image it outlines, which is ranked")
    assert triage_inputs.left_out_reason("masks/README.txt") == "not an image"


CBIS = ("MALIGNANT/Mass-Training_P_00004_LCC_1/07-21-2016-DDSM-12345/{}/1-1.png",
        "BENIGN/Calc-Test_P_00038_LCC_1/08-29-2017-DDSM-96009/{}/000000.png")


def test_cbis_ddsm_roi_mask_and_cropped_series_folders_are_left_out_of_training():
    """CBIS-DDSM's '1.000000-ROI mask images-24515' and '…-cropped images-80234' series had trained as mammograms:
    on a 60-case copy, 180 images (60 masks, 60 crops) trained where 60 full mammograms are the studies."""
    for series in ("1.000000-ROI mask images-24515", "1-ROI mask images-94682", "ROI mask images"):
        assert all(triage_masks.is_mask(path.format(series), path.split("/")[0]) for path in CBIS)
    for series in ("1.000000-cropped images-80234", "1-cropped images-17717", "cropped_images"):
        assert all(triage_masks.is_crop(path.format(series), path.split("/")[0]) for path in CBIS)
    for study in ("1.000000-full mammogram images-24515", "07-20-2016-DDSM-74994", "Mass-Training_P_00001_LCC",
                  "masked images-3", "cropped", "1-mask review-2"):  # study folders, or no series name
        full = f"BENIGN/Mass-Training_P_00001_LCC/{study}/1-1.png"
        assert not triage_masks.is_mask(full, "BENIGN") and not triage_masks.is_crop(full, "BENIGN")
    layout = {f"{c}/P_{i}_1/{s}-{i}/1-1.png": (c, None) for c in ("BENIGN", "MALIGNANT") for i in range(3)
              for s in ("1.000000-ROI mask images", "1.000000-cropped images")}
    layout.update({f"{c}/P_{i}/1.000000-full mammogram images-{i}/1-1.png": (c, None) for c in ("BENIGN", "MALIGNANT")
                   for i in range(3)})
    kept, notes = triage_masks.without_masks(layout)
    assert sorted(kept) == sorted(n for n in layout if "full mammogram" in n)
    assert notes[0].startswith("6 segmentation mask(s) left out of training and validation") and notes[1] == (
        "6 cropped image(s) left out of training and validation: their folder name says cropped images (e.g. BENIGN/"
        "P_0_1/1.000000-cropped images-0/1-1.png). A crop is a region cut from another image of the set, not a whole "
        "study like those the worklist ranks, and it could lie on the other side of the validation split from the "
        "image it was cut from.")
    crops_only = {"a/BENIGN/1-cropped images-1/1.png": ("BENIGN", None), "a/MALIGNANT/x.png": ("MALIGNANT", None)}
    assert triage_masks.without_masks(crops_only) == (crops_only, [])  # a class of crops only keeps them
