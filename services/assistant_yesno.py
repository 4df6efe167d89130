"""Yes/no columns in the file's own words: the import stores "Yes"/"No" cells as booleans, and replies read
"Attrition False (171) has the highest number of rows" or "OverTime = True" where the file says Yes and No.
Values of a yes/no column are written back in the file's spelling, which the stored profile keeps; the query,
the rows and every comparison keep the booleans.
"""
from __future__ import annotations

import re
from typing import Any

from services.assistant_table import BOOLEAN_WORDS, TableContext

# True or False where a value of a column stands in a reply: after "=", "(", ":", ", ", " in (" or a column name,
# before punctuation, " (" or a joining word; "True Grit" (a title) is left alone.
_AFTER = r"(?:$|(?=[,.;:)])|(?= \()|(?= (?:and|or|has|have|is|are|was|were|with|where|had)\b))"


def spellings(profile: list[dict[str, Any]], schema: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each boolean column's (yes, no) words from its profiled top values where they are the file's words
    ("Yes", "Y", "TRUE"); the profile's own lower-case "true"/"false" counts say nothing of the file."""
    words: dict[str, tuple[str, str]] = {}
    for item in profile:
        column = item.get("name")
        if schema.get(column) != "boolean":
            continue
        found = {str(v).strip(): None for v, _ in (item.get("top_values") or [])}
        yes = next((w for w in found if w.lower() in BOOLEAN_WORDS[True]), None)
        no = next((w for w in found if w.lower() in BOOLEAN_WORDS[False]), None)
        if yes and no and {yes, no} != {"true", "false"}:
            words[column] = (yes, no)
    return words


def flag_columns(table: TableContext) -> list[str]:
    return [c for c in table.columns if "BOOL" in table.types.get(c, "").upper()]


def in_words(table: TableContext, text: str) -> str:
    """The reply with each True/False that stands for a yes/no value written in the file's words; a column whose
    file said true/false (or whose profile predates the kept words) is left as it is."""
    words = getattr(table, "words", {}) or {}
    columns = flag_columns(table)
    spelled = [c for c in columns if c in words]
    if not spelled or not re.search(r"\b(True|False)\b", text):
        return text
    for column in spelled:  # "Attrition = True", "Attrition in (True, False)", "Attrition: False (171), True (29)"
        yes, no = words[column]
        pattern = re.compile(rf"(\b{re.escape(column)}(?: = | != | in \(| is | |: ))"
                             r"((?:(?:True|False)(?: \([^()]*\))?(?:, )?)+)")
        text = pattern.sub(lambda m: m.group(1) + re.sub(r"\b(?:True|False)\b", lambda b: yes if b.group(0) == "True"
                                                         else no, m.group(2)), text)
    if len(spelled) < len(columns) or len({words[c] for c in spelled}) > 1:
        return text  # columns spelled differently: only values written beside their column are changed
    yes, no = words[spelled[0]]
    return re.sub(rf"(?:(?<=[=(:,] )|(?<=\()|(?<=\bis ))(True|False){_AFTER}",
                  lambda m: yes if m.group(1) == "True" else no, text)
