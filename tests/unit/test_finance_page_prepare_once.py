"""The page checks a table (`check_training`) and then trains on it in a job of another process: the job takes the
check's preparation, kept on disk as Parquet and JSON, instead of preparing the stored table again, and trains on
exactly what preparing it gives."""
import numpy as np

from services import datasets, finance, finance_checked, finance_cv, finance_prepare, jobs
from tests.support import classification_frame, make_runtime


def _counted(monkeypatch) -> list[int]:
    calls = []
    real = finance_prepare.prepare
    monkeypatch.setattr(finance, "prepare", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def _stored(tmp_path, rt):
    path = tmp_path / "loans.csv"
    frame = classification_frame(120, seed=4)
    frame.insert(1, "loan_no", range(9001, 9121))  # an id found on upload: left out at the check as in the job
    frame["opened"] = _dates(len(frame))
    frame.to_csv(path, index=False)
    return datasets.import_or_reuse(rt, path, user="ana")


def _dates(n: int) -> list[str]:
    return [f"20{10 + i % 9}-0{1 + i % 9}-15" for i in range(n)]


def _train(rt, params):
    return jobs.run_inline(rt, kind=finance.KIND, desk=finance.DESK, handler=finance.HANDLER, params=params,
                           user="ana")


def test_the_page_path_prepares_once_what_the_stored_table_gives(tmp_path, monkeypatch):
    rt = make_runtime(tmp_path)
    info = _stored(tmp_path, rt)
    params = finance.credit_params(info.id, "default", positive="bad", id_column="applicant_id", folds=3,
                                   model={"n_estimators": 10})
    calls, used = _counted(monkeypatch), []
    real = finance_cv.cross_validated
    monkeypatch.setattr(finance_cv, "cross_validated",
                        lambda data, *a: used.append((data, list(data.warnings), list(data.notes))) or real(data, *a))
    checked = finance.check_training(rt, params)
    job = _train(rt, params)
    assert (job.status, len(calls)) == ("succeeded", 1)
    assert list((rt.state_dir / finance_checked.FOLDER).iterdir()) == []  # taken, not left behind
    data, warnings, notes = used[0]
    assert data is not checked
    assert data.X.equals(checked.X) and list(data.X.dtypes) == list(checked.X.dtypes)
    assert data.raw.equals(checked.raw) and list(data.raw.dtypes) == list(checked.raw.dtypes)
    assert data.labels.equals(checked.labels) and data.labels.name == "default"
    assert np.array_equal(data.bad, checked.bad) and data.bad.dtype == checked.bad.dtype
    assert (data.keys, data.plan.to_json(), data.left_out, data.codes, data.positive, data.positive_rule,
            data.folds, data.id_column, data.leaks) == \
        (checked.keys, checked.plan.to_json(), checked.left_out, checked.codes, checked.positive,
         checked.positive_rule, checked.folds, checked.id_column, checked.leaks)
    assert warnings == checked.warnings and notes[-len(checked.notes):] == checked.notes


def test_other_settings_prepare_the_table_again(tmp_path, monkeypatch):
    rt = make_runtime(tmp_path)
    info = _stored(tmp_path, rt)
    params = finance.credit_params(info.id, "default", positive="bad", folds=3, model={"n_estimators": 10})
    calls = _counted(monkeypatch)
    finance.check_training(rt, params)
    assert _train(rt, {**params, "seed": 1}).status == "succeeded"
    assert len(calls) == 2


def test_a_table_parquet_cannot_hold_is_not_kept(tmp_path):
    rt = make_runtime(tmp_path)
    info = _stored(tmp_path, rt)
    params = finance.credit_params(info.id, "default", positive="bad", folds=3)
    data = finance.check_training(rt, params)
    data.raw["mixed"] = [1, "a"] * (len(data.raw) // 2)  # numbers and texts in one column
    finance_checked.keep(rt.state_dir, "other", data)
    assert finance_checked.take(rt.state_dir, "other") is None
    assert [p.name for p in (rt.state_dir / finance_checked.FOLDER).iterdir()] == \
        [finance_checked._folder(rt.state_dir, finance._page_key(info, params)).name]  # the check's own, no debris
