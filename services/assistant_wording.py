"""What a language model's wording of a template answer must keep, beyond its figures: the embedded 135M model
dropped the group labels ("Average sales by family: 489.6, 324.9, …"), rounded a figure into a new one ("The
average of 12.45 is 12.") and stopped mid-list ("… Interval coverage (%) = 80.32,"), and each passed a check on
figures alone. A wording that fails any check here is set aside for the template sentence; the rows behind
every number are shown either way.

The rules (docs/assistant.md, "Language model and safety"):
- every number written is one the template or the question writes, at the same value and decimals: a rounding
  is refused even beside the exact figure ("12.45 … 12" would pass otherwise);
- every number of the template is kept;
- every name the template takes from the rows (a group, a key, a desk), every identifier-like word (int_rate,
  WAPE, p50, G0001) and every label written with a figure ("WAPE (%) = 9.48", "BEVERAGES (324.9)",
  "urgent: 3") is kept, each label still followed by its own figure;
- the dataset the reply picked is kept, and one at least of the columns its query names ("The answer is 40." for
  "There are 40 distinct values of unit. (dataset: …)" had passed);
- words that limit or negate the answer ("the first", "in the rows", "only", "no", "not") are kept;
- the wording ends a sentence (".", "!" or "?"), not a list cut short ("80.32,").
"""
from __future__ import annotations

import re
from typing import Any

from domain.assistant_grounding import number_tokens

MAX_LABEL = 60
_NUMBER = r"-?\d[\d,]*(?:\.\d+)?"
# "WAPE (%) = 9.48", "BEVERAGES (324.9)", "run 6: 9.48": a label written with its figure
_PAIRS = (re.compile(rf"([^,;:=]+?)\s*=\s*({_NUMBER})"), re.compile(rf"([^,;:()=]+?)\s*\(\s*({_NUMBER})\b"),
          re.compile(rf"([^,;:()=]+?):\s*({_NUMBER})\b"))
_CLAUSE = re.compile(r"^.*\b(?:where|and|with|when|if)\s+", re.IGNORECASE)
# int_rate, store_nbr=1|family=BEVERAGES, WAPE, sMAPE, p50, G0001: names a reader cannot do without
_IDENTIFIER = re.compile(r"(?<![\w|=])(?:\w*_\w*|\w*[a-z][A-Z]\w*|[A-Z]{2,}\w*|[A-Za-z]+\d\w*)(?![\w|=])")
KEPT_WORDS = ("the first", "the rest", "in the rows", "more rows", "are shown", "only", "no", "not", "never",
              "without", "cannot", "do not know", "left out", "covers", "none")
# "unit", "Sample: engine histories" in a query's SQL; not an alias after AS ("rows", "distinct unit")
_QUOTED = re.compile(r'(\bAS\s+)?"([^"]+)"', re.IGNORECASE)
_DATASET = re.compile(r"\(dataset: (.+?)\)\s*$")  # the dataset a reply picked, as ``services.assistant`` writes it
_ENDED = re.compile(r"[.!?][)\]\"'’”»]*\s*$")
_CUT = re.compile(r"(?:[,;:\-–—(]|\.\.\.|…|\b(?:and|or|the|of|with|to|a|an))\s*[.!?]?\s*$", re.IGNORECASE)


def _numbers(text: str) -> list[tuple[float, int]]:
    """The figures written, as (value, decimals): "1,000" and "1000" are one figure, "12" and "12.45" two."""
    found = []
    for token in number_tokens(text):
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", token):
            found.extend((float(p), 0) for p in token.split("-"))
            continue
        decimals = len(token.split(".")[1]) if "." in token else 0
        found.append((round(float(token.replace(",", "")), decimals), decimals))
    return found


def _said(haystack: str, phrase: str, *, exact: bool = False) -> list[int]:
    """End positions of ``phrase`` in ``haystack``, spacing (and, unless ``exact``, case) aside, on word
    boundaries."""
    words = [re.escape(w) for w in phrase.split()]
    if not words:
        return []
    pattern = r"(?<![A-Za-z0-9])" + r"\s+".join(words) + r"(?![A-Za-z0-9])"
    return [m.end() for m in re.finditer(pattern, haystack, 0 if exact else re.IGNORECASE)]


def labelled_figures(template: str) -> list[tuple[str, tuple[float, int]]]:
    """(label, figure) for every figure the template writes beside a label."""
    found = []
    for pattern in _PAIRS:
        for match in pattern.finditer(template):
            label = _CLAUSE.sub("", match.group(1)).strip(" .")
            label = re.sub(r"^(?:the|a|an)\s+", "", label, flags=re.IGNORECASE)
            if label and len(label) <= MAX_LABEL and re.search(r"[A-Za-z0-9]", label):
                found.append((label, _numbers(match.group(2))[0]))
    return found


def required_names(template: str, rows: list[dict[str, Any]]) -> list[str]:
    """Names the template takes from the rows (values and columns) and its identifier-like words."""
    names = {str(v) for r in rows for v in r.values() if isinstance(v, str) and 0 < len(v.strip()) <= MAX_LABEL}
    names |= {str(k) for r in rows for k in r if len(str(k)) >= 3}
    found = {n for n in names if not re.fullmatch(r"[\d\-.:T ]+", n) and _said(template, n)}
    found |= {m.group(0) for m in _IDENTIFIER.finditer(template) if not m.group(0).isdigit()}
    return sorted(found)


def problems(wording: str, template: str, rows: list[dict[str, Any]], question: str, query: str = "") -> list[str]:
    """Why the wording cannot stand for the template; empty when it can."""
    text = wording.strip()
    if not text or len(text) >= 600:
        return ["empty or too long"]
    found = []
    allowed = set(_numbers(template)) | set(_numbers(question))
    written = _numbers(text)
    found += [f"number {value:g} is not in the answer" for value, _ in written if (value, _) not in allowed]
    found += [f"number {value:g} went missing" for value, d in set(_numbers(template)) if (value, d) not in written]
    values = {str(v) for r in rows for v in r.values() if isinstance(v, str)}  # a value the template writes as
    # stored is kept as written: "Family Grocery I" for GROCERY I had passed
    found += [f"name {name!r} went missing" for name in required_names(template, rows)
              if not _said(text, name, exact=name in values and bool(_said(template, name, exact=True)))]
    for label, figure in labelled_figures(template):
        if not any(_first_number(text[end:]) == figure for end in _said(text, label)):
            found.append(f"{label!r} is no longer written with {figure[0]:g}")
    found += _context_lost(text, template, query)
    found += [f"{word!r} went missing" for word in KEPT_WORDS if _said(template, word) and not _said(text, word)]
    if not _ENDED.search(text) or _CUT.search(text):
        found.append("the wording stops mid-sentence")
    return found


def _context_lost(text: str, template: str, query: str) -> list[str]:
    """The dataset the reply names ("(dataset: Sample: credit applicants)") is kept, and of the columns its query
    names that the template writes, one at least: "The answer is 40." for "There are 40 distinct values of unit.
    (dataset: …)" had passed; "Store 2 sold 200 in total." for "The total of sales where store = 2 is 200." stands."""
    found = [f"dataset {name!r} went missing" for name in _DATASET.findall(template) if not _said(text, name)]
    columns = {n for alias, n in _QUOTED.findall(query) if not alias and _said(template, n)}
    if columns and not any(_said(text, n) for n in columns):
        found.append(f"no column of {sorted(columns)} is named")
    return found


def _first_number(text: str) -> tuple[float, int] | None:
    numbers = _numbers(text)
    return numbers[0] if numbers else None
