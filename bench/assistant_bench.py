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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples"
WTQ = Path(__file__).resolve().parents[2] / "shared" / "data" / "wtq_sample"
CANNOT = "cannot answer"


@dataclass(frozen=True)
class Question:
    dataset: str
    text: str
    expected: Callable[[dict[str, pd.DataFrame]], object]  # a number, text, list of texts, or CANNOT
    kind: str
    chain: str = ""  # questions sharing a chain are asked in one conversation (follow-ups)


def _s(f):  # sales frame helper
    return f["store_item_sales"]


def _c(f):
    return f["credit_applicants"]


def _m(f):
    return f["machine_telemetry"]


def _year(f, y):
    d = _s(f)
    return d[pd.to_datetime(d["date"]).dt.year == y]


def questions() -> list[Question]:
    S, C, M = "store_item_sales", "credit_applicants", "machine_telemetry"
    q = Question
    return [
        q(S, "How many rows are there?", lambda f: len(_s(f)), "count"),
        q(S, "What is the total sales in 2017?", lambda f: _year(f, 2017).sales.sum(), "sum"),
        q(S, "What is the sum of sales for store 2?", lambda f: _s(f)[_s(f).store == 2].sales.sum(), "sum"),
        q(S, "What is the average sales for store 1?", lambda f: _s(f)[_s(f).store == 1].sales.mean(), "mean",
          chain="a"),
        q(S, "and for store 2?", lambda f: _s(f)[_s(f).store == 2].sales.mean(), "follow-up", chain="a"),
        q(S, "what about 2016?", lambda f: _year(f, 2016).query("store == 2").sales.mean(), "follow-up", chain="a"),
        q(S, "Which store has the highest average sales?",
          lambda f: str(_s(f).groupby("store").sales.mean().idxmax()), "compare"),
        q(S, "Which item has the lowest total sales?", lambda f: str(_s(f).groupby("item").sales.sum().idxmin()),
          "compare"),
        q(S, "Top 2 items by total sales", lambda f: [str(i) for i in _s(f).groupby("item").sales.sum()
                                                       .sort_values(ascending=False).index[:2]], "top-k"),
        q(S, "Compare average sales of store 1 and store 2",
          lambda f: [round(v, 2) for v in _s(f).groupby("store").sales.mean().loc[[1, 2]]], "compare"),
        q(S, "How many days had sales greater than 50?", lambda f: int((_s(f).sales > 50).sum()), "filter"),
        q(S, "How many rows have sales between 20 and 30?", lambda f: int(_s(f).sales.between(20, 30).sum()),
          "filter"),
        q(S, "What is the median sales between March and May 2016?",
          lambda f: _s(f)[pd.to_datetime(_s(f).date).between("2016-03-01", "2016-05-31")].sales.median(), "date"),
        q(S, "Total sales after 2017-06-01", lambda f: _s(f)[pd.to_datetime(_s(f).date) > "2017-06-01"].sales.sum(),
          "date"),
        q(S, "How many rows before 2016-02-01?", lambda f: int((pd.to_datetime(_s(f).date) < "2016-02-01").sum()),
          "date"),
        q(S, "What was the total sales in March 2017?",
          lambda f: _s(f)[pd.to_datetime(_s(f).date).dt.strftime("%Y-%m") == "2017-03"].sales.sum(), "date"),
        q(S, "How many different items are there?", lambda f: _s(f).item.nunique(), "distinct"),
        q(S, "What is the maximum sales of item 3 in store 2?",
          lambda f: _s(f).query("item == 3 and store == 2").sales.max(), "max"),
        q(S, "What is the minimum sales?", lambda f: _s(f).sales.min(), "min"),
        q(S, "What is the average sales per item?", lambda f: [round(v, 2) for v in _s(f).groupby("item").sales.mean()],
          "group"),
        q(S, "What is the mean sales of item 1 in 2016?", lambda f: _year(f, 2016).query("item == 1").sales.mean(),
          "mean", chain="b"),
        q(S, "and for item 2?", lambda f: _year(f, 2016).query("item == 2").sales.mean(), "follow-up", chain="b"),
        q(S, "What is the average profit?", lambda f: CANNOT, "unanswerable"),
        q(S, "What is the total sales in store 9?", lambda f: CANNOT, "unanswerable"),
        q(S, "Total sales in 2020", lambda f: CANNOT, "unanswerable"),
        q(S, "Who won the world cup in 2018?", lambda f: CANNOT, "unanswerable"),
        q(C, "How many applicants are there?", lambda f: len(_c(f)), "count"),
        q(C, "How many applicants have credit risk bad?", lambda f: int((_c(f).credit_risk == "bad").sum()), "filter"),
        q(C, "What is the average credit amount?", lambda f: _c(f).credit_amount.mean(), "mean"),
        q(C, "What is the total credit amount for purpose business?",
          lambda f: _c(f)[_c(f).purpose == "business"].credit_amount.sum(), "sum"),
        q(C, "What is the maximum duration in months?", lambda f: _c(f).duration_months.max(), "max"),
        q(C, "How many applicants are older than 60?", lambda f: int((_c(f).age_years > 60).sum()), "filter"),
        q(C, "What is the median age?", lambda f: _c(f).age_years.median(), "median"),
        q(C, "Which purpose has the highest average credit amount?",
          lambda f: _c(f).groupby("purpose").credit_amount.mean().idxmax(), "compare"),
        q(C, "Which purpose is most common?", lambda f: _c(f).purpose.value_counts().idxmax(), "mode"),
        q(C, "How many distinct purposes are there?", lambda f: _c(f).purpose.nunique(), "distinct"),
        q(C, "What is the average age of applicants with housing rent?",
          lambda f: _c(f)[_c(f).housing == "rent"].age_years.mean(), "mean", chain="c"),
        q(C, "and for own?", lambda f: _c(f)[_c(f).housing == "own"].age_years.mean(), "follow-up", chain="c"),
        q(C, "Top 3 purposes by total credit amount",
          lambda f: list(_c(f).groupby("purpose").credit_amount.sum().sort_values(ascending=False).index[:3]),
          "top-k"),
        q(C, "How many applicants with a credit amount above 10000 are bad?",
          lambda f: int(((_c(f).credit_amount > 10000) & (_c(f).credit_risk == "bad")).sum()), "filter"),
        q(C, "Compare the average duration of good and bad credit risk",
          lambda f: [round(v, 2) for v in _c(f).groupby("credit_risk").duration_months.mean()], "compare"),
        q(C, "What is the average salary?", lambda f: CANNOT, "unanswerable"),
        q(C, "How many applicants have purpose spaceship?", lambda f: CANNOT, "unanswerable"),
        q(M, "How many machines failed?", lambda f: int(_m(f)["Machine failure"].sum()), "sum"),
        q(M, "What is the average torque?", lambda f: _m(f)["Torque [Nm]"].mean(), "mean"),
        q(M, "What is the maximum tool wear for type L?", lambda f: _m(f).query("Type == 'L'")["Tool wear [min]"].max(),
          "max"),
        q(M, "How many rows have rotational speed over 2000?", lambda f: int((_m(f)["Rotational speed [rpm]"] > 2000)
                                                                              .sum()), "filter"),
        q(M, "What is the average air temperature per type?",
          lambda f: [round(v, 2) for v in _m(f).groupby("Type")["Air temperature [K]"].mean()], "group"),
        q(M, "Which type has the highest average process temperature?",
          lambda f: _m(f).groupby("Type")["Process temperature [K]"].mean().idxmax(), "compare"),
        q(M, "How many rows are of type H?", lambda f: int((_m(f).Type == "H").sum()), "filter"),
        q(M, "What is the lowest rotational speed?", lambda f: _m(f)["Rotational speed [rpm]"].min(), "min"),
        q(M, "What is the average humidity?", lambda f: CANNOT, "unanswerable"),
        q(C, "What is the 90th percentile of credit amount?", lambda f: _c(f).credit_amount.quantile(0.9),
          "percentile"),
        q(S, "Total sales of item 1 in 2016 vs 2017", lambda f: [_year(f, y).query("item == 1").sales.sum()
                                                                 for y in (2016, 2017)], "compare"),
        q(M, "What is the minimum and maximum torque?", lambda f: [_m(f)["Torque [Nm]"].min(),
                                                                   _m(f)["Torque [Nm]"].max()], "min"),
        q(C, "What percentage of applicants with duration months over 36 have credit risk bad?",
          lambda f: 100 * (_c(f).query("duration_months > 36").credit_risk == "bad").mean(), "percentage"),
        q(C, "How many missing values are in purpose?", lambda f: int(_c(f).purpose.isna().sum()), "missing"),
        q(M, "Top 3 machines by torque", lambda f: list(_m(f)["Torque [Nm]"].nlargest(3)), "top-k"),
        q(S, "What was the best month for sales?", lambda f: _s(f).groupby(pd.to_datetime(_s(f).date).dt.strftime(
            "%Y-%m")).sales.sum().idxmax(), "compare"),
        q(S, "What is the best selling item?", lambda f: str(_s(f).groupby("item").sales.sum().idxmax()), "compare"),
        q(S, "Which store had the best month?", lambda f: CANNOT, "unanswerable"),
        q(M, "How many heat dissipation failures are there?", lambda f: int(_m(f).HDF.sum()), "count"),
        q(M, "How many machines had a tool wear failure?", lambda f: int(_m(f).TWF.sum()), "count"),
        q(M, "How many failures were there?", lambda f: int(_m(f)["Machine failure"].sum()), "count"),
        q(C, "What percentage of applicants have credit risk bad among those with housing own?",
          lambda f: 100 * (_c(f).query("housing == 'own'").credit_risk == "bad").mean(), "percentage"),
        q(S, "What was the total sales last quarter?", lambda f: _s(f)[pd.to_datetime(_s(f).date) >= "2017-10-01"]
          .sales.sum(), "date"),
        q(S, "Total sales last month for store 2", lambda f: _s(f)[pd.to_datetime(_s(f).date) >= "2017-12-01"]
          .query("store == 2").sales.sum(), "date"),
        q(M, "How many machines faild?", lambda f: int(_m(f)["Machine failure"].sum()), "count"),
        q(M, "What is the avg process temp?", lambda f: _m(f)["Process temperature [K]"].mean(), "mean"),
    ]


def is_correct(answer: str, expected: object) -> bool:
    from domain import assistant as rules

    if expected == CANNOT:
        return rules.CANNOT.lower() in answer.lower()
    if rules.CANNOT.lower() in answer.lower():
        return False
    items = [i.item() if hasattr(i, "item") else i for i in (expected if isinstance(expected, list) else [expected])]
    tokens = rules.number_tokens(answer)
    for item in items:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            if not any(rules.grounded(t, [float(item)], "") for t in tokens):
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
    from domain import assistant as rules
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
            invented = rules.invented_numbers(reply.answer, rules.evidence_numbers(evidence), evidence)
            results.append({"kind": item.kind, "question": item.text, "answer": reply.answer, "expected": expected,
                            "invented_tokens": invented, "correct": is_correct(reply.answer, expected),
                            "numbers": len(rules.number_tokens(reply.answer)), "invented": len(invented),
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
    from domain import assistant as rules

    try:
        return any(rules.grounded(t, [float(gold.replace(",", ""))], "") for t in rules.number_tokens(answer))
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
