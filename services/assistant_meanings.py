"""Words of a question that name what a column means rather than the column itself: "employees who left" for a
yes/no column Attrition, "flights that arrived late" for ARR_DELAY above 0, "readmitted within 30 days" for a
value "<30", "over $100" for the table's one money column. Each reading is said in the reply's conditions, so
the user sees what a word was taken to mean; where the table offers several readings, the question is refused
naming them (a guess would state a wrong number as fact).
"""
from __future__ import annotations

import re
from typing import Any

from data.query_spec import Filter
from domain import assistant as rules
from services.assistant_table import Mention, TableContext, column_words, expanded_words
from services.assistant_units import unit_carriers

# Verbs saying which rows count, and the words of a yes/no column's name that record them. ``True`` marks the
# column's "yes" rows, ``False`` its "no" rows ("passengers who died" are Survived = 0).
LEAVING = frozenset("attrition attrited churn churned exited exit left quit resigned turnover leaver".split())
DYING = frozenset("death died deceased dead mortality fatal".split())
SURVIVING = frozenset("survived survival survive alive".split())
STATUS_MEANINGS: tuple[tuple[re.Pattern, tuple[tuple[frozenset, bool], ...]], ...] = (
    (re.compile(r"\b(left|leave|leaving|quit|quitting|resigned|churned|defected|attrited|exited|leavers|churners)\b"),
     ((LEAVING, True),)),
    (re.compile(r"\b(stayed|stay|remained|retained)\b"), ((LEAVING, False),)),
    (re.compile(r"\b(died|deceased|dead|passed away)\b"), ((DYING, True), (SURVIVING, False))),
    (re.compile(r"\b(survived|survive|surviving|survivors?)\b"), ((SURVIVING, True), (DYING, False))),
    (re.compile(r"\b(defaulted|defaulting|defaulters?)\b"),
     ((frozenset("default defaulted delinquent".split()), True),)),
    (re.compile(r"\b(cancell?ed)\b"), ((frozenset("cancelled canceled cancellation cancel".split()), True),)),
    (re.compile(r"\b(converted)\b"), ((frozenset("converted conversion".split()), True),)),
)
NEGATED = re.compile(r"\b(not|never|didn t|didnt|did not|haven t|hasn t|no)\s+(?:\w+\s+)?$")
YES = frozenset("yes y true 1 1.0".split())
NO = frozenset("no n false 0 0.0".split())

Found = tuple[int, int, Filter, str]  # where the words are, the filter they mean, the note saying so


def _taken(start: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start < e for s, e in spans)


def yes_no_values(table: TableContext, column: str) -> tuple[Any, Any] | None:
    """(yes value, no value) as stored, for a column holding only yes/no, true/false or 0/1."""
    if "BOOL" in table.types.get(column, "").upper():
        return True, False
    values = table.values.get(column) or []
    if not values or len(values) > 2:
        return None
    yes = next((v for v in values if rules.normalise(v) in YES), None)
    no = next((v for v in values if rules.normalise(v) in NO), None)
    if yes is None or len(values) != (yes is not None) + (no is not None):
        return None
    return yes, (no if no is not None else (0 if table.is_numeric(column) else "No"))


def status_filters(text: str, table: TableContext, spans: list[tuple[int, int]],
                   named: set[str]) -> tuple[list[Found], list[str]]:
    """"employees who left": Attrition = Yes; "passengers who died": Survived = 0. Only a verb no column or value
    took, and only where one yes/no column of the table records it; several are a problem naming them."""
    found, problems = [], []
    for pattern, meanings in STATUS_MEANINGS:
        for match in pattern.finditer(text):
            if _taken(match.start(), spans):
                continue
            hits = [(c, keep) for words, keep in meanings for c in table.columns
                    if set(column_words(c).split()) & words and yes_no_values(table, c) is not None]
            if len({c for c, _ in hits}) > 1:
                problems.append(f"'{match.group(0)}' could be recorded by {' or '.join(c for c, _ in hits)}; "
                                "name the one you mean")
            if len(hits) != 1 or hits[0][0] in named:
                continue
            column, keep = hits[0]
            negated = NEGATED.search(text[:match.start()])  # "did not leave": the negation is read with it
            start = negated.start() if negated else match.start()
            yes, no = yes_no_values(table, column)
            flt = Filter(column, "=", yes if keep != bool(negated) else no)
            both = BOTH_SIDES.match(text[match.end():])  # "left vs not": each side, grouped by the column
            end = match.end() + (both.end() if both else 0)
            flt = Filter(column, "in", values=(flt.value, no if flt.value == yes else yes)) if both else flt
            found.append((start, end, flt, f"{flt.describe()} (for '{text[start:end]}')"))
    found = _both_sides(found, text)
    defaults, default_problems = _default_values(text, table, spans, named)
    defaults = [d for d in defaults if not any(s <= d[0] < e for s, e, *_ in found)]  # a yes/no column took it
    found += _with_columns(text, table, spans, named)
    return found + _negated_columns(text, table, spans, named) + defaults, problems + default_problems


