"""What the maintenance page and report show, from a browser QA pass: units without an estimate read as unknown,
chances in percent, the sensor views on the maintenance data without its operating settings, a derived feature that
computes nothing named, confirmations and captions in words."""
import json
from types import SimpleNamespace

import numpy as np
import pandas as pd

from domain.maintenance import is_failure_label
from reports.maintenance_figures import fleet_ranking_figure, rul_trend_figure
from services import maintenance, maintenance_plan, maintenance_results, maintenance_sensors
from services.maintenance_rul import CONFIG_FILE

LAST = pd.DataFrame({"unit": [104, 999, 37], "rul": [116.0, 125.0, 22.0], "rul_low": [77.9, 0.0, 14.4],
                     "rul_high": [125.0, 125.0, 30.7]})


def _run(tmp_path, cap=125):
    folder = tmp_path / "run"
    folder.mkdir(exist_ok=True)
    (folder / CONFIG_FILE).write_text(json.dumps({"rul_unit": "cycles", "cap": cap}))
    return SimpleNamespace(artifacts_dir=tmp_path), SimpleNamespace(id=5, task="rul", artifact_dir="run")


def test_a_unit_scored_on_too_few_readings_reads_unknown_not_the_cap_or_more(tmp_path):
    runtime, run = _run(tmp_path)
    styler = maintenance_results.rul_style(runtime, run, LAST, unknown=(999,))
    shown = styler.to_string().splitlines()
    row = next(line for line in shown if " 999 " in f" {line} ")
    assert row.count("unknown (too few readings)") == 3 and "125 or more" not in row
    assert "125 or more" in next(line for line in shown if " 104 " in f" {line} ")  # a long history keeps its words
    assert LAST["rul"].dtype == float  # the numbers stay, for sorting and the download
    stored = LAST.assign(short_history=[False, True, False])  # as score-rul stores the units
    report = maintenance_results.report_predictions(stored.assign(record_key=LAST["unit"].astype(str),
                                                                  dataset_id=3), "rul", 125.0)
    assert list(report.columns) == ["unit", "RUL", "RUL, low end", "RUL, high end"]
    assert report["RUL"].tolist() == ["116.00", "unknown (too few readings)", "22.00"]


def test_a_unit_without_an_estimate_has_no_number_in_the_plan_and_no_bar_in_the_fleet_chart():
    fleet = LAST.assign(unit=LAST["unit"].astype(str), short_history=[False, True, False], rul=[116.0, 49.8, 22.0])
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=2, horizon_periods=14)
    table = maintenance_plan.plan_export(result, fleet).set_index("unit")
    assert table.loc["999", "action"] == maintenance_plan.NO_ESTIMATE and pd.isna(table.loc["999", "rul"])
    shown = maintenance_results.plan_shown(table.reset_index(), 125.0).set_index("unit")
    assert shown.loc["999", ["rul", "period", "p_fail_before_service", "p_fail_in_horizon",
                             "expected_saving"]].tolist() == ["–", "", "–", "–", "–"]
    assert shown.loc["37", "rul"] == "22.0" and shown.loc["104", "expected_saving"] == "0"
    figure = fleet_ranking_figure(fleet, "rul", "Fleet, most urgent first", unit="cycles")
    assert list(figure.data[0].y) == ["37", "104"]
    assert figure.layout.title.text == "Fleet, most urgent first; 1 without an estimate not shown (999)"
    assert figure.layout.xaxis.title.text == "Remaining useful life (cycles)"


