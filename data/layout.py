"""Two layouts plants and labs export that a CSV reader does not expect.

- **Space-separated tables**: columns separated by runs of spaces (often with a trailing blank), as
  NASA's C-MAPSS turbofan files and many instrument and Fortran exports are written. polars splits
  on one byte, so such a file is rewritten with one tab between fields before it is read.
- **No header row**: the first line is already data (`1 1 -0.0007 -0.0004 100.0 518.67 …`). Taking
  it as column names would lose a row and give numbers as names, some of them repeated. Such a file
  is read with every line as data and columns called column_1 … column_N.
"""
from __future__ import annotations

import csv
import re
import tempfile
from pathlib import Path

from data.profile import Problem

WHITESPACE = " "            # the sniffed "delimiter" of a space-separated table
MIN_SPACED_COLUMNS = 3      # two words per line is as likely a one-column file of names ("New York")
MIN_CONSISTENCY = 0.75      # share of sampled lines with the first line's field count (the rest: listed as ragged)
_NUMERIC_SHARE = 0.9        # a column is numeric when this share of its sampled values are numbers
# A cell longer than the csv module's default 128 KiB (a pasted document, a JSON blob) made it raise "field larger
# than field limit" while the file's first lines were read, a traceback instead of a table; polars has no limit.
csv.field_size_limit(2**31 - 1)


def whitespace_records(text: str, limit: int) -> list[list[str]]:
    return [line.split() for line in text.splitlines() if line.strip()][:limit]


def is_space_separated(records: list[list[str]]) -> bool:
    """Every sampled line splits into the same number (≥ 3) of blank-separated fields."""
    if len(records) < 2 or len(records[0]) < MIN_SPACED_COLUMNS:
        return False
    width = len(records[0])
    return sum(len(r) == width for r in records) / len(records) >= MIN_CONSISTENCY


def first_row_is_data(records: list[list[str]], *, decimal_comma: bool = False) -> bool:
    """True when the first record reads as data, not names.

    Every numeric column (by the rows below) must have a number in the first row too, and that row
    must hold something no header would: a repeated value, a number with decimals or a sign, or a lone
    number over a single column. A header of distinct whole numbers (years over a pivot, say) stays a header.
    """
    if len(records) < 2:
        return False
    first, rows = records[0], records[1:]
    numeric_columns = [j for j in range(len(first))
                       if _numeric_column([r[j] for r in rows if j < len(r)], decimal_comma)]
    # an empty cell over a numeric column is a missing reading (SECOM's first row), not a missing name, as
    # long as most of the row's numeric columns hold numbers
    filled = [j for j in numeric_columns if first[j].strip()]
    if not numeric_columns or len(filled) * 2 < len(numeric_columns) or not all(
            _number(first[j], decimal_comma) is not None for j in filled):
        return False
    cells = [c.strip() for c in first if c.strip()]
    repeated = len(set(cells)) < len(cells)
    fractional = any(not first[j].strip().isdigit() for j in filled)  # decimals, a sign, an exponent
    lone = len(first) == 1  # one column of numbers under a number (NASA's RUL_FD001.txt): no name is a number
    return repeated or fractional or lone


_NOT_LABELS = {"", ".", "-", "?", "na", "n/a", "nan", "null", "none", "missing", "#n/a"}


def label_row(rows: list[list[str]], *, decimal_comma: bool = False) -> bool:
    """True when the first row under the header labels the columns instead of holding values, as SAS and SPSS
    exports write their variable labels ('Loan amount (USD)' under loan_amnt) or an instrument its units: over
    every column of numbers below it (two at least) it holds words, each cell is filled and distinct, and none
    appears again below. It had been a row of data, its labels emptied as "not a number" in each numeric column."""
    if len(rows) < PREAMBLE_TABLE_LINES + 1:
        return False
    first, below = [c.strip() for c in rows[0]], rows[1:]
    if len(set(first)) < len(first) or any(c.lower() in _NOT_LABELS or _number(c, decimal_comma) is not None
                                           for c in first):
        return False  # a row of values nearly always holds a number: the columns below are not looked at
    numeric = [j for j in range(len(first)) if _numeric_column([r[j] for r in below if j < len(r)], decimal_comma)]
    if len(numeric) < 2 or not all(re.search(r"[^\W\d_]", first[j]) for j in numeric):
        return False
    return not any(j < len(r) and r[j].strip() == first[j] for r in below for j in range(len(first)))


