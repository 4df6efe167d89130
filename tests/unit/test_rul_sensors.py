"""Sensor choice and gap filling for the RUL models, split out of ml/rul_history.py (323 lines): the preprocessor
reads them from ml/rul_sensors.py and keeps its fitted state."""
import numpy as np
import pandas as pd

from ml import rul_sensors
from ml.rul_history import HistoryPreprocessor


def test_gaps_are_filled_within_each_unit_then_at_the_training_median():
    values = pd.DataFrame({"s1": [1.0, np.nan, 3.0, np.nan, np.nan, 7.0, np.nan, np.nan],
                           "s2": [5.0, 6.0, np.nan, np.nan, 9.0, 9.5, np.nan, np.nan]})
    units = np.array([1, 1, 1, 2, 2, 2, 3, 3])
    notes: list[str] = []
    filled, empty_units, blind = rul_sensors.fill_within_units(values, units, {"s1": 4.0, "s2": 8.0}, notes)
    assert filled["s1"].tolist() == [1.0, 1.0, 3.0, 7.0, 7.0, 7.0, 4.0, 4.0]
    assert filled["s2"].tolist() == [5.0, 6.0, 6.0, 9.0, 9.0, 9.5, 8.0, 8.0]
    assert empty_units == {"s1": [3], "s2": [3]} and blind == [3]
    assert notes == ["5 missing sensor values were filled within each unit (previous, else next reading).",
                     "1 of 3 unit(s) have no sensor reading at all (3): their RUL is left empty."]
    whole, notes = values.fillna(0), []
    same, none, nobody = rul_sensors.fill_within_units(whole, units, {}, notes)
    assert same is whole and none == {} and nobody == [] and notes == []


def test_a_sensor_without_a_trend_with_age_is_left_out_and_said():
    rng = np.random.default_rng(0)
    units = np.repeat(np.arange(6), 40)
    time = np.tile(np.arange(1, 41), 6).astype(float)
    data = pd.DataFrame({"unit": units, "cycle": time})
    values = pd.DataFrame({"wear": time / 40 + rng.normal(0, 0.05, len(time)), "noise": rng.normal(0, 1, len(time))})
    stats = {c: {"mean": [float(values[c].mean())], "std": [float(values[c].std())]} for c in values}
    notes: list[str] = []
    left = rul_sensors.trendless_sensors(data, values, np.zeros(len(data), int), stats, unit="unit", time="cycle",
                                         notes=notes)
    assert left == ["noise"] and notes[0].startswith("Left out noise: no trend with the units' age")
    assert rul_sensors.trendless_sensors(data, values[["noise"]], np.zeros(len(data), int),
                                         {"noise": stats["noise"]}, unit="unit", time="cycle", notes=[]) == []


def test_the_preprocessor_still_fills_and_drops_through_the_split_module():
    rng = np.random.default_rng(1)
    time = np.tile(np.arange(1, 31), 6).astype(float)
    frame = pd.DataFrame({"unit": np.repeat(np.arange(6), 30), "cycle": time,
                          "wear": time / 30 + rng.normal(0, 0.05, len(time)), "noise": rng.normal(0, 1, len(time))})
    frame.loc[[3, 4], "wear"] = np.nan
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(frame)
    assert prep.sensors_ == ["wear"] and "noise" not in prep.stats_
    assert "2 missing sensor values were filled within each unit (previous, else next reading)." in prep.notes_