def test_the_plan_of_a_failure_risk_run_shows_the_chance_of_failure_in_percent():
    fleet = pd.DataFrame({"unit": ["M1", "M2"], "p_failure": [1.0, 0.1264]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=2, horizon_periods=14)
    shown = maintenance_results.plan_shown(maintenance_plan.plan_export(result, fleet)).set_index("unit")
    assert shown["p_failure"].to_dict() == {"M1": "100.0", "M2": "12.6"}  # was 1.000 and 0.126 beside two % columns
    assert shown.loc["M1", "p_fail_in_horizon"] == "100.0"


def test_the_scored_histories_are_confirmed_with_the_units_below_the_alert():
    message = maintenance_results.scored_units_message(LAST.assign(rul=[116.0, 12.0, 22.0]), [999], 30.0, "cycles")
    assert message == ("Scored 3 units; 1 below the RUL alert threshold (30 cycles); 1 without an estimate "
                       "(too few readings).")
    assert maintenance_results.scored_units_message(LAST, [], 30.0, "cycles") == (
        "Scored 3 units; 1 below the RUL alert threshold (30 cycles).")


def test_the_waterfall_ends_in_a_chance_of_failure_and_opens_on_the_riskiest_reading():
    caption = maintenance_results.log_odds_caption(10.76, 0.35)
    assert caption.startswith("The model's score of 10.760 log-odds is a chance of failure of 100.0% (at or above "
                              "the alert threshold of 35.0%)")
    assert "chance of failure of 11.9% (below" in maintenance_results.log_odds_caption(-2.0, 0.35)
    scored = pd.DataFrame({"row": [1, 2, 3, 4], "p_failure": [0.1, np.nan, 0.93, 0.5]})
    assert maintenance_results.riskiest_row(scored) == 3
    assert maintenance_results.riskiest_row(scored.assign(p_failure=np.nan)) == 1


def test_the_sensor_views_leave_out_operating_settings_and_open_on_maintenance_data():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"unit": np.repeat([1, 2, 3], 20), "cycle": np.tile(np.arange(1, 21), 3),
                          "setting_1": rng.normal(0, 0.002, 60), "setting_2": rng.normal(0, 0.0003, 60),
                          "s2": rng.normal(642, 0.5, 60)})
    left_out = maintenance_sensors.not_sensors(frame, {}, "unit", "cycle")
    assert left_out == {"setting_1": maintenance_sensors.SETTING, "setting_2": maintenance_sensors.SETTING}
    health = maintenance_sensors.sensor_health(frame, unit="unit", time="cycle", skip=tuple(left_out))
    assert health["sensor"].tolist() == ["s2"]
    loans = SimpleNamespace(id=9, schema={"loan_amnt": "float", "int_rate": "float", "default": "int"})
    fleet = SimpleNamespace(id=4, schema={"unit": "int", "cycle": "int", "s2": "float"})
    telemetry = SimpleNamespace(id=2, schema={"UDI": "int", "Machine failure": "int"})
    assert maintenance_sensors.sensor_dataset([loans, fleet, telemetry]) == 1  # newest table that reads as histories
    assert maintenance_sensors.sensor_dataset([loans, fleet, telemetry], latest_run_dataset=2) == 2
    assert maintenance_sensors.sensor_dataset([loans]) == 0
    assert not is_failure_label("default") and is_failure_label("fault_code")  # de-fault read as a machine fault


def test_a_derived_feature_that_computes_nothing_is_named_in_the_notes():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"Torque [Nm]": rng.normal(40, 5, 60), "rpm": rng.normal(1500, 100, 60),
                          "Machine failure": [1, 0, 0, 0, 0, 0] * 10})
    setup, _, _ = maintenance.inspect_failure_data(frame, "Machine failure", derived=["ratio = `Torque [Nm]` / 0"],
                                                   use_suggestions=False)
    assert "ratio" not in setup.features and setup.flags["ratio"] == "formula gives no number on any row"
    assert ("Derived feature 'ratio' is infinite or empty on every row (division by zero?) and was left out."
            in setup.label_notes)


def test_the_rul_trend_names_the_runs_unit_on_its_axis():
    every = pd.DataFrame({"time": [1, 2], "rul": [50.0, 49.0], "rul_low": [40.0, 39.0], "rul_high": [60.0, 59.0]})
    assert rul_trend_figure(every, "Unit 1", unit="hours").layout.yaxis.title.text == "Remaining useful life (hours)"


