"""RUL preparation and models on tiny generated histories: the awkward inputs real files bring."""
import numpy as np
import pandas as pd
import pytest

from ml.degradation_sim import simulate_fleet
from ml.rul import ResidualIntervals, RulLightGBMTask, nasa_score, rmse, window_features
from ml.rul_history import HistoryError, HistoryPreprocessor
from ml.rul_shape import TIME, UNIT, last_rows, rul_target
from ml.rul_sequence import RulSequenceTask, amp_settings
from ml.rul_windows import sequence_windows, smoothed_levels


@pytest.fixture(scope="module")
def fleet():
    return simulate_fleet(n_train=6, n_test=2, seed=1, min_life=40, max_life=60)


def _prepared(frame, **kw):
    prep = HistoryPreprocessor(unit="unit", time="cycle", **kw).fit(frame)
    return prep, prep.transform(frame)[0]


def test_unsorted_cycles_are_sorted_with_a_note(fleet):
    shuffled = fleet.train.sample(frac=1, random_state=0)
    prep, prepared = _prepared(shuffled)
    assert "The rows were not grouped by unit in time order; the model read them so ordered." in prep.notes_
    _, ordered = _prepared(fleet.train)
    pd.testing.assert_frame_equal(prepared, ordered)
    assert (prepared.groupby(UNIT)[TIME].diff().dropna() > 0).all()


def test_constant_sensors_dropped_with_a_note(fleet):
    prep, prepared = _prepared(fleet.train)
    assert {"s1", "s5", "s10", "s16", "s18", "s19"}.isdisjoint(prep.sensors_)
    assert any(n.startswith("Dropped constant columns (the same value on every reading): s1, s5") for n in prep.notes_)
    assert "s2" in prepared.columns and "setting_1" not in prepared.columns


def test_missing_values_filled_within_each_unit(fleet):
    data = fleet.train.copy()
    data.loc[data.index[3], "s2"] = np.nan
    data.loc[data["unit"] == 2, "s3"] = np.nan  # a whole unit without s3: training median
    prep, prepared = _prepared(data)
    assert not prepared.isna().any().any()
    assert any("missing sensor values were filled" in n for n in prep.notes_)
    _, clean = _prepared(fleet.train)
    assert prepared.loc[3, "s2"] == pytest.approx(prepared.loc[2, "s2"])  # previous reading carried forward


def test_window_feature_names_are_pinned(fleet):
    _, prepared = _prepared(fleet.train)
    names = list(window_features(prepared[[UNIT, TIME, "s2"]], 30).columns)
    assert names == ["cycle", "s2__last", "s2__mean30", "s2__std30", "s2__slope30"]


def test_window_slope_and_target_values():
    frame = pd.DataFrame({UNIT: [1] * 4 + [2] * 2, TIME: [1, 2, 3, 4, 1, 2], "x": [0.0, 2, 4, 6, 5, 5]})
    features = window_features(frame, 3)
    assert features["x__slope3"].tolist() == pytest.approx([0, 2, 2, 2, 0, 0])
    assert features["x__mean3"].iloc[3] == pytest.approx(4.0) and features["cycle"].tolist() == [1, 2, 3, 4, 1, 2]
    assert rul_target(frame, cap=2).tolist() == [2, 2, 1, 0, 1, 0]


def test_three_cycle_unit_and_a_unit_longer_than_any_training_unit(fleet):
    prep, prepared = _prepared(fleet.train)
    y = rul_target(prepared, 125)
    lgb = RulLightGBMTask(n_estimators=10, window=10).fit(prepared, y)
    cnn = RulSequenceTask(epochs=1, window=10, channels=4, max_windows=256).fit(prepared, y)
    short = fleet.test[fleet.test["unit"] == fleet.test["unit"].iloc[0]].head(3)
    long = pd.concat([fleet.train[fleet.train["unit"] == 1]] * 3, ignore_index=True)
    long["cycle"] = np.arange(1, len(long) + 1)
    long["unit"] = 99
    scoring, _ = prep.transform(pd.concat([short, long]))
    for model in (lgb, cnn):
        rul = model.predict(scoring)["rul"].to_numpy()[last_rows(scoring)]
        assert len(rul) == 2 and np.isfinite(rul).all() and ((rul >= 0) & (rul <= 125)).all()
    assert sequence_windows(scoring, 10).shape == (len(scoring), 10, 3 * len(prep.sensors_) + 1)
    assert sequence_windows(scoring, 10, smooth=False).shape == (len(scoring), 10, len(prep.sensors_) + 1)


def test_smoothed_levels_use_the_past_of_their_own_unit_only():
    prepared = pd.DataFrame({UNIT: [1, 1, 1, 2, 2], TIME: [1, 2, 3, 1, 2], "s": [0.0, 10.0, 0.0, 5.0, 5.0]})
    channels = smoothed_levels(prepared, ["s"], alpha=0.5)
    levels, drift = channels[:, 0], channels[:, 1]
    assert levels[3:].tolist() == [5.0, 5.0] and drift[3:].tolist() == [0.0, 0.0]  # unit 2 starts afresh
    changed = prepared.assign(s=[0.0, 10.0, 99.0, 5.0, 5.0])         # a later reading of unit 1 changes...
    assert smoothed_levels(changed, ["s"], alpha=0.5)[:2].tolist() == channels[:2].tolist()  # ...nothing earlier
    assert 0.0 < levels[2] < levels[1] < 10.0
    np.testing.assert_allclose(drift[:3], levels[:3] - np.array([0.0, 5.0, 10 / 3]), rtol=1e-6)  # vs mean so far


def test_a_sequence_model_saved_before_smoothed_inputs_still_loads(fleet, tmp_path):
    import json

    from ml.artifacts import write_metadata

    prep, prepared = _prepared(fleet.train)
    y = rul_target(prepared, 125)
    old = RulSequenceTask(epochs=1, window=10, channels=4, max_windows=256, smooth=False).fit(prepared, y)
    old.save(tmp_path / "m")
    params = json.loads((tmp_path / "m" / "metadata.json").read_text())["parameters"]
    params.pop("smooth")  # what a model saved by the earlier version holds
    write_metadata(tmp_path / "m", task=old.name, parameters=params, feature_names=old.sensors_)
    loaded = RulSequenceTask.load(tmp_path / "m")
    assert loaded.smooth is False
    np.testing.assert_allclose(loaded.predict(prepared)["rul"], old.predict(prepared)["rul"], atol=1e-4)


