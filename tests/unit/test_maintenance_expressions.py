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
