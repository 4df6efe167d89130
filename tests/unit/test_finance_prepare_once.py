"""`train_from_file` (the CLI) checks a file before storing it and trains on that same check: the table is
prepared once, not once to check and again in the job (a 200,000 x 200 book: 2 x 52 s), and the job gets what
preparing the stored table gives."""
import numpy as np
import pytest

from services import datasets, finance, finance_cv, finance_prepare
from tests.support import classification_frame, make_runtime


def _counted(monkeypatch) -> list[int]:
    calls = []
    real = finance_prepare.prepare

    def prepare(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(finance, "prepare", prepare)
    return calls


def test_the_cli_path_prepares_once_what_the_stored_table_gives(tmp_path, monkeypatch):
    rt = make_runtime(tmp_path)
    path = tmp_path / "loans.csv"
    frame = classification_frame(120, seed=4)
    frame.insert(1, "loan_no", range(9001, 9121))  # an id found on upload: left out at the check as in the job
    frame.to_csv(path, index=False)
    calls, used = _counted(monkeypatch), []
    real = finance_cv.cross_validated
    monkeypatch.setattr(finance_cv, "cross_validated",  # what the job trains on, before the run adds its findings
                        lambda data, *a: used.append((data, list(data.warnings))) or real(data, *a))
    options = {"positive": "bad", "id_column": "applicant_id", "folds": 3, "model": {"n_estimators": 10}}
    job, run = finance.train_from_file(rt, path, target="default", user="ana", **options)
    assert (job.status, len(calls), finance._CHECKED) == ("succeeded", 1, {})
    stored = finance.check_training(rt, finance.credit_params(run.dataset_id, "default", **options))
    data, warnings = used[0]
    assert data.X.equals(stored.X) and data.labels.equals(stored.labels) and data.raw.equals(stored.raw)
    assert np.array_equal(data.bad, stored.bad)
    assert (data.keys, data.plan.kinds, data.left_out, data.codes, warnings) == \
        (stored.keys, stored.plan.kinds, stored.left_out, stored.codes, stored.warnings)
    assert run.parameters["dropped"]["loan_no"].startswith("an identifier")


def test_a_refused_file_leaves_nothing_behind(tmp_path, monkeypatch):
    rt = make_runtime(tmp_path)
    path = tmp_path / "loans.csv"
    classification_frame(200, seed=4).to_csv(path, index=False)
    calls = _counted(monkeypatch)
    with pytest.raises(finance.CreditDataError, match="numeric column; 'purpose' is categorical"):
        finance.train_from_file(rt, path, target="default", user="ana", monotone={"purpose": 1})
    assert (len(calls), finance._CHECKED, datasets.list_datasets(rt)) == (1, {}, [])
