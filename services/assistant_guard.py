"""Conditions the assistant cannot apply yet, found before any query runs: an answer that silently drops
one ("total units excluding store 1" answered for store 1; "year 2016" answered for every year) is a wrong
number stated as fact, so the question is refused with what could not be used instead."""
from __future__ import annotations

import re
from dataclasses import replace

from domain import assistant as rules
from services.assistant_measures import refuse_unknown_measure
from services.assistant_mentions import repeated_id_words
from services.assistant_slots import CannotAnswer, Plan, is_flag, is_time_column, unused_words
from services.assistant_table import ROW_NOUNS, VERB_NOUNS, Parsed, TableContext, column_words, is_code
from services.assistant_values import is_list_column

# Exclusions: the query language has no "not equal"; a value after these words would be read as its opposite.
EXCLUDING = re.compile(r"\b(excluding|exclude|except|other than|others than|besides|apart from|aside from|not in|"
                       r"non)\b")
# "not" before a value ("housing is not rent"); before a yes/no column ("have not paid") it is understood.
NOT = re.compile(r"\b(is not|are not|isn t|aren t|not)\b")
# Periods the date reader does not take: a year not written "in 2016", year-months, fiscal years, weeks,
# quarters, and "the last 30 days" (which would read as "the 30 lowest").
PERIODS = re.compile(r"\b(fy\s?\d{2,4}|(?:19|20)\d{2}-\d{1,2}|(?:19|20)\d{2}|week\s+\d{1,2}|q[1-4])\b")
RELATIVE = re.compile(r"\b(?:last|past|previous|next)\s+\d+\s+(?:days?|weeks?|months?|quarters?|years?)\b|"
                      r"(?<!the )\b(?:last|this|past|previous|current)\s+(?:day|week|month|quarter|year)\b(?!\s+of\b)|"
                      r"\b(?:yesterday|today|year to date|ytd|month to date|mtd)\b")  # "last month": of which date?
NUMBER = re.compile(r"(?<![\w.,])\d+(?:\.\d+)?(?![\w.])")
# Questions about the future: the data holds what happened; the retail desk's stored forecasts answer "forecast".
FUTURE = re.compile(r"^(will|is it going to|are .* going to)\b|\b(will|going to)\s+(?!of\b|and\b)\w+|"
                    r"\bnext (year|month|week|quarter|season)\b|\bin the future\b|\bpredict\w*\b")
# "Why" asks for causes; the data shows what happened ("why is csat low in DE" listed csat values of priority Low).
WHY = re.compile(r"^(why|how come)\b|\bwhy (is|are|do|does|did|was|were|has|have)\b")
# "which 3 employees have the highest income": a list of rows ranked, which the plans do not make (it was
# answered with the single highest value).
ROWS_RANKED = re.compile(r"\b(\d{1,3})\s+(?:[a-z]+\s+)??([a-z]+s)\b.*\b(highest|lowest|largest|smallest|biggest|"
                         r"most|least|best|worst)\b")  # "3 destination airports … the most": airports ranked
# Verbs that say which rows count ("employees in sales who left", "customers who churned"): unless a column or
# value of the table carries them, dropping them answers for every row ("in sales left": all of Sales).
STATUS_VERBS = re.compile(r"\b(left|leave|leaving|quit|quitting|resigned|churned|churn|died|deceased|defaulted|"
                          r"cancell?ed|fired|dismissed|dropped out|failed|broke down|survived|defected|lose|lost|"
                          r"losing)\b")


