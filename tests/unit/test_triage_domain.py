"""Triage rules: abnormal class, operating point, buckets, ranking, review labels (pure Python)."""
import pytest

from domain import triage as rules
from domain import triage_quality as quality
from domain import triage_reviews

ROC = [(0.0, 0.0, 1.0), (0.0, 0.5, 0.9), (0.04, 0.7, 0.8), (0.1, 0.9, 0.6), (0.2, 0.96, 0.4), (0.3, 0.96, 0.35),
       (0.5, 1.0, 0.2), (1.0, 1.0, 0.0)]


@pytest.mark.parametrize("name,expected", [
    ("normal", True), ("NORMAL", True), ("0_normal", True), ("no_finding", True), ("No Finding", True),
    ("benign", True), ("Healthy", True), ("negative", True), ("abnormal", False), ("pneumonia", False),
    ("malignant", False), ("covid", False), ("notumor", True), ("no_tumor", True), ("No Tumor", True),
    ("not fractured", True), ("without_lesion", True),
    ("No Lung Opacity / Not Normal", False), ("Lung Opacity", False), ("no", False), ("non-COVID", False),
    ("non_small_cell_carcinoma", False), ("No_DR", True)])
def test_looks_normal(name, expected):
    assert rules.looks_normal(name) is expected


def test_abnormal_class_from_names_or_flag():
    assert rules.choose_abnormal(["NORMAL", "PNEUMONIA"]) == ("PNEUMONIA", "NORMAL")
    assert rules.choose_abnormal(["benign", "malignant"]) == ("malignant", "benign")
    assert rules.choose_abnormal(["cat", "dog"], positive="dog") == ("dog", "cat")
    assert rules.choose_abnormal(["covid", "normal", "viral"]) == (None, "normal")
    with pytest.raises(rules.ClassChoiceError, match="--positive"):
        rules.choose_abnormal(["cat", "dog"])
    with pytest.raises(rules.ClassChoiceError, match="not one of the classes"):
        rules.choose_abnormal(["normal", "tumour"], positive="tumor")


def test_real_class_sets_need_no_flag():
    assert rules.choose_abnormal(["glioma", "meningioma", "notumor", "pituitary"]) == (None, "notumor")
    assert rules.choose_abnormal(["Normal", "Lung Opacity", "No Lung Opacity / Not Normal"]) == (None, "Normal")
    assert rules.choose_abnormal(["no", "yes"]) == ("yes", "no")
    assert rules.choose_abnormal(["1", "0"]) == ("1", "0")


def test_positive_is_refused_with_more_than_two_classes():
    # p_abnormal = p(bacteria) would score every virus study as not abnormal
    with pytest.raises(rules.ClassChoiceError, match="two-class set only; with 3 classes"):
        rules.choose_abnormal(["normal", "bacteria", "virus"], positive="bacteria")


def test_operating_point_reaches_target_with_fewest_false_positives():
    point = rules.choose_operating_point(ROC, 0.95)
    assert (point.threshold, point.sensitivity, point.specificity) == (0.4, 0.96, 0.8)
    assert rules.choose_operating_point(ROC, 0.9).threshold == 0.6
    with pytest.raises(ValueError):
        rules.choose_operating_point(ROC, 0.0)


def test_bucket_rule_and_priorities():
    rule = rules.bucket_rule(ROC, rules.choose_operating_point(ROC, 0.95))
    assert (rule.review_threshold, rule.urgent_threshold) == (0.4, 0.8)  # specificity 0.96 ≥ 0.95, best tpr
    assert [rules.priority(p, rule) for p in (0.85, 0.8, 0.5, 0.39, None)] == [
        "urgent", "urgent", "review", "routine", "needs manual read"]


