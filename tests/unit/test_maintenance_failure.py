"""Failure-risk helpers on a real AI4I slice: the leakage guard, target spellings, the OOF threshold."""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml import failure, failure_modes, failure_scores, leakage

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"


@pytest.fixture(scope="module")
def ai4i():
    return pd.read_csv(SAMPLE).head(800)


def test_leakage_guard_flags_ids_and_failure_modes_on_ai4i(ai4i):
    y = ai4i["Machine failure"]
    flags = {f.column: f.reason for f in leakage.find_leakage(ai4i.drop(columns=["Machine failure"]), y)}
    assert {"UDI", "Product ID", "TWF", "HDF", "PWF", "OSF", "RNF"} <= set(flags)
    assert flags["Product ID"].startswith("identifier")
    assert flags["HDF"].startswith("sub-label")
    assert not {"Torque [Nm]", "Tool wear [min]", "Type", "Air temperature [K]"} & set(flags)


def test_a_failure_type_label_and_an_after_the_fact_record_are_sub_labels(ai4i):
    """Kaggle's "Failure Type" (text, several values) and a downtime column (0 unless failed) carry the answer."""
    y = ai4i["Machine failure"]
    kind = np.select([ai4i.HDF == 1, ai4i.PWF == 1, ai4i.OSF == 1, ai4i.TWF == 1], ["Heat Dissipation Failure",
                     "Power Failure", "Overstrain Failure", "Tool Wear Failure"], "No Failure")
    kind[np.flatnonzero(y.to_numpy() == 1)[:1]] = "No Failure"  # the file's own quirks do not hide it
    downtime = np.where(y == 1, np.random.default_rng(0).uniform(1, 48, len(y)).round(1), 0.0)
    frame = ai4i[["Type", "Torque [Nm]"]].assign(**{"Failure Type": kind, "downtime_h": downtime})
    flags = {f.column: f.reason for f in leakage.find_leakage(frame, y)}
    assert flags["Failure Type"].startswith("sub-label") and "'No Failure'" in flags["Failure Type"]
    assert flags["downtime_h"].startswith("sub-label") and set(flags) == {"Failure Type", "downtime_h"}
    scores = np.where(y == 1, 0.9, 0.1)
    breakdown = failure_modes.mode_breakdown(frame[["Failure Type"]], y.to_numpy(), scores, 0.5)
    assert "Failure Type = Heat Dissipation Failure" in set(breakdown["mode"])
    assert "Failure Type = No Failure" not in set(breakdown["mode"])
    blank = frame[["Failure Type"]].replace("No Failure", np.nan)  # normal rows left empty
    modes = set(failure_modes.mode_breakdown(blank, y.to_numpy(), scores, 0.5)["mode"])
    assert modes == {f"Failure Type = {v}" for v in set(kind) - {"No Failure"}}, modes


def test_a_mode_counts_as_caught_only_among_its_failures():
    """RNF-like: the flag is set on 4 rows, 2 of them failures, both caught; the 2 healthy rows score low. Caught
    was 0.5 (over every flagged row), as if the model had missed a failure."""
    y = np.array([1, 1, 0, 0, 0, 1])
    scores = np.array([0.9, 0.8, 0.1, 0.2, 0.1, 0.3])
    modes = pd.DataFrame({"RNF": [1, 1, 1, 1, 0, 0]})
    (row,) = failure_modes.mode_breakdown(modes, y, scores, 0.5).to_dict(orient="records")
    assert (row["rows"], row["failures"], row["caught_at_threshold"]) == (4, 2, 1.0)
    assert row["share_of_failures"] == pytest.approx(2 / 3)
    never = failure_modes.mode_breakdown(pd.DataFrame({"RNF": [0, 0, 1, 0, 0, 0]}), y, scores, 0.5)
    assert np.isnan(never["caught_at_threshold"].iloc[0])  # no failure of that mode: nothing to catch


