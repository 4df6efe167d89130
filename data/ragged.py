"""Rows of a delimited text whose field count differs from the header's, listed by number (a Python pass over the
file: only files polars refused as ragged pay for it)."""
from __future__ import annotations

import csv
import io

from data import sniff
from data.profile import MAX_LISTED_ROWS, Problem, rows_text


def _rows(rows: list[int]) -> str:
    """'Row 4 has' / 'Rows 4, 9 have'."""
    listed = rows_text(rows[:MAX_LISTED_ROWS], len(rows))
    return f"Row {listed} has" if len(rows) == 1 else f"Rows {listed} have"


def ragged_rows(source: str | bytes, fmt: sniff.TextFormat, *, spaced: bool = False) -> tuple[list[Problem], bool]:
    """Find rows whose field count differs from the header (a Python pass: only broken files pay).

    Also says whether every extra field is empty, i.e. the lines merely end with a delimiter.
    """
    width = len(fmt.header)
    longer: list[int] = []
    shorter: list[int] = []
    trailing_only = True
    text = open(source, encoding="utf-8-sig", newline="") if isinstance(source, str) else (  # noqa: SIM115
        io.StringIO(source.decode("utf-8-sig"), newline="")
    )
    with text:
        reader = csv.reader(text, delimiter=fmt.delimiter)
        if fmt.has_header:
            next(reader, None)
        for row, record in enumerate(reader, start=1):
            if record and len(record) > width:
                longer.append(row)
                trailing_only = trailing_only and not any(f.strip() for f in record[width:])
            elif record and len(record) < width:
                shorter.append(row)
            if len(longer) + len(shorter) >= 100_000:
                break
    name = sniff.DELIMITER_NAMES[fmt.delimiter]
    problems = []
    if longer and trailing_only:
        problems.append(Problem(
            longer[0], None, f"Rows {rows_text(longer[:MAX_LISTED_ROWS], len(longer))} end with an extra "
            f"{name}; the empty field after it was ignored.", "warning",
        ))  # fmt: skip
    elif longer:
        problems.append(Problem(
            longer[0], None, f"{_rows(longer)} more fields than the {width} header columns" + (
                ". Fix those rows." if spaced else f" (a stray {name} or a missing quote?). Fix those rows or put "
                f"quotes around values that contain a {name}."), "error",
        ))  # fmt: skip
    if shorter:
        problems.append(Problem(
            shorter[0], None, f"{_rows(shorter)} fewer fields than the {width} header columns; the missing "
            "cells are empty.", "warning",
        ))  # fmt: skip
    if not longer:  # polars saw a problem the csv module did not: report it plainly
        problems.append(Problem(None, None, "Some rows have more fields than the header.", "error"))
        trailing_only = False
    return problems, trailing_only
