"""The maintenance CLI end to end on tiny data: train, score (input order, id, threshold), RUL, bad input."""
import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import cli
from ml.degradation_sim import simulate_fleet
from services import datasets, maintenance_plan, reports, runs
from services.errors import UserFacingError
from tests.support import drifting_fleet

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"


def _run(capsys, *argv):
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _trained_on_sample(capsys, tmp_path, *, rows: int, trees: int) -> tuple[pd.DataFrame, int]:
    """The AI4I sample's first rows, trained with UDI as the id: the data and the run id."""
    data = pd.read_csv(SAMPLE).head(rows)
    data.to_csv(tmp_path / "telemetry.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "train", "--data", tmp_path / "telemetry.csv", "--target",
                          "Machine failure", "--id", "UDI", "--folds", "3", "--trees", trees, "--json")
    assert code == 0, err
    return data, json.loads(out)["run_id"]


def _runtime(settings_env):
    from commands.common import runtime

    return runtime()


def test_train_and_score_failure_risk(settings_env, tmp_path, capsys):
    data = pd.read_csv(SAMPLE).head(600)
    data["Machine failure"] = data["Machine failure"].map({0: "ok", 1: "failed"})
    data["site"], data["notes"] = "plant-1", np.nan                  # nothing to learn from: left out, said
    data.loc[[5, 9, 11], "Machine failure"] = np.nan                  # unlabelled readings: left out, said
    failed = data.index[data["Machine failure"] == "failed"]
    data.loc[failed[:2], "Machine failure"] = "FAILED"                # one label in another case: folded, said
    data.loc[[20, 21, 22], "Machine failure"] = "OK"
    data.to_csv(tmp_path / "telemetry.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "train", "--data", tmp_path / "telemetry.csv", "--target",
                          "Machine failure", "--id", "UDI", "--folds", "3", "--trees", "20", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["run_id"] >= 1 and 0.5 < result["cv_auc"] <= 1 and 0 <= result["cv_f1"] <= 1
    assert result["positive"] == "failed" and 0 < result["threshold"] < 1
    assert {"UDI", "Product ID", "TWF", "HDF", "PWF", "OSF", "RNF", "site", "notes"} <= set(result["excluded_columns"])
    assert result["excluded_columns"]["notes"] == "empty column" and "constant" in result["excluded_columns"]["site"]
    assert "power_w" in result["derived_features"] and "TWF" not in result["features"]
    assert {m["mode"] for m in result["failure_modes"]} >= {"TWF", "PWF"}  # the breakdown, not only in the report
    assert "3 row(s) without a value in 'Machine failure' were left out of training." in result["notes"]
    assert "note: 3 row(s) without a value in 'Machine failure' were left out of training." in err  # --json too
    assert ("Target 'Machine failure': 'OK' (3 rows) counted as 'ok'; 'FAILED' (2 rows) counted as 'failed' (the "
            "same label in another letter case or spacing).") in result["notes"]
    assert result["positive_rate"] == pytest.approx(len(failed) / (len(data) - 3))

    new = data.iloc[::-1].head(50).assign(remark="checked")
    new.to_csv(tmp_path / "new.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "score", "--run", result["run_id"], "--data", tmp_path / "new.csv",
                          "--out", tmp_path / "scored.csv")
    assert code == 0, err
    # every ignored column said for what it is (before: 'Ignored 1 column(s) the model does not use: remark.')
    assert ("note: Ignored 10 column(s) the model does not read: 'Machine failure' (the failure column); left out in "
            "training: 'Product ID' (id), 'TWF', 'PWF', 'OSF', 'RNF' (failure-mode flag), 'HDF', 'site' (constant), "
            "'notes' (empty); 'remark' (not known to the model).") in err
    scored = pd.read_csv(tmp_path / "scored.csv")
    assert list(scored.columns) == ["UDI", "p_failure", "alert"]
    assert scored["UDI"].tolist() == new["UDI"].tolist()
    assert (scored["alert"] == (scored["p_failure"] >= result["threshold"]).astype(int)).all()
    runtime = _runtime(settings_env)
    stored = runs.predictions_frame(runtime, result["run_id"], kind="score")
    assert len(stored) == 50 and set(stored["record_key"]) == set(new["UDI"].astype(str))
    _, payload = reports.export_run_report(runtime, result["run_id"], "html", user="t")
    assert b"leakage guard" in payload
    html = payload.decode()  # features in words, not as LightGBM's safe names or the formula's own name
    assert "<li>Air temperature [K]</li>" in html and "_K_" not in html and "<li>Tool wear × Torque</li>" in html
    assert '"Tool wear \\u00d7 Torque"' in html and '"wear_x_torque"' not in html  # the SHAP chart's JSON
    assert runs.get_run(runtime, result["run_id"]).parameters["feature_words"]["Torque _Nm_"] == "Torque [Nm]"
    code, out, err = _run(capsys, "maintenance", "plan", "--run", result["run_id"], "--out", tmp_path / "plan.xlsx",
                          "--capacity", 1, "--horizon", 3, "--json")
    assert code == 0, err
    summary, plan = json.loads(out), pd.read_excel(tmp_path / "plan.xlsx")
    assert len(plan) == 50 and summary["slots_available"] == 3 and summary["slots_used"] <= 3
    assert (plan["action"] == "service").sum() == summary["slots_used"]
    assert list(plan.columns[:2]) == ["unit", "p_failure"] and plan["p_failure"].between(0, 1).all()  # as the page
    assert all(len(f"{v:.15g}".lstrip("0.").replace(".", "")) <= 6 for v in plan["p_fail_in_horizon"].dropna())
    assert any(n.startswith("The id column 'UDI' names each training reading once (600 ids in 600 rows): it numbers "
                            "readings, not machines") for n in summary["notes"])  # AI4I's readings planned as units
    about = openpyxl.load_workbook(tmp_path / "plan.xlsx")["about"]  # the notes travel with the file
    assert set(summary["notes"]) <= {c.value for c in about["B"]}
    inputs = {row[0].value: row[1].value for row in about.iter_rows() if row[0].value}  # and what the plan rests on
    assert inputs["Run"] == str(result["run_id"]) and inputs["Capacity"] == "1 per day"
    assert inputs["Horizon"] == "3 day(s)" and inputs["Unplanned failure cost"] == "50,000.00"
    assert inputs["Expected cost with the plan"] == f"{summary['expected_cost_plan']:,.2f}"


def test_train_and_score_rul_with_plan(settings_env, tmp_path, capsys):
    fleet = simulate_fleet(n_train=8, n_test=3, seed=4, min_life=35, max_life=50)
    fleet.train.sample(frac=1, random_state=1).to_csv(tmp_path / "train.csv", index=False)
    test = fleet.test.copy()
    test.loc[test.index[2], "s3"] = None
    test.rename(columns={"unit": "engine"}).to_csv(tmp_path / "bad.csv", index=False)
    test.to_csv(tmp_path / "test.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "train-rul", "--data", tmp_path / "train.csv", "--unit", "unit",
                          "--time", "cycle", "--cap", "40", "--epochs", "1", "--trees", "20", "--window", "8", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["champion"] in ("lightgbm", "sequence", "blend") and result["rmse"] > 0
    assert set(result["models"]) == {"lightgbm", "sequence", "blend"} and "nasa_score" in result["models"]["sequence"]
    assert result["rmse"] == min(m["rmse"] for m in result["models"].values())
    code, out, err = _run(capsys, "maintenance", "score-rul", "--run", result["run_id"], "--data",
                          tmp_path / "test.csv", "--out", tmp_path / "rul.csv")
    assert code == 0, err
    rul = pd.read_csv(tmp_path / "rul.csv")
    assert list(rul.columns) == ["unit", "rul", "rul_low", "rul_high"]
    assert rul["unit"].tolist() == list(pd.unique(test["unit"]))
    assert ((rul["rul_low"] <= rul["rul"]) & (rul["rul"] <= rul["rul_high"]) & (rul["rul_high"] <= 40)).all()
    runtime = _runtime(settings_env)
    fleet_frame = maintenance_plan.fleet(runtime, result["run_id"])
    plan = maintenance_plan.plan(fleet_frame, unplanned_failure_cost=1000, planned_maintenance_cost=100,
                                 capacity_per_period=1, horizon_periods=10)
    assert len(plan.frame) == 3 and plan.slots_used <= 10
    assert maintenance_plan.export_plan(plan.frame, "xlsx")[:2] == b"PK"
    report = reports.build_report(runtime, result["run_id"])  # the models in words, as the page shows them
    (table,) = [t for s in report.sections for name, t in s.tables if name == "Model comparison"]
    assert list(table.columns) == ["model", "RMSE (cycles)", "NASA score"] and len(table) == 3
    (shap,) = [s.figures[0] for s in report.sections if s.heading == "Explanations"]
    assert not any("__" in str(name) for name in shap.data[0].y)  # the SHAP chart names features in words
    stored = {name: t for s in report.sections if s.heading == "Predictions" for name, t in s.tables}
    assert list(stored) == ["Held-out cuts (first 500)",  # each kind a table of its own
                            "Scored units' RUL (first 500)"]
    assert len(stored["Scored units' RUL (first 500)"]) == 3
    # The settings found by name are listed (the report said 'none'); each table is a sheet under its full title
    # (Excel cuts a sheet name at 31 characters: 'Validation cuts of held-out uni').
    assert report.parameters["Operating-setting columns"] == "setting_1, setting_2, setting_3"
    from openpyxl import load_workbook
    from reports.export_xlsx import export_xlsx

    sheets = load_workbook(io.BytesIO(export_xlsx(report))).sheetnames
    assert {"Held-out cuts (first 500)", "Scored units' RUL (first 500)", "Model comparison"} <= set(sheets)
    written = (tmp_path / "rul.csv").read_text().splitlines()[1:]  # 2 decimals at most (15-digit floats before)
    assert all(len(v.split(".")[1]) <= 2 for line in written for v in line.split(",")[1:] if "." in v)
    code, _, err = _run(capsys, "maintenance", "score-rul", "--run", result["run_id"], "--data", tmp_path / "bad.csv",
                        "--out", tmp_path / "x.csv")
    assert code == 2 and "Columns not in the data: unit" in err and not (tmp_path / "x.csv").exists()
    assert "bad" not in {d.name for d in datasets.list_datasets(runtime)}  # refused before it was stored
    test.drop(columns=["s3"]).to_csv(tmp_path / "no_s3.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score-rul", "--run", result["run_id"], "--data",
                        tmp_path / "no_s3.csv", "--out", tmp_path / "x.csv")
    assert code == 2 and "The data lacks columns the model was trained on: s3." in err, err
    assert "no_s3" not in {d.name for d in datasets.list_datasets(runtime)}
    test.rename(columns={"unit": "Unit", "s3": "S3"}).to_csv(tmp_path / "cased.csv", index=False)  # another export
    code, _, err = _run(capsys, "maintenance", "score-rul", "--run", result["run_id"], "--data",
                        tmp_path / "cased.csv", "--out", tmp_path / "cased_rul.csv")
    assert code == 0 and "'Unit' as 'unit'" in err and "'S3' as 's3'" in err, err
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "cased_rul.csv"), rul)
    assert "Ignored" not in err  # the training file's own columns (a dropped constant sensor too) are not news
    test.assign(true_rul=7, remark="x").to_csv(tmp_path / "extra.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score-rul", "--run", result["run_id"], "--data",
                        tmp_path / "extra.csv", "--out", tmp_path / "extra_rul.csv")
    assert code == 0 and "Ignored 2 column(s) the model does not use: true_rul, remark." in err, err
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "extra_rul.csv"), rul)
    sensors = [c for c in test.columns if c.startswith("s") and c[1:].isdigit()]
    blind = test.copy()
    blind.loc[blind["unit"] == rul["unit"].iloc[1], sensors] = None  # settings read, not one sensor
    blind.to_csv(tmp_path / "blind.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score-rul", "--run", result["run_id"], "--data",
                        tmp_path / "blind.csv", "--out", tmp_path / "blind_rul.csv")
    assert code == 0, err
    given = pd.read_csv(tmp_path / "blind_rul.csv")
    assert given.iloc[1][["rul", "rul_low", "rul_high"]].isna().all() and given.drop(index=1)["rul"].notna().all()
    assert f"1 of 3 unit(s) have no sensor reading at all ({rul['unit'].iloc[1]}): their RUL is left empty." in err
    assert "Sensors with no value at all in some units" not in err  # the unit is named once, not per sensor
    unread = maintenance_plan.plan(maintenance_plan.fleet(runtime, result["run_id"]), unplanned_failure_cost=1000,
                                   planned_maintenance_cost=100, capacity_per_period=1, horizon_periods=10)
    assert len(unread.frame) == 3  # the unit without a RUL is still on the plan's list, to inspect
    row = unread.frame.set_index("unit").loc[str(rul["unit"].iloc[1])]
    assert row["action"] == maintenance_plan.NO_ESTIMATE and not row["alert"] and pd.isna(row["period"])
    blind[sensors] = None
    blind.to_csv(tmp_path / "all_blind.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score-rul", "--run", result["run_id"], "--data",
                        tmp_path / "all_blind.csv", "--out", tmp_path / "x.csv")
    assert code == 2 and "No unit in the file has a single sensor reading" in err, err
    _short_histories_are_unknown(capsys, runtime, tmp_path, test, result["run_id"])


