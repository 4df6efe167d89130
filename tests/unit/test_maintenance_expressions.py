"""The formula parser: whitelisted arithmetic only, never eval."""
import numpy as np
import pandas as pd
import pytest

from ml import expressions
from ml.expressions import ExpressionError


@pytest.fixture
def frame():
    return pd.DataFrame({"torque": [10.0, 20.0], "rpm": [100.0, 0.0], "Air temperature [K]": [300.0, 301.0],
                         "Process temperature [K]": [310.0, 309.5]})


def test_arithmetic_functions_and_backticked_names(frame):
    expr = expressions.parse("max(torque * rpm, 500) - `Air temperature [K]` / 3 + -abs(-2) ** 2")
    values = expressions.evaluate(expr, frame)
    assert np.allclose(values, [1000 - 100 - 4, 500 - 301 / 3 - 4])
    assert expr.columns == ("Air temperature [K]", "rpm", "torque")


def test_division_by_zero_becomes_missing(frame):
    values = expressions.evaluate(expressions.parse("torque / rpm"), frame)
    assert values.iloc[0] == 0.1 and np.isnan(values.iloc[1])


@pytest.mark.parametrize("text,message", [
    ("__import__('os')", "not allowed"),
    ("torque.real", "Attribute access"),
    ("open('x')", "function 'open' is not allowed"),
    ("torque.__class__", "Attribute access"),
    ("(lambda: 1)()", "not allowed"),
    ("torque[0]", "not allowed"),
    ("'a' + 'b'", "not allowed"),
    ("log(torque, 2)", "takes 1 argument"),
    ("torque if rpm else 1", "not allowed"),
    ("", "empty"),
])
def test_refused(text, message):
    with pytest.raises(ExpressionError, match=message):
        expressions.parse(text)


def test_unknown_column_named_in_the_error(frame):
    with pytest.raises(ExpressionError, match="columns not in the data: speed"):
        expressions.evaluate(expressions.parse("speed * 2"), frame)


def test_feature_spec_and_suggestions(frame):
    assert expressions.parse_feature("power = torque * rpm") == expressions.DerivedFeature("power", "torque * rpm")
    with pytest.raises(ExpressionError, match="name = formula"):
        expressions.parse_feature("torque * rpm")
    names = {s.name: s.formula for s in expressions.suggest_features(frame)}
    assert names["temp_difference"] == "`Process temperature [K]` - `Air temperature [K]`"
    assert names["power_w"].startswith("torque * rpm")
    added = expressions.add_features(frame, expressions.suggest_features(frame))
    assert np.allclose(added["temp_difference"], [10.0, 8.5])


def test_suggestions_fire_only_on_names_that_say_so():
    rng = np.random.default_rng(0)
    unrelated = pd.DataFrame({"login attempts": rng.integers(2, 9, 20), "temporal_score": rng.normal(size=20),
                              "temperature alarm": rng.integers(0, 2, 20), "wear": rng.normal(size=20)})
    assert expressions.suggest_features(unrelated) == []
    mixed = pd.DataFrame({"Oil temp [C]": [50.0, 60.0, 61.0], "Air temperature [K]": [300.0, 301.0, 302.0],
                          "Torque_Nm": [4.0, 5.0, 6.0], "belt speed [m/s]": [1.0, 2.0, 3.0]})
    names = {s.name: s.formula for s in expressions.suggest_features(mixed)}
    assert names == {"torque_x_speed": "Torque_Nm * `belt speed [m/s]`"}  # no K − °C, no "power" without rpm
    rpm = pd.DataFrame({"motor_temp": [1.0, 2.0, 3.0], "ambient_temp": [1.0, 5.0, 6.0], "speed_rpm": [1.0, 2.0, 3.0],
                        "Torque_Nm": [4.0, 5.0, 6.0], "tool_wear_min": [0.0, 10.0, 20.0]})
    names = {s.name: s.formula for s in expressions.suggest_features(rpm)}
    assert names == {"temp_difference": "motor_temp - ambient_temp",
                     "power_w": "Torque_Nm * speed_rpm * 2 * 3.14159 / 60", "wear_x_torque": "tool_wear_min * Torque_Nm"}


def test_a_formula_that_cannot_be_read_names_its_feature():
    from ml.expressions import ExpressionError, parse_feature

    with pytest.raises(ExpressionError) as caught:
        parse_feature("bad = `Torque [Nm]` / ")
    assert str(caught.value).startswith("Feature 'bad': Cannot read the formula \"`Torque [Nm]` /\": ")