def test_a_flag_restating_the_whole_outcome_is_not_a_mode():
    """Kaggle's predictive-maintenance file trained on 'Failure Type': its 0/1 'Target' (set on every failure, and
    on a few readings the label calls 'No Failure') read as a mode holding 100 % of the failures beside the four
    real ones. A flag that is the only mode, or one mode dominating others that cover little, stays."""
    y = np.array([1] * 10 + [0] * 10)
    scores = np.where(y == 1, 0.9, 0.1)
    kind = ["HDF"] * 6 + ["PWF"] * 4 + ["No Failure"] * 10
    target = [1] * 10 + [1] + [0] * 9
    table = failure_modes.mode_breakdown(pd.DataFrame({"Target": target, "Failure Type": kind}), y, scores, 0.5)
    assert set(table["mode"]) == {"Failure Type = HDF", "Failure Type = PWF"}
    alone = failure_modes.mode_breakdown(pd.DataFrame({"Target": target}), y, scores, 0.5)
    assert list(alone["mode"]) == ["Target"] and alone["share_of_failures"].iloc[0] == 1.0
    rare = [1] + [0] * 19
    dominant = failure_modes.mode_breakdown(pd.DataFrame({"TWF": [1] * 10 + [0] * 10, "RNF": rare}), y, scores, 0.5)
    assert list(dominant["mode"]) == ["TWF", "RNF"]


def test_a_column_that_alone_separates_the_target_is_flagged():
    rng = np.random.default_rng(0)
    y = pd.Series(rng.integers(0, 2, 200))
    frame = pd.DataFrame({"leak": y * 10 + rng.normal(0, 0.1, 200), "noise": rng.normal(size=200)})
    assert [f.column for f in leakage.find_leakage(frame, y)] == ["leak"]


def test_the_parent_label_of_a_failure_mode_target_is_flagged(ai4i):
    """Kaggle's copy: --target "Failure Type" for one mode leaves "Target" (set on every failure) as a leak."""
    kind = pd.Series(np.select([ai4i.HDF == 1, ai4i.PWF == 1, ai4i.OSF == 1, ai4i.TWF == 1],
                               ["Heat Dissipation Failure", "Power Failure", "Overstrain Failure",
                                "Tool Wear Failure"], "No Failure"))
    y = (kind == "Overstrain Failure").astype(int)
    frame = ai4i[["Type", "Torque [Nm]", "Tool wear [min]"]].assign(Target=ai4i["Machine failure"])
    flags = {f.column: f.reason for f in leakage.find_leakage(frame, y, target=kind)}
    assert list(flags) == ["Target"] and flags["Target"].startswith("parent label: every failure has it set")
    # a 0/1 target beside its sibling modes: the parent's other rows are the other modes' rows
    modes = ai4i[["HDF", "PWF", "TWF"]].rename(columns=lambda c: f"mode_{c.lower()}")
    flags = {f.column: f.reason for f in leakage.find_leakage(frame.join(modes), y)}
    assert flags["Target"].startswith("parent label")


def test_a_warning_on_before_every_failure_is_no_parent_label(ai4i):
    """A 0/1 warning set on every failure and on other readings too is a real precursor, kept."""
    y = ai4i["Machine failure"]
    rng = np.random.default_rng(0)
    warning = ((y == 1) | (rng.random(len(y)) < 0.08)).astype(int)
    frame = ai4i[["Type", "Torque [Nm]"]].assign(overheat_warning=warning,
                                                  generation=np.where(warning == 1, "old", "new"))
    assert not {"overheat_warning", "generation"} & {f.column for f in leakage.find_leakage(frame, y)}


def test_one_hot_sibling_labels_are_flagged_and_ordinary_flags_are_not():
    """Steel plates: seven 0/1 fault columns, exactly one set per plate; the target is one of them."""
    rng = np.random.default_rng(0)
    n = 600
    fault = rng.choice(["Pastry", "Z_Scratch", "K_Scatch", "Stains", "Bumps", "Other_Faults"], n)
    frame = pd.DataFrame({name: (fault == name).astype(int) for name in
                          ["Pastry", "Z_Scratch", "K_Scatch", "Stains", "Other_Faults"]})
    frame["TypeOfSteel_A300"] = rng.integers(0, 2, n)  # a real 0/1 property of the plate
    frame["TypeOfSteel_A400"] = 1 - frame["TypeOfSteel_A300"]
    frame["thickness"] = rng.normal(80, 10, n)
    y = pd.Series((fault == "Bumps").astype(int))
    flags = {f.column: f.reason for f in leakage.find_leakage(frame, y)}
    assert set(flags) == {"Pastry", "Z_Scratch", "K_Scatch", "Stains", "Other_Faults"}
    assert flags["Pastry"].startswith("sibling label")
    assert leakage.one_hot_siblings(frame[["Pastry", "thickness"]], y) == []  # one exclusive flag is no set


