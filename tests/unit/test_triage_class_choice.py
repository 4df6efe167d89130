"""Which class is abnormal, when the names cannot tell: refused before any image is decoded, in the words of where
the labels came from (class folders or a manifest), naming a labels table found in the input."""
from __future__ import annotations

import pytest

from data import image_decode, images
from services import triage_labels, triage_training
from services.triage_labels import TrainingSetError

DX = ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")  # HAM10000's seven diagnoses: none is named like normal


def _quiet(fraction, message):
    return None


def _no_decoding(monkeypatch):
    def decode(payload, name):
        raise AssertionError(f"{name} was decoded before the classes were checked")

    monkeypatch.setattr(image_decode, "decode", decode)


def test_ham10000s_two_image_folders_are_refused_naming_its_metadata_table_before_decoding(monkeypatch):
    """HAM10000_images_part_1/ and part_2/ read as two classes: the refusal had said only to name a folder normal,
    after decoding every image, with no word of HAM10000_metadata.csv lying beside them."""
    _no_decoding(monkeypatch)
    files = [images.InputFile(f"HAM10000_images_part_{1 + i % 2}/ISIC_{24306 + i:07d}.jpg", b"\xff\xd8\xff" + bytes(i))
             for i in range(8)]
    with pytest.raises(TrainingSetError) as raised:
        triage_training.load_labelled(files, None, _quiet, left_out=["HAM10000_metadata.csv: not an image"],
                                      choose=True)
    assert str(raised.value) == (
        "Cannot tell which class is normal among HAM10000_images_part_1, HAM10000_images_part_2 (named like normal: "
        "none). Name the abnormal class (--positive CLASS; 'Abnormal class' on the page), or name exactly one class "
        "folder normal/benign/negative/healthy/no_finding. Or give a labels table as the manifest (a CSV with columns "
        "file,label naming each image and its class). The input holds HAM10000_metadata.csv: if it is the set's "
        "labels table, give it as the manifest, its image and class columns renamed to file and label.")


def test_a_manifests_seven_diagnoses_are_refused_in_the_manifests_words_before_decoding(monkeypatch, tmp_path):
    _no_decoding(monkeypatch)
    files = [images.InputFile(f"images/ISIC_{i:07d}.jpg", b"\xff\xd8\xff" + bytes(i)) for i in range(14)]
    manifest = tmp_path / "labels.csv"
    manifest.write_text("file,label\n" + "".join(f"{f.name},{DX[i % 7]}\n" for i, f in enumerate(files)))
    with pytest.raises(TrainingSetError) as raised:
        triage_training.load_labelled(files, str(manifest), _quiet, choose=True)
    assert str(raised.value).endswith(" Give exactly one class a label named like "
                                      "normal/benign/negative/healthy/no_finding in the manifest's label column: "
                                      "every other class is then flagged. To flag one class alone (such as 'akiec'), "
                                      "give every other class's images one label named like normal instead.")
    assert "folder" not in str(raised.value) and "The input holds" not in str(raised.value)


def test_two_folders_without_a_table_beside_them_get_no_word_of_one(monkeypatch):
    _no_decoding(monkeypatch)
    files = [images.InputFile(f"{c}/{i}.png", b"\x89PNG" + c.encode() + bytes(i))
             for c in ("cat", "dog") for i in range(4)]
    with pytest.raises(TrainingSetError) as raised:
        triage_training.load_labelled(files, None, _quiet, left_out=["README.txt: not an image"], choose=True)
    assert str(raised.value).endswith("or name exactly one class folder normal/benign/negative/healthy/no_finding.")
    with pytest.raises(TrainingSetError, match="not one of the classes: cat, dog"):  # --positive checked early too
        triage_training.load_labelled(files, None, _quiet, positive="bird", choose=True)


def test_class_choice_refusals_name_the_page_s_field_on_the_page_and_the_flag_on_the_cli():
    """The page had told an analyst to use '--positive CLASS', a flag it has no box for."""
    from domain import triage as rules
    from services.page_words import for_page

    said = []
    for classes, positive in ((["cat", "dog"], None), (["normal", "tumour"], "tumor"),
                              (["benign", "malignant", "unknown"], "malignant")):
        with pytest.raises(rules.ClassChoiceError) as refused:
            rules.choose_abnormal(classes, positive)
        assert "(--positive CLASS; 'Abnormal class' on the page)" in str(refused.value)
        said.append(for_page(str(refused.value)))
    assert all("--positive" not in line and "('Abnormal class' on this page)" in line for line in said)
    assert said[1] == ("The abnormal class given ('Abnormal class' on this page), 'tumor', is not one of the classes: "
                       "normal, tumour.")
    with pytest.raises(rules.ClassChoiceError) as three:  # two normal-like names; a name is for two classes
        rules.choose_abnormal(["BENIGN", "BENIGN_WITHOUT_CALLBACK", "MALIGNANT"])
    assert "positive" not in str(three.value) and str(three.value).endswith(
        "Put their images in one class folder (e.g. 'BENIGN') so that one class is normal, or leave out those that "
        "are not.")


