"""Percentages: "what percentage of loans are for purpose car", "failure rate by type", "share of total sales
from store 1". Split out of ``assistant_buckets``; a share by a time bucket ("… by year") takes its ``Grain``.
"""
from __future__ import annotations

import re
from dataclasses import replace

from data.query_spec import SelectSpec
from domain import assistant as rules
from services.assistant_buckets import Grain
from services.assistant_slots import TIE_LIMIT, CannotAnswer, Plan, flag_filter, is_flag
from services.assistant_table import Mention, Parsed, TableContext
from services.assistant_tally import VS_NOT

SHARE_VERBS = (r"\b(are|is|were|was|have|has|had|came|come|comes|did|do|does|went|go|goes|got|get|gets|"
               r"failed|defaulted|churned|broke|died|survived|quit|cancelled|canceled|led|leads?|resulted|results?|"
               r"ended|left|resigned|exited|stayed)\b")  # "… machines failed", "… in Sales left"


def share_position(parsed: Parsed) -> int | None:
    """Where a percentage is asked for ("what percentage of", "failure rate"), outside column names."""
    spans = [(m.start, m.end) for m in parsed.columns if " " in parsed.text[m.start:m.end]]  # "interest rate"
    for word in rules.SHARE_WORDS:
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", parsed.text):
            if re.search(r"\d\s$", parsed.text[:match.start()]):
                continue  # "discount 20%" (read "20 percent"): a value, not a percentage asked for
            if not any(s <= match.start() < e for s, e in spans):
                return match.start()
    return None


def _refuse_rate_of_several_values(parsed: Parsed, table: TableContext, free: list[Mention]) -> None:
    """"Readmission rate" where readmitted holds NO, <30 and >30: which value is the readmission is not the data's
    to say (it was answered as the share of insulin = Steady within each readmitted value)."""
    rated = next((m for m in free if re.match(r"\s+rates?\b", parsed.text[m.end:]) and not is_flag(table, m.column)
                  and not table.is_number(m.column) and m.column not in parsed.filter_columns), None)
    if rated is not None:
        shown = ", ".join(str(v) for v in (table.values.get(rated.column) or [])[:5])
        raise CannotAnswer(f"{rules.CANNOT}: {rated.column} holds several values ({shown}), so which rows "
                           f"'{parsed.text[rated.start:rated.end]} rate' counts is not the data's to say; ask e.g. "
                           f"'what percentage of rows have {rated.column} {shown.split(', ')[0]}'.")


# A condition written after "for", "among" or "in" picks the rows a rate is taken over, not the rows counted
SCOPED = re.compile(r"\b(?:for|among|amongst|within|in)\s+(?:the\s+)?(?:[a-z_][\w\-]*\s+){0,2}$")
SCOPE_WORD = re.compile(r"\b(?:for|among|amongst|within)\b")  # between the counted rows and a later condition


