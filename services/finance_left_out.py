"""Every column of a loan table that training did not use as a risk factor, and why: the run stores the list so
that its report and page name them all (a Lending-Club run that left out total_pymnt, recoveries, last_pymnt_d and
issue_d reported "Columns dropped: none" and "Columns left out as leaks: none": those went before the feature plan,
whose own drops alone were stored)."""
from __future__ import annotations

from typing import Iterable

# Why a column is not a feature, by kind; the plan's own drops (empty, constant, identifier-like text …) keep
# the words the plan gave them.
REASONS = {
    "id": "the applicant id: carried into scored files, never a risk factor",
    "excluded": "left out as asked (--exclude; 'Columns to leave out' on the page)",
    "lgd": "the LGD column: used for expected loss, never a risk factor",
    "identifier": "an identifier: a different value on almost every row, named like an id",
    "post_outcome": ("a leak by its name: named like a record made after the loan's outcome (payments received, "
                     "recoveries, settlement, charge-off or default dates, a marketing call's duration)"),
    "leak": "a leak by its values or blanks: alone it separates defaults almost perfectly (see the warnings)",
    "anchor": ("the application's date: dates about the applicant are counted back from it; a calendar date "
               "never recurs for new applicants"),
    "date": "a date of the application or the loan: calendar dates never recur for new applicants",
}
KINDS_OF_LEAK = ("post_outcome", "leak")


def left_out(columns: Iterable[object], found: dict[str, tuple[str, str]]) -> list[dict[str, str]]:
    """``found`` (column → (kind, reason)) in the file's column order: [{column, kind, reason}, …]."""
    order = [str(c) for c in columns]
    ranked = sorted(found, key=lambda c: order.index(c) if c in order else len(order))
    return [{"column": c, "kind": found[c][0], "reason": found[c][1]} for c in ranked]


def mark(found: dict[str, tuple[str, str]], names: Iterable[object], kind: str, reason: str | None = None) -> None:
    """Record ``names`` as left out for ``kind`` (the first reason found for a column stands)."""
    for name in names:
        if name is not None and str(name) not in found:
            found[str(name)] = (kind, reason or REASONS[kind])


def plan_kind(why: str) -> str:
    """The kind of one of the feature plan's own drops: 'empty', 'constant', else 'unusable' (identifier-like
    text, a row counter, dates that do not read)."""
    return why if why in ("empty", "constant") else "unusable"


def relabel(rows: list[dict[str, str]], column: str | None, kind: str) -> list[dict[str, str]]:
    """The LGD column reaches training among the columns to leave out: named for what it is."""
    return [{**row, "kind": kind, "reason": REASONS[kind]} if column and row["column"] == column else row
            for row in rows]


def as_mapping(rows: list[dict[str, str]]) -> dict[str, str]:
    """column → reason, as the run's 'dropped' parameter stores it."""
    return {row["column"]: row["reason"] for row in rows}


def leak_columns(rows: list[dict[str, str]], warned: list[str]) -> list[str]:
    """The columns left out as leaks (by name or by their values), then those warned of and kept."""
    return list(dict.fromkeys([*(r["column"] for r in rows if r["kind"] in KINDS_OF_LEAK), *warned]))