def _with_columns(text: str, table: TableContext, spans: list[tuple[int, int]], named: set[str]) -> list[Found]:
    """"customers with online security" where OnlineSecurity holds Yes, No and No internet service: = Yes, and
    "without online security" != Yes; the note names the other values (it was refused)."""
    found = []
    for column in table.columns:
        values = [] if table.is_numeric(column) or column in named else table.values.get(column) or []
        yes = [v for v in values if rules.normalise(v) in YES]
        if len(yes) != 1 or not 3 <= len(values) <= 10 or not all(
                v in yes or rules.normalise(v).split()[:1] == ["no"] for v in values):
            continue
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(column_words(column))}(?![a-z0-9])", text):
            cue = re.search(r"\b(with|without|having|have|has|had)\s+(?:(no|an?|the)\s+)?$", text[:match.start()])
            if cue is None or _taken(cue.start(), spans) or re.match(r"\s+(?:yes|no)\b", text[match.end():]):
                continue
            flt = Filter(column, "!=" if "without" == cue.group(1) or cue.group(2) == "no" else "=", yes[0])
            others = ", ".join(str(v) for v in values if v != yes[0])
            found.append((cue.start(), match.end(), flt,
                          f"{flt.describe()} (for '{text[cue.start():match.end()]}'; the others are {others})"))
    return found


BOTH_SIDES = re.compile(r"\s*(?:vs|versus|or|and|compared (?:to|with))\s+(?:those\s+)?(?:who\s+)?(?:did\s+)?"
                        r"(?:not|n t)\b(?!\s+(?:leave|left|quit|stay|stayed|survive|survived|die|died)\b)")


def _both_sides(found: list[Found], text: str) -> list[Found]:
    """"Employees who left and who stayed": two values of one yes/no column are a comparison of both (an "in"
    filter the plan groups by); applied together they matched no row."""
    merged: list[Found] = []
    for start, end, flt, note in found:
        same = next((i for i, f in enumerate(merged) if f[2].column == flt.column), None)
        if same is None or flt.op != "=" or merged[same][2].op != "=" or merged[same][2].value == flt.value:
            merged.append((start, end, flt, note))
            continue
        first = merged[same]
        both = Filter(flt.column, "in", values=(first[2].value, flt.value))
        low, high = min(first[0], start), max(first[1], end)
        merged[same] = (low, high, both, f"{both.describe()} (for '{text[low:high]}')")
    return merged


# "default rate", "bad rate", "share of defaults", "charge-off rate": the rows of a loan book whose outcome column
# holds a default value ("Charged Off"), where no column or value took the words. It was refused ("which rows?")
# while "% Charged Off by grade" was answered.
DEFAULTS = re.compile(r"\b(?:(default|bad|charge off|charge-off|chargeoff|write off|write-off|delinquency)\s+rates?"
                      r"|(?:rate|share|percentage|percent|proportion|number|count) of (defaults|bad loans|"
                      r"charge-offs|charge offs|charged off loans|written off loans|delinquencies)|(defaulted))\b")
DEFAULT_VALUES = frozenset(("charged off", "charge off", "chargeoff", "default", "defaulted", "bad", "written off",
                            "write off", "delinquent"))