@pytest.mark.parametrize("values,positive,expected", [
    (["ok", "failure", "ok"], None, "failure"), (["no", "yes", "no"], None, "yes"),
    ([0, 1, 0], None, "1"), ([True, False, False], None, "yes"), (["a", "b", "b"], None, "a"),
    (["good", "bad", "good"], "BAD", "bad"),
])
def test_any_binary_spelling(values, positive, expected):
    y, chosen = failure.binarise(pd.Series(values, name="t"), positive)
    assert chosen == expected and y.sum() == 1


@pytest.mark.parametrize("positive,expected", [("N", "no"), ("y", "yes"), ("no", "no"), ("True", "yes")])
def test_yes_no_targets_read_as_booleans_take_any_spelling_and_say_yes_or_no(positive, expected):
    y, chosen = failure.binarise(pd.Series([True, False, False], name="failed"), positive)
    assert chosen == expected and y.tolist() == [int(expected == "yes"), int(expected == "no"),
                                                  int(expected == "no")]


def test_a_numeric_failure_value_matches_however_it_is_written():
    y, chosen = failure.binarise(pd.Series([100, 90, 73, 80, 73], name="valve"), "73.0")
    assert chosen == "73" and y.tolist() == [0, 0, 1, 0, 1]


def test_several_failure_values_are_named_with_commas():
    """Azure's failure column: none, comp1 … comp4. Any component failing is a failure."""
    status = pd.Series(["none", "comp1", "none", "comp3", "Comp2", "none"], name="failure")
    y, chosen = failure.binarise(status, "comp1, comp2,comp3")
    assert chosen == "comp1, Comp2, comp3" and y.tolist() == [0, 1, 0, 1, 1, 0]
    with pytest.raises(failure.TargetError, match="--positive 'comp1,comp9' is not a value of 'failure'"):
        failure.binarise(status, "comp1,comp9")
    commas = pd.Series(["ok", "bad, bent", "ok"], name="t")  # a value with a comma in it is one value
    assert failure.binarise(commas, "bad, bent")[0].tolist() == [0, 1, 0]


def test_a_label_with_blanks_keeps_the_files_spelling_of_the_failure_value():
    y, chosen = failure.binarise(pd.Series([0.0, 1.0, np.nan, 0.0], name="failed"))
    assert chosen == "1" and y.tolist()[:2] == [0, 1] and np.isnan(y.iloc[2])


