"""What the maintenance page shows, in words: the plan with each unit's RUL, why an alerted unit is left to
monitor, the RUL models compared, SHAP importance, the sensor table and the columns scoring does not read."""
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd

from services import maintenance_inputs, maintenance_plan, maintenance_results, maintenance_sensors
from services.maintenance_rul import CONFIG_FILE

FLEET = pd.DataFrame({"unit": ["42", "59", "41"], "rul": [9.39, 28.98, 123.69], "rul_low": [0.0, 19.49, 92.26],
                      "rul_high": [23.82, 43.41, 125.0]})


def _plan():
    return maintenance_plan.plan(FLEET, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                 capacity_per_period=2, horizon_periods=14)


def test_the_plan_table_shows_each_units_rul_and_a_blank_period_when_not_serviced():
    table = maintenance_plan.plan_export(_plan(), FLEET).set_index("unit")
    assert list(table.columns[:3]) == ["rul", "action", "period"]
    assert table["rul"].to_dict() == {"42": 9.39, "59": 28.98, "41": 123.69}
    assert table["action"].to_dict() == {"42": "service", "59": "monitor", "41": "monitor"}
    assert table["period"].astype(object).where(table["period"].notna(), None).to_dict() == {
        "42": 1, "59": None, "41": None}  # numbers (a header click sorted 'day 19' before 'day 9'), empty: no slot
    assert maintenance_results.plan_shown(table.reset_index(), period="week")["period"].tolist() == ["week 1", "", ""]


def test_an_alerted_unit_left_to_monitor_is_explained_with_its_chance_against_the_cost_ratio():
    result = _plan()
    assert result.frame.set_index("unit").loc["59", "alert"]  # RUL 29 < 30: alerted, yet not worth a slot
    note = maintenance_plan.unscheduled_alert_note(result, unplanned_failure_cost=50000,
                                                   planned_maintenance_cost=5000, horizon_periods=14)
    assert "1 unit(s) below the alert threshold are left to monitor, with 27 slot(s) free" in note
    assert "59 (7.2%)" in note and "above 10.0%" in note  # 0.1 × 14 / 19.49 = 7.2 % < 5,000 / 50,000
    cheaper = maintenance_plan.plan(FLEET, unplanned_failure_cost=50000, planned_maintenance_cost=2000,
                                    capacity_per_period=2, horizon_periods=14)
    assert cheaper.frame.set_index("unit").loc["59", "action"] == "service"  # 7.2 % > 4 %: scheduled
    assert maintenance_plan.unscheduled_alert_note(cheaper, unplanned_failure_cost=50000,
                                                   planned_maintenance_cost=2000, horizon_periods=14) is None


def _rul_run(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / CONFIG_FILE).write_text(json.dumps({"rul_unit": "hours"}))
    (folder / "explanation.json").write_text(json.dumps({"global_importance": {"cycle": 2.0, "s3__drift": 8.0,
                                                                               "s7__slope30": 1.5}}))
    metrics = {"rmse_lightgbm": 15.6147, "nasa_score_lightgbm": 403.80, "rmse_sequence": 20.83,
               "nasa_score_sequence": 1068.71, "rmse_blend": 17.1, "nasa_score_blend": 497.68,
               "validation_units": 40, "validation_folds": 5, "validation_cuts": 400}
    run = SimpleNamespace(artifact_dir="run", metrics=metrics, parameters={"champion": "lightgbm"})
    return SimpleNamespace(artifacts_dir=tmp_path), run


def test_the_rul_models_are_compared_in_words_with_the_split_and_importance(tmp_path):
    runtime, run = _rul_run(tmp_path)
    table, caption = maintenance_results.model_comparison(runtime, run)
    assert table.to_dict("list") == {"model": ["LightGBM (champion)", "sequence model", "blend"],
                                     "RMSE (hours)": [15.61, 20.83, 17.1], "NASA score": [403.8, 1068.7, 497.7]}
    assert caption.startswith("Lower is better for both.")
    assert "40 units held out of training (5 folds, each unit held out once)" in caption
    names, values = maintenance_results.rul_importance(runtime, run)
    assert names == ["s3, change from its first readings", "readings so far (age)",
                     "s7, trend over the last 30 readings"] and values == [8.0, 2.0, 1.5]


