"""Missing values counted: "how many missing values are in Depth", "missing values by column", "which column has the
most missing values", "what percentage of Depth is missing", "are there any missing values". They were refused
("I could not use 'missing' …") or answered from the docs. A cell is missing where it is empty or holds spaces only,
as the blank condition reads it ("lakes with no depth"). Only a question whose other words are columns and
conditions of the table is answered here, so no condition is dropped."""
from __future__ import annotations

import re

from data import query as sql
from data.query_spec import SelectSpec, render
from domain import assistant as rules
from services.assistant_table import STOPWORDS, Parsed, TableContext
from services.assistant_tools import ToolResult

MISSING = re.compile(r"\b(?:missing|blank|empty|null|nan)\s+(?:values?|cells?|entries|data|fields?)\b|"
                     r"\b(?:count|number) of (?:missing|blank|empty|null)\b|"
                     r"\b(?:nulls|blanks|nans)\b|\b(?:is|are) (?:missing|blank|empty)\b|\bmissing\s*$")
ASKING = frozenset("missing blank blanks empty null nulls nan nans values value cells cell entries entry data fields "
                   "field column columns any most fewest least highest lowest percentage percent share proportion "
                   "there how many count number which what have has contain contains hold holds does do per by "
                   "each is are in of".split()) | STOPWORDS
SHARE = re.compile(r"\b(?:percentage|percent|share|proportion|%)")
MOST = re.compile(r"\b(?:most|highest)\b")
FEWEST = re.compile(r"\b(?:fewest|least|lowest)\b")


def asks_for_missing(text: str) -> bool:
    return MISSING.search(text) is not None


def missing_values(table: TableContext, parsed: Parsed) -> ToolResult | None:
    """Missing cells of the columns named (every column where none is), over the rows the conditions pick; None
    when a word of the question is neither (it is left to the planner, which says what it could not use)."""
    text = parsed.text
    if not asks_for_missing(text) or _unused(text, parsed):
        return None
    blank_on = {f.column for f in parsed.filters if f.op in ("is_blank", "not_blank")}
    filters = tuple(f for f in parsed.filters if f.column not in blank_on or f.op not in ("is_blank", "not_blank"))
    named = list(dict.fromkeys([m.column for m in parsed.columns] + sorted(blank_on)))
    columns = [c for c in named if c not in {f.column for f in filters}] or list(table.columns)
    base, params = render(SelectSpec(table.view, agg="count", filters=filters, label="rows"))
    counted = ", ".join(f"SUM(CASE WHEN ({_blank(c)}) THEN 1 ELSE 0 END) AS {sql.quote_identifier(c)}"
                        for c in columns)
    text_sql = base.replace('COUNT(*) AS "rows"', f'COUNT(*) AS "rows", {counted}', 1)
    found = sql.run_select({table.view: table.path}, text_sql, params).records()[0]
    total = int(found["rows"] or 0)
    rows = [{"column": c, "missing": int(found[c] or 0), "rows": total,
             "% missing": 100.0 * int(found[c] or 0) / total if total else None} for c in columns]
    return ToolResult("query_dataset", _sentence(text, rows, total, [f.describe() for f in filters]),
                      sql.inline(text_sql, params), rows, table.name,
                      state={"missing in all": sum(r["missing"] for r in rows)})  # the total the reply says


def _blank(column: str) -> str:
    name = sql.quote_identifier(column)
    return f"{name} IS NULL OR trim(CAST({name} AS VARCHAR)) = ''"


def _unused(text: str, parsed: Parsed) -> bool:
    """A word of the question that no column, condition or wording of a missing-value question takes."""
    spans = list(parsed.used) + [(m.start, m.end) for m in parsed.columns]
    for word in re.finditer(r"[a-z0-9%]+", text):
        if word.group(0) in ASKING or any(s <= word.start() < e for s, e in spans):
            continue
        if rules.singular(word.group(0)) in ASKING:
            continue
        return True
    return bool(parsed.problems)


def _sentence(text: str, rows: list[dict], total: int, where: list[str]) -> str:
    scope = f" of the {total:,} rows" + (f" where {' and '.join(where)}" if where else "")
    share = SHARE.search(text) is not None
    said = [f"{r['column']} {r['missing']:,}" + (f" ({rules.format_number(r['% missing'])}%)" if share and total else
                                                   "") for r in rows]
    if len(rows) == 1:
        return f"{rows[0]['column']} is missing in {said[0].removeprefix(rows[0]['column'] + ' ')}{scope}."
    ranked = MOST.search(text) or FEWEST.search(text)
    if ranked:
        best = (max if MOST.search(text) else min)(r["missing"] for r in rows)
        tied = [r["column"] for r in rows if r["missing"] == best]
        which = "most" if MOST.search(text) else "fewest"
        return (f"{' and '.join(tied)} {'has' if len(tied) == 1 else 'have'} the {which} missing values: "
                f"{best:,}{scope}.")
    empty = sum(r["missing"] for r in rows)
    holding = [s for s, r in zip(said, rows) if r["missing"]]
    listed = f": {', '.join(holding)}" if holding else ""
    return (f"{empty:,} missing values in {len(rows)} columns{scope}{listed}; the other columns have none."
            if holding and len(holding) < len(rows) else f"{empty:,} missing values in {len(rows)} columns{scope}"
            f"{listed}.")
