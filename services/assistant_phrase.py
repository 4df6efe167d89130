"""The dataset tool's template answers: plain sentences holding only values from the rows and the filters,
plus what the rows cannot show by themselves (fewer groups than asked, a period the data covers in part)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from domain import assistant as rules
from services.assistant_intents import AGG_NAMES, Plan
from services.assistant_periods import how_averaged, is_per_period
from services.assistant_slots import is_flag
from services.assistant_table import column_words
from services.assistant_table import TableContext


def _fmt(value: Any) -> str:
    return rules.format_number(value) if isinstance(value, (int, float)) else str(value)


_PLAIN_KEY = re.compile(r"(^|\s)(id|year|code|zip|no|number|fy)(\s|$)")


def _key(value: Any, column: str | None) -> str:
    """A group or row label as written: a year or an id without separators ("HireYear 2021", not 2,021)."""
    if value is None and column:
        return f"no {column}"  # the rows with a blank group: "Embarked None (100)" read as a port named None
    whole = isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
    if whole and column and _PLAIN_KEY.search(column_words(column)):
        return str(int(value))
    return _fmt(value)


_YEARS = re.compile(r"(^|\s)(year|fy)(\s|$)")


def _stat(value: Any, column: str | None, agg: str | None) -> str:
    """A statistic as written: a year's maximum, minimum or average without separators (2021, 1990.11)."""
    if agg in ("max", "min", "avg", "median", None) and column and _YEARS.search(column_words(column)) \
            and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else f"{value:.2f}"
    return _fmt(value)


def _stats(values: list[Any], column: str | None, agg: str | None) -> list[str]:
    """A list's statistics with one number of decimals: 6,050.30 beside 6,609.22, not 6,050.3 (and 16.30 beside
    14.87); whole numbers alone stay whole, and values below 1 keep their 4 significant digits."""
    numeric = [isinstance(v, (int, float)) and not isinstance(v, bool) for v in values]
    if not any(n and isinstance(v, float) and not v.is_integer() and abs(v) >= 1 for v, n in zip(values, numeric)):
        return [_stat(v, column, agg) for v in values]
    plain = _stat(1234.5, column, agg) == "1234.50"  # a year's average is written without separators
    return [(f"{v:.2f}" if plain else f"{v:,.2f}") if n and abs(v) >= 1 else _stat(v, column, agg)
            for v, n in zip(values, numeric)]  # 0.07883 keeps its digits: 0.08 would hide them


def _where(chosen: Plan) -> str:
    return f" where {' and '.join(chosen.notes)}" if chosen.notes else ""