def test_regimes_found_in_multi_condition_data():
    fleet = simulate_fleet(n_train=5, n_test=0, regimes=6, seed=2, min_life=40, max_life=50)
    prep, prepared = _prepared(fleet.train)
    assert prep.n_regimes_ == 6
    assert prepared.groupby(UNIT)["s2"].mean().abs().max() < 1.5  # regime offsets removed
    # The settings are found under the names other copies of the turbofan data give them.
    for names in (("op1", "op2", "op3"), ("os_1", "os_2", "os_3"), ("alt", "Mach", "TRA")):
        renamed = fleet.train.rename(columns=dict(zip(("setting_1", "setting_2", "setting_3"), names)))
        assert _prepared(renamed)[0].n_regimes_ == 6, names


def _headerless(frame):
    """Columns named as a file without a header row gets them: column_1, column_2, ..."""
    return frame.rename(columns={c: f"column_{i + 1}" for i, c in enumerate(frame.columns)})


def test_unnamed_settings_are_found_by_their_levels():
    fleet = simulate_fleet(n_train=8, n_test=0, regimes=6, seed=2, min_life=40, max_life=50)
    raw = _headerless(fleet.train)
    prep = HistoryPreprocessor(unit="column_1", time="column_2").fit(raw)
    # Altitude (jittered levels, one per flight condition) is found, and the columns that repeat it (Mach,
    # throttle, sensors fixed by the flight condition) join it; wearing sensors stay sensors.
    assert prep.settings_[:3] == ["column_3", "column_4", "column_5"]
    assert not {"column_7", "column_8", "column_9"} & set(prep.settings_)
    assert prep.n_regimes_ == 6
    assert any("No column is named as an operating setting" in n for n in prep.notes_)
    prepared, _ = prep.transform(raw)
    assert prepared.groupby(UNIT)["column_7"].mean().abs().max() < 1.5  # regime offsets removed
    chosen = HistoryPreprocessor(unit="column_1", time="column_2", settings=[]).fit(raw)
    assert chosen.settings_ == [] and chosen.n_regimes_ == 1  # an explicit choice is kept


def test_discrete_sensors_are_not_taken_for_settings():
    fleet = simulate_fleet(n_train=8, n_test=0, seed=3, min_life=40, max_life=60)
    raw = _headerless(fleet.train)
    rng = np.random.default_rng(0)
    to_go = raw.groupby("column_1")["column_2"].transform("max") - raw["column_2"]
    raw = raw.assign(flag=rng.integers(0, 2, len(raw)), whole=(raw["column_8"] / 3).round(),
                     two=np.where(rng.random(len(raw)) < 0.9, 21.61, 21.60),
                     status=np.select([to_go < 10, to_go < 30], [2, 1], 0))
    prep = HistoryPreprocessor(unit="column_1", time="column_2").fit(raw)
    assert prep.settings_ == [] and prep.n_regimes_ == 1
    assert {"whole", "status"} <= set(prep.sensors_)  # random flags are no settings either: left out as noise
    assert {"flag", "two"}.isdisjoint(prep.sensors_) and any("flag, two: no trend" in n for n in prep.notes_)


def test_columns_that_do_not_move_with_wear_are_left_out():
    """A raw file's unnamed setting jitter (FD001's column_3/column_4) only gives the trees noise to fit."""
    fleet = simulate_fleet(n_train=10, n_test=0, seed=5, min_life=40, max_life=70)
    rng = np.random.default_rng(1)
    life = fleet.train.groupby("unit")["cycle"].transform("max")
    wilder = rng.normal(0, 0.1 + (fleet.train["cycle"] / life) ** 3)  # same mean, more spread as wear grows
    raw = _headerless(fleet.train).assign(jitter=rng.normal(0, 0.002, len(fleet.train)), wilder=wilder)
    prep = HistoryPreprocessor(unit="column_1", time="column_2").fit(raw)
    wearing = [f"column_{i + 6}" for i in range(21) if fleet_effect_sensor(i)]
    assert "jitter" not in prep.sensors_ and set(wearing) <= set(prep.sensors_) and "wilder" in prep.sensors_
    assert any(n.startswith("Left out") and "jitter" in n and "no trend with the units' age" in n
               for n in prep.notes_)
    prepared, _ = prep.transform(raw)
    assert "jitter" not in prepared.columns
    few = raw[raw["column_1"] <= 3]  # three units: too few to tell a trend from noise, nothing is left out
    assert "jitter" in HistoryPreprocessor(unit="column_1", time="column_2").fit(few).sensors_
    assert not any("hold one value per unit" in n for n in prep.notes_)
    feed = raw.assign(feed=raw["column_1"].map(dict(zip(range(1, 11), rng.choice([0.25, 0.5], 10)))))
    noted = HistoryPreprocessor(unit="column_1", time="column_2").fit(feed).notes_
    assert any(n.startswith("feed holds one value per unit that differs between units") and "--settings" in n
               for n in noted)


def fleet_effect_sensor(index: int) -> bool:
    from ml.degradation_sim import FLAT, NOISE

    return index not in FLAT and index not in NOISE


def test_wear_bands_and_asset_numbers_are_not_operating_settings():
    """Both sit at levels the sensors follow; an alarm level climbs with age, an asset number never switches."""
    fleet = simulate_fleet(n_train=8, n_test=0, seed=3, min_life=60, max_life=80)
    wearing = ["column_7", "column_8", "column_9", "column_12", "column_13", "column_14"]
    raw = _headerless(fleet.train)[["column_1", "column_2", *wearing]]
    to_go = raw.groupby("column_1")["column_2"].transform("max") - raw["column_2"]  # the alarm explains > 50 %
    raw = raw.assign(alarm=np.select([to_go < 15, to_go < 35], [2, 1], 0), asset=raw["column_1"] * 100)
    bumped = raw.copy()
    for column in ("column_7", "column_8", "column_9", "column_12"):  # each asset with its own baseline
        bumped[column] = raw[column] + raw["asset"] * raw[column].std() * 0.05
    for frame in (raw, bumped):
        prep = HistoryPreprocessor(unit="column_1", time="column_2").fit(frame)
        assert prep.settings_ == [] and "alarm" in prep.sensors_
        assert "asset" not in prep.sensors_ and any("asset: no trend" in n for n in prep.notes_)  # fixed per unit


