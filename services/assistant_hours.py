"""Hours of the day and days of the week ("number of trips by hour", "which hour has the most pickups",
"average fare by hour of day", "trips by day of week"): buckets over all dates, not clock hours or calendar days.

An hour needs a time of day: a table whose dates hold none (dates, or timestamps that are all midnight) is refused in
words rather than put at hour 0. Where the table has several timestamps (pickup and dropoff), a word of one's name in
the question picks it ("dropoffs"), and the reply says whose hours they are. "Hourly trips" is "trips by hour" where
a timestamp holds times of day; elsewhere "hourly" is left to the words around it ("average hourly wage")."""
from __future__ import annotations

import re
from dataclasses import replace

from data import query_probes as probes
from domain import assistant as rules
from services.assistant_buckets import Grain, _rows_counted
from services.assistant_slots import CannotAnswer
from services.assistant_table import Mention, Parsed, TableContext, column_words

CYCLES = ("hour", "weekday")
HOUR_NAMES = frozenset("hr hour hours hod".split())  # UCI bike sharing's "hr"
PLAIN = frozenset("date time datetime timestamp at on day ts dt tpep lpep".split())
# "hourly wage", "hourly rate": an amount per hour worked, not each hour of the day
HOURLY = re.compile(r"\bhourly\b(?!\s+(?:rates?|wages?|pay|salary|salaries|earnings|charges?|costs?|prices?|fees?)\b)")


def hourly(parsed: Parsed, table: TableContext, free: list[Mention], entity: Mention | None) -> Grain | None:
    """"Hourly trips", "hourly fare": each hour of the day, where a timestamp holds times of day (the first, or
    the one a word of the question names); dates without times are refused below. A question ranking something else
    ("which vendor has the highest hourly fare") is refused: the word "hourly" was silently dropped."""
    found = HOURLY.search(parsed.text)
    if found is None or any(m.start <= found.start() < m.end for m in parsed.columns):
        return None
    if entity is not None and not table.is_date(entity.column) and any(m.column != entity.column for m in free):
        # the word was dropped: "VendorID 2 has the highest total fare_amount"; an amount per hour is not computed
        raise CannotAnswer(f"{rules.CANNOT}: I cannot compute an amount per hour (of trip time or of work) for "
                           f"each {entity.column}; ask 'which {entity.column} has the highest average …', or "
                           "'… by hour' for the hours of the day.")
    dates = [c for c in table.columns if table.is_date(c)]
    stamps = [c for c in dates if _is_stamp(table, c)]
    return Grain("hour", (stamps or dates)[0], "per") if dates else None  # dates alone: refused, naming why


WHEN = re.compile(r"^when\b|\b(?:and|,)\s*when\s*$")


def when_asked(parsed: Parsed, table: TableContext, keyed: tuple, direction: str | None) -> Grain | None:
    """"What was the highest price and when", "when was the price lowest": the day of the extreme, as "… and on
    which date" is; the date was dropped ("The maximum of Price is 182.45"). Only with a highest or lowest asked
    and nothing else named to rank (``keyed``: the group and the entity)."""
    dates = [c for c in table.columns if table.is_date(c)]
    if direction is None or any(keyed) or not dates or not WHEN.search(parsed.text):
        return None
    named = [m.column for m in parsed.columns if m.column in dates]
    return Grain("day", (named or dates)[0], "entity")


# "busiest pickup hour", "quietest day of the week", "which month is busiest": the bucket with the most rows
BUSY = re.compile(r"\b(busiest|most busy|quietest|slowest|least busy)\b")