def phrase(chosen: Plan, rows: list[dict[str, Any]], table: TableContext, state: dict[str, Any] | None = None) -> str:
    """The template answer: plain sentences holding only values from ``rows`` and the filters."""
    spec, where, state = chosen.spec, _where(chosen), state or {}
    if not rows:
        return f"{rules.CANNOT}: no rows of '{table.name}' match{where}."
    if chosen.intent == "grain_stat":
        if state.get("value") is None:
            return f"{rules.CANNOT}: no rows of '{table.name}' match{where}."
        name = {"avg": "average", "median": "median", "max": "highest", "min": "lowest", "sum": "total"}
        shown = f" (the first {len(rows)} are shown)" if len(rows) < state["buckets"] else ""
        # several rows a day (stores, items): the day's rows are summed first, and the reply says so
        summed = f"summed per {spec.grain} over" if state.get("bucket_rows", 0) > state["buckets"] else "over"
        then = ", then averaged" if summed != "over" else ""
        return (f"The {name.get(chosen.statistic, chosen.statistic)} {spec.grain}ly {said_once(spec)}{where} is "
                f"{_fmt(state['value'])}, {summed} {_fmt(state['buckets'])} {spec.grain}s{then}{shown}."
                ).replace("dayly", "daily")
    if chosen.intent == "group" and state.get("buckets"):
        said = spoken_label(spec)
        head = f"{said[:1].upper()}{said[1:]}{_by(spec)} {spec.group_by}{where}"
        stats = _stats([r[spec.label] for r in rows], None, None)
        items = ", ".join(f"{_key(r[spec.group_by], spec.group_by)} ({s})" for r, s in zip(rows, stats))
        return f"{head}, the first {len(rows)} of {_fmt(state['buckets'])}: {items}."
    if chosen.intent == "share":
        return _share_sentence(chosen, rows[0], where, state.get("blank_conditions") or {})
    if chosen.intent in ("count", "aggregate", "count_distinct"):
        value = next(iter(rows[0].values()))
        if value is None:
            return f"{rules.CANNOT}: no rows of '{table.name}' match{where}."
        one = value == 1
        if chosen.intent == "count":
            with_value = f" with a value of {spec.measure}" if spec.measure else ""
            return f"There {'is' if one else 'are'} {_fmt(value)} row{'' if one else 's'}{with_value}{where}."
        if chosen.intent == "count_distinct":
            return f"There {'is' if one else 'are'} {_fmt(value)} distinct value{'' if one else 's'} of " \
                   f"{spec.measure}{where}."
        name = {"min": "earliest", "max": "latest"}.get(spec.agg, AGG_NAMES[spec.agg]) \
            if table.is_date(spec.measure) else AGG_NAMES[spec.agg]  # a date's minimum is its earliest
        return f"The {name} {spec.measure}{where} is {_stat(value, spec.measure, spec.agg)}." \
            if table.is_date(spec.measure) else f"The {name} of {spec.measure}{where} is " \
                                               f"{_stat(value, spec.measure, spec.agg)}."
    if chosen.intent in ("argmax", "top", "group"):
        label = spec.label
        stats = _stats([r[label] for r in rows], spec.measure, spec.agg)
        items = [f"{_key(r[spec.group_by], spec.group_by)} ({s})" for r, s in zip(rows, stats)]
        if spec.agg == "rate" and is_flag(table, spec.group_by) and spec.label.startswith("% "):
            items = [_rate_item(spec, r, "rows") for r in rows]  # "yes (30.66%, 237 of 773 rows), no (…)": each side
        what = spoken_label(spec) if spec.agg != "count" else "number of rows"
        where += how_averaged(chosen, rows) if is_per_period(chosen) else ""  # "(summed per day over …)"
        blank = f" ({_fmt(state['blank_rows'])} rows with no {spec.group_by} are left out)" \
            if state.get("blank_rows") else ""
        if chosen.intent == "argmax" and spec.agg == "rate" and spec.label.startswith("% "):
            return _rate_leaders(chosen, rows, state.get("runner_up"), f"{where}{blank}")
        if chosen.intent == "argmax":
            best = "highest" if spec.descending else "lowest"
            verb = "have" if len(items) > 1 else "has"  # a tie: "Ben Carter (62) and Chloe Kim (62) have the …"
            tie = f", a tie of {len(items)} {plural(spec.group_by, len(items))}" if len(items) > 2 else ""
            return f"{spec.group_by} {' and '.join(items)} {verb} the {best} {what}{where}{blank}{tie}."
        if chosen.intent == "top":
            groups = plural(spec.group_by, len(rows))
            head = f"Top {len(rows)}" if spec.descending else f"Bottom {len(rows)}"
            if spec.limit and len(rows) < spec.limit and not blank:  # "top 3 items" of 2: say so, not "Top 2 item"
                exist = "exists" if len(rows) == 1 else "exist"
                return f"Only {len(rows)} {groups} {exist}{where}; {head.lower()} {groups} by {what}: " \
                       f"{', '.join(items)}."
            return f"{head} {groups} by {what}{where}{blank}: {', '.join(items)}."
        return f"{what[:1].upper()}{what[1:]}{_by(spec)} {spec.group_by}{where}: {', '.join(items)}."
    if chosen.intent in ("argmax_rows", "top_rows"):
        target, measure = chosen.target, chosen.measure
        items = [_key(r.get(target), target) + (f" ({measure} {_stat(r.get(measure), measure, None)})"
                                                if measure != target else "")
                 for r in rows]
        best = "highest" if spec.descending else "lowest"
        values = {r.get(measure) for r in rows}
        if chosen.intent == "argmax_rows" and target != measure and len(values) == 1:
            names = ", ".join(_key(r.get(target), target) for r in rows)
            more = f" (the first {len(rows)} of {_fmt(state['tied'])} rows with it)" \
                if state.get("tied", 0) > len(rows) else ""
            return f"The {best} {measure}{where} is {_stat(rows[0].get(measure), measure, None)}, for {target} " \
                   f"{names}{more}."
        if chosen.intent == "argmax_rows":
            return f"The {best} {measure}{where} is for {target} {' and '.join(items)}." if target != measure \
                else f"The {best} {measure}{where} is {' and '.join(items)}."
        keyed = [f"{target} {item}" for item in items] if target != measure else items  # "EmployeeNumber 94 (…)"
        return f"The {len(rows)} rows with the {best} {measure}{where}: {', '.join(keyed)}."
    return _lookup_sentence(chosen, rows, where)