def share_plan(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec,
               keys: tuple[Mention | None, ...], topk: tuple[int, str] | None, direction: str | None,
               notes: tuple[str, ...], grain: Grain | None = None) -> Plan:
    """"What percentage of loans are for purpose car", "failure rate by type", "share of sales from store 1".

    The rows counted are the conditions written after the verb (or a 0/1 column named before "rate");
    the rest of the filters choose the population. Nothing to count is a refusal, not a row count."""
    text, position = parsed.text, share_position(parsed)
    _refuse_rate_of_several_values(parsed, table, free)
    starts = parsed.filter_starts if len(parsed.filter_starts) == len(parsed.filters) else (0,) * len(parsed.filters)
    flags = [m for m in free if is_flag(table, m.column) and m.end <= position and position - m.end <= 2]
    rated = any(at < position and re.fullmatch(r"(?:\S+\s+){1,2}", text[at:position])
                for f, at in zip(parsed.filters, starts) if not table.is_date(f.column))
    pivot = _pivot(text, position, rated)
    # A period ("in 2023") scopes the population wherever it is written; it is never the counted part.
    dated = [table.is_date(f.column) for f in parsed.filters]
    if flags:
        condition, population = (flag_filter(parsed, table, flags[-1]),), base.filters
    else:
        after_verb = [pivot is None or at >= pivot for at in starts]  # "… died": the verb is the condition
        condition = tuple(f for f, d, a in zip(parsed.filters, dated, after_verb) if a and not d)
        population = tuple(f for f, d, a in zip(parsed.filters, dated, after_verb) if not a or d)
        named = [m for m in free if is_flag(table, m.column) and (pivot is None or m.start >= pivot)
                 and m.column not in parsed.filter_columns]
        counted_verb = bool(named) and named[0].start == pivot  # "… machines failed among type H"
        scoped = _scoped(text, parsed.filters, starts, condition, pivot, counted_verb)
        condition = tuple(f for f in condition if f not in scoped)
        population = tuple(population) + scoped
        if not condition and named:  # "what percentage of orders were (not) returned" (a 0/1 or yes/no column)
            condition = (flag_filter(parsed, table, named[0]),)
        periods = tuple(f for f, d, a in zip(parsed.filters, dated, after_verb) if a and d)
        if not condition and periods:  # "what percentage of orders were placed in 2023": the period is counted
            condition, population = periods, tuple(f for f in population if f not in periods)
    # A yes/no column named as the population ("what percentage of foreign workers have bad risk", "bad rate
    # for foreign workers"): those rows only, not every row.
    keyed_columns = {k.column for k in keys if k is not None}
    taken = {f.column for f in (*condition, *population)} | keyed_columns
    split = next((m for m in free if is_flag(table, m.column) and m.column not in taken
                  and VS_NOT.match(text[m.end:])), None)  # "bad share for foreign workers vs not": each side
    keys = keys if split is None or any(keys) else (split,)  # (it gave the foreign workers' share alone)
    added = tuple(flag_filter(parsed, table, m) for m in free if is_flag(table, m.column) and m is not split
                  and m.column not in taken and (pivot is None or m.end <= pivot or _scopes(text, condition, m)))
    population = tuple(population) + added
    parts = None if condition else _parts(parsed, table, free, replace(base, filters=population), keys, topk,
                                          direction, notes + tuple(f.describe() for f in added), grain)
    if parts is not None:
        return parts
    if not condition:
        raise CannotAnswer(f"{rules.CANNOT}: I could not tell which rows the percentage should count. Name "
                           f"them with a column and a value, e.g. 'what percentage of rows have "
                           f"{_two_valued(table, free, position) or _example(table)}'.")
    counted_columns = {f.column for f in condition}
    group = next((k for k in keys if k is not None and k.column not in counted_columns), None)
    compared = next((f for f in population if f.op == "in"), None)  # "compare churn rate of A and B": each one's
    if group is None and compared is not None and rules.has_any(text, rules.COMPARE_WORDS):
        group = Mention(0, 0, compared.column)
    if group is None and grain is None:
        group, direction = _ranked_label(text, table, free, taken | counted_columns, direction)
    keyed = {group.column} if group else set()
    keyed |= {f.column for f in population}  # "… of applicants with duration over 36 are bad": a condition, not
    # the amount shared (it gave 52.33% of the total duration; 51.72% of the applicants are bad)
    numeric = [m for m in free if m.column not in keyed and not is_flag(table, m.column)
               and table.is_number(m.column) and (m.start < pivot if pivot is not None else
                                                   m.column not in counted_columns)]
    measure = numeric[0].column if numeric and rules.has_any(text, rules.AGGREGATES["sum"] + ("of",)) else None
    agg = "share" if measure else "rate"
    what = " and ".join(f.describe() for f in condition)
    spec = replace(base, filters=population, agg=agg, measure=measure, condition=condition,
                   numeric_measure_text=bool(measure) and not table.is_numeric(measure),
                   label=f"% {what}" if agg == "rate" else f"% of {measure} with {what}")
    counted = {f.describe() for f in condition}
    counted_periods = {f.column for f in condition if table.is_date(f.column)}
    shown = tuple(n for n in notes if not any(n == c or n.startswith(f"{c} (") for c in counted)  # "(for 'died')"
                  and n.split(" ")[0] not in counted_periods) + tuple(f.describe() for f in added)
    if group is None and grain is not None and grain.role != "entity":
        # "what share of sales came from store 2 by year": the share in each year
        spec = replace(spec, group_by=grain.grain, grain=grain.grain, grain_column=grain.column,
                       order_by=grain.grain, descending=False, limit=500)
        return Plan("group", spec, target=grain.grain, measure=measure, notes=shown)
    if group is None:
        return Plan("share", spec, measure=measure, notes=shown)
    grouped = replace(spec, group_by=group.column, descending=direction != "min",
                      limit=(topk[0] if topk else TIE_LIMIT) if (topk or direction) else 200)
    return Plan("argmax" if direction and not topk else "top" if topk else "group", grouped, target=group.column,
                measure=measure, notes=shown)


# Words asking for each group's part of the whole ("rate" asks for rows counted within each group, not this)
PARTS = re.compile(r"\b(?:share|percentage|percent|proportion|fraction)\b|%")