def busiest(parsed: Parsed, table: TableContext, found: Grain | None, direction: str | None,
            entity: Mention | None = None):
    """The grain, direction and group of "busiest/quietest (pickup) hour/day/weekday/month": the bucket of a date
    column with the most (fewest) rows; without it "busiest hour" named no column and was refused. A grain already
    found ("which hour is quietest") keeps its own, the word giving only the direction; a column named by the bucket
    ("busiest month" of UCI bike sharing's `mnth`, "busiest hour" of its `hr` where `dteday` holds no times) is the
    group ranked (it was refused)."""
    word = BUSY.search(parsed.text)
    dates = [c for c in table.columns if table.is_date(c)]
    if word is None or (found is not None and found.role != "entity"):
        return found, direction, entity
    said = "max" if word.group(1) in ("busiest", "most busy") else "min"
    if found is None:
        grains = "|".join(sorted(rules.GRAINS, key=len, reverse=True))
        after = re.match(rf"\s+((?:[a-z]+\s+){{0,2}}?)({grains})\b", parsed.text[word.end():])
        at = word.end() + after.start(2) if after else 0
        if after is None or not set(after.group(1).split()) <= _words_of(dates) | {"pickup", "dropoff", "of", "the"}:
            return found, direction, entity
        named = next((m for m in parsed.columns if m.start <= at < m.end), None)
        hours = [c for c in table.columns if table.is_numeric(c) and set(column_words(c).split()) & HOUR_NAMES]
        if named is None and rules.GRAINS[after.group(2)] == "hour" and hours and \
                not any(_is_stamp(table, c) for c in dates):
            named = Mention(at, word.end() + after.end(2), hours[0])
        if named is not None:  # "busiest weekday" where weekday is a column: that column's values
            return None, said, entity or named
        if not dates:
            return found, direction, entity
        found = Grain(rules.GRAINS[after.group(2)], dates[0], "entity")
    return found, said, entity


def _words_of(columns: list[str]) -> set[str]:
    return {w for c in columns for w in column_words(c).split()} | {rules.singular(w) for c in columns for w in
                                                                   column_words(c).split()}


def hour_column(found: Grain | None, parsed: Parsed, table: TableContext) -> Mention | None:
    """"Number of rentals by hour" of UCI bike sharing, whose dates hold no times: its hour column `hr` (refused,
    naming it). Only where no column holds times of day and one numeric column is named as hours."""
    if found is None or found.grain != "hour" or clock_columns(table) or \
            any(_is_stamp(table, c) for c in table.columns if table.is_date(c)):
        return None
    hours = [c for c in table.columns if table.is_numeric(c) and set(column_words(c).split()) & HOUR_NAMES]
    said = re.search(r"\b(?:hours?|hourly)\b", parsed.text)  # where it is said: "casual by hour" follows the measure
    return Mention(said.start(), said.end(), hours[0]) if len(hours) == 1 and said else None


def hourly_of_column(found: Grain, table: TableContext, free: list[Mention], agg: str | None, entity: Mention | None,
                     direction: str | None) -> tuple[str | None, Mention | None]:
    """The statistic and entity of "what is the hourly cnt", "hourly rentals" where `hr` holds the hours: the one
    measure named, by hour (its total, or its average for a level), as "cnt by hour" is; the first was answered
    from the docs (or counted the distinct cnt values), the second refused."""
    measures = {m.column for m in free if table.is_number(m.column) and not set(column_words(m.column).split())
                & HOUR_NAMES}
    if found.role != "per" or agg or direction or len(measures) != 1:
        return agg, entity
    measure = next(iter(measures))
    return ("avg" if rules.is_level(measure) else "sum"), (None if entity and entity.column == measure else entity)


# Numeric columns holding a part of the date (UCI bike sharing's `hr`, `mnth`, `weekday`, `yr`, `season`)
TIME_PARTS = frozenset({"hr", "hour", "hours", "hod", "hour of day", "mnth", "month", "mo", "mon", "weekday", "dow",
                        "day of week", "qtr", "quarter", "yr", "year", "season", "week", "wk"})


def in_time_order(table: TableContext, chosen):
    """"Cnt by hour", "rentals per month" grouped by a column of hours or months: the groups in time order (0 … 23),
    as a date's buckets are; they were sorted by their figure. Rankings ("which hour …", "top 3 …") keep theirs."""
    spec = chosen.spec
    if chosen.intent != "group" or not spec.group_by or spec.grain \
            or not table.is_numeric(spec.group_by) or column_words(spec.group_by) not in TIME_PARTS:
        return chosen
    return replace(chosen, spec=replace(spec, order_by=spec.group_by, descending=False))