def _telemetry(n=60):
    rng = np.random.default_rng(0)
    failed = (np.arange(n) % 10 == 0).astype(int)
    return pd.DataFrame({"UDI": np.arange(1, n + 1), "Torque [Nm]": rng.normal(40, 5, n), "flat": np.full(n, 516.7034),
                         "Machine failure": failed, "TWF": failed * (np.arange(n) % 20 == 0), "HDF": failed,
                         "spare": (np.arange(n) % 7 == 0).astype(int)})


def test_the_sensor_table_leaves_out_the_label_flags_and_ids_and_reads_without_none():
    frame = _telemetry()
    left_out = maintenance_sensors.not_sensors(frame)
    assert maintenance_sensors.left_out_note(left_out) == (
        "Not sensors, left out: Machine failure (the failure label); TWF, HDF (failure-mode flags: records of the "
        "outcome); UDI (ids).")
    health = maintenance_sensors.sensor_health(frame, unit=None, time=None, skip=tuple(left_out))
    shown = maintenance_sensors.health_table(health).set_index("sensor")
    assert list(shown.index) == ["Torque [Nm]", "flat", "spare"]  # a 0/1 column unrelated to failures stays
    assert shown.loc["flat", "spread (std)"] == 0 and shown.loc["flat", "status"] == "flat"
    assert (shown["trend with time"] == "—").all() and not shown.isna().any().any()


def test_unit_and_time_columns_are_guessed_from_a_word_in_their_names():
    frame = pd.DataFrame({"setting_1": [0.1, 0.2, 0.3, 0.4], "s2": [1.0, 2.0, 3.0, 4.0], "engine_no": [1, 1, 2, 2],
                          "time_in_cycles": [1, 2, 1, 2]})
    assert maintenance_sensors.history_columns(frame) == ("engine_no", "time_in_cycles")
    telemetry = _telemetry()  # 'Machine failure' repeats but is a label, not a machine
    assert maintenance_sensors.history_columns(telemetry) == (None, None)


def test_the_columns_scoring_does_not_read_are_named_for_what_they_are():
    """The CLI's note named only columns new to the model; the failure column and the columns left out in training
    (ids, failure-mode flags, a constant column) went unsaid, while the page said them in a note of its own."""
    config = {"target": "Machine failure", "id_column": "UDI", "modes": ["TWF", "HDF"],
              "excluded": {"TWF": "sub-label: 98% of its positive rows are failures", "HDF": "named like a failure-mode "
                           "flag", "UDI": "identifier (chosen as the id column)", "Product ID": "identifier (unique "
                           "per row)", "site": "constant column (one value only)", "downtime": "named like a record "
                           "made with or after the failure (downtime, …) and alone it separates the target (AUC 0.97)"}}
    frame = ["UDI", "Product ID", "Torque [Nm]", "Machine failure", "TWF", "HDF", "site", "downtime", "remark"]
    note = maintenance_inputs.ignored_note(frame, config, {"UDI", "Torque [Nm]"})
    assert note == ["Ignored 7 column(s) the model does not read: 'Machine failure' (the failure column); left out in "
                    "training: 'Product ID' (id), 'TWF', 'HDF' (failure-mode flag), 'site' (constant), 'downtime' "
                    "(record made with or after the failure); 'remark' (not known to the model)."]
    assert maintenance_inputs.ignored_note(["UDI", "Torque [Nm]"], config, {"UDI", "Torque [Nm]"}) == []
    assert maintenance_inputs.ignored_note(["Torque [Nm]", "extra"], config, {"Torque [Nm]"}) == [
        "Ignored 1 column(s) the model does not read: 'extra' (not known to the model)."]
    assert maintenance_inputs.left_out_words("machine identifier: the model would learn …") == "machine id"
    assert maintenance_inputs.left_out_words("something new: why") == "something new"