def _default_values(text: str, table: TableContext, spans: list[tuple[int, int]],
                    named: set[str]) -> tuple[list[Found], list[str]]:
    match = DEFAULTS.search(text)
    if match is None or _taken(match.start(), spans):
        return [], []
    hits = {c: [v for v in table.values.get(c) or [] if isinstance(v, str) and rules.normalise(v) in DEFAULT_VALUES]
            for c in table.columns if c not in named and not table.is_numeric(c)}
    hits = {c: values for c, values in hits.items() if values}
    if len(hits) != 1:
        return [], [f"'{match.group(0)}' could be read on {' or '.join(hits)}; name the column and value you "
                    "mean"] if hits else []
    column, values = next(iter(hits.items()))
    flt = Filter(column, "=", values[0]) if len(values) == 1 else Filter(column, "in", values=tuple(values))
    return [(match.start(), match.end(), flt, f"{flt.describe()} (for '{match.group(0)}')")], []


def _negated_columns(text: str, table: TableContext, spans: list[tuple[int, int]], named: set[str]) -> list[Found]:
    """"patients not readmitted" where readmitted holds NO, <30 and >30: the one no-like value, the others being
    kinds of yes; the note names them, so the reading is seen."""
    found = []
    for column in table.columns:
        values = [] if table.is_numeric(column) or column in named else table.values.get(column) or []
        no = [v for v in values if rules.normalise(v) in NO | {"none", "never"}]
        if len(no) != 1 or not 3 <= len(values) <= 10:
            continue
        for match in re.finditer(rf"(?<![a-z0-9]){re.escape(column_words(column))}(?![a-z0-9])", text):
            negated = NEGATED.search(text[:match.start()])
            if negated and not _taken(negated.start(), spans):
                flt, others = Filter(column, "=", no[0]), ", ".join(str(v) for v in values if v != no[0])
                said = text[negated.start():match.end()]
                found.append((negated.start(), match.end(), flt,
                              f"{flt.describe()} (for '{said}'; {others} are the other values)"))
    return found


# "late", "delayed", "on time", "early": a delay column's sign. Arrival or departure words say which one.
LATE = re.compile(r"\b(late|delayed|on time|on-time|early|ahead of schedule)\b")
ARRIVING = re.compile(r"\b(arriv\w*|landed|landing|reached)\b")
DEPARTING = re.compile(r"\b(depart\w*|left|leaving|took off|take off)\b")


def _delay_columns(table: TableContext) -> list[str]:
    return [c for c in table.columns if table.is_numeric(c) and {"delay", "late", "lateness"} & {
        w for words in expanded_words(c) for w in words}]


def _end(column: str) -> str | None:
    words = {w for variant in expanded_words(column) for w in variant}
    return "arrival" if "arrival" in words else "departure" if "departure" in words else None


def delay_mentions(text: str, table: TableContext, spans: list[tuple[int, int]]
                   ) -> tuple[list[tuple[Mention, Filter, str]], list[str], list[tuple[int, int]]]:
    """(mention, filter, note) for "arrived late" (ARR_DELAY > 0), "departed on time" (DEP_DELAY <= 0): the mention
    lets "more than 15 minutes late" bind its number to the column instead; the filter is used otherwise. Also
    the problems, and the spans of the arrival or departure words read ("left late" is no employee leaving)."""
    columns = _delay_columns(table)
    found, problems, cues = [], [], []
    for match in LATE.finditer(text):
        if not columns or _taken(match.start(), spans):
            continue
        arriving, departing = ARRIVING.search(text), DEPARTING.search(text)
        wanted = "arrival" if arriving and not departing else "departure" if departing and not arriving else None
        chosen = [c for c in columns if _end(c) == wanted] if wanted else []
        chosen = chosen or ([columns[0]] if len(columns) == 1 else [])
        if len(chosen) != 1:
            ends = [c for c in columns if _end(c)] or columns
            problems.append(f"'{match.group(0)}' could be read on {' or '.join(ends)}; say e.g. 'arrived "
                            f"{match.group(0)}' or 'departed {match.group(0)}'")
            continue
        word = match.group(0)
        op = "<" if word == "early" or word.startswith("ahead") else "<=" if "time" in word else ">"
        flt = Filter(chosen[0], op, 0)
        meaning = {">": "above 0 minutes", "<": "below 0 minutes", "<=": "0 minutes or less"}[op]
        found.append((Mention(match.start(), match.end(), chosen[0]), flt,
                      f"{flt.describe()} ('{word}' taken as {chosen[0]} {meaning})"))
        cues += [m.span() for m in (arriving, departing) if m and not _taken(m.start(), spans)]
    return found, problems, cues