def _short_histories_are_unknown(capsys, runtime, tmp_path, test: pd.DataFrame, run_id: int) -> None:
    """Each unit's last 3 readings (window 8): before, units at the cap read 40-40 and the plan gave them a
    failure chance of 0.01 in 10 cycles; the band is now the whole range, and the plan lists them to inspect
    (no estimate), neither healthy nor likely to fail."""
    test.groupby("unit").tail(3).to_csv(tmp_path / "last3.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score-rul", "--run", run_id, "--data", tmp_path / "last3.csv",
                        "--out", tmp_path / "last3_rul.csv")
    assert code == 0 and "so their band is the whole range 0–40 (rul_low 0)" in err, err
    rul = pd.read_csv(tmp_path / "last3_rul.csv")
    assert (rul["rul_low"] == 0).all() and (rul["rul_high"] == 40).all() and rul["rul"].between(0, 40).all()
    plan = maintenance_plan.plan(maintenance_plan.fleet(runtime, run_id), unplanned_failure_cost=1000,
                                 planned_maintenance_cost=100, capacity_per_period=1, horizon_periods=10)
    assert (plan.frame["action"] == maintenance_plan.NO_ESTIMATE).all() and plan.frame["p_fail_in_horizon"].isna().all()
    code, out, err = _run(capsys, "maintenance", "plan", "--run", run_id, "--out", tmp_path / "plan.csv",
                          "--capacity", 1, "--horizon", 10, "--json")
    assert code == 0, err
    written = pd.read_csv(tmp_path / "plan.csv")
    assert written["action"].tolist() == plan.frame["action"].tolist() and written["rul"].isna().all()  # no estimate
    assert json.loads(out)["actions"] == {maintenance_plan.NO_ESTIMATE: len(written)}
    _short_histories_read_unknown_on_screen(runtime, tmp_path, run_id, plan)


