"""Derived features typed by users, parsed with `ast` against a whitelist and evaluated column-wise.

Formulas come from uploads and text boxes, so nothing here ever calls `eval`: the tree is checked
node by node (names, numbers, + - * / **, unary minus, parentheses, a few math functions) and
then walked by a tiny interpreter over pandas Series. Column names that are not Python identifiers
(`Air temperature [K]`) are written in backticks, as in pandas `query`.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.numbers import to_numeric
from ml.unit_history import zero_one

MAX_LENGTH = 500
FUNCTIONS = {
    "abs": np.abs, "log": np.log, "log1p": np.log1p, "sqrt": np.sqrt, "exp": np.exp,
    "min": np.minimum, "max": np.maximum,
}
_ARITY = {"min": 2, "max": 2}
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide, ast.Pow: np.power}
_BACKTICK = re.compile(r"`([^`]+)`")
_NAME_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ]{0,63}$")


class ExpressionError(ValueError):
    """A formula that is not allowed or does not fit the data; the message says which part."""


@dataclass(frozen=True)
class DerivedFeature:
    name: str
    formula: str


@dataclass(frozen=True)
class Expression:
    """A checked formula: the tree plus the columns it reads (so callers can validate inputs first)."""

    text: str
    tree: ast.Expression
    aliases: dict[str, str]

    @property
    def columns(self) -> tuple[str, ...]:
        names = {node.id for node in ast.walk(self.tree) if isinstance(node, ast.Name)}
        return tuple(sorted(self.aliases.get(n, n) for n in names if n not in FUNCTIONS))


def parse(text: str) -> Expression:
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("The formula is empty.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"The formula is longer than {MAX_LENGTH} characters.")
    aliases: dict[str, str] = {}

    def alias(match: re.Match) -> str:
        key = f"__col{len(aliases)}"
        aliases[key] = match.group(1)
        return key

    source = _BACKTICK.sub(alias, text.strip())
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"Cannot read the formula \"{text.strip()}\": {exc.msg}.") from None
    _check(tree.body, aliases)
    return Expression(text=text.strip(), tree=tree, aliases=aliases)


def _check(node: ast.AST, aliases: dict[str, str]) -> None:
    """Whitelist walk: anything not listed (attributes, subscripts, lambdas, strings…) is refused."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        _check(node.left, aliases)
        _check(node.right, aliases)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        _check(node.operand, aliases)
    elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return
    elif isinstance(node, ast.Name):
        if node.id.startswith("__") and node.id not in aliases:
            raise ExpressionError(f"The name {node.id!r} is not allowed.")
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            shown = name or ast.unparse(node.func)
            raise ExpressionError(f"The function {shown!r} is not allowed; use one of {', '.join(FUNCTIONS)}.")
        if node.keywords or len(node.args) != _ARITY.get(name, 1):
            raise ExpressionError(f"{name}() takes {_ARITY.get(name, 1)} argument(s) and no keywords.")
        for arg in node.args:
            _check(arg, aliases)
    elif isinstance(node, ast.Attribute):
        raise ExpressionError("Attribute access (a.b) is not allowed in formulas.")
    else:
        raise ExpressionError(f"'{ast.unparse(node)}' is not allowed; use column names, numbers, + - * / ** "
                              f"and {', '.join(FUNCTIONS)}.")


def evaluate(expression: Expression, frame: pd.DataFrame) -> pd.Series:
    missing = [c for c in expression.columns if c not in frame.columns]
    if missing:
        raise ExpressionError(f"The formula {expression.text!r} uses columns not in the data: {', '.join(missing)}.")

    def walk(node: ast.AST):
        if isinstance(node, ast.BinOp):
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp):
            value = walk(node.operand)
            return -value if isinstance(node.op, ast.USub) else value
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            column = expression.aliases.get(node.id, node.id)
            return to_numeric(frame[column], errors="coerce").astype(float).to_numpy()
        return FUNCTIONS[node.func.id](*(walk(a) for a in node.args))

    with np.errstate(all="ignore"):
        values = np.asarray(walk(expression.tree.body), dtype=float)
    values = np.broadcast_to(values, (len(frame),)).copy()
    values[~np.isfinite(values)] = np.nan
    return pd.Series(values, index=frame.index)


