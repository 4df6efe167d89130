"""BreakHis files each patient under a wrapper and a tumour type (benign/SOB/adenosis/SOB_B_A_14-22549AB/40X/…):
validation is held out by those patient folders, not image by image under the one `SOB` folder a class."""
from __future__ import annotations

import numpy as np
import pandas as pd

from data import images
from services import triage_split, triage_training, triage_warnings
from services.triage_split_names import name_key
from tests.triage_support import png_bytes

TYPES = {"benign": ("adenosis", "A", "fibroadenoma", "F"), "malignant": ("ductal_carcinoma", "DC",
                                                                        "lobular_carcinoma", "LC")}


def _breakhis(patients: int = 6) -> list[str]:
    names = []
    for label, (t1, c1, t2, c2) in TYPES.items():
        for p in range(patients):
            kind, code = (t1, c1) if p % 2 else (t2, c2)
            top = f"BreaKHis_v1/histology_slides/breast/{label}/SOB/{kind}"
            folder = f"{top}/SOB_{label[0].upper()}_{code}_14-{900 + p}"
            names += [f"{folder}/{mag}X/SOB_{label[0].upper()}_{code}-14-{900 + p}-{mag}-{k:03d}.png"
                      for mag in (40, 100) for k in (1, 2)]
    return names


def test_breakhis_patient_folders_below_the_categories_are_the_groups():
    groups, how = triage_split.patient_groups({n: (n.split("/")[3], "train") for n in _breakhis()}, False)
    name = "BreaKHis_v1/histology_slides/breast/benign/SOB/adenosis/SOB_B_A_14-901/40X/SOB_B_A-14-901-40-001.png"
    assert groups[name] == "dir:" + name.rsplit("/", 2)[0]  # was dir:…/benign/SOB: one group a class
    assert len(set(groups.values())) == 12
    assert how.startswith("the first numbered folder below each class folder's categories")


def test_breakhis_validation_holds_out_whole_patients():
    rng = np.random.default_rng(0)
    files = [images.InputFile(n, png_bytes(rng.integers(0, 255, (12, 12), dtype=np.uint8))) for n in _breakhis()]
    labelled = triage_training.load_labelled(files, None, lambda fraction, message: None, seed=0)
    assert labelled.valid is not None  # was None: held out image by image, every patient on both sides
    train, valid = set(labelled.train["group"]), set(labelled.valid["group"])
    assert valid and not train & valid and labelled.held_folders == (len(valid), 12)


def test_repeated_or_unnumbered_folders_keep_the_folder_just_inside_the_class():
    studies = {f"x/{c}/{p}/study{s}/{v}.png": (c, "train") for c in ("normal", "pneumonia")
               for p in ("ann", "bob", "cy", "dee") for s in (1, 2) for v in (1, 2)}  # study1 under every patient
    words = {f"x/{c}/site/{p}/{v}.png": (c, "train") for c in ("normal", "pneumonia")
             for p in ("ann", "bob", "cy") for v in (1, 2)}
    for layout in (studies, words):
        groups, how = triage_split.patient_groups(layout, False)
        assert how == "the folder just inside each class folder"
        assert {g.count("/") for g in groups.values()} == {2}


def test_few_validation_patients_are_warned_of_as_few_images_are():
    held = pd.DataFrame({"label": ["benign"] * 24 + ["malignant"] * 48 + ["other"] * 4,
                         "group": [f"dir:b/p{i // 12}" for i in range(24)] + [f"dir:m/p{i // 12}" for i in range(48)]
                         + ["file:o1", "file:o2", "file:o3", "file:o4"]})
    warnings = triage_warnings.validation_warnings(held["label"], None, held)
    assert warnings[-1] == ("Validation holds fewer than 5 patients of 'benign' 2 (24 images), 'malignant' 4 (48 "
                            "images): one patient's images look alike, so the sensitivity, specificity and thresholds "
                            "that rest on them are rough; more patients of those classes give firmer ones.")
    assert len(warnings) == 2  # 'other': its 4 images are warned of already
    many = held.assign(group=[f"dir:x/p{i}" for i in range(len(held))])
    assert triage_warnings.validation_warnings(many["label"], None, many)[1:] == []


def test_flat_breakhis_names_carry_the_patient():
    assert name_key("SOB_B_A-14-22549AB-40-001.png") == name_key("SOB_B_A-14-22549AB-400-012.png") \
        == "SOB_B_A-14-22549AB"
    assert name_key("SOB_M_DC-14-2523-100-001.png") == "SOB_M_DC-14-2523"
    assert name_key("SOB_B_A-14-22549AB.png") is None and name_key("SOB_X_A-14-1-40-001.png") is None
    flat = {f"BreaKHis 400X/train/{n.split('/')[3]}/{n.rsplit('/', 1)[1]}": (n.split("/")[3], "train")
            for n in _breakhis(10)}
    groups, how = triage_split.patient_groups(flat, False)
    assert how.startswith("a patient key in the file names") and len(set(groups.values())) == 20  # was 160 images
