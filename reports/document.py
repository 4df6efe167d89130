"""The report model shared by every exporter, plus the formatting rules they all follow.

One model, four formats: keeping labels, number formatting and table preparation here means
an HTML, PDF, XLSX and DOCX export of the same run say the same thing in the same words.
"""

from __future__ import annotations

import json
import math
import numbers
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from reports.safety import neutralise_frame

TRUNCATION_NOTE = "Showing the first {shown} of {total} rows; the XLSX export holds them all."
COLUMN_NOTE = "Showing the first {shown} of {total} columns; the XLSX export holds them all."


@dataclass(frozen=True, eq=False)
class ReportSection:
    """One explanation block: free text, charts and captioned tables.

    ``eq=False`` because comparing DataFrames element-wise has no single truth value;
    sections compare by identity instead of raising.  Lists are accepted and stored as
    tuples so a section stays immutable after it is built.
    """

    heading: str
    text: str = ""
    figures: tuple[go.Figure, ...] = ()
    tables: tuple[tuple[str, pd.DataFrame], ...] = ()

    def __post_init__(self) -> None:
        figures = tuple(self.figures)
        for figure in figures:
            if not isinstance(figure, go.Figure):
                raise TypeError(f"section {self.heading!r}: figures must be go.Figure, got {type(figure).__name__}")
        tables = tuple((str(caption), frame) for caption, frame in self.tables)
        for caption, frame in tables:
            if not isinstance(frame, pd.DataFrame):
                raise TypeError(
                    f"section {self.heading!r}: table {caption!r} must be a DataFrame, got {type(frame).__name__}"
                )
        object.__setattr__(self, "figures", figures)
        object.__setattr__(self, "tables", tables)


@dataclass(frozen=True)
class RunReport:
    """Everything a reader needs to understand and reproduce one model run.

    The dataset hash and library versions are here so a report can be traced back to the
    exact data and code that produced it; the disclaimer is shown first in every format.
    """

    title: str
    desk: str
    run_id: int
    created_at: datetime
    purpose: str
    dataset_name: str
    dataset_sha256: str
    dataset_rows: int
    features: tuple[str, ...]
    parameters: dict[str, Any]
    metrics: dict[str, float]
    sections: tuple[ReportSection, ...] = ()
    limitations: tuple[str, ...] = ()
    library_versions: dict[str, str] = field(default_factory=dict)
    disclaimer: str | None = None
    author: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "features", tuple(str(f) for f in self.features))
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "limitations", tuple(str(item) for item in self.limitations))
        for section in self.sections:
            if not isinstance(section, ReportSection):
                raise TypeError(f"sections must be ReportSection, got {type(section).__name__}")

    def all_figures(self) -> Iterator[tuple[str, go.Figure]]:
        """Yield (section heading, figure) in reading order; XLSX gathers them on one sheet."""
        for section in self.sections:
            for figure in section.figures:
                yield section.heading, figure

    def all_tables(self) -> Iterator[tuple[str, pd.DataFrame]]:
        """Yield (caption, frame) in reading order; XLSX gives each its own sheet."""
        for section in self.sections:
            yield from section.tables


def format_number(value: float | int) -> str:
    """Format a number for reading: integers exact, large values grouped, small ones 4 s.f."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    number = float(value)
    if math.isnan(number):
        return "n/a"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    if number.is_integer() and abs(number) < 1e15:
        return str(int(number))
    if abs(number) >= 1:
        return f"{number:,.4f}".rstrip("0").rstrip(".")
    return f"{number:.4g}"


def format_value(value: Any) -> str:
    """Render a parameter or cell value as text the same way in every format."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (numbers.Number)) and not isinstance(value, complex):
        return format_number(value)  # type: ignore[arg-type]
    if isinstance(value, datetime):
        if value.tzinfo is None and (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (dict, list, tuple, set)):
        payload = sorted(value, key=str) if isinstance(value, set) else value
        return json.dumps(payload, default=str, ensure_ascii=False)
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def format_created(created_at: datetime) -> str:
    return created_at.isoformat(sep=" ", timespec="seconds")