def parse_feature(spec: str) -> DerivedFeature:
    """`name = formula` (the CLI's --feature and the page's text box)."""
    name, sep, formula = spec.partition("=")
    if not sep or not name.strip() or not formula.strip():
        raise ExpressionError(f"Write a derived feature as 'name = formula', got {spec!r}.")
    if not _NAME_OK.match(name.strip()):
        raise ExpressionError(f"Feature name {name.strip()!r}: use letters, digits, spaces and _ (max 64).")
    try:
        parse(formula)
    except ExpressionError as exc:  # which line of several, by its name
        raise ExpressionError(f"Feature {name.strip()!r}: {exc}") from None
    return DerivedFeature(name.strip(), formula.strip())


def add_features(frame: pd.DataFrame, features: list[DerivedFeature]) -> pd.DataFrame:
    """The frame with each feature as a new column; the frame's own columns are shared, not copied."""
    out = frame.copy(deep=False)
    for feature in features:
        out[feature.name] = evaluate(parse(feature.formula), out)
    return out


def _quote(column: str) -> str:
    return column if column.isidentifier() else f"`{column}`"


def _find(columns: list[str], *patterns: str) -> list[str]:
    return [c for c in columns if any(re.search(p, c, re.IGNORECASE) for p in patterns)]


def _unit(column: str) -> str | None:
    """The unit written in brackets at the end of a header ('Air temperature [K]' → 'k'), if any."""
    match = re.search(r"[\[(]([^\])]+)[\])]\s*$", column)
    return match.group(1).strip().lower() if match else None


# Whole-word-ish patterns: 'temp' must start a word (not 'attempts'), rpm must be a unit or a word.
_TEMP = r"(^|[^a-z])(temp|temperature)([^a-z]|$|erature)"
_TORQUE = r"torque"
_RPM = r"(^|[^a-z])rpm([^a-z]|$)|rev(olution)?s?[ _/]*(per[ _])?min|\[1/min\]|\[min-1\]"
_SPEED = r"speed|rotation|velocity"
_WEAR = r"wear"


def suggest_features(frame: pd.DataFrame) -> list[DerivedFeature]:
    """Physics-flavoured defaults for columns that look like temperatures, torque, speed and wear.

    Only fires on names that say so: two temperatures in the same unit → their difference (heat
    dissipation); torque with a speed in rpm → mechanical power in W (torque × rpm × 2π/60), with
    a speed in another unit → torque × speed; tool wear with torque → wear × torque (strain). 0/1
    columns (targets, flags) are never used.
    """
    numeric = [str(c) for c in frame.columns
               if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])
               and not zero_one(frame[c])]
    suggestions: list[DerivedFeature] = []
    temps = _find(numeric, _TEMP)
    if len(temps) >= 2:
        hot = next((t for t in temps if re.search(r"process|outlet|hot|motor|oil|bearing", t, re.IGNORECASE)), temps[1])
        cold = next((t for t in temps if t != hot and _unit(t) == _unit(hot)), None)
        if cold is not None:
            suggestions.append(DerivedFeature("temp_difference", f"{_quote(hot)} - {_quote(cold)}"))
    torque = _find(numeric, _TORQUE)
    rpm = [c for c in _find(numeric, _RPM) if c not in torque]
    speed = rpm or [c for c in _find(numeric, _SPEED) if c not in torque]
    if torque and rpm:
        suggestions.append(DerivedFeature("power_w", f"{_quote(torque[0])} * {_quote(rpm[0])} * 2 * 3.14159 / 60"))
    elif torque and speed:
        suggestions.append(DerivedFeature("torque_x_speed", f"{_quote(torque[0])} * {_quote(speed[0])}"))
    wear = _find(numeric, _WEAR)
    if wear and torque:
        suggestions.append(DerivedFeature("wear_x_torque", f"{_quote(wear[0])} * {_quote(torque[0])}"))
    return suggestions
