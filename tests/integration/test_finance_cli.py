"""`cli.py finance train|score` on tiny seeded loan files: outputs, stored rows and every bad input."""
import json

import numpy as np
import pandas as pd
import pytest

import cli
from tests.support import classification_frame

TRAIN_KEYS = {"run_id", "oof_auc", "oof_cost_per_case", "cutoff", "gini", "ks", "pr_auc", "brier", "log_loss",
              "baseline_auc", "baseline_cost_per_case", "positive_label", "positive_label_rule"}


def _run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """One real training run shared by the scoring tests (training is the slow part)."""
    from settings import get_settings

    folder = tmp_path_factory.mktemp("finance")
    state = folder / "var"
    state.mkdir()
    data = folder / "loans.csv"
    classification_frame(160).to_csv(data, index=False)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DD_STATE_DIR", str(state))
        mp.delenv("DATABASE_URL", raising=False)
        mp.setenv("DD_DATABASE_URL", "")
        get_settings.cache_clear()
        code = cli.main(["finance", "train", "--data", str(data), "--target", "default", "--id", "applicant_id",
                         "--json"])
        assert code == 0
        yield folder
    get_settings.cache_clear()


def _state_in(folder, monkeypatch):
    """Settings pointed at a state folder (SQLite in it), read afresh."""
    from settings import get_settings

    monkeypatch.setenv("DD_STATE_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DD_DATABASE_URL", "")
    get_settings.cache_clear()


@pytest.fixture
def env(trained, monkeypatch):
    from settings import get_settings

    _state_in(trained / "var", monkeypatch)
    yield trained
    get_settings.cache_clear()


def _runtime():
    from commands.common import runtime

    return runtime()


def test_train_json_has_the_keys_and_stores_run_dataset_and_oof(env):
    from services import datasets, runs

    run = runs.list_runs(_runtime(), desk="finance")[0]
    assert TRAIN_KEYS - {"run_id"} <= set(run.metrics)
    assert run.metrics["positive_label"] == "bad" and 0.5 < run.metrics["oof_auc"] <= 1.0
    assert 0 <= run.metrics["cutoff"] <= 1 and run.metrics["oof_cost_per_case"] <= 0.3 * 5
    info = datasets.get_dataset(_runtime(), run.dataset_id)
    assert info.rows == 160 and len(info.sha256) == 64
    oof = runs.predictions_frame(_runtime(), run.id, kind="oof")
    assert len(oof) == 160 and oof["record_key"].iloc[0] == "A00000" and oof["pd"].between(0, 1).all()
    assert set(oof["decision"]) <= {"approve", "decline"} and set(oof["actual"]) == {"bad", "good"}


def test_train_prints_json_once(env, capsys):
    data = env / "loans.csv"
    code, out, err = _run(capsys, "finance", "train", "--data", data, "--target", "default", "--positive", "BAD",
                          "--json")
    payload = json.loads(out)
    assert code == 0 and TRAIN_KEYS <= set(payload)
    assert payload["positive_label"] == "bad" and payload["positive_label_rule"].startswith("given by the user")
    assert payload["id_column"] is None and "applicant_id" not in payload["features"]  # id-like: not a feature
    assert payload["champion"] in {"lightgbm", "logistic", "blend"} and 0 <= payload["blend_weight"] <= 1
    assert (payload["champion"] == "lightgbm") == (payload["blend_weight"] == 1.0)
    assert 0.5 < payload["lightgbm_auc"] <= 1 and "baseline_cv_cost_per_case" in payload


def test_score_writes_one_row_per_input_in_order_with_ids(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    new = classification_frame(40, seed=5).drop(columns=["default"]).iloc[::-1]
    new["unused"] = "x"
    path, out = env / "new.csv", env / "scored.csv"
    new.to_csv(path, index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out)
    scored = pd.read_csv(out)
    assert code == 0
    assert list(scored.columns) == ["applicant_id", "pd", "grade", "decision", "reason_1", "reason_2", "reason_3"]
    assert scored["applicant_id"].tolist() == new["applicant_id"].tolist()
    assert scored["pd"].between(0, 1).all() and set(scored["grade"]) <= set("ABCDEFG")
    cutoff = runs.get_run(_runtime(), run_id).metrics["cutoff"]
    assert (scored["decision"] == scored["pd"].gt(cutoff).map({True: "decline", False: "approve"})).all()
    from domain.finance import BASELINE_REASON

    named = scored["reason_1"].str.contains(r" (?:raised|lowered) the risk$")
    assert (named | ((scored["reason_1"] == BASELINE_REASON) & (scored["decision"] == "decline"))).all()
    declined = scored[scored["decision"] == "decline"]
    assert not declined[["reason_1", "reason_2", "reason_3"]].fillna("").apply(
        lambda c: c.str.contains("lowered")).any().any()  # a decline is explained by what raised the risk
    assert "Ignored 1 column(s) the model does not use: unused." in err
    stored = runs.predictions_frame(_runtime(), run_id, kind="score")
    assert len(stored) == 40 and stored["record_key"].tolist() == new["applicant_id"].tolist()


def test_a_blank_row_inside_the_file_keeps_its_place_in_the_output(env, capsys):
    """pandas reads a row of empty cells as a row: dropping it would shift every later applicant's score."""
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    new = classification_frame(5, seed=6).drop(columns=["default"])
    text = new.to_csv(index=False).splitlines()
    path, out = env / "with_blank.csv", env / "with_blank_scored.csv"
    path.write_text("\n".join([*text[:3], "," * (new.shape[1] - 1), *text[3:], "", ""]) + "\n")
    assert len(pd.read_csv(path)) == 6
    code, _, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out)
    scored = pd.read_csv(out, dtype={"applicant_id": str})
    assert code == 0 and len(scored) == 6, err
    assert scored["applicant_id"].fillna("").tolist() == [*new["applicant_id"].astype(str)[:2], "",
                                                          *new["applicant_id"].astype(str)[2:]]
    assert scored.loc[2, "decision"] == "decline" and scored.loc[2, "reason_1"].startswith("Not enough information")
    assert "Empty rows 3 were kept as rows with no values" in err