def test_the_page_plan_keeps_numbers_under_its_words_so_a_header_click_sorts_them():
    fleet = LAST.assign(unit=LAST["unit"].astype(str), short_history=[False, True, False], rul=[116.0, 49.8, 9.5])
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=2, horizon_periods=14)
    table = maintenance_plan.plan_export(result, fleet)
    styler = maintenance_results.plan_style(table, 125.0)
    data = styler.data.set_index("unit")
    assert data["rul"].dtype == float and data["expected_saving"].dtype == float  # were text: '9.5' > '116.0'
    assert data["rul"].sort_values().index.tolist() == ["37", "104", "999"]
    assert data.loc["37", "p_fail_in_horizon"] == 100 * table.set_index("unit").loc["37", "p_fail_in_horizon"]
    shown = maintenance_results.plan_shown(table, 125.0).set_index("unit")  # the words the page writes over them
    assert shown.loc["999", ["rul", "expected_saving"]].tolist() == ["–", "–"] and shown.loc["37", "rul"] == "9.5"
    row = next(line for line in styler.to_string().splitlines() if " 999 " in f" {line} ")
    assert "49.8" not in row and row.count("–") >= 3


def test_the_report_keeps_small_chances_of_failure_in_percent_rounded_after_scaling():
    """p_failure 0.0026 was rounded to 0.00 before the scaling to percent: 0 % on rows with alert = 1."""
    stored = pd.DataFrame({"record_key": ["1", "2", "3"], "p_failure": [0.0026, 0.5, 0.0000312], "alert": [1, 1, 0]})
    report = maintenance_results.report_predictions(stored, "score")
    assert report["chance of failure (%)"].tolist() == [0.26, 50.0, 0.00312]


def test_the_plan_writes_chances_below_one_percent_with_three_significant_digits_and_exports_six():
    """0.258 % read 0.3 beside an alert threshold of 0.3 %, and the CSV had 19 significant digits."""
    fleet = pd.DataFrame({"unit": ["M1", "M2", "M3"], "p_failure": [0.00258, 0.0123456789012345678, 0.9]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=1, horizon_periods=3, risk_threshold=0.003)
    table = maintenance_plan.plan_export(result, fleet)
    assert table.set_index("unit").loc["M2", "p_failure"] == 0.0123457
    assert "0.0123456789" not in maintenance_plan.export_plan(table, "csv").decode()
    shown = maintenance_results.plan_shown(table).set_index("unit")
    assert shown["p_failure"].to_dict() == {"M1": "0.258", "M2": "1.23", "M3": "90.0"}
    assert [maintenance_results.percent_text(v) for v in (0.0026, 0.0, np.nan)] == ["0.00260", "0.0", "–"]


def test_a_unit_not_serviced_has_a_number_after_every_period_written_blank_not_none():
    """A gap in the page's period column was drawn as a grey 'None' whatever the table's format said."""
    fleet = pd.DataFrame({"unit": ["M1", "M2"], "p_failure": [0.9, 0.0001]})
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=50000, planned_maintenance_cost=5000,
                                   capacity_per_period=1, horizon_periods=3)
    styler = maintenance_results.plan_style(maintenance_plan.plan_export(result, fleet), period="week")
    data = styler.data.set_index("unit")["period"]
    assert data.notna().all() and data["M1"] == 1 and np.isinf(data["M2"])
    row = next(line for line in styler.to_string().splitlines() if " M2 " in f" {line} ")
    assert "inf" not in row and "week" not in row


def test_the_note_on_bands_at_the_cap_names_the_high_end_as_the_table_heads_it():
    """The note said "for them rul_high is the cap" beside a table headed "RUL, high end"."""
    from services.maintenance_rul_scoring import _at_cap_note

    note, = _at_cap_note(LAST, 125.0, "cycles")
    assert "the band's high end (\"RUL, high end\") is the cap, not an upper bound" in note and "rul_high" not in note
