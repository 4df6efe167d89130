"""Rows ranked by a measure where the question names the rows, not a column: "top 3 employees by monthly income"
grouped by MonthlyIncome and counted rows ("Top 3 MonthlyIncomes by number of rows: 1,119 (2) …"), and "which
employee has the highest monthly income" was refused (no column 'employee'). Where each row is one employee (a
unique column named so, EmployeeNumber) or the rows have a name column, the rows are ranked by the measure.
"""
from __future__ import annotations

import re
from dataclasses import replace

from data.query_spec import SelectSpec
from domain import assistant as rules
from services.assistant_slots import TIE_LIMIT, Plan
from services.assistant_table import ROW_NOUNS, Mention, Parsed, TableContext, column_words, is_code

TOP = re.compile(r"^(?:(?:what|which|who) (?:are|were) )?(?:the )?(top|bottom) (\d{1,3}) ([a-z]+) "
                 r"(?:(?:in|from|of|at|with|who|whose|where) [^?]*?)?"  # "top 3 employees in Sales by …"
                 r"(?:by|with the (?:highest|lowest|largest|smallest|most|least))\s+")
WHICH = re.compile(r"^(?:which|what) ([a-z]+) (?:has|had|have|earns|earned|gets|got|is paid|was paid) (?:the )?"
                   r"(highest|lowest|largest|smallest|biggest|most|least|top)\s+")
LOW = frozenset({"bottom", "lowest", "smallest", "least"})


def row_column(table: TableContext, noun: str, named_only: bool) -> str | None:
    """The unique column naming each row: one whose name holds the noun (EmployeeNumber for "employee"), else,
    unless ``named_only``, a unique name or title column."""
    unique = [c for c in table.columns if table.unique.get(c) and not table.is_date(c)]
    own = [c for c in unique if noun in column_words(c).split()]
    if own:
        return own[0]
    names = [c for c in unique if set(column_words(c).split()) & {"name", "title"}]
    return None if named_only or not names else names[0]


def rows_asked(parsed: Parsed, table: TableContext) -> tuple[str, int | None, bool, str] | None:
    """(the row column, how many or None for the best, descending, the rest of the question) where the
    question ranks the table's rows by name; None otherwise."""
    top, which = TOP.match(parsed.text), WHICH.match(parsed.text)
    found = top or which
    if found is None:
        return None
    noun = rules.singular(found.group(3) if top else found.group(1))
    if noun not in ROW_NOUNS or any(m.start <= found.start(3 if top else 1) < m.end for m in parsed.columns):
        return None
    column = row_column(table, noun, named_only=which is not None)
    if column is None:
        return None
    word = found.group(1) if top else found.group(2)
    return column, int(found.group(2)) if top else None, word not in LOW, parsed.text[found.end():]


def ranked_rows(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec,
                notes: tuple[str, ...]) -> Plan | None:
    """The rows with the highest (lowest) value of the measure named right after the ranking words."""
    asked = rows_asked(parsed, table)
    if asked is None:
        return None
    column, k, descending, rest = asked
    start = len(parsed.text) - len(rest)
    measure = next((m.column for m in free if m.start == start), None)
    if measure is None or measure == column or not table.is_number(measure) or is_code(measure):
        return None
    spec = replace(base, select=(column, measure), order_by=measure, descending=descending,
                   limit=k or TIE_LIMIT, numeric_measure_text=not table.is_numeric(measure))
    return Plan("top_rows" if k else "argmax_rows", spec, target=column, measure=measure, notes=notes)