def generic_names(width: int) -> list[str]:
    return [f"column_{i + 1}" for i in range(width)]


def tabs_for_whitespace(source: str | bytes) -> Path | bytes:
    """Rewrite each line with one tab between its blank-separated fields (leading/trailing blanks go).

    Bytes stay in memory; a file is streamed to a temp file the caller deletes. Fields cannot hold
    spaces in such a file, so no quoting is lost.
    """
    if isinstance(source, bytes):
        return b"\n".join(b"\t".join(line.split()) for line in source.splitlines() if line.strip())
    out = tempfile.NamedTemporaryFile(prefix="dd-spaced-", suffix=".tsv", delete=False)  # noqa: SIM115
    try:
        with open(source, "rb") as lines, out:
            for line in lines:
                if line.strip():
                    out.write(b"\t".join(line.split()) + b"\n")
    except BaseException:
        Path(out.name).unlink(missing_ok=True)
        raise
    return Path(out.name)


def _numeric_column(values: list[str], decimal_comma: bool) -> bool:
    filled = [v for v in values if v.strip() not in ("", ".")]  # '.': SAS's missing number
    return bool(filled) and sum(_number(v, decimal_comma) is not None for v in filled) >= _NUMERIC_SHARE * len(filled)


def _number(text: str, decimal_comma: bool) -> float | None:
    value = text.strip()
    if decimal_comma:
        value = value.replace(".", "").replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None


_INVISIBLE_ENDS = re.compile(r"^[\s\ufeff\u200b]+|[\s\ufeff\u200b]+$")


def header_names(header: list[str]) -> tuple[list[str], list[Problem]]:
    """Name blank columns and report duplicates by position; returns unique names to carry on with."""
    # a line break inside a quoted name (Excel's Alt+Enter: "amount\n(EUR)") is a space: such a name could not be
    # typed after --target, nor matched by a scoring file whose header was written on one line
    # a byte-order mark or a zero-width space at either end is invisible ('\ufeffid' from a file saved twice with a BOM,
    # names copied from a web page): --id id had not found such a column
    names = [re.sub(r"\s*[\r\n]+\s*", " ", _INVISIBLE_ENDS.sub("", h)) for h in header]
    problems = []
    for i, name in enumerate(names):
        if not name:
            names[i] = f"column_{i + 1}"
            problems.append(Problem(
                None, names[i], f"Column {i + 1} has no name; it was called '{names[i]}'.", "warning"
            ))  # fmt: skip
    positions: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        positions.setdefault(name, []).append(i + 1)
    for name, where in positions.items():
        if len(where) > 1:
            listed = ", ".join(str(p) for p in where[:-1]) + f" and {where[-1]}"
            problems.append(Problem(
                None, name, f"Column name '{name}' appears {len(where)} times (columns {listed}). "
                "Give each column a unique name.", "error",
            ))  # fmt: skip
            for p in where[1:]:
                names[p - 1] = f"{name} (column {p})"
    return names, problems


PREAMBLE_MAX_LINES = 50  # title, licence or export lines before a table's header, at most this many
PREAMBLE_TABLE_LINES = 5  # lines of one consistent width that must follow them


