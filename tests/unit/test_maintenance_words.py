"""Maintenance features in words for charts and reports: formulas by what they compute, LightGBM-safe names as
the file wrote them, RUL window statistics in words; the names the model reads are left as they are."""
import pandas as pd

from services import maintenance_words as words

AI4I_CONFIG = {
    "features": ["Type", "Air temperature [K]", "Process temperature [K]", "Rotational speed [rpm]", "Torque [Nm]",
                 "Tool wear [min]", "temp_difference", "power_w", "wear_x_torque", "load"],
    "derived": [{"name": "temp_difference", "formula": "`Process temperature [K]` - `Air temperature [K]`"},
                {"name": "power_w", "formula": "`Torque [Nm]` * `Rotational speed [rpm]` * 2 * 3.14159 / 60"},
                {"name": "wear_x_torque", "formula": "`Tool wear [min]` * `Torque [Nm]`"},
                {"name": "load", "formula": "torque*rpm/1e-3"}]}


def test_formulas_read_as_written_by_hand_without_units_or_backticks():
    assert words.formula_words("`Tool wear [min]` * `Torque [Nm]`") == "Tool wear × Torque"
    assert words.formula_words("`Process temperature [K]` - `Air temperature [K]`") == (
        "Process temperature − Air temperature")
    assert words.formula_words("abs(a-b)/-c + log1p(x)**2") == "abs(a − b) ÷ -c + log1p(x)^2"
    assert words.formula_words("`Flow l/min` - 3") == "Flow l/min − 3"  # a slash inside a name is no division
    assert words.formula_words("x * 1e-3") == "x × 1e-3"


def test_a_failure_runs_features_are_shown_in_words_and_its_model_names_mapped_back():
    shown = words.failure_words(AI4I_CONFIG)
    assert shown["wear_x_torque"] == "Tool wear × Torque"
    assert shown["temp_difference"] == "Process temperature − Air temperature"
    assert shown["power_w"] == "Power, W (Torque × Rotational speed × 2π ÷ 60)"
    assert shown["load"] == "load (torque × rpm ÷ 1e-3)"
    assert shown["Air temperature [K]"] == "Air temperature [K]" and shown["Type"] == "Type"
    model = words.model_name_words(AI4I_CONFIG)  # the report's feature list reads the model's safe names
    assert model["Air temperature _K_"] == "Air temperature [K]" and model["Tool wear _min_"] == "Tool wear [min]"
    assert model["wear_x_torque"] == "Tool wear × Torque" and "Type" not in model


def test_two_features_that_would_read_alike_keep_their_own_names():
    twin = {"features": ["a × b", "wear_x_torque"], "derived": [{"name": "wear_x_torque", "formula": "`a` * `b`"}]}
    assert words.failure_words(twin) == {"a × b": "a × b", "wear_x_torque": "wear_x_torque"}


def test_rul_window_statistics_in_words():
    assert words.feature_words("s7__slope30") == "s7, trend over the last 30 readings"
    assert words.feature_words("setting_1") == "setting_1"


def test_an_rul_at_the_cap_reads_as_the_cap_or_more_on_display_only():
    assert words.rul_text(125.0, 125) == "125 or more"  # before: 125.0, where the note said '125 or more'
    assert words.rul_text(124.95, 125) == "125.0" and words.rul_text(12.34, 125) == "12.3"
    assert words.rul_text(1440.0, 1440.0) == "1,440 or more" and words.rul_text(float("nan"), 125) == ""
    assert words.rul_text(None, 125) == "" and words.rul_text(130.0, None) == "130.0"  # a run without a cap
    frame = pd.DataFrame({"unit": [1, 2, 3], "rul": [125.0, 40.26, None], "rul_low": [125.0, 30.0, None],
                          "rul_high": [125.0, 55.5, None]})
    shown = words.rul_shown(frame, 125, 2)
    assert shown.to_dict(orient="list") == {"unit": [1, 2, 3], "rul": ["125 or more", "40.26", ""],
                                            "rul_low": ["125 or more", "30.00", ""],
                                            "rul_high": ["125 or more", "55.50", ""]}
    assert frame["rul"].iloc[0] == 125.0  # the numbers themselves are left alone


def test_a_run_stored_before_feature_words_lists_its_model_names_in_words():
    from types import SimpleNamespace

    from services import maintenance_plan, reports

    old = SimpleNamespace(task=maintenance_plan.FAILURE_TASK, parameters={"derived": ["load = torque*rpm/1e-3"]})
    label = reports.FEATURE_LABELS[maintenance_plan.DESK]
    assert [label(old, n) for n in ("Air temperature _K_", "Tool wear _min_", "wear_x_torque", "load", "Type",
                                    "snake_case_")] == [
        "Air temperature [K]", "Tool wear [min]", "Tool wear × Torque", "load (torque × rpm ÷ 1e-3)", "Type",
        "snake_case_"]
    new = SimpleNamespace(task=maintenance_plan.FAILURE_TASK, parameters={"feature_words": {"Torque _Nm_": "T"}})
    assert label(new, "Torque _Nm_") == "T" and label(new, "Tool wear _min_") == "Tool wear _min_"
