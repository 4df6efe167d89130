"""The run report of a triage run whose cut-off was moved after training ("Apply to this run") states the cut-off in
force, its validation figures (text, tables, ROC point, confusion matrix) and when and from what it was moved, in
words, in every export format. It had kept the trained cut-off's figures and listed `moved_cutoff` as a raw dump."""
from __future__ import annotations

import html
import io
import json
import re
import zipfile
import zlib
from types import SimpleNamespace

import numpy as np
import openpyxl
import pandas as pd
import pytest

from data.records import RunRecord
from ml import artifacts
from reports import export_docx, export_pdf, export_xlsx
from reports.document import ReportSection, RunReport
from reports.exporters import export_report
from services import reports, triage_cutoff, triage_format, triage_training
from tests.support import make_runtime


def _trained():
    rng = np.random.default_rng(0)
    label = np.array(["pneumonia"] * 150 + ["normal"] * 150)
    p = np.clip(np.where(label == "pneumonia", rng.normal(0.7, 0.15, 300), rng.normal(0.35, 0.15, 300)), 0.001, 0.999)
    task = SimpleNamespace(classes_=["normal", "pneumonia"], history_=[],
                           validation_=pd.DataFrame({"p_normal": 1 - p, "p_pneumonia": p, "label": label}))
    return triage_training.evaluate(task, "pneumonia", "normal", 0.8, None)


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """A stored run trained for a target sensitivity of 0.80 whose cut-off was moved to 0.98."""
    runtime = make_runtime(tmp_path_factory.mktemp("moved") / "var")
    trained = _trained()
    folder = runtime.artifacts_dir / "triage_moved"
    folder.mkdir(parents=True)
    (folder / triage_training.EVALUATION_FILE).write_text(json.dumps(trained.details))
    artifacts.write_metadata(folder, task="cnn_image_classifier", parameters={}, feature_names=[])
    metrics = {**trained.metrics, "test_sensitivity": 0.9, "test_specificity": 0.8, "test_images": 40}
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id, metrics=metrics,
                                     artifact_dir=folder.name, status="succeeded", parameters={
                                         "classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia",
                                         "normal_class": "normal", "target_sensitivity": 0.8,
                                         "review_threshold": trained.rule.review_threshold,
                                         "urgent_threshold": trained.rule.urgent_threshold}))
        uow.commit()
        run_id = run.id
    cut = triage_cutoff.move_cutoff(runtime, run_id, 0.98, user="ana")
    return SimpleNamespace(runtime=runtime, run_id=run_id, trained=trained, cut=cut,
                           report=reports.build_report(runtime, run_id))


def _validation(report: RunReport) -> ReportSection:
    return next(s for s in report.sections if s.heading == "Validation")


def test_the_report_states_the_cut_off_in_force_its_figures_and_the_move_in_words(moved):
    cut, trained, report = moved.cut, moved.trained, moved.report
    section = _validation(report)
    review, urgent = (triage_format.probability(c) for c in (cut.review_threshold, cut.urgent_threshold))
    was = triage_format.probability(trained.rule.review_threshold)
    assert review != was and cut.sensitivity >= 0.98 > trained.metrics["sensitivity"]
    assert (f"Operating point {review} in force, chosen again on the validation scores for a target sensitivity of "
            f"0.98: sensitivity {cut.sensitivity:.3f}, specificity {cut.specificity:.3f}; urgent from p ≥ {urgent}."
            ) in section.text
    assert re.search(rf"Cut-off moved on \d{{4}}-\d\d-\d\d \d\d:\d\d UTC by ana from the trained one \(target "
                     rf"sensitivity 0\.80: review from p ≥ {was}, urgent from p ≥ [0-9.]+\) to a target sensitivity "
                     rf"of 0\.98 \(review from p ≥ {review}, urgent from p ≥ {urgent}\)\.", section.text), section.text
    assert "Test figures were measured at the trained cut-off" in section.text
    settings, figures = (dict(zip(*frame.iloc[:, :2].T.values)) for _, frame in section.tables)
    assert settings["Cut-off moved after training"].endswith(f"by ana: review from p ≥ {review}, urgent from p ≥ "
                                                             f"{urgent}, for a target sensitivity of 0.98")
    assert (figures["Sensitivity"], figures["Specificity"]) == (f"{cut.sensitivity:.3f}", f"{cut.specificity:.3f}")
    assert float(figures["Review cut-off (operating point)"]) == pytest.approx(cut.review_threshold, abs=1e-3)
    assert "Test sensitivity (at the trained cut-off)" in figures
    assert not any("moved" in str(k).lower() or "moved" in str(v) for k, v in report.parameters.items())
    assert "Sensitivity" not in report.metrics  # the trained cut-off's, in the Metrics table of stored figures


