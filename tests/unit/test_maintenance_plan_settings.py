"""What the plan reads a run's predictions in: an RUL counted in minutes is not read as days."""
from types import SimpleNamespace

import pytest

from domain.maintenance import MaintenanceCosts, UnitOutlook, plan_maintenance
from services import maintenance_plan, maintenance_results, maintenance_sensors


@pytest.fixture
def run_with(monkeypatch):
    def setup(config: dict, task: str = "rul"):
        run = SimpleNamespace(id=1, task=task)
        monkeypatch.setattr(maintenance_plan.runs, "get_run", lambda runtime, run_id: run)
        monkeypatch.setattr(maintenance_plan, "read_json", lambda runtime, run_, name: config)
        monkeypatch.setattr(maintenance_plan, "latest_reading_note", lambda runtime, run_, config_: [])  # no store
        monkeypatch.setattr(maintenance_plan, "scored_files_note", lambda runtime, run_, config_: [])
    return setup


def test_an_rul_counted_in_minutes_plans_in_minutes_per_day_and_alerts_within_days(run_with):
    run_with({"rul_unit": "minutes", "cap": 30_000.0})
    settings = maintenance_plan.plan_settings(None, 1)
    assert settings.cycles_per_day == 1_440 and settings.rul_threshold == 30 * 1_440
    assert len(settings.notes) == 1  # the cap (20.8 days) reaches past the 14-day horizon, not the 30-day alert
    assert settings.notes[0].startswith("The RUL alert (43,200 minutes, 30 days) is at or above the RUL cap (30,000 "
                                        "minutes): the model tells lives apart only up to the cap, so every unit is "
                                        "alerted, even one predicted at the cap (healthy so far).")
    costs = MaintenanceCosts(50_000, 5_000, 2, horizon_periods=14, cycles_per_day=settings.cycles_per_day)
    bearing = UnitOutlook("set4", rul=379.0, rul_low=250.0, rul_high=500.0)  # six hours from failure
    row = plan_maintenance([bearing], costs, rul_threshold=settings.rul_threshold).rows[0]
    assert row.p_fail_in_horizon == 1.0 and row.alert and row.action == "service" and row.period == 1


def test_a_cap_shorter_than_the_horizon_is_warned_and_a_given_rate_is_kept(run_with):
    run_with({"rul_unit": "minutes", "cap": 1_250.0})
    settings = maintenance_plan.plan_settings(None, 1, cycles_per_day=60.0, rul_threshold=100.0)
    assert settings.cycles_per_day == 60.0 and settings.rul_threshold == 100.0
    assert any("(1,440 a day); the plan used the 60 a day given" in n for n in settings.notes)
    assert not any("shorter than the plan's horizon" in n for n in settings.notes)  # 1,250 / 60: 20.8 days
    run_with({"rul_unit": "minutes", "cap": 1_250.0})
    warned = maintenance_plan.plan_settings(None, 1)
    assert any(n.startswith("The RUL cap (1,250 minutes, 0.868 days) is shorter than the plan's horizon (14 days)")
               for n in warned.notes)


def test_cycles_are_read_as_days_with_a_note_and_old_runs_find_their_unit(run_with):
    run_with({"time": "cycle", "cap": 125.0})
    settings = maintenance_plan.plan_settings(None, 1)
    assert settings.cycles_per_day == 1.0 and settings.rul_threshold == 30.0
    said = ("The run counts RUL in cycles; the plan reads one of them as a day: give the cycles per day "
            "(--cycles-per-day; 'RUL time units per day' on the page) if not.")
    assert settings.notes[0] == said
    assert maintenance_plan.plan_settings(None, 1, cycles_per_day=1.0).notes[0] == said  # the page passes its 1
    assert maintenance_plan.plan_settings(None, 1, cycles_per_day=3.0).notes[0] == (
        "The run counts RUL in cycles; the plan reads 3 of them as a day, as given.")
    assert maintenance_results.rul_unit({"time": "ts", "preprocess": {"time_unit_": ["hours", 3600]}}) == "hours"
    assert maintenance_results.rul_unit({"time": "op_hours"}) == "hours"


def test_a_failure_risk_run_says_how_p_failure_is_read_and_when_rows_are_units(run_with):
    calibrated = {"calibration": {"method": "platt", "coef": 0.9, "intercept": 0.1}}
    run_with({"id_column": None, **calibrated}, task=maintenance_plan.FAILURE_TASK)
    notes = maintenance_plan.plan_settings(None, 1, period="week", units=7_776).notes
    assert notes[0].startswith("p_failure is read as each unit's chance of failing within one week")
    assert "each scored row is a unit (7,776 units)" in notes[1]
    run_with({"id_column": "Turbine_ID", **calibrated}, task=maintenance_plan.FAILURE_TASK)
    assert len(maintenance_plan.plan_settings(None, 1, units=6).notes) == 1


