"""Kaggle's chest X-ray set names its files by patient in flat class folders (PNEUMONIA/person1_bacteria_1.jpeg,
NORMAL/IM-0115-0001.jpeg): validation is held out by that patient key, so no patient has films on both sides."""
from __future__ import annotations

import numpy as np

from data import images
from services import triage_split, triage_training
from services.triage_split_names import name_key
from tests.triage_support import png_bytes


def _quiet(fraction, message):
    pass


def _kaggle_names(patients: int, views: int = 3) -> list[str]:
    """Kaggle-shaped names: pneumonia patients with bacteria/virus films, normal IM-/NORMAL2-IM- studies."""
    names = []
    for p in range(1, patients + 1):
        names += [f"chest_xray/train/PNEUMONIA/person{p}_{'bacteria' if p % 2 else 'virus'}_{p * 7 + v}.jpeg"
                  for v in range(views)]
        prefix = "IM" if p % 2 else "NORMAL2-IM"
        names += [f"chest_xray/train/NORMAL/{prefix}-{100 + p:04d}-{v + 1:04d}.jpeg" for v in range(views)]
    return names


def _files(names: list[str]) -> list[images.InputFile]:
    rng = np.random.default_rng(0)
    return [images.InputFile(n, png_bytes(rng.integers(0, 255, (12, 12), dtype=np.uint8))) for n in names]


def test_patient_keys_are_read_from_kaggle_names_and_nothing_else():
    assert name_key("PNEUMONIA/person1_virus_7.jpeg") == name_key("person1_bacteria_1.jpeg") == "person1"
    assert name_key("person1000_bacteria_2931.jpeg") == "person1000"
    assert name_key("NORMAL/IM-0115-0001.jpeg") == name_key("IM-0115-0002.jpeg") == "IM-0115"
    assert name_key("NORMAL2-IM-1427-0001.jpeg") == "NORMAL2-IM-1427"
    assert name_key("Patient_007_view2.png") == name_key("patient7.png") == "patient7"
    assert name_key("case12-a.dcm") == "case12" and name_key("pt3_lat.png") == "pt3"
    assert name_key("images/00000001_000.png") == name_key("00000001_002.PNG") == "#1"  # NIH: patient, follow-up
    assert name_key("10_left.jpeg") == name_key("10_RIGHT.jpeg") == "#10"  # EyePACS: a patient's two eyes
    for name in ("normal12.png", "ISIC_0000000.jpg", "cases1.png", "person1a.png", "scan-0001.png",
                 "IM0115-0001.png", "00000001_000_a.png", "1_2_3.png", "10_top.jpeg"):
        assert name_key(name) is None, name


def test_flat_kaggle_folders_hold_out_whole_patients():
    groups, how = triage_split.patient_groups({n: (n.split("/")[2], "train") for n in _kaggle_names(20)}, False)
    assert how.startswith("a patient key in the file names")
    assert groups["chest_xray/train/PNEUMONIA/person3_bacteria_21.jpeg"] == "name:chest_xray/train/PNEUMONIA/person3"
    labelled = triage_training.load_labelled(_files(_kaggle_names(20)), None, _quiet, seed=0)
    train, valid = set(labelled.train["group"]), set(labelled.valid["group"])
    assert len(valid) >= 4 and not train & valid  # image by image, most patients had films on both sides
    assert labelled.held_folders == (len(valid), 40)
    assert labelled.notes[-1] == (f"Validation: {len(valid)} of 40 patients held out whole (a patient key in the file "
                                  "names: person<N>_…, <prefix>-<number> before a view number, or <number>_<view> "
                                  "(00000001_000, 10_left)), so that no "
                                  "patient has images on both sides.")


def test_names_without_clear_patient_keys_stay_image_by_image():
    one_each = {n: (n.split("/")[2], "train") for n in _kaggle_names(20, views=1)}  # every key once
    few = {n: (n.split("/")[2], "train") for n in _kaggle_names(6)}  # 6 patients a class: too few to hold out
    loose = {f"x/{c}/{c}{i}.png": (c, "train") for c in ("a", "b") for i in range(30)}
    for layout in (one_each, few, loose):
        groups, how = triage_split.patient_groups(layout, False)
        assert all(g.startswith("file:") for g in groups.values())
        assert how == "the folder just inside each class folder"


