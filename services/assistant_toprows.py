"""Rows ranked by a measure where the question names the rows, not a column: "top 3 employees by monthly income"
grouped by MonthlyIncome and counted rows ("Top 3 MonthlyIncomes by number of rows: 1,119 (2) …"), and "which
employee has the highest monthly income" was refused (no column 'employee'). Where each row is one employee (a
unique column named so, EmployeeNumber) or the rows have a name column, the rows are ranked by the measure. The
table's own name names its rows too: "top 5 pokemon by total" on 'pokemon' (it counted the rows of each Total).
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
# "the pH of the wine with the highest alcohol": a row noun with a ranking, after a column asked of it
WITH = re.compile(r"^(?:the |a )?([a-z]+) (?:with|that has|that had|which has|which had|having) (?:the )?"
                  r"(highest|lowest|largest|smallest|biggest|most|least)\s+")
LOW = frozenset({"bottom", "lowest", "smallest", "least"})
# "EmployeeNumber of the top 3 employees by monthly income": a column asked of the ranked rows
ASKED_BEFORE = re.compile(r"^(?:(?:what|which) (?:is|are|was|were) |(?:list|show|give me) )?(?:the )?$")
ASKED_AFTER = re.compile(r"^ (?:of|for) ")


def row_column(table: TableContext, noun: str, named_only: bool) -> str | None:
    """The unique column naming each row: one whose name holds the noun (EmployeeNumber for "employee"), else,
    unless ``named_only``, a unique name or title column."""
    unique = [c for c in table.columns if table.unique.get(c) and not table.is_date(c)]
    own = [c for c in unique if noun in column_words(c).split()]
    if own:
        return own[0]
    names = [c for c in unique if set(column_words(c).split()) & {"name", "title"}]
    return None if named_only or not names else names[0]


def name_column(table: TableContext, measure: str) -> str | None:
    """The text column naming the rows ranked by ``measure`` (a unique one first): vgsales' `Name`, which repeats a
    game over its platforms; the rows were listed as bare numbers ("5.04, 4.57, 4.56")."""
    names = [c for c in table.columns if c != measure and not table.is_numeric(c) and not table.is_date(c)
             and set(column_words(c).split()) & {"name", "title"}]
    return sorted(names, key=lambda c: not table.unique.get(c))[0] if names else None


def rows_asked(parsed: Parsed, table: TableContext) -> tuple[str, int | None, bool, str] | None:
    """(the row column, how many or None for the best, descending, the rest of the question) where the
    question ranks the table's rows by name; None otherwise. A column named before the ranking ("EmployeeNumber
    of the top 3 employees by …") is the one returned for the rows; it was summed per MonthlyIncome before."""
    asked, offset = _asked_column(parsed)
    text = parsed.text[offset:]
    top, which = TOP.match(text), WHICH.match(text) or (WITH.match(text) if asked else None)
    found = top or which
    if found is None:
        return None
    noun = rules.singular(found.group(3) if top else found.group(1))
    own = _own_nouns(table)
    if noun not in ROW_NOUNS | own or any(
            m.start <= offset + found.start(3 if top else 1) < m.end for m in parsed.columns):
        return None
    column = asked or row_column(table, noun, named_only=which is not None and noun not in own)
    if column is None:
        return None
    word = found.group(1) if top else found.group(2)
    return column, int(found.group(2)) if top else None, word not in LOW, text[found.end():]


def _own_nouns(table: TableContext) -> set[str]:
    return {rules.singular(w) for w in re.findall(r"[a-z]+", rules.normalise(table.name)) if len(w) > 2}


ONE_ROW = re.compile(r"\bof (?:the|a) (?:(?:most|least) [a-z]+|(?!best\b|worst\b)[a-z]+est) ([a-z]+)\W*$")


def one_row_asked(parsed: Parsed, table: TableContext) -> bool:
    """"The carat of the most expensive diamond": one row's value, not the group with the highest mean price (it
    averaged the price of each carat)."""
    found = ONE_ROW.search(parsed.text)
    return bool(found) and rules.singular(found.group(1)) in ROW_NOUNS | _own_nouns(table)


def _asked_column(parsed: Parsed) -> tuple[str | None, int]:
    """The column named before "of the top 3 …" and where the ranking starts; (None, 0) when none is."""
    for m in parsed.columns:
        after = ASKED_AFTER.match(parsed.text[m.end:])
        if after and ASKED_BEFORE.match(parsed.text[:m.start]):
            rest = parsed.text[m.end + after.end():]
            return m.column, len(parsed.text) - len(rest)
    return None, 0


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


WHOLE_NUMBER = re.compile(r"0|-?[1-9][0-9]{0,17}")


def ids_as_numbers(table: TableContext, rows: list[dict]) -> list[dict]:
    """Rows whose integer id column comes back as the file's numbers (EmployeeNumber 51, not '51'). Ingest stores
    integer ids (1 … n row numbers, names like CustomerId) as text labels; where every value known and returned is
    a whole number written plainly (no leading zero: zip "02134" stays text), it was a number in the file."""
    columns = [c for c in (rows[0] if rows else {}) if table.kinds.get(c) == "identifier"
               and "VARCHAR" in table.types.get(c, "").upper()
               and all(WHOLE_NUMBER.fullmatch(str(v)) for v in table.values.get(c, []))
               and all(r.get(c) is None or (isinstance(r[c], str) and WHOLE_NUMBER.fullmatch(r[c])) for r in rows)]
    if not columns:
        return rows
    return [{k: int(v) if k in columns and v is not None else v for k, v in r.items()} for r in rows]