def test_timestamps_and_machine_ids_are_flagged_but_machine_models_are_not():
    rng = np.random.default_rng(1)
    n = 240
    frame = pd.DataFrame({"datetime": pd.date_range("2015-01-01", periods=n, freq="h"),
                          "machineID": np.repeat(np.arange(1, 13), n // 12), "model": rng.choice(["m1", "m2"], n),
                          "volt": rng.normal(170, 10, n), "engine_temp": rng.normal(80, 5, n)})
    y = pd.Series(rng.integers(0, 2, n))
    flags = {f.column: f.reason for f in leakage.find_leakage(frame, y)}
    assert flags["datetime"].startswith("timestamp") and flags["machineID"].startswith("machine identifier")
    assert not {"model", "volt", "engine_temp"} & set(flags)


def test_timestamps_written_as_unix_numbers_are_flagged_and_measurements_are_not():
    rng = np.random.default_rng(2)
    n = 240
    hours = pd.date_range("2015-01-01", periods=n // 2, freq="h") - pd.Timestamp("1970-01-01")
    seconds = np.tile(hours.total_seconds().to_numpy(), 2)  # two machines read at the same hours: no id
    frame = pd.DataFrame({"epoch_time": seconds, "ts_ms": seconds * 1000,
                          "cycle_time": rng.normal(30, 2, n), "date_code": rng.integers(1, 9, n),
                          "pressure": rng.normal(3e8, 1e6, n)})  # huge, but not named like a time
    flags = {f.column: f.reason for f in leakage.find_leakage(frame, pd.Series(rng.integers(0, 2, n)))}
    assert flags["epoch_time"].startswith("timestamp (Unix time in seconds)")
    assert flags["ts_ms"].startswith("timestamp (Unix time in milliseconds)")
    assert not {"cycle_time", "date_code", "pressure"} & set(flags)


def test_leak_reasons_read_plainly():
    rng = np.random.default_rng(4)
    n = 1000
    y = pd.Series((rng.random(n) < 0.1).astype(int))
    downtime = np.where(y == 1, rng.uniform(1, 9, n), 0.0)  # hours down: only set where the machine failed
    orders = pd.Series([f"WO-{i}" if f else None for i, f in enumerate(rng.random(n) < 0.04)], dtype=object)
    frame = pd.DataFrame({"downtime_h": downtime, "work_order": orders, "volt": rng.normal(170, 10, n)})
    flags = {f.column: f.reason for f in leakage.find_leakage(frame, y)}
    assert flags["downtime_h"] == "sub-label: 100% of its rows other than 0 are failures"
    assert flags["work_order"].startswith("identifier (unique where filled, on ")


def test_settings_named_like_modes_are_kept_and_a_rare_mode_flag_is_not():
    """eco_mode on a third of the readings and a filter_flag warning light are settings and signals, not
    failure-mode labels; a flag set on a handful of readings, few of them failures (AI4I's RNF), is one."""
    rng = np.random.default_rng(3)
    n = 3000
    filter_flag = rng.random(n) < 0.26
    y = pd.Series((rng.random(n) < np.where(filter_flag, 0.11, 0.034)).astype(int))
    rnf = np.zeros(n, int)
    rnf[rng.choice(np.flatnonzero(y.to_numpy() == 0), 6, replace=False)] = 1
    rnf[np.flatnonzero(y.to_numpy() == 1)[:1]] = 1
    frame = pd.DataFrame({"eco_mode": (rng.random(n) < 0.35).astype(int), "filter_flag": filter_flag.astype(int),
                          "drive_mode": rng.choice(["eco", "sport"], n), "RNF": rnf, "temp": rng.normal(size=n)})
    flags = {f.column: f.reason for f in leakage.find_leakage(frame, y)}
    assert flags == {"RNF": "named like a failure-mode flag"}


def test_a_repeating_machine_id_is_not_noted_at_scoring_but_a_repeated_reading_id_is():
    from services.maintenance_scoring import score_notes

    telemetry = pd.DataFrame({"machineID": np.repeat([1, 2, 3], 4), "volt": np.arange(12.0)})
    assert score_notes(telemetry, telemetry[[]], None, {"features": []}, "machineID") == ()
    readings = pd.DataFrame({"UDI": [1, 2, 2, 4], "volt": [1.0, 2.0, 3.0, 4.0]})
    assert score_notes(readings, readings[[]], None, {"features": []}, "UDI") == (
        "Id column 'UDI' has 1 duplicated value(s); every row was still scored.",)


def test_non_binary_target_refused():
    with pytest.raises(failure.TargetError, match="exactly two values"):
        failure.binarise(pd.Series([1, 2, 3], name="t"))
    with pytest.raises(failure.TargetError, match="Name the failure value with --positive"):  # the way out
        failure.binarise(pd.Series(["NORMAL", "BROKEN", "RECOVERING"], name="machine_status"))
    with pytest.raises(failure.TargetError, match="--positive 'BROKE' is not a value of 'machine_status'"):
        failure.binarise(pd.Series(["NORMAL", "BROKEN", "RECOVERING"], name="machine_status"), "BROKE")


def test_a_failure_type_label_with_none_counts_every_other_type_as_the_failure():
    failure_type = pd.Series(["none", "comp1", "none", "comp2", "none", "comp4"], name="failure")  # Azure PdM
    y, chosen = failure.binarise(failure_type)
    assert y.tolist() == [0, 1, 0, 1, 0, 1] and chosen == "comp1, comp2, comp4"
    assert failure.binarise(failure_type.replace("none", "No Failure"))[0].tolist() == [0, 1, 0, 1, 0, 1]


def test_a_named_failure_value_stands_against_every_other_value():
    status = pd.Series(["NORMAL", "BROKEN", "RECOVERING", "NORMAL", "broken "], name="machine_status")
    y, chosen = failure.binarise(status, "broken")
    assert chosen == "BROKEN" and y.tolist() == [0, 1, 0, 0, 0]  # 'broken ' is another spelling: folded upstream


def test_threshold_maximises_f1_and_names_are_lightgbm_safe():
    y = np.array([0, 0, 1, 1, 0, 1])
    scores = np.array([0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
    threshold, f1 = failure_scores.best_f1_threshold(y, scores)
    assert threshold == pytest.approx(0.35) and f1 == pytest.approx(6 / 7)
    assert failure.lightgbm_safe_names(["Air [K]", "Air _K_", "x"]) == {"Air [K]": "Air _K_", "Air _K_": "Air _K__2",
                                                                         "x": "x"}


def test_failure_model_uses_fine_bins_and_round_trips(tmp_path):
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"power": rng.uniform(0, 10_000, 300), "kind": rng.choice(["L", "M"], 300)})
    y = pd.Series((X["power"] > 9_000).astype(int))
    params = failure.model_settings(1000)
    assert params["learning_rate"] == pytest.approx(0.02) and failure.model_settings(400)["learning_rate"] == 0.05
    model = failure.FailureClassifierTask(**{**params, "n_estimators": 20}).fit(X, y)
    assert model._lgb_params(2)["max_bin"] == failure.FINE_BINS and model.get_params()["max_bin"] == failure.FINE_BINS
    model.save(tmp_path)
    loaded = failure.load_classifier(tmp_path)
    assert type(loaded) is failure.FailureClassifierTask
    assert np.allclose(loaded.predict(X)["p_1"], model.predict(X)["p_1"])


def test_nested_f1_is_at_most_the_oof_f1():
    rng = np.random.default_rng(1)
    y = (rng.uniform(size=400) < 0.1).astype(int)
    scores = y * 0.5 + rng.uniform(size=400) * 0.7
    _, best = failure_scores.best_f1_threshold(y, scores)
    nested = failure_scores.nested_f1(y, scores, folds=5, seed=0)
    assert 0.3 < nested <= best + 1e-12


def test_numbers_written_as_text_are_numbers_for_the_failure_model():
    from services.maintenance import model_frame

    frame = pd.DataFrame({"load": ["47.0%", "12.5%", None, "80%"], "price": ["12,7 €", "9,25 €", "1.250,00 €", "3 €"],
                          "grade": ["A", "B", "A", "C"]})
    X = model_frame(frame, ["load", "price", "grade"])
    assert X.iloc[:, 0].tolist()[:2] == [47.0, 12.5] and np.isnan(X.iloc[2, 0])
    assert X.iloc[:, 1].tolist() == [12.7, 9.25, 1250.0, 3.0]
    assert X.iloc[:, 2].tolist() == ["A", "B", "A", "C"]                    # real categories stay text


def test_wide_files_let_each_tree_see_a_share_of_the_columns():
    assert failure.column_share(12) == 1.0 and failure.column_share(60) == 1.0
    assert failure.column_share(120) == 0.5 and failure.column_share(590) == 0.2
    rng = np.random.default_rng(0)
    X = pd.DataFrame(rng.normal(size=(120, 80)), columns=[f"s{i}" for i in range(80)])
    task = failure.FailureClassifierTask(n_estimators=5).fit(X, pd.Series(rng.integers(0, 2, 120)))
    assert task._lgb_params(2)["feature_fraction"] == 0.75


def test_trees_reading_many_columns_get_coarser_bins_and_few_columns_the_fine_ones():
    rng = np.random.default_rng(1)
    y = pd.Series(rng.integers(0, 2, 150))
    bins = {}
    for width in (9, 24, 40, 300):  # AI4I with formulas, a turbofan's sensors, a plant's, a wide export
        X = pd.DataFrame(rng.normal(size=(150, width)), columns=[f"s{i}" for i in range(width)])
        task = failure.FailureClassifierTask(n_estimators=3).fit(X, y)
        bins[width] = task._lgb_params(2)["max_bin"]
        assert task.get_params()["max_bin"] == failure.FINE_BINS  # the setting stored with the run is unchanged
    assert bins == {9: failure.FINE_BINS, 24: 1023, 40: 255, 300: 255}


def test_cross_validation_keeps_each_machines_readings_in_one_fold():
    """Hourly readings of one machine in both the training and the scoring side of a fold flatter the AUC."""
    from services.maintenance import FailureSetup
    from services.maintenance_checks import fold_groups

    rng = np.random.default_rng(0)
    data = pd.DataFrame({"machineID": np.repeat(np.arange(20), 30), "volt": rng.normal(170, 5, 600)})
    y = pd.Series((rng.random(600) < 0.2).astype(int))
    setup = FailureSetup("failure", "1", {"machineID": "machine identifier: …"}, (), ("volt",))
    groups, notes = fold_groups(data, setup, None, folds=5)
    assert groups is not None and notes[0].startswith("Cross-validation keeps each 'machineID' value's readings")
    seen = []

    class Spy:
        def fit(self, X, _):
            seen.append(set(data.loc[X.index, "machineID"]))
            return self

        def predict(self, X):
            return pd.DataFrame({"p_1": np.full(len(X), 0.5)}, index=X.index)

    failure_scores.out_of_fold(data[["volt"]], y, Spy, folds=5, seed=0, progress=lambda *_: None, groups=groups)
    held_out = [set(range(20)) - trained for trained in seen]          # machines each fold's model never saw
    assert len(seen) == 5 and all(held_out) and set().union(*held_out) == set(range(20))
    assert sum(len(h) for h in held_out) == 20                        # each machine is held out exactly once
    unique = data.assign(machineID=np.arange(600))                     # one reading per id (AI4I's UDI): rows
    assert fold_groups(unique, setup, "machineID", folds=5) == (None, [])
    few = data[data["machineID"] < 3]                                 # fewer machines than folds: rows
    assert fold_groups(few, setup, None, folds=5) == (None, [])


def test_one_machines_readings_in_time_order_are_folded_by_period():
    """A single pump's hourly readings: the hours around one failure must not sit on both sides of a fold."""
    from services.maintenance import FailureSetup
    from services.maintenance_checks import fold_groups

    hours = pd.date_range("2024-01-01", periods=400, freq="h")
    data = pd.DataFrame({"timestamp": hours[::-1], "volt": np.arange(400.0)})  # written newest first
    setup = FailureSetup("failure", "1", {"timestamp": "timestamp: the model would learn when …"}, (), ("volt",))
    groups, notes = fold_groups(data, setup, None, folds=5)
    assert groups.nunique() == 20 and notes[0].startswith("Cross-validation folds are periods of 'timestamp'")
    by_time = groups.to_numpy()[np.argsort(data["timestamp"].to_numpy())]
    assert (np.diff(by_time.astype(int)) >= 0).all()                 # each period is one run of consecutive hours
    assert fold_groups(data.head(150), setup, None, folds=5) == (None, [])      # too few readings for periods
    assert fold_groups(data, FailureSetup("failure", "1", {}, (), ("volt",)), None, folds=5) == (None, [])
    as_id = FailureSetup("failure", "1", {"timestamp": "identifier (chosen as the id column)"}, (), ("volt",))
    groups, notes = fold_groups(data, as_id, "timestamp", folds=5)  # the timestamp given as --id: still periods
    assert groups.nunique() == 20 and notes[0].startswith("Cross-validation folds are periods of 'timestamp'")


def test_periods_follow_the_time_of_unix_and_iso_text_mixed_in_one_column():
    from services.maintenance import FailureSetup
    from services.maintenance_checks import fold_groups

    hours = pd.date_range("2024-01-01", periods=400, freq="h")[::-1]
    unix = pd.Series((hours.astype("int64") // 10**9).astype(str))
    data = pd.DataFrame({"timestamp": unix.where(np.arange(400) % 2 == 0, hours.strftime("%Y-%m-%dT%H:%M:%SZ")),
                         "volt": np.arange(400.0)})
    setup = FailureSetup("failure", "1", {"timestamp": "timestamp (dates and times written as text)"}, (), ("volt",))
    groups, _ = fold_groups(data, setup, None, folds=5)
    assert (np.diff(groups.to_numpy()[::-1].astype(int)) >= 0).all() and groups.nunique() == 20


def test_kept_flagged_columns_and_a_near_perfect_auc_are_said():
    from services.maintenance import FailureSetup
    from services.maintenance_checks import training_notes

    frame = pd.DataFrame({"failure": [0, 1] * 20, "Other_Faults": [0, 1] * 20})
    setup = FailureSetup("failure", "1", {"Other_Faults": "named like a failure-mode flag"}, (), ("Other_Faults",))
    notes = training_notes(frame, setup, {"cv_auc": 1.0, "positive_rate": 0.5})
    assert any(n.startswith("Warning: kept although the leakage guard flagged them: 'Other_Faults' (named like a "
                            "failure-mode flag). Every file to score must carry them too") for n in notes)
    assert any(n.startswith("The cross-validated AUC is 1.000, near perfect") for n in notes)
    plain = FailureSetup("failure", "1", {"Other_Faults": "named like a failure-mode flag"}, (), ("x",))
    assert not any("Kept" in n or "near perfect" in n
                   for n in training_notes(frame, plain, {"cv_auc": 0.98, "positive_rate": 0.5}))


def test_a_measurement_as_target_is_named_as_such():
    readings = pd.Series(np.random.default_rng(0).normal(50, 5, 300), name="column_590")
    with pytest.raises(failure.TargetError, match="looks like a measurement \\(300 different numbers\\)"):
        failure.binarise(readings)


def test_one_odd_cell_in_a_true_false_column_is_the_only_gap():
    from services.maintenance import model_frame

    flags = ["True", "maybe", "False", None, " true"] + ["False"] * 15
    X = model_frame(pd.DataFrame({"is_weekend": flags, "rpm": range(20)}), ["is_weekend", "rpm"])
    read = X["is_weekend"].tolist()
    assert read[0] == 1.0 and np.isnan(read[1]) and read[2] == 0.0 and np.isnan(read[3]) and read[4] == 1.0
    words = pd.DataFrame({"site": ["north", "south", "true"]})  # a category with one odd word stays a category
    assert model_frame(words, ["site"])["site"].tolist() == ["north", "south", "true"]


def test_a_zero_one_target_with_blanks_names_its_values_as_written():
    from services.maintenance import inspect_failure_data

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"temp": rng.normal(300, 2, 60), "label": [0.0, 1.0, np.nan] * 20})  # blanks: floats
    setup, _, y = inspect_failure_data(frame, "label")
    assert len(y) == 40 and int(y.sum()) == 20
    assert setup.positive == "1" and not any("0.0" in n or "has 3 values" in n for n in setup.label_notes)


def test_a_yes_no_target_says_yes_and_no_in_its_notes():
    from services.maintenance import inspect_failure_data

    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"temp": rng.normal(300, 2, 60), "failed": [True, False, False, None] * 15})
    setup, _, y = inspect_failure_data(frame, "failed")
    assert setup.positive == "yes" and int(y.sum()) == 15
    assert not any("True" in n or "False" in n or "has 3 values" in n for n in setup.label_notes), setup.label_notes


