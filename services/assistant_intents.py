"""From a parsed question to one query plan (count, aggregate, top-k, argmax, group, lookup) and from
its rows to a plain sentence that holds only numbers the rows contain.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from data.query_spec import Filter, SelectSpec
from domain import assistant as rules
from services.assistant_router import STOPWORDS, Mention, Parsed, TableContext

AGG_NAMES = {"count": "number of rows", "count_distinct": "number of distinct", "sum": "total", "avg": "average",
             "median": "median", "min": "minimum", "max": "maximum"}
MODE_WORDS = ("most common", "most frequent", "most popular", "most often", "least common", "least frequent")
TIE_LIMIT = 20
SEMANTIC_MIN = 0.8  # "profit" vs "sales" scores ~0.6: below this a refusal beats a confident wrong column
FILLER = frozenset("is are was were the a an of kind type sort one single do does did has have had".split())


@dataclass(frozen=True)
class Plan:
    intent: str
    spec: SelectSpec
    target: str | None = None
    measure: str | None = None
    notes: tuple[str, ...] = ()


class CannotAnswer(Exception):
    """The data cannot answer; the message says why (shown to the user as is)."""


def _after(text: str, mentions: list[Mention], words: tuple[str, ...], gap: int = 3,
           content: int = 1) -> Mention | None:
    """The first column named within ``gap`` words (at most ``content`` of them not filler) after ``words``."""
    for word in words:
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", text):
            for mention in mentions:
                between = text[match.end():mention.start].split()
                filler = FILLER if content == 0 else STOPWORDS
                if mention.start >= match.end() and len([w for w in between if w not in filler]) <= content \
                        and len(between) <= gap:
                    return mention
    return None


def _measure(parsed: Parsed, table: TableContext, free: list[Mention], exclude: set[str], embedder) -> str | None:
    numeric = [m for m in free if m.column not in exclude
               and (table.is_numeric(m.column) or table.numbers_in_text(m.column))]
    words = [w for p, _, w in rules.aggregate_words(parsed.text)]
    after = _after(parsed.text, numeric, tuple(words)) if words else None
    if after:
        return after.column
    if numeric:
        return numeric[-1].column
    return _semantic_measure(parsed, table, exclude, embedder)


def _semantic_measure(parsed: Parsed, table: TableContext, exclude: set[str], embedder) -> str | None:
    """Paraphrases ("revenue" for sales) matched by MiniLM similarity; a high bar, since a wrong column
    gives a confident wrong answer."""
    candidates = [c for c in table.columns if table.is_numeric(c) and c not in exclude]
    phrase = _phrase_after_aggregate(parsed.text)
    if embedder is None or not candidates or not phrase:
        return None
    from ml.embeddings import similarities

    scores = similarities(embedder, phrase, [rules.normalise(c) for c in candidates])
    best = int(scores.argmax())
    return candidates[best] if float(scores[best]) >= SEMANTIC_MIN else None


def _phrase_after_aggregate(text: str) -> str:
    found = rules.aggregate_words(text)
    if not found:
        return ""
    position, _, word = found[0]
    tail = [w for w in text[position + len(word):].split() if w not in STOPWORDS][:2]
    return " ".join(tail)


def _aggregate(text: str) -> str | None:
    for position, func, _ in rules.aggregate_words(text):
        if func in ("avg", "median", "sum"):
            return func
    return None


def _direction(text: str) -> str | None:
    for _, func, _ in rules.aggregate_words(text):
        if func in ("max", "min"):
            return func
    return None


def _entity(parsed: Parsed, table: TableContext, free: list[Mention]) -> Mention | None:
    entity = _after(parsed.text, free, ("which", "what", "who", "whose", "name the", "list the"), gap=4, content=0)
    if entity is None and re.match(r"^(who|whom)\b", parsed.text):
        named = [c for c in table.columns if table.kinds.get(c) in ("text", "identifier", "categorical")]
        return Mention(0, 0, named[0]) if named else None
    return entity


def plan(parsed: Parsed, table: TableContext, embedder=None) -> Plan:
    """Choose the intent; raise CannotAnswer when the question names nothing in this table."""
    if parsed.problems:
        raise CannotAnswer(f"{rules.CANNOT}: {'; '.join(parsed.problems)}.")
    text, filters = parsed.text, parsed.filters
    base = SelectSpec(view=table.view, filters=filters)
    used = parsed.used
    free = [m for m in parsed.columns if not any(s <= m.start < e for s, e in used)]
    group = _after(text, free, rules.GROUP_WORDS, gap=2, content=0)
    entity = _entity(parsed, table, free)
    topk = rules.top_k(text)
    if topk and entity is None:
        entity = _after(text, free, ("top", "bottom", "first", "last", "highest", "lowest"), gap=3)
    agg, direction = _aggregate(text), _direction(text)
    notes = tuple(parsed.notes)
    keyed = {m.column for m in (group, entity) if m}
    counting = rules.is_count_question(text) and not re.match(r"^(which|what|who)\b", text)
    if topk or (entity and (direction or agg) and not counting):
        return _ranked(parsed, table, free, base, entity or group, topk, agg, direction, keyed, embedder, notes)
    if rules.is_count_question(text) and not (agg == "sum" and _measure(parsed, table, free, keyed, None)):
        return _count(parsed, table, free, base, group, notes)
    if agg or direction:
        return _aggregate_plan(parsed, table, free, base, group, agg or direction, keyed, embedder, notes)
    if filters or entity or free:
        return _lookup(parsed, table, free, base, entity, notes)
    raise CannotAnswer(f"{rules.CANNOT}: the question names no column or value of the dataset '{table.name}'. "
                       f"Its columns are: {', '.join(table.columns)}.")


def _count(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec, group: Mention | None,
           notes: tuple[str, ...]) -> Plan:
    text = parsed.text
    first = _after(text, free, ("how many", "number of", "count of", "count"), gap=2)
    if group:
        spec = replace(base, agg="count", group_by=group.column, label="count", limit=200)
        return Plan("group", spec, target=group.column, notes=notes)
    if first and _is_flag(table, first.column) and first.column not in parsed.filter_columns:
        flag = replace(base, agg="count", label="rows", filters=base.filters + (Filter(first.column, "=", 1),))
        return Plan("count", flag, notes=notes + (f"{first.column} = 1",))
    distinct = rules.is_distinct_question(text)
    if first and (distinct or (not table.unique.get(first.column, False) and first.column not in parsed.filter_columns
                               and len(table.values.get(first.column, [])) <= max(100, table.rows // 10))):
        spec = replace(base, agg="count_distinct", measure=first.column, label=f"distinct {first.column}")
        return Plan("count_distinct", spec, target=first.column, notes=notes)
    return Plan("count", replace(base, agg="count", label="rows"), notes=notes)


def _is_flag(table: TableContext, column: str) -> bool:
    """0/1 columns ("Machine failure"): "how many machines failed" counts the ones."""
    values = table.values.get(column) or []
    return table.is_numeric(column) and bool(values) and set(values) <= {0, 1} and 1 in values


def _aggregate_plan(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec,
                    group: Mention | None, agg: str, keyed: set[str], embedder, notes: tuple[str, ...]) -> Plan:
    measure = _measure(parsed, table, free, keyed | set(parsed.filter_columns), embedder)
    if measure is None:
        mode = [m for m in free if not table.is_numeric(m.column)]
        if mode and rules.has_any(parsed.text, MODE_WORDS + ("most", "least")):
            return _mode(base, mode[0].column, "least" not in parsed.text, notes)
        phrase = _phrase_after_aggregate(parsed.text) or "that"
        raise CannotAnswer(f"{rules.CANNOT}: no numeric column of '{table.name}' matches '{phrase}'. "
                           f"Numeric columns are: {', '.join(c for c in table.columns if table.is_numeric(c))}.")
    as_text = not table.is_numeric(measure)
    compare = next((f for f in base.filters if f.op == "in"), None)
    group_column = group.column if group else (compare.column if compare else None)
    spec = replace(base, agg=agg, measure=measure, label=f"{AGG_NAMES[agg]} {measure}", numeric_measure_text=as_text)
    if group_column:
        return Plan("group", replace(spec, group_by=group_column, limit=200), target=group_column, measure=measure,
                    notes=notes)
    return Plan("aggregate", spec, measure=measure, notes=notes)


def _mode(base: SelectSpec, column: str, most: bool, notes: tuple[str, ...]) -> Plan:
    spec = replace(base, agg="count", group_by=column, label="count", descending=most, limit=TIE_LIMIT)
    return Plan("argmax", spec, target=column, notes=notes)


def _ranked(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec, entity: Mention | None,
            topk: tuple[int, str] | None, agg: str | None, direction: str | None, keyed: set[str], embedder,
            notes: tuple[str, ...]) -> Plan:
    k, order = topk if topk else (1, "asc" if direction == "min" else "desc")
    descending = order == "desc"
    measure = _measure(parsed, table, free, keyed, embedder)
    limit = k if topk else TIE_LIMIT
    if measure is None:
        if entity is None:
            raise CannotAnswer(f"{rules.CANNOT}: I could not tell which column to rank by in '{table.name}'.")
        if topk:
            spec = replace(base, agg="count", group_by=entity.column, label="count", descending=descending, limit=k)
            return Plan("top", spec, target=entity.column, notes=notes)
        return _mode(base, entity.column, descending, notes)
    as_text = not table.is_numeric(measure)
    target = entity.column if entity else None
    if target and (agg or not table.unique.get(target, False)) and target != measure:
        func = agg or "sum"
        spec = replace(base, agg=func, measure=measure, group_by=target, label=f"{AGG_NAMES[func]} {measure}",
                       descending=descending, limit=limit, numeric_measure_text=as_text)
        return Plan("top" if topk else "argmax", spec, target=target, measure=measure, notes=notes)
    columns = tuple(dict.fromkeys(c for c in (target, measure) if c)) or table.columns
    spec = replace(base, select=columns, order_by=measure, descending=descending, limit=limit,
                   numeric_measure_text=as_text)
    return Plan("top_rows" if topk else "argmax_rows", spec, target=target or measure, measure=measure, notes=notes)


def _lookup(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec, entity: Mention | None,
            notes: tuple[str, ...]) -> Plan:
    targets = [m.column for m in free if m.column not in parsed.filter_columns]
    if entity and entity.column not in targets:
        targets.insert(0, entity.column)
    if not parsed.filters:
        if not targets:
            raise CannotAnswer(f"{rules.CANNOT}: the question names no value present in '{table.name}'.")
        spec = replace(base, agg="count_distinct", measure=targets[0], label=f"distinct {targets[0]}")
        return Plan("count_distinct", spec, target=targets[0], notes=notes)
    if not targets:
        return Plan("count", replace(base, agg="count", label="rows"), notes=notes)
    spec = replace(base, select=tuple(dict.fromkeys(targets)), limit=50)
    return Plan("lookup", spec, target=targets[0], notes=notes)


def keep_ties(plan_: Plan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """"Which X has the most Y" answers every X tied for first, not an arbitrary one."""
    if plan_.intent not in ("argmax", "argmax_rows") or not rows:
        return rows
    key = plan_.spec.label if plan_.intent == "argmax" else plan_.measure
    best = rows[0].get(key)
    return [r for r in rows if r.get(key) == best] if best is not None else rows[:1]