def _short_histories_read_unknown_on_screen(runtime, tmp_path, run_id: int, plan) -> None:
    """QA: a unit of 3 readings read "125 or more" (49.8 with cap 50) in the page's tables while its note said to
    read it as unknown, and its plan row showed 49.8 and 'None' cells and a full bar in the fleet chart."""
    from reports.maintenance_figures import fleet_ranking_figure
    from services import maintenance_results, maintenance_rul_scoring

    scored = maintenance_rul_scoring.score_rul(runtime, run_id, (tmp_path / "last3.csv").read_bytes(),
                                               filename="last3.csv", user="qa")
    assert list(scored.frame.columns) == ["unit", "rul", "rul_low", "rul_high"]  # the file keeps its numbers
    assert list(scored.short_units) == scored.frame["unit"].tolist()
    run = runs.get_run(runtime, run_id)
    shown = maintenance_results.rul_style(runtime, run, scored.frame, scored.short_units).to_string()
    assert shown.count("unknown (too few readings)") == 3 * len(scored.frame) and "40 or more" not in shown
    stored = runs.predictions_frame(runtime, run_id, kind="rul")
    table = maintenance_results.report_predictions(stored, "rul", 40.0)
    short = stored["short_history"].eq(True).to_numpy()  # the earlier whole histories keep their numbers
    assert short.sum() >= 3 and set(table.loc[short, "RUL"]) == {"unknown (too few readings)"}
    assert "unknown (too few readings)" not in set(table.loc[~short, "RUL"])
    assert not {"record_key", "dataset_id", "short_history"} & set(table.columns)
    fleet = maintenance_plan.fleet(runtime, run_id)
    page = maintenance_results.plan_shown(maintenance_plan.plan_export(plan, fleet), 40.0)
    assert set(page["rul"]) == {"–"} and set(page["p_fail_in_horizon"]) == {"–"}
    assert set(page["expected_saving"]) == {"–"}
    figure = fleet_ranking_figure(fleet, "rul", "Fleet", unit="cycles")
    assert len(figure.data[0].y) == 0 and f"{len(fleet)} without an estimate not shown" in figure.layout.title.text