def test_plan_settings_read_an_rul_runs_own_config(tmp_path, monkeypatch):
    """An RUL run keeps its config in rul.json; the plan read failure.json (absent), so a run counted in minutes
    was planned as if in days (1 a day, alert below 30) and its cap note never came."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / CONFIG_FILE).write_text(json.dumps({"rul_unit": "minutes", "cap": 600}))
    run = SimpleNamespace(id=3, task="rul", artifact_dir="run")
    monkeypatch.setattr(maintenance_plan.runs, "get_run", lambda runtime, run_id: run)
    monkeypatch.setattr(maintenance_plan, "scored_files_note", lambda runtime, run_, config_: [])  # no store
    found = maintenance_plan.plan_settings(SimpleNamespace(artifacts_dir=tmp_path), 3, horizon_periods=14)
    assert found.cycles_per_day == 1440.0 and found.rul_threshold == 43200.0
    assert "The RUL cap (600 minutes, 0.417 days) is shorter than the plan's horizon (14 days)" in found.notes[0]


def test_the_pages_rul_tables_write_a_rul_at_the_runs_cap_as_the_cap_or_more(tmp_path):
    """The scored-RUL and plan tables showed 125 where the scoring note says a RUL at the cap reads '125 or more';
    the page formats the numbers (a Styler), so they still sort as numbers and the downloads keep them."""
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / CONFIG_FILE).write_text(json.dumps({"rul_unit": "cycles", "cap": 125}))
    run = SimpleNamespace(id=3, task="rul", artifact_dir="run")
    formats = maintenance_results.rul_formats(SimpleNamespace(artifacts_dir=tmp_path), run, FLEET)
    assert sorted(formats) == ["rul", "rul_high", "rul_low"]
    shown = FLEET.style.format(formats).to_string()
    assert "125 or more" in shown and "123.7" in shown and "9.4" in shown
    assert [formats["rul_high"](v) for v in FLEET["rul_high"]] == ["23.8", "43.4", "125 or more"]
    assert FLEET["rul_high"].dtype == float


def test_histories_are_told_from_a_retail_file_by_a_repeating_unit_and_a_time():
    """The RUL tab's default: C-MAPSS reads as histories; a retail file's unique 'id' beside its 'date' does not."""
    def info(schema, distinct, rows):
        return SimpleNamespace(id=rows, schema=dict.fromkeys(schema, "float"), rows=rows,
                               profile=[{"name": c, "distinct": d} for c, d in zip(schema, distinct)])

    cmapss = info(["unit_number", "time_in_cycles", "op_setting_1", "sensor_2"], [40, 317, 133, 900], 8892)
    retail = info(["id", "date", "store_nbr", "family", "onpromotion"], [8880, 592, 3, 5, 40], 8880)
    ai4i = info(["UDI", "Product ID", "Machine failure", "Torque [Nm]"], [2500, 2487, 2, 500], 2500)
    assert maintenance_sensors.looks_like_histories(cmapss) and not maintenance_sensors.looks_like_histories(retail)
    assert not maintenance_sensors.looks_like_histories(ai4i) and maintenance_sensors.looks_like_sensor_data(ai4i)
    assert not maintenance_sensors.looks_like_sensor_data(retail)
    assert maintenance_sensors.sensor_dataset([retail, cmapss, ai4i]) == 1


def test_a_file_without_a_header_row_reads_as_histories_by_its_first_two_columns():
    """NASA's test_FD001.txt is stored as column_1 … column_26: unit, cycle, settings, sensors. The RUL and sensor
    tabs passed it by (its names say nothing); a headerless table of other numbers still does not count."""
    def profiled(columns):
        return [{"name": c, "kind": "numeric", "distinct": d, "min": lo, "max": hi} for c, (d, lo, hi) in columns]

    names = [f"column_{i}" for i in range(1, 7)]
    nasa = SimpleNamespace(id=13, schema=dict.fromkeys(names, "float"), rows=1490, profile=profiled(
        zip(names, [(15, "1", "15"), (226, "1", "226"), (105, "-0.0082", "0.0054"), (1, "100", "100"),
                    (300, "641.5", "644.1"), (900, "1571.0", "1602.3")])))
    assert maintenance_sensors.looks_like_histories(nasa) and maintenance_sensors.looks_like_sensor_data(nasa)
    prices = SimpleNamespace(id=14, schema=dict.fromkeys(names[:3], "float"), rows=1490, profile=profiled(
        zip(names[:3], [(1400, "0.5", "99.1"), (226, "1", "226"), (105, "-0.0082", "0.0054")])))
    assert not maintenance_sensors.looks_like_histories(prices)  # the first column is no repeating whole number
    frame = pd.DataFrame({"column_1": [1, 1, 2, 2], "column_2": [1, 2, 1, 2], "column_3": [0.1, 0.2, 0.3, 0.5]})
    assert maintenance_sensors.history_columns(frame) == ("column_1", "column_2")
    assert maintenance_sensors.history_columns(frame.assign(column_1=[0.5, 0.5, 1.5, 1.5])) == (None, None)
