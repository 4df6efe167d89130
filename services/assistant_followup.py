"""Follow-up questions: "and for store 3?", "and the average torque?", "what about the highest?", "by type?".

A follow-up that only names new conditions keeps the earlier question and swaps those conditions. One
that asks for something else (another number, another statistic, another grouping) is rewritten into a
whole question from the earlier one, and the conditions gathered so far are carried over to it.
"""
from __future__ import annotations

import re
from dataclasses import replace

from domain import assistant as rules
from services.assistant_shares import share_position
from services.assistant_intents import CannotAnswer, plan, unused_words
from services.assistant_router import parse
from services.assistant_table import Parsed, TableContext

PREFIXES = ("what about", "how about", "and for", "now for", "also for", "same for", "of those", "of them",
            "among those", "among them", "only", "just", "and")
GROUPING = r"(?<![a-z0-9])(?:by|per|for each)\s+"
GRAIN_WORDS = "|".join(sorted(rules.GRAINS, key=len, reverse=True))


def follow_up_parse(first: str, follow_ups: list[str], table: TableContext, index: dict) -> Parsed:
    """The earlier question with each follow-up applied in turn."""
    current = parse(first, table, index)
    for question in follow_ups:
        text = follow_up_text(question)
        asked = parse(text, table, index, prefer=current.filter_columns, written=question)
        rewritten = rewrite(current, text, asked, table)
        left = unused_words(asked, table)
        if left and not asked.problems:  # "of those, how many are rated R?" with "rated R" unread: not the last figure
            current = replace(current, problems=current.problems + (
                f"I could not use {', '.join(repr(w) for w in left)} of '{question.strip()}' as a column, value or "
                "condition",))
        elif rewritten is None and not asked.filters and not asked.problems:
            current = replace(current, problems=current.problems + (
                f"'{question.strip()}' names no column, value or period to change in the previous question",))
        elif rewritten is None:
            current = merge(current, current, asked)
        else:  # the earlier question's text goes: the conditions its plan added ("work overtime") stay
            fresh = parse(rewritten, table, index)
            said = {m.column for m in fresh.columns} | set(fresh.filter_columns)
            current = merge(fresh, fresh, merge(*(2 * (planned_conditions(current, table, said),)), asked))
    return current


def planned_conditions(parsed: Parsed, table: TableContext, said: set[str]) -> Parsed:
    """``parsed`` with the conditions its plan adds written as filters: "how many work overtime" counts rows
    with OverTime = yes, which "and their average income?" must keep once that text is replaced. Columns the
    new question names itself (``said``: "what percentage of loans defaulted") are its own to use."""
    try:
        chosen = plan(parsed, table)
    except CannotAnswer:
        return parsed
    added = tuple(f for f in chosen.spec.filters if f not in parsed.filters and f.column not in said)
    if not added:
        return parsed
    filters = parsed.filters + added
    starts = (parsed.filter_starts or (0,) * len(parsed.filters)) + (-1,) * len(added)
    return replace(parsed, filters=filters, filter_columns=tuple(dict.fromkeys(f.column for f in filters)),
                   notes=parsed.notes + tuple(f.describe() for f in added), filter_starts=starts)


def follow_up_text(question: str) -> str:
    text = rules.normalise(question)
    for prefix in PREFIXES:
        if text.startswith(prefix + " "):
            text = text[len(prefix) + 1:]
            break
    text = re.sub(rf"\b({'|'.join(rules.RANK_WORDS)})\b", lambda m: rules.RANK_WORDS[m.group(1)], text)
    return f"in {text}" if text.isdigit() and len(text) == 4 else text


def merge(text_from: Parsed, older: Parsed, newer: Parsed) -> Parsed:
    """``text_from``'s question with ``older``'s conditions, those on columns ``newer`` names replaced."""
    changed = set(newer.filter_columns)
    filters = tuple(f for f in older.filters if f.column not in changed) + newer.filters
    notes = tuple(n for n in older.notes if not any(n.startswith(f"{c} ") for c in changed)) + newer.notes
    problems = tuple(dict.fromkeys(text_from.problems + newer.problems))
    # Where each filter is written in ``text_from``; a carried one is not written there (-1): it scopes the
    # rows, like "of those" (a percentage then counts among them, never drops them).
    own = dict(zip(text_from.filters, text_from.filter_starts or (0,) * len(text_from.filters)))
    return replace(text_from, filters=filters, filter_columns=tuple(dict.fromkeys(f.column for f in filters)),
                   notes=notes, problems=problems, filter_starts=tuple(own.get(f, -1) for f in filters))