def _share_sentence(chosen: Plan, row: dict[str, Any], where: str, blanks: dict[str, int]) -> str:
    spec = chosen.spec
    value = row.get(spec.label)
    if value is None:
        return f"{rules.CANNOT}: there is nothing to take a percentage of{where}."
    noun = "loans" if spec.extra.get("finished") else "rows"  # a loan book's rate is taken over finished loans
    listed = any(f.op in ("in", "weekend", "weekday") for f in spec.condition)  # "whose loan_status is Charged Off …"
    counted = f"are {noun} whose {condition_words(spec.condition, ' is ')}" if listed \
        else f"have {condition_words(spec.condition)}"
    part, whole = list(row.values())[:2]
    if spec.agg == "rate" and blanks:  # "of all 20,000 rows; 488 have no ARR_DELAY": blanks never match
        missing = "; ".join(f"{_fmt(n)} have no {c}" for c, n in blanks.items())
        return f"{_fmt(value)}% of all {_fmt(whole)} {noun}{where} {counted} ({_fmt(part)}); {missing}."
    if spec.agg == "rate":
        return f"{_fmt(value)}% of the {noun}{where} {counted} ({_fmt(part)} of {_fmt(whole)})."
    rows_with = f"rows whose {condition_words(spec.condition, ' is ')}" if listed \
        else f"rows with {condition_words(spec.condition)}"
    return (f"{_fmt(value)}% of the total {spec.measure}{where} comes from {rows_with} "
            f"({_fmt(part)} of {_fmt(whole)}).")


def _rate_leaders(chosen: Plan, rows: list[dict[str, Any]], runner_up: dict[str, Any] | None, where: str) -> str:
    """"purpose education (44%, 22 of 50 rows) has the highest share with credit_risk = bad; next: others (41.67%,
    5 of 12 rows)": each rate with the rows it is taken over, and the runner-up, so a rate of a small group shows."""
    spec = chosen.spec
    noun = "loans" if spec.extra.get("finished") else "rows"

    def item(row: dict[str, Any]) -> str:
        return _rate_item(spec, row, noun)
    verb = "have" if len(rows) > 1 else "has"
    best = "highest" if spec.descending else "lowest"
    then = f"; next: {item(runner_up)}" if runner_up and runner_up.get(spec.group_by) is not None else ""
    return f"{spec.group_by} {' and '.join(map(item, rows))} {verb} the {best} share with " \
           f"{condition_words(spec.condition)}{where}{then}."


def _rate_item(spec: Any, row: dict[str, Any], noun: str) -> str:
    """A group's rate with the rows it is taken over: "education (44.44%, 20 of 45 rows)"."""
    return f"{_key(row[spec.group_by], spec.group_by)} ({_fmt(row[spec.label])}%, {_fmt(row['matching rows'])} " \
           f"of {_fmt(row['rows'])} {noun})"


def condition_words(filters: tuple, listed: str = " ") -> str:
    """The counted rows as a reader says them: "loan_status is Charged Off or Default" (``listed`` " is ") or
    "loan_status Charged Off or Default", not the query's "loan_status in (Charged Off, Default)"."""
    parts = []
    for flt in filters:
        if flt.op != "in":
            parts.append(flt.describe())
            continue
        why = getattr(flt, "why", "")  # a column chosen among several keeps its note
        parts.append(f"{flt.column}{listed}{' or '.join(map(str, flt.values))}" + (f" ({why})" if why else ""))
    return " and ".join(parts)


