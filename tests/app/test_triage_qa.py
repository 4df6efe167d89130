"""AppTest: the triage page's cut-offs read with their own decimals, and the upload boxes name what they take."""
from __future__ import annotations

from types import SimpleNamespace

from tests.app.test_triage import _page

METRICS = {"val_auc": 0.991, "sensitivity": 0.95, "specificity": 0.9, "threshold": 0.878123,
           "urgent_threshold": 0.999999, "val_images": 40, "target_sensitivity": 0.95}


def test_cut_offs_read_with_their_own_decimals_and_upload_boxes_name_every_kind(app_env, monkeypatch):
    from services import triage_report, triage_review

    run = SimpleNamespace(id=7, parameters={"classes": ["normal", "pneumonia"]}, metrics=METRICS)
    monkeypatch.setattr(triage_review, "list_triage_runs", lambda runtime: [run])
    monkeypatch.setattr(triage_report, "evaluation_figures", lambda runtime, run: [])
    monkeypatch.setattr(triage_report, "evaluation", lambda runtime, run: None)
    monkeypatch.setattr(triage_report, "calibration_note", lambda run, evaluation: None)
    at = _page()
    assert not at.exception, at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Threshold"] == "0.878"  # was 0.878123: the urgent cut-off's 6 decimals
    caption = next(str(c.value) for c in at.caption if "Urgent from" in str(c.value))
    assert "Urgent from p ≥ 0.999999; review from p ≥ 0.878;" in caption, caption
    labels = [u.proto.label for u in at.get("file_uploader")]
    kinds = "PNG, JPEG, DICOM, TIFF, BMP, GIF or WebP"
    assert f"Training images: a ZIP of class folders ({kinds})" in labels, labels
    assert f"Studies to rank: a ZIP or images ({kinds})" in labels, labels  # said only PNG, JPEG, DICOM
    studies = next(u for u in at.get("file_uploader") if u.proto.label.startswith("Studies"))
    assert {t.lstrip(".") for t in studies.proto.type} >= {"zip", "png", "jpg", "dcm", "tif", "bmp", "gif", "webp"}


def test_a_class_choice_refusal_names_the_page_s_abnormal_class_field(app_env, tmp_path):
    """cat/ and dog/ cannot say which is abnormal: the page had told the analyst to use '--positive CLASS'. Refused
    when Train is pressed, before a job is queued (it had been refused by the job)."""
    import numpy as np

    from pages import components
    from tests.app.test_triage import _texts
    from tests.triage_support import png_bytes, zip_tree

    for label in ("cat", "dog"):
        (tmp_path / "set" / label).mkdir(parents=True)
        for i in range(4):
            pixels = np.full((28, 28), 40 * i + (label == "dog") * 20, np.uint8)
            (tmp_path / "set" / label / f"{i}.png").write_bytes(png_bytes(pixels))
    at = _page()
    at.file_uploader(key="triage.train_upload").upload("set.zip", zip_tree(tmp_path / "set"), "application/zip")
    at.run()
    at.button(key="triage.train").click()
    at.run()
    failed = _texts(at.error)
    assert failed.startswith("Nothing was queued for training. Cannot tell which class is normal among cat, dog"), \
        failed
    assert "Name the abnormal class (" in failed and "'Abnormal class' on th" in failed  # this page, once for_page
    assert "--positive CLASS (two classes)" not in failed  # read through for_page
    assert "triage.job" not in at.session_state
    assert at.text_input(key="triage.positive").label.startswith("Abnormal class")  # the field the message names
    components.get_job_manager().shutdown()
