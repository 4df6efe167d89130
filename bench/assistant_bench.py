"""Assistant benchmark: questions over the bundled samples with answers computed by pandas.

    python -m bench.assistant_bench [--llm] [--no-embeddings] [--wtq] [--generated]

Prints exact-answer accuracy, the invented-number rate (numbers in a reply that appear in no tool
result) and latency (mean / p95). --wtq adds a second table on the WikiTableQuestions sample in
../shared/data/wtq_sample (answer counted correct when the gold value appears in the reply).
--generated adds a table on generated Titanic-, Online-Retail-, Lending-Club- and store-item-shaped
tables (``bench/assistant_generated.py``), answers computed by pandas.
"""
from __future__ import annotations

import argparse
import csv
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from bench.assistant_questions import CANNOT, Question, questions

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
WTQ = Path(__file__).resolve().parents[2] / "shared" / "data" / "wtq_sample"


def is_correct(answer: str, expected: object) -> bool:
    from domain import assistant as rules
    from domain import assistant_grounding as grounding

    if expected == CANNOT:
        return rules.CANNOT.lower() in answer.lower()
    if rules.CANNOT.lower() in answer.lower():
        return False
    items = [i.item() if hasattr(i, "item") else i for i in (expected if isinstance(expected, list) else [expected])]
    tokens = grounding.number_tokens(answer)
    for item in items:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            if not any(grounding.grounded(t, [float(item)], "") for t in tokens):
                return False
        elif str(item).lower() not in answer.lower():
            return False
    return True


def _runtime(state: Path):
    from tests.support import make_runtime

    return make_runtime(state)


def run_samples(*, llm, embedder) -> list[dict]:
    frames = {p.stem: pd.read_csv(p) for p in SAMPLES.glob("*.csv")}
    return run_questions(sorted(SAMPLES.glob("*.csv")), frames, questions(), llm=llm, embedder=embedder)


def run_generated(*, llm, embedder) -> list[dict]:
    """The generated tables written as CSV and imported as a user would, then asked their questions."""
    from bench import assistant_generated

    frames = assistant_generated.frames()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for name, frame in frames.items():
            paths.append(Path(tmp) / f"{name}.csv")
            frame.to_csv(paths[-1], index=False)
        return run_questions(paths, frames, assistant_generated.questions(), llm=llm, embedder=embedder)


def run_questions(paths: list[Path], frames: dict[str, pd.DataFrame], asked: list[Question], *, llm,
                  embedder) -> list[dict]:
    from domain import assistant_grounding as grounding
    from services import assistant, datasets

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        runtime = _runtime(Path(tmp) / "var")
        for path in paths:
            datasets.import_dataset(runtime, path, filename=path.name, name=path.stem, user="bench")
        for i, item in enumerate(asked):
            started = time.perf_counter()
            reply = assistant.answer(runtime, item.text, user="bench", dataset=item.dataset,
                                     conversation_id=item.chain or f"q{i}", llm=llm, embedder=embedder)
            elapsed = time.perf_counter() - started
            expected = item.expected(frames)
            evidence = " ".join([str(reply.rows), reply.query, str(len(reply.rows)), str(reply.state), item.text])
            invented = grounding.invented_numbers(reply.answer, grounding.evidence_numbers(evidence), evidence)
            results.append({"kind": item.kind, "question": item.text, "answer": reply.answer, "expected": expected,
                            "invented_tokens": invented, "correct": is_correct(reply.answer, expected),
                            "numbers": len(grounding.number_tokens(reply.answer)), "invented": len(invented),
                            "seconds": elapsed})
    return results


def run_wtq(*, embedder) -> list[dict]:
    from services import assistant, datasets

    rows = list(csv.DictReader((WTQ / "questions.tsv").open(encoding="utf-8"), delimiter="\t"))
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        runtime = _runtime(Path(tmp) / "var")
        names = {}
        for context in sorted({r["context"] for r in rows}):
            try:
                names[context] = datasets.import_dataset(runtime, WTQ / context, filename=Path(context).name,
                                                         name=context.replace("/", "_"), user="bench").name
            except datasets.DatasetRejected:
                continue
        for i, row in enumerate(rows):
            if row["context"] not in names:
                continue
            started = time.perf_counter()
            reply = assistant.answer(runtime, row["utterance"], user="bench", dataset=names[row["context"]],
                                     conversation_id=f"w{i}", embedder=embedder)
            gold = [g.replace("\\p", "|") for g in row["targetValue"].split("|")]
            ok = all(_wtq_match(reply.answer, g) for g in gold)
            results.append({"kind": "wtq", "question": row["utterance"], "answer": reply.answer, "expected": gold,
                            "correct": ok, "numbers": 0, "invented": 0, "seconds": time.perf_counter() - started})
    return results


def _wtq_match(answer: str, gold: str) -> bool:
    from domain import assistant_grounding as grounding

    try:
        return any(grounding.grounded(t, [float(gold.replace(",", ""))], "") for t in grounding.number_tokens(answer))
    except ValueError:
        return gold.lower() in answer.lower()


def table(title: str, results: list[dict]) -> str:
    seconds = sorted(r["seconds"] for r in results)
    numbers = sum(r["numbers"] for r in results)
    lines = [f"## {title}", "", "| kind | questions | correct | accuracy |", "|---|---|---|---|"]
    for kind in sorted({r["kind"] for r in results}):
        group = [r for r in results if r["kind"] == kind]
        right = sum(r["correct"] for r in group)
        lines.append(f"| {kind} | {len(group)} | {right} | {right / len(group):.0%} |")
    right = sum(r["correct"] for r in results)
    lines += [f"| **all** | {len(results)} | {right} | **{right / len(results):.1%}** |", "",
              f"invented numbers: {sum(r['invented'] for r in results)} of {numbers} numbers in replies "
              f"({sum(r['invented'] for r in results) / max(numbers, 1):.1%})",
              f"latency: mean {statistics.mean(seconds):.2f} s, p95 {seconds[int(0.95 * (len(seconds) - 1))]:.2f} s"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--llm", action="store_true", help="let the embedded model rephrase (slow on CPU)")
    parser.add_argument("--no-embeddings", action="store_true")
    parser.add_argument("--wtq", action="store_true")
    parser.add_argument("--generated", action="store_true", help="also ask the generated public-shaped tables")
    parser.add_argument("--show", action="store_true", help="print every wrong answer")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    embedder = None
    if not args.no_embeddings:
        from ml.embeddings import shared_embedder

        embedder = shared_embedder()
    llm = None
    if args.llm:
        from ml.llm import build_llm

        llm = build_llm(backend="embedded", cache_dir=ROOT / "var" / "llm-cache")
    results = run_samples(llm=llm, embedder=embedder)
    print(table("Sample datasets", results))
    if args.generated:
        generated = run_generated(llm=llm, embedder=embedder)
        print()
        print(table("Generated public-shaped tables", generated))
        results += generated
    if args.wtq and WTQ.is_dir():
        wtq = run_wtq(embedder=embedder)
        print()
        print(table("WikiTableQuestions sample (gold value in reply)", wtq))
        results += wtq
    if args.show:
        for r in results:
            if not r["correct"] or r["invented"]:
                print(f"- [{r['kind']}] {r['question']}\n    got: {r['answer']}\n    expected: {r['expected']} "
                      f"invented: {r.get('invented_tokens')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