def test_raw_nasa_files_find_their_operating_settings_unnamed(settings_env, tmp_path, capsys):
    """NASA's multi-condition files (FD002/FD004) have no header: the settings are found without --settings."""
    fleet = simulate_fleet(n_train=8, n_test=3, regimes=6, seed=5, min_life=35, max_life=50)
    for name, frame in (("train_FD002.txt", fleet.train), ("test_FD002.txt", fleet.test)):
        (tmp_path / name).write_text(frame.to_csv(sep=" ", header=False, index=False))
    code, _, err = _run(capsys, "maintenance", "train-rul", "--data", tmp_path / "train_FD002.txt", "--unit", "unit",
                        "--time", "cycle")  # the names NASA's documentation uses: the file itself has none
    assert code == 2 and "Columns not in the data: unit, cycle. The file's columns: column_1, column_2," in err
    assert "The file has no header row, so its columns are numbered from column_1 (NASA's turbofan files: --unit " \
           "column_1 --time column_2)." in err
    code, out, err = _run(capsys, "maintenance", "train-rul", "--data", tmp_path / "train_FD002.txt", "--unit",
                          "1", "--time", "column_2", "--epochs", "1", "--trees", "20", "--window", "8", "--json")
    assert code == 0, err  # a position stands for column_N in a file without a header row (it had been refused)
    notes = " ".join(json.loads(out)["notes"])
    assert "The file has no header row; read 1 as column_1." in notes
    assert json.loads(out)["units"] == 8
    assert "No column is named as an operating setting; column_3 takes a few fixed levels" in notes
    assert "note: No column is named as an operating setting" in err and "notes" not in json.loads(out)["models"]
    # the other settings, and the sensors flat within a condition, are not announced as settings found
    assert "column_4, column_5, column_6, column_10, column_15, column_21, column_23, column_24 take one level per " \
           "operating condition of column_3" in notes
    assert "Found 6 operating regimes" in notes
    code, out, err = _run(capsys, "maintenance", "score-rul", "--run", json.loads(out)["run_id"], "--data",
                          tmp_path / "test_FD002.txt", "--out", tmp_path / "rul.csv")
    assert code == 0, err
    rul = pd.read_csv(tmp_path / "rul.csv")
    assert rul["unit"].tolist() == list(pd.unique(fleet.test["unit"])) and rul["rul"].between(0, 125).all()


