"""Classes with few validation images are warned about in one line: an NIH-shaped run (findings and their
combinations as classes, 9 of them under 10 validation images) had printed nine warnings, one a class."""
from __future__ import annotations

import pandas as pd

from services import triage_warnings


def test_several_small_classes_share_one_warning_with_their_counts():
    labels = pd.Series(["No Finding"] * 30 + ["Effusion"] * 6 + ["Mass"] * 2 + ["Nodule"] * 2 + ["Atelectasis"] * 5
                       + ["Effusion|Infiltration"] * 3 + ["Pneumothorax", "Edema", "Hernia"])
    assert triage_warnings.validation_warnings(labels) == [
        "Validation holds fewer than 10 images of 8 classes ('Atelectasis' 5, 'Edema' 1, 'Effusion' 6, "
        "'Effusion|Infiltration' 3, 'Hernia' 1 and 3 more): the sensitivity, specificity and thresholds that rest on "
        "them are rough; more images of those classes give firmer ones."]


def test_one_small_class_keeps_its_own_words():
    labels = pd.Series(["normal"] * 20 + ["pneumonia"] * 4)
    assert triage_warnings.validation_warnings(labels) == [
        "Validation holds only 4 'pneumonia' image(s): the sensitivity, specificity and thresholds rest on them and "
        "are rough; more 'pneumonia' images give firmer ones."]
