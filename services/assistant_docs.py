"""Questions about the app answered from its own documentation (docs/*.md, split at '## ' headings),
citing the file and section. The folder is read at question time, so docs other desks add count.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from domain import assistant as rules
from services.assistant_table import STOPWORDS
from services.assistant_tools import ToolResult

DOCS_DIR = Path(__file__).resolve().parents[1] / "docs"
QUESTION_WORDS = frozenset("mean means meaning explain define definition computed calculated compute work "
                           "works how does do is are what why when used use".split())
MIN_SCORE = 0.34


@dataclass(frozen=True)
class Section:
    file: str
    heading: str
    body: str


def sections(folder: Path = DOCS_DIR) -> list[Section]:
    found = []
    for path in sorted(folder.glob("*.md")):
        heading, lines = None, []
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines() + ["## "]:
            if line.startswith("## "):
                if heading and "\n".join(lines).strip():
                    found.append(Section(f"docs/{path.name}", heading, "\n".join(lines).strip()))
                heading, lines = line[3:].strip(), []
            elif heading is not None:
                lines.append(line)
    return found


def _terms(text: str) -> set[str]:
    return {rules.singular(w) for w in rules.normalise(text).split()
            if w not in STOPWORDS and w not in QUESTION_WORDS and len(w) > 1}


def _score(question: set[str], section: Section) -> float:
    heading, body = _terms(section.heading), _terms(section.body)
    if not question:
        return 0.0
    return (2 * len(question & heading) + len(question & body)) / (2 * len(question))


def search(question: str, *, embedder=None, folder: Path = DOCS_DIR) -> tuple[Section, float] | None:
    """The best section by word overlap (headings count double), blended with MiniLM similarity."""
    found = sections(folder)
    if not found:
        return None
    terms = _terms(question)
    scores = [_score(terms, s) for s in found]
    if embedder is not None:
        from ml.embeddings import similarities

        semantic = similarities(embedder, question, [f"{s.heading}. {s.body[:400]}" for s in found])
        scores = [0.6 * a + 0.4 * float(b) for a, b in zip(scores, semantic)]
    best = max(range(len(found)), key=lambda i: scores[i])
    return found[best], scores[best]


def _excerpt(body: str, sentences: int = 3) -> str:
    text = re.sub(r"\s+", " ", re.sub(r"[`*_#>|]", "", body)).strip()
    parts = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(parts[:sentences])


def answer_from_docs(question: str, *, embedder=None, folder: Path = DOCS_DIR,
                     min_score: float = MIN_SCORE) -> ToolResult | None:
    hit = search(question, embedder=embedder, folder=folder)
    if hit is None or hit[1] < min_score:
        return None
    section, _ = hit
    answer = f"From {section.file}, section \"{section.heading}\": {_excerpt(section.body)}"
    rows = [{"file": section.file, "section": section.heading, "text": section.body}]
    return ToolResult("docs_search", answer, f"docs search: {section.file} § {section.heading}", rows)
