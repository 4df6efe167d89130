"""Money words on tables of transactions and deals: "how much did I spend on groceries", "my total income",
"the biggest expense", "average deal size".

"Spend", "spent", "expense", "cost", "paid" name no column, yet on a table with one money column (Amount,
Total, Cost, Value …) they mean its sum. Where a column marks each row as a debit or a credit, spending is
the debit rows and income the credit rows, and the reply says so; where amounts carry both signs and no
column says which are spending, the question is refused: their sum is a net figure, not what was spent.
"""
from __future__ import annotations

import re
from dataclasses import replace

from data.query_spec import Filter
from domain import assistant as rules
from services.assistant_slots import CannotAnswer, unused_words
from services.assistant_table import Mention, Parsed, TableContext, column_words, expanded_words

MONEY_NAMES = frozenset("amount amt total cost value price revenue payment paid spend spending charge fee "
                        "balance debit credit sum".split())
QUANTITY_NAMES = frozenset("quantity qty units count number volume".split())
# "TotalWorkingYears", "total_hours": a total of time or of things, not money ("highest paid" read it as pay)
COUNTED_NAMES = QUANTITY_NAMES | frozenset("year years month months week weeks day days hour hours minutes seconds "
                                           "items visits orders".split())
SPEND = re.compile(r"\b(spend|spends|spent|spending|spendings|expense|expenses|expenditure|expenditures|cost|costs|"
                   r"paid|pay)\b")
INCOME = re.compile(r"\b(income|incomes|earned|earnings|received)\b")
SIZE = re.compile(r"\b(size|value|worth)\b")
NET = re.compile(r"\b(net|savings|saved|minus)\b")
DEBITS = frozenset("debit debits dr withdrawal withdrawals expense expenses outflow".split())
CREDITS = frozenset("credit credits cr deposit deposits income inflow".split())


def money_column(table: TableContext) -> str | None:
    """The one column holding amounts of money; None when there is none or several (which to add is unclear).
    A unit price next to a quantity column is not what was spent, so it does not count."""
    named = [c for c in table.columns if table.is_number(c) and set(column_words(c).split()) & MONEY_NAMES
             and not set(column_words(c).split()) & COUNTED_NAMES and not rules.is_level(c)]
    if not named and not any(set(column_words(c).split()) & QUANTITY_NAMES for c in table.columns):
        named = [c for c in table.columns if table.is_number(c) and "price" in column_words(c).split()]
    return named[0] if len(named) == 1 else None


SALES = re.compile(r"\b(sales|sale|revenue|revenues|turnover)\b")
COUNTED = re.compile(r"\b(?:how many|number of|count of|no of)\s+$")


def sales_amounts(text: str, table: TableContext, found: list[Mention]) -> list[Mention]:
    """"Total sales", "revenue by month", "which day had the highest sales" on a point-of-sale table whose one money
    column is named only as an amount (`amount`, `Amount`, `amt`, `amount_usd`): that column, added up as sales are;
    they were refused ("no numeric column matches 'sales'") or counted the rows. Not where another column is named
    for sales, where rows are marked as money in and out (a ledger's amounts are not all sales), nor where the sales
    are counted ("how many sales": the rows, or the amount? left to the refusals)."""
    amounts = [c for c in table.columns if table.is_number(c) and ["amount"] in expanded_words(c)]
    if len(amounts) != 1 or type_column(table) is not None or any(
            SALES.search(column_words(c)) for c in table.columns):
        return []
    return [Mention(m.start(), m.end(), amounts[0]) for m in SALES.finditer(text)
            if not COUNTED.search(text[:m.start()]) and not any(f.start < m.end() and m.start() < f.end for f in found)]


def type_column(table: TableContext) -> tuple[str, object, object] | None:
    """(column, debit value, credit value) for a column marking each row as money out or money in."""
    for column in table.columns:
        values = table.values.get(column) or []
        if table.is_numeric(column) or table.is_date(column) or not 2 <= len(values) <= 20:
            continue
        debit = next((v for v in values if rules.normalise(v) in DEBITS), None)
        credit = next((v for v in values if rules.normalise(v) in CREDITS), None)
        if debit is not None and credit is not None:
            return column, debit, credit
    return None


def size_measure(text: str, table: TableContext) -> str | None:
    """"average deal size", "order value": the money column, when the table has one and no quantity column
    ("order size" could be a count of items)."""
    if not SIZE.search(text) or any(set(column_words(c).split()) & QUANTITY_NAMES for c in table.columns):
        return None
    return money_column(table)