def unsupported(parsed: Parsed, table: TableContext | None = None) -> list[str]:
    """What the question asks that the plan would drop, each as a short phrase; empty when nothing is."""
    text = parsed.text
    spans = [(m.start, m.end) for m in parsed.columns] + list(parsed.used)

    def free(start: int) -> bool:
        return not any(s <= start < e for s, e in spans)

    found = []
    values = [s for s, _ in parsed.used]
    columns = [m.start for m in parsed.columns]
    negatable = {m.start for m in parsed.columns if table is not None and is_flag(table, m.column)}
    for pattern, starts in ((EXCLUDING, values + columns), (NOT, values)):
        for match in pattern.finditer(text):
            if (pattern is NOT or match.group(0) == "non") and match.end() + 1 in negatable:
                continue  # "passengers who did not survive", "non smokers": a yes/no column read with its negation
            if free(match.start()) and _within_three_words(text, match.end(), starts):
                found.append(f"'{match.group(0)}' (I can only keep values, not leave them out)")
    found += [f"'{m.group(0)}' (as a period)" for m in PERIODS.finditer(text) if free(m.start())]
    found += [f"'{m.group(0)}' (a period counted back from the last date)" for m in RELATIVE.finditer(text)
              if free(m.start())]  # "last quarter" the date reader took from the data's last date
    found += [f"'{m.group(0)}' (name the column and value that record it, e.g. 'attrition yes')"
              for m in STATUS_VERBS.finditer(text) if free(m.start())]
    listed = ROWS_RANKED.search(text)
    # "which 3 items sold the most" ranks 3 groups of a column; "which 3 employees …" names rows, not groups
    rows_named = listed and re.search(rf"\b(?:which|what)\s+{listed.group(1)}\s+{listed.group(2)}\b", text) \
        and not any(m.start == listed.start(2) for m in parsed.columns)
    if listed and free(listed.start()) and (rules.top_k(text) is None or rows_named):
        found.append(f"'{listed.group(1)} {listed.group(2)}' (I can name the one with the highest or lowest value, "
                     "or rank groups: 'top 3 departments by average income')")
    numbers = [m.group(0) for m in NUMBER.finditer(text) if free(m.start()) and not (listed and m.start() ==
                                                                                        listed.start())]
    if numbers and not parsed.problems:  # "items 1, 2 and 3": only the first of a list taken; "5 years at
        # company": no column took it (a number a column did not hold is already a problem, said as such)
        how = "more values of a column are written 'item 1 or item 2'" if parsed.filters else \
            "a number follows its column: 'quantity N', 'quantity at least N'"
        found.append(f"{', '.join(repr(n) for n in numbers)} ({how})")
    return found


def refuse_unsupported(parsed: Parsed, table: TableContext | None = None) -> None:
    """CannotAnswer naming what ``unsupported`` found, if anything."""
    dropped = unsupported(parsed, table)
    if dropped:
        raise CannotAnswer(f"{rules.CANNOT}: I could not apply {'; '.join(dropped)}, and answering without "
                           f"{'it' if len(dropped) == 1 else 'them'} would answer another question.")


def refuse_future(parsed: Parsed) -> None:
    """"Will oncology costs go up next year?" listed last year's costs: the data cannot say what will happen.
    Words inside a column's name ("predicted_rul", "next_month_sales") are the column's."""
    spans = [(m.start, m.end) for m in parsed.columns] + list(parsed.used)
    match = next((m for m in FUTURE.finditer(parsed.text) if not any(s <= m.start() < e for s, e in spans)), None)
    if match:
        raise CannotAnswer(f"{rules.CANNOT}: '{match.group(0).strip()}' asks about the future, and the data only "
                           "holds what happened. Ask about the data (e.g. 'total cost by year'); the retail desk's "
                           "forecasts answer 'forecast for …'.")


def refuse_why(text: str) -> None:
    match = WHY.search(text)
    if match:
        raise CannotAnswer(f"{rules.CANNOT}: '{match.group(0)}' asks for a cause, and the data shows what happened, "
                           "not why. Compare groups instead, e.g. 'average <measure> by <column>'.")


def _within_three_words(text: str, end: int, starts: list[int]) -> bool:
    """A value or column the question names starts within three words after ``end``."""
    window = re.match(r"(?:\s*[\w\-]+){0,3}", text[end:])
    stop = end + (window.end() if window else 0)
    return any(end <= s <= stop for s in starts)


def refuse_lines_for_ids(parsed: Parsed, table: TableContext, chosen: Plan) -> None:
    """"how many orders", "average line_total per order", "% of orders returned" on a table of order lines
    (order_id repeats): over rows the answer is about lines (3,590 rows for 1,200 orders). Grouping by the id
    or counting its distinct values is fine."""
    used = {chosen.spec.group_by, chosen.target, chosen.spec.measure if chosen.spec.agg == "count_distinct" else None,
            chosen.spec.extra.get("per_id")}  # "average quantity per invoice": summed per InvoiceNo first
    for word, column in repeated_id_words(parsed.text, table):
        if column not in used:
            raise CannotAnswer(f"{rules.CANNOT}: '{word}' would count rows, but {column} repeats over rows (one "
                               f"{rules.singular(word)} spans several): ask for the number of distinct {column}, "
                               f"or group by {column} first (e.g. 'total … by {column}').")


