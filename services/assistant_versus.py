"""Two figures side by side. Two statistics of one column: "what is the minimum and maximum torque", "average and
median age" (the first alone was answered, the second dropped). Two periods compared: "sales of item 4 in 2016 vs
2017", "how did sales of item 4 change from 2016 to 2017", "compare the bad rate in Q1 2017 and Q2 2017". They were
refused ("I could not apply '2017' (as a period)").
The question is answered once per period, each a single figure planned and checked as any other, and the change
between them is given in the rows beside both figures (in points for a percentage). "Between 2016 and 2017" and
"from 2016 to 2017" without a word of change stay one range."""
from __future__ import annotations

import re
from dataclasses import replace

from domain import assistant as rules
from domain import assistant_dates as dates_rules
from services.assistant_intents import CannotAnswer, plan
from services.assistant_phrase import spoken_label
from services.assistant_router import parse
from services.assistant_table import TableContext
from services.assistant_tools import ToolResult, run_plan

PERIOD = r"(?:(?:q[1-4]|[a-z]{3,9})\s+)?(?:18|19|20|21)\d{2}"
APART = re.compile(rf"\b(?:in\s+|for\s+|from\s+|of\s+)?({PERIOD})\s+(vs\.?|versus|against|compared (?:to|with)|and|to)"
                   rf"\s+(?:in\s+)?({PERIOD})\b")
CHANGE = re.compile(r"\b(?:compare|compared|comparison|change|changed|changes|grow|grew|growth|increase|increased|"
                    r"decrease|decreased|decline|declined|drop|dropped|rise|rose|fall|fell|differ|difference)\b")
SINGLE = ("aggregate", "count", "share")
STATISTICS = ("minimum", "maximum", "min", "max", "lowest", "highest", "average", "mean", "median", "total", "sum")
PAIR = re.compile(rf"\b({'|'.join(STATISTICS)})\s+(?:and|&)\s+(?:the\s+)?({'|'.join(STATISTICS)})\b")


def two_statistics(table: TableContext, question: str, index: dict, embedder=None) -> ToolResult | None:
    """Each statistic of "minimum and maximum torque" planned and answered as a question of its own, both said;
    None when no two statistics are asked side by side."""
    text = rules.normalise(question)
    found = PAIR.search(text)
    if found is None or found.group(1) == found.group(2):
        return None
    answers = []
    for word in (found.group(1), found.group(2)):
        try:
            chosen = plan(parse(f"{text[:found.start()]}{word}{text[found.end():]}", table, index), table, embedder)
        except CannotAnswer as exc:
            return ToolResult("query_dataset", str(exc), "", [], table.name, cannot=True)
        if chosen.intent != "aggregate" or chosen.spec.group_by:  # "highest and lowest sales by store" gave the
            return ToolResult("query_dataset", f"{rules.CANNOT}: I give {found.group(1)} and {found.group(2)} "
                              "side by side for one figure each, not by group; ask for each one separately.", "",
                              [], table.name, cannot=True)  # highest alone
        answers.append(run_plan(table, chosen))
    if any(r.cannot or not r.rows for r in answers):
        return next(r for r in answers if r.cannot or not r.rows)
    second = answers[1].answer
    return ToolResult("query_dataset", f"{answers[0].answer[:-1]}; {second[:1].lower()}{second[1:]}",
                      ";\n".join(r.query for r in answers), [{**answers[0].rows[0], **answers[1].rows[0]}],
                      table.name, state={"intent": "two_statistics", "notes": answers[0].state.get("notes", [])})


def asked(text: str) -> tuple[str, str, tuple[int, int]] | None:
    """(first period, second period, span of the words) of two periods compared; None otherwise."""
    found = APART.search(text)
    if found is None or (found.group(2) in ("and", "to") and not CHANGE.search(text)):
        return None
    if text[:found.start()].rstrip().endswith("between"):
        return None
    first, second = found.group(1), found.group(3)
    if dates_rules.date_range(f"in {first}") is None or dates_rules.date_range(f"in {second}") is None:
        return None
    return first, second, found.span()


def compare_periods(table: TableContext, question: str, index: dict, embedder=None) -> ToolResult | None:
    """Both periods' figures and the change; a refusal where a period's question cannot be answered as one figure;
    None when no two periods are compared or the table has no date to read them from."""
    text = rules.normalise(question)
    found = asked(text)
    if found is None or not any(table.is_date(c) for c in table.columns):
        return None
    first, second, (start, end) = found
    results = []
    for period in (first, second):
        try:
            chosen = plan(parse(f"{text[:start]} in {period} {text[end:]}", table, index), table, embedder)
        except CannotAnswer as exc:
            return ToolResult("query_dataset", str(exc), "", [], table.name, cannot=True)
        if chosen.intent not in SINGLE or chosen.spec.group_by:
            return ToolResult("query_dataset", f"{rules.CANNOT}: {first} and {second} are compared one figure "
                              "each (a total, an average, a count or a share), not a table by group.", "", [],
                              table.name, cannot=True)
        results.append((period, chosen, run_plan(table, chosen)))
    return _combined(table, results)


def _combined(table: TableContext, results: list) -> ToolResult:
    refused = next((r for _, _, r in results if r.cannot or not r.rows or r.answer.startswith(rules.CANNOT)), None)
    if refused is not None:
        return replace(refused, cannot=True)
    chosen = results[0][1]
    key = chosen.spec.label
    values = [r.rows[0].get(key, next(iter(r.rows[0].values()))) for _, _, r in results]
    if any(not isinstance(v, (int, float)) for v in values):
        return ToolResult("query_dataset", f"{rules.CANNOT}: no figure to compare for one of the periods.", "",
                          [], table.name, cannot=True)
    share = chosen.intent == "share"
    change = values[1] - values[0]
    rows = [{"period": p, key: v} for (p, _, _), v in zip(results, values)]
    rows.append({"period": "change", key: change,
                 **({} if share or not values[0] else {"% change": 100.0 * change / values[0]})})
    number = rules.format_number
    moved = f"{'+' if change > 0 else ''}{number(change)}" + (" points" if share else "")
    pct = rows[-1].get("% change")
    moved += f" ({'+' if pct > 0 else ''}{number(pct)}%)" if pct is not None else ""
    notes = [n for n in chosen.notes if not _period_note(n, results[0][1].spec.filters)]
    where = f" where {' and '.join(notes)}" if notes else ""
    label = spoken_label(chosen.spec)
    answer = (f"{label[:1].upper()}{label[1:]}{where}: {results[0][0]} {number(values[0])}, {results[1][0]} "
              f"{number(values[1])}; a change of {moved}.")
    return ToolResult("query_dataset", answer, ";\n".join(r.query for _, _, r in results), rows, table.name,
                      state={"intent": "compare_periods", "notes": notes})


def _period_note(note: str, filters) -> bool:
    """The date condition's note, which names the first period only."""
    return any(f.op in (">=", "<", "between") and f.column in note and str(f.value)[:4] in note for f in filters) \
        and bool(re.search(r"\d{4}-\d{2}-\d{2}", note))