def _parts(parsed: Parsed, table: TableContext, free: list[Mention], base: SelectSpec,
           keys: tuple[Mention | None, ...], topk: tuple[int, str] | None, direction: str | None,
           notes: tuple[str, ...], grain: Grain | None) -> Plan | None:
    """"Share of employees by department", "percentage of sales by store", "which month has the largest share of
    trips": each group's part of all the rows picked (or of the amount's total), the parts adding up to 100; they
    were refused, no rows being named to count. None where nothing groups the rows, a rate is asked, or the amount
    is a level (a share of prices adds up nothing)."""
    group = next((k for k in keys if k is not None), None)
    if not PARTS.search(parsed.text) or (group is None and grain is None):
        return None
    keyed = {group.column} if group else {grain.column}
    numeric = [m.column for m in free if m.column not in keyed and table.is_number(m.column)
               and not is_flag(table, m.column)]
    measure = numeric[0] if len(set(numeric)) == 1 else None
    if len(set(numeric)) > 1 or (measure and rules.is_level(measure)):
        return None
    spec = replace(base, agg="part", measure=measure, label=f"% of total {measure}" if measure else "% of rows",
                   numeric_measure_text=bool(measure) and not table.is_numeric(measure))
    spec = replace(spec, group_by=group.column) if group else \
        replace(spec, group_by=grain.grain, grain=grain.grain, grain_column=grain.column)
    if topk:
        spec = replace(spec, descending=topk[1] == "desc", limit=topk[0])
    elif direction:
        spec = replace(spec, descending=direction != "min", limit=TIE_LIMIT)
    elif group is None:
        spec = replace(spec, order_by=grain.grain, descending=False, limit=500)
    intent = "top" if topk else "argmax" if direction else "group"
    return Plan(intent, spec if spec.limit else replace(spec, limit=200), target=spec.group_by, measure=measure,
                notes=notes)


RISKIEST = re.compile(r"\b(?:(riskiest|most risky|highest risk)|(safest|least risky|lowest risk))\b")


def _ranked_label(text: str, table: TableContext, free: list[Mention], used: set[str],
                  direction: str | None) -> tuple[Mention | None, str | None]:
    """"The riskiest loan purpose by bad rate": a label column named beside the rate and used nowhere else is what
    the rate is taken for, ranked where a superlative says so; it was dropped, the overall 29.88% stated instead."""
    label = next((m for m in free if m.column not in used and not is_flag(table, m.column)
                  and not table.is_number(m.column) and not table.is_date(m.column)
                  and not table.unique.get(m.column)), None)
    said = RISKIEST.search(text) if label is not None else None
    if said and direction is None:
        direction = "max" if said.group(1) else "min"
    return label, direction


def _scoped(text: str, filters: tuple, starts: tuple[int, ...], condition: tuple, pivot: int | None,
            counted_verb: bool = False) -> tuple:
    """Counted conditions that a "for", "among" or "within" makes the population instead: "default rate for grade
    A", "what percentage of loans are bad for applicants with own housing" (the rate among own-housing applicants;
    it was the share of all rows that are both). After a verb the first condition is the counted one ("are for
    purpose car"), unless the verb itself is ("… machines failed among type H"); a later one is scoped where the
    word stands between them."""
    written = sorted((at, f) for f, at in zip(filters, starts) if f in condition)
    if pivot is not None and (counted_verb or len(written) > 1):
        first = pivot if counted_verb else written[0][0]
        return tuple(f for at, f in written[0 if counted_verb else 1:] if SCOPE_WORD.search(text[first:at]))
    scoped = tuple(f for i, (at, f) in enumerate(written) if SCOPED.search(text[:at]) or (
        i and SCOPE_WORD.search(text[written[i - 1][0]:at])))
    return scoped if len(scoped) < len(written) else ()


def _scopes(text: str, condition: tuple, mention: Mention) -> bool:
    """A yes/no column written after the counted rows behind "for" or "among" ("… are for business among foreign
    workers"): those rows are the population (it was dropped: 9.7 % of every loan)."""
    return bool(condition) and SCOPED.search(text[:mention.start]) is not None


def _pivot(text: str, position: int, rated: bool = False) -> int | None:
    """The verb after which the counted rows are written. One in a relative clause ("passengers who survived
    are female") picks the population; the verb after it is the pivot. With a value right before the share
    word ("bad rate for applicants with own housing") that value is counted, so "with" is no pivot."""
    verbs = list(re.finditer(SHARE_VERBS, text[position:]))
    main = [v for v in verbs if not re.search(r"\b(?:who|that|which)\s+(?:(?:did|do|does|had|have|has)\s+)?"
                                              r"(?:not\s+|never\s+)?$", text[:position + v.start()])]
    verb = (main or verbs or [None])[0]  # else "percentage of homicides with an arrest": counted after "with"
    having = re.search(r"\b(?:with|having)\b", text[position:])  # not inside "among applicants with …"
    verb = verb or (None if rated or (having and SCOPE_WORD.search(text[position:position + having.start()]))
                    else having)
    return position + verb.start() if verb else None


def _two_valued(table: TableContext, free: list[Mention], position: int) -> str | None:
    """"default rate" where default holds 1 and 2: which one is the default is not the data's to say, so the
    refusal names both (a guess would state the other value's rate as fact)."""
    for mention in free:
        values = sorted(v for v in (table.values.get(mention.column) or []) if v is not None)
        if mention.end <= position and position - mention.end <= 2 and len(values) == 2:
            return f"{mention.column} {values[0]}' or '... {mention.column} {values[1]}"
    return None


def _example(table: TableContext) -> str:
    for column in table.columns:
        values = table.values.get(column) or []
        if values and not table.is_numeric(column) and not table.is_date(column) and len(values) <= 50:
            return f"{column} {values[0]}"
    return "<column> <value>"

