"""Public sets whose labels are in a table, not in class folders (NIH ChestX-ray14, RSNA pneumonia, ISIC 2019,
CheXpert), and volumes the desk does not read: each refusal says what layout is needed and how to make it."""
from __future__ import annotations

import pandas as pd
import pytest

from data import images
from services import triage_inputs, triage_labels, triage_training
from services.triage_labels import TrainingSetError
from tests.triage_support import png_bytes, sample_images


def _quiet(fraction, message):
    return None


def _refusal(files: list[images.InputFile], manifest) -> str:
    """The message training with ``manifest`` is refused with."""
    with pytest.raises(TrainingSetError) as raised:
        triage_training.load_labelled(files, str(manifest), _quiet)
    return str(raised.value)


def _flat(folder: str, count: int = 8) -> list[images.InputFile]:
    pictures = sample_images(count // 2)["normal"] + sample_images(count // 2)["pneumonia"]
    return [images.InputFile(f"{folder}/{i:08d}_000.png", png_bytes(px)) for i, px in enumerate(pictures)]


def test_a_flat_folder_of_images_is_refused_with_the_layout_to_make_and_the_table_beside_it_named():
    """NIH's images/ beside Data_Entry_2017.csv read: 'The training set has a single class (images); a classifier
    needs two or more class folders.' — as if images were a class, with no word of a manifest."""
    with pytest.raises(TrainingSetError) as raised:
        triage_training.load_labelled(_flat("images"), None, _quiet,
                                      left_out=["Data_Entry_2017.csv: not an image", "README.txt: not an image"])
    assert str(raised.value) == (
        "The training set has a single class (images); a classifier needs two or more class folders. All 8 images "
        "lie in images/, so its name was read as their class: put them in one folder per class (e.g. normal/ and "
        "pneumonia/ side by side). Or give a labels table as the manifest (a CSV with columns file,label naming each "
        "image and its class). The input holds Data_Entry_2017.csv: if it is the set's labels table, give it as the "
        "manifest, its image and class columns renamed to file and label.")


def test_one_class_folder_inside_a_wrapper_is_named_by_its_path_and_a_manifest_of_one_class_says_so(tmp_path):
    files = [images.InputFile(f"chest/normal/{i}.png", f.payload) for i, f in enumerate(_flat("x"))]
    with pytest.raises(TrainingSetError, match=r"single class \(normal\); a classifier needs two or more class "
                                               r"folders\. All 8 images lie in chest/normal/, so its name") as raised:
        triage_training.load_labelled(files, None, _quiet)
    assert "The input holds" not in str(raised.value)
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label\n" + "".join(f"{f.name},normal\n" for f in files))
    assert _refusal(files, manifest) == (
        "The training set has a single class (normal); a classifier needs two or more classes in the manifest.")


def test_images_lying_loose_at_the_top_are_refused_with_the_manifest_as_the_other_way():
    loose = [images.InputFile(name, f.payload) for name, f in
             zip([f"ISIC_{i:07d}.jpg" for i in range(8)], _flat("x"))]
    with pytest.raises(TrainingSetError) as raised:
        triage_training.load_labelled(loose, None, _quiet,
                                      left_out=["ISIC_2019_Training_GroundTruth.csv: not an image"])
    assert str(raised.value).startswith("8 images are not inside a class folder (e.g. ISIC_0000000.jpg). Put the "
                                        "images in one folder per class, e.g. normal/ and pneumonia/. Or give a labels "
                                        "table as the manifest (a CSV with columns file,label naming each image")
    assert str(raised.value).endswith("The input holds ISIC_2019_Training_GroundTruth.csv: if it is the set's labels "
                                      "table, give it as the manifest, its image and class columns renamed to file "
                                      "and label.")


def test_a_one_hot_ground_truth_table_says_how_to_make_the_label_column(tmp_path):
    """ISIC 2019's ground truth (image, MEL, NV, … UNK as 1.0/0.0) was refused naming only its columns."""
    files = _flat("ISIC_2019_Training_Input")
    classes = ["MEL", "NV", "BCC", "AK", "BKL", "DF", "VASC", "SCC", "UNK"]
    rows = [[f.name.split("/")[1][:-4]] + [float(c == ("MEL" if i % 2 else "NV")) for c in classes]
            for i, f in enumerate(files)]
    manifest = tmp_path / "ISIC_2019_Training_GroundTruth.csv"
    text = pd.DataFrame(rows, columns=["image"] + classes).to_csv(index=False, lineterminator="\n")
    manifest.write_text(text.replace("\n", ",\n"))  # a trailing comma: pandas adds a column 'Unnamed: 10'
    assert _refusal(files, manifest) == (
        "The manifest needs columns file,label (optional split); it has image, MEL, NV, BCC, AK, BKL, DF, VASC, SCC, "
        "UNK. Its columns MEL, NV, BCC, AK, BKL … mark each image's class with a 1 (one column per class): add a "
        "label column holding, for each image, the name of the column with its 1 (empty where a row has none: such "
        "rows are left out) and rename 'image' to file.")


def test_a_table_of_several_findings_per_image_says_to_choose_one_and_a_plain_table_gets_no_such_hint(tmp_path):
    files = _flat("CheXpert-v1.0-small/train")
    table = pd.DataFrame({"Path": [f.name for f in files], "Sex": "Female", "Age": 71,
                          "No Finding": ["", "1.0"] * 4, "Cardiomegaly": ["1.0", "", "-1.0", "0.0"] * 2,
                          "Pneumonia": ["1.0", "", "", "1.0"] * 2})
    manifest = tmp_path / "train.csv"
    table.to_csv(manifest, index=False)
    assert _refusal(files, manifest).endswith(
        "Its columns No Finding, Cardiomegaly, Pneumonia mark findings with a 1, several per image: add a label "
        "column from the one finding to rank by (its 1 against 0; decide first what -1, uncertain, and blanks mean) "
        "and rename 'Path' to file.")
    table[["Path", "Sex", "Age"]].assign(follow_up=[0, 1] * 4).to_csv(manifest, index=False)
    assert _refusal(files, manifest) == (
        "The manifest needs columns file,label (optional split); it has Path, Sex, Age, follow_up.")


@pytest.mark.parametrize("name, kind", [("ct/brain.nii.gz", "NIfTI"), ("mr.NII", "NIfTI"), ("scan.nrrd", "NRRD"),
                                        ("lung.mha", "MetaImage")])
def test_a_volume_is_named_as_a_volume_the_desk_does_not_read_not_as_no_image(name, kind):
    """A CT in NIfTI was left out as 'not an image'."""
    assert triage_inputs.left_out_reason(name) == (f"a {kind} volume, which the desk does not read: export its "
                                                   "slices as PNG or DICOM files, one per slice")
    with pytest.raises(triage_inputs.TriageInputError) as raised:
        triage_inputs.read_files([(name, b"\x1f\x8b" + bytes(400))])
    assert str(raised.value).endswith(f"Left out: {name.rsplit('/', 1)[-1]} (a {kind} volume, which the desk does "
                                      "not read: export its slices as PNG or DICOM files, one per slice).")
    assert triage_inputs.left_out_reason(".cache/x.nii.gz") == "hidden file or folder"


def test_tiny_combinations_of_findings_are_named_together_with_how_to_relabel_them(tmp_path):
    """NIH's Finding Labels as the label: 'Class 'Atelectasis|Effusion' has only 1 image(s) … A misspelt label or a
    stray folder?', one combination a run."""
    files = _flat("images", 12)
    labels = ["No Finding"] * 4 + ["Pneumonia"] * 3 + ["Atelectasis|Effusion", "Cardiomegaly|Effusion",
                                                      "Effusion|Pneumonia", "Effusion|Pneumonia", "Mass|Nodule"]
    manifest = tmp_path / "Data_Entry_2017.csv"
    manifest.write_text("file,label\n" + "".join(f"{f.name},{label}\n" for f, label in zip(files, labels)))
    assert _refusal(files, manifest) == (
        "4 class(es) combine several findings and have under 3 images each ('Effusion|Pneumonia' 2, "
        "'Atelectasis|Effusion' 1, 'Cardiomegaly|Effusion' 1, 'Mass|Nodule' 1): each combination is a class of its "
        "own, too small to learn or to validate. Give each image one label in the manifest (for one finding against "
        "normal: that finding where an image's labels name it, the normal label otherwise), or leave those rows' "
        "label empty to leave them out.")


def test_chexperts_own_header_with_frontal_lateral_and_ap_pa_is_read_as_column_names(tmp_path):
    """CheXpert's train.csv names two columns 'Frontal/Lateral' and 'AP/PA': their slashes read as paths and the
    table was told to 'add a header row above' the header it has, not how to make its label column."""
    files = _flat("CheXpert-v1.0-small/train")
    table = pd.DataFrame({"Path": [f.name for f in files], "Sex": "Female", "Age": 71, "Frontal/Lateral": "Frontal",
                          "AP/PA": "PA", "No Finding": ["", "1.0"] * 4, "Pneumonia": ["1.0", "", "-1.0", "0.0"] * 2,
                          "Support Devices": ["1.0", "0.0"] * 4})
    manifest = tmp_path / "train.csv"
    table.to_csv(manifest, index=False)
    refusal = _refusal(files, manifest)
    assert "reads as data" not in refusal
    assert refusal.endswith("mark findings with a 1, several per image: add a label column from the one finding to "
                            "rank by (its 1 against 0; decide first what -1, uncertain, and blanks mean) and rename "
                            "'Path' to file.")


def test_chexperts_table_with_the_label_column_its_refusal_asked_for_is_read(tmp_path):
    """The advice followed (a label column made from Pleural Effusion, -1 left empty, the findings kept beside it)
    had been refused again with the same advice: the finding columns were read as the only labels."""
    files = _flat("CheXpert-v1.0-small/train")
    table = pd.DataFrame({"Path": [f.name for f in files], "Sex": "Female", "Frontal/Lateral": "Frontal",
                          "No Finding": ["", "1.0"] * 4, "Pleural Effusion": ["1.0", "0.0", "-1.0", ""] * 2,
                          "Support Devices": ["1.0", "0.0"] * 4})
    manifest = tmp_path / "train.csv"
    table.assign(label=table["Pleural Effusion"].replace("-1.0", "")).to_csv(manifest, index=False)
    notes: list[str] = []
    layout = triage_labels.manifest_labels(files, str(manifest), notes)
    assert [label for label, _ in layout.values()] == ["1", "0", None, None] * 2
    assert notes == ["The manifest has no file column, so 'Path' as the file column was read (the only column named "
                     "like its role); rename the columns to file and label if another was meant."]


def test_tiny_combinations_are_refused_before_any_image_is_decoded_and_at_upload(tmp_path, monkeypatch):
    """A 1,500-film NIH-shaped set with 'Finding Labels' as the label had been refused only after every film was
    decoded (24 s of CPU), and the page's upload check had queued it."""
    from data import image_decode
    from services import triage_layout

    files = _flat("images", 12)
    labels = ["No Finding"] * 5 + ["Pneumonia"] * 4 + ["Atelectasis|Effusion", "Effusion|Pneumonia", "Mass|Nodule"]
    manifest = tmp_path / "Data_Entry_2017.csv"
    manifest.write_text("file,label\n" + "".join(f"{f.name},{label}\n" for f, label in zip(files, labels)))
    folder = tmp_path / "set"
    for item in files:
        (folder / item.name).parent.mkdir(parents=True, exist_ok=True)
        (folder / item.name).write_bytes(item.payload)

    def decode(payload, name):
        raise AssertionError(f"{name} was decoded before the combinations were checked")

    monkeypatch.setattr(image_decode, "decode", decode)
    refusal = _refusal(files, manifest)
    assert refusal.startswith("3 class(es) combine several findings and have under 3 images each")
    with pytest.raises(TrainingSetError) as at_upload:
        triage_layout.check_training_set(str(folder), str(manifest))
    assert str(at_upload.value) == refusal


def test_a_split_value_the_desk_does_not_know_is_refused_not_read_as_no_split(tmp_path):
    """A manifest's 'holdout' rows (a test set kept back) had been read as having no split: they trained, or
    validated, without a word. Blank cells and missing-value markers still leave the split to the desk."""
    files = _flat("images", 12)
    splits = ["train"] * 4 + ["", "NA"] + ["holdout"] * 4 + ["dev"] * 2
    labels = ["normal", "pneumonia"] * 6
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label,split\n" + "".join(f"{f.name},{label},{split}\n"
                                                       for f, label, split in zip(files, labels, splits)))
    assert _refusal(files, manifest) == (
        "The manifest's split column holds 'holdout' (4 rows), 'dev' (2 rows), not a split the desk knows: write "
        "train, val or test (training, valid, validation and testing read as these), or leave the cell empty for the "
        "desk to decide. Read as no split, images kept back for testing would train.")
    manifest.write_text("file,label,split\n" + "".join(f"{f.name},{label},{'' if i % 3 else 'Training'}\n"
                                                       for i, (f, label) in enumerate(zip(files, labels))))
    assert triage_training.load_labelled(files, str(manifest), _quiet).classes == ["normal", "pneumonia"]