def test_patient_folders_still_decide_and_loose_keyed_images_beside_them_are_grouped_too():
    layout = {f"d/A/p{i}/{j}.png": ("A", "train") for i in range(4) for j in range(2)}
    layout.update({n: (n.split("/")[2], "train") for n in _kaggle_names(12)})
    groups, how = triage_split.patient_groups(layout, False)
    assert groups["d/A/p1/0.png"] == "dir:d/A/p1"
    assert groups["chest_xray/train/NORMAL/IM-0103-0003.jpeg"] == "name:chest_xray/train/NORMAL/IM-0103"
    assert how.endswith("; images lying loose by a patient key in the file names: person<N>_…, <prefix>-"
                        "<number> before a view number, or <number>_<view> (00000001_000, 10_left)")


def test_a_small_val_folder_joins_training_and_its_patients_are_the_training_ones():
    names = _kaggle_names(20) + ["chest_xray/val/PNEUMONIA/person1_bacteria_900.jpeg",
                                 "chest_xray/val/NORMAL/IM-0101-0009.jpeg"]
    labelled = triage_training.load_labelled(_files(names), None, _quiet, seed=0)
    train, valid = set(labelled.train["group"]), set(labelled.valid["group"])
    assert "name:chest_xray/PNEUMONIA/person1" in train | valid and not train & valid
    assert labelled.held_folders[1] == 40  # the val/ films are views of training patients, not 2 more patients


def test_a_flat_manifest_folder_is_grouped_by_the_names_too():
    layout = {n.replace("chest_xray/train/NORMAL/", "images/").replace("chest_xray/train/PNEUMONIA/", "images/"):
              (n.split("/")[2], None) for n in _kaggle_names(20)}
    groups, how = triage_split.patient_groups(layout, True)
    assert groups["images/person2_virus_15.jpeg"] == groups["images/person2_virus_16.jpeg"] == "name:images/person2"
    assert how.startswith("a patient key in the file names")


def test_nih_names_hold_out_whole_patients_when_no_manifest_column_names_them(tmp_path):
    """A file,label table for NIH's flat images/ (its Patient ID column dropped) was split image by image: on a
    200-patient copy, 65-67 of the 76-82 validation patients had follow-ups in training (seeds 0-2)."""
    rng = np.random.default_rng(0)
    names, rows = [], []
    for patient in range(1, 25):
        for view in range(3):
            label = "Pneumonia" if (patient + (view == 2)) % 2 else "No Finding"  # a follow-up may differ
            names.append(f"images/{patient * 7:08d}_{view:03d}.png")
            rows.append(f"{names[-1].split('/')[1]},{label}\n")
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label\n" + "".join(rows))
    files = [images.InputFile(n, png_bytes(rng.integers(0, 255, (12, 12), dtype=np.uint8))) for n in names]
    labelled = triage_training.load_labelled(files, str(manifest), _quiet, seed=0)
    train, valid = set(labelled.train["group"]), set(labelled.valid["group"])
    assert len(valid) >= 3 and not train & valid and len(train | valid) == 24  # one group a patient, both labels
    assert labelled.notes[-1].startswith(f"Validation: {len(valid)} of 24 patients held out whole (a patient key in "
                                         "the file names:")


def _mura_layout() -> dict[str, tuple[str, None]]:
    """MURA's image paths: body part, patient, study (its label in its name), image; the label from the study."""
    layout = {}
    for p in range(1, 13):
        part = "XR_WRIST" if p % 2 else "XR_ELBOW"
        for s, label in ((1, "1" if p % 3 else "0"), (2, "0")):
            for i in (1, 2):
                study = f"study{s}_{'positive' if label == '1' else 'negative'}"
                layout[f"MURA-v1.1/train/{part}/patient{p:05d}/{study}/image{i}.png"] = (label, None)
    return layout


