"""Services end to end on a SQLite file: what is stored, what is committed, what is left when input is bad."""
import pytest

from ml.artifacts import read_metadata
from ml.tabular import LightGBMClassifierTask
from services import datasets, jobs, modeling, reports, runs
from services.errors import UserFacingError
from tests.support import classification_frame, make_runtime


@pytest.fixture
def runtime(tmp_path):
    return make_runtime(tmp_path / "var")


def _audit_actions(runtime):
    with runtime.uow() as uow:
        return [(e.action, e.object_type) for e in uow.audit.list()]


def test_import_stores_parquet_row_and_audit(runtime, tmp_path):
    csv = classification_frame(80).to_csv(index=False).encode()
    info = datasets.import_dataset(runtime, csv, filename="loans.csv", name="Loans", user="ana")
    assert (info.name, info.rows, info.columns) == ("Loans", 80, 5)
    assert info.roles["applicant_id"] == "id" and info.roles["default"] == "target"
    frame = datasets.load_pandas(runtime, "Loans")
    assert frame.shape == (80, 5) and frame["amount"].dtype.kind == "f"
    assert len(list(runtime.datasets_dir.glob("*.parquet"))) == 1
    assert ("import", "dataset") in _audit_actions(runtime)


@pytest.mark.parametrize("content", [b"", b"a,b\n", b"a;a\n1;2\n", b"\x00\x01\x02binary\x00" * 50])
def test_rejected_import_stores_nothing(runtime, content):
    with pytest.raises(datasets.DatasetRejected) as caught:
        datasets.import_dataset(runtime, content, filename="bad.csv", user="ana")
    assert any(p["severity"] == "error" for p in caught.value.problems)
    assert datasets.list_datasets(runtime) == []
    assert list(runtime.datasets_dir.iterdir()) == []
    assert _audit_actions(runtime) == []


def test_file_above_size_limit_is_rejected_before_reading(tmp_path):
    small = make_runtime(tmp_path / "small")
    small = type(small)(**{**small.__dict__, "max_upload_bytes": 100})
    with pytest.raises(datasets.DatasetRejected, match="limit"):
        datasets.import_dataset(small, b"a,b\n" + b"1,2\n" * 100, filename="big.csv", user="ana")
    assert datasets.list_datasets(small) == []


def test_failed_commit_removes_the_parquet_file(runtime, monkeypatch):
    from data.uow import UnitOfWork

    def broken_commit(self):
        raise RuntimeError("database went away")

    monkeypatch.setattr(UnitOfWork, "commit", broken_commit)
    with pytest.raises(RuntimeError, match="went away"):
        datasets.import_dataset(runtime, b"a,b\n1,2\n3,4\n", filename="ok.csv", user="ana")
    assert list(runtime.datasets_dir.iterdir()) == []


def test_roles_are_validated(runtime):
    info = datasets.import_dataset(runtime, classification_frame(40).to_csv(index=False).encode(),
                                   filename="l.csv", user="ana")
    with pytest.raises(UserFacingError, match="Only one target"):
        datasets.update_roles(runtime, info.id, {"purpose": "target"}, user="ana")
    with pytest.raises(UserFacingError, match="Unknown columns"):
        datasets.update_roles(runtime, info.id, {"nope": "feature"}, user="ana")
    with pytest.raises(UserFacingError, match="Unknown roles"):
        datasets.update_roles(runtime, info.id, {"age": "banana"}, user="ana")
    updated = datasets.update_roles(runtime, info.id, {"default": "feature", "purpose": "target"}, user="ana")
    assert updated.roles["purpose"] == "target" and updated.roles["default"] == "feature"


def test_baseline_job_stores_one_run_with_verified_artifacts_and_exports(runtime):
    info = datasets.import_dataset(runtime, classification_frame(150).to_csv(index=False).encode(),
                                   filename="l.csv", user="ana")
    seen = []
    job = jobs.run_inline(runtime, kind="baseline.train", desk=modeling.DESK, handler=modeling.HANDLER,
                          params=modeling.baseline_params(info.id, "default", folds=3, n_estimators=20), user="ana",
                          echo=lambda p, m: seen.append(p))
    assert job.status == "succeeded", job.message
    assert seen == sorted(seen) and seen[-1] == 1.0
    run = runs.get_run(runtime, job.run_id)
    assert run.desk == "baseline" and 0.5 < run.metrics["roc_auc"] <= 1.0
    folder = runtime.artifacts_dir / run.artifact_dir
    meta = read_metadata(folder)  # hashes verified
    assert set(meta["files"]) >= {"model.txt", "encoding.json", "explanation.json"}
    model = LightGBMClassifierTask.load(folder)
    assert model.feature_names_ == ["amount", "purpose", "age"]  # the id column was left out
    preds = runs.predictions_frame(runtime, run.id)
    assert len(preds) == 150 and preds["record_key"].str.startswith("A").all()
    assert ((preds["p_bad"] + preds["p_good"]).round(6) == 1).all()
    for fmt in reports.FORMATS:
        report, payload = reports.export_run_report(runtime, run.id, fmt, user="ana")
        assert payload and (runtime.reports_dir / report.file_path).read_bytes() == payload
    assert {r.format for r in reports.list_reports(runtime, run.id)} == set(reports.FORMATS)
    assert _audit_actions(runtime).count(("export", "report")) == 4