def with_time_of_day(grain, parsed: Parsed, table: TableContext, free: list[Mention]):
    """The grain found, its date column a timestamp for an hour; "per hour" groups by the hour of the day."""
    if grain is None or grain.grain not in CYCLES:
        return grain
    dates = [c for c in table.columns if table.is_date(c)]
    named = any(m.column == grain.column for m in free)
    if not named:
        stamps = [c for c in dates if _is_stamp(table, c)] if grain.grain == "hour" else dates
        worded = [c for c in stamps if _words(c) & {rules.singular(w) for w in parsed.text.split()}]
        chosen = (worded if len(worded) == 1 else stamps)[:1]
        grain = replace(grain, column=chosen[0]) if chosen else grain
    clocks = clock_columns(table)
    if grain.grain == "hour" and not _is_stamp(table, grain.column) and len(clocks) == 1:
        grain = replace(grain, column=clocks[0])  # supermarket sales' Date beside Time ("13:08"): the hours are Time's
    elif grain.grain == "hour" and not _is_stamp(table, grain.column):
        hours = [c for c in table.columns if table.is_numeric(c) and set(column_words(c).split()) & HOUR_NAMES]
        ask = f"ask by {hours[0]}, which holds hours" if hours else "ask by day, week or month instead"
        midnight = " (every time in it is midnight)" if "TIMESTAMP" in table.types.get(grain.column, "").upper() else ""
        raise CannotAnswer(f"{rules.CANNOT}: {grain.column} of '{table.name}' holds dates without a time of "
                           f"day{midnight}, so there is no hour to group by; {ask}.")
    if grain.role == "per":
        # "average fare per hour", "hourly trips": each hour of the day (or weekday) over all dates, as a table; an
        # average of its buckets would divide by 24 (or 7), not by the clock hours (or weeks) the data covers
        if _rows_counted(re.sub(r"\b(?:hourly|weekday)\s+", "", parsed.text)):
            raise CannotAnswer(f"{rules.CANNOT}: I group by the {_cycle(grain.grain)} over all dates, not by each "
                               f"clock {'hour' if grain.grain == 'hour' else 'day'}; ask e.g. 'number of rows by "
                               f"{'hour' if grain.grain == 'hour' else 'day of week'}'.")
        grain = replace(grain, role="group")
    return grain


CLOCK = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?\s*$")


def clock_columns(table: TableContext) -> list[str]:
    """Columns holding a time of day apart from the date: TIME, or text such as supermarket sales' "13:08"."""
    def clock(column: str) -> bool:
        sample = [str(v) for v in table.values.get(column, [])[:200]]
        return bool(sample) and sum(bool(CLOCK.match(s)) for s in sample) >= 0.9 * len(sample)
    return [c for c in table.columns if not table.is_date(c) and (table.types.get(c, "").upper().startswith("TIME")
                                                                  or (not table.is_numeric(c) and clock(c)))]


def of_column(chosen, table: TableContext):
    """"Number of rows by hour of tpep_pickup_datetime": whose hours, where another column also holds dates; the
    hours of a time-of-day column ("Time" beside "Date") are read from its text."""
    spec = chosen.spec
    if spec.grain == "hour" and spec.grain_column in clock_columns(table):
        spec = replace(spec, grain="clock_hour")
        return replace(chosen, spec=spec)
    if spec.grain not in CYCLES or spec.group_by != spec.grain or sum(map(table.is_date, table.columns)) < 2:
        return chosen
    named = f"{spec.grain} of {spec.grain_column}"
    spec = replace(spec, group_by=named, order_by=named if spec.order_by == spec.grain else spec.order_by)
    return replace(chosen, spec=spec, target=named if chosen.target == spec.grain else chosen.target)


def _is_stamp(table: TableContext, column: str) -> bool:
    """A timestamp holding times of day: a date stored with a time that is always midnight holds no hours."""
    return "TIMESTAMP" in table.types.get(column, "").upper() and \
        not probes.whole_days({table.view: table.path}, table.view, column)


def _words(column: str) -> set[str]:
    return {rules.singular(w) for w in column_words(column).split() if len(w) > 2} - PLAIN


def _cycle(grain: str) -> str:
    return "hour of the day" if grain == "hour" else "day of the week"
