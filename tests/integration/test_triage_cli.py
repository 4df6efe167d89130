"""`cli.py triage train|score` exactly as an automating user calls them."""
import csv
import json
import shutil

import numpy as np
import pytest

from sqlalchemy import select

import cli
from commands.common import runtime
from data.records import JobRecord, RunRecord
from services.jobs import NOT_STORED
from tests.triage_support import DICOM_SAMPLES, png_bytes, write_class_folders, zip_tree

pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _rows(path):
    with open(path, newline="") as handle:
        return list(csv.reader(handle))


def test_train_json_then_score_csv(settings_env, tmp_path, capsys):
    archive = tmp_path / "set.zip"
    archive.write_bytes(zip_tree(write_class_folders(tmp_path / "set", per_class=5, classes={"normal": "NORMAL"})))
    code, out, err = _run(capsys, "triage", "train", "--images", archive, "--size", 28, "--epochs", 1, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["run_id"] == 1 and result["classes"] == ["NORMAL", "pneumonia"]
    assert result["abnormal_class"] == "pneumonia"
    for key in ("val_auc", "val_accuracy", "sensitivity", "specificity", "threshold"):
        assert 0.0 <= result[key] <= 1.0, key
    new = tmp_path / "new"
    shutil.copytree(tmp_path / "set" / "pneumonia", new)
    (new / "corrupt.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    shutil.copy(next(new.glob("*.png")), new / "=HYPERLINK(1).png")  # a file name a spreadsheet would run
    out_csv = tmp_path / "worklist.csv"
    code, out, err = _run(capsys, "triage", "score", "--run", 1, "--images", new, "--out", out_csv)
    assert code == 0, err
    rows = _rows(out_csv)
    assert rows[0] == ["file", "p_abnormal", "priority"] and len(rows) == 8
    assert rows[1] == ["corrupt.png", "", "needs manual read"]
    reasoned = tmp_path / "reasons.csv"
    assert _run(capsys, "triage", "score", "--run", 1, "--images", new, "--out", reasoned, "--reasons")[0] == 0
    with_reasons = _rows(reasoned)
    assert with_reasons[0] == ["file", "p_abnormal", "priority", "reason"]
    assert with_reasons[1][3].startswith("corrupt.png: not a readable image")  # why, in the CSV itself
    assert all(r[3] == "" for r in with_reasons[2:]) and [r[:3] for r in with_reasons] == rows
    assert "'=HYPERLINK(1).png" in [r[0] for r in rows] and "=HYPERLINK(1).png" not in [r[0] for r in rows]
    probabilities = [float(r[1]) for r in rows[2:]]
    assert probabilities == sorted(probabilities, reverse=True) and all(0 <= p <= 1 for p in probabilities)
    assert {r[2] for r in rows[2:]} <= {"urgent", "review", "routine"}
    assert "Decision support only" in err and "corrupt.png: not a readable image" in err
    report = tmp_path / "run.html"
    code, _, err = _run(capsys, "report", "--run", 1, "--format", "html", "--out", report)
    assert code == 0, err
    html = report.read_text()
    assert "Decision support only" in html and "Validation ROC" in html


def test_three_classes_add_predicted_class(settings_env, tmp_path, capsys):
    root = write_class_folders(tmp_path / "Doe_Jane_MRN123456", per_class=4)
    other = root / "effusion"
    other.mkdir()
    for i in range(4):
        (other / f"e{i}.png").write_bytes(png_bytes((np.arange(784).reshape(28, 28) % 50 + 40 * i).astype(np.uint8)))
    code, out, err = _run(capsys, "triage", "train", "--images", root, "--size", 28, "--epochs", 1, "--json")
    assert code == 0, err
    trained = json.loads(out)  # abnormal_class null alone did not say effusion and pneumonia are both positive
    assert trained["positive_classes"] == ["effusion", "pneumonia"] and trained["normal_classes"] == ["normal"]
    assert ("note: Positive (abnormal): 'effusion' and 'pneumonia' (every class but the normal one); normal: "
            "'normal'.") in err
    out_csv = tmp_path / "w.csv"
    code, _, err = _run(capsys, "triage", "score", "--run", json.loads(out)["run_id"], "--images",
                        DICOM_SAMPLES / "MR_small.dcm", "--out", out_csv)
    rows = _rows(out_csv)
    assert code == 0 and rows[0] == ["file", "p_abnormal", "priority", "predicted_class"]
    assert rows[1][0] == "MR_small.dcm" and rows[1][3] in {"normal", "pneumonia", "effusion"}
    assert rows[1][2] == "needs manual read" and rows[1][1] != ""  # an MR for a PNG-trained model: scored, cautioned
    assert err.count("modality MR") == 1 and "caution: MR_small.dcm: modality MR" in err  # said once, not twice
    # A folder named after a patient reaches neither the jobs table nor the run (other users list both).
    with runtime().uow() as uow:
        job = uow.session.scalars(select(JobRecord).where(JobRecord.kind == "triage.train")).one()
        run = uow.session.get(RunRecord, job.run_id)
        stored = json.dumps([job.parameters, job.message, run.parameters, run.metrics])
        assert job.parameters["images"] == NOT_STORED and job.parameters["size"] == 28
    assert "MRN123456" not in stored
    report = tmp_path / "run.html"  # the report says which labels were positive, as the run keeps it
    code, _, err = _run(capsys, "report", "--run", trained["run_id"], "--format", "html", "--out", report)
    assert code == 0 and "Positive (abnormal): &#x27;effusion&#x27; and &#x27;pneumonia&#x27;" in report.read_text()


def test_one_class_and_missing_inputs_exit_2(settings_env, tmp_path, capsys):
    root = write_class_folders(tmp_path / "set", per_class=3, classes={"pneumonia": "normal"})
    code, out, err = _run(capsys, "triage", "train", "--images", root, "--size", 28, "--epochs", 1)
    assert code == 2 and "error: The training set has a single class (normal)" in err
    code, _, err = _run(capsys, "triage", "score", "--run", 99, "--images", root, "--out", tmp_path / "x.csv")
    assert code == 2 and "error: No run 99" in err and not (tmp_path / "x.csv").exists()
    code, _, err = _run(capsys, "triage", "train", "--images", tmp_path / "nope", "--size", 300)
    assert code == 2 and "error:" in err
    for flag, value, message in (("--seed", -5, "seed must be 0 or more"), ("--max-minutes", -1, "more than 0")):
        code, _, err = _run(capsys, "triage", "train", "--images", root, "--size", 28, flag, value)
        assert code == 2 and message in err, err


def test_review_a_study_and_read_the_runs_audit_trail(settings_env, tmp_path, capsys):
    """The page records reviews and shows the audit trail; the CLI had neither."""
    root = write_class_folders(tmp_path / "set", per_class=5)
    code, out, err = _run(capsys, "triage", "train", "--images", root, "--size", 28, "--epochs", 1, "--json")
    assert code == 0, err
    run_id = json.loads(out)["run_id"]
    new = write_class_folders(tmp_path / "new", per_class=2, source="test")
    code, out, err = _run(capsys, "triage", "score", "--run", run_id, "--images", new, "--out", tmp_path / "w.csv",
                          "--json")
    assert code == 0, err
    batch = json.loads(out)["worklist"]
    code, out, err = _run(capsys, "triage", "review", "--run", run_id, "--study", "normal/n00.png", "--decision",
                          "Agree", "--reviewer", "dr.lee", "--note", "clear", "--json")
    assert code == 0, err
    saved = json.loads(out)
    assert saved["worklist"] == batch and saved["decision"] == "agree" and saved["reviewer"] == "dr.lee"
    assert saved["study"].startswith("st-") and saved["label"] in {"normal", "pneumonia"}
    other = "normal" if saved["label"] == "pneumonia" else "pneumonia"  # disagree gives a class other than predicted
    code, out, err = _run(capsys, "triage", "review", "--run", run_id, "--study", saved["study"], "--decision",
                          "disagree", "--label", saved["label"], "--worklist", batch)
    assert code == 2 and "contradicts itself" in err, err
    code, out, err = _run(capsys, "triage", "review", "--run", run_id, "--study", saved["study"], "--decision",
                          "disagree", "--label", other, "--worklist", batch, "--json")
    assert code == 0 and json.loads(out)["label"] == other, err
    for argv, message in (
            (("--run", 99, "--study", "x", "--decision", "agree"), "error: No run 99."),
            (("--run", run_id, "--study", "nope.png", "--decision", "agree"), "error: No study 'nope.png' in the "
                                                                              "worklists of run"),
            (("--run", run_id, "--study", "normal/n00.png", "--decision", "maybe"), "error: Unknown decision 'maybe'"),
            (("--run", run_id, "--study", "normal/n00.png", "--decision", "agree", "--label", "cat"),
             "error: Label 'cat' is not one of the classes: normal, pneumonia."),
            (("--run", run_id, "--study", "normal/n00.png", "--decision", "agree", "--worklist", "abc"),
             f"error: No worklist 'abc' for run {run_id}; its worklists: {batch}.")):
        code, _, err = _run(capsys, "triage", "review", *argv)
        assert code == 2 and message in err, err
    code, out, err = _run(capsys, "triage", "audit", "--run", run_id, "--json")
    assert code == 0, err
    events = json.loads(out)["events"]
    assert [e["action"] for e in events] == ["train run", "score worklist", "review study", "review study"]
    assert events[2]["actor"] == "dr.lee" and events[3]["actor"] == events[0]["actor"] != "dr.lee"
    assert events[2]["study"] == saved["study"] and events[0]["study"] == ""
    assert events[3]["detail"] == f"worklist={batch}, file=normal/n00.png, verdict=disagree, label={other}"
    assert events[1]["detail"].startswith(f"worklist={batch}, studies=4")
    assert [e["time"] for e in events] == sorted(e["time"] for e in events)
    code, _, err = _run(capsys, "triage", "audit", "--run", run_id, "--out", tmp_path / "audit.csv")
    rows = _rows(tmp_path / "audit.csv")
    assert code == 0 and rows[0] == ["time", "actor", "action", "study", "detail"] and len(rows) == 5, err
    code, _, err = _run(capsys, "triage", "audit", "--run", 99)
    assert code == 2 and "error: No run 99." in err


def test_patient_folders_held_out_whole_are_said_once(settings_env, tmp_path, capsys):
    """The run's note says how validation grouped; a second line had said it again as 'sub-folders', also when the
    grouping came from a manifest's patient column and there were no sub-folders."""
    root = tmp_path / "set"
    for k, label in enumerate(("normal", "pneumonia")):
        for p in range(6):
            folder = root / label / f"patient{p}"
            folder.mkdir(parents=True)
            for i in range(2):
                pixels = (np.arange(784).reshape(28, 28) % 50 + 90 * k + 7 * p + i).astype(np.uint8)
                (folder / f"img{i}.png").write_bytes(png_bytes(pixels))
    code, out, err = _run(capsys, "triage", "train", "--images", root, "--size", 28, "--epochs", 1)
    assert code == 0, err
    assert err.count("held out whole") == 1 and "note: Validation: " in err and "sub-folders" not in err, err
