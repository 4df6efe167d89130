"""A formula the leakage guard leaves out (``twf_hdf = TWF + HDF``, a sub-label of the failure) is not computed at
scoring: a file of new readings, which never has the outcome columns, was refused ("The file lacks columns the model
needs: HDF, TWF"), and the formula was listed as a failure mode of the file."""
from pathlib import Path

import pandas as pd

from ml import expressions
from services import maintenance_inputs as inputs

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"  # AI4I's columns


def _formulas(*specs: str) -> list[expressions.DerivedFeature]:
    return [expressions.DerivedFeature(*(part.strip() for part in spec.split("=", 1))) for spec in specs]


def test_only_formulas_the_model_reads_and_those_they_are_made_of_are_kept():
    derived = _formulas("power = torque * rpm", "twf_hdf = TWF + HDF", "per_wear = power / wear")
    assert [d.name for d in inputs.used_formulas(["per_wear", "temp"], derived)] == ["power", "per_wear"]
    assert [d.name for d in inputs.used_formulas(["power"], derived)] == ["power"]
    assert inputs.used_formulas(["temp"], derived) == []


def test_a_formula_left_out_is_neither_asked_for_at_scoring_nor_a_failure_mode(settings_env):
    from commands.common import runtime
    from services import datasets, maintenance, maintenance_scoring

    rt = runtime()
    readings = pd.read_csv(SAMPLE)
    train = readings.head(1500)
    info = datasets.import_dataset(rt, train.to_csv(index=False).encode(), filename="ai4i.csv", user="t")
    run_id = maintenance.train_failure_job(rt, maintenance.failure_params(
        info.id, "Machine failure", derived=["twf_hdf = TWF + HDF", "power = `Torque [Nm]` * `Rotational speed [rpm]`"],
        folds=3, n_estimators=20, use_suggestions=False), lambda *_: None)
    run = maintenance.maintenance_run(rt, run_id, maintenance.FAILURE_TASK)
    config = maintenance.read_json(rt, run, maintenance.CONFIG_FILE)
    assert "twf_hdf" in config["excluded"] and "power" in config["features"]
    assert [d["name"] for d in config["derived"]] == ["power"]
    assert "twf_hdf" not in config["modes"] and "TWF" in config["modes"]
    new = readings.iloc[1500:1600].drop(columns=["Machine failure", "TWF", "HDF", "PWF", "OSF", "RNF"])
    scored = maintenance_scoring.score_failure(rt, run_id, new.to_csv(index=False).encode(), filename="new.csv",
                                               user="t")
    assert len(scored.frame) == 100 and scored.frame["p_failure"].notna().all()  # before: refused for HDF, TWF