def test_manifest_paths_group_by_the_folder_named_like_a_patient_below_a_body_part():
    """MURA's paths share no folder above the body part: grouped by XR_WRIST and XR_ELBOW (2 groups, so image by
    image), 31-37 of 32-37 validation patients had views in training on a 74-patient copy; now none."""
    groups, how = triage_split.patient_groups(_mura_layout(), True)
    wrist = "MURA-v1.1/train/XR_WRIST/patient00001"
    assert groups[f"{wrist}/study2_negative/image1.png"] == groups[f"{wrist}/study1_positive/image2.png"] == \
        "dir:MURA-v1.1/XR_WRIST/patient00001"
    assert len(set(groups.values())) == 12
    assert how == "the folders named like a patient in the manifest's paths: patient<N>, subject<N>, case<N> …"
    chexpert = {f"CheXpert-v1.0-small/train/patient{p:05d}/study1/view1_frontal.jpg": (str(p % 2), None)
                for p in range(1, 9)}  # the patient is the first folder below the shared prefix: said as before
    groups, how = triage_split.patient_groups(chexpert, True)
    assert groups["CheXpert-v1.0-small/train/patient00003/study1/view1_frontal.jpg"] == \
        "dir:CheXpert-v1.0-small/patient00003"
    assert how.startswith("the first folder below CheXpert-v1.0-small/")


def test_oct_keys_that_start_with_their_class_group_one_patient_across_class_folders():
    """OCT2017 names a patient's images by class and patient number (CNV-1016042-1, NORMAL-1016042-1: one eye each):
    grouped per class folder, 19-29 of 33-35 validation patients had their other eye in training (150 patients)."""
    layout, eyes = {}, (("DME",), ("CNV", "NORMAL"), ("DRUSEN", "NORMAL"), ("CNV", "DME"))
    for p in range(40):
        for cls in eyes[p % 4]:
            layout.update({f"OCT2017/train/{cls}/{cls}-{1000000 + p}-{n}.jpeg": (cls, "train") for n in (1, 2)})
    groups, _ = triage_split.patient_groups(layout, False)
    assert groups["OCT2017/train/CNV/CNV-1000001-1.jpeg"] == groups["OCT2017/train/NORMAL/NORMAL-1000001-2.jpeg"] \
        == "name:OCT2017/train/#1000001"
    assert groups["OCT2017/train/DME/DME-1000004-1.jpeg"] == "name:OCT2017/train/#1000004"
    assert len(set(groups.values())) == 40
    kaggle = {n: (n.split("/")[2], "train") for n in _kaggle_names(12)}  # NORMAL2-IM-… is no NORMAL- key
    assert triage_split.patient_groups(kaggle, False)[0]["chest_xray/train/NORMAL/NORMAL2-IM-0104-0001.jpeg"] == \
        "name:chest_xray/train/NORMAL/NORMAL2-IM-0104"


def test_cbis_ddsm_case_folders_are_grouped_by_patient_across_views_and_classes():
    """CBIS-DDSM keeps each view in a case folder (Mass-Training_P_00001_LEFT_CC, …_LEFT_MLO): grouped per folder, one
    breast's CC view trained while its MLO view validated (19-20 of 20 validation patients, seeds 0-2, 60 patients),
    under a note saying no sub-folder had images on both sides; now whole patients, none on both sides."""
    names = [f"cbis/{'MALIGNANT' if p % 2 or side == 'RIGHT' else 'BENIGN'}/Mass-Training_P_{p:05d}_{side}_{view}/"
             f"07-20-2016-DDSM-{p}/1.000000-full mammogram images-{p}{view}/1-1.png"
             for p in range(1, 25) for side in (("LEFT", "RIGHT") if p % 6 == 0 else ("LEFT",))
             for view in ("CC", "MLO")]
    layout = images.class_folders(names)
    groups, how = triage_split.patient_groups(layout, manifest=False)
    assert groups[names[0]] == groups[names[1]] == "dir:cbis/P_1"
    assert len(set(groups.values())) == 24 and how.startswith("the patient number in CBIS-DDSM's case folder names")
    six = {groups[n] for n in names if "_P_00006_" in n}
    assert six == {"dir:cbis/P_6"} and {layout[n][0] for n in names if "_P_00006_" in n} == {"BENIGN", "MALIGNANT"}
    labelled = triage_training.load_labelled(_files(names), None, _quiet, seed=1)
    patient = lambda frame: set(frame["group"])  # noqa: E731
    assert labelled.valid is not None and not patient(labelled.train) & patient(labelled.valid)
    assert labelled.notes[-1].startswith("Validation: 5 of 24 patients held out whole (the patient number in CBIS")
    assert triage_split.patient_groups({"x/BENIGN/Mass-Training_P_00001_LEFT_CCX/1.png": ("BENIGN", None)},
                                       False)[0] == {"x/BENIGN/Mass-Training_P_00001_LEFT_CCX/1.png":
                                                     "dir:x/BENIGN/Mass-Training_P_00001_LEFT_CCX"}
