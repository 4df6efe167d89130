"""How well a question matches each stored dataset: the score that picks a dataset when none is named."""
from __future__ import annotations

import re

from domain import assistant as rules
from services import datasets
from services.assistant_table import STOPWORDS, column_aliases, column_words
from services.runtime import Runtime

# A question word that is one word of a longer column name ("failure" of "Machine failure") counts, but less than
# the column named in full or one of its common values.
PART_WEIGHT = 0.25


def match_scores(runtime: Runtime, question: str) -> list[tuple[str, float]]:
    """(name, score) of every dataset, oldest first: columns named, common values named, years covered."""
    text = rules.normalise(question)
    stemmed = rules.stem_phrase(text)
    words = {w for w in stemmed.split() if len(w) > 2 and w not in STOPWORDS and not w.isdigit()}
    scores: list[tuple[str, float]] = []
    for info in sorted(datasets.list_datasets(runtime), key=lambda d: d.id):
        score = 0.0
        for column in info.schema:
            if any(rules.find_phrase(text, a) >= 0 or rules.find_phrase(stemmed, a) >= 0
                   for a in column_aliases(column)):
                score += 1.0
            elif words & column_word_set(column):
                score += PART_WEIGHT
        for profile in info.profile:
            for value, _ in (profile.get("top_values") or [])[:20]:
                key = rules.normalise(value)
                if len(key) > 2 and rules.find_phrase(text, key) >= 0:
                    score += 0.5
        score += _years_covered(text, info)
        scores.append((info.name, score))
    return scores


def column_word_set(column: str) -> set[str]:
    """The single words of a column's name, singular: "Machine failure" -> {"machine", "failure"}."""
    return set(rules.stem_phrase(column_words(re.sub(r"[\[(].*?[\])]", " ", column))).split())


def _years_covered(text: str, info) -> float:
    """A year the question asks about ("in 2017") counts for a dataset whose dates cover it and against one whose
    dates do not: a table ending in 2015 was picked (the most recent of equal matches) and refused."""
    years = {int(y) for y in re.findall(r"\b(1[89]\d\d|2[01]\d\d)\b", text)}
    spans = [(str(p.get("min") or "")[:4], str(p.get("max") or "")[:4]) for p in info.profile
             if info.schema.get(p["name"]) == "datetime"]
    spans = [(int(a), int(b)) for a, b in spans if a.isdigit() and b.isdigit()]
    if not years or not spans:
        return 0.0
    covered = all(any(a <= y <= b for a, b in spans) for y in years)
    return 1.0 if covered else -1.0