def rewrite(earlier: Parsed, text: str, asked: Parsed, table: TableContext) -> str | None:
    """The whole question a follow-up asks, or None when it only changes conditions."""
    if rules.is_which_follow_up(text):
        return _which(earlier, text)
    named = [m for m in asked.free if m.column not in asked.filter_columns]
    grouping = group_span(text, asked)
    asks = bool(rules.aggregate_words(text)) or share_position(asked) is not None or rules.is_count_question(text)
    if grouping and not asks and all(text[m.start:m.end] in text[slice(*grouping)] for m in named):
        # "by type?": the earlier question, grouped the new way
        return _without(earlier.text, group_span(earlier.text, earlier)) + " " + text[slice(*grouping)]
    if asks and named:  # "and the average torque?": a new question, grouped like the earlier one
        return text if grouping else _with_grouping(text, earlier)
    if share_position(asked) is not None and re.search(r"\bhow many\b", earlier.text):
        return re.sub(r"\bhow many\b", "what percentage of", earlier.text, count=1)  # "and what percentage?"
    if asks:  # "what about the highest?": the earlier question with its statistic swapped
        said = rules.aggregate_words(earlier.text)
        wanted = rules.aggregate_words(text)
        if said and wanted:
            start, _, word = said[0]
            return earlier.text[:start] + wanted[0][2] + earlier.text[start + len(word):]
        return _with_grouping(text, earlier)
    numbers = [m for m in named if table.is_numeric(m.column) or table.numbers_in_text(m.column)]
    measured = [m for m in earlier.free if m.column not in earlier.filter_columns
                and (table.is_numeric(m.column) or table.numbers_in_text(m.column))]
    if numbers and measured and len(named) == 1:  # "what about rotational speed?": the measure swapped
        old = measured[-1]
        swapped = earlier.text[:old.start] + text[numbers[0].start:numbers[0].end] + earlier.text[old.end:]
        if rules.is_level(numbers[0].column):  # "and the bounce rate?" after "total sessions": rates average
            swapped = re.sub(r"\b(?:total|sum of|sum)\b", "average", swapped, count=1)
        return swapped
    return None


def _which(earlier: Parsed, text: str) -> str | None:
    """"which month?" after "the highest monthly revenue": the month with the highest revenue; "which month
    was best?" after "revenue by month": the same, the ranking named by the follow-up."""
    wanted = [(func, word) for _, func, word in rules.aggregate_words(text) if func in ("max", "min")]
    said = [(start, word) for start, func, word in rules.aggregate_words(earlier.text) if func in ("max", "min")]
    if not wanted and not said:
        return None
    asked = re.match(r"(?:which|what) [a-z0-9_]+(?: [a-z0-9_]+)?", text).group(0)
    asked = re.sub(r" (?:is|was|were|had|has)$", "", asked)
    core = _without(earlier.text, group_span(earlier.text, earlier))
    core = re.sub(r"^(?:what|which|who)\s+(?:[a-z0-9_]+\s+){0,2}?(?:is|was|are|were|has|had|have)\s+", "", core)
    core = re.sub(rf"\b(?:{'|'.join(rules.GRAIN_ADJECTIVES)})\s+", "", core)  # the asked column names the buckets
    for _, word in said:
        core = re.sub(rf"\b{word}\b\s*", "", core, count=1)
    core = re.sub(r"^(?:the|a)\s+", "", core.strip())
    direction = wanted[0][1] if wanted else said[0][1]
    # after "what is the highest amount?" (one row's), "which merchant?" names that row's merchant: its single
    # highest amount, not the merchant with the highest total (Interest 90,677.86 for Transfer In's 2,968.55)
    single = "single " if not wanted and group_span(earlier.text, earlier) is None else ""
    return f"{asked} had the {single}{direction} {core}"


def group_span(text: str, parsed: Parsed) -> tuple[int, int] | None:
    """Where "by store", "per month" or "by ship month" is written."""
    for match in re.finditer(GROUPING, text):
        grain = re.match(rf"(?:[a-z0-9_]+\s+)?(?:{GRAIN_WORDS})\b", text[match.end():])
        column = next((m for m in parsed.columns if m.start == match.end()), None)
        if column is not None:
            after = re.match(rf"\s+(?:{GRAIN_WORDS})\b", text[column.end:])
            return match.start(), column.end + (after.end() if after else 0)
        if grain:
            return match.start(), match.end() + grain.end()
    return None


def _without(text: str, span: tuple[int, int] | None) -> str:
    return text if span is None else re.sub(r"\s+", " ", text[:span[0]] + text[span[1]:]).strip()


def _with_grouping(text: str, earlier: Parsed) -> str:
    span = group_span(earlier.text, earlier)
    return text if span is None else f"{text} {earlier.text[slice(*span)]}"
