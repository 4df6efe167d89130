"""Columns named by an acronym of what they record, asked in words: AI4I 2020's failure modes `TWF`, `HDF`, `PWF`, `OSF`
and `RNF` are "tool wear failure", "heat dissipation failure", "power failure", "overstrain failure" and "random
failure". "How many heat dissipation failures" counted every `Machine failure` (339, not 115) and "how many machines
had a tool wear failure" counted failures with `Tool wear [min]` > 0 (336, not 46): the words that named the mode were
read as another column or dropped.

An acronym matches a run of words when its letters split, in order, into one part per word, each part starting with
that word's first letter and found in the word in order (p-w in "power", o-s in "overstrain", r-n in "random")."""
from __future__ import annotations

import re

from domain import assistant as rules
from services.assistant_table import STOPWORDS, Mention, TableContext, is_code

# Three to five capitals with at most one vowel: two ("TV", "PM") fit too many pairs of words, and a word written in
# capitals (AGE, YEAR, DAY of a flights table) is no acronym
ACRONYM = re.compile(r"[A-Z]{3,5}")


def acronym_mentions(text: str, table: TableContext) -> list[Mention]:
    """Mentions of acronym columns spelled out in the question; a run of words two columns' acronyms fit names
    neither."""
    acronyms = {c: c.lower() for c in table.columns if ACRONYM.fullmatch(str(c)) and not is_code(c)
                and sum(ch in "aeiou" for ch in c.lower()) <= 1 and c.lower() not in rules.GRAINS}  # not AGE, DAY
    if not acronyms:
        return []
    words = list(re.finditer(r"[a-z]+", text))
    found: list[Mention] = []
    for first in range(len(words)):
        for size in range(len(max(acronyms.values(), key=len)), 1, -1):
            run = words[first:first + size]
            if len(run) < size or any(w.group(0) in STOPWORDS or rules.aggregate_words(w.group(0)) for w in run):
                continue
            fits = [c for c, letters in acronyms.items() if _spells(letters, [w.group(0) for w in run])]
            if len(fits) == 1 and not any(m.start < run[-1].end() and run[0].start() < m.end for m in found):
                found.append(Mention(run[0].start(), run[-1].end(), fits[0]))
    return found


def _spells(letters: str, words: list[str]) -> bool:
    """``letters`` split into len(words) parts, part i starting with words[i][0] and a subsequence of words[i]."""
    if not words:
        return not letters
    if not letters or letters[0] != words[0][0]:
        return False
    word = words[0]
    for cut in range(1, len(letters) - len(words) + 2):
        if _subsequence(letters[1:cut], word[1:]) and _spells(letters[cut:], words[1:]):
            return True
    return False


def _subsequence(part: str, word: str) -> bool:
    rest = iter(word)
    return all(ch in rest for ch in part)
