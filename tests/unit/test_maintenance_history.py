"""Per-machine history features for failure risk: past readings only, per unit, in input order, windows from
the spacing, names in words; cross-validation by machine; snapshots such as AI4I unchanged."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml import unit_history
from services import maintenance as service
from services import maintenance_checks as checks

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"


def _fleet(machines: int = 4, hours: int = 60, seed: int = 0) -> pd.DataFrame:
    """Hourly readings of a few machines, interleaved by time as an export lists them, with a failure label."""
    rng = np.random.default_rng(seed)
    frames = [pd.DataFrame({"datetime": pd.date_range("2015-01-01", periods=hours, freq="h"), "machineID": m,
                            "volt": 170 + 5 * m + rng.normal(0, 3, hours), "vibration": 40 + rng.normal(0, 2, hours),
                            "age": m, "comp_fail": 0, "failure": (np.arange(hours) % 20 >= 17).astype(int)})
              for m in range(1, machines + 1)]
    return pd.concat(frames).sort_values(["datetime", "machineID"], kind="stable").reset_index(drop=True)


def _with_history(data: pd.DataFrame, **kwargs):
    setup, table, _ = service.inspect_failure_data(data, "failure", use_suggestions=False, **kwargs)
    return setup, table


def test_history_features_read_only_the_current_and_earlier_readings_of_the_same_machine():
    data = _fleet()
    setup, table = _with_history(data)
    assert setup.history is not None and setup.history.unit == "machineID" and setup.history.time == "datetime"
    assert setup.history.sensors == ("volt", "vibration")  # not age (one value per machine), not the flag
    assert "volt, 1-day mean" in setup.features and "vibration, reading minus 1-week mean" in setup.features
    assert table.index.equals(data.index) and (table["machineID"] == data["machineID"]).all()  # input order
    one = data[data["machineID"] == 2]
    assert table.loc[one.index, "volt, 6-hour mean"].tolist() == pytest.approx(
        one["volt"].rolling(6, min_periods=1).mean().tolist())  # hourly: 6 readings, this machine only
    first = one.index[0]
    assert table.loc[first, "volt, 6-hour mean"] == pytest.approx(one["volt"].iloc[0])
    assert np.isnan(table.loc[first, "volt, 1-day std dev"])
    assert table.loc[first, "volt, reading minus 1-week mean"] == 0
    later = data.assign(volt=np.where(data["datetime"] >= "2015-01-02", 999.0, data["volt"]))  # the future changes
    later.loc[data["machineID"] == 3, "volt"] = 0.0                                               # another machine too
    _, changed = _with_history(later)
    earlier = (data["datetime"] < "2015-01-02") & (data["machineID"] != 3)
    names = list(setup.history.names())
    pd.testing.assert_frame_equal(changed.loc[earlier, names], table.loc[earlier, names])


def test_windows_follow_the_spacing_of_the_readings():
    labels = lambda step: [unit_history.window_label(w) for w in unit_history.choose_windows(step)]  # noqa: E731
    assert labels(3_600) == ["6-hour", "1-day", "1-week"]          # Azure PdM: hourly
    assert labels(600) == ["1-hour", "6-hour", "1-week"]           # SCADA: every 10 minutes
    assert labels(1) == ["10-second", "1-minute", "1-week"]        # a PLC logging every second
    assert labels(60) == ["10-minute", "1-hour", "1-week"]         # every minute
    assert labels(86_400) == ["1-week", "4-week", "13-week"]       # daily
    assert labels(10 * 86_400) == ["4-week", "13-week", "1-year"]  # sparser still: the longest three


def test_a_wide_table_gets_history_for_a_bounded_number_of_sensors():
    rng = np.random.default_rng(1)
    data = _fleet(machines=3, hours=30)
    wide = pd.concat([data, pd.DataFrame(rng.normal(size=(len(data), 30)), columns=[f"s{i}" for i in range(30)])],
                     axis=1)
    setup, _ = _with_history(wide)
    assert len(setup.history.sensors) == unit_history.MAX_SENSORS and setup.history.eligible == 32
    assert "the 12 of 32 sensors that change over time whose readings" in checks.history_note(setup.history)


def test_a_wide_table_gives_history_to_the_sensors_that_drift_before_failures_even_listed_last():
    rng = np.random.default_rng(2)
    data = _fleet(machines=4, hours=80)
    noise = pd.DataFrame(rng.normal(size=(len(data), 30)), columns=[f"s{i:02d}" for i in range(30)])
    noise["s29"] += 3 * data["failure"]                       # the failing sensor is the export's last column
    setup, _ = _with_history(pd.concat([data, noise], axis=1))
    assert "s29" in setup.history.sensors and len(setup.history.sensors) == unit_history.MAX_SENSORS
    assert list(setup.history.sensors) == [c for c in [*data.columns, *noise.columns] if c in setup.history.sensors]


def test_excluded_columns_get_no_history_and_the_guard_still_names_them():
    data = _fleet().assign(volt_fault=lambda d: d["failure"])  # a record of the failure, named like a mode
    setup, table = _with_history(data, exclude=["vibration"])
    assert "volt_fault" in setup.flags and "machineID" in setup.flags and "datetime" in setup.flags
    assert setup.history.sensors == ("volt",)
    assert not [c for c in table.columns if c.startswith(("vibration,", "volt_fault,", "machineID,", "datetime,"))]


def test_cross_validation_keeps_each_machines_history_in_one_fold():
    setup, table = _with_history(_fleet(machines=6))
    groups, notes = checks.fold_groups(table, setup, None, folds=3)
    assert groups is not None and (groups == table["machineID"].astype(str)).all()
    assert notes[0].startswith("Cross-validation keeps each 'machineID' value's readings in one fold")
    assert any(n.startswith("History features per 'machineID' in the order of 'datetime': readings are usually "
                            "1 hour apart") for n in checks.training_notes(_fleet(machines=6), setup,
                                                                           {"cv_auc": 0.8, "positive_rate": 0.15}))


def test_snapshot_telemetry_without_a_machine_over_time_is_unchanged():
    ai4i = pd.read_csv(SAMPLE).head(400)
    setup, table, _ = service.inspect_failure_data(ai4i, "Machine failure", id_column="UDI")
    assert setup.history is None and not [c for c in setup.features if "," in c]
    assert list(table.columns) == [*ai4i.columns, *(d.name for d in setup.derived)]
    no_time = _fleet().drop(columns=["datetime"])                    # machines, but no time: snapshots too
    assert _with_history(no_time)[0].history is None


def test_unix_and_text_timestamps_order_the_readings():
    data = _fleet(machines=3, hours=30)
    unix = data.assign(timestamp=data["datetime"].astype("int64") // 10**9).drop(columns=["datetime"])
    written = data.assign(datetime=data["datetime"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    for table, kinds in ((unix, None), (written, {"datetime": "datetime"})):  # text: the import's kind says so
        setup, _ = _with_history(table, kinds=kinds)
        assert setup.history is not None and setup.history.step_seconds == 3_600


def test_a_gateway_export_mixing_unix_iso_with_offsets_and_excel_dates_is_one_timestamp():
    data = _fleet(machines=3, hours=30).assign(machineID=lambda d: "M-" + d["machineID"].astype(str).str.zfill(4))
    utc = data.pop("datetime")
    kind = np.arange(len(utc)) % 3
    excel = (utc - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    data.insert(0, "timestamp", np.where(kind == 0, (utc.astype("int64") // 10**9).astype(str),
                                         np.where(kind == 1, utc.dt.tz_localize("UTC").dt.tz_convert("Europe/Berlin")
                                                  .map(pd.Timestamp.isoformat), excel.map("{:.6f}".format))))
    setup, _ = _with_history(data)
    assert setup.flags["timestamp"].startswith("timestamp (dates and times written as text)")
    assert "timestamp" not in setup.features  # was a text feature of 90 categories, one per reading
    assert setup.history is not None and setup.history.time == "timestamp" and setup.history.step_seconds == 3_600
    from ml.leakage import as_timestamps
    assert (as_timestamps("timestamp", data["timestamp"]) == utc).all()


def test_excel_serial_dates_are_a_timestamp_only_in_a_column_named_a_date():
    rng = np.random.default_rng(3)
    days = 44986 + np.arange(120) / 24
    frame = pd.DataFrame({"date": days, "Operating time": rng.uniform(30_000, 40_000, 120)})  # hours, not dates
    flags = {f.column: f.reason for f in service.leakage.find_leakage(frame, pd.Series(rng.integers(0, 2, 120)))}
    assert list(flags) == ["date"] and flags["date"].startswith("timestamp (Excel serial dates)")


def test_failures_marked_on_one_reading_alone_are_named_with_how_to_mark_them():
    """A failure log joined to hourly telemetry marks the failure hour only: near chance (AUC 0.49), said as such."""
    from ml.unit_history import History
    from services import maintenance_checks

    hours = pd.date_range("2015-01-01 06:00", periods=30, freq="h").strftime("%Y-%m-%d %H:%M:%S")
    data = pd.DataFrame({"machineID": np.repeat([1, 2, 3, 4], 30), "datetime": np.tile(hours, 4)})
    history = History("machineID", "datetime", ("volt",), (21600, 86400, 604800), 3600.0)
    one = pd.Series(0, index=data.index)
    one[[10, 45, 70, 101]] = 1
    notes = maintenance_checks.isolated_failures_note(data, one, history)
    assert len(notes) == 1 and notes[0].startswith("Each failure is marked on one reading alone (4 of 120; ")
    assert "from the hours before it" in notes[0] and "those of the day before it" in notes[0]
    spans = pd.Series(0, index=data.index)
    spans[[8, 9, 10, 43, 44, 45, 68, 69, 70, 99, 100, 101]] = 1  # the 3 hours before each failure
    assert maintenance_checks.isolated_failures_note(data, spans, history) == []
    assert maintenance_checks.isolated_failures_note(data, one, None) == []  # a snapshot: no machine history
    shuffled = data.sample(frac=1, random_state=0)  # read in time order, not file order
    assert maintenance_checks.isolated_failures_note(shuffled, spans.loc[shuffled.index], history) == []


def test_day_first_dates_are_read_day_first_when_a_day_over_12_says_so():
    """SECOM writes 'dd/mm/yyyy HH:MM:SS': cell by cell, 05/08/2008 was read as the 8th of May, out of order."""
    from ml.leakage import as_timestamps

    stamps = pd.date_range("2008-07-19 11:55", periods=120, freq="17h")
    read = as_timestamps("Time", pd.Series(stamps.strftime("%d/%m/%Y %H:%M:%S")))
    assert read is not None and (read == stamps).all() and read.is_monotonic_increasing
    us = as_timestamps("date", pd.Series(["01/02/2015", "12/25/2015", "03/04/2015"]))
    assert us.dt.strftime("%Y-%m-%d").tolist() == ["2015-01-02", "2015-12-25", "2015-03-04"]  # month first stays


def test_failures_marked_on_one_reading_alone_are_told_in_the_datas_own_time_unit():
    """Daily SMART readings were told of 'the hours before it'; a cycle column counts readings."""
    from ml.unit_history import AXIS, History
    from services import maintenance_checks

    days = pd.date_range("2023-01-01", periods=40, freq="D").strftime("%Y-%m-%d")
    data = pd.DataFrame({"serial_number": np.repeat(["Z1", "Z2", "Z3"], 40), "date": np.tile(days, 3)})
    one = pd.Series(0, index=data.index)
    one[[39, 79, 119]] = 1
    daily = History("serial_number", "date", ("smart_5_raw",), (604_800, 2_419_200, 7_862_400), 86_400.0)
    note = maintenance_checks.isolated_failures_note(data, one, daily)[0]
    assert "from the days before it" in note and "those of the 4 weeks before it" in note
    assert "hours before it" not in note
    cycles = data.assign(cycle=np.tile(np.arange(1, 41), 3))
    counted = History("serial_number", "cycle", ("smart_5_raw",), (5, 20, 100), 1.0, axis=AXIS)
    note = maintenance_checks.isolated_failures_note(cycles, one, counted)[0]
    assert "from the readings before it" in note and "those of the 20 readings before it" in note


def test_sensors_named_by_numbers_are_quoted_in_the_history_note():
    """SECOM's sensors are '0' … '589': 'For 21, 53, 59: the 6-hour and 1-day means' read as quantities."""
    from ml.unit_history import History
    from services import maintenance_checks

    secom = History("(one machine)", "Time", ("21", "53"), (21_600, 86_400, 604_800), 5_832.0)
    assert "For '21', '53': the 6-hour and 1-day means" in maintenance_checks.history_note(secom)
    fleet = History("machineID", "datetime", ("volt", "vibration"), (21_600, 86_400, 604_800), 3_600.0)
    assert "For volt, vibration: the 6-hour and 1-day means" in maintenance_checks.history_note(fleet)