def test_two_independent_settings_are_both_found_and_blanks_are_filled_from_the_others():
    fleet = simulate_fleet(n_train=8, n_test=0, regimes=6, seed=2, min_life=40, max_life=50)
    raw = _headerless(fleet.train)
    prep = HistoryPreprocessor(unit="column_1", time="column_2").fit(raw)
    holed = raw.copy()
    holed.loc[holed.index[::40], "column_3"] = np.nan  # blank altitude: Mach and the rest still tell the regime
    with_blanks = HistoryPreprocessor(unit="column_1", time="column_2").fit(holed)
    same = pd.crosstab(with_blanks._regimes(holed), prep._regimes(raw))  # labels may differ, regimes may not
    assert same.shape == (6, 6) and ((same > 0).sum(axis=1) == 1).all()
    assert any("blank operating setting" in n for n in with_blanks.notes_)
    single = _headerless(simulate_fleet(n_train=8, n_test=0, seed=2, min_life=40, max_life=50).train)
    rng = np.random.default_rng(1)
    altitude, throttle = rng.integers(0, 2, len(single)), rng.integers(0, 3, len(single))
    crossed = single[["column_1", "column_2", "column_7", "column_8", "column_9"]].assign(
        p1=altitude * 20.0, p2=np.array([60.0, 80.0, 100.0])[throttle])
    for column in ("column_7", "column_8", "column_9"):
        crossed[column] = crossed[column] + 40 * altitude + 15 * throttle  # each setting moves every sensor
    found = HistoryPreprocessor(unit="column_1", time="column_2").fit(crossed)
    assert set(found.settings_) == {"p1", "p2"} and found.n_regimes_ == 6


def test_a_mode_held_for_dozens_of_readings_is_found_unnamed_as_a_number_or_as_text():
    single = _headerless(simulate_fleet(n_train=8, n_test=0, seed=2, min_life=90, max_life=120).train)
    rng = np.random.default_rng(4)
    mode = np.concatenate([np.full(int(rng.integers(20, 41)), rng.integers(0, 4)) for _ in range(len(single))])
    mode = mode[: len(single)]  # held 20–40 readings at a time: a few switches per unit
    wearing = ["column_7", "column_8", "column_9", "column_12"]
    shifted = single[["column_1", "column_2", *wearing]].copy()
    for column in wearing:
        shifted[column] += mode * 30 * shifted[column].std()
    for frame, column in ((shifted.assign(m=mode * 10.0), "m"), (shifted.assign(m=[f"FC{k}" for k in mode]), "m")):
        prep = HistoryPreprocessor(unit="column_1", time="column_2").fit(frame)
        assert prep.settings_ == [column] and prep.n_regimes_ == 4, prep.notes_


def test_named_settings_text_continuous_and_misleading_names():
    fleet = simulate_fleet(n_train=8, n_test=0, regimes=6, seed=2, min_life=40, max_life=50)
    train = fleet.train
    condition = (train["setting_1"] / 5).round().astype(int)  # one flight condition per altitude
    text = train.drop(columns=["setting_1", "setting_2", "setting_3"]).assign(mode="FC" + condition.astype(str))
    prep = HistoryPreprocessor(unit="unit", time="cycle", settings=["mode"]).fit(text)
    assert prep.n_regimes_ == 6 and prep.setting_categories_["mode"][0].startswith("FC")
    loose = train.assign(setting_3=np.random.default_rng(0).uniform(20, 100, len(train)))  # continuous throttle
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(loose)
    assert prep.n_regimes_ == 6 and prep.regime_settings_ == ["setting_1", "setting_2"]
    assert any("setting_3 do not sit at a few levels" in n for n in prep.notes_)
    misnamed = _headerless(train).rename(columns={"column_7": "machine_temp", "column_8": "oil_condition",
                                                  "column_9": "operator_id"})
    prep = HistoryPreprocessor(unit="column_1", time="column_2").fit(misnamed)
    assert {"machine_temp", "oil_condition", "operator_id"} <= set(prep.sensors_) and "column_3" in prep.settings_


def test_levels_need_tight_levels():
    from ml.operating_settings import levels

    jitter = pd.Series([0.0, 0.001, 10.002, 9.999, 42.0, 41.998] * 5)
    np.testing.assert_array_equal(levels(jitter, 8)[:6], [0, 0, 1, 1, 2, 2])
    assert levels(pd.Series(np.arange(20.0)), 8) is None          # evenly spread: no levels
    assert levels(pd.Series([5.0] * 10), 8) is None               # one level is no setting
    assert levels(pd.Series([1.0, None, 2.0] * 5), 8) is None     # too many gaps to be a setting


def test_bad_histories_raise_clear_errors(fleet):
    with pytest.raises(HistoryError, match="Columns not in the data: engine"):
        HistoryPreprocessor(unit="engine", time="cycle").fit(fleet.train)
    flat = fleet.train[["unit", "cycle"]].assign(s1=1.0)
    with pytest.raises(HistoryError, match="No usable sensor"):
        HistoryPreprocessor(unit="unit", time="cycle").fit(flat)


def test_scores_and_intervals():
    assert nasa_score([10], [10]) == 0
    assert nasa_score([10], [20]) == pytest.approx(np.e - 1)      # late: /10
    assert nasa_score([20], [7]) == pytest.approx(np.e - 1)       # early: /13
    assert rmse([0, 0], [3, 4]) == pytest.approx(np.sqrt(12.5))
    rng = np.random.default_rng(0)
    predicted = rng.uniform(0, 120, 300)
    intervals = ResidualIntervals().fit(predicted, predicted + rng.normal(0, 5, 300))
    low, high = intervals.apply(np.array([50.0, 2.0]))
    assert (low <= [50, 2]).all() and (high >= [50, 2]).all() and low[1] >= 0 and 5 < high[0] - low[0] < 20
    restored = ResidualIntervals.from_json(intervals.to_json()).apply(np.array([50.0]))
    assert restored[0][0] == pytest.approx(low[0])


def test_intervals_from_a_few_dozen_residuals_keep_their_coverage_on_new_units():
    """Split-conformal ranks: plain P10/P90 of 30 residuals covered 75 % of new errors, not 80 %."""
    covered = []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        intervals = ResidualIntervals().fit(np.full(30, 50.0), 50 + rng.normal(0, 10, 30))
        low, high = intervals.apply(np.full(1000, 50.0))
        new = 50 + rng.normal(0, 10, 1000)
        covered.append(((low <= new) & (new <= high)).mean())
    assert 0.8 <= np.mean(covered) <= 0.9