def test_a_flag_named_like_a_mode_is_excluded_only_when_it_marks_failures():
    """The hydraulic rig's stable_flag (set on 30 % of cycles, 32 % of them failures against 34 % of the rest) was
    excluded as "named like a failure-mode flag"; a rare flag whose readings mostly failed still is."""
    from services.maintenance import inspect_failure_data

    rng = np.random.default_rng(7)
    n = 1500
    temp = rng.normal(size=n)
    failed = (temp + rng.normal(0, 0.5, n) > 0.45).astype(int)  # about a third
    rnf = np.zeros(n, int)
    rnf[np.flatnonzero(failed == 1)[:8]] = 1
    rnf[np.flatnonzero(failed == 0)[:2]] = 1
    frame = pd.DataFrame({"temp": temp, "stable_flag": (rng.random(n) < 0.3).astype(int), "RNF": rnf,
                          "failed": failed})
    setup, _, _ = inspect_failure_data(frame, "failed")
    assert setup.flags == {"RNF": "named like a failure-mode flag"}
    assert "stable_flag" in setup.features and "RNF" not in setup.features
    (note,) = [n for n in setup.label_notes if n.startswith("'stable_flag'")]
    assert note.startswith("'stable_flag' is named like a failure-mode flag but was kept as a feature: its readings "
                           "fail no more often than the others (")
    assert note.endswith("Leave it out with --exclude stable_flag (or untick it on the page).")
    rates = failure.flag_failure_rates(frame["RNF"], frame["failed"])
    assert rates[0] == pytest.approx(0.8) and rates[1] < 0.4
    healthy_rnf = np.zeros(n, int)
    healthy_rnf[np.flatnonzero(failed == 0)[:4]] = 1  # AI4I's first 600 rows: too few readings to judge by rate
    rare, _, _ = inspect_failure_data(frame.assign(RNF=healthy_rnf), "failed")
    assert rare.flags == {"RNF": "named like a failure-mode flag"}


