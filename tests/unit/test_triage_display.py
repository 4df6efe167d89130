"""Browser-QA findings on the triage desk: cut-offs and scores with the decimals that tell them apart, the class at
the operating point, the worklist CSV, the report's wording, worklist names and the calibration chart. Stored runs
and worklists: no training needed."""
from __future__ import annotations

import html
import io
import re

import numpy as np
import pandas as pd
import pytest

from data.records import AuditEventRecord, RunRecord
from domain import triage as rules
from reports.exporters import export_report
from services import reports, triage, triage_calibration, triage_format, triage_report, triage_review, triage_training
from tests.support import make_runtime

# As the QA run stored them: 8 validation images, urgent cut-off 0.99968 shown as "1.000"
METRICS = {"val_auc": 0.875, "val_accuracy": 0.75, "val_accuracy_at_threshold": 0.875, "sensitivity": 1.0,
           "specificity": 0.75, "threshold": 0.9186, "target_sensitivity": 0.95, "threshold_before_margin": 0.991,
           "urgent_threshold": 0.99968, "val_images": 8, "epochs_run": 3, "val_brier": 0.1603, "val_ece": 0.1905,
           "baseline_auc": 1.0, "auc_vs_baseline": -0.125}
PARAMETERS = {"size": 28, "epochs": 3, "positive": None, "target_sensitivity": 0.95, "seed": 0, "max_minutes": None,
              "classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia", "normal_class": "normal",
              "positive_classes": ["pneumonia"], "normal_classes": ["normal"], "review_threshold": 0.9186,
              "urgent_threshold": 0.99968, "class_counts": {"normal": 30, "pneumonia": 30}, "image_count": 60,
              "skipped_images": [], "merged_classes": [], "device": "cpu", "validation_folders": [0, 0],
              "colour_share": 0.0, "dicom_profile": None, "notes": [], "warnings": []}
SCORES = [0.9999990463256836, 0.9993213415145874, 0.8745653033256531, 0.17635983228683472]


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return make_runtime(tmp_path_factory.mktemp("display") / "var")


@pytest.fixture(scope="module")
def stored(runtime):
    """A run and one worklist stored as before the fix: the class of highest probability beside each score."""
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics=METRICS,
                                     parameters=PARAMETERS, status="succeeded"))
        uow.commit()
        run_id = run.id
    frame = pd.DataFrame({"record_key": ["st-a", "st-b", "st-c", "st-d"], "file": ["s7.png", "s5.png", "s1.png",
                                                                                   "s2.png"],
                          "p_abnormal": SCORES, "priority": ["urgent", "review", "routine", "routine"],
                          "predicted_class": ["pneumonia", "pneumonia", "pneumonia", "normal"], "rank": [1, 2, 3, 4],
                          "reason": ["", "", "", ""]})
    triage._store_worklist(runtime, run_id, "e134cf496e0b", frame, {}, {}, ("normal", "pneumonia"), user="ana",
                           source="studies.zip")
    return run_id


def test_cut_offs_and_scores_get_the_decimals_that_tell_them_apart():
    """'Urgent from p ≥ 1.000' for a cut-off of 0.9997; 1.000 (urgent) beside 0.999 (review)."""
    cut = triage_format.decimals_for([0.99968, 0.9186])
    assert cut == 4
    assert [triage_format.probability(c, cut) for c in (0.99968, 0.9186)] == ["0.9997", "0.9186"]
    assert triage_format.decimals_for([0.41, 0.8]) == 3  # plain cut-offs keep 3
    assert triage_format.decimals_for([0.99968, 0.9186], [0.99965]) == 5  # a score just under the urgent cut-off
    places = triage_format.decimals_for([0.99968, 0.9186], SCORES)
    assert [triage_format.probability(p, places) for p in SCORES] == ["0.999999", "0.9993", "0.8746", "0.1764"]
    assert triage_format.probability(float("nan")) == "not scored"
    assert triage_format.probability(1 - 1e-9, 3) == "0.999999" and triage_format.probability(1.0, 3) == "1.000"