def test_one_applicant_is_scored_without_calling_the_population_shifted(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    path, out = env / "one.csv", env / "one_scored.csv"
    classification_frame(30, seed=9).drop(columns=["default"]).head(1).to_csv(path, index=False)
    code, stdout, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out, "--json")
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["score_psi_band"] == "too few rows" and summary["psi_not_stable"] == []
    assert "PSI of" not in err and any(n.startswith("Population stability (PSI) is not judged on 1 row(s)")
                                       for n in summary["notes"])


def test_score_xlsx_and_new_category_is_scored_with_a_note(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    new = classification_frame(12, seed=6).drop(columns=["default"])
    new.loc[0, "purpose"] = "spaceship"
    new.loc[1, "amount"] = 1e12                                              # a typo far outside training
    new.columns = [c.upper() if c == "purpose" else c for c in new.columns]   # another export, another case
    path, out = env / "new2.csv", env / "scored.xlsx"
    new.to_csv(path, index=False)
    code, stdout, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out, "--json")
    assert code == 0 and json.loads(stdout)["rows"] == 12
    assert "categories not seen in training ('spaceship')" in " ".join(json.loads(stdout)["notes"])
    assert "'PURPOSE' as 'purpose'" in " ".join(json.loads(stdout)["notes"])
    assert "categories not seen in training ('spaceship')" in err  # the notes on stderr with --json too
    assert "Column 'amount': 1 value(s) lie far outside the training range" in " ".join(json.loads(stdout)["notes"])
    assert not any(n.startswith("Column 'age'") for n in json.loads(stdout)["notes"])  # ages within training's
    new.loc[2:3, "age"] = [-40, 180]  # a sign lost or added, and an impossible age
    new.to_csv(path, index=False)
    code, stdout, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out, "--json")
    assert "Column 'age': 2 value(s) lie far outside the training range" in " ".join(json.loads(stdout)["notes"])
    scored = pd.read_excel(out)
    assert len(scored) == 12 and 0 <= scored.loc[0, "pd"] <= 1


def test_an_empty_application_is_decided_at_the_cut_off_on_its_floored_pd(env, capsys):
    """An application with every field empty was declined whatever the cut-off: PD 0.30 read 'decline' under a
    cut-off of 0.48, against the rule the scored file states (decline above the cut-off). Its PD is floored at the
    book's default rate and decided like any other."""
    from services import finance, runs

    rt, run = _runtime(), runs.list_runs(_runtime(), desk="finance")[-1]
    new = classification_frame(6, seed=8).drop(columns=["default"])
    new.loc[0, ["amount", "purpose", "age"]] = [np.nan, None, np.nan]
    kept = dict(run.metrics)
    try:
        for cutoff in (0.999, 0.0):
            with rt.uow() as uow:
                uow.runs.get(run.id).metrics = {**kept, "cutoff": cutoff}
                uow.commit()
            row = finance.score(rt, run.id, new, user="t", store=False).frame.loc[0]
            assert row["pd"] >= kept["default_rate"] - 1e-6
            assert row["decision"] == ("approve" if cutoff else "decline")  # before: decline at both
            assert row["reason_1"].endswith("complete them to score it" if cutoff else "declined until they are "
                                            "completed")
    finally:
        with rt.uow() as uow:
            uow.runs.get(run.id).metrics = kept
            uow.commit()


def test_an_empty_application_is_declined_and_an_unseen_category_is_named_so(env, capsys):
    """Nothing known is no reason to approve; a category the model never saw is not reasoned about as if it had."""
    from services import finance, finance_reasons, finance_scoring, runs

    run = runs.list_runs(_runtime(), desk="finance")[-1]
    new = classification_frame(6, seed=8).drop(columns=["default"])
    new.loc[0, ["amount", "purpose", "age"]] = [np.nan, None, np.nan]
    result = finance.score(_runtime(), run.id, new, user="t", store=False)
    assert result.frame.loc[0, "decision"] == ("decline" if result.frame.loc[0, "pd"] > run.metrics["cutoff"]
                                               else "approve")
    assert result.frame.loc[0, "reason_1"].startswith("Not enough information to score: ")
    assert result.frame.loc[0, "pd"] >= run.metrics["default_rate"] - 1e-6
    assert any(n.startswith("1 row(s) have more of the model's 3 fields empty than any training row")
               for n in result.notes)
    assert not result.frame.loc[1:, "reason_1"].str.startswith("Not enough").any()
    blank = finance.what_if(_runtime(), run.id, {"amount": None, "purpose": None, "age": None})  # the what-if agrees
    assert blank.decision == result.frame.loc[0, "decision"] and blank.reasons[0].startswith(
        "Not enough information to score: 3 of 3")
    loaded = finance_scoring._load(_runtime(), run)
    new.loc[1, "purpose"] = "spaceship"
    X, _ = finance_scoring.match_categories(finance_scoring.align(new, loaded.plan), loaded.task.categories_)
    shown = finance_reasons.shown_values(new, X, loaded.plan, loaded.task.categories_)
    assert shown["purpose"][1] == "spaceship (not seen in training)" and shown["purpose"][0] is None
    assert shown["purpose"][2] == new.loc[2, "purpose"]