def test_columns_that_separate_the_target_alone_always_get_a_way_to_keep_them():
    """The hydraulic rig's cooling efficiency (AUC 0.998 alone, a real sensor) was left out with no word on --keep
    because the model without it was strong (AUC 0.996)."""
    from services.maintenance import FailureSetup
    from services.maintenance_checks import training_notes

    frame = pd.DataFrame({"failure": [0, 1] * 20, "CE_mean": range(40), "PS1": range(40)})
    flags = {"CE_mean": "separates the target alone (AUC 0.998)", "CE_max": "separates the target alone (AUC 0.997)"}
    setup = FailureSetup("failure", "1", flags, (), ("PS1",))
    notes = training_notes(frame, setup, {"cv_auc": 0.996, "positive_rate": 0.5})
    assert ("Left out because each alone separates failures from the rest: 'CE_mean' (AUC 0.998), 'CE_max' (AUC "
            "0.997). A record made with or after the failure does that, but so can a sensor that reads the fault "
            "itself. If they are measured before a failure happens, keep them: --keep CE_mean (one --keep per "
            "column), or tick them on the page.") in notes
    weak = training_notes(frame, setup, {"cv_auc": 0.55, "positive_rate": 0.5})
    assert sum("--keep" in n for n in weak) == 1 and any(n.startswith("The model is barely better") for n in weak)


