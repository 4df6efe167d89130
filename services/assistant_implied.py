"""Columns a question implies without naming them: "the cheapest listing" ranks by price, "the oldest athlete" by
age, "the longest track" by duration; "more than 50 reviews" is a number of reviews, not reviews per month.
Each reading is one the table offers exactly once; several candidates leave the question to the refusals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from data.query_spec import Filter
from domain import assistant as rules
from services.assistant_meanings import amount_column
from services.assistant_table import TableContext, expanded_words

# A superlative and the words of the column it ranks by.
IMPLIED: tuple[tuple[re.Pattern, frozenset[str]], ...] = (
    (re.compile(r"\b(oldest|youngest)\b"), frozenset({"age"})),
    (re.compile(r"\b(cheapest|priciest|costliest|most expensive|least expensive)\b"),
     frozenset("price cost fare fee".split())),
    (re.compile(r"\b(longest|shortest)\b"), frozenset("duration length runtime".split())),
    (re.compile(r"\b(tallest|shortest)\b"), frozenset({"height"})),
    (re.compile(r"\b(heaviest|lightest)\b"), frozenset({"weight"})),
    # "who is the highest paid employee": the pay column (MonthlyIncome), never a column a model guessed
    (re.compile(r"\b(?:highest|lowest|best|worst|most|least) paid\b"),
     frozenset("income salary wage pay compensation earning".split())),
)
MONEY = re.compile(r"\b(cheapest|priciest|costliest|expensive)\b")
# "loans over 10000", "orders above 500": the things a bound is written after, each worth an amount of money
PRICED = re.compile(r"\b(loans?|credits?|orders?|transactions?|invoices?|purchases?|payments?|deals?|claims?|"
                    r"donations?|bills?)\s+(?:(?:that|which)\s+(?:are|were)\s+|worth\s+)?$")
COUNT_WORDS = frozenset("number num nbr count cnt total n nb no".split())
RATE_WORDS = frozenset("per rate avg average mean ratio pct percent share".split())


def _words(column: str) -> set[str]:
    return {rules.singular(w) for variant in expanded_words(column) for w in variant}


def implied_columns(text: str, table: TableContext, exclude: set[str]) -> list[tuple[re.Match, str]]:
    """(superlative, column) for each superlative of the question that one column of the table fits."""
    found = []
    for pattern, words in IMPLIED:
        match = pattern.search(text)
        columns = [c for c in table.columns if c not in exclude and table.is_number(c) and _words(c) & words]
        if len(columns) > 1:  # "highest paid": MonthlyIncome, not PercentSalaryHike (a rate of the pay)
            columns = [c for c in columns if not _words(c) & RATE_WORDS] or columns
        if match and not columns and MONEY.search(match.group(0)):
            columns = [c for c in [amount_column(table)] if c and c not in exclude]
        if match and len(columns) == 1:
            found.append((match, columns[0]))
    return found


def implied_measure(text: str, table: TableContext, exclude: set[str]) -> str | None:
    """The one numeric column a superlative implies ("oldest": Age, "cheapest": price), else None."""
    columns = {column for _, column in implied_columns(text, table, exclude)}
    return columns.pop() if len(columns) == 1 else None


@dataclass(frozen=True)
class Chosen(Filter):
    """A condition whose column was chosen among several the question's word fits; the note says which."""
    why: str = ""

    def describe(self) -> str:
        return f"{Filter.describe(self)} ({self.why})"


def counted_column(text: str, start: int, end: int, table: TableContext) -> tuple[str, str] | None:
    """"More than 50 reviews" where number_of_reviews and reviews_per_month both hold reviews: the count
    column, with a note naming the others. None where the word after the number fits no single count column."""
    word = re.match(r"\s*([a-z]+)", text[end:])
    if word is None:
        return None
    said = rules.singular(word.group(1))
    fits = [c for c in table.columns if table.is_number(c) and said in _words(c)]
    counts = [c for c in fits if _words(c) & COUNT_WORDS and not _words(c) & RATE_WORDS]
    if len(fits) < 2 or len(counts) != 1:
        return None
    others = " or ".join(c for c in fits if c != counts[0])
    return counts[0], f"'{word.group(1)}' taken as {counts[0]}, the count, not {others}"


def priced_column(text: str, start: int, end: int, table: TableContext) -> tuple[str, str] | None:
    """"Loans over 10000" on credit_g: each loan's credit_amount, the table's one amount column (it was refused,
    no column named); None where the word before the bound is no such thing or the table has no single amount."""
    noun = PRICED.search(text[:start])
    column = amount_column(table) if noun else None
    if column is None:
        return None
    return column, f"'{noun.group(1)} {text[start:end]}' taken as the {column} of each"