def refuse_latest_value(parsed: Parsed, table: TableContext, chosen: Plan) -> None:
    """"the latest balance" is the balance at the latest date, not the largest one (53,962 where the last was
    39,271); "the latest date" or "the latest release year" is the largest date or year, which is fine."""
    when = re.search(r"\b(latest|earliest|newest|most recent|current|last(?!\s+(?:year|month|week|quarter|day|"
                     r"\d)))\b", parsed.text)
    measure = chosen.spec.measure
    if when and chosen.spec.agg in ("max", "min") and measure and not is_time_column(table, measure):
        raise CannotAnswer(f"{rules.CANNOT}: '{when.group(1)} {measure}' is the {measure} at the {when.group(1)} "
                           f"date, not its {'largest' if chosen.spec.agg == 'max' else 'smallest'} value; I can "
                           f"give the {measure} on a date you name, or its maximum or minimum.")


SHARE_FROM = re.compile(r"\b(?:share|percentage|percent|proportion|fraction) of (?:the |our |all )?([a-z]+) "
                        r"(?:came |comes |come |coming )?from\b")


def refuse_unnamed_share(parsed: Parsed, table: TableContext, unused: list[str]) -> None:
    """"share of revenue from the UK" with no revenue column: a share of rows would answer another question."""
    shared = SHARE_FROM.search(parsed.text)
    if shared and shared.group(1) in unused:
        raise CannotAnswer(f"{rules.CANNOT}: no column of '{table.name}' matches '{shared.group(1)}'; the share "
                           "of rows would answer another question. Name the column to share out.")


def list_groups(table: TableContext, chosen: Plan) -> Plan:
    """"top 5 artists by number of tracks" where a cell lists several artists: each artist listed is a group
    (the query splits the lists), and the reply says so; whole cells would count "Drake, Dua Lipa" apart from
    "Drake" (Drake's 125 where he is on 331 tracks)."""
    column = chosen.spec.group_by if not chosen.spec.grain else None
    if not column or not is_list_column(table, column):
        return chosen
    return replace(chosen, notes=chosen.notes + (f"each {column} listed in a row counted on its own",))


def qualified_noun(parsed: Parsed, word: str) -> bool:
    """A plural noun right after a value the question used ("male swimmers", "Sales managers"): the value only
    qualifies it, so the noun is a condition of its own and answering without it answers for every male."""
    return word.endswith("s") and any(re.match(rf"\s+{re.escape(word)}\b", parsed.text[end:])
                                      and not parsed.text[:end][-1:].isdigit()  # "more than 15 minutes"
                                      for _, end in parsed.used)


def _picks_rows(parsed: Parsed, word: str) -> bool:
    """A word right before what the rows are ("young applicants", "rich customers", "old machines") picks some of
    them: "how many young applicants are bad risk" counted every bad one (300)."""
    return word not in ROW_NOUNS and any(rules.singular(m.group(1)) in ROW_NOUNS for m in re.finditer(
        rf"\b{re.escape(word)}\s+([a-z]+s)\b", parsed.text))


def _value_word(table: TableContext, word: str) -> bool:
    """A word of a stored text value that matched no whole value ("entire homes" beside "Entire home/apt" and
    "Manhattan"): dropping it counted all of Manhattan's listings."""
    said = {word, rules.singular(word)}
    if any(len(w) >= 4 and (word.startswith(w) or w.startswith(word)) for c in table.columns
           for w in column_words(c).split()):
        return False  # "deals closed in 2023": the verb of the Close Date column, read by the dates
    return any(isinstance(v, str) and len(v) <= 80 and said & set(rules.normalise(v).split())
               for column, values in table.values.items() for v in values if not table.is_numeric(column))