def test_busi_s_normal_class_is_normal_and_its_benign_lesions_are_positive_with_what_to_do_otherwise():
    """BUSI's benign / malignant / normal had been refused for two normal-like names, told to name one class
    normal/benign, which it does; 'normal' now is normal, and the run's note says benign is flagged and how not to."""
    from domain import triage as rules

    assert rules.choose_abnormal(["benign", "malignant", "normal"]) == (None, "normal")
    assert rules.choose_abnormal(["Benign", "Normal"]) == ("Benign", "Normal")
    assert rules.choose_abnormal(["normal", "pneumonia-bacterial", "pneumonia-viral"]) == (None, "normal")
    assert rules.choose_abnormal(["benign", "malignant"]) == ("malignant", "benign")  # ISIC: benign is normal
    positive, normal = rules.label_roles(["benign", "malignant", "normal"], None, "normal")
    assert rules.label_roles_note(positive, normal) == (
        "Positive (abnormal): 'benign' and 'malignant' (every class but the normal one); normal: 'normal'. The "
        "abnormal score (p_abnormal) is 1 minus the model's probability that an image is 'normal': an image of any "
        "positive class is flagged. 'benign' is positive: beside 'normal' a "
        "benign class names a finding (a benign lesion), so its images are flagged. To flag 'malignant' only, move "
        "the 'normal' images into 'benign' (one class not to flag) and retrain.")
    assert rules.label_roles_note(("malignant",), ("benign",)) == (
        "Positive (abnormal): 'malignant'; normal: 'benign'. The abnormal score (p_abnormal) is the model's "
        "probability that an image shows 'malignant'.")
    with pytest.raises(rules.ClassChoiceError) as kvasir:  # several plainly normal names stay refused
        rules.choose_abnormal(["benign", "normal-cecum", "normal-pylorus", "polyps"], manifest=True)
    assert str(kvasir.value) == (
        "Cannot tell which class is normal among benign, normal-cecum, normal-pylorus, polyps: 'benign', "
        "'normal-cecum' and 'normal-pylorus' are named like normal. Put their images in one label (e.g. "
        "'normal-cecum') so that one class is normal, or leave out those that are not.")
    with pytest.raises(rules.ClassChoiceError, match="Name the abnormal class"):  # two classes: name one
        rules.choose_abnormal(["normal", "healthy"])


def test_eyepacs_grades_are_told_how_to_become_two_labels(tmp_path):
    """EyePACS's trainLabels.csv (image,level 0-4) had been refused with no rename hint, then told only to name a
    class like normal."""
    from domain import triage as rules

    manifest = tmp_path / "trainLabels.csv"
    manifest.write_text("image,level\n10_left,0\n10_right,2\n")
    notes: list[str] = []  # read by its column names now; 10_right is a row of the whole table beyond the sample
    assert triage_labels.manifest_labels([images.InputFile("train/10_left.jpeg", b"x")], str(manifest), notes) == \
        {"train/10_left.jpeg": ("0", "train")}
    assert "'image' as the file column and 'level' as the label column" in notes[0]
    with pytest.raises(rules.ClassChoiceError) as graded:
        rules.choose_abnormal(["0", "1", "2", "3", "4"], manifest=True)
    assert str(graded.value).endswith(
        "The labels 0, 1, 2, 3, 4 read as grades: relabel the grades that count as normal with one label (normal) and "
        "those to flag with another (such as 'referable' for grade 2 and up), or name grade 0 normal to flag every "
        "higher grade.")
    assert rules.choose_abnormal(["0", "1"]) == ("1", "0")  # a 0/1 pair is still read as no/yes


def test_chexperts_minus_one_for_uncertain_is_told_as_uncertain_not_left_unexplained():
    """A CheXpert finding column taken as the label (1.0 present, 0.0 absent, -1.0 uncertain) reads -1, 0, 1: it was
    refused saying only to name a class like normal, with no word of what -1 is or that 0/1 alone would train."""
    from domain import triage as rules

    with pytest.raises(rules.ClassChoiceError) as coded:
        rules.choose_abnormal(["-1", "0", "1"], manifest=True)
    assert str(coded.value).endswith(
        "The labels -1, 0 and 1 read as one finding coded as CheXpert codes it (1 present, 0 absent, -1 uncertain): "
        "relabel the -1 rows 1 or 0, as you decide an uncertain finding counts, or leave their label empty to leave "
        "them out; 1 is then flagged against 0.")
    assert rules.choose_abnormal(["0", "1"]) == ("1", "0")
