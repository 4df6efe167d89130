"""Engines, machines and their lives on a table of readings (one row per unit and cycle, as NASA's C-MAPSS files):
"how many engines are there" counted the 12,369 rows (the units are the distinct values of `unit_number`); "the
longest engine life in cycles" was refused over 'life' (a unit's life is its largest cycle); and "how many engines
… and what is the longest life in cycles?" was refused as if 'cycle' were rows to count. Two questions joined by
"and" are refused naming both, to be asked one at a time."""
from __future__ import annotations

import re

from data import query as sql
from domain import assistant as rules
from services.assistant_table import TableContext, column_words
from services.assistant_tools import ToolResult

NOUNS = ("engine", "unit", "machine", "asset", "turbine", "aircraft", "vehicle", "pump", "bearing")
ID_WORDS = {"id", "number", "no", "nr", "nbr", "num"}
# "how many engines are there", "… are in the data", "how many engines are" (a dataset's name taken out after it)
COUNTED = re.compile(rf"^how many ({'|'.join(NOUNS)})s?(?: (?:are|were|is)(?: (?:there|listed|recorded|in(?: it| the "
                     r"(?:data|dataset|table|file|sample))?))?| (?:does|do) (?:it|the \w+|this \w+) (?:have|hold|"
                     r"cover))?(?: (?:in|of) (?:the|this) (?:data|dataset|table|file|sample))?$")
LIFE = re.compile(r"\b(longest|shortest|average|mean|median|maximum|minimum|max|min|typical)\s+(?:(?:engine|unit|"
                  r"machine|asset|turbine)s?\s+)?(?:life|lifetime|lifespan|life span|life length|run length)\b")
STAT = {"longest": "MAX", "maximum": "MAX", "max": "MAX", "shortest": "MIN", "minimum": "MIN", "min": "MIN",
        "average": "AVG", "mean": "AVG", "typical": "MEDIAN", "median": "MEDIAN"}
SAID = {"MAX": "longest", "MIN": "shortest", "AVG": "average", "MEDIAN": "median"}
# a second question of three words or more: "… and when" or "… and on which date" stay one question
TWO_ASKED = re.compile(r"^(.*\b(?:how many|how much|what|which|when|who)\b.*?)\s+and\s+((?:what|which|how|when|who)"
                       r"(?:\s+\S+){2,})$")

DANGLING = re.compile(r"(?:\s+(?:are|is|were|was|in|of|the|for))+$")  # left where a dataset's name was taken out


def two_questions(question: str) -> ToolResult | None:
    """"How many engines are there and what is the longest life in cycles?": a refusal naming the two questions
    (one was refused with a reason that fits neither: 'cycle holds an amount on each row')."""
    found = TWO_ASKED.match(rules.normalise(question))
    if found is None:
        return None
    first, second = (DANGLING.sub("", part.strip(" ?")) for part in found.groups())
    return ToolResult("query_dataset", f"{rules.CANNOT}: the question asks two things at once. Ask them one at a "
                      f"time: '{first}?' and then '{second}?'.", "", [], cannot=True)


def _unit_column(table: TableContext, noun: str) -> str | None:
    """The column naming the units ("unit", "unit_number", "engine_id"): the noun asked or "unit", with at most an
    id word beside it."""
    for column in table.columns:
        words = [rules.singular(w) for w in column_words(column).split()]
        if words and words[0] in {noun, "unit"} and set(words[1:]) <= ID_WORDS:
            return column
    return None


def _cycle_column(table: TableContext) -> str | None:
    return next((c for c in table.columns if table.is_numeric(c) and "cycle" in
                 {rules.singular(w) for w in column_words(c).split()}), None)


# "how many units have s_2 above 642", "how many engines had T24 over 643.5 at any point": units, not rows
BEYOND = re.compile(rf"^how many ({'|'.join(NOUNS)})s? (?:have|has|had|with|show|showed|reach|reached|see|saw) "
                    r"(?:an? |any |the )?(?:readings? of |values? of )?(.+?) (above|over|greater than|more than|"
                    r"higher than|exceeding|below|under|less than|lower than) (-?\d+(?:\.\d+)?)"
                    r"(?: (?:at any (?:point|time|cycle|reading)|ever|at some point|on any reading))?$")
HIGH = ("above", "over", "greater than", "more than", "higher than", "exceeding")


