"""Training on MetroPT-3-sized telemetry (1.5 million readings) without work that grows with the rows for nothing:
the out-of-fold rows go to the run's folder, not one database row each; grouped folds are counted with numpy; label
text and numbers are read once per distinct value."""
import numpy as np
import pandas as pd
import pytest

from ml import failure, failure_folds
from tests.support import trained_torque_run


def test_the_run_stores_the_reports_out_of_fold_rows_and_keeps_every_one_in_its_folder(settings_env):
    from commands.common import runtime
    from services import maintenance_report, maintenance_store, runs

    rt = runtime()
    fleet, run_id = trained_torque_run(rt, 700, 55)
    stored = runs.predictions_frame(rt, run_id, kind="oof")
    assert len(stored) == maintenance_store.OOF_STORED == 500  # before: 700, one JSON row per training reading
    run = runs.get_run(rt, run_id)
    table = pd.read_parquet(rt.artifacts_dir / run.artifact_dir / maintenance_store.OOF_FILE)
    assert len(table) == 700 and table["actual"].tolist() == fleet["failure"].tolist()
    assert table["record_key"].tolist() == list(range(1, 701))
    assert stored["record_key"].tolist() == [str(k) for k in range(1, 501)]
    assert np.allclose(stored["p_failure"], table["p_failure"].head(500))
    assert (table["alert"] == (table["p_failure"] >= run.parameters["threshold"])).all()
    section = maintenance_report._predictions_section(rt, run)
    assert len(dict(section.tables)["Out-of-fold scores (first 500)"]) == 500


@pytest.mark.parametrize("seed", range(6))
def test_grouped_folds_are_sklearns_folds(seed):
    from sklearn.model_selection import StratifiedGroupKFold

    rng = np.random.default_rng(seed)
    rows = int(rng.integers(200, 3000))
    names = [f"m{i}" for i in range(int(rng.integers(5, 60)))]
    groups = pd.Series(rng.choice(names, rows)) if seed % 2 else pd.Series(rng.integers(0, 25, rows)).astype(str)
    y = pd.Series((rng.random(rows) < 0.1).astype(int))
    X = pd.DataFrame({"a": np.zeros(rows)})
    ours = failure_folds.fold_splits(X, y, folds=5, seed=seed, groups=groups)
    theirs = list(StratifiedGroupKFold(5, shuffle=True, random_state=seed).split(X, y, groups))
    assert len(ours) == 5
    for (train, test), (train_ref, test_ref) in zip(ours, theirs):
        assert np.array_equal(train, train_ref) and np.array_equal(test, test_ref)


def test_grouped_folds_need_as_many_groups_as_folds():
    y = pd.Series([0, 1] * 10)
    with pytest.raises(ValueError, match="number of groups: 4"):
        failure_folds.fold_splits(pd.DataFrame({"a": y}), y, folds=5, seed=0, groups=pd.Series(list("abcd") * 5))


@pytest.mark.parametrize("column, failing", [
    (pd.Series([0, 1, 0, 0] * 250), "1"), (pd.Series([0.0, 1.0, 0.0, np.nan] * 250), "1"),
    (pd.Series(["NORMAL", "BROKEN ", "NORMAL", "NORMAL"] * 250), "BROKEN"),
    (pd.Series([0.5, 2.25, 0.5, 0.5] * 250), "2.25"),
])
def test_labels_are_read_once_per_distinct_value(monkeypatch, column, failing):
    seen = []
    real = failure.to_numeric
    monkeypatch.setattr(failure, "to_numeric", lambda values, **kw: seen.append(len(values)) or real(values, **kw))
    y, chosen = failure.binarise(column)
    assert chosen == failing and seen == [2]  # before: every row (1,000), 1.8 s on 1.5 million NORMAL/BROKEN
    assert y.iloc[:4].tolist()[:3] == [0, 1, 0] and y.sum() == 250 and y.notna().sum() == column.notna().sum()


