"""Typos and short names: "how many machines faild", "defualt rate by purpose", "avg process temp", "total qty".
A word that names nothing is read as the one column word, value or question word it is closest to, and the reply
says so ("Reading 'faild' as 'failed'."); two equally close readings are refused, naming both. They were refused
as unknown words ("I could not use 'faild' …"), or a column was not found ("no numeric column matches 'torqe'")."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from domain import assistant as rules
from services.assistant_followup import follow_up_text
from services.assistant_router import parse
from services.assistant_slots import known_words, unused_words
from services.assistant_tools import ToolResult
from services.assistant_table import ABBREVIATIONS, ROW_NOUNS, Parsed, TableContext, column_words

# Words the plans read though no column is named so ("failed" is `Machine failure` = 1), and words of periods and
# comparisons, never a typo of another ("change from last year" is no "least year").
OUTCOME_WORDS = frozenset("failed failure failures default defaulted defaults survived died returned cancelled "
                          "churned approved rejected declined rate percentage average last past next previous "
                          "latest recent final since change changed compare compared".split())
# The question words a typo may be read as: the words that pick a measure. Other question words ("case", "come")
# are known, so never read as typos, but an ordinary English word one letter away from them is no typo of them:
# "what share of profit came from North" was read with 'came' as 'case' and answered a share of rows (50 %).
MEASURE_WORDS = frozenset("total sum average mean median count number maximum minimum highest lowest largest "
                          "smallest percentage percent share rate ratio fraction".split())
SHORTEST = 4  # shorter words are too often another word ("age", "bad", "own") to be read as a typo


def retry_typos(question: str, parsed: Parsed, table: TableContext, index: dict, refused: ToolResult,
                answer_with: Callable) -> tuple[str, ToolResult, ToolResult | None]:
    """A refused question asked again with its typos read, the reply saying so; the first refusal stands where
    nothing was read or the reading is refused too (an answer given as asked is never re-read)."""
    fixed, parsed, reading = read_typos(question, parsed, table, index)
    if reading.startswith(rules.CANNOT):
        return question, ToolResult("query_dataset", reading, "", [], table.name, cannot=True), None
    result, side = answer_with(fixed, parsed) if reading else (refused, None)
    if not reading or result.cannot:
        return question, refused, None
    return fixed, replace(result, answer=f"{reading} {result.answer}"), side


def read_follow_up(question: str, table: TableContext, index: dict) -> tuple[str, str]:
    """A refused follow-up with its typos read on its own words ("and for stroe 2?" is "and for store 2?"), and
    the note saying so; ``(question, "")`` where nothing was read. They were refused ("I could not use 'stroe'")."""
    fixed, _, reading = read_typos(question, parse(follow_up_text(question), table, index), table, index)
    return fixed, reading


def read_typos(question: str, parsed: Parsed, table: TableContext, index: dict) -> tuple[str, Parsed, str]:
    """The question with each unknown word read as its one close match, parsed again, and the note saying so
    ("" when nothing was read; a refusal, starting as refusals do, when a word has two equally close readings)."""
    vocabulary, own = _vocabulary(table)
    readings = {}
    readable = own | MEASURE_WORDS | ROW_NOUNS | OUTCOME_WORDS
    unknown = [(w, vocabulary, readable, own, False) for w in unused_words(parsed, table)]
    for problem in parsed.problems:  # "housing ownn": the values of the column named before it
        value = re.fullmatch(r"there is no (.+) '([a-z][a-z0-9\-]*)' in the data", problem)
        named = _words(table.values.get(value[1]) or []) if value else frozenset()
        unknown += [(value[2], named, named, named, True)] if named else []
    for word, known, candidates, own_words, named in unknown:  # a value after its column: that column's values
        if word in known or rules.singular(word) in known or word in readings:
            continue
        found = _closest(word, candidates, own_words, named=named)
        if len(found) > 1:
            return question, parsed, (f"{rules.CANNOT}: '{word}' names nothing in '{table.name}' and could be "
                                      f"{' or '.join(repr(f) for f in found)}; write the one you mean.")
        if found:
            readings[word] = found[0]
    if not readings:
        return question, parsed, ""
    for word, reading in readings.items():
        question = re.sub(rf"(?i)(?<![a-z]){re.escape(word)}(?![a-z])", reading, question)
    note = "Reading " + ", ".join(f"'{w}' as '{r}'" for w, r in readings.items()) + "."
    return question, parse(question, table, index), note


def _vocabulary(table: TableContext) -> tuple[frozenset[str], frozenset[str]]:
    """Every word a question may use here, and the table's own (column names and values) among them."""
    words = {w for c in table.columns for w in column_words(c).split()}
    words |= {ABBREVIATIONS[w] for w in list(words) if w in ABBREVIATIONS}  # `qty` is read as "quantity"
    for column in table.columns:
        values = table.values.get(column) or []
        if not table.is_numeric(column) and not table.is_date(column) and len(values) <= 50:
            words |= _words(values)
    own = frozenset(w for w in words if w.isalpha())
    return own | frozenset(w for w in known_words() | ROW_NOUNS | OUTCOME_WORDS if w.isalpha()), own


def _words(values: list) -> frozenset[str]:
    return frozenset(w for v in values for w in rules.normalise(str(v)).split())


def _closest(word: str, vocabulary: frozenset[str], own: frozenset[str], named: bool = False) -> list[str]:
    """The vocabulary words nearest to ``word``: a short name written out ("qty"), else those one typo away (two
    for a word of seven letters or more), a swap of two letters counting one, else the table's own words it begins
    ("temp": temperature; not question words: "young" is no "youngest")."""
    if word in ABBREVIATIONS and ABBREVIATIONS[word] in own:
        return [ABBREVIATIONS[word]]
    if len(word) < SHORTEST:
        return []
    allowed = 2 if len(word) >= 7 else 1
    near = {}
    for other in vocabulary:
        if len(other) >= 3 and abs(len(other) - len(word)) <= allowed and other[0] == word[0]:
            distance = _distance(word, other)
            if distance <= allowed and (len(word) > SHORTEST or named or sorted(word) == sorted(other)):
                # a four-letter word one letter off is most often another word ('came', not 'case'); two letters
                # swapped ('tpye') stay a typo
                near.setdefault(distance, []).append(other)
    if near:
        return sorted(near[min(near)])
    longer = {o for o in own if o.startswith(word) and len(o) >= len(word) + 2}
    return sorted(o for o in longer if not (o.endswith("s") and o[:-1] in longer))


def _distance(a: str, b: str) -> int:
    """Edits from ``a`` to ``b`` (insert, delete, change, or swap two neighbours)."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, 1):
        row = [i]
        for j, y in enumerate(b, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (x != y))
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]
