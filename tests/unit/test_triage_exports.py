"""The triage run report (a model that does not beat its pixel baseline; the notice once) and the reviewed set's
manifest, on a stored run and worklist: no training needed."""
from __future__ import annotations

import html
import io
import re
import zipfile

import pandas as pd
import pytest

from data.records import RunRecord
from domain import triage_quality as quality
from reports.exporters import export_report
from services import reports, triage, triage_report, triage_review, triage_warnings
from tests.support import make_runtime
from tests.triage_support import sample_images

METRICS = {"val_auc": 0.994, "baseline_auc": 1.0, "auc_vs_baseline": -0.006, "val_images": 60, "threshold": 0.41,
           "urgent_threshold": 0.8, "sensitivity": 0.96, "specificity": 0.9, "target_sensitivity": 0.95,
           "epochs_run": 3}
PARAMETERS = {"classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia", "normal_class": "normal",
              "review_threshold": 0.41, "urgent_threshold": 0.8, "warnings": []}


def _run(runtime, metrics: dict) -> int:
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics=metrics,
                                     parameters=PARAMETERS, status="succeeded"))
        uow.commit()
        return run.id


def _html_text(runtime, run_id: int) -> str:
    page = export_report(reports.build_report(runtime, run_id), "html").decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", page, flags=re.S)))
                    .split())


@pytest.fixture(scope="module")
def runtime(tmp_path_factory):
    return make_runtime(tmp_path_factory.mktemp("exports") / "var")


def test_a_model_that_does_not_beat_the_pixel_baseline_is_cautioned_and_the_notice_shown_once(runtime):
    """The pixel baseline's AUC (1.000) beat the model's (0.994); the report showed 'auc_vs_baseline -0.006' raw,
    said nothing of it, and printed the decision-support notice three times."""
    text = _html_text(runtime, _run(runtime, METRICS))
    assert ("Cautions Caution: The model does not beat a simple baseline: its validation AUC is 0.994, against "
            "1.000 for a logistic regression on downsampled pixels fitted on the same training and validation "
            "images (model − baseline = −0.006). On 60 validation images the two cannot be told apart reliably.") \
        in text
    assert text.count(triage.DISCLAIMER) == 1
    ahead = _html_text(runtime, _run(runtime, {**METRICS, "val_auc": 0.99, "baseline_auc": 0.95}))
    assert "does not beat" not in ahead and "Cautions" not in ahead and ahead.count(triage.DISCLAIMER) == 1


def test_the_baseline_caution_and_where_the_weak_model_warning_takes_over():
    assert quality.baseline_caution(0.994, 1.0, 300).endswith("before relying on its worklist order.")
    assert "cannot be told apart" not in quality.baseline_caution(0.994, 1.0, 300)
    assert quality.baseline_caution(0.95, 0.95) is not None  # a tie does not beat it either
    assert quality.baseline_caution(0.951, 0.95) is None and quality.baseline_caution(0.9, None) is None
    assert quality.baseline_caution(0.90, 0.96) is None  # beyond the margin: weak_model_caution speaks
    warnings = triage_warnings.weak_model_warnings(METRICS, 10, 64)
    assert len(warnings) == 1 and warnings[0].startswith("The model does not beat a simple baseline")
    stored = {**PARAMETERS, "warnings": warnings}  # a run that keeps it among its warnings: said once
    run = type("Run", (), {"metrics": METRICS, "parameters": stored})()
    assert [c[:50] for c in triage_report.report_cautions(run)] == [
        "Caution: The model does not beat a simple baseline"]


def test_the_reviewed_set_manifest_keeps_the_file_name_verdict_note_and_reviewer(runtime):
    """The ZIP held normal/st-….png and a manifest of file,label only: test_316.png, the verdict, the note and the
    reviewer were lost."""
    run_id = _run(runtime, METRICS)
    pictures = sample_images(2, split="test")
    frame = pd.DataFrame({"record_key": ["st-aaaa", "st-bbbb", "st-cccc"],
                          "file": ["test_316.png", "=cmd.png", "test_9.png"],
                          "p_abnormal": [0.9995704889297485, 0.2, 0.1],
                          "priority": ["urgent", "routine", "routine"], "predicted_class": ["pneumonia", "normal",
                                                                                          "normal"],
                          "rank": [1, 2, 3], "reason": ["", "", "test_9.png: a colour image, while the model …"]})
    images = dict(zip(frame["record_key"], [pictures["pneumonia"][0], *pictures["normal"]]))
    triage._store_worklist(runtime, run_id, "b0b0b0", frame, images, {}, ("normal", "pneumonia"), user="ana")
    triage_review.record_review(runtime, run_id, "b0b0b0", "st-aaaa", "disagree", user="rita", note="old scar")
    triage_review.record_review(runtime, run_id, "b0b0b0", "st-bbbb", "agree", user="omar", note="=1+1")
    archive = zipfile.ZipFile(io.BytesIO(triage_review.export_labelled_set(runtime, run_id, "b0b0b0", user="rita")))
    manifest = pd.read_csv(archive.open("manifest.csv"), keep_default_na=False)
    assert list(manifest.columns) == ["file", "label", "original_file", "verdict", "note", "reviewer", "p_abnormal",
                                      "priority"]
    assert manifest.drop(columns="file").to_dict("records") == [
        {"label": "normal", "original_file": "test_316.png", "verdict": "disagree", "note": "old scar",
         "reviewer": "rita", "p_abnormal": 0.99957, "priority": "urgent"},
        {"label": "normal", "original_file": "'=cmd.png", "verdict": "agree", "note": "'=1+1", "reviewer": "omar",
         "p_abnormal": 0.2, "priority": "routine"}]
    assert list(manifest["file"]) == ["normal/st-aaaa.png", "normal/st-bbbb.png"]  # still what training reads
    assert b"0.999570," in archive.read("manifest.csv")  # 6 decimals, as the worklist CSV (full float precision)
    assert all(name in archive.namelist() for name in manifest["file"])
    worklist = pd.read_csv(io.BytesIO(triage_review.export_worklist_csv(runtime, run_id, "b0b0b0", user="rita")),
                           encoding="utf-8-sig", keep_default_na=False)
    assert list(worklist["reason"]) == ["", "", "test_9.png: a colour image, while the model …"]  # the caution too
