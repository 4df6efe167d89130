"""The CLI runs the same use cases as the pages, against the configured state folder."""
import json

import pytest

import cli
from tests.support import classification_frame


def _run(capsys, *argv):
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_train_list_and_report(settings_env, tmp_path, capsys):
    path = tmp_path / "loans.csv"
    classification_frame(90).to_csv(path, index=False)
    code, out, _ = _run(capsys, "data", "import", "--file", str(path), "--name", "loans", "--json")
    payload = json.loads(out)
    assert code == 0 and payload["rows"] == 90 and payload["roles"]["default"] == "target"

    code, out, err = _run(capsys, "baseline", "train", "--dataset", "loans", "--target", "default", "--folds", "3",
                          "--trees", "10", "--json")
    result = json.loads(out)
    assert code == 0 and result["run_id"] >= 1 and 0.0 <= result["roc_auc"] <= 1.0

    code, out, _ = _run(capsys, "runs", "list", "--json")
    listed = json.loads(out)
    assert [r["run_id"] for r in listed] == [result["run_id"]] and set(listed[0]) >= {"model", "promoted"}
    code, out, _ = _run(capsys, "jobs", "list", "--json")
    assert json.loads(out)[0]["status"] == "succeeded"

    report = tmp_path / "run.html"
    code, out, _ = _run(capsys, "report", "--run", str(result["run_id"]), "--format", "html", "--out", str(report))
    assert code == 0 and report.read_bytes().lstrip().lower().startswith(b"<!doctype html")


def test_bad_file_exits_non_zero_with_the_problems(settings_env, tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    code, out, err = _run(capsys, "data", "import", "--file", str(path))
    assert code == 2 and "nothing was stored" in err and "The file is empty" in err


def test_unknown_dataset_is_a_clear_error(settings_env, capsys):
    code, _, err = _run(capsys, "baseline", "train", "--dataset", "missing", "--target", "y")
    assert code == 2 and "No dataset 'missing'" in err


def test_missing_file_is_a_clear_error(settings_env, tmp_path, capsys):
    code, out, err = _run(capsys, "data", "import", "--file", str(tmp_path / "nope.csv"))
    assert code == 2 and "error: no file" in err and out == ""


@pytest.mark.parametrize("argv", [
    ("data", "import", "--file", "{empty}"),
    ("finance", "train", "--data", "{loans}", "--target", "nope"),
    ("finance", "score", "--run", "99", "--data", "{loans}", "--out", "{out}"),
    ("maintenance", "train", "--data", "{missing}", "--target", "failure"),
    ("retail", "forecast", "--data", "{missing}", "--date", "date", "--target", "sales", "--series", "store",
     "--horizon", "7", "--out", "{out}"),
])
def test_json_errors_are_one_json_object_on_stdout_too(settings_env, tmp_path, capsys, argv):
    """A script reading --json output gets {"error": …} on stdout, not an empty stream; stderr still says it."""
    (tmp_path / "empty.csv").write_bytes(b"")
    classification_frame(60).to_csv(tmp_path / "loans.csv", index=False)
    paths = {"empty": tmp_path / "empty.csv", "loans": tmp_path / "loans.csv", "out": tmp_path / "scored.csv",
             "missing": tmp_path / "nope.csv"}
    code, out, err = _run(capsys, *[a.format(**paths) for a in argv], "--json")
    payload = json.loads(out)
    assert code == 2 and payload["error"] and err.startswith(f"error: {payload['error']}")
    if argv[1] == "import":
        assert "The file is empty" in " ".join(p["problem"] for p in payload["problems"])


def test_report_format_follows_the_out_name_and_a_mismatch_writes_nothing(settings_env, tmp_path, capsys):
    path = tmp_path / "loans.csv"
    classification_frame(90).to_csv(path, index=False)
    _run(capsys, "data", "import", "--file", str(path), "--name", "loans")
    _run(capsys, "baseline", "train", "--dataset", "loans", "--target", "default", "--folds", "3", "--trees", "10")
    code, _, err = _run(capsys, "report", "--run", "1", "--format", "html", "--out", str(tmp_path / "r.pdf"))
    assert code == 2 and "does not match" in err and not (tmp_path / "r.pdf").exists()
    code, _, err = _run(capsys, "report", "--run", "1", "--out", str(tmp_path / "r.txt"))
    assert code == 2 and "give --format" in err and not (tmp_path / "r.txt").exists()
    code, out, _ = _run(capsys, "report", "--run", "1", "--out", str(tmp_path / "r.PDF"), "--json")
    assert code == 0 and json.loads(out)["format"] == "pdf" and (tmp_path / "r.PDF").read_bytes().startswith(b"%PDF")
    deep = tmp_path / "new" / "sub" / "r.html"  # a folder not made yet: made, as the desks' --out (a traceback,
    code, out, _ = _run(capsys, "report", "--run", "1", "--out", str(deep), "--json")  # and a report stored unwritten)
    assert code == 0 and deep.read_bytes().startswith(b"<!DOCTYPE") and not list(deep.parent.glob("*.part"))
    (tmp_path / "blocked").write_text("a file")  # a place that cannot be written: refused before anything is stored
    code, _, err = _run(capsys, "report", "--run", "1", "--out", str(tmp_path / "blocked" / "r.html"))
    assert code == 2 and "is a file, not a folder" in err