def test_the_roc_point_and_confusion_matrix_are_at_the_cut_off_in_force(moved):
    roc, *_, matrix = _validation(moved.report).figures
    point = [trace for trace in roc.data if len(trace.x) == 1][0]
    assert (point.x[0], point.y[0]) == pytest.approx((1 - moved.cut.specificity, moved.cut.sensitivity))
    (tn, fp), (fn, tp) = np.array(matrix.data[0].z)
    assert tp / (tp + fn) == pytest.approx(moved.cut.sensitivity) and tn / (tn + fp) == pytest.approx(
        moved.cut.specificity)


def test_every_export_format_carries_the_move(moved, monkeypatch):
    monkeypatch.setattr(export_pdf, "find_unicode_fonts", lambda: None)  # core fonts: text readable in the stream
    for exporter in (export_pdf, export_docx, export_xlsx):  # charts are not the point here
        monkeypatch.setattr(exporter, "try_figure_to_png", lambda figure, **_: None)
    said = "from the trained one (target sensitivity 0.80"
    page = export_report(moved.report, "html").decode()
    assert said in html.unescape(page) and "moved_cutoff" not in page
    book = openpyxl.load_workbook(io.BytesIO(export_report(moved.report, "xlsx")))
    cells = " ".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    assert said in cells and "Cut-off moved after training" in cells and "moved_cutoff" not in cells
    with zipfile.ZipFile(io.BytesIO(export_report(moved.report, "docx"))) as docx:
        body = docx.read("word/document.xml").decode()
    assert said in html.unescape(body) and "moved_cutoff" not in body
    streams = re.findall(rb"stream\r?\n(.*?)\r?\nendstream", export_report(moved.report, "pdf"), flags=re.S)
    text = b"".join(_inflated(s) for s in streams)
    assert b"Cut-off moved after training" in text and b"moved_cutoff" not in text


def _inflated(stream: bytes) -> bytes:
    try:
        return zlib.decompress(stream)
    except zlib.error:
        return b""



def test_the_few_abnormal_images_caution_is_worked_out_again_at_a_moved_cut_off():
    """After a move to 0.70 the page and report still warned "… as low as 0.80 (95 % lower bound) against the 0.95
    target" beside text saying 0.70 was in force."""
    import dataclasses

    from domain import triage_quality as quality
    from services.results import RunInfo
    from services.triage_report_cutoff import warnings_in_force

    stale = quality.operating_point_caution(0.95, 0.95, 20)
    assert stale and "against the 0.95 target" in stale
    validation = {"p_abnormal": [0.9] * 20 + [0.1] * 20, "abnormal": [True] * 20 + [False] * 20}
    parameters = {"warnings": ["Two files were copies.", stale]}
    run = RunInfo(id=1, desk="triage", task="cnn_image_classifier", dataset_id=None, parameters=parameters,
                  metrics={}, status="succeeded", artifact_dir=None, champion=False, created_at=None)
    assert warnings_in_force(run, {"validation": validation}) == parameters["warnings"]  # nothing moved: as stored
    moved = {**parameters, "moved_cutoff": {"target_sensitivity": 0.7, "sensitivity": 0.7, "specificity": 0.9,
                                            "review_threshold": 0.5, "urgent_threshold": 0.95}}  # a review band
    now = warnings_in_force(dataclasses.replace(run, parameters=moved), {"validation": validation})
    assert now[0] == "Two files were copies." and not any("0.95 target" in w for w in now)
    assert now[1:] == [c for c in [quality.operating_point_caution(0.7, 0.7, 20)] if c]