def with_spending(parsed: Parsed, table: TableContext) -> Parsed:
    """The question with its money word as the money column, and spending or income as the debit or credit
    rows. Unchanged where no money word is free or the table has no single money column."""
    taken = [(m.start, m.end) for m in parsed.columns] + list(parsed.used)
    words = [(match, kind) for kind, pattern in (("spend", SPEND), ("income", INCOME), ("size", SIZE))
             for match in pattern.finditer(parsed.text) if not any(s <= match.start() < e for s, e in taken)]
    column = money_column(table)
    marked = type_column(table)
    both = marked is not None and any(f.column == marked[0] and f.op == "in" for f in parsed.filters)
    kinds = {k for _, k in words} - {"size"}
    if column is not None and (len(kinds) > 1 or (NET.search(parsed.text) and (both or kinds))):
        by = marked[0] if marked else "the column that marks them"
        raise CannotAnswer(f"{rules.CANNOT}: I add up one kind of row at a time; ask for the total income and "
                           f"the total spending separately (or 'total {column} by {by}'), and take the difference.")
    parsed = _verb_of_money(parsed, table, [m for m, k in words if k == "spend"])
    counted = rules.is_count_question(parsed.text) and not re.search(r"\bhow much\b", parsed.text)
    if not words or column is None or counted or any(table.is_number(m.column) for m in parsed.free):
        return parsed
    match, kind = min(words, key=lambda w: w[0].start())
    if kind == "size":
        sized = size_measure(parsed.text, table)
        return replace(parsed, columns=parsed.columns + (Mention(match.start(), match.end(), sized),)) \
            if sized else parsed
    words = [w for w in words if w[1] != "size"]
    mention = Mention(match.start(), match.end(), column)
    unused = unused_words(replace(parsed, columns=parsed.columns + (mention,)), table)
    if unused:  # "average monthly grocery spend" with no value "grocery": every debit would be added up
        raise CannotAnswer(f"{rules.CANNOT}: I could not use {', '.join(repr(w) for w in unused)} from the question "
                           f"as a column, value or condition of '{table.name}', and adding up every row without "
                           f"{'it' if len(unused) == 1 else 'them'} would answer another question.")
    if marked is not None:
        marker, debit, credit = marked
        if marker in parsed.filter_columns:
            return replace(parsed, columns=parsed.columns + (mention,))
        chosen = Filter(marker, "=", debit if kind == "spend" else credit)
        return replace(parsed, columns=parsed.columns + (mention,), filters=parsed.filters + (chosen,),
                       filter_columns=parsed.filter_columns + (marker,), notes=parsed.notes + (chosen.describe(),),
                       filter_starts=_starts(parsed, match.start()))
    signs = _signs(table, column)
    if kind == "income" or signs != {1}:
        why = "its amounts are both positive and negative" if signs == {1, -1} else \
            "I cannot tell which of its rows are money in and which money out"
        raise CannotAnswer(f"{rules.CANNOT}: no column marks rows as spending or income, and {why}; ask e.g. "
                           f"'total {column} where {column} < 0' or name the rows to add up.")
    return replace(parsed, columns=parsed.columns + (mention,))


def _verb_of_money(parsed: Parsed, table: TableContext, verbs: list[re.Match]) -> Parsed:
    """"total fare paid", "average price paid", "amount spent": the verb after a money column named says what the
    column holds; it was refused as a word no column or value took."""
    money = MONEY_NAMES | {"fare", "fares", "price"}
    said = [(v.start(), v.end()) for v in verbs for m in parsed.free
            if table.is_number(m.column) and set(column_words(m.column).split()) & money
            and re.fullmatch(r"\s+", parsed.text[m.end:v.start()])]
    return replace(parsed, used=parsed.used + tuple(said)) if said else parsed


def _starts(parsed: Parsed, start: int) -> tuple[int, ...]:
    """Where each filter was written, the added one too; left empty where they were not kept."""
    kept = len(parsed.filter_starts) == len(parsed.filters)
    return parsed.filter_starts + (start,) if kept else parsed.filter_starts


def _signs(table: TableContext, column: str) -> set[int]:
    """+1 / -1 for the signs among a column's known values; empty when its values are not known."""
    signs = set()
    for value in table.values.get(column) or []:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            signs.add(-1 if value < 0 else 1)
        elif value is not None:
            signs.add(-1 if re.match(r"\s*(?:[-(]|[$€£¥]\s*-)", str(value)) else 1)
    return signs