@pytest.mark.parametrize("target,message", [("purpose_one", "single value"), ("amount", "distinct values")])
def test_bad_targets_fail_the_job_with_a_message_and_store_no_run(runtime, target, message):
    frame = classification_frame(60)
    frame["purpose_one"] = "car"
    info = datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename="l.csv", user="ana")
    job = jobs.run_inline(runtime, kind="baseline.train", desk=modeling.DESK, handler=modeling.HANDLER,
                          params=modeling.baseline_params(info.id, target, folds=3, n_estimators=5), user="ana")
    assert job.status == "failed" and message in job.message
    assert runs.list_runs(runtime) == []
    assert [p for p in runtime.artifacts_dir.iterdir()] == []


def test_unknown_report_format_is_refused(runtime):
    with pytest.raises(UserFacingError, match="Unknown report format"):
        reports.export_run_report(runtime, 1, "pptx", user="ana")


def test_long_parameters_are_counted_in_the_report_not_dumped():
    """A data dictionary of 80 entries or a long features' kinds map made a wall of JSON in the report."""
    long = {"columns": {f"attr{i}": f"Attribute number {i}" for i in range(20)},
            "values": {"attr1": {f"A1{i}": f"meaning {i}" for i in range(60)}}}
    listed = reports._listed_parameters({"glossary": long, "folds": 5, "exclude": ["a", "b"], "monotone": {"x": 1},
                                         "keep": [], "model": {"seed": 0, "constraints": None}})
    assert listed == {"Data dictionary": "80 entries (too long to list here)", "Cross-validation folds": 5,
                      "Columns excluded by the user": "a, b", "Monotone constraints": "x: 1",
                      "Flagged columns kept by the user": "none",
                      "Model settings": "seed: 0, constraints: none"}  # words and labels, not JSON and stored names
    assert reports._listed_parameters({"a_new_setting": 2}) == {"a_new_setting": 2}  # unknown: its stored name


def test_report_metrics_read_by_label():
    shown = reports._labelled_metrics({"oof_auc": 0.79, "ks": 0.4, "rows": 1000, "odd_figure": 2, "tuned": True,
                                       "champion": "blend", "lightgbm_auc": 0.77, "baseline_auc": 0.78}, "finance")
    assert shown == {"Out-of-fold AUC": 0.79, "KS statistic": 0.4, "Rows": 1000.0,
                     "odd_figure": 2.0, "AUC — LightGBM": 0.77,
                     "Logistic-baseline AUC": 0.78}  # finance's baseline is no pixel baseline
    from services import retail_report

    assert retail_report.report_sections and reports._labelled_metrics({"wape": 12.800123, "mase": 0.756789},
                                                                      "retail") == {
        "WAPE (%)": 12.8, "MASE": 0.76}  # retail reads its figures to 2 decimals (12.8001 before)


def test_run_notes_are_a_section_of_their_own_not_a_parameter():
    from reports.document import ReportSection

    listed = reports._listed_parameters({"dataset_id": 4, "notes": ["Frequency: daily.", "Champion: lightgbm."],
                                         "folds": 3})
    assert listed == {"Cross-validation folds": 3}
    sections = reports._with_notes((ReportSection("Metrics", "x"),), ["Frequency: daily.", "Champion: lightgbm."])
    assert [s.heading for s in sections] == ["Metrics", "Notes of this run"]
    assert sections[-1].text == "Frequency: daily.\n\nChampion: lightgbm."
    shown = (ReportSection("Data preparation", "Frequency: daily.\n\nChampion: lightgbm."),)
    assert reports._with_notes(shown, ["Frequency: daily.", "Champion: lightgbm."]) == shown  # not twice
    assert reports._with_notes(shown, None) == shown
    partly = reports._with_notes(shown, ["Frequency: daily.", "Warning: few series."])  # only what is not shown
    assert partly[-1].heading == "Notes of this run" and partly[-1].text == "Warning: few series."
    assert reports._listed_parameters({"warnings": ["Warning: few series."], "seed": 0}) == {"Random seed": 0}