def test_blend_champion_scores_with_the_mean_of_both_models(settings_env, tmp_path, capsys, monkeypatch):
    from ml.rul import RulLightGBMTask
    from ml.rul_history import HistoryPreprocessor
    from ml.rul_shape import last_rows
    from ml.rul_sequence import RulSequenceTask
    from services import maintenance, maintenance_rul

    monkeypatch.setattr(maintenance_rul, "pick_champion", lambda results: maintenance_rul.BLEND)
    fleet = simulate_fleet(n_train=8, n_test=3, seed=5, min_life=35, max_life=50)
    fleet.train.to_csv(tmp_path / "train.csv", index=False)
    fleet.test.to_csv(tmp_path / "test.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "train-rul", "--data", tmp_path / "train.csv", "--unit", "unit",
                          "--time", "cycle", "--epochs", "1", "--trees", "20", "--window", "8", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["champion"] == "blend" and result["rmse"] == result["models"]["blend"]["rmse"]
    code, _, err = _run(capsys, "maintenance", "score-rul", "--run", result["run_id"], "--data", tmp_path / "test.csv",
                        "--out", tmp_path / "rul.csv")
    assert code == 0, err
    runtime = _runtime(settings_env)
    run = maintenance.maintenance_run(runtime, result["run_id"], maintenance_rul.RUL_TASK)
    folder = runtime.artifacts_dir / run.artifact_dir
    config = json.loads((folder / maintenance_rul.CONFIG_FILE).read_text())
    prepared, _ = HistoryPreprocessor.from_json(config["preprocess"]).transform(fleet.test)
    both = [m.predict(prepared)["rul"].to_numpy()[last_rows(prepared)]
            for m in (RulLightGBMTask.load(folder / "lightgbm"), RulSequenceTask.load(folder / "sequence"))]
    np.testing.assert_allclose(pd.read_csv(tmp_path / "rul.csv")["rul"], ((both[0] + both[1]) / 2).round(2),
                               rtol=0, atol=0.0051)  # the file's two decimals


@pytest.mark.parametrize("argv,message", [
    (["--target", "nope"], "Target column 'nope' is not in the data"),
    (["--target", "Type"], "exactly two values"),
    (["--target", "Machine failure", "--feature", "x = __import__('os')"], "not allowed"),
    (["--target", "Machine failure", "--folds", "1"], "at least 2 folds"),
    (["--target", "Machine failure", "--trees", "0"], "error: The model needs at least 1 tree (got 0)."),
])
def test_bad_requests_exit_2_and_store_no_run(settings_env, tmp_path, capsys, argv, message):
    pd.read_csv(SAMPLE).head(100).to_csv(tmp_path / "t.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "train", "--data", tmp_path / "t.csv", *argv)
    assert code == 2 and message in err
    assert runs.list_runs(_runtime(settings_env), desk="maintenance") == []


@pytest.mark.parametrize("argv,message", [
    (["train", "--target", "nope"], "Target column 'nope' is not in the data. Columns present: "),
    (["train", "--target", "Machine failure", "--id", "serial"], "Id column 'serial' is not in the data."),
    (["train-rul", "--unit", "unit", "--time", "when"], "Columns not in the data: unit, when. The file's columns: "),
])
def test_a_column_name_not_in_the_file_stores_neither_the_file_nor_a_job(settings_env, tmp_path, capsys, argv, message):
    from services import datasets, jobs

    pd.read_csv(SAMPLE).head(100).to_csv(tmp_path / "t.csv", index=False)
    code, _, err = _run(capsys, "maintenance", argv[0], "--data", tmp_path / "t.csv", *argv[1:])
    assert code == 2 and message in err
    assert datasets.list_datasets(_runtime(settings_env)) == [] and jobs.list_jobs(_runtime(settings_env)) == []


def test_a_three_valued_status_trains_with_its_recovering_rows_left_out(settings_env, tmp_path, capsys):
    """RECOVERING (the pump after a failure) is neither healthy nor failing: its rows are left out, so the status
    trains without --positive (it was refused as three values, and --positive BROKEN counted RECOVERING as healthy);
    naming it with --positive counts it as a failure."""
    data = pd.read_csv(SAMPLE).head(400)
    status = data.pop("Machine failure").map({0: "NORMAL", 1: "BROKEN"})
    status[status.index % 7 == 3] = np.where(status[status.index % 7 == 3] == "BROKEN", "BROKEN", "RECOVERING")
    data.assign(machine_status=status).to_csv(tmp_path / "pump.csv", index=False)
    argv = ("maintenance", "train", "--data", tmp_path / "pump.csv", "--target", "machine_status", "--folds", "3",
            "--trees", "20")
    labelled = status[status != "RECOVERING"]
    for extra in ((), ("--positive", "broken")):
        code, out, err = _run(capsys, *argv, *extra, "--json")
        assert code == 0, err
        result = json.loads(out)
        assert result["positive"] == "BROKEN"
        assert result["positive_rate"] == pytest.approx((labelled == "BROKEN").mean())
        assert any(n.startswith(f"'RECOVERING' ({int((status == 'RECOVERING').sum())} rows) of 'machine_status' name "
                                "the machine's state after a failure") for n in result["notes"])
        assert not any("count as no failure" in n or "read as failures" in n for n in result["notes"])
    code, out, err = _run(capsys, *argv, "--positive", "BROKEN,RECOVERING", "--json")
    assert code == 0, err
    assert json.loads(out)["positive_rate"] == pytest.approx(status.isin(["BROKEN", "RECOVERING"]).mean())
    code, out, err = _run(capsys, *argv, "--positive", "NORMAL", "--json")  # the wrong way round: said so
    assert code == 0, err
    assert any(n.endswith("are usually the rare value. If the failure is every other value, name those with "
                          "--positive (separated by commas: --positive BROKEN; 'Failure value' on the page).")
               for n in json.loads(out)["notes"])


def test_empty_file_is_refused(settings_env, tmp_path, capsys):
    (tmp_path / "e.csv").write_bytes(b"")
    code, _, err = _run(capsys, "maintenance", "train", "--data", tmp_path / "e.csv", "--target", "y")
    assert code == 2 and "nothing was stored" in err and "empty" in err
    assert datasets.list_datasets(_runtime(settings_env)) == []


def test_score_output_is_checked_first_and_written_as_asked(settings_env, tmp_path, capsys):
    """An --out that cannot be written stops before anything is stored; .xlsx gets a workbook."""
    data, run_id = _trained_on_sample(capsys, tmp_path, rows=400, trees=20)
    data.drop(columns=["Machine failure"]).head(20).to_csv(tmp_path / "new.csv", index=False)
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("x")
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "new.csv",
                        "--out", blocker / "scored.csv")
    assert code == 2 and "Cannot write --out" in err and "is a file, not a folder" in err
    assert runs.predictions_frame(_runtime(settings_env), run_id, kind="score").empty
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "new.csv",
                        "--out", tmp_path / "deeper" / "scored.xlsx")
    assert code == 0, err
    assert (tmp_path / "deeper" / "scored.xlsx").read_bytes()[:2] == b"PK"
    assert len(pd.read_excel(tmp_path / "deeper" / "scored.xlsx")) == 20
    odd = data.drop(columns=["Machine failure"]).head(20)
    odd.loc[odd.index[0], "Type"] = "Z"
    odd.loc[odd.index[1], "UDI"] = odd.loc[odd.index[2], "UDI"]
    odd["Torque [Nm]"] = odd["Torque [Nm]"].astype(object)
    odd.loc[odd.index[3:5], "Torque [Nm]"] = ["n/a", "ERR"]
    odd.to_csv(tmp_path / "odd.csv", index=False)
    lines = (tmp_path / "odd.csv").read_text().splitlines(keepends=True)
    (tmp_path / "odd.csv").write_text("".join(lines[:6] + ["," * (len(odd.columns) - 1) + "\n"] + lines[6:]))
    code, out, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "odd.csv",
                          "--out", tmp_path / "odd_scored.csv")
    assert code == 0, err
    assert err.count("note: Column 'Type' has values not seen in training ('Z', 1 rows)") == 1
    assert "not seen in training" not in out and out.startswith("run_id:")
    # Torque was never empty in training: its gaps are scored at the training median, not read as 0 Nm
    assert "note: Gaps (empty, unreadable or infinite values) in sensors that were never or rarely empty in training " \
        "(under 1% of its readings) were scored at the training median" in err
    assert "'Torque [Nm]' on 2 reading(s) (rows 4, 5 of the output), at " in err and "has 2 empty" not in err
    assert "note: Empty rows 6 were kept as rows with no values, so that the output lines up with the file." in err
    assert "note: Id column 'UDI' has 1 duplicated value(s)" in err
    assert len(pd.read_csv(tmp_path / "odd_scored.csv")) == 21  # the blank row keeps its place
    # A formula's input missing from the file is a missing column, named as such; spelled in capitals, it matches.
    data.drop(columns=["Machine failure", "Rotational speed [rpm]"]).head(5).to_csv(tmp_path / "no_rpm.csv",
                                                                                     index=False)
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "no_rpm.csv",
                        "--out", tmp_path / "no_rpm_scored.csv")
    assert code == 2 and "error: The file lacks columns the model needs: Rotational speed [rpm]." in err
    assert "no_rpm" not in {d.name for d in datasets.list_datasets(_runtime(settings_env))}  # refused: not kept
    shouted = data.drop(columns=["Machine failure"]).head(5).rename(columns={"Torque [Nm]": "TORQUE [NM]"})
    shouted.to_csv(tmp_path / "shouted.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "shouted.csv",
                        "--out", tmp_path / "shouted_scored.csv")
    assert code == 0 and "'TORQUE [NM]'" in err, err


def test_a_blank_or_inf_sensor_reading_raises_no_alarm(settings_env, tmp_path, capsys):
    """A torque of 0 (what a gap became) looks like a power failure; the gap is the median instead, and a
    formula reading it (power) takes its own median on that row."""
    data, run_id = _trained_on_sample(capsys, tmp_path, rows=600, trees=40)
    healthy = data[data["Machine failure"] == 0].drop(columns=["Machine failure"]).head(30).astype(object)
    healthy.to_csv(tmp_path / "clean.csv", index=False)
    for i, column in enumerate(["Torque [Nm]", "Rotational speed [rpm]", "Air temperature [K]",
                                "Process temperature [K]"] * 3):
        healthy.iloc[i, healthy.columns.get_loc(column)] = ["", "inf", "-inf"][i // 4]
    healthy.to_csv(tmp_path / "gaps.csv", index=False)
    clean_code, _, _ = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "clean.csv",
                            "--out", tmp_path / "clean_scored.csv")
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "gaps.csv",
                        "--out", tmp_path / "gaps_scored.csv")
    assert clean_code == 0 and code == 0, err
    clean, gaps = pd.read_csv(tmp_path / "clean_scored.csv"), pd.read_csv(tmp_path / "gaps_scored.csv")
    assert gaps["alert"].sum() <= clean["alert"].sum() and gaps["UDI"].tolist() == clean["UDI"].tolist()
    assert (gaps["p_failure"].head(12) < 0.5).all(), gaps.head(12)
    assert "'Torque [Nm]' on 3 reading(s) (rows 1, 5, 9 of the output)" in err