def run_facts(report: RunReport) -> list[tuple[str, str]]:
    """Label/value rows that identify the run, in the order every format prints them."""
    facts = [
        ("Desk", report.desk),
        ("Run", str(report.run_id)),
        ("Created", format_created(report.created_at)),
    ]
    if report.author:
        facts.append(("Author", report.author))
    return facts


def dataset_facts(report: RunReport) -> list[tuple[str, str]]:
    """Label/value rows for the dataset; the hash lets a reader verify the exact file. A run that read no stored
    file (triage reads image folders) has no hash to show: no 'SHA-256 —' row."""
    hashed = [("SHA-256", report.dataset_sha256)] if (report.dataset_sha256 or "—") != "—" else []
    return [("Name", report.dataset_name), *hashed, ("Rows", format_number(report.dataset_rows))]


def paragraphs(text: str) -> list[str]:
    """Split section text on blank lines; single newlines stay inside a paragraph."""
    blocks = [block.strip() for block in text.replace("\r\n", "\n").split("\n\n")]
    return [block for block in blocks if block]


def _flatten_columns(frame: pd.DataFrame) -> pd.DataFrame:
    if isinstance(frame.columns, pd.MultiIndex):
        frame = frame.copy()
        frame.columns = [" / ".join(str(part) for part in col if str(part)) for col in frame.columns]
    return frame


_SNAKE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")
_PROBABILITY = re.compile(r"p_([a-z]+)")


def header_in_words(name: str) -> str:
    """A report table's stored column name read as words: cumulative_gain → 'cumulative gain', p_failure →
    'p(failure)'; any other header (already words, or a file's own 'Air temperature [K]') as it is."""
    if match := _PROBABILITY.fullmatch(name):
        return f"p({match[1]})"
    return name.replace("_", " ") if _SNAKE.fullmatch(name) else name


def prepare_table(
    frame: pd.DataFrame, *, max_rows: int | None = None, max_columns: int | None = None, words: bool = False,
    neutralised: bool = True,
) -> tuple[pd.DataFrame, list[str]]:
    """Make a frame safe and flat for export; return it with any truncation notes.

    A meaningful index (named, or not a plain 0..n-1 range) becomes a column so it is not
    lost; column names become strings (``words``: read as words, for a report's tables, not a data
    export's, whose names a program may read); every text cell is neutralised against formula
    injection (a leading apostrophe), unless the format guards it otherwise or has no formulas
    (``neutralised=False``: XLSX types the cell as text, HTML and PDF show it).  Truncation keeps
    paginated formats readable and is always announced.
    """
    default_index = isinstance(frame.index, pd.RangeIndex) and frame.index.name is None
    reordered = (frame.index.name is None and pd.api.types.is_integer_dtype(frame.index)
                 and frame.index.is_unique and len(frame) and frame.index.min() == 0
                 and frame.index.max() == len(frame) - 1)  # a sorted table's row numbers: nothing to keep
    if reordered:
        frame = frame.reset_index(drop=True)
    elif not default_index:
        frame = frame.reset_index(allow_duplicates=True)
    frame = _flatten_columns(frame)
    notes: list[str] = []
    total_rows, total_columns = frame.shape
    if max_columns is not None and total_columns > max_columns:
        frame = frame.iloc[:, :max_columns]
        notes.append(COLUMN_NOTE.format(shown=max_columns, total=total_columns))
    if max_rows is not None and total_rows > max_rows:
        frame = frame.iloc[:max_rows]
        notes.append(TRUNCATION_NOTE.format(shown=max_rows, total=total_rows))
    frame = frame.copy()
    frame.columns = [header_in_words(str(c)) if words else str(c) for c in frame.columns]
    return (neutralise_frame(frame) if neutralised else frame), notes
