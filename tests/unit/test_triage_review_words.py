"""`triage review --decision agree` on an unreadable study: it had printed 'label: None' and the audit read
'label=None'. Stored run and worklist: no training needed."""
from __future__ import annotations

import json

import pandas as pd

import cli
from commands.common import runtime
from data.records import RunRecord
from services import triage

PARAMETERS = {"classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia", "normal_class": "normal",
              "review_threshold": 0.5, "urgent_threshold": 0.9, "warnings": []}


def _stored(row: dict | None = None) -> int:
    rt = runtime()
    with rt.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id,
                                     metrics={"threshold": 0.5}, parameters=PARAMETERS, status="succeeded"))
        uow.commit()
        run_id = run.id
    frame = pd.DataFrame({"record_key": ["st-x"], "file": ["broken.png"], "p_abnormal": [float("nan")],
                          "priority": ["needs manual read"], "predicted_class": [None], "rank": [1],
                          "reason": ["broken.png: not a readable image"]}) if row is None else pd.DataFrame(row)
    triage._store_worklist(rt, run_id, "aaaaaaaaaaaa", frame, {}, {}, ("normal", "pneumonia"), user="ana")
    return run_id


def test_agree_on_an_unreadable_study_says_in_words_that_no_label_follows(settings_env, capsys):
    run_id = _stored()
    code = cli.main(["triage", "review", "--run", str(run_id), "--study", "broken.png", "--decision", "agree",
                     "--reviewer", "dr.lee"])
    out = capsys.readouterr().out
    assert code == 0 and "label: None" not in out
    assert "label: none: no class follows from the verdict (the study has no predicted class" in out
    assert cli.main(["triage", "review", "--run", str(run_id), "--study", "st-x", "--decision", "agree",
                     "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["label"] is None  # --json keeps null for scripts
    assert cli.main(["triage", "audit", "--run", str(run_id), "--json"]) == 0
    details = [e["detail"] for e in json.loads(capsys.readouterr().out)["events"] if e["action"] == "review study"]
    assert details == ["worklist=aaaaaaaaaaaa, file=broken.png, verdict=agree, label=none (no class follows from the "
                       "verdict)"] * 2


def test_a_verdict_without_a_label_on_a_scored_study_needing_a_manual_read_is_refused_from_the_cli(settings_env,
                                                                                                   capsys):
    """Agree had stored the model's class as the label of a study to be read as if unscored, and disagree (two
    classes) the other class, though the reviewer had said nothing of the class."""
    run_id = _stored({"record_key": ["st-mr"], "file": ["mr.dcm"], "p_abnormal": [0.8], "rank": [1],
                      "priority": ["needs manual read"], "predicted_class": ["pneumonia"],
                      "reason": ["unlike the images the model was trained on: read it as if unscored"]})
    review = ["triage", "review", "--run", str(run_id), "--study", "st-mr", "--decision", "agree"]
    assert cli.main(review) != 0
    assert "so the model's class 'pneumonia' is no reading to agree with: give the correct label" in \
        capsys.readouterr().err
    assert cli.main(review + ["--label", "normal"]) != 0  # agree with another class still contradicts itself
    capsys.readouterr()
    disagree = ["triage", "review", "--run", str(run_id), "--study", "st-mr", "--decision", "disagree"]
    assert cli.main(disagree) != 0  # it had filed the other class, 'normal', as the label
    assert "so the model's class 'pneumonia' is no reading to disagree with: give the correct label" in \
        capsys.readouterr().err
    assert cli.main(disagree + ["--label", "normal"]) == 0
    assert "label: normal" in capsys.readouterr().out
