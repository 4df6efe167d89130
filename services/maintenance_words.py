"""Maintenance results in words, for tables, charts and reports: an RUL window statistic ('s7__slope30' → 's7, trend
over the last 30 readings'), a failure-risk formula ('wear_x_torque' → 'Tool wear × Torque'), a header LightGBM
could not take as written ('Air temperature _K_' → 'Air temperature [K]') and an RUL at the cap ('125 or more').

Only what is shown changes: the stored explanation, the run's config and the model's metadata keep the names the
model reads, and loading a model checks those; score-rul's rul columns stay numbers.
"""
from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ml import failure

FEATURE_WORDS = ((re.compile(r"^(.+)__last$"), "{0}, latest reading"),
                 (re.compile(r"^(.+)__mean(\d+)$"), "{0}, mean of the last {1} readings"),
                 (re.compile(r"^(.+)__std(\d+)$"), "{0}, spread of the last {1} readings"),
                 (re.compile(r"^(.+)__slope(\d+)$"), "{0}, trend over the last {1} readings"),
                 (re.compile(r"^(.+)__ewm([\d.]+)$"), "{0}, smoothed level (weight {1})"),
                 (re.compile(r"^(.+)__drift$"), "{0}, change from its first readings"),
                 (re.compile(r"^cycle$"), "readings so far (age)"))
# formulas the desk suggests (ml.expressions.suggest_features): their formula in words says it all
SUGGESTED = ("temp_difference", "torque_x_speed", "wear_x_torque")
SUGGESTED_POWER = "power_w"
OPERATORS = ((re.compile(r"\s*\*\*\s*"), "^"), (re.compile(r"\s*\*\s*"), " × "), (re.compile(r"\s*/\s*"), " ÷ "),
             (re.compile(r"(?<=[\w)\]⟧])(?<![\d.]e)\s*-\s*"), " − "), (re.compile(r"\s*\+\s*"), " + "))
UNIT = re.compile(r"\s*[\[(][^\])]*[\])]$")  # 'Torque [Nm]' → 'Torque': the formula's words name the sensors
LONGEST_FORMULA = 50  # characters of a user's formula in words shown after its name; a longer one is left out
RUL_COLUMNS = ("rul", "rul_low", "rul_high")
# a unit scored on too few readings: its band is the whole range 0–cap, so no number is shown for it (at the cap it
# read "125 or more", healthy so far, beside the note telling to read it as unknown)
UNKNOWN_RUL = "unknown (too few readings)"


def feature_words(name: str) -> str:
    """An RUL model feature in words: 's7__slope30' → 's7, trend over the last 30 readings'."""
    for pattern, words in FEATURE_WORDS:
        if match := pattern.match(name):
            return words.format(*match.groups())
    return name


def formula_words(formula: str) -> str:
    """'`Tool wear [min]` * `Torque [Nm]`' → 'Tool wear × Torque': names without their units or backticks,
    operators as written by hand. Backticked names keep their own characters ('Flow l/min' is no division)."""
    names = re.findall(r"`([^`]*)`", formula)
    text = formula.strip()
    for i, name in enumerate(names):
        text = text.replace(f"`{name}`", f"⟦{i}⟧", 1)
    for pattern, symbol in OPERATORS:
        text = pattern.sub(symbol, text)
    for i, name in enumerate(names):
        text = text.replace(f"⟦{i}⟧", UNIT.sub("", name) or name, 1)
    return text.replace("2 × 3.14159 ÷ 60", "2π ÷ 60")


def derived_words(name: str, formula: str) -> str:
    """A derived feature in words: a suggested one by its formula ('Tool wear × Torque'), power with its unit, a
    user's own by its name and, when short, its formula ('power (torque × rpm)')."""
    written = formula_words(formula)
    if name in SUGGESTED:
        return written
    if name == SUGGESTED_POWER:
        return f"Power, W ({written})"
    return f"{name} ({written})" if len(written) <= LONGEST_FORMULA and written != name else name


def failure_words(config: dict[str, Any]) -> dict[str, str]:
    """Each feature of a failure-risk run (as its config names them) in words: formulas by what they compute,
    the rest as the file wrote them (history features are named in words already)."""
    derived = {str(d["name"]): str(d["formula"]) for d in config.get("derived") or []}
    words = {str(f): derived_words(str(f), derived[str(f)]) if f in derived else str(f)
             for f in config.get("features") or []}
    taken = pd.Series(list(words.values())).value_counts()
    return {f: w if taken[w] == 1 else f for f, w in words.items()}  # two features one label: each keeps its name


