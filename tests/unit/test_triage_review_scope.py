"""Browser-QA findings on triage reviews: a saved review is shown again (verdict, label, note, who and when) and the
worklist CSV carries it; a review belongs to the worklist it was made in (a byte-identical file ranked again showed
the old verdict as its own); an empty reviewed set says why. Stored runs and worklists: no training needed."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from data.records import RunRecord
from services import triage, triage_review, triage_verdicts
from services.errors import UserFacingError
from tests.support import make_runtime

PARAMETERS = {"classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia", "normal_class": "normal",
              "review_threshold": 0.5, "urgent_threshold": 0.9, "warnings": []}


def _store(runtime, run_id: int, batch: str, rows: list[tuple[str, str, float | None]]) -> None:
    """Worklist ``batch`` of (key, file, p_abnormal); a PNG for each scored study (an unreadable one has none)."""
    frame = pd.DataFrame({"record_key": [k for k, _, _ in rows], "file": [f for _, f, _ in rows],
                          "p_abnormal": [p if p is not None else float("nan") for _, _, p in rows],
                          "priority": ["review" if p is not None else "needs manual read" for _, _, p in rows],
                          "predicted_class": ["pneumonia" if p is not None else None for _, _, p in rows],
                          "rank": range(1, len(rows) + 1), "reason": ["" if p is not None else "unreadable"
                                                                      for _, _, p in rows]})
    triage._store_worklist(runtime, run_id, batch, frame, {}, {}, ("normal", "pneumonia"), user="ana")
    folder = triage.worklist_dir(runtime, batch)
    for key, _, p in rows:
        if p is not None:
            (folder / f"{key}.png").write_bytes(b"\x89PNG")


@pytest.fixture()
def stored(tmp_path):
    runtime = make_runtime(tmp_path / "var")
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id,
                                     metrics={"threshold": 0.5}, parameters=PARAMETERS, status="succeeded"))
        uow.commit()
        run_id = run.id
    _store(runtime, run_id, "aaaaaaaaaaaa", [("st-same", "chest.png", 0.7), ("st-x", "broken.png", None)])
    return runtime, run_id


def test_a_saved_review_is_shown_again_and_the_worklist_csv_carries_its_note_reviewer_and_time(stored):
    runtime, run_id = stored
    triage_review.record_review(runtime, run_id, "aaaaaaaaaaaa", "st-same", "agree", user="rita", note="left base")
    row = triage_review.worklist(runtime, run_id, "aaaaaaaaaaaa", user="ana", record_view=False).iloc[0]
    assert (row["verdict"], row["reviewed_label"], row["note"], row["reviewer"]) == (
        "agree", "pneumonia", "left base", "rita")
    assert row["reviewed_at"].endswith(" UTC") and row["reviewed_at"][:2] == "20" and row["earlier_review"] == ""
    body = triage_review.export_worklist_csv(runtime, run_id, "aaaaaaaaaaaa", user="ana")
    table = pd.read_csv(io.BytesIO(body), encoding="utf-8-sig", keep_default_na=False)
    assert list(table.columns) == ["rank", "file", "p_abnormal", "priority", "predicted_class", "verdict",
                                   "reviewed_label", "note", "reviewer", "reviewed_at", "reason", "notice"]
    assert table.loc[0, ["verdict", "note", "reviewer", "reviewed_at"]].tolist() == [
        "agree", "left base", "rita", row["reviewed_at"]]


def test_a_review_belongs_to_its_worklist_and_a_byte_identical_study_elsewhere_is_marked(stored):
    """Marked 'disagree' in worklist A and ranked again in B: B showed 'disagree' though nobody reviewed it there."""
    runtime, run_id = stored
    triage_review.record_review(runtime, run_id, "aaaaaaaaaaaa", "st-same", "disagree", user="rita")
    _store(runtime, run_id, "bbbbbbbbbbbb", [("st-same", "chest copy.png", 0.7)])
    later = triage_review.worklist(runtime, run_id, "bbbbbbbbbbbb", user="ana", record_view=False).iloc[0]
    assert later["verdict"] is None and later["reviewed_label"] is None and later["note"] == ""
    assert later["earlier_review"].startswith("reviewed in worklist aaaaaaaaaaaa on 20")
    assert later["earlier_review"].endswith(" UTC by rita: disagree, label normal")
    with pytest.raises(UserFacingError, match="No study of this worklist is reviewed yet"):
        triage_review.export_labelled_set(runtime, run_id, "bbbbbbbbbbbb", user="ana")
    triage_review.record_review(runtime, run_id, "bbbbbbbbbbbb", "st-same", "agree", user="ana", note="fine")
    first = triage_review.worklist(runtime, run_id, "aaaaaaaaaaaa", user="ana", record_view=False).iloc[0]
    assert (first["verdict"], first["reviewer"], first["note"]) == ("disagree", "rita", "")  # not B's later agree
    assert first["earlier_review"] == ""  # reviewed here: the table shows its own verdict only
    again = triage_review.worklist(runtime, run_id, "bbbbbbbbbbbb", user="ana", record_view=False).iloc[0]
    assert (again["verdict"], again["note"], again["earlier_review"]) == ("agree", "fine", "")


def test_a_review_stores_its_worklist_and_one_stored_before_the_column_reads_it_from_its_audit_event(stored):
    runtime, run_id = stored
    _store(runtime, run_id, "bbbbbbbbbbbb", [("st-same", "chest copy.png", 0.7)])
    triage_review.record_review(runtime, run_id, "aaaaaaaaaaaa", "st-same", "disagree", user="rita")
    triage_review.record_review(runtime, run_id, "bbbbbbbbbbbb", "st-same", "agree", user="rita")
    with runtime.uow() as uow:
        assert [r.batch for r in uow.reviews.list(run_id)] == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]
        for record in uow.reviews.list(run_id):
            record.batch = None  # as stored before migration 0003
        uow.commit()
    with runtime.uow() as uow:
        found = triage_verdicts.study_reviews(uow, run_id)["st-same"]
    assert [(r.verdict, r.batch) for r in found] == [("disagree", "aaaaaaaaaaaa"), ("agree", "bbbbbbbbbbbb")]


def test_an_empty_reviewed_set_says_why_a_reviewed_study_cannot_go_in(stored):
    """A disagree on an unscored study was answered 'No reviewed study has a label yet: review studies first'."""
    runtime, run_id = stored
    triage_review.record_review(runtime, run_id, "aaaaaaaaaaaa", "st-x", "disagree", user="rita")
    with pytest.raises(UserFacingError) as refused:
        triage_review.export_labelled_set(runtime, run_id, "aaaaaaaaaaaa", user="ana")
    assert str(refused.value) == ("No reviewed study can go into the reviewed set: broken.png could not be read, so "
                                  "no picture of it is kept to export; read it in a viewer of your own.")
    assert triage_verdicts.export_refusal(["a.png", "b.png"], [True, True], [False, True]) == (
        "No reviewed study can go into the reviewed set: a.png has no label: a disagree that does not imply the "
        "class needs a 'Correct label' (save the review again with one).")


def test_the_form_shows_a_chosen_label_only_where_the_verdict_does_not_imply_it():
    classes = ["normal", "pneumonia", "effusion"]
    assert triage_verdicts.picked_label("agree", "pneumonia", "pneumonia", classes) is None
    assert triage_verdicts.picked_label("agree", "pneumonia", "effusion", classes) == "effusion"
    assert triage_verdicts.picked_label("disagree", "pneumonia", "normal", classes) == "normal"
    assert triage_verdicts.picked_label("disagree", "pneumonia", "normal", classes[:2]) is None
    assert triage_verdicts.picked_label(None, "pneumonia", None, classes) is None


def test_a_manual_read_studys_saved_label_is_shown_as_the_reviewers_own():
    """A study needing a manual read, saved with agree and its label: the form read "(from verdict)", and saving it
    again without picking the label again was refused."""
    classes = ["normal", "pneumonia"]
    manual = "needs manual read"
    assert triage_verdicts.picked_label("agree", "pneumonia", "pneumonia", classes, manual) == "pneumonia"
    assert triage_verdicts.picked_label("disagree", "pneumonia", "normal", classes, manual) == "normal"
    assert triage_verdicts.picked_label("agree", "pneumonia", "pneumonia", classes, "urgent") is None