def test_cuda_path_uses_bf16_autocast_and_moves_batches(monkeypatch):
    import torch

    assert amp_settings("cuda") == {"enabled": True, "dtype": torch.bfloat16}
    assert amp_settings("cpu")["enabled"] is False
    from ml import device

    monkeypatch.setattr(device, "_cuda_available", lambda: True)
    assert device.select_device("auto") == "cuda"


def test_timestamps_count_in_hours_and_units_sort_naturally(fleet):
    """Readings 6 hours apart: RUL counts hours, as an engineer reads it (it counted 6-hour steps: a RUL of 50
    meant 300 hours, with no unit in the file)."""
    stamped = fleet.train.copy()
    stamped["unit"] = "engine_" + stamped["unit"].astype(str)
    stamped["ts"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(stamped.pop("cycle") * 6, unit="h")
    prep = HistoryPreprocessor(unit="unit", time="ts").fit(stamped)
    prepared, notes = prep.transform(stamped)
    by_cycle = _prepared(fleet.train)[1]
    steps = by_cycle[TIME] - by_cycle.groupby(UNIT)[TIME].transform("min") + 1
    np.testing.assert_allclose(prepared[TIME], 6 * steps)
    assert any("counted in hours from each unit's first reading (readings are usually 6 hours apart)" in n
               for n in notes)
    assert "The rows were not grouped by unit in time order; the model read them so ordered." not in notes
    again = HistoryPreprocessor.from_json(prep.to_json())
    np.testing.assert_allclose(again.transform(stamped)[0][TIME], prepared[TIME])
    older = prep.to_json()
    del older["time_unit_"]  # a run trained before the unit was kept still reads in its 6-hour steps
    np.testing.assert_allclose(HistoryPreprocessor.from_json(older).transform(stamped)[0][TIME], steps)
    numbers = _prepared(fleet.train)[0]
    with pytest.raises(HistoryError, match="held numbers"):
        numbers.transform(stamped.rename(columns={"ts": "cycle"}))


def test_units_running_at_the_same_time_keep_their_own_spacing(fleet):
    """Readings every 6 hours, each unit starting a few minutes after the last: sorted by time alone the gaps
    between readings would be minutes (one unit's reading to the next unit's)."""
    stamped = fleet.train.copy()
    offset = pd.to_timedelta(stamped["unit"] * 3, unit="min") + pd.to_timedelta(stamped.index % 7, unit="s")
    stamped["ts"] = pd.Timestamp("2022-01-01") + pd.to_timedelta(stamped.pop("cycle") * 6, unit="h") + offset
    prep = HistoryPreprocessor(unit="unit", time="ts").fit(stamped)
    assert abs(prep.time_step_ - 6 * 3600) < 10
    prepared, notes = prep.transform(stamped.sample(frac=1, random_state=0))
    assert any("readings are usually 6.00 hours apart" in n for n in notes)
    lives = (prepared.groupby(UNIT)[TIME].max() / 6).round()
    np.testing.assert_array_equal(lives.to_numpy(), fleet.train.groupby("unit").size().to_numpy())


def test_a_sensor_absent_from_the_scoring_file_is_said_and_float_unit_keys_are_whole(fleet):
    prep, _ = _prepared(fleet.train)
    scoring = fleet.train.copy()
    sensor = prep.sensors_[0]
    scoring[sensor] = np.nan
    scoring["unit"] = scoring["unit"].astype(float)
    prepared, notes = prep.transform(scoring)
    assert any(f"No values at all for {sensor}" in n for n in notes)
    assert not any("missing sensor values were filled" in n for n in notes)
    assert prepared[UNIT].dtype.kind == "i"


def test_few_validation_units_and_a_cap_far_below_the_lives_are_said():
    from services.maintenance_rul_notes import rul_notes as _rul_notes

    long_lives = pd.DataFrame({UNIT: np.repeat(["b1", "b2", "b3"], 900), TIME: np.tile(np.arange(1, 901), 3)})
    notes = _rul_notes(long_lives, {"validation_units": 1, "validation_cuts": 10}, 125.0, "lightgbm")
    assert notes[0].startswith("The validation figures rest on 1 held-out unit (10 cuts)")
    turns = _rul_notes(long_lives, {"validation_units": 6, "validation_cuts": 60, "validation_folds": 5}, 1000, "blend")
    assert turns == ["The validation figures rest on 6 held-out units (60 cuts, each held out once in 5 folds): the "
                     "RMSE, the choice of the blend model and the intervals are rough guides; more run-to-failure "
                     "units give firmer ones."]
    assert "median of 900 cycles against a RUL cap of 125:" in notes[1] and "--cap" in notes[1]
    # rows are cycles already: no finer rows to merge
    assert notes[1].endswith("Give --cap ('RUL cap' on the page) the horizon maintenance is planned on.")
    seconds = _rul_notes(long_lives, {"validation_units": 1, "validation_cuts": 10}, 125.0, "lightgbm", "s")
    assert seconds[1].endswith("or give one row per cycle: readings that share a unit and a time value are averaged "
                               "into one.")  # readings in seconds may be merged into cycles
    wide = _rul_notes(long_lives, {"validation_units": 40, "validation_cuts": 400, "nasa_score": 2.16e24}, 2000,
                      "blend", "ms")
    assert wide == ["The NASA score (2.16e+24) grows exponentially with each miss and is built for cycles near a "
                    "cap of about 125; with a cap of 2000 ms it says little. Read the RMSE."]
    fleet = pd.DataFrame({UNIT: np.repeat(np.arange(100), 200), TIME: np.tile(np.arange(1, 201), 100)})
    assert _rul_notes(fleet, {"validation_units": 20, "validation_cuts": 100}, 125, "blend") == []
    cells = pd.DataFrame({UNIT: np.repeat(np.arange(30), 313), TIME: np.tile(np.arange(1, 314), 30)})  # batteries
    assert _rul_notes(cells, {"validation_units": 20, "validation_cuts": 100}, 125, "blend")[0].startswith(
        "Units live a median of 313 cycles against a RUL cap of 125")


def test_a_small_fleet_is_validated_on_every_unit_in_folds_and_a_large_one_on_one_split():
    """A 100-unit fleet (C-MAPSS FD001's size) is held out whole in folds: one split held out 20 units, and their
    validation RMSE lay 0.3-7.5 from the test RMSE (generated FD001-like fleets, seeds 0-4)."""
    from services.maintenance_rul_validation import HELD_UNITS, validation_splits

    small = pd.DataFrame({UNIT: np.repeat(np.arange(30), 4), TIME: np.tile(np.arange(4), 30)})
    splits = validation_splits(small, 0.2, seed=0)
    assert len(splits) == 5
    held = np.concatenate([h[UNIT].unique() for _, h in splits])
    assert sorted(held) == list(range(30))  # every unit held out exactly once
    assert all(not set(t[UNIT]) & set(h[UNIT]) and len(t) + len(h) == len(small) for t, h in splits)
    turbofans = pd.DataFrame({UNIT: np.repeat(np.arange(100), 3), TIME: np.tile(np.arange(3), 100)})
    assert sorted(np.concatenate([h[UNIT].unique() for _, h in validation_splits(turbofans, 0.2, seed=0)])) == list(
        range(100))
    large = pd.DataFrame({UNIT: np.repeat(np.arange(500), 3), TIME: np.tile(np.arange(3), 500)})
    (train, held), = validation_splits(large, 0.2, seed=0)
    assert held[UNIT].nunique() == HELD_UNITS and train[UNIT].nunique() == 400
    tiny = small[small[UNIT] < 5]
    assert [h[UNIT].nunique() for _, h in validation_splits(tiny, 0.2, seed=1)] == [1] * 5


def test_a_headerless_scoring_file_is_told_to_take_the_training_header():
    from services.maintenance_rul import history_error

    numbered = pd.DataFrame(np.zeros((2, 4)), columns=[f"column_{i}" for i in range(1, 5)])
    message = history_error(HistoryError("The data lacks columns the model was trained on: unit, cycle, s2."),
                             numbered, ["unit", "cycle", "s2", "s3"], ["unit", "cycle", "s1", "s2", "s3"])
    assert message == ("The data lacks columns the model was trained on: unit, cycle, s2. The file's columns: "
                       "column_1, column_2, column_3, column_4. The file has no header row, so its columns are "
                       "numbered from column_1; give it the training file's header row: unit, cycle, s1, s2, s3.")
    headed = pd.DataFrame(np.zeros((2, 3)), columns=["unit", "cycle", "s1"])  # the other way round
    assert history_error(HistoryError("Columns not in the data: column_1."), headed, ["column_1", "column_2"]).endswith(
        "The model was trained on a file without a header row (columns numbered column_1 …): score a file without "
        "one too, or train on a file with this header.")
    named = numbered.rename(columns={"column_1": "engine"})
    assert history_error(HistoryError("Columns not in the data: unit."), named).endswith(
        "The file's columns: engine, column_2, column_3, column_4.")
    assert history_error(HistoryError("Unit 3 has no readings."), numbered) == "Unit 3 has no readings."
    indexed = pd.DataFrame(np.zeros((2, 3)), columns=["column_1", "cycle", "s1"])  # written with pandas' index
    assert history_error(HistoryError("Columns not in the data: Unnamed: 0."), indexed).endswith(
        "The file's columns: column_1, cycle, s1. 'Unnamed: 0' is what pandas calls the blank header of column 1; "
        "here it is called 'column_1'.")


def test_units_shorter_than_the_window_are_named_at_scoring():
    from services.maintenance_rul_scoring import _short_history_notes

    sizes = [1, 30, 12, 30, 30]
    units = np.repeat([7, 8, 9, 10, 11], sizes)
    prepared = pd.DataFrame({UNIT: units, TIME: np.concatenate([np.arange(n) for n in sizes])})
    assert _short_history_notes(prepared, 30) == [
        "2 unit(s) have fewer readings than the model's 30-reading window (units 7, 9; the shortest has 1): their RUL "
        "rests on a short history, so their band is the whole range 0 to the cap (rul_low 0): read them as unknown, "
        "not as healthy (the tables say \"unknown (too few readings)\"; the file keeps the numbers)."]
    assert "the whole range 0–125 (rul_low 0)" in _short_history_notes(prepared, 30, cap=125.0)[0]
    assert _short_history_notes(prepared, 1) == []


def test_units_shorter_than_the_window_get_the_whole_range_as_their_band():
    """Ten last readings of an engine 20.5 h from failure scored 300 h with the band 300-300 (cap 300): the residual
    interval comes from whole histories and says nothing of a unit seen this briefly."""
    from services.maintenance_rul_scoring import _band, _short_units

    sizes = [10, 40]
    prepared = pd.DataFrame({UNIT: np.repeat(["T13", "T14"], sizes), TIME: np.r_[np.arange(10), np.arange(40)]})
    assert _short_units(prepared, 30).to_dict() == {"T13": 10}
    assert _short_units(prepared, 30, median_life=8).empty  # units that lived 8 readings in training: not short
    intervals = ResidualIntervals().fit(np.linspace(0, 300, 200), np.linspace(0, 300, 200) + np.tile([-20, 20], 100))
    rul = np.array([300.0, 250.0])
    low, high = _band(rul, intervals, 300.0, np.array([True, False]))
    assert (low[0], high[0]) == (0.0, 300.0)
    assert 200 < low[1] < 250 < high[1] <= 300


def test_units_ending_healthy_are_named_only_beyond_what_the_validation_error_explains():
    """End predictions measured on two trainings (cap 125). MetroPT-like, every unit failed, RMSE 26.8: four units
    were named as not failed. A generated fleet with units 1-3, 6-8, 12, 15, 18, 25 stopped early, RMSE 39.1: the
    nine stopped well before failure are still named (unit 15, stopped 67 cycles early, reads like a miss)."""
    from services.maintenance_rul_notes import ended_healthy_note, healthy_limit

    metro = dict(zip(range(24), [13.9, 14.1, 33.6, 16.5, 14.8, 32.8, 86.5, 38.7, 72.2, 34.7, 14.0, 29.6, 25.0, 38.7,
                                 71.1, 55.0, 45.8, 34.0, 33.7, 20.6, 43.0, 17.0, 80.9, 48.7]))
    assert ended_healthy_note(metro, 125, 24, "readings", rmse=26.8) == []
    stopped = {1: 100.0, 2: 101.3, 3: 91.3, 6: 96.1, 7: 85.2, 8: 114.6, 12: 93.1, 15: 66.5, 18: 96.0, 25: 85.1}
    failed = [5.7, 9.4, 11.2, 6.0, 8.9, 7.0, 9.2, 20.2, 23.9, 21.3, 17.9, 8.7, 3.9, 10.0, 5.9, 23.5, 14.2, 19.8,
              34.3, 17.5]
    (note,) = ended_healthy_note({**stopped, **dict(zip(range(100, 120), failed))}, 125, 30, rmse=39.1)
    assert note.startswith("9 of 30 held-out units end looking healthy (units 1, 2, 3, 6, 7, 8, 12, 18, 25): ")
    assert healthy_limit({"E10": 2.0, "E2": 90.0}, 125) == 62.5 and healthy_limit({"E1": 2.0}, 125, 40.0) == 80.0


def test_a_prediction_at_a_cut_point_is_the_prediction_for_the_unit_cut_there(fleet):
    """Validation predicts at cut points of whole histories instead of scoring copies of each prefix: both
    models read only a reading's past, so the two must agree."""
    from ml.rul_windows import Windows
    from ml.rul_shape import cut_points

    prep, prepared = _prepared(fleet.train)
    y = rul_target(prepared, 125)
    lgb = RulLightGBMTask(n_estimators=10, window=10).fit(prepared, y)
    cnn = RulSequenceTask(epochs=1, window=10, channels=4, max_windows=256).fit(prepared, y)
    rows, truth, keys = cut_points(prepared, cuts=3, seed=0, max_rul=150)
    assert len(rows) == 3 * prepared[UNIT].nunique() and keys[0].endswith("#0")
    for row, rul, key in list(zip(rows, truth, keys))[::4]:
        unit = prepared[UNIT].iloc[row]
        last = prepared[TIME][prepared[UNIT] == unit].max()
        assert key.startswith(f"{unit}#") and rul == last - prepared[TIME].iloc[row]
        prefix = prepared[(prepared[UNIT] == unit) & (prepared[TIME] <= prepared[TIME].iloc[row])]
        for model in (lgb, cnn):
            at_cut = model.predict(prepared, np.array([row]))["rul"].iloc[0]
            assert at_cut == pytest.approx(model.predict(prefix)["rul"].iloc[-1], abs=1e-4)
    windows = Windows(prepared, 10)
    assert np.array_equal(windows[rows], sequence_windows(prepared, 10)[rows])


def test_units_that_end_looking_healthy_are_named():
    from services.maintenance_rul_notes import ended_healthy_note as _ended_healthy_note

    assert _ended_healthy_note({"A": 3.0, "B": 12.0, "C": 40.0}, 125, 3) == []
    note = _ended_healthy_note({"E10": 2.0, "E2": 90.0, "E1": 71.4}, 125, 3)
    assert note == ["2 of 3 held-out units end looking healthy (units E1, E2): the models, trained without them, put "
                    "71–90 cycles of life left at their last reading. Every unit's last reading is read as its "
                    "failure; units that did not fail there (still running, or taken out of service) should be "
                    "left out of the training file."]
    (single,) = _ended_healthy_note({"E10": 2.0, "E1": 69.4}, 125, 2, "hours")
    assert "(unit E1): the models, trained without them, put 69 hours of life left at its last reading." in single
    (one_split,) = _ended_healthy_note({"E10": 2.0, "E2": 90.0, "E1": 71.4}, 125, 15)
    assert one_split.endswith("Only the 3 held-out units of 15 can be checked this way: others in the file may not "
                              "have failed either.")


@pytest.mark.parametrize("time, dated, step, word", [
    ("time_cycles", False, 1, "cycles"), ("timestamp_ms", False, 10_000, "ms"), ("op_hrs", False, 0.5, "hours"),
    ("Time (s)", False, 10, "seconds"), ("t", False, 1, "cycles"), ("t", False, 250, "units of 't'"),
    ("recorded_at", True, 1, "readings")])
def test_rul_notes_count_in_the_time_columns_own_units(time, dated, step, word):
    from services.maintenance_rul_notes import time_word

    assert time_word(time, dated, step) == word


def test_long_histories_are_thinned_for_the_trees_keeping_every_last_reading(monkeypatch):
    from ml import rul

    prepared = pd.DataFrame({UNIT: np.repeat([1, 2], [7, 5]), TIME: np.r_[np.arange(7), np.arange(5)]})
    assert rul.fit_rows(prepared).tolist() == list(range(12))
    monkeypatch.setattr(rul, "MAX_FIT_ROWS", 5)  # 12 rows: every 3rd reading, counted back from each last one
    assert rul.fit_rows(prepared).tolist() == [0, 3, 6, 8, 11]


def test_units_listed_out_of_natural_order_but_each_in_time_order_get_no_ordering_note():
    rows = pd.DataFrame({"unit": ["ENG-110"] * 3 + ["ENG-2"] * 3, "cycle": [1, 2, 3] * 2, "s1": np.arange(6.0)})
    prep = HistoryPreprocessor(unit="unit", time="cycle").fit(pd.concat([rows] * 3, ignore_index=True).assign(
        unit=lambda f: np.repeat([f"U{i}" for i in range(6)], 3), s1=np.arange(18.0)))
    _, notes = prep.transform(rows)
    assert not any("not grouped by unit" in n for n in notes)
    _, notes = prep.transform(rows.iloc[[0, 3, 1, 4, 2, 5]])
    assert any("not grouped by unit" in n for n in notes)


def test_a_file_of_only_the_latest_readings_is_asked_for_whole_histories():
    from services.maintenance_rul_scoring import _short_history_notes

    latest = pd.DataFrame({UNIT: np.repeat([1, 2, 3], 10), TIME: np.tile(np.arange(200, 210), 3)})
    (note,) = _short_history_notes(latest, 30)
    assert note.endswith("If the file holds only each unit's latest readings, give the whole histories: the model "
                         "measures wear from each unit's first readings.")


def test_sensors_whose_units_start_elsewhere_than_the_training_units_are_named(fleet):
    from ml.rul_shape import early_reference, shifted_sensors
    from services.maintenance_rul_scoring import _shifted_note

    prep, prepared = _prepared(fleet.train)
    reference = early_reference(prepared)
    scoring, _ = prep.transform(fleet.test)
    assert shifted_sensors(reference, scoring) == {}  # units of the same fleet start where the training units did
    sensor = prep.sensors_[0]
    recalibrated = fleet.test.assign(**{sensor: fleet.test[sensor] + 3 * fleet.train[sensor].std()})
    shifted = shifted_sensors(reference, prep.transform(recalibrated)[0])
    assert list(shifted) == [sensor] and shifted[sensor][0] > 3 and shifted[sensor][1] == pytest.approx(3, abs=0.3)
    (note,) = _shifted_note({sensor: (7.7, 1.04)})
    assert note.startswith(f"1 sensor(s) start at levels the training units did not, in the median unit's first 20 "
                           f"readings: {sensor} +1 standard deviations of the sensor (8 × the spread of the training "
                           "units' starts). The units may be of another kind") and "care" in note
    assert _shifted_note({}) == []


def test_a_sensor_one_unit_never_read_is_named_and_its_median_is_not_judged_a_shifted_start(fleet):
    from ml.rul_shape import early_reference, shifted_sensors

    prep, prepared = _prepared(fleet.train)
    reference = early_reference(prepared)
    sensor, unit = prep.sensors_[0], fleet.test["unit"].iloc[0]
    scoring = fleet.test.copy()
    scoring.loc[scoring["unit"] == unit, sensor] = np.nan  # this unit's export lacks the sensor
    scoring.loc[scoring.index[-1], prep.sensors_[1]] = np.nan  # one ordinary gap
    transformed, notes = prep.transform(scoring)
    assert "1 missing sensor values were filled within each unit (previous, else next reading)." in notes
    assert f"Sensors with no value at all in some units: {sensor} in 1 of 2 units ({unit})." in " ".join(notes)
    assert prep.empty_units_ == {sensor: [unit]}
    assert shifted_sensors(reference, transformed, prep.empty_units_) == {}
    everywhere = fleet.test.assign(**{sensor: np.nan})
    transformed, notes = prep.transform(everywhere)
    assert any(n.startswith(f"No values at all for {sensor}") for n in notes)
    assert not any("in some units" in n for n in notes)
    assert sensor not in shifted_sensors(reference, transformed, prep.empty_units_)


def test_several_readings_per_time_step_are_averaged_and_a_stray_repeat_keeps_the_last(fleet):
    """N-CMAPSS-style files repeat each cycle number for every second of a flight: one reading per cycle
    is their mean, not the flight's last second. A single corrected reading still replaces the first."""
    base = fleet.train
    sensors = [c for c in base.columns if c.startswith("s")]
    rng = np.random.default_rng(0)
    seconds = pd.concat([base.assign(**{s: base[s] + rng.normal(0, 1, len(base)) for s in sensors})
                         for _ in range(4)]).sort_values(["unit", "cycle"], kind="stable")
    prep, prepared = _prepared(seconds)
    assert any("about 4 readings per step, averaged into one" in n for n in prep.notes_), prep.notes_
    assert len(prepared) == len(base)
    averaged = seconds.groupby(["unit", "cycle"], sort=False).mean().reset_index()[list(base.columns)]
    _, expected = _prepared(averaged)  # the same as a file of one averaged reading per cycle
    pd.testing.assert_frame_equal(prepared, expected)
    corrected = pd.concat([base, base.iloc[[5]].assign(s2=999.0)])
    prep, prepared = _prepared(corrected)
    assert "1 repeated (unit, time) rows: the last reading was kept." in prep.notes_ and len(prepared) == len(base)


def test_a_unit_id_used_for_two_histories_is_named():
    from ml.rul_readings import order_readings

    rows = [(u, t, float(t)) for u in range(5) for life in ([60, 45] if u < 2 else [70]) for t in range(1, life + 1)]
    data = pd.DataFrame(rows, columns=["unit", "time", "s1"])
    notes: list[str] = []
    order_readings(data, "unit", "time", notes)
    assert any(n.startswith("Time starts again within 2 unit(s) (0, 1): two histories under one id?") for n in notes)
    shuffled: list[str] = []
    order_readings(data[data["unit"] >= 2].sample(frac=1, random_state=0), "unit", "time", shuffled)
    assert not any("starts again" in n for n in shuffled)  # a shuffled file is only reordered


def test_a_sensor_at_one_level_per_condition_that_drifts_with_wear_stays_a_sensor():
    from ml.operating_settings import find_settings

    rng = np.random.default_rng(3)
    rows = []
    for unit in range(30):
        life = int(rng.integers(120, 200))
        for t in range(life):
            regime = int(rng.integers(0, 3))
            wear = t / life
            rows.append({"unit": unit, "cycle": t + 1, "altitude": [0.0, 20.0, 40.0][regime] + rng.normal(0, 0.001),
                         "flap": [1.0, 5.0, 9.0][regime],  # a second setting moving with the first
                         "fan": [1000.0, 2000.0, 3000.0][regime] + 3.0 * wear + rng.normal(0, 0.05),  # wear, tight
                         "temp": [500.0, 600.0, 700.0][regime] + 30 * wear + rng.normal(0, 2.0)})
    frame = pd.DataFrame(rows)
    found, followers = find_settings(frame, ["altitude", "flap", "fan", "temp"], unit="unit")
    assert set(found) | set(followers) == {"altitude", "flap"} and "fan" not in followers


def test_the_cap_counts_in_the_time_columns_units_125_readings_unless_given():
    """Bearings read every 10,000 ms with the default cap of 125: under one reading, every reading 'healthy', a
    flattering RMSE and every unit said to end healthy."""
    from services.errors import UserFacingError
    from services.maintenance_rul_notes import resolve_cap, unit_lives, usual_step

    cycles = pd.DataFrame({UNIT: np.repeat(["a", "b"], 300), TIME: np.tile(np.arange(1, 301), 2)})
    assert usual_step(cycles) == 1 and unit_lives(cycles) == 300
    assert resolve_cap(None, cycles, "cycle") == (125, []) and resolve_cap(60.0, cycles, "cycle") == (60.0, [])
    millis = cycles.assign(**{TIME: cycles[TIME] * 10_000})
    cap, notes = resolve_cap(None, millis, "time_ms")
    assert cap == 1_250_000 and notes == ["Readings of 'time_ms' are usually 10,000 apart, so RUL is counted in "
                                          "those units: the cap is 125 readings, 1,250,000. Give --cap ('RUL cap' on "
                                          "the page; in the same units) to change it."]
    with pytest.raises(UserFacingError, match=r"The RUL cap of 125 is under 5 readings: readings of 'time_ms' are "
                                              r"usually 10,000 apart.*--cap 1250000 for 125 readings"):
        resolve_cap(125.0, millis, "time_ms")
    assert resolve_cap(50_000.0, millis, "time_ms") == (50_000.0, [])  # five readings: allowed


def test_a_scoring_file_with_dates_where_training_had_cycles_is_refused_before_it_is_stored(fleet):
    from services.errors import UserFacingError
    from services.maintenance_rul_scoring import _check_columns

    prep, _ = _prepared(fleet.train)
    _check_columns(fleet.test, prep)  # cycle numbers, as in training: fine
    dated = fleet.test.assign(cycle=pd.Timestamp("2024-01-01") + pd.to_timedelta(fleet.test["cycle"], unit="h"))
    with pytest.raises(UserFacingError, match="Time column 'cycle' held numbers \\(cycles\\) in training; here it "
                                              "holds dates."):
        _check_columns(dated, prep)


def test_units_that_live_fewer_readings_than_the_window_are_said_and_their_start_is_a_quarter_of_life():
    """Milling tools worn out in 3-23 readings: the first 20 readings were their whole life (a false 'starts at
    other levels' note), training said nothing of the 30-reading window, and scoring asked for whole histories."""
    from ml.rul_shape import EARLY_READINGS, early_readings
    from services.maintenance_rul_notes import window_note
    from services.maintenance_rul_scoring import _short_history_notes

    tools = pd.DataFrame({UNIT: np.repeat(np.arange(8), 12), TIME: np.tile(np.arange(1, 13), 8)})
    assert early_readings(tools) == 3
    engines = pd.DataFrame({UNIT: np.repeat(np.arange(4), 200), TIME: np.tile(np.arange(1, 201), 4)})
    assert early_readings(engines) == EARLY_READINGS
    assert window_note(200, 30) == []
    assert window_note(12, 30) == ["Units live a median of 12 readings, fewer than the 30-reading window: the window "
                                   "statistics read whole histories. A shorter --window (such as 6) lets them compare "
                                   "the latest readings with the earlier ones."]
    scoring = pd.DataFrame({UNIT: np.repeat([1, 2], [12, 4]), TIME: np.r_[np.arange(1, 13), np.arange(1, 5)]})
    (note,) = _short_history_notes(scoring, 30, median_life=12)
    assert note.startswith("1 unit(s) have fewer readings than the training units' median life (12 readings) (unit 2;")
    assert _short_history_notes(scoring, 30)[0].startswith("2 unit(s) have fewer readings than the model's 30-reading")


def test_units_whose_band_reaches_the_cap_are_read_as_the_cap_or_more():
    from services.maintenance_rul_scoring import _at_cap_note

    last = pd.DataFrame({"unit": ["E1", "E2", "E3"], "rul": [12.0, 125.0, 118.0], "rul_low": [5.0, 125.0, 96.0],
                         "rul_high": [20.0, 125.0, 125.0]})
    (note,) = _at_cap_note(last, 125.0, "hours")
    assert note.startswith("2 unit(s) have a band that reaches the RUL cap of 125 hours (E2, E3): ")
    assert '"125 or more"' in note
    short = last.assign(rul_low=[5.0, 0.0, 96.0])  # E2's history was short: its band is the whole range, unknown
    assert _at_cap_note(short, 125.0, "hours")[0].startswith(
        "1 unit(s) have a band that reaches the RUL cap of 125 hours (E3): ")
    assert _at_cap_note(last.iloc[:1], 125.0, "cycles") == []


def test_a_time_column_in_an_unknown_format_is_named_with_an_example():
    frame = pd.DataFrame({"run": [1, 1, 2, 2, 3, 3], "timestamp": ["22h06m45s"] * 6,
                          "s1": np.arange(6.0), "s2": np.arange(6.0)})
    with pytest.raises(HistoryError, match=r"Column 'timestamp' holds values that are neither numbers nor dates in a "
                                           r"known format \(e.g. '22h06m45s'\)"):
        HistoryPreprocessor(unit="run", time="timestamp").fit(frame)


def test_nasa_ims_bearing_snapshot_names_are_read_as_dates_and_times():
    """IMS snapshots are named 2003.10.22.12.06.24, every 10 minutes: a table of RMS per snapshot was refused."""
    stamps = pd.date_range("2003-10-22 12:06:24", periods=40, freq="10min").strftime("%Y.%m.%d.%H.%M.%S")
    frame = pd.DataFrame({"bearing": np.repeat(["B1_1", "B1_2"], 20), "timestamp": stamps,
                          "rms": np.tile(np.linspace(0.1, 0.6, 20), 2), "kurtosis": np.tile(np.arange(20.0), 2)})
    prep = HistoryPreprocessor(unit="bearing", time="timestamp").fit(frame)
    prepared, notes = prep.transform(frame)
    assert prepared[TIME].tolist() == [10.0 * k for k in range(1, 21)] * 2  # minutes, from each unit's first
    assert any("counted in minutes" in n for n in notes)


def test_sequence_training_progress_names_the_network_and_the_stage(fleet):
    from services.maintenance_rul_validation import fit_model

    _, prepared = _prepared(fleet.train)
    y = rul_target(prepared, 125)
    seen = []
    fit_model(lambda: RulSequenceTask(epochs=2, window=10, channels=4, max_windows=128, nets=2), prepared, y,
              lambda f, m: seen.append((round(f, 3), m)), 0.5, 0.2, "validation (fold 2 of 5)")
    assert [m for _, m in seen] == [f"Sequence model epoch {e} of 2 (network {k} of 2) — validation (fold 2 of 5)"
                                    for k in (1, 2) for e in (1, 2)]
    assert [f for f, _ in seen] == [0.55, 0.6, 0.65, 0.7]  # from the stage's start across its span


def test_day_first_dates_count_days_in_order():
    """'dd/mm/yyyy' dates: the 5th of August is day 18 of a unit started on the 19th of July, not a day in May."""
    days = pd.date_range("2008-07-19", periods=30, freq="D")
    frame = pd.DataFrame({"run": np.repeat([1, 2], 30), "date": np.tile(days.strftime("%d/%m/%Y"), 2),
                          "s1": np.tile(np.arange(30.0), 2), "s2": np.tile(np.arange(30.0) ** 1.5, 2)})
    prep = HistoryPreprocessor(unit="run", time="date").fit(frame)
    prepared, _ = prep.transform(frame)
    assert prepared[TIME].tolist() == list(range(1, 31)) * 2  # days from each unit's first reading, counted from 1