def test_a_blank_id_cell_leaves_the_other_ids_whole_and_a_blank_row_keeps_its_place(settings_env, tmp_path, capsys):
    data, run_id = _trained_on_sample(capsys, tmp_path, rows=300, trees=20)
    batch = data.drop(columns=["Machine failure"]).head(5).astype(object)
    batch.iloc[2, batch.columns.get_loc("UDI")] = ""
    lines = batch.to_csv(index=False).splitlines()
    lines.insert(5, "," * (batch.shape[1] - 1))  # a row of empty cells: it keeps its place in the output
    (tmp_path / "blank_id.csv").write_text("\n".join(lines) + "\n")
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "blank_id.csv",
                        "--out", tmp_path / "scored.csv")
    assert code == 0, err
    ids = pd.read_csv(tmp_path / "scored.csv", dtype=str, keep_default_na=False)["UDI"].tolist()
    assert ids == ["10", "16", "", "24", "", "32"]  # not 10.0: they must join back to the asset register
    assert "Empty rows 5 were kept as rows with no values" in err
    scored = pd.read_csv(tmp_path / "scored.csv", dtype=str, keep_default_na=False)
    assert scored.loc[4, "p_failure"] == "" and scored.loc[4, "alert"] == "0"  # no reading: not scored healthy
    assert scored.loc[2, "p_failure"] != ""  # a blank id alone is still a reading
    assert "1 row(s) hold no reading at all (rows 5 of the output): they were not scored" in err
    assert "duplicated value" not in err  # two blank ids are blanks, not a repeated id
    data.drop(columns=["Machine failure", "UDI"]).head(4).to_csv(tmp_path / "no_id.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "no_id.csv",
                        "--out", tmp_path / "no_id_scored.csv")
    assert code == 0 and "The scoring file has no id column 'UDI': its cells in the output are empty" in err, err
    no_id = pd.read_csv(tmp_path / "no_id_scored.csv", dtype=str, keep_default_na=False)
    assert list(no_id.columns) == ["UDI", "p_failure", "alert"] and (no_id["UDI"] == "").all() and len(no_id) == 4


def test_training_twice_on_one_file_stores_it_once(settings_env, tmp_path, capsys):
    data = pd.read_csv(SAMPLE).head(400)
    data.to_csv(tmp_path / "telemetry.csv", index=False)
    argv = ("maintenance", "train", "--data", tmp_path / "telemetry.csv", "--target", "Machine failure",
            "--folds", "3", "--trees", "10", "--json")
    first, second = (json.loads(_run(capsys, *argv)[1]) for _ in range(2))
    runtime = _runtime(settings_env)
    assert first["run_id"] != second["run_id"]
    assert len(datasets.list_datasets(runtime)) == 1
    assert runs.get_run(runtime, first["run_id"]).dataset_id == runs.get_run(runtime, second["run_id"]).dataset_id
    data.head(399).to_csv(tmp_path / "telemetry.csv", index=False)  # other bytes under the same name: a new dataset
    _run(capsys, *argv)
    assert len(datasets.list_datasets(runtime)) == 2


def test_many_columns_with_gaps_make_one_note_not_hundreds():
    from services import maintenance_score_notes as service

    few = service.gap_notes([("s1", 3), ("s2", 1)])
    assert few == ["Column 's1' has 3 empty or unreadable value(s); they were scored as missing.",
                   "Column 's2' has 1 empty or unreadable value(s); they were scored as missing."]
    many = service.gap_notes([(f"s{i}", i) for i in range(1, 231)])
    assert len(many) == 1 and many[0].startswith("230 columns") and "'s230' (230)" in many[0]


def test_a_near_chance_model_says_which_separating_columns_were_left_out():
    from services import maintenance as service
    from services.maintenance_checks import training_notes

    frame = pd.DataFrame({"failure": [0, 1, None], "smart_5": [0, 9, 1]})
    setup = service.FailureSetup("failure", "1", {"smart_5": "separates the target alone (AUC 0.998)"}, (), ("x",), ())
    notes = training_notes(frame, setup, {"cv_auc": 0.49, "positive_rate": 0.5})
    assert any("barely better than chance" in n and "'smart_5'" in n and "--keep" in n for n in notes)
    assert any(n.startswith("Only 1 failures to learn from") for n in notes) and len(notes) == 3
    assert not any("chance" in n for n in training_notes(frame, setup, {"cv_auc": 0.8, "positive_rate": 0.5}))
    plain = service.FailureSetup("failure", "1", {}, (), ("x",), ())           # nothing left out: still said
    below = training_notes(frame, plain, {"cv_auc": 0.32, "positive_rate": 0.5})
    assert any(n.startswith("The model is barely better than chance, or worse (cross-validated AUC 0.32)")
               for n in below)
    many = pd.DataFrame({"failure": [1] * 30 + [0] * 70})
    assert not any(n.startswith("Only") for n in training_notes(many, plain, {"cv_auc": 0.9,
                                                                                       "positive_rate": 0.3}))