def test_urgent_never_below_operating_point():
    roc = [(0.0, 0.0, 1.0), (0.5, 0.99, 0.3), (1.0, 1.0, 0.0)]
    rule = rules.bucket_rule(roc, rules.OperatingPoint(0.5, 0.99, 0.5, 0.95))
    assert rule.urgent_threshold == 1.0 and rule.review_threshold == 0.5


def test_rank_keeps_every_study_unreadable_first():
    items = [rules.WorkItem("a", 0.2, ""), rules.WorkItem("b", None, ""), rules.WorkItem("c", 0.9, ""),
             rules.WorkItem("d", 0.2, "")]
    assert [i.key for i in rules.rank(items)] == ["b", "c", "a", "d"]


def test_a_cautioned_study_is_a_manual_read_ranked_after_the_unreadable_ones():
    """An MR scored 0.376 by a chest X-ray model sat at 'routine' with its caution on another line: a CSV read
    without the reason column took the score at face value."""
    rule = rules.BucketRule(0.4, 0.8)
    assert [rules.priority(p, rule, cautioned=True) for p in (0.95, 0.376, None)] == ["needs manual read"] * 3
    assert rules.priority(0.376, rule) == "routine"
    items = [rules.WorkItem("routine", 0.1, "routine"), rules.WorkItem("mr", 0.376, "needs manual read"),
             rules.WorkItem("urgent", 0.9, "urgent"), rules.WorkItem("broken", None, "needs manual read"),
             rules.WorkItem("ct", 0.99, "needs manual read")]
    assert [i.key for i in rules.rank(items)] == ["broken", "ct", "mr", "urgent", "routine"]


def test_reviewed_label():
    classes = ["normal", "pneumonia"]
    assert triage_reviews.reviewed_label("agree", "pneumonia", None, classes) == "pneumonia"
    assert triage_reviews.reviewed_label("disagree", "pneumonia", None, classes) == "normal"
    assert triage_reviews.reviewed_label("disagree", "a", None, ["a", "b", "c"]) is None
    assert triage_reviews.reviewed_label("agree", None, "normal", classes) == "normal"
    with pytest.raises(ValueError, match="not one of the classes"):
        triage_reviews.reviewed_label("agree", "normal", "cancer", classes)


def test_a_label_that_contradicts_the_verdict_is_refused():
    classes = ["normal", "pneumonia"]
    with pytest.raises(ValueError, match="disagree with the label 'pneumonia' contradicts itself"):
        triage_reviews.reviewed_label("disagree", "pneumonia", "pneumonia", classes)
    with pytest.raises(ValueError, match="agree with the label 'normal' contradicts itself"):
        triage_reviews.reviewed_label("agree", "pneumonia", "normal", classes)
    assert triage_reviews.reviewed_label("agree", "pneumonia", "pneumonia", classes) == "pneumonia"
    assert triage_reviews.reviewed_label("disagree", "a", "c", ["a", "b", "c"]) == "c"


def test_either_verdict_on_a_scored_study_needing_a_manual_read_needs_the_label():
    """disagree (two classes) had filed the other class for a study to be read as if unscored."""
    classes = ["normal", "pneumonia"]
    for verdict in ("agree", "disagree"):
        with pytest.raises(ValueError, match=f"no reading to {verdict} with: give the correct label"):
            triage_reviews.reviewed_label(verdict, "pneumonia", None, classes, manual_read=True)
    assert triage_reviews.reviewed_label("disagree", "pneumonia", "normal", classes, manual_read=True) == "normal"
    assert triage_reviews.reviewed_label("disagree", None, None, classes, manual_read=True) is None  # unreadable


def test_an_operating_point_on_few_abnormal_images_is_cautioned():
    assert quality.sensitivity_lower_bound(24, 24) == pytest.approx(0.862, abs=0.001)
    assert quality.sensitivity_lower_bound(0, 0) == 0.0
    caution = quality.operating_point_caution(1.0, 0.95, 24)
    assert caution.startswith("The operating point was set on 24 abnormal validation image(s), where it caught 100%")
    assert "as low as 0.86 (95 % lower bound) against the 0.95 target" in caution
    assert quality.operating_point_caution(0.96, 0.95, 400) is None  # bound 0.94: close enough to promise