def preamble_lines(text: str, delimiters: tuple[str, ...]) -> tuple[int, str]:
    """Lines before the table proper (a UCI licence, "Sales report Q3 / Exported 2024-01-05"): how many, and the
    first of them, when every one has at most half the fields of the consistent rows after it. 0 when the file
    starts with its table."""
    lines, physical = _logical_lines(text, PREAMBLE_MAX_LINES + 40)
    table_widths = {}
    for delimiter in delimiters:  # the table's delimiter: the widest consistent split of the later lines
        # Excel saves a title cell as "Loan book export,,,,," and a blank row as ",,,,,": a line above the table
        # counts its fields up to the last filled one (the table below had been read with the title as its header)
        cells = [_cells(line, delimiter) for line in lines]
        filled = [_filled_width(row) for row in cells]
        widths = [len(row) if n else 0 for row, n in zip(cells, filled, strict=True)]
        if _splits_whole(widths) and 2 * filled[0] > widths[0]:
            # the first line splits like every other and is no padded title: no preamble (but a row of codes above
            # the names, as in UCI's credit-card file saved as CSV). A semicolon file whose numbers all carry decimal
            # commas splits wider at ',', past its header.
            return (physical[0], lines[0].strip()) if _codes_above_names(lines, delimiter) else (0, "")
        later = [w for w in widths[len(widths) // 2:] if w]
        if later:
            modal = max(set(later), key=later.count)
            if later.count(modal) >= 0.9 * len(later):
                table_widths[delimiter] = (modal, widths, filled)
    if not table_widths:
        return 0, ""
    _, widths, filled = max(table_widths.values(), key=lambda pair: pair[0])
    for start in range(1, min(PREAMBLE_MAX_LINES, len(lines)) + 1):
        table = [w for w in widths[start:start + 30] if w]
        if len(table) < PREAMBLE_TABLE_LINES or table[0] < 2:
            continue
        consistent = sum(w == table[0] for w in table) >= 0.9 * len(table)
        # at most half the table's fields: a header one field short (R's write.table) is no preamble
        if consistent and widths[start] == table[0] and all(n <= max(1, table[0] // 2) for n in filled[:start]):
            first = next((re.sub(r"([,;\t|])\1+$", "", lines[i].strip()) for i in range(start) if filled[i]), "")
            return (sum(physical[:start]), first) if first else (0, "")
    return 0, ""


def _filled_width(cells: list[str]) -> int:
    return next((i + 1 for i in range(len(cells) - 1, -1, -1) if cells[i].strip()), 0)


def _cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:  # a quoted line break split at another delimiter's quotes: not this delimiter's table
        return line.split(delimiter)


def _logical_lines(text: str, limit: int) -> tuple[list[str], list[int]]:
    """The first ``limit`` records as lines, a quoted line break kept inside its record ('"Torque\n[Nm]"' in a
    header, as Excel writes a name typed with Alt+Enter: that header had been taken for two short lines and the
    file's title for its header), with the number of physical lines each spans."""
    lines: list[str] = []
    physical: list[int] = []
    pending: list[str] = []
    for line in text.splitlines():
        pending.append(line)
        if "\n".join(pending).count('"') % 2 == 0:
            lines.append("\n".join(pending))
            physical.append(len(pending))
            pending = []
            if len(lines) >= limit:
                break
    return lines, physical


CODE_CELL = re.compile(r"^[A-Za-z]{1,2}\d{0,3}$")  # X1, A15, Y: variable codes, not names


def is_code_row(cells: list[str]) -> bool:
    """Whether a header row is variable codes (X1 … X23, Y): 80 % of its filled cells, half of them with a digit."""
    codes = [c.strip() for c in cells if c.strip()]
    return bool(codes) and sum(bool(CODE_CELL.match(c)) for c in codes) >= 0.8 * len(codes) \
        and sum(any(ch.isdigit() for ch in c) for c in codes) >= 0.5 * len(codes)


def _codes_above_names(lines: list[str], delimiter: str) -> bool:
    """The UCI credit-card file saved as CSV: a row of codes (',X1,X2,…,Y') above the real names (ID, LIMIT_BAL …),
    then numbers. Said when the first row is codes, the second is text in every cell and at least half the
    columns below are numbers (a row of units under real names stays as it was)."""
    rows = [next(csv.reader([line], delimiter=delimiter), []) for line in lines[:52] if line.strip()]
    if len(rows) < 3 or not is_code_row(rows[0]):
        return False
    names, body = rows[1], rows[2:]
    if any(not n.strip() or _number(n, False) is not None for n in names):
        return False
    numeric = [i for i in range(len(names)) if _numeric_column([r[i] for r in body if i < len(r)], False)]
    if len(numeric) >= max(2, len(names) / 2):
        return True
    # German credit's codes (A11, A34 …) fill most columns: names that are no code, each once in its row and
    # never again in its column (a value such as 'male' under an X1 header recurs below)
    stripped = [n.strip() for n in names]
    fresh = [i for i, n in enumerate(stripped) if all(i >= len(r) or r[i].strip() != n for r in body)]
    return len(set(stripped)) == len(stripped) and not any(CODE_CELL.match(n) for n in stripped) \
        and len(fresh) == len(stripped)


def _splits_whole(widths: list[int]) -> bool:
    """Every line, the first included, has the same number (2 or more) of fields under one delimiter."""
    filled = [w for w in widths if w]
    return len(filled) >= PREAMBLE_TABLE_LINES and filled[0] >= 2 and all(w == filled[0] for w in filled)