def _refuse_counted_amount(parsed: Parsed, table: TableContext, chosen: Plan, used: set) -> None:
    """"How many people were vaccinated in Japan?" names people_vaccinated, an amount per row: counting Japan's
    487 rows answers another question (the amount is no condition and no count of rows)."""
    if chosen.intent != "count" or chosen.spec.agg != "count" or chosen.spec.group_by:
        return
    amounts = [m.column for m in parsed.columns if m.column not in used and table.is_numeric(m.column)
               and not is_flag(table, m.column) and not is_code(m.column) and not table.unique.get(m.column)
               and not is_time_column(table, m.column)
               and not re.search(r"\b(?:a|an|per|each)\s+$", parsed.text[:m.start])]  # "under $100 a night"
    if amounts:
        raise CannotAnswer(f"{rules.CANNOT}: {amounts[0]} holds an amount on each row, not rows to count; ask for "
                           f"its total, maximum or average, or give a condition on it (e.g. '{amounts[0]} over …').")


# Verbs of a sale, said of a measure that records what was sold ("total quantity sold", "units ordered")
TRADE_VERBS = frozenset("sold sell bought purchased ordered shipped delivered".split())
TRADED = frozenset("quantity qty units unit sales sale revenue amount".split())
# An outcome said as a verb ("how many loans were approved in 2017"): a condition even beside a date's
OUTCOME_VERBS = frozenset(w for w in (*VERB_NOUNS, *VERB_NOUNS.values()) if w.endswith("ed"))


def refuse_unused(parsed: Parsed, table: TableContext, chosen: Plan) -> None:
    """A count or statistic over every row that leaves words of the question unused ("how many customers
    defaulted": 1,000 rows) answers another question; so does one that drops an asked measure with no column."""
    used = {chosen.spec.measure, chosen.target} | {f.column for f in chosen.spec.filters}
    unused = unused_words(parsed, table)
    if set(column_words(chosen.spec.measure or "").split()) & TRADED:  # "total quantity sold": the verb of it
        unused = [w for w in unused if w not in TRADE_VERBS]
    had = [parsed.text[m.start:m.end] for m in parsed.columns if m.column not in used  # "have no age": no value
           and re.search(r"\b(have|has|had|with|without|no|not|on)\s+(?:(?:a|an|the)\s+)?$", parsed.text[:m.start])]
    refuse_unknown_measure(parsed, table, unused + had)
    _refuse_counted_amount(parsed, table, chosen, used)
    if chosen.spec.filters:  # beside a condition, a name written capitalised ("Southwest", "LGA") is one too
        unused = [w for w in unused if w in parsed.proper or qualified_noun(parsed, w) or _value_word(table, w)
                  or w in OUTCOME_VERBS or _picks_rows(parsed, w)]  # it counted the sales table's rows of 2017
    unused += had  # …and a column said to be had or not, with no value, is dropped whatever else is kept
    if unused:
        raise CannotAnswer(f"{rules.CANNOT}: I could not use {', '.join(repr(w) for w in unused)} from the "
                           f"question as a column, value or condition of '{table.name}', and answering without "
                           f"{'it' if len(unused) == 1 else 'them'} would answer another question.")


def refuse_unused_population(parsed: Parsed, table: TableContext) -> None:
    """"average fare of vegetarians by sex", "which sex … among smokers": a plural noun after of/among/for that
    names no column or value picks rows the query cannot pick; grouping every row answers another question."""
    quantified = r"(?<!most )(?<!many )(?<!all )(?<!some )(?<!each )(?<!any )(?<!half )(?<!one )(?<!few )"
    dated = {rules.singular(w) for c in table.columns if table.is_date(c) for w in column_words(c).split()}
    population = [w for w in unused_words(parsed, table) if w.endswith("s") and not w.endswith("ss") and re.search(
        rf"\b(?:{quantified}of|among|amongst|for|from)\s+(?:the\s+|all\s+)?{re.escape(w)}\b", parsed.text)
        and rules.singular(w) not in dated]  # "busiest hour for pickups": the events tpep_pickup_datetime dates
    if population:
        raise CannotAnswer(f"{rules.CANNOT}: I could not use {', '.join(repr(w) for w in population)} from the "
                           f"question as a column, value or condition of '{table.name}', and answering for every "
                           "row would answer another question.")
