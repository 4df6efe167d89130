"""Large snapshot files: the failure model fits on every failure and a weighted share of the other rows; drives
scored over the same span as training are not told their history is short."""
from dataclasses import asdict, replace

import numpy as np
import pandas as pd
import pytest

from ml import failure, unit_history
from ml.failure_sampling import sampled_rows
from services import maintenance as service
from services.maintenance_score_notes import history_notes


def test_a_large_file_keeps_every_failure_and_a_seeded_share_of_the_rest():
    y = pd.Series(np.r_[np.ones(20, int), np.zeros(980, int)])
    rows, share = sampled_rows(y, 200, seed=0)
    assert len(rows) == 200 and y.iloc[rows].sum() == 20 and share == pytest.approx(180 / 980)
    assert (np.diff(rows) > 0).all() and (rows == sampled_rows(y, 200, seed=0)[0]).all()
    assert sampled_rows(y, 1000, seed=0) == (None, 1.0) and sampled_rows(y, None, seed=0) == (None, 1.0)
    assert sampled_rows(1 - y, 200, seed=0) == (None, 1.0)  # label 1 the common value: nothing sampled


def test_the_sampled_model_fits_on_fewer_rows_and_keeps_the_files_failure_rate(monkeypatch):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"torque": rng.normal(40, 10, 4000), "wear": rng.uniform(0, 250, 4000)})
    y = pd.Series(((X["torque"] > 58) & (X["wear"] > 180) | (rng.random(4000) < 0.005)).astype(int))
    fitted = []
    base = failure.LightGBMClassifierTask.fit
    monkeypatch.setattr(failure.LightGBMClassifierTask, "fit",
                        lambda self, X, y: fitted.append(len(X)) or base(self, X, y))
    params = {**failure.model_settings(40), "max_rows": 1000}
    model = failure.FailureClassifierTask(**params).fit(X, y)
    assert fitted == [1000] and model.negative_share_ == pytest.approx((1000 - y.sum()) / (4000 - y.sum()))
    full = failure.FailureClassifierTask(**{**params, "max_rows": None}).fit(X, y)
    assert fitted == [1000, 4000] and full.negative_share_ == 1.0
    # weighted back: the mean P(failure) is near the file's failure rate, not the sample's (4 times higher)
    assert model.predict(X)["p_1"].mean() == pytest.approx(y.mean(), rel=0.25)
    assert model.get_params()["max_rows"] == 1000


def _drives(days: int, drives: int = 6) -> pd.DataFrame:
    """Daily SMART readings per drive, as Backblaze lists them: one row per drive and day."""
    rng = np.random.default_rng(1)
    frames = [pd.DataFrame({"date": pd.date_range("2023-01-01", periods=days, freq="D").strftime("%Y-%m-%d"),
                            "serial_number": f"ZA{d:04d}", "smart_194_raw": rng.normal(30, 3, days).round(),
                            "smart_5_raw": rng.poisson(0.2, days).cumsum(),
                            "failure": (np.arange(days) >= days - 3) & (d % 2 == 0)}) for d in range(drives)]
    return pd.concat(frames).sort_values(["date", "serial_number"], kind="stable").reset_index(drop=True)


def test_drives_scored_over_trainings_span_get_no_short_history_note():
    data = _drives(90)
    setup, _, _ = service.inspect_failure_data(data.assign(failure=data["failure"].astype(int)), "failure",
                                               id_column="serial_number", use_suggestions=False)
    history = setup.history
    assert history.labels()[2] == "13-week" and history.span == 89 * 86_400  # 90 days: first to last reading
    stored = unit_history.History.from_config(asdict(history))
    scored = _drives(90).drop(columns="failure")
    assert history_notes(scored, stored) == []  # was: "6 cover less than the 13-week baseline window"
    short = pd.concat([scored, _drives(30, drives=7).drop(columns="failure").tail(30)])
    assert "1 span less than 75% of training's usual 89 days per machine" in history_notes(short, stored)[0]
    old = {k: v for k, v in asdict(history).items() if k != "span"}  # a run stored before the span was kept
    assert "6 cover less than the 13-week baseline window" in history_notes(
        scored, unit_history.History.from_config(old))[0]
    longer = replace(history, span=120 * 86_400)  # training's drives filled the window: told against it, as before
    assert "6 cover less than the 13-week baseline window" in history_notes(scored, longer)[0]