def test_mixed_numbers_and_booleans_stay_apart():
    y, chosen = failure.binarise(pd.Series([1, True, 1, 1, True, 1], dtype=object))
    assert chosen == "True" and y.tolist() == [0, 1, 0, 0, 1, 0]


def test_a_columns_auc_alone_is_counted_without_ranking_every_reading(monkeypatch):
    from sklearn.metrics import roc_auc_score

    from ml.failure_auc import rank_auc

    rng = np.random.default_rng(4)
    y = (rng.random(2000) < 0.05).astype(int)
    scores = np.round(rng.normal(8, 0.4, 2000) - 0.3 * y, 1)  # a sensor written to one decimal: many ties
    monkeypatch.setattr(pd.Series, "rank", lambda *a, **k: pytest.fail("ranked"))  # 0.4 s of 1.5 million readings
    assert rank_auc(y, scores) == pytest.approx(roc_auc_score(y, scores), abs=1e-12)


def test_one_machines_history_is_rolled_without_grouping(monkeypatch):
    from ml import unit_history

    rng = np.random.default_rng(5)
    frame = pd.DataFrame({"timestamp": pd.date_range("2020-02-01", periods=500, freq="10s"),
                          "TP2": rng.normal(9, 1, 500), "(one machine)": "the machine"})
    history = unit_history.History("(one machine)", "timestamp", ("TP2",), (60, 600, 604_800), 10.0)
    monkeypatch.setattr(pd.DataFrame, "groupby", lambda *a, **k: pytest.fail("grouped"))  # 7 x slower on MetroPT-3
    alone = unit_history.history_features(frame, history, frame["timestamp"])
    rolled = frame.rolling("600s", on="timestamp", min_periods=1)["TP2"]
    short = frame.rolling("60s", on="timestamp", min_periods=1)["TP2"].mean()
    assert np.allclose(alone["TP2, 10-minute std dev"], rolled.std(), equal_nan=True)
    assert np.allclose(alone["TP2, 10-minute mean"], rolled.mean()) and np.allclose(alone["TP2, 1-minute mean"], short)


def test_scoring_builds_each_machines_history_once_and_still_refuses_a_file_without_times(settings_env, monkeypatch):
    from commands.common import runtime
    from ml import unit_history
    from services import datasets, maintenance, maintenance_scoring
    from services.errors import UserFacingError

    rt = runtime()
    rng = np.random.default_rng(6)
    hours = 400
    parts = []
    for machine in range(1, 6):
        drift = np.zeros(hours)
        drift[-40:] = np.linspace(0, 4, 40)
        parts.append(pd.DataFrame({"machineID": machine,
                                   "datetime": pd.date_range("2015-01-01", periods=hours, freq="h").astype(str),
                                   "vibration": 40 + drift + rng.normal(0, 1, hours),
                                   "failure": (drift > 1).astype(int)}))
    fleet = pd.concat(parts, ignore_index=True)
    info = datasets.import_dataset(rt, fleet.to_csv(index=False).encode(), filename="train.csv", user="t")
    run_id = maintenance.train_failure_job(rt, maintenance.failure_params(
        info.id, "failure", id_column="machineID", folds=5, n_estimators=10), lambda *_: None)
    real, calls = unit_history.history_features, []
    monkeypatch.setattr(unit_history, "history_features", lambda *a, **k: calls.append(1) or real(*a, **k))
    new = fleet.drop(columns=["failure"]).tail(100)
    scored = maintenance_scoring.score_failure(rt, run_id, new.to_csv(index=False).encode(), filename="new.csv",
                                               user="t")
    assert len(calls) == 1 and len(scored.frame) == 100  # before: 2, the file checked with its features built
    with pytest.raises(UserFacingError, match="holds no dates and times in this file"):
        maintenance_scoring.score_failure(rt, run_id, new.assign(datetime="soon").to_csv(index=False).encode(),
                                          filename="bad.csv", user="t")