def test_history_features_are_scored_from_the_files_own_readings_in_any_order(settings_env, tmp_path, capsys):
    data = drifting_fleet()
    data.to_csv(tmp_path / "fleet.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "train", "--data", tmp_path / "fleet.csv", "--target", "failure",
                          "--id", "machineID", "--folds", "3", "--trees", "20", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert "vibration, 1-day mean" in result["features"] and "datetime" in result["excluded_columns"]
    assert any(n.startswith("History features per 'machineID'") for n in result["notes"])
    assert any(n.startswith("Cross-validation keeps each 'machineID'") for n in result["notes"])
    new = data.drop(columns=["failure"]).tail(120)
    single = new.iloc[[0]].assign(machineID=99)                          # a machine with one reading
    shuffled = pd.concat([new, single]).sample(frac=1, random_state=0)
    for name, table in (("ordered", pd.concat([new, single])), ("shuffled", shuffled), ("single", single)):
        table.to_csv(tmp_path / f"{name}.csv", index=False)
        code, out, err = _run(capsys, "maintenance", "score", "--run", result["run_id"], "--data",
                              tmp_path / f"{name}.csv", "--out", tmp_path / f"{name}_scored.csv", "--json")
        assert code == 0, err
    ordered, scored = pd.read_csv(tmp_path / "ordered_scored.csv"), pd.read_csv(tmp_path / "shuffled_scored.csv")
    assert scored["machineID"].tolist() == shuffled["machineID"].tolist()          # rows stay in input order
    by_reading = ordered.assign(when=pd.concat([new, single])["datetime"].to_numpy()).set_index(["machineID", "when"])
    again = scored.assign(when=shuffled["datetime"].to_numpy()).set_index(["machineID", "when"])
    assert again["p_failure"].reindex(by_reading.index).to_numpy() == pytest.approx(by_reading["p_failure"].to_numpy())
    alone = pd.read_csv(tmp_path / "single_scored.csv")
    assert alone["p_failure"].iloc[0] == pytest.approx(ordered["p_failure"].iloc[-1])  # on its readings alone
    assert any("of 1 machine(s), 1 have readings spanning less than the 6-hour window (1 row(s), scored by the "
               "run's model on readings alone" in n for n in json.loads(out)["notes"])
    from services import maintenance_scoring

    why = maintenance_scoring.explain_readings(_runtime(settings_env), result["run_id"],
                                               shuffled.reset_index(drop=True), rows=[5])
    assert "vibration, reading minus 1-week mean" in why.feature_names and why.values.shape[0] == 1
    expected = shuffled.iloc[5]
    rolled = new[new["machineID"] == expected["machineID"]]
    rolled = rolled[rolled["datetime"] <= expected["datetime"]].tail(6)["vibration"].mean()
    assert why.data.loc[0, "vibration, 6-hour mean"] == pytest.approx(rolled)


def test_a_file_of_each_machines_latest_reading_is_scored_on_readings_alone_and_planned_by_machine(
        settings_env, tmp_path, capsys):
    """A daily job sends each machine's newest reading: the history model read it as 'no drift' (0 of 536 failure
    hours alerted); a second model on the readings alone scores it. The output keeps its documented columns
    (no --id: p_failure, alert), and the plan takes one row per machine, not one per reading."""
    data = drifting_fleet(machines=8)
    data.to_csv(tmp_path / "fleet.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "train", "--data", tmp_path / "fleet.csv", "--target", "failure",
                          "--folds", "3", "--trees", "20", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert any(n.startswith("A machine whose readings in a scored file span less than") for n in result["notes"])
    latest = data.drop(columns=["failure"]).groupby("machineID").tail(1).iloc[::-1]
    latest.to_csv(tmp_path / "latest.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "score", "--run", result["run_id"], "--data", tmp_path / "latest.csv",
                          "--out", tmp_path / "latest_scored.csv", "--json")
    assert code == 0, err
    scored = pd.read_csv(tmp_path / "latest_scored.csv")
    assert scored.columns.tolist() == ["p_failure", "alert"] and len(scored) == len(latest)
    assert any("8 have readings spanning less than the 6-hour window (8 row(s), scored by the run's model on "
               "readings alone" in n for n in json.loads(out)["notes"])
    from services import maintenance as service

    rt = _runtime(settings_env)
    run = runs.get_run(rt, result["run_id"])
    snapshot = service.read_json(rt, run, service.CONFIG_FILE)["snapshot"]
    from ml import failure, failure_calibration

    alone = failure.load_classifier(rt.artifacts_dir / run.artifact_dir / service.SNAPSHOT_DIR)
    X = service.model_frame(latest.reset_index(drop=True), snapshot["features"])
    assert scored["p_failure"].to_numpy() == pytest.approx(  # on its own calibrated scale, as its threshold
        failure_calibration.calibrated(alone.predict(X)["p_1"].to_numpy(), snapshot["calibration"]))
    assert (scored["alert"] == (scored["p_failure"] >= snapshot["threshold"]).astype(int)).all()
    data.drop(columns=["failure"]).tail(40).to_csv(tmp_path / "recent.csv", index=False)  # then a longer file
    code, out, err = _run(capsys, "maintenance", "score", "--run", result["run_id"], "--data", tmp_path / "recent.csv",
                          "--out", tmp_path / "recent_scored.csv", "--json")
    assert code == 0, err
    fleet = maintenance_plan.fleet(rt, result["run_id"])
    assert sorted(fleet["unit"].astype(int).tolist()) == list(range(1, 9))  # one row per machine, not per reading


def test_the_plan_of_a_run_without_ids_reads_the_latest_file_and_no_empty_row(settings_env, tmp_path, capsys):
    data = pd.read_csv(SAMPLE).head(300).drop(columns=["UDI", "Product ID"])
    data.to_csv(tmp_path / "telemetry.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "train", "--data", tmp_path / "telemetry.csv", "--target",
                          "Machine failure", "--folds", "3", "--trees", "10", "--json")
    assert code == 0, err
    run_id = json.loads(out)["run_id"]
    readings = data.drop(columns=["Machine failure"])
    readings.head(40).to_csv(tmp_path / "monday.csv", index=False)
    tuesday = readings.iloc[40:50].copy()
    tuesday.iloc[[3, 4]] = np.nan  # two rows of empty cells inside the file: kept in the output, no units
    tuesday.to_csv(tmp_path / "tuesday.csv", index=False)
    for name in ("monday.csv", "tuesday.csv"):
        code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / name,
                            "--out", tmp_path / f"scored_{name}")
        assert code == 0, err
    assert len(pd.read_csv(tmp_path / "scored_tuesday.csv")) == 10
    code, out, err = _run(capsys, "maintenance", "plan", "--run", run_id, "--out", tmp_path / "plan.csv", "--json")
    assert code == 0, err
    plan = pd.read_csv(tmp_path / "plan.csv")
    assert json.loads(out)["units"] == 8  # before: 40, rows 11-40 of Monday's file among them, and the empty rows
    assert sorted(plan["unit"].astype(int)) == [1, 2, 3, 6, 7, 8, 9, 10]


def test_readings_without_an_id_are_stored_apart_under_their_row(settings_env, tmp_path, capsys):
    data, run_id = _trained_on_sample(capsys, tmp_path, rows=300, trees=10)
    new = data.drop(columns=["Machine failure"]).head(6).copy()
    new["UDI"] = new["UDI"].astype("Int64")
    new.loc[[1, 2], "UDI"] = pd.NA      # two readings whose id cell is blank
    new.iloc[4] = np.nan                # a row of empty cells
    new.to_csv(tmp_path / "new.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "new.csv",
                        "--out", tmp_path / "scored.csv")
    assert code == 0, err
    stored = runs.predictions_frame(_runtime(settings_env), run_id, kind="score")
    udi = [str(u) for u in data["UDI"].head(6)]
    assert stored["record_key"].tolist() == [udi[0], "row 2", "row 3", udi[3], udi[5]]  # before: '<NA>' 3 times


def test_files_scored_without_the_runs_id_column_are_planned_from_the_latest_alone(settings_env, tmp_path, capsys):
    data, run_id = _trained_on_sample(capsys, tmp_path, rows=300, trees=10)
    readings = data.drop(columns=["Machine failure", "UDI"])  # the id column left out of the files to score
    readings.head(40).to_csv(tmp_path / "monday.csv", index=False)
    readings.iloc[40:50].to_csv(tmp_path / "tuesday.csv", index=False)
    for name in ("monday.csv", "tuesday.csv"):
        code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / name,
                            "--out", tmp_path / f"scored_{name}")
        assert code == 0, err
    code, out, err = _run(capsys, "maintenance", "plan", "--run", run_id, "--out", tmp_path / "plan.csv", "--json")
    assert code == 0, err
    assert json.loads(out)["units"] == 10  # before: 40, rows 11-40 of Monday's file among them
    assert "numbered" not in pd.read_csv(tmp_path / "plan.csv").columns


