"""The leakage guard on records written with or after a failure that healthy rows also carry."""
import numpy as np
import pandas as pd

from ml.leakage import find_leakage


def _fleet(seed: int = 5, n: int = 3000):
    """Failures (about 15 %) each with 0.5-12 h of downtime; planned stops give 8 % of healthy rows 0.5-8 h too,
    so the column is not set on failures alone and separates them with an AUC near 0.97, not 0.995."""
    rng = np.random.default_rng(seed)
    y = pd.Series((rng.random(n) < 0.15).astype(int))
    planned = rng.random(n) < 0.08
    downtime = np.where(y == 1, rng.uniform(0.5, 12, n), np.where(planned, rng.uniform(0.5, 8, n), 0)).round(1)
    vibration = rng.normal(0, 1, n) + 2.2 * y  # a real sensor that tells failures apart about as well
    frame = pd.DataFrame({"oil_temp": rng.normal(90, 8, n), "vibration": vibration, "downtime_hours": downtime,
                          "downtime_last_30d": downtime})
    return frame, y


def test_a_downtime_record_that_planned_stops_also_fill_is_left_out():
    frame, y = _fleet()
    flags = {f.column: f.reason for f in find_leakage(frame, y)}
    assert "downtime_hours" in flags
    assert flags["downtime_hours"].startswith("named like a record made with or after the failure")
    assert "(AUC 0.9" in flags["downtime_hours"]


def test_past_counts_and_real_sensors_that_separate_as_well_are_kept():
    frame, y = _fleet()
    flags = {f.column for f in find_leakage(frame, y)}
    assert "downtime_last_30d" not in flags  # a history of earlier stops, readable before the failure
    assert "vibration" not in flags and "oil_temp" not in flags


def test_a_time_to_failure_column_is_left_out_and_a_weak_repair_column_is_kept():
    rng = np.random.default_rng(2)
    n = 2000
    y = pd.Series((rng.random(n) < 0.1).astype(int))
    frame = pd.DataFrame({"hours_to_failure": np.where(y == 1, rng.uniform(0, 30, n), rng.uniform(10, 500, n)),
                          "repair_crew": rng.integers(1, 5, n)})
    flags = {f.column for f in find_leakage(frame, y)}
    assert flags == {"hours_to_failure"}