def units_beyond(table: TableContext, text: str) -> ToolResult | None:
    """How many units have at least one reading of a column above (or below) a value: the units counted, each
    listed with its readings past the value (it counted the rows, and said so, for a question about units)."""
    found = BEYOND.match(text)
    unit = _unit_column(table, found.group(1)) if found else None
    column = next((c for c in table.columns if table.is_numeric(c) and column_words(c) == found.group(2)), None) \
        if unit else None
    if column is None:
        return None
    high = found.group(3) in HIGH
    op, said, extreme = (">", "above", "MAX") if high else ("<", "below", "MIN")
    view, key, col = (sql.quote_identifier(x) for x in (table.view, unit, column))
    past, top = f"readings {said} {found.group(4)}", f"{'highest' if high else 'lowest'} {column}"
    query = (f'SELECT {key}, COUNT(*) AS "{past}", {extreme}({col}) AS "{top}", COUNT(*) OVER () AS "{unit}s found", '
             f'(SELECT COUNT(DISTINCT {key}) FROM {view}) AS "{unit}s in all" FROM {view} WHERE {col} {op} ? '
             f"GROUP BY {key} ORDER BY {key}")
    params = [float(found.group(4))]
    rows = sql.run_select({table.view: table.path}, query, params).records()
    value = rules.format_number(params[0])
    if not rows:  # none: the count of units, from its own query, is what the reply can show
        query = f'SELECT COUNT(DISTINCT {key}) AS "{unit}s in all" FROM {view}'
        rows = sql.run_select({table.view: table.path}, query).records()
        return ToolResult("query_dataset", f"None of the {rows[0][f'{unit}s in all']:,} values of {unit} has a "
                          f"reading with {column} {said} {value}.", query, rows, table.name)
    return ToolResult("query_dataset", f"{rows[0][f'{unit}s found']:,} of the {rows[0][f'{unit}s in all']:,} values "
                      f"of {unit} have at least one reading with {column} {said} {value}; the rows list each with "
                      f"its count of such readings and its {top}.", sql.inline(query, params), rows, table.name)


def unit_counts_and_lives(table: TableContext, question: str) -> ToolResult | None:
    """How many units, or a statistic of their lives (each unit's largest cycle); None for other questions."""
    text = rules.normalise(question).strip()
    if (beyond := units_beyond(table, text)) is not None:
        return beyond
    counted, life = COUNTED.match(text), LIFE.search(text)
    unit = _unit_column(table, counted.group(1)) if counted else _unit_column(table, "unit") if life else None
    if unit is None:
        return None
    view, key = sql.quote_identifier(table.view), sql.quote_identifier(unit)
    if counted:
        query = f'SELECT COUNT(DISTINCT {key}) AS "distinct {unit}", COUNT(*) AS "rows" FROM {view}'
        row = sql.run_select({table.view: table.path}, query).records()[0]
        return ToolResult("query_dataset", f"There are {row[f'distinct {unit}']:,} distinct values of {unit} "
                          f"(over {row['rows']:,} rows).", query, [row], table.name)
    cycle = _cycle_column(table)
    if cycle is None:
        return None
    stat = STAT[life.group(1)]
    lives = f"SELECT {key}, MAX({sql.quote_identifier(cycle)}) AS life FROM {view} GROUP BY {key}"
    if stat in ("MAX", "MIN"):
        query = (f"WITH lives AS ({lives}) SELECT {key}, life AS \"life ({cycle})\" FROM lives WHERE life = "
                 f"(SELECT {stat}(life) FROM lives) ORDER BY {key}")
        rows = sql.run_select({table.view: table.path}, query).records()
        figure = rows[0][f"life ({cycle})"]
        named = ", ".join(str(r[unit]) for r in rows)
        return ToolResult("query_dataset", f"The {SAID[stat]} life is {rules.format_number(figure)} ({cycle}, a "
                          f"{unit}'s largest), of {unit} {named}.", query, rows, table.name)
    query = f"WITH lives AS ({lives}) SELECT {stat}(life) AS \"{SAID[stat]} life\", COUNT(*) AS \"{unit}s\" FROM lives"
    row = sql.run_select({table.view: table.path}, query).records()[0]
    return ToolResult("query_dataset", f"The {SAID[stat]} life over the {row[f'{unit}s']:,} values of {unit} is "
                      f"{rules.format_number(row[f'{SAID[stat]} life'])} ({cycle}, each {unit}'s largest).", query,
                      [row], table.name)