def test_the_predicted_class_follows_the_operating_point_not_the_likeliest_class(runtime, stored):
    """study_01.png read 'p 0.875 · routine · pneumonia', and an 'agree' labelled it pneumonia."""
    assert rules.class_at_operating_point(0.875, 0.9186, "normal", "pneumonia") == "normal"
    assert rules.class_at_operating_point(0.9186, 0.9186, "normal", "effusion") == "effusion"
    frame = triage_review.worklist(runtime, stored, "e134cf496e0b", user="ana", record_view=False)
    assert list(zip(frame["priority"], frame["predicted_class"])) == [
        ("urgent", "pneumonia"), ("review", "pneumonia"), ("routine", "normal"), ("routine", "normal")]
    assert triage_review.record_review(runtime, stored, "e134cf496e0b", "st-c", "agree", user="rita") == "normal"


def test_the_worklist_csv_puts_rank_first_rounds_scores_and_carries_the_notice(runtime, stored):
    """Header file,…,rank,…; 0.9999990463256836 written whole; no decision-support notice."""
    body = triage_review.export_worklist_csv(runtime, stored, "e134cf496e0b", user="ana")
    table = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", keep_default_na=False)
    assert list(table.columns) == ["rank", "file", "p_abnormal", "priority", "predicted_class", "verdict",
                                   "reviewed_label", "note", "reviewer", "reviewed_at", "reason", "notice"]
    assert list(table["rank"]) == [1, 2, 3, 4]
    assert list(table["p_abnormal"]) == [0.999999, 0.999321, 0.874565, 0.17636]
    assert set(table["notice"]) == {triage.DISCLAIMER}


def test_worklists_are_named_by_when_and_what_was_scored(runtime, stored):
    """The picker, the message and the file name read only 'e134cf496e0b'."""
    with runtime.uow() as uow:
        event = uow.session.query(AuditEventRecord).filter_by(object_id="e134cf496e0b", action="score").one()
        day = f"{event.created_at:%Y-%m-%d}"
        stamp = f"{event.created_at:%Y-%m-%d %H:%M}"
    assert triage_review.batch_labels(runtime, stored) == {
        "e134cf496e0b": f"{stamp} UTC · studies.zip · 4 studies · e134cf496e0b"}
    assert triage_review.worklist_file_name(runtime, stored, "e134cf496e0b") == f"worklist-{day}-e134cf496e0b.csv"
    assert triage.source_name([("a.png", b""), ("b.png", b""), ("c.png", b"")]) == "a.png and 2 more"
    assert triage.source_name("/data/site_b/batch.zip") == "batch.zip"


def _report_text(runtime, run_id: int) -> str:
    page = export_report(reports.build_report(runtime, run_id), "html").decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", page, flags=re.S)))
                    .split())


def test_the_report_words_its_settings_and_figures_and_hides_internals(runtime, stored):
    """abnormal_class, review_threshold, colour_share 0, dicom_profile none, val_brier … were printed raw."""
    text = _report_text(runtime, stored)
    for raw in ("abnormal_class", "review_threshold", "urgent_threshold", "class_counts", "skipped_images",
                "merged_classes", "validation_folders", "colour_share", "dicom_profile", "val_accuracy",
                "threshold_before_margin", "val_brier", "val_ece", "epochs_run", "Alert threshold"):
        assert raw not in text, raw
    assert "Review cut-off (operating point) 0.9186" in text and "Urgent cut-off 0.9997" in text
    assert "Accuracy at the operating point 0.875" in text and "Brier score 0.160" in text
    assert "Validation held out by patient no patients found: image by image" in text
    assert "Images per class (training split) normal 30, pneumonia 30" in text
    assert "Operating point 0.9186 chosen" in text and "urgent from p ≥ 0.9997." in text