def test_records_of_the_outcome_left_out_are_named_in_a_note():
    """The Azure template's PM_train carries RUL and label2 beside the target label1: both are left out, and
    said so in the notes, not only in the excluded columns."""
    from services.maintenance import FailureSetup
    from services.maintenance_checks import training_notes

    frame = pd.DataFrame({"label1": [0, 1] * 20, "s2": range(40)})
    flags = {"RUL": "named like a record made with or after the failure (…) (AUC 1.000)", "TWF": "sub-label: 100% …",
             "label2": "sub-label: 100% of its rows other than 0 are failures", "s1": "constant column (one value only)",
             "RNF": "named like a failure-mode flag"}
    notes = training_notes(frame, FailureSetup("label1", "1", flags, (), ("s2", "TWF")), {"cv_auc": 0.94,
                                                                                         "positive_rate": 0.5})
    assert ("Left out as records of the outcome, written with or after a failure (new readings will not have them): "
            "'RUL', 'label2', 'RNF'. Each one's reason is with the excluded columns.") in notes
    assert not any("outcome" in n for n in training_notes(frame, FailureSetup("label1", "1", {}, (), ("s2",)),
                                                          {"cv_auc": 0.94, "positive_rate": 0.5}))


def test_many_columns_empty_in_a_scored_file_get_one_note():
    """A one-row file of a SECOM-like table (590 sensors, many gaps) got one note per empty sensor: 50 of them."""
    from services.maintenance_scoring import score_notes

    names = [str(i) for i in range(10)]
    row = pd.DataFrame([[np.nan] * 8 + [1.0, 2.0]], columns=names)
    config = {"features": names, "empty_share": {n: 0.3 for n in names}}
    assert score_notes(row, row, None, config, None) == (
        "8 columns are empty in this file ('0', '1', '2', '3', '4' …): every reading was scored without them "
        "(as missing).",)
    few = row.assign(**{n: 1.0 for n in names[2:8]})
    assert score_notes(few, few, None, config, None) == tuple(
        f"Column {n!r} is empty in this file: every reading was scored without it (as missing)." for n in ("0", "1"))


