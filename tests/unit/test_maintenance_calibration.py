"""p_failure is a calibrated chance (ml/failure_calibration.py): a Platt map fitted on the run's out-of-fold scores,
stored in its JSON config; the threshold, alerts and explanations on the same scale; runs stored before it score as
before."""
import json

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit, logit
from sklearn.metrics import roc_auc_score

from ml import failure, failure_calibration
from ml.artifacts import file_hashes
from tests.support import drifting_fleet, trained_torque_run


def _overconfident(n: int = 20_000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Scores three times as far out in log-odds as the true chances: a reading said at 0.0005 fails at 7 %."""
    rng = np.random.default_rng(seed)
    truth = rng.normal(-4.0, 1.5, n)
    return (rng.random(n) < expit(truth)).astype(int), expit(3 * truth)


def test_the_map_brings_scores_to_the_failure_rate_and_keeps_their_order():
    y, scores = _overconfident()
    calibration = failure_calibration.fit_calibration(y, scores)
    chances = failure_calibration.calibrated(scores, calibration)
    assert calibration["method"] == "platt" and calibration["coef"] == pytest.approx(1 / 3, rel=0.1)
    assert chances.mean() == pytest.approx(y.mean(), rel=1e-4)  # raw: 0.0444 for 0.0534 failing
    assert scores.mean() < 0.9 * y.mean()
    band = (scores > 1e-4) & (scores < 1e-3)  # said at 0.03 %: 3 % fail there
    assert y[band].mean() > 10 * scores[band].mean() and chances[band].mean() == pytest.approx(y[band].mean(), rel=0.3)
    assert roc_auc_score(y, chances) == roc_auc_score(y, scores)
    assert (np.argsort(chances, kind="stable") == np.argsort(scores, kind="stable")).all()
    assert json.loads(json.dumps(calibration)) == calibration  # stored as JSON, never pickled
    assert failure_calibration.fit_calibration(y, 1 - scores) is None  # a map that would turn the ranking over
    assert (failure_calibration.calibrated(scores, None) == scores).all()


def test_tiny_scores_stay_apart():
    """Scores of 1e-12 … 1e-8 (few failures, many trees) keep distinct values: clipped at 1e-6, as the credit
    calibrator clips, they would tie and the ranking (AUC) would change."""
    scores = np.array([1e-12, 1e-10, 1e-8, 0.2, 0.9])
    chances = failure_calibration.calibrated(scores, {"method": "platt", "coef": 0.7, "intercept": -0.1})
    assert (np.diff(chances) > 0).all()


def test_scores_that_separate_the_failures_keep_their_order_and_the_failure_rate():
    """Separated out-of-fold scores fitted a slope of 23: every raw score above 0.98 was written 1.0, tied."""
    rng = np.random.default_rng(0)
    y = (rng.random(3000) < 0.05).astype(int)
    scores = np.where(y == 1, rng.uniform(0.5, 0.999, 3000), rng.uniform(0.001, 0.4, 3000))
    calibration = failure_calibration.fit_calibration(y, scores)
    chances = failure_calibration.calibrated(scores, calibration)
    assert calibration["coef"] == failure_calibration.MAX_SLOPE and chances.max() < 1.0
    assert len(np.unique(chances)) == len(np.unique(scores)) and chances.mean() == pytest.approx(y.mean())


def _run(rt, rows: int = 400):
    fleet, run_id = trained_torque_run(rt, rows, 58)
    from services import runs

    folder = rt.artifacts_dir / runs.get_run(rt, run_id).artifact_dir
    return fleet, run_id, folder, json.loads((folder / "failure.json").read_text())


def test_a_run_stores_its_calibration_and_scores_alerts_on_one_scale(settings_env):
    from commands.common import runtime
    from services import maintenance_scoring

    rt = runtime()
    fleet, run_id, folder, config = _run(rt)
    oof = pd.read_parquet(folder / "oof.parquet")
    assert config["calibration"]["method"] == "platt"
    assert oof["p_failure"].mean() == pytest.approx(fleet["failure"].mean(), rel=1e-3)  # out of fold: a chance
    assert (oof["alert"] == (oof["p_failure"] >= config["threshold"])).all()
    new = fleet.drop(columns=["failure"]).head(60)
    scored = maintenance_scoring.score_failure(rt, run_id, new.to_csv(index=False).encode(), filename="new.csv",
                                               user="t").frame
    raw = failure.load_classifier(folder).predict(new[["torque", "temp"]])["p_1"].to_numpy()
    expected = expit(config["calibration"]["coef"] * logit(raw) + config["calibration"]["intercept"])
    assert scored["p_failure"].to_numpy() == pytest.approx(expected)
    assert (scored["alert"] == (scored["p_failure"] >= config["threshold"]).astype(int)).all()
    assert 0 < scored["alert"].sum() < len(scored)
    why = maintenance_scoring.explain_readings(rt, run_id, new, rows=[0, 1])  # the caption's chance is p_failure
    assert expit(why.base_value + why.values.sum(axis=1)) == pytest.approx(scored["p_failure"].head(2).to_numpy())
    assert "calibrated on the out-of-fold predictions" in _report_text(rt, run_id)


def test_a_run_stored_before_calibration_scores_as_before(settings_env):
    from commands.common import runtime
    from services import maintenance_scoring

    rt = runtime()
    fleet, run_id, folder, config = _run(rt)
    del config["calibration"]
    (folder / "failure.json").write_text(json.dumps(config))
    meta = json.loads((folder / "metadata.json").read_text())  # as such a run was stored: its hashes match
    meta["files"] = file_hashes(folder)
    (folder / "metadata.json").write_text(json.dumps(meta))
    new = fleet.drop(columns=["failure"]).head(60)
    scored = maintenance_scoring.score_failure(rt, run_id, new.to_csv(index=False).encode(), filename="old.csv",
                                               user="t").frame
    raw = failure.load_classifier(folder).predict(new[["torque", "temp"]])["p_1"].to_numpy()
    assert scored["p_failure"].to_numpy() == pytest.approx(raw, rel=1e-12)
    assert (scored["alert"] == (raw >= config["threshold"]).astype(int)).all()
    why = maintenance_scoring.explain_readings(rt, run_id, new, rows=[0])
    assert expit(why.base_value + why.values.sum()) == pytest.approx(raw[0])
    assert "calibrated" not in _report_text(rt, run_id)


def _report_text(rt, run_id: int) -> str:
    from services import maintenance_report, runs

    return maintenance_report.report_sections(rt, runs.get_run(rt, run_id))[0].text


def test_machines_without_history_are_scored_on_the_readings_alone_models_own_scale(settings_env):
    from commands.common import runtime
    from services import datasets, maintenance, maintenance_scoring, runs

    rt = runtime()
    fleet = drifting_fleet(6, 120)
    info = datasets.import_dataset(rt, fleet.to_csv(index=False).encode(), filename="fleet.csv", user="t")
    run_id = maintenance.train_failure_job(rt, maintenance.failure_params(
        info.id, "failure", id_column="machineID", folds=3, n_estimators=10, use_suggestions=False), lambda *_: None)
    folder = rt.artifacts_dir / runs.get_run(rt, run_id).artifact_dir
    config = json.loads((folder / "failure.json").read_text())
    alone = config["snapshot"]
    assert config["history"] and alone["calibration"]["method"] == "platt"
    assert alone["calibration"] != config["calibration"]
    latest = fleet.drop(columns=["failure"]).tail(6)  # each machine's latest reading alone
    scored = maintenance_scoring.score_failure(rt, run_id, latest.to_csv(index=False).encode(), filename="last.csv",
                                               user="t").frame
    raw = failure.load_classifier(folder / "snapshot").predict(latest[["volt", "vibration"]])["p_1"].to_numpy()
    assert scored["p_failure"].to_numpy() == pytest.approx(failure_calibration.calibrated(raw, alone["calibration"]))
    assert (scored["alert"] == (scored["p_failure"] >= alone["threshold"]).astype(int)).all()