def test_few_validation_images_draw_no_calibration_chart_and_say_so(runtime, stored):
    """8 validation images in 10 bins zig-zagged and dropped from 1 to 0."""
    p = np.linspace(0.05, 0.95, 8)
    assert triage_calibration.calibration_bins(p, p > 0.5) == {"prob_pred": [], "prob_true": [], "bins": 0}
    many = np.random.default_rng(0).random(32)
    assert triage_calibration.calibration_bins(many, many > 0.5)["bins"] == 6  # 32 // 5 groups of equal size
    run = triage_review.triage_run(runtime, stored)
    assert triage_report.calibration_note(run) == ("Calibration is not drawn: 8 validation images are too few to "
                                                   "judge it (at least 10 are needed, for two groups of 5).")
    assert "Calibration is not drawn: 8 validation images" in _report_text(runtime, stored)


class _ThreeClasses:
    """Normal is the likeliest class of both studies, yet p_abnormal (1 − p(normal)) is 0.55 and 0.30."""
    classes_ = ["effusion", "normal", "pneumonia"]
    probs = np.array([[0.20, 0.45, 0.35], [0.10, 0.70, 0.20]])

    def predict(self, X):
        return self.probs[:len(X)]

    def explain(self, X, targets=None):
        from ml.task import Explanation

        return Explanation(0.0, np.zeros((len(X), 1)), ("cell",), kind="gradcam",
                           extra={"heatmaps": np.zeros((len(X), 4, 4)), "probabilities": self.probs[:len(X)]})

    def unlike_training(self, X):
        return np.zeros(len(X), dtype=bool)


def test_scoring_names_the_class_at_the_operating_point_for_several_classes():
    """The class of highest probability ('normal') had stood beside a study flagged for review."""
    frame = pd.DataFrame({"file": ["a.png", "b.png"], "reason": ["", ""]},
                         index=["k1", "k2"]).assign(p_abnormal=np.nan, predicted_class=None)
    pixels = [(k, np.zeros((28, 28), np.uint8)) for k in frame.index]
    triage_training.predict_with_maps(_ThreeClasses(), {"abnormal_class": None, "normal_class": "normal",
                                                        "review_threshold": 0.4}, pixels, frame)
    assert list(frame["p_abnormal"].round(2)) == [0.55, 0.30]
    assert list(frame["predicted_class"]) == ["pneumonia", "normal"]


def test_the_worklist_csv_writes_plain_decimals_as_the_page_and_the_cli_do(runtime, stored):
    """p_abnormal 7.2e-05 in the CSV beside 0.000072 on the page; 0.17636 beside 0.176360 from `triage score`."""
    assert triage_format.csv_probability(7.2e-05) == "0.000072"
    assert triage_format.csv_probability(0.9999990463256836) == "0.999999"
    assert triage_format.csv_probability(float("nan")) == ""
    body = triage_review.export_worklist_csv(runtime, stored, "e134cf496e0b", user="ana")
    table = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(table["p_abnormal"]) == ["0.999999", "0.999321", "0.874565", "0.176360"]


def test_the_cut_off_note_and_cut_offs_read_without_an_exponent():
    """'(6.807e-05)' in the training notes; 'Threshold 0.878123' beside an urgent cut-off of 0.999999."""
    assert triage_format.readable(6.807e-05) == "0.0000681"
    assert triage_format.readable(0.0123456) == "0.0123" and triage_format.readable(0.9999990) == "0.999999"
    assert triage_format.cutoffs(0.878123, 0.999999) == ("0.878", "0.999999")
    assert triage_format.cutoffs(0.99951, 0.99954) == ("0.99951", "0.99954")  # apart where they would read alike
    p = np.array([6.807e-05, 2e-06, 0.3, 0.9])
    positive = np.array([True, False, True, True])
    operating = rules.OperatingPoint(threshold=6.807e-05, sensitivity=1.0, specificity=1.0, target_sensitivity=0.95)
    _, _, notes = triage_training.with_margin(operating, rules.BucketRule(6.807e-05, 0.9), p, positive)
    assert "e-0" not in notes[0] and "(0.0000681)" in notes[0] and "(0.000002)" in notes[0], notes
