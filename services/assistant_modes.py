"""Kinds held as 0/1 columns: "which failure mode is most common" on a table with a 0/1 column per mode (AI4I's
TWF, HDF, PWF, OSF, RNF beside their total, Machine failure) counts the 1s of each mode column. The word "mode" was
read as the statistic: "Machine failure 0 (9,661) has the highest number of rows"."""
from __future__ import annotations

import re

from data import query as sql
from domain import assistant as rules
from services.assistant_table import TableContext
from services.assistant_tools import ToolResult

ASKED = re.compile(r"\b(?:which|what)\s+(?:is\s+the\s+|are\s+the\s+)?(?:(?:most|least)\s+(?:common|frequent)\s+)?"
                   r"([a-z]+)\s+(mode|type|kind|cause)s?\b")
RANKED = re.compile(r"\b(most|least)\s+(?:common|frequent|often)\b|\b(most|least)\b")


def _flags(table: TableContext) -> list[str]:
    """Columns holding only 0 and 1 (or False and True): a mode that never occurs holds 0 alone, and is listed."""
    return [c for c in table.columns if table.values.get(c) and all(
        isinstance(v, (bool, int, float)) and v in (0, 1) for v in table.values[c])]


def flag_counts(table: TableContext, question: str) -> ToolResult | None:
    """The 0/1 columns other than the one the question's noun names ("failure": Machine failure, their total),
    ranked by their 1s; None unless the noun names one 0/1 column and two or more others are left."""
    text = rules.normalise(question)
    asked, ranked = ASKED.search(text), RANKED.search(text)
    if asked is None or ranked is None:
        return None
    flags = _flags(table)
    noun = rules.singular(asked.group(1))
    total = [c for c in flags if noun in {rules.singular(w) for w in re.findall(r"[a-z]+", c.lower())}]
    kinds = [c for c in flags if c not in total]
    if len(total) != 1 or len(kinds) < 2:
        return None
    counted = ", ".join(f"SUM(CASE WHEN CAST({sql.quote_identifier(c)} AS INTEGER) = 1 THEN 1 ELSE 0 END) AS "
                        f"{sql.quote_identifier(c)}" for c in [*total, *kinds])
    query = f"SELECT {counted} FROM {sql.quote_identifier(table.view)}"
    found = sql.run_select({table.view: table.path}, query).records()[0]
    most = (ranked.group(1) or ranked.group(2)) == "most"
    rows = sorted(({"column": c, "rows with 1": int(found[c] or 0)} for c in kinds),
                  key=lambda r: -r["rows with 1"] if most else r["rows with 1"])
    best = rows[0]["rows with 1"]
    tied = [r["column"] for r in rows if r["rows with 1"] == best]
    listed = ", ".join(f"{r['column']} {r['rows with 1']:,}" for r in rows)
    said = f"{asked.group(1)} {asked.group(2)}{'' if len(tied) == 1 else 's'}"
    failed = int(found[total[0]] or 0)
    return ToolResult("query_dataset", f"{' and '.join(tied)} {'is' if len(tied) == 1 else 'are'} the "
                      f"{'most' if most else 'least'} common {said}, by rows with 1: {listed}; {total[0]} is 1 in "
                      f"{failed:,} rows.", query, rows, table.name, state={total[0]: failed})  # a number said