def test_every_scored_batch_is_kept_and_the_latest_row_per_applicant_wins(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    before = runs.predictions_frame(_runtime(), run_id, kind="score")
    first = classification_frame(6, seed=11).drop(columns=["default"])
    first["applicant_id"] = [f"W1-{i}" for i in range(6)]
    second = classification_frame(3, seed=12).drop(columns=["default"])
    second["applicant_id"] = ["W1-5", "W2-0", "W2-1"]     # W1-5 is scored again with new values
    batches = []
    for name, frame in (("week1.csv", first), ("week2.csv", second)):
        frame.to_csv(env / name, index=False)
        code, stdout, _ = _run(capsys, "finance", "score", "--run", run_id, "--data", env / name,
                               "--out", env / f"{name}.out.csv", "--json")
        assert code == 0
        batches.append(json.loads(stdout)["batch"])
    assert batches[0] != batches[1]
    stored = runs.predictions_frame(_runtime(), run_id, kind="score")
    assert len(stored) == len(before) + 9
    new_rows = stored.iloc[len(before):]
    assert new_rows["batch"].tolist() == [batches[0]] * 6 + [batches[1]] * 3
    latest = runs.latest_predictions(_runtime(), run_id, "score").set_index("record_key")
    rescored = pd.read_csv(env / "week2.csv.out.csv").set_index("applicant_id").loc["W1-5", "pd"]
    assert latest.loc["W1-5", "batch"] == batches[1] and latest.loc["W1-5", "pd"] == pytest.approx(rescored)
    assert latest.loc["W1-0", "batch"] == batches[0]     # the first week's applicants are still there


def test_score_file_missing_a_column_is_an_error_and_stores_nothing(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    before = len(runs.predictions_frame(_runtime(), run_id, kind="score"))
    path, out = env / "noage.csv", env / "never.csv"
    classification_frame(10).drop(columns=["default", "age"]).to_csv(path, index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out)
    assert code == 2 and "error: The scoring file lacks column(s) the model needs: 'age'." in err
    assert not out.exists() and len(runs.predictions_frame(_runtime(), run_id, kind="score")) == before


def test_a_scoring_file_without_the_id_column_is_scored_in_order_with_empty_ids(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    new = classification_frame(8, seed=9).drop(columns=["default", "applicant_id"])
    path, out = env / "noid.csv", env / "noid.out.csv"
    new.to_csv(path, index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out)
    assert code == 0, err
    scored = pd.read_csv(out, keep_default_na=False)
    assert list(scored.columns[:2]) == ["applicant_id", "pd"] and (scored["applicant_id"] == "").all()
    assert len(scored) == 8 and "The scoring file has no id column 'applicant_id'" in err
    with_ids = classification_frame(8, seed=9).drop(columns=["default"])
    with_ids.to_csv(env / "withid.csv", index=False)
    _run(capsys, "finance", "score", "--run", run_id, "--data", env / "withid.csv", "--out", env / "withid.out.csv")
    assert scored["pd"].tolist() == pd.read_csv(env / "withid.out.csv")["pd"].tolist()
    with_ids["applicant_id"] = with_ids["applicant_id"].astype(object)
    with_ids.loc[[2, 5], "applicant_id"] = None  # two blank ids are blanks, not one id twice
    with_ids.to_csv(env / "blankid.csv", index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run_id, "--data", env / "blankid.csv", "--out",
                        env / "blankid.out.csv")
    assert code == 0 and "duplicated" not in err, err
    assert "note: 2 row(s) have no value in id column 'applicant_id': they were scored in place, with an empty id." \
        in err


def test_a_column_unreadable_on_every_row_is_refused_like_a_missing_one(env, capsys):
    """Ages written "35 years" on every row would all be scored at the training median: refused instead."""
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    before = len(runs.predictions_frame(_runtime(), run_id, kind="score"))
    frame = classification_frame(12).drop(columns=["default"])
    frame["age"] = frame["age"].map(lambda a: f"{a} years")
    path, out = env / "ages_as_text.csv", env / "never.csv"
    frame.to_csv(path, index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out)
    assert code == 2 and "No row of this file has a usable value in 'age' (written like '" in err, err
    assert not out.exists() and len(runs.predictions_frame(_runtime(), run_id, kind="score")) == before
    frame.loc[1:, "age"] = 40  # one such row among readable ones: scored at the median, with a note
    frame.to_csv(path, index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out)
    assert code == 0 and "training median" in err, err


def test_an_empty_category_never_empty_in_training_is_said(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    frame = classification_frame(6).drop(columns=["default"])
    frame.loc[[1, 4], "purpose"] = None
    path, out = env / "blank_purpose.csv", env / "blank_purpose_scored.csv"
    frame.to_csv(path, index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run_id, "--data", path, "--out", out)
    assert code == 0 and "note: Empty cells in column(s) never empty in training" in err and "'purpose' (2)" in err
    assert len(pd.read_csv(out)) == 6


def test_report_for_a_finance_run_has_the_finance_sections(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[0].id
    out = env / "report.html"
    code, _, _ = _run(capsys, "report", "--run", run_id, "--format", "html", "--out", out)
    html = out.read_text()
    assert code == 0 and "Risk grades" in html and "Expected cost per case by cut-off" in html
    assert "logistic baseline" in html and "Limitations" in html
    from services import reports

    report = reports.build_report(_runtime(), run_id)  # the baseline's figures are in its table, not listed again
    assert "Out-of-fold AUC" in report.metrics and not any("baseline_" in m for m in report.metrics)
    assert report.parameters["Cost of approving a bad loan"] == 5 and "features" not in report.parameters


def test_the_report_lists_every_scored_batch_with_its_approvals_and_psi(env, capsys):
    from services import finance_report, reports, runs

    run = runs.list_runs(_runtime(), desk="finance")[0]
    path, out = env / "batch_for_report.csv", env / "batch_for_report_scored.csv"
    classification_frame(60).drop(columns=["default"]).to_csv(path, index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run.id, "--data", path, "--out", out)
    assert code == 0, err
    scored = pd.read_csv(out)
    table = finance_report.scored_batches(_runtime(), runs.get_run(_runtime(), run.id))
    last = table.iloc[-1]
    assert last["file"] == "batch_for_report.csv" and last["rows"] == 60
    assert last["approval rate"] == pytest.approx((scored["decision"] == "approve").mean())
    assert last["mean PD"] == pytest.approx(scored["pd"].mean(), abs=1e-6) and last["PSI band"] in (
        "stable", "watch", "shifted", "too few rows")
    _, html = reports.export_run_report(_runtime(), run.id, "html", user="t")
    assert b"Scored batches" in html and b"batch_for_report.csv" in html
    _, xlsx = reports.export_run_report(_runtime(), run.id, "xlsx", user="t")
    assert xlsx[:2] == b"PK"


def _bad_frame(kind: str) -> pd.DataFrame:
    frame = classification_frame(120)
    if kind == "three":
        frame.loc[:9, "default"] = "fair"  # a third value no rule reads ("unknown" is left out)
    elif kind == "one":
        frame["default"] = "good"
    elif kind == "few":
        frame = frame.head(20)
    elif kind == "spellings":  # one label in another letter case is that label, not a third value
        frame.loc[:4, "default"] = frame.loc[:4, "default"].str.upper()
    elif kind == "dupes":
        frame.loc[5, "applicant_id"] = frame.loc[4, "applicant_id"]
    return frame


@pytest.mark.parametrize("kind,extra,message", [
    ("three", [], "must have exactly two values (default / no default); it has 3: good ("),
    ("one", [], "has only one class (good, 120 rows)"),
    ("few", [], "Only 20 rows with a known outcome; at least 50 are needed"),
    ("dupes", ["--id", "applicant_id"], "has 1 duplicated value(s) (e.g. A00004)"),
    ("ok", ["--positive", "maybe"], "--positive 'maybe' is not a value of 'default'; its values are good ("),
    ("ok", ["--id", "nope"], "Column(s) not in the file: 'nope'."),
    ("ok", ["--exposure", "nope"], "Column(s) not in the file: 'nope' (the exposure column)."),
    ("ok", ["--cost-bad", "-1"], "Costs must be zero or positive"),
    ("ok", ["--cost-bad", "nan"], "Costs and the tuning time must be finite numbers."),
    ("ok", ["--folds", "1"], "Cross-validation needs at least 2 folds (got 1)."),
    ("ok", ["--tune-seconds", "-5"], "The tuning time cannot be negative (got -5.0)."),
    ("ok", ["--monotone", "amount=+2"], "--monotone expects COLUMN=+1 or COLUMN=-1"),
])
def test_bad_training_input_is_a_clear_error_and_stores_nothing(settings_env, tmp_path, capsys, kind, extra,
                                                                 message):
    from services import datasets, jobs, runs

    path = tmp_path / "loans.csv"
    _bad_frame(kind).to_csv(path, index=False)
    code, out, err = _run(capsys, "finance", "train", "--data", path, "--target", "default", *extra)
    assert code == 2 and err.startswith("error: ") and message in err, err
    runtime = _runtime()
    assert datasets.list_datasets(runtime) == [] and runs.list_runs(runtime) == [] and jobs.list_jobs(runtime) == []


def test_a_label_in_another_letter_case_is_the_same_label(settings_env, tmp_path, capsys):
    frame = _bad_frame("spellings")
    frame.to_csv(tmp_path / "loans.csv", index=False)
    code, out, err = _run(capsys, "finance", "train", "--data", tmp_path / "loans.csv", "--target", "default",
                          "--folds", "3", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert frame.loc[:4, "default"].tolist() == ["GOOD", "BAD", "GOOD", "BAD", "GOOD"]
    assert ("Target 'default': 'GOOD' (3 rows) counted as 'good'; 'BAD' (2 rows) counted as 'bad' (the same label "
            "in another letter case or spacing).") in result["notes"]
    assert result["positive_label"] == "bad"
    assert result["default_rate"] == pytest.approx((frame["default"].str.lower() == "bad").mean())


def test_how_the_file_was_read_is_in_the_runs_notes(settings_env, tmp_path, capsys):
    """A workbook with a title above the header: the CLI user learns that rows were skipped, as `data import` says."""
    frame = _bad_frame("ok")
    with pd.ExcelWriter(tmp_path / "loans.xlsx") as writer:
        frame.to_excel(writer, index=False, startrow=2)
        writer.sheets["Sheet1"].write(0, 0, "Loan book, March")
    code, out, err = _run(capsys, "finance", "train", "--data", tmp_path / "loans.xlsx", "--target", "default",
                          "--folds", "3", "--json")
    assert code == 0, err
    notes = json.loads(out)["notes"]
    assert any(n.startswith("The first 2 row(s) of sheet 'Sheet1' hold a title") for n in notes), notes


def test_fields_often_empty_in_training_do_not_make_an_application_too_empty(settings_env, tmp_path, capsys):
    """Building details empty on 60 % of the book: such applicants are scored, not declined as empty."""
    from services import finance, runs

    frame = classification_frame(200, seed=4)
    rng = np.random.default_rng(1)
    for name in ("floors", "rooms", "walls", "roof"):
        frame[name] = np.where(np.arange(200) % 5 < 3, np.nan, rng.integers(1, 9, 200))
    frame.to_csv(tmp_path / "loans.csv", index=False)
    code, out, err = _run(capsys, "finance", "train", "--data", tmp_path / "loans.csv", "--target", "default",
                          "--id", "applicant_id", "--folds", "3", "--json")
    assert code == 0, err
    run = runs.get_run(_runtime(), json.loads(out)["run_id"])
    assert run.parameters["usual_empty_share"] == pytest.approx(4 / 7)
    new = frame.drop(columns=["default"]).head(10).copy()             # rows 0-2 and 5-7: 4 of 7 fields empty
    new.loc[9, ["amount", "purpose", "age", "floors", "rooms", "walls"]] = [np.nan, None, np.nan, np.nan, np.nan, np.nan]
    scored = finance.score(_runtime(), run.id, new, user="t", store=False).frame
    assert not scored.loc[:8, "reason_1"].str.startswith("Not enough information").any()
    assert scored.loc[9, "decision"] == "decline" and scored.loc[9, "reason_1"].startswith("Not enough information")


def test_what_if_moves_the_pd_and_fairness_table_adds_up(env):
    from services import finance, runs

    runtime = _runtime()
    run = runs.list_runs(runtime, desk="finance")[-1]
    applicant = {"amount": 500.0, "purpose": "car", "age": 60}
    safe = finance.what_if(runtime, run.id, applicant)
    risky = finance.what_if(runtime, run.id, {**applicant, "amount": 30000.0, "purpose": "business", "age": 20})
    assert risky.pd > safe.pd and safe.grade <= risky.grade
    assert any(r.startswith("Amount of 30,000 raised the risk") for r in risky.reasons)
    assert len(risky.contributions) == 3 and {name for name, _ in risky.contributions} == {"amount", "purpose", "age"}
    assert safe.notes == ()  # within the training range: nothing to say
    assert len(risky.notes) == 1 and risky.notes[0].startswith("Amount of 30,000 is above anything in training (")
    odd = finance.what_if(runtime, run.id, {**applicant, "amount": -5.0})
    assert len(odd.notes) == 1 and odd.notes[0].startswith("Amount of -5 is below anything in training (")
    result = finance.fairness(runtime, run.id, "purpose")
    table = result.frame
    assert table["applicants"].sum() == 160 and table["approval_rate"].between(0, 1).all()
    assert table["group"].tolist() == ["business", "car", "education", "tv"]
    assert table["approval_ratio"].max() == 1.0
    flagged = table[(table["approval_ratio"] < 0.8) & (table["applicants"] >= 30)]["group"].tolist()
    assert result.notes == () and len(result.warnings) == (1 if flagged else 0)  # four values: no grouping note
    assert all(f"{group} (" in result.warnings[0] for group in flagged)
    by_age = finance.fairness(runtime, run.id, "age")  # 19 to 74: age bands, not 56 groups of one age
    assert by_age.frame["group"].tolist()[0] == "under 25" and by_age.frame["applicants"].sum() == 160
    assert by_age.notes[0].startswith("age holds") and "age bands" in by_age.notes[0]
    assert finance.suggested_columns(["amount", "purpose", "age"]) == ["age"]
    from services import finance_report

    section = next(s for s in finance_report.build_sections(runtime, run) if s.heading == "Fairness check")
    assert [name for name, _ in section.tables] == ["age"] and "age holds" in section.text
    assert section.tables[0][1]["group"].tolist() == by_age.frame["group"].tolist()


def test_a_scored_batch_is_checked_for_approval_by_group(env):
    """New applicants' outcomes are unknown: approval rates and ratios per group only, and a warning that
    points back to the training data's check."""
    from services import errors, finance, runs

    runtime = _runtime()
    run = runs.list_runs(runtime, desk="finance")[0]
    applicants = classification_frame(120, seed=5).drop(columns=["default"])
    applicants["region"] = ["north"] * 60 + ["south"] * 60
    decisions = ["approve"] * 60 + ["approve"] * 20 + ["decline"] * 40  # south approved at a third of north
    result = finance.batch_fairness(runtime, run.id, applicants, decisions, "region")
    assert list(result.frame.columns) == ["group", "applicants", "approval_rate", "approval_ratio"]
    assert result.frame["approval_rate"].round(3).tolist() == [1.0, 0.333]
    assert result.warnings[0].startswith("Approved at under four fifths of the most approved group's rate: south "
                                         "(33.3% approved, ratio 0.33)")
    assert "outcomes are not known yet" in result.warnings[0]
    assert not any("compare small groups" in n for n in result.notes)
    small = finance.batch_fairness(runtime, run.id, applicants.iloc[45:85], decisions[45:85], "region")
    assert small.frame["applicants"].tolist() == [15, 25] and small.frame["approval_ratio"].notna().all()
    assert any(n.startswith("No group has 30 applicants or more, so the approval ratios compare small groups")
               for n in small.notes)  # the ratios are shown for all groups then: said, not left to the help text
    with pytest.raises(errors.UserFacingError, match="not in the scored file"):
        finance.batch_fairness(runtime, run.id, applicants, decisions, "nope")
    with pytest.raises(errors.UserFacingError, match="row for row"):
        finance.batch_fairness(runtime, run.id, applicants, decisions[:-1], "region")


def test_yes_no_target_takes_the_files_spelling_and_a_leaking_ratio_is_warned(settings_env, tmp_path, capsys):
    """'--positive N' names the 'N' rows although the reader turned Y/N into True/False; a pair of columns that
    gives the outcome away (no single one does) still gets a warning, printed as a warning."""
    frame = classification_frame(160, seed=3)
    frame["repaid"] = frame.pop("default").map({"good": "Y", "bad": "N"})
    share = np.where(frame["repaid"] == "Y", 1.0, np.random.default_rng(0).uniform(0.05, 0.6, len(frame)))
    frame["principal_back"] = (frame["amount"] * share).round(2)     # principal back / amount = the outcome
    path = tmp_path / "loans.csv"
    frame.to_csv(path, index=False)
    code, out, err = _run(capsys, "finance", "train", "--data", path, "--target", "repaid", "--positive", "N",
                          "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["positive_label_rule"] == "given by the user (N)"  # it read 'N, read as no': the file has no 'no'
    assert result["positive_label"] == "N" and result["default_rate"] == pytest.approx((frame["repaid"] == "N").mean())
    code, _, err = _run(capsys, "finance", "train", "--data", path, "--target", "repaid", "--positive", "N")
    assert code == 0 and "warning: " in err and ("separates defaults almost perfectly" in err)


def test_constraints_against_the_data_are_warned_about(settings_env, tmp_path, capsys):
    """A constrained run keeps LightGBM as champion; when the constraints run against the data (risk falls with
    age here, and +1 forces it to rise) the logistic baseline beats it, and the run says so."""
    classification_frame(600, seed=3).to_csv(tmp_path / "loans.csv", index=False)
    argv = ["finance", "train", "--data", tmp_path / "loans.csv", "--target", "default", "--id", "applicant_id",
            "--folds", "3", "--json"]
    code, out, err = _run(capsys, *argv, "--monotone", "age=+1", "--monotone", "amount=-1")
    assert code == 0, err
    result = json.loads(out)
    assert result["champion"] == "lightgbm" and result["baseline_auc"] > result["oof_auc"] + 0.005
    assert any(w.startswith("With monotone constraints the champion is the constrained LightGBM, and the logistic "
                            f"baseline ranks defaults better out of fold (AUC {result['baseline_auc']:.3f}")
               for w in result["warnings"])
    code, out, err = _run(capsys, *argv)  # unconstrained: the blend may take the logistic member; no such warning
    assert code == 0 and not any("monotone constraints" in w for w in json.loads(out)["warnings"]), err


def test_a_data_dictionary_names_coded_columns_and_values_in_the_reasons(settings_env, tmp_path, capsys):
    """Coded books (laufkont = 1 …) read as codes in reasons; --dictionary gives their names and meanings."""
    frame = classification_frame(160, seed=2).rename(columns={"purpose": "zweck", "amount": "hoehe"})
    frame["zweck"] = frame["zweck"].map({"car": 1, "tv": 2, "education": 3, "business": 4})
    frame.to_csv(tmp_path / "loans.csv", index=False)
    pd.DataFrame({"Variable": ["zweck", "zweck", "zweck", "zweck", "zweck", "hoehe", "unknown_col", "hoehe"],
                  "Code": ["", 1, 2, 3, 4, "", "", ""],
                  "Description": ["Purpose", "new car", "television", "education", "business", "Credit amount",
                                  "Not in the file", "Amount again"]}).to_csv(tmp_path / "dictionary.csv", index=False)
    code, out, err = _run(capsys, "finance", "train", "--data", tmp_path / "loans.csv", "--target", "default",
                          "--id", "applicant_id", "--folds", "3", "--dictionary", tmp_path / "dictionary.csv",
                          "--json")
    assert code == 0, err
    result = json.loads(out)
    assert "Reasons use the data dictionary: 2 of the model's 3 columns named, 4 coded value(s) explained." \
        in result["notes"]
    assert "The data dictionary describes 1 column(s) not in the data, left unused: unknown_col." in result["notes"]
    assert "The data dictionary describes hoehe more than once: the first is kept." in result["notes"]
    new = frame.drop(columns=["default"]).head(40)
    new.to_csv(tmp_path / "new.csv", index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", result["run_id"], "--data", tmp_path / "new.csv",
                        "--out", tmp_path / "scored.csv")
    assert code == 0, err
    reasons = pd.read_csv(tmp_path / "scored.csv")[["reason_1", "reason_2", "reason_3"]].fillna("")
    texts = [t for t in reasons.to_numpy().ravel() if t]
    meaning = {1: "new car", 2: "television", 3: "education", 4: "business"}
    purpose = [t for t in texts if t.startswith("Purpose of ")]
    assert purpose and all(any(t.startswith(f"Purpose of {c} ({m})") for c, m in meaning.items()) for t in purpose)
    assert any(t.startswith("Credit amount of ") for t in texts)
    assert not any(t.startswith(("Zweck", "Hoehe")) for t in texts)
    code, _, err = _run(capsys, "report", "--run", result["run_id"], "--format", "html", "--out",
                        tmp_path / "report.html")
    assert code == 0, err
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Data dictionary" in html and "television" in html and "Purpose (zweck)" in html
    assert "in the training data" in html and "Notes and limitations of this run" in html


@pytest.mark.parametrize("content,message", [
    ("a,b\nx,y\n", "A data dictionary needs a column-name column (headed 'column', 'variable' or 'field')"),
    ("column,label\nx,\ny,\n", "has no entries with both a column name and a label"),
    ("column,label\n", "The file has a header row but no data rows."),
    ("", "The data dictionary could not be read."),
])
def test_a_bad_data_dictionary_is_refused_before_anything_is_stored(settings_env, tmp_path, capsys, content,
                                                                    message):
    from services import datasets, jobs, runs

    classification_frame(80).to_csv(tmp_path / "loans.csv", index=False)
    (tmp_path / "dictionary.csv").write_text(content, encoding="utf-8")
    code, _, err = _run(capsys, "finance", "train", "--data", tmp_path / "loans.csv", "--target", "default",
                        "--dictionary", tmp_path / "dictionary.csv")
    assert code == 2 and message in err, err
    runtime = _runtime()
    assert datasets.list_datasets(runtime) == [] and runs.list_runs(runtime) == [] and jobs.list_jobs(runtime) == []


def test_the_fairness_check_reads_a_runs_stored_decisions_once(env, monkeypatch):
    """The page redraws the fairness tab on every click; a large run's out-of-fold rows took seconds to read."""
    from services import finance, finance_fairness, runs

    runtime = _runtime()
    run = runs.list_runs(runtime, desk="finance")[0]
    finance_fairness._OOF_CACHE.clear()
    reads = []
    original = runs.predictions_frame
    monkeypatch.setattr(runs, "predictions_frame", lambda *a, **k: reads.append(a[1:]) or original(*a, **k))
    first = finance.fairness(runtime, run.id, "purpose").frame
    again = finance.fairness(runtime, run.id, "age").frame
    assert reads == [(run.id,)] and first["applicants"].sum() == again["applicants"].sum() == 160
    stored = original(runtime, run.id, kind="oof")
    assert list(stored.columns)[:1] == ["record_key"] and len(stored) == 160  # the lighter read, same rows


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    """A state folder of its own, for tests that train (the module's shared run stays the latest elsewhere)."""
    from settings import get_settings

    _state_in(tmp_path / "var", monkeypatch)
    yield tmp_path
    get_settings.cache_clear()


def test_a_run_that_left_out_running_loans_still_gets_its_fairness_check_and_report(fresh, capsys):
    """The fairness check lined up the stored out-of-fold rows with every row that had a status, so a Lending Club
    book with Current and Late loans could not export a report at all."""
    from services import finance, runs

    tmp_path = fresh
    frame = classification_frame(200, seed=3).drop(columns=["applicant_id"])
    frame["loan_status"] = np.where(frame.pop("default") == "bad", "Charged Off", "Fully Paid")
    frame.loc[frame.index % 9 == 4, "loan_status"] = "Current"
    frame.loc[frame.index % 23 == 5, "loan_status"] = "Late (31-120 days)"
    path = tmp_path / "book.csv"
    frame.to_csv(path, index=False)
    code, _, err = _run(capsys, "finance", "train", "--data", path, "--target", "loan_status", "--json")
    assert code == 0, err
    run = runs.list_runs(_runtime(), desk="finance")[0]
    ended = frame[~frame["loan_status"].isin(["Current", "Late (31-120 days)"])]
    table = finance.fairness(_runtime(), run.id, "purpose").frame
    assert table["applicants"].sum() == len(ended) < len(frame)
    counts = ended["purpose"].value_counts()
    assert dict(zip(table["group"], table["applicants"])) == counts.to_dict()
    code, _, err = _run(capsys, "report", "--run", run.id, "--format", "html", "--out", tmp_path / "r.html")
    assert code == 0, err
    assert "Fairness" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_a_run_trained_on_a_column_known_after_the_outcome_says_so_on_every_scored_batch(fresh, capsys):
    frame = classification_frame(200, seed=5)
    frame["recoveries"] = np.where(frame["default"] == "bad", np.linspace(100, 900, 200), 0.0)
    frame.to_csv(fresh / "leak.csv", index=False)
    frame.drop(columns=["default"]).head(8).to_csv(fresh / "new.csv", index=False)
    code, stdout, err = _run(capsys, "finance", "train", "--data", fresh / "leak.csv", "--target", "default",
                             "--id", "applicant_id", "--keep", "recoveries", "--json")
    assert code == 0, err
    assert any("'recoveries' are named like records made after" in w for w in json.loads(stdout)["warnings"])
    run_id = json.loads(stdout)["run_id"]
    code, stdout, err = _run(capsys, "finance", "score", "--run", run_id, "--data", fresh / "new.csv", "--out",
                             fresh / "out.csv", "--json")
    assert code == 0
    assert json.loads(stdout)["notes"][0].startswith("This run was trained on column(s) 'recoveries', which training "
                                                     "warned may be known only after the loan's outcome")
    clean = frame.drop(columns=["recoveries"])
    clean.to_csv(fresh / "clean.csv", index=False)
    _, stdout, _ = _run(capsys, "finance", "train", "--data", fresh / "clean.csv", "--target", "default", "--id",
                        "applicant_id", "--json")
    code, stdout, _ = _run(capsys, "finance", "score", "--run", json.loads(stdout)["run_id"], "--data",
                           fresh / "new.csv", "--out", fresh / "out2.csv", "--json")
    assert code == 0 and not any("known only after" in n for n in json.loads(stdout)["notes"])


def test_records_made_after_the_outcome_are_left_out_so_the_run_scores_applicants_without_them(fresh, capsys):
    """Lending Club's total_pymnt, recoveries and last_pymnt_d were only warned about: the model leaned on them
    (AUC 1.0) and refused an application file, which lacks them. They are left out unless kept."""
    frame = classification_frame(200, seed=5)
    frame["recoveries"] = np.where(frame["default"] == "bad", np.linspace(100, 900, 200), 0.0)
    frame["total_pymnt"] = np.where(frame["default"] == "bad", 0.4, 1.1) * frame["amount"]
    frame["last_pymnt_d"] = np.where(frame["default"] == "bad", "Mar-2011", "Dec-2013")
    frame.to_csv(fresh / "leak.csv", index=False)
    frame.drop(columns=["default", "recoveries", "total_pymnt", "last_pymnt_d"]).head(8).to_csv(fresh / "apps.csv",
                                                                                                 index=False)
    code, stdout, err = _run(capsys, "finance", "train", "--data", fresh / "leak.csv", "--target", "default",
                             "--id", "applicant_id", "--json")
    assert code == 0, err
    result = json.loads(stdout)
    assert not {"recoveries", "total_pymnt", "last_pymnt_d"} & set(result["features"]) and result["oof_auc"] < 0.95
    assert "Column(s) 'recoveries', 'total_pymnt', 'last_pymnt_d' are left out: named like records made after the " \
           "loan's outcome" in " ".join(result["notes"])
    assert not any("made after" in w or "almost perfectly" in w for w in result["warnings"])
    assert list(result["columns_left_out"]) == ["applicant_id", "recoveries", "total_pymnt", "last_pymnt_d"]
    assert result["columns_left_out"]["recoveries"].startswith("a leak by its name")  # the report said "none"
    code, _, err = _run(capsys, "report", "--run", result["run_id"], "--format", "html", "--out", fresh / "r.html")
    html = (fresh / "r.html").read_text(encoding="utf-8")
    assert code == 0 and "Columns left out and why" in html and "Columns dropped" not in html
    assert "recoveries, total_pymnt, last_pymnt_d" in html  # 'Leak columns (left out unless kept)'
    code, stdout, err = _run(capsys, "finance", "score", "--run", result["run_id"], "--data", fresh / "apps.csv",
                             "--out", fresh / "apps_out.csv", "--json")
    assert code == 0, err
    assert pd.read_csv(fresh / "apps_out.csv")["applicant_id"].tolist() == frame["applicant_id"].head(8).tolist()
    code, _, err = _run(capsys, "finance", "train", "--data", fresh / "leak.csv", "--target", "default", "--keep",
                        "nope")
    assert code == 2 and "'nope'" in err


def test_inputs_named_like_the_scored_columns_are_named_as_inputs_and_never_duplicated(fresh, capsys):
    """Lending Club's own `grade` (and an id named `decision`): the reason read "Grade of B raised the risk" beside
    the output's grade C, and the output's decision column overwrote the ids."""
    frame = classification_frame(200, seed=7).rename(columns={"applicant_id": "decision"})
    frame["grade"] = np.where(frame["default"] == "bad", "E", "B")
    frame.loc[frame.index % 4 == 0, "grade"] = "C"
    frame.to_csv(fresh / "book.csv", index=False)
    new = frame.drop(columns=["default"]).head(30)
    new.to_csv(fresh / "new.csv", index=False)
    code, stdout, err = _run(capsys, "finance", "train", "--data", fresh / "book.csv", "--target", "default",
                             "--id", "decision", "--json")
    assert code == 0, err
    code, stdout, err = _run(capsys, "finance", "score", "--run", json.loads(stdout)["run_id"], "--data",
                             fresh / "new.csv", "--out", fresh / "out.csv", "--json")
    assert code == 0, err
    scored = pd.read_csv(fresh / "out.csv")
    assert list(scored.columns) == ["input_decision", "pd", "grade", "decision", "reason_1", "reason_2", "reason_3"]
    assert scored["input_decision"].tolist() == new["decision"].tolist()
    assert set(scored["decision"]) <= {"approve", "decline"}
    reasons = scored[["reason_1", "reason_2", "reason_3"]].fillna("").to_numpy().ravel().tolist()
    assert any(r.startswith("Lender's grade (input column 'grade') of ") for r in reasons)
    assert not any(r.startswith("Grade of") for r in reasons)
    notes = json.loads(stdout)["notes"]
    assert "Id column 'decision' shares its name with an output column of the scored file: the ids are written as " \
           "'input_decision'." in notes
    assert any(n.startswith("Input column 'grade' is not the output column 'grade': the output's grade is the "
                            "model's risk grade A–G") for n in notes)


def test_a_latin_1_scoring_file_is_said_to_be_converted_like_a_training_file(env, capsys):
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    new = classification_frame(6, seed=9).drop(columns=["default"])
    new["branch"] = ["Zürich", "Genève", "Köln", "Malmö", "Zürich", "Genève"]
    (env / "latin.csv").write_bytes(new.to_csv(index=False).encode("latin-1"))
    code, stdout, err = _run(capsys, "finance", "score", "--run", run_id, "--data", env / "latin.csv", "--out",
                             env / "latin_out.csv", "--json")
    assert code == 0, err
    assert json.loads(stdout)["notes"][0] == ("The file is encoded as Latin-1 (ISO-8859-1), not UTF-8; it was "
                                              "converted. Check that accented letters look right.")


def test_an_exposure_column_gives_the_expected_loss_in_scoring_and_in_the_what_if(fresh, capsys):
    from services import finance, runs

    frame = classification_frame(160, seed=6)
    frame["lgd"] = np.where(frame.index % 2 == 0, 0.6, np.nan)  # blank: the run's default LGD
    frame.to_csv(fresh / "book.csv", index=False)
    code, _, err = _run(capsys, "finance", "train", "--data", fresh / "book.csv", "--target", "default", "--id",
                        "applicant_id", "--exposure", "amount", "--lgd", "lgd", "--default-lgd", "0.4", "--json")
    assert code == 0, err
    run = runs.list_runs(_runtime(), desk="finance")[0]
    new = frame.drop(columns=["default"]).head(4)
    new.to_csv(fresh / "new.csv", index=False)
    code, _, err = _run(capsys, "finance", "score", "--run", run.id, "--data", fresh / "new.csv", "--out",
                        fresh / "scored.csv")
    assert code == 0, err
    scored = pd.read_csv(fresh / "scored.csv")
    expected = scored["pd"] * np.where(new["lgd"].notna(), 0.6, 0.4) * new["amount"]
    np.testing.assert_allclose(scored["expected_loss"], expected, rtol=1e-4)  # pd is written rounded
    applicant = new.iloc[1].to_dict()  # a blank LGD
    result = finance.what_if(_runtime(), run.id, applicant)
    assert result.expected_loss == pytest.approx(result.pd * 0.4 * applicant["amount"])
    assert finance.what_if(_runtime(), run.id, {**applicant, "amount": None}).expected_loss is None


def test_na_cells_in_a_column_the_model_ignores_make_no_note(env, capsys):
    """Give Me Some Credit's test file: the outcome column is there with 'NA' on every row. The note on ignored
    columns names it; a note listing its 1,000 'NA' rows said nothing about the scores. A model column's 'NA' stays."""
    from services import runs

    run_id = runs.list_runs(_runtime(), desk="finance")[-1].id
    new = classification_frame(12, seed=4).assign(default="NA")
    new["age"] = new["age"].astype(object)
    new.loc[3, "age"] = "NA"
    new.to_csv(env / "with_outcome.csv", index=False)
    code, stdout, err = _run(capsys, "finance", "score", "--run", run_id, "--data", env / "with_outcome.csv",
                             "--out", env / "with_outcome_out.csv", "--json")
    notes = json.loads(stdout)["notes"]
    assert code == 0, err
    assert not [n for n in notes if n.startswith("Column 'default'")]
    assert [n for n in notes if n.startswith("Column 'age' uses text such as 'NA'")]
    assert "Ignored 1 column(s) the model does not use: default." in notes