def model_name_words(config: dict[str, Any]) -> dict[str, str]:
    """The model's own feature names (LightGBM-safe: 'Air temperature _K_') in words, where they differ; the
    report lists a run's features from the model's metadata, which keeps the safe names."""
    words = failure_words(config)
    safe = failure.lightgbm_safe_names(list(words))
    return {safe[f]: shown for f, shown in words.items() if safe[f] != shown}


# a suggested formula of a run stored before its words were, whose inputs the report no longer knows
SUGGESTED_WORDS = {"temp_difference": "Temperature difference", "torque_x_speed": "Torque × speed",
                   "wear_x_torque": "Tool wear × Torque", "power_w": "Power, W (Torque × speed × 2π ÷ 60)"}
SAFE_BRACKETS = re.compile(r"^(.*\S) _([^_\s][^_]*)_$")  # 'Air temperature _K_' was 'Air temperature [K]'


def stored_name_words(name: str, parameters: dict[str, Any]) -> str:
    """A failure-risk run's model feature name in words when the run has no ``feature_words`` (stored before they
    were): its report listed LightGBM's 'Air temperature _K_' and 'wear_x_torque'. The words come from the name
    itself (a unit in brackets back), the user's formulas in the run's parameters and the suggestions' meaning."""
    typed = dict(line.split("=", 1) for line in parameters.get("derived") or [] if "=" in str(line))
    formulas = {k.strip(): v.strip() for k, v in typed.items()}
    if name in formulas:
        return derived_words(name, formulas[name])
    if name in SUGGESTED_WORDS:
        return SUGGESTED_WORDS[name]
    return SAFE_BRACKETS.sub(r"\1 [\2]", name)


def at_cap_words(cap: float) -> str:
    """An RUL at the cap, as the scoring note and the tables say it: '125 or more'."""
    return f"{float(cap):,.4g} or more"


def rul_text(value, cap: float | None, digits: int = 1) -> str:
    """One RUL as a table shows it: at the cap '125 or more' (the model tells lives apart only up to the cap;
    shown as 125, a healthy unit read as one 125 cycles from failure), else with ``digits`` decimals; no estimate
    blank."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.isna(number):
        return ""
    return at_cap_words(cap) if cap and number >= float(cap) - 1e-9 else f"{number:,.{digits}f}"


def rul_shown(frame: pd.DataFrame, cap: float | None, digits: int = 1) -> pd.DataFrame:
    """The RUL columns as text (a report's table); a unit scored on too few readings (``short_history``, as
    score-rul stores it) reads "unknown (too few readings)". The file score-rul writes keeps numbers."""
    out = frame.copy()
    short = out["short_history"].eq(True).to_numpy() if "short_history" in out.columns else [False] * len(out)
    for column in (c for c in RUL_COLUMNS if c in out.columns):
        out[column] = [UNKNOWN_RUL if s else rul_text(v, cap, digits) for v, s in zip(out[column], short)]
    return out


def failure_share_note(rate: float, failed: list[str], others: list[str]) -> str | None:
    """What the label's reading says when it looks the wrong way round. Most rows failures: on a fault-class table
    (CWRU's nine faults and Normal_1) the note told to give --positive Normal_1, the healthy class, as the failure;
    there it is said as meant. A failure value that reads as the healthy class is named, whatever its share."""
    healthy = [v for v in failed if failure.HEALTHY_CLASS.fullmatch(v)]
    listed, rest = ", ".join(map(repr, failed)), ", ".join(map(repr, others))
    fix = (f"If the failure is every other value, name those with --positive (separated by commas: --positive "
           f"{','.join(others)}; 'Failure value' on the page).")
    named = ", ".join(map(repr, healthy))
    if healthy and rate > 0.5:
        return (f"{rate:.1%} of the rows are read as failures ({listed}), and {'it' if healthy == failed else named} "
                f"reads as the healthy class: failures are usually the rare value. {fix}")
    if healthy:
        return f"{named}, counted as a failure, reads as the healthy class. {fix}"
    if rate <= 0.5:
        return None
    if others and all(failure.HEALTHY_CLASS.fullmatch(v) for v in others):
        return (f"{rate:.1%} of the rows are read as failures ({listed}) and {rest}, the healthy class, as no "
                "failure: a table of fault classes, where faults are the majority. Its chances of failure are those "
                f"of this table ({rate:.0%} failures): on readings of a mostly healthy fleet they read high, so rank "
                "readings by them rather than read them as a fleet's chance of failure.")
    return f"{rate:.1%} of the rows are read as failures ({listed}): failures are usually the rare value. {fix}"