def spoken_label(spec: Any) -> str:
    """A percentage's label as written in an answer ("share with Survived = 1 (%)"), not the name of its column in
    the rows ("% Survived = 1", which stays the rows' and the query's name); other labels as they are."""
    if spec.agg == "rate" and spec.label.startswith("% "):
        return f"share with {condition_words(spec.condition)} (%)"
    if spec.agg == "share" and spec.label.startswith("% of "):
        return f"share of {spec.measure} from rows with {condition_words(spec.condition)} (%)"
    if spec.agg == "part":  # "Share of all rows (%), by Department: Sales (30.07), …"
        return f"share of the total {spec.measure} (%)" if spec.measure else "share of all rows (%)"
    return said_once(spec)


def said_once(spec: Any) -> str:
    """"Total Volume by month", not "Total Total Volume": a column whose name starts with the statistic says it."""
    said = AGG_NAMES.get(spec.agg)
    words = column_words(spec.measure or "").split()
    return spec.measure if said and spec.label == f"{said} {spec.measure}" and words[:1] == [said] else spec.label


def _by(spec: Any) -> str:
    """"Share with Survived = 1 (%), by Pclass": a comma keeps the label's own words apart from the grouping."""
    return ", by" if spec.agg in ("rate", "share", "part") and spoken_label(spec) != spec.label else " by"


def _lookup_sentence(chosen: Plan, rows: list[dict[str, Any]], where: str) -> str:
    columns = list(chosen.spec.select)
    if len(columns) == 1:
        values = list(dict.fromkeys(_fmt(r[columns[0]]) for r in rows))
        verb = "is" if len(values) == 1 else "are"
        return f"The {columns[0]}{where} {verb} {', '.join(values)}."
    parts = ["; ".join(f"{c} {_fmt(r[c])}" for c in columns) for r in rows[:10]]
    more = f" (and {len(rows) - 10} more rows)" if len(rows) > 10 else ""
    return f"{len(rows)} matching rows{where}: " + " | ".join(parts) + more + "."


def plural(noun: str, count: int) -> str:
    """A column named as its values: 'items', 'categories', 'Store IDs' ('sales' and 'status' kept as written)."""
    head, of, rest = noun.partition(" of ")
    if of and count != 1 and head in ("hour", "weekday"):  # "hours of tpep_pickup_datetime" ("hour of …datetimes")
        return f"{plural(head, count)} of {rest}"
    if count == 1 or noun.lower().endswith("s"):
        return noun
    if re.search(r"[a-z](?:ed|ing)$", noun.lower()):  # "Embarked" is no noun: "Embarked values", not "Embarkeds"
        return f"{noun} values"
    if re.search(r"[^aeiou]y$", noun.lower()):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.lower().endswith(("x", "ch", "sh")) else "s")


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def partial_period(chosen: Plan, table: TableContext) -> dict[str, Any] | None:
    """"In 2016" where the data starts on 2016-07-01: the part of the asked period the data covers, when it
    misses more than the usual gap between its dates at either end; None when it covers it all (or no part)."""
    for column in {f.column for f in chosen.spec.filters if table.is_date(f.column)}:
        start = next((_day(f.value) for f in chosen.spec.filters if f.column == column and f.op == ">="), None)
        end = next((_day(f.value) for f in chosen.spec.filters if f.column == column and f.op == "<"), None)
        known = sorted({d for d in map(_day, table.values.get(column, [])) if d is not None})
        if not (start and end and len(known) > 1):
            continue
        gap = sorted(b - a for a, b in zip(known, known[1:]))[(len(known) - 1) // 2]
        last = end - timedelta(days=1)
        low, high = max(start, known[0]), min(last, known[-1])
        if low <= high and (low - start > gap or last - high > gap):
            return {"column": column, "first": low.isoformat(), "last": high.isoformat()}
    return None


def with_coverage(answer: str, coverage: dict[str, Any] | None) -> str:
    if not coverage or answer.startswith(rules.CANNOT):
        return answer
    return f"{answer.rstrip('.')} (the data covers {coverage['first']} to {coverage['last']} only)."