def test_one_machines_readings_without_a_machine_column_get_history_and_plan_as_one_machine(settings_env, tmp_path,
                                                                                           capsys):
    """A compressor's log (MetroPT-3's shape: a timestamp, sensors, no machine column) had no history features, and
    the plan listed each reading as a unit. Its readings are now one machine's history and one unit in the plan."""
    one = drifting_fleet(machines=1, hours=200).drop(columns=["machineID"])
    one.to_csv(tmp_path / "compressor.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "train", "--data", tmp_path / "compressor.csv", "--target",
                          "failure", "--folds", "3", "--trees", "10", "--json")
    assert code == 0, err
    result = json.loads(out)
    assert "vibration, 6-hour mean" in result["features"] and "datetime" in result["excluded_columns"]
    assert any(n.startswith("History features from the file's readings as one machine's (it has no machine "
                            "column), in the order of 'datetime'") for n in result["notes"])
    new = one.drop(columns=["failure"]).tail(40)
    new.sample(frac=1, random_state=0).to_csv(tmp_path / "new.csv", index=False)
    code, out, err = _run(capsys, "maintenance", "score", "--run", result["run_id"], "--data", tmp_path / "new.csv",
                          "--out", tmp_path / "scored.csv")
    assert code == 0, err
    scored = pd.read_csv(tmp_path / "scored.csv")
    assert list(scored.columns) == ["p_failure", "alert"] and len(scored) == 40
    from services import maintenance_scoring

    why = maintenance_scoring.explain_readings(_runtime(settings_env), result["run_id"], new.reset_index(drop=True),
                                               rows=[10])
    assert why.data.loc[0, "vibration, 6-hour mean"] == pytest.approx(new["vibration"].iloc[5:11].mean())
    with pytest.raises(UserFacingError, match="lacks columns the model needs: datetime, "):  # another run's file
        maintenance_scoring.explain_readings(_runtime(settings_env), result["run_id"], pd.read_csv(SAMPLE).head(5),
                                             rows=[0])  # was KeyError 'datetime'
    fleet = maintenance_plan.fleet(_runtime(settings_env), result["run_id"])
    assert fleet["unit"].tolist() == ["the machine"]  # one machine, at its latest reading (not 40 'units')
    latest = scored["p_failure"].to_numpy()[np.argmax(pd.to_datetime(pd.read_csv(tmp_path / "new.csv")["datetime"]))]
    assert fleet["p_failure"].iloc[0] == pytest.approx(latest)


def test_the_plan_command_prints_the_capacity_warning_the_page_shows(settings_env, tmp_path, capsys):
    """QA: a plan of 438 'no slot in time' rows said nothing of them from the terminal; the page warned."""
    data, run_id = _trained_on_sample(capsys, tmp_path, rows=300, trees=10)
    data.drop(columns=["Machine failure"]).head(30).to_csv(tmp_path / "new.csv", index=False)
    code, _, err = _run(capsys, "maintenance", "score", "--run", run_id, "--data", tmp_path / "new.csv",
                        "--out", tmp_path / "scored.csv")
    assert code == 0, err
    code, out, err = _run(capsys, "maintenance", "plan", "--run", run_id, "--out", tmp_path / "plan.csv",
                          "--capacity", 1, "--horizon", 2, "--unplanned-cost", 1e9, "--planned-cost", 1, "--json")
    assert code == 0, err
    late = pd.read_csv(tmp_path / "plan.csv").query("action == @maintenance_plan.OVER_CAPACITY")
    assert len(late) >= 20
    assert f"note: Capacity limits the plan: {len(late)} unit(s) would be worth servicing" in err
    assert any(n.startswith("Capacity limits the plan") for n in json.loads(out)["notes"])