def test_a_failure_risk_run_trained_before_calibration_is_said_to_plan_on_raw_scores(run_with):
    run_with({"id_column": "Turbine_ID"}, task=maintenance_plan.FAILURE_TASK)  # no calibration stored
    notes = maintenance_plan.plan_settings(None, 1, units=6).notes
    assert len(notes) == 2 and notes[1].startswith("This run's p_failure is the model's raw score (it was trained ")


def test_readings_listed_newest_first_are_stored_oldest_first_so_the_plan_takes_the_newest():
    import pandas as pd

    from services.maintenance_scoring import reading_order

    frame = pd.DataFrame({"Timestamp": pd.to_datetime(["2017-02-15", "2017-02-15", "2017-02-03", "2017-02-03"]),
                          "Turbine_ID": ["T01", "T06", "T01", "T06"]})
    order, notes = reading_order(frame, frame["Turbine_ID"])
    assert order.tolist() == [2, 3, 0, 1] and "in the order of 'Timestamp'" in notes[0]
    newest = frame.iloc[order].drop_duplicates("Turbine_ID", keep="last")
    assert newest["Timestamp"].eq(pd.Timestamp("2017-02-15")).all()
    oldest_first = frame.iloc[::-1]
    order, notes = reading_order(oldest_first, oldest_first["Turbine_ID"].reset_index(drop=True))
    assert order.tolist() == [0, 1, 2, 3] and notes == []  # already in time order: nothing to say
    once = frame.drop_duplicates("Turbine_ID")
    assert reading_order(once, once["Turbine_ID"])[1] == []  # each machine once: the file's order


def test_a_newest_first_file_with_text_unix_and_excel_times_is_stored_oldest_first():
    import pandas as pd

    from services.maintenance_scoring import reading_order

    frame = pd.DataFrame({"timestamp": ["2023-03-02T10:00:00+02:00", "1677751200", "44986.333333", "1677657600"],
                          "machine": ["M-0001", "M-0002", "M-0001", "M-0002"]})  # 03-02 08:00, 03-02 10:00 UTC …
    order, notes = reading_order(frame, frame["machine"], "timestamp")
    assert order.tolist() == [2, 3, 0, 1] and "in the order of 'timestamp'" in notes[0]
    assert reading_order(frame, frame["machine"])[1] == []  # no run time column, no dates: the file's order
    by_machine = frame.iloc[[2, 0, 3, 1]].reset_index(drop=True)  # machine after machine, each oldest first
    order, notes = reading_order(by_machine, by_machine["machine"], "timestamp")
    assert order.tolist() == [0, 1, 2, 3] and notes == []  # no note: the plan's newest readings were right


def test_the_sensor_views_guess_the_unit_and_time_columns():
    import pandas as pd

    fleet = pd.DataFrame({"unit": [1, 1, 2, 2], "cycle": [1, 2, 1, 2], "s1": [0.1, 0.2, 0.3, 0.4]})
    assert maintenance_sensors.history_columns(fleet) == ("unit", "cycle")
    azure = pd.DataFrame({"datetime": ["2015-01-01 06:00"] * 2, "machineID": [1, 1], "volt": [170.0, 171.0]})
    assert maintenance_sensors.history_columns(azure) == ("machineID", "datetime")
    snapshot = pd.DataFrame({"UDI": [1, 2, 3], "Air temperature [K]": [298.1, 298.2, 298.1]})  # one row a reading
    assert maintenance_sensors.history_columns(snapshot) == (None, None)
    logged = pd.DataFrame({"asset": ["a", "a"], "logged_at": ["2024-01-01", "2024-01-02"], "t1": [1.0, 2.0]})
    assert maintenance_sensors.history_columns(logged, {"logged_at": "time"}) == ("asset", "logged_at")


def test_an_alert_below_the_cap_says_nothing_and_one_at_it_names_both(run_with):
    """A run in hours capped at 500 alerted below 30 days (720 hours): every scored unit, those at the cap too."""
    run_with({"rul_unit": "hours", "cap": 500.0})
    said = maintenance_plan.plan_settings(None, 1).notes
    assert said == ("The RUL alert (720 hours, 30 days) is at or above the RUL cap (500 hours): the model tells lives "
                    "apart only up to the cap, so every unit is alerted, even one predicted at the cap (healthy so "
                    "far). Give an alert below the cap (--rul-alert; 'RUL alert threshold' on the page), or train "
                    "with a larger --cap ('RUL cap' on the page).",)
    assert maintenance_plan.plan_settings(None, 1, rul_threshold=240.0).notes == ()
    run_with({"time": "cycle", "cap": 25.0})  # cycles: no days
    assert maintenance_plan.plan_settings(None, 1, cycles_per_day=1.0).notes[1].startswith(
        "The RUL alert (30 cycles) is at or above the RUL cap (25 cycles)")
