"""A stored dataset named in the question ("how many rows does loans_train have?", "default rate by checking_status
in Loans Train"): that dataset is the one answered from, whatever another's columns score, and the words of its
name are taken out before the question is parsed, so "train" or "new" is never read as a column or a value.
"""
from __future__ import annotations

import re

# A one-word name is the dataset meant only where the question points at one: "... in sales?" at its end, or
# "the titanic dataset"; elsewhere ("what share of sales came from store 2") it may well be a column or a value.
BEFORE = r"(?:in|from|within|inside|using)\s+(?:the\s+)?"
AFTER = r"\s+(?:dataset|data\s*set|table|data|file|csv|sheet)\b"
SEPARATOR = r"[\s_\-\.:]+"
SAMPLE = "sample"  # the label of the bundled samples' names (data.sample_data)


def _words(name: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", name.lower())


def _pattern(name: str) -> re.Pattern | None:
    """The name's words in any separators; a bundled sample's name ("Sample: machine telemetry") also as people say
    it, without the label or with "sample" after it ("in the machine telemetry sample"): the label had kept every
    question from naming a sample, which was answered from whichever upload's columns scored best."""
    words = _words(name)
    if not words:
        return None
    core = SEPARATOR.join(re.escape(w) for w in words)
    if words[0] == SAMPLE and len(words) > 1:
        rest = SEPARATOR.join(re.escape(w) for w in words[1:])
        core = rf"(?:{SAMPLE}s?{SEPARATOR})?{rest}(?:{SEPARATOR}{SAMPLE}s?)?"
    return re.compile(rf"(?<![A-Za-z0-9]){core}(?![A-Za-z0-9])", re.IGNORECASE)


def _distinctive(name: str) -> bool:
    """A name of several words or with digits ("loans_train", "ai4i_new") is no everyday word of a question; a
    sample's words without its label count ("Sample: sales" is one word)."""
    words = [w for i, w in enumerate(_words(name)) if i or w != SAMPLE]
    return len(words) > 1 or any(ch.isdigit() for ch in name)


def _framed(question: str, match: re.Match, at_end: bool = True) -> bool:
    before = question[:match.start()].lower()
    last = at_end and not re.search(r"[a-z0-9]", question[match.end():].lower())
    after = question[match.end():].lower()
    owned = re.search(r"\b(?:does|do|did)\s+$", before) and re.match(r"\s*(?:have|has|contain|hold)\b", after)
    return bool((last and re.search(rf"\b{BEFORE}$", before)) or re.match(AFTER, after) or owned or
                (re.search(rf"\b{BEFORE}$", before) and re.match(r"\s*,", after)))  # "in fav, which ..."


def named_dataset(question: str, names: list[str], at_end: bool = True) -> str | None:
    """The stored dataset the question names, the longest name first ("loans_train" before "loans"); None when
    it names none. ``at_end=False``: a one-word name closing the question ("hired in Sales?") is no dataset's
    name, as it is where another dataset is chosen (it is more likely that table's value)."""
    for name in sorted(names, key=lambda n: (-len(_words(n)), -len(n))):
        pattern = _pattern(name)
        for match in (pattern.finditer(question) if pattern else ()):
            if _distinctive(name) or _framed(question, match, at_end):
                return name
    return None


def without_name(question: str, name: str) -> str:
    """The question less the dataset's name and the words that point at it ("in the loans_train dataset"):
    what is left asks about the rows. Unchanged when the name is not in it."""
    pattern = _pattern(name)
    if pattern is None:
        return question
    for match in pattern.finditer(question):
        if not (_distinctive(name) or _framed(question, match)):
            continue
        start, end = match.start(), match.end()
        lead = re.search(r"(?:\b(?:in|of|from|for|on|within|inside|across|using)\s+)?(?:\bthe\s+)?$",
                         question[:start], re.IGNORECASE)
        tail = re.match(AFTER, question[end:], re.IGNORECASE)
        start, end = (lead.start() if lead else start), end + (tail.end() if tail else 0)
        asked = re.search(r"\b(?:does|do|did)\s+$", question[:start], re.IGNORECASE)
        owned = re.match(r"\s*(?:have|has|contain|hold)\b", question[end:], re.IGNORECASE)
        if asked and owned:  # "how many rows does loans_train have": "how many rows"
            start, end = asked.start(), end + owned.end()
        left = re.sub(r"\s{2,}", " ", f"{question[:start]} {question[end:]}")
        return re.sub(r"\s+([?.!])", r"\1", left).strip()
    return question


# "the training data", "the test set": a dataset named for its part of a train/test pair (train_FD001, loans_test)
SPLIT_PART = re.compile(r"\b(?:the |my |our )?(train(?:ing)?|test(?:ing)?) (?:data|dataset|data set|set|file|table)\b",
                        re.IGNORECASE)


def split_named(question: str, names: list[str]) -> str:
    """'the training data' written as the one stored dataset whose name has 'train' (or 'test') as a part, so the
    question reads that table: "how many engines are in the training data" was refused, and "the longest engine
    life in the training data" read the newest table, a test file's histories cut before failure. Unchanged when no
    name or several names fit."""
    found = SPLIT_PART.search(question)
    if found is None:
        return question
    part = "train" if found.group(1).lower().startswith("train") else "test"
    fitting = {n for n in names if {part, f"{part}ing"} & set(re.split(r"[^a-z0-9]+", n.lower()))}
    if len(fitting) != 1:
        return question
    return question[:found.start()] + fitting.pop() + question[found.end():]

