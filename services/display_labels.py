"""Words the pages show where they had shown the code's own names: the database backend, a retail series id
('store=North|item=-Bolt'), a derived-feature formula with backticks. The stored values, the CLI's outputs and the
exports keep the names as they are; only what a page draws goes through here."""
from __future__ import annotations

import re

# The sidebar had read 'Database: sqlite' (the SQLAlchemy backend name).
_STORAGE = {
    "sqlite": "Results are saved in a local database file.",
    "postgresql": "Results are saved in the team's PostgreSQL database.",
}


def storage_note(backend: str) -> str:
    """Where runs, datasets and reports are kept, in a sentence: 'sqlite' → 'a local database file'."""
    return _STORAGE.get(backend, f"Results are saved in the team's {backend} database.")


def first_measurement(columns: list[str], roles: dict[str, str]) -> int:
    """The position of the first column that is not an id (AI4I's row counter UDI had been the histogram
    shown first), else 0."""
    return next((i for i, c in enumerate(columns) if roles.get(c) != "id"), 0)


SERIES_SEPARATOR = " · "


def series_words(values: dict, keys: list[str]) -> str:
    """One series as a chart or table names it: 'North · -Bolt' for store North, item -Bolt ('' for none)."""
    return SERIES_SEPARATOR.join(str(values[k]) for k in keys)


def series_id_words(series_id: str, keys: list[str]) -> str:
    """A stored series id ('store=North|item=-Bolt', as ``retail_views.series_label`` writes it) in words:
    'North · -Bolt'. A value holding '|' or '=' stays whole; an id of another shape is shown as it is."""
    pattern = r"\|".join(f"{re.escape(k)}=(.*)" for k in keys)
    match = re.fullmatch(pattern, str(series_id), flags=re.DOTALL) if keys else None
    return SERIES_SEPARATOR.join(match.groups()) if match else str(series_id)


_OPERATORS = {" * ": " × ", " - ": " − ", " / ": " ÷ "}


def formula_words(line: str) -> str:
    """A derived feature's 'name = formula' line as a reader says it: column names without their backticks,
    × − ÷ for * - /: 'power_w: Torque [Nm] × Rotational speed [rpm] × 2 × 3.14159 ÷ 60'."""
    name, _, formula = line.partition("=")
    text = formula.strip().replace("`", "")
    for code, sign in _OPERATORS.items():
        text = text.replace(code, sign)
    return f"{name.strip()}: {text}"