WITHIN = re.compile(r"\b(within|inside of|inside|in under|in less than|less than|under|fewer than|before)\s+"
                    r"(\d+)\b")
BEYOND = re.compile(r"\b(after|more than|over|beyond|later than|longer than)\s+(\d+)\b")


def bounded_values(text: str, table: TableContext, mentions: list[Mention],
                   spans: list[tuple[int, int]]) -> list[tuple[int, int, str, Any]]:
    """"readmitted within 30 days" where a text column holds "<30" (and "after 30 days" for ">30"): that value,
    in the column named, else the one column holding it."""
    found = []
    for pattern, sign in ((WITHIN, "<"), (BEYOND, ">")):
        for match in pattern.finditer(text):
            if _taken(match.start(), spans):
                continue
            key = f"{sign}{match.group(2)}"
            hits = [(c, v) for c, values in table.values.items() if not table.is_numeric(c)
                    for v in values if isinstance(v, str) and re.sub(r"\s+", "", v) == key]
            named = [h for h in hits if any(m.column == h[0] for m in mentions)]
            if not named and unit_carriers(text, match.end(), table)[1]:
                continue  # "encounters that lasted more than 7 days": time_in_hospital, not A1Cresult ">7"
            chosen = named or hits
            if len({c for c, _ in chosen}) == 1:
                found.append((match.start(), match.end(), chosen[0][0], chosen[0][1]))
    return found


CURRENCY = re.compile(r"[$€£¥]\s*(\d[\d,]*(?:\.\d+)?)|"
                      r"(\d[\d,]*(?:\.\d+)?)\s*(?:[$€£¥]|dollars?|euros?|pounds?|usd|eur|gbp)\b", re.IGNORECASE)
MONEY_WORDS = frozenset("amount amt total cost value price revenue payment paid spend spending charge fee fare "
                        "balance sum sales".split())


def money_note(flt: Filter, column: str) -> str:
    return f"{flt.describe()} (the amount taken from {column}, the only money column)"


def money_amounts(question: str) -> set[float]:
    """"over $100", "more than 50 dollars", "under $1,200": the numbers written as amounts of money; so are those
    after a verb of paying ("paid more than 100", "spent over 50", "cost less than 20")."""
    written = {float((m.group(1) or m.group(2)).replace(",", "")) for m in CURRENCY.finditer(question)}
    return written | {float(m.group(2).replace(",", "")) for m in MONEY_VERB.finditer(question)}


_BOUND = (r"\s+(?:(?:more|less|fewer) than|over|under|above|below|at least|at most|between|exactly|only)?"
          r"\s*[$€£¥]?\s*")
MONEY_VERB = re.compile(rf"\b(paid|pay|pays|paying|spent|spend|spends|cost|costs|costing|priced|charged){_BOUND}"
                        r"(\d[\d,]*(?:\.\d+)?)", re.IGNORECASE)
EARN_VERB = re.compile(rf"\b(earn|earns|earned|earning|makes|made){_BOUND}(\d[\d,]*(?:\.\d+)?)", re.IGNORECASE)
PAY_WORDS = frozenset("income salary wage wages pay compensation earnings".split())
NOT_PAY = frozenset("percent pct rate ratio hike increase change growth".split())  # PercentSalaryHike is no pay


def money_bound(question: str, table: TableContext) -> tuple[str | None, set[float]]:
    """The column amounts of money in the question go to, and those amounts: the one money column, or for
    "earn more than 15000" the one pay column (MonthlyIncome; a rate such as MonthlyRate is not the pay)."""
    earned = {float(m.group(2).replace(",", "")) for m in EARN_VERB.finditer(question)}
    pay = [c for c in table.columns if table.is_number(c) and set(column_words(c).split()) & PAY_WORDS
           and not set(column_words(c).split()) & NOT_PAY]
    if earned and len(pay) == 1:
        return pay[0], earned | money_amounts(question)
    amounts = money_amounts(question)
    return (amount_column(table) if amounts else None), amounts


def amount_column(table: TableContext) -> str | None:
    """The one column an amount of money is compared with: the one numeric column named as money (a price too,
    which is never added up but is compared), else None."""
    named = [c for c in table.columns if table.is_number(c) and set(column_words(c).split()) & MONEY_WORDS]
    return named[0] if len(named) == 1 else None
