"""A column holding each unit's life (max_cycle merged in to compute the RUL) is the answer, not a condition of
the run: it is left out with its own note, never pointed at --settings."""
import pandas as pd
import pytest

from ml.degradation_sim import simulate_fleet
from ml.rul_leaks import counts_down, holds_life
from ml.rul_history import HistoryPreprocessor


@pytest.fixture(scope="module")
def fleet():
    return simulate_fleet(n_train=8, n_test=0, seed=2, min_life=40, max_life=60).train


def test_max_cycle_column_is_left_out_as_the_units_life(fleet):
    frame = fleet.assign(max_cycle=fleet.groupby("unit")["cycle"].transform("max"))
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(frame)
    assert "max_cycle" not in prep.sensors_ and "max_cycle" not in prep.settings_
    assert any(n.startswith("Left out max_cycle: each unit's value is its last time") for n in prep.notes_)
    assert not any("--settings" in n for n in prep.notes_)


def test_life_counted_in_readings_or_from_the_first_time_is_found(fleet):
    units, time = fleet["unit"], fleet["cycle"] + 100.0
    readings = fleet.groupby("unit")["cycle"].transform("size")
    assert holds_life(readings, units, time)
    assert holds_life(time.groupby(units).transform("max") - time.groupby(units).transform("min"), units, time)


def test_a_run_condition_set_per_unit_is_no_life(fleet):
    load = fleet["unit"].map(lambda u: [10.0, 20.0, 30.0][u % 3])
    assert not holds_life(load, fleet["unit"], fleet["cycle"])
    assert not holds_life(fleet["s2"], fleet["unit"], fleet["cycle"])  # changes within a unit
    same = pd.Series(50.0, index=fleet.index)  # one value for every unit
    assert not holds_life(same, fleet["unit"], fleet["cycle"])


def test_rul_under_another_name_is_left_out(fleet):
    life = fleet.groupby("unit")["cycle"].transform("max")
    frame = fleet.assign(cycles_left=life - fleet["cycle"], y=(life - fleet["cycle"]).clip(upper=25))
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(frame)
    assert {"cycles_left", "y"}.isdisjoint(prep.sensors_)
    assert any(n.startswith("Left out cycles_left, y: falls by as much as the time rises") for n in prep.notes_)


def test_countdown_in_readings_of_dated_histories_is_found(fleet):
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(fleet["cycle"] * 3.5, unit="h")
    readings_left = fleet.groupby("unit")["cycle"].transform("size") - fleet["cycle"]
    frame = fleet.assign(when=stamps.astype(str), left=readings_left).drop(columns="cycle")
    prep = HistoryPreprocessor(unit="unit", time="when").fit(frame)
    assert "left" not in prep.sensors_ and "s2" in prep.sensors_
    assert not counts_down(fleet["s2"], fleet["unit"], fleet["cycle"])
    assert not counts_down(fleet["cycle"] * 2.0, fleet["unit"], fleet["cycle"])