def test_three_classes_name_every_positive_label_and_the_normal_one():
    """A three-class run stored abnormal_class None: nothing said bacterial and viral were both positive."""
    positive, normal = rules.label_roles(["bacterial", "normal", "viral"], None, "normal")
    assert (positive, normal) == (("bacterial", "viral"), ("normal",))
    assert rules.label_roles_note(positive, normal) == (
        "Positive (abnormal): 'bacterial' and 'viral' (every class but the normal one); normal: 'normal'. "
        "The abnormal score (p_abnormal) is 1 minus the model's probability that an image is 'normal': an image of "
        "any positive class is flagged.")
    assert rules.label_roles(["NORMAL", "PNEUMONIA"], "PNEUMONIA", "NORMAL") == (("PNEUMONIA",), ("NORMAL",))
    assert rules.label_roles_note(("PNEUMONIA",), ("NORMAL",)) == (
        "Positive (abnormal): 'PNEUMONIA'; normal: 'NORMAL'. The abnormal score (p_abnormal) is the model's "
        "probability that an image shows 'PNEUMONIA'.")  # was "p_abnormal is p('PNEUMONIA')"


def test_positive_with_three_classes_says_what_would_be_positive_and_normal():
    with pytest.raises(rules.ClassChoiceError) as caught:
        rules.choose_abnormal(["benign", "malignant", "unknown"], positive="Malignant")
    message = str(caught.value)
    assert "Left empty, 'malignant' and 'unknown' would be taken as positive and 'benign' as normal" in message
    assert "To train 'malignant' against 'benign' alone, leave the other classes' images out" in message
    with pytest.raises(rules.ClassChoiceError, match="name exactly one class normal"):
        rules.choose_abnormal(["covid", "opacity", "viral"], positive="covid")


def test_a_vague_class_counted_positive_is_cautioned():
    caution = rules.uncertain_positive_caution(("malignant", "unknown"))
    assert caution.startswith("'unknown' was taken as positive (abnormal) beside 'malignant'")
    assert rules.uncertain_positive_caution(("bacterial", "viral")) is None
    assert rules.uncertain_positive_caution(("other",)) is None  # the only positive class: chosen on purpose
    assert rules.uncertain_positive_caution(("covid", "Other_Pneumonia")) is None  # a finding of another cause
    assert rules.uncertain_positive_caution(("covid", "Other", "UNKNOWN")).startswith(
        "'Other' and 'UNKNOWN' were taken as positive (abnormal) beside 'covid': their images")


def test_the_refusal_to_guess_the_normal_class_names_where_the_labels_came_from():
    """A manifest's labels had been told to 'name exactly one folder normal/…', though no folder names them."""
    with pytest.raises(rules.ClassChoiceError) as folders:
        rules.choose_abnormal(["covid", "opacity", "viral"])
    assert str(folders.value).endswith(" Name exactly one class folder normal/benign/negative/healthy/no_finding: "
                                       "every other class is then flagged. To flag one class alone (such as "
                                       "'covid'), move every other class's images into one class folder named like "
                                       "normal instead.")
    with pytest.raises(rules.ClassChoiceError) as table:
        rules.choose_abnormal(["akiec", "bcc", "bkl", "df", "mel", "nv", "vasc"], manifest=True)
    assert str(table.value) == (
        "Cannot tell which class is normal among akiec, bcc, bkl, df, mel, nv, vasc (named like normal: none). Give "
        "exactly one class a label named like normal/benign/negative/healthy/no_finding in the manifest's label "
        "column: every other class is then flagged. To flag one class alone (such as 'akiec'), give every other "
        "class's images one label named like normal instead.")  # no word of naming the abnormal class (two only)