def test_a_table_left_without_features_names_each_column_and_why():
    """Bearings labelled 'failing soon' on their last readings: every vibration feature separates the label alone.
    The refusal read "every column was excluded as an id or a sub-label of the target"."""
    from services.maintenance import LeakageOnlyError, inspect_failure_data

    life, rng = np.arange(60.0), np.random.default_rng(0)
    frame = pd.DataFrame({"bearing": np.repeat(["B1", "B2", "B3"], 60), "rms": rng.uniform(0.1, 0.2, 180)
                          + np.tile((life > 50) * life / 100, 3),
                          "site": "lab", "failing_soon": np.tile((life > 50).astype(int), 3)})
    said = ("No feature columns left: every column was left out: 'rms' (separates failures alone); 'site' (constant). "
            "Keep some with --keep (or untick them on the page): a sensor measured before the failure can separate "
            "failures alone, as on a label set on the last readings before each failure.")
    with pytest.raises(LeakageOnlyError) as caught:
        inspect_failure_data(frame, "failing_soon", id_column="bearing")
    assert str(caught.value) == said


def test_a_separating_column_kept_is_not_said_to_be_left_out():
    """Kept with --keep, the bearings' sensors were named both as "Left out because each alone separates failures"
    and as "kept although the leakage guard flagged them"."""
    from services.maintenance import inspect_failure_data
    from services.maintenance_checks import training_notes

    life, rng = np.arange(60.0), np.random.default_rng(0)
    frame = pd.DataFrame({"bearing": np.repeat(["B1", "B2", "B3"], 60), "rms": rng.uniform(0.1, 0.2, 180)
                          + np.tile((life > 50) * life / 100, 3), "failing_soon": np.tile((life > 50).astype(int), 3)})
    setup, _, _ = inspect_failure_data(frame, "failing_soon", id_column="bearing", keep=["rms"])
    assert "rms" in setup.features
    notes = training_notes(frame, setup, {"cv_auc": 0.97, "positive_rate": 0.15})  # it also read "Left out because"
    assert [n.split(":")[0] for n in notes if "rms" in n] == ["Warning"]
