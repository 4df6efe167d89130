"""Assistant use cases: answer a question from the user's data, runs and docs, keep the conversation.

Tools are chosen by rules (``assistant_router``/``assistant_intents``/``assistant_desks``), or by a
stronger configured model whose JSON plan is validated first; a language model may only rephrase
the template answer, and a rephrasing that contains a number the tool did not return is dropped.
"""
from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from domain import assistant as rules
from domain import assistant_grounding as grounding
from services import (assistant_coverage, assistant_desks, assistant_docs, assistant_lifetimes, assistant_missing,
                      assistant_modes, assistant_naming, assistant_percentiles, assistant_planner, assistant_runfacts,
                      assistant_scorecounts, assistant_spelling, assistant_tools, assistant_versus, assistant_wording,
                      datasets)
from services.assistant_runs import MISSING_RUN, STANDS
from services.assistant_followup import follow_up_parse
from services.assistant_router import parse, value_index
from services.assistant_table import Parsed
from services.assistant_intents import UNNAMED_SUPERLATIVE, CannotAnswer, plan
from services.assistant_hours import BUSY, HOURLY
from services.assistant_tools import (ToolResult, choose_dataset, date_coverage, describe_dataset, list_datasets,
                                     run_plan, table_context, tied_datasets)
from services.assistant_turns import (ALONE, Reply, history, latest_conversation, new_conversation,
                                     previous_state, reword_turn, save_turn)
from services.errors import NotFoundError
from services.runtime import Runtime

PHRASE_SYSTEM = ("You rewrite a data answer as one short, friendly sentence for an analyst. Use only the facts "
                 "given. Copy every number and name exactly. Do not add anything.")
DOC_FIRST_SCORE = 0.5
TIED_TRIES = 3  # datasets tried, best match first, when the question names none


def _follow_up(table, index: dict, first: str, follow_ups: list[str], embedder) -> ToolResult:
    """The earlier question with the follow-ups applied, answered; a refusal shows the data's dates."""
    base = follow_up_parse(first, follow_ups, table, index)
    try:
        return run_plan(table, plan(base, table, embedder))
    except CannotAnswer as exc:
        return ToolResult("query_dataset", str(exc), "", date_coverage(table), table.name, cannot=True)


def _data_tool(runtime: Runtime, question: str, name: str, state: dict[str, Any], *, embedder, planner) -> ToolResult:
    table = table_context(runtime, name)
    index = value_index(table)
    if state.get("dataset") == name and rules.is_follow_up(question):
        earlier = state.get("follow_ups", [])
        result = _follow_up(table, index, state["question"], [*earlier, question], embedder)
        if result.cannot:  # "and for stroe 2?": its typos read as a whole question's are, the reply saying so
            fixed, reading = assistant_spelling.read_follow_up(question, table, index)
            retried = _follow_up(table, index, state["question"], [*earlier, fixed], embedder) if reading else result
            if reading.startswith(rules.CANNOT):
                result = replace(result, answer=reading)
            elif not retried.cannot:
                question, result = fixed, replace(retried, answer=f"{reading} {retried.answer}")
        kept = [*earlier, *([] if result.cannot else [question])]  # a refused one is not built on
        return replace(result, state={**result.state, "question": state["question"], "dataset": name,
                                      "follow_ups": kept})
    result = None
    if planner is not None:
        result = assistant_planner.plan_with_model(planner, question, table)

    def answer_with(text: str, parsed: Parsed) -> tuple[ToolResult, ToolResult | None]:
        side = (assistant_lifetimes.two_questions(text)  # "how many engines … and what is the longest life"
                or assistant_lifetimes.unit_counts_and_lives(table, text)  # "how many engines", "longest life"
                or assistant_missing.missing_values(table, parsed)  # "how many missing values are in Depth"
                or assistant_percentiles.query_percentile(table, text, index, embedder)  # "90th percentile"
                or assistant_versus.compare_periods(table, text, index, embedder)  # "in 2016 vs 2017"
                or assistant_versus.two_statistics(table, text, index, embedder)  # "minimum and maximum"
                or assistant_modes.flag_counts(table, text))  # "which failure mode is most common": 0/1 columns
        return side or assistant_tools.query_dataset(table, text, embedder=embedder, parsed=parsed), side
    parsed = parse(question, table, index)
    result, side = (result, None) if result is not None else answer_with(question, parsed)
    if result.cannot and side is None and planner is None:  # "how many machines faild": read as "failed", said
        question, result, side = assistant_spelling.retry_typos(question, parsed, table, index, result, answer_with)
    if result.cannot:  # follow-ups still lean on the last question answered, never on a refused one
        return replace(result, state=state if state.get("dataset") == name else {})
    if side is not None:  # not built on: "and for item 5?" read "from 2016 to 2017" as one range
        return replace(result, state={**result.state, "dataset": name, ALONE: True})
    return replace(result, state={**result.state, "question": question, "dataset": name, "follow_ups": []})


def route(runtime: Runtime, question: str, *, dataset: str | None = None, state: dict[str, Any] | None = None,
          embedder=None, planner=None) -> ToolResult:
    """Pick and run one tool. Never raises for a question the data cannot answer: it says so."""
    state = state or {}
    if assistant_naming.SPLIT_PART.search(question):  # "in the training data": the one dataset named train_…
        question = assistant_naming.split_named(question, [d.name for d in datasets.list_datasets(runtime)])
    text = rules.normalise(question)
    if rules.has_any(text, ("datasets", "which data", "what data")) and not dataset:
        return list_datasets(runtime)
    about_run = assistant_runfacts.route(runtime, text)  # "columns left out in run 5": the run, not a table
    if about_run is not None:
        return about_run
    named = assistant_naming.named_dataset(question, [d.name for d in datasets.list_datasets(runtime)],
                                           at_end=dataset is None)  # "does fav have", "the fav dataset"
    if rules.has_any(text, ("describe", "what columns", "which columns", "columns of", "columns in")):
        name = named or dataset or choose_dataset(runtime, question) or state.get("dataset")
        if name:
            return describe_dataset(runtime, name)
    if assistant_coverage.asked(question):  # "what was the latest month": the dates' edge, not "last month"'s rows
        name = named or dataset or choose_dataset(runtime, question) or state.get("dataset")
        if name:
            return assistant_coverage.date_span(table_context(runtime, name), question)
    desk_result = assistant_desks.route(runtime, question)
    if desk_result is not None and (desk_result.tool == MISSING_RUN or desk_result.state.get(STANDS) or not (
            desk_result.cannot and (dataset or datasets.list_datasets(runtime)))):
        return desk_result  # "no run yet" only when there is no data to answer from instead
    no_run = desk_result  # …and when the data cannot answer either: it says more than "no column matches"
    # "profit margin by category", "which month is …", "the coldest day" with a dataset picked: a grouping, a time
    # bucket or a superlative asks the data (a docs excerpt answered it)
    grouped = bool(dataset) and (re.search(r"\b(?:by|per|for each)\s+[a-z]|\b(?:which|what)\s+(?:year|quarter|month|"
                                           r"week|day|date|hour|weekday)\b", text) or UNNAMED_SUPERLATIVE.search(text)
                                  or BUSY.search(text) or HOURLY.search(text)  # "what is the quietest hour?",
                                  or assistant_missing.asks_for_missing(text))  # "are there any missing values"
    # "what is the hourly cnt" (a docs excerpt answered it): buckets of the data
    data_shaped = bool(rules.aggregate_words(text)) or rules.is_count_question(text) or rules.top_k(text)
    if rules.is_follow_up(question) and not state.get("question") and (not data_shaped or state.get(ALONE)):
        return _nothing_to_follow(question, bool(state.get(ALONE)))
    docs = assistant_docs.answer_from_docs(question, min_score=DOC_FIRST_SCORE) \
        if rules.looks_like_doc_question(question) and no_run is None and not grouped \
        and not assistant_tools.names_data(runtime, question, dataset) else None
    if docs is not None:
        return docs
    follow = state.get("dataset") if rules.is_follow_up(question) and not dataset else None
    tied = [] if named or dataset or follow else tied_datasets(runtime, question)
    name = named or dataset or follow or next(iter(tied), None)
    counted = assistant_scorecounts.newest_scored_counts(runtime, text) if no_run is None and not dataset else None
    if name is None:  # "how many applicants were approved?": the newest finance scores when no table answers
        return counted or assistant_docs.answer_from_docs(question, embedder=embedder) or ToolResult(
            "none", f"{rules.CANNOT}: no dataset is stored yet. Import one first.", cannot=True)
    asked = assistant_naming.without_name(question, name)  # "in loans_train": no column or value of it
    result = _data_tool(runtime, asked, name, state, embedder=embedder, planner=planner)
    for other in tied[1:TIED_TRIES] if result.cannot else ():  # a best match that cannot answer: an equal one may
        retry = _data_tool(runtime, assistant_naming.without_name(question, other), other, state, embedder=embedder,
                           planner=planner)
        if not retry.cannot:  # "failed machines vs not failed": the newest table has tool wear but no failure flag
            name, result = other, retry
            break
    if result.cannot and counted is not None:
        return counted
    if name != dataset and name != follow and (not result.cannot or f"'{name}'" not in result.answer):
        result = replace(result, answer=f"{result.answer} (dataset: {name})")  # chosen here: the reply says which
    if result.cannot and no_run is not None:
        return no_run
    if no_run is not None and no_run.tool == "series_forecast" and "forecast" not in result.query.lower():
        return no_run  # a forecast question is answered from the data only by a forecast column, never a row count
    leaning = bool(state.get("dataset")) and rules.is_follow_up(question)  # "and the stock price?" is about the data
    if result.cannot and "names no column" in result.answer and not (data_shaped or grouped or leaning):  # the app?
        return assistant_docs.answer_from_docs(question, embedder=embedder, min_score=DOC_FIRST_SCORE) or result
    return result


def _nothing_to_follow(question: str, alone: bool = False) -> ToolResult:
    """'and for store 3?' as a conversation's first question: what it changes is unknown ('same for amount'
    got a docs excerpt, 'and for purpose car?' a row count nobody asked for). After figures set side by side (two
    periods, a percentile, missing values) a follow-up is not built on them either."""
    earlier = ("the last answer set figures side by side (periods, statistics, a percentile or missing values) and "
               "is not built on" if alone else "this conversation has none answered yet")
    return ToolResult("none", f"{rules.CANNOT}: {question!r} builds on an earlier question, and {earlier}. Ask it "
                      "in full, with what to measure, e.g. 'total sales for store 3'.", cannot=True)


def check_phrasing(text: str, result: ToolResult, question: str) -> tuple[bool, tuple[str, ...]]:
    """Accept a rephrasing only if every number in it comes from the tool, none of the template's numbers,
    names or labels went missing, and it is not cut short (``assistant_wording``); also the numbers in it
    that no tool result holds."""
    evidence = result.evidence + " " + question
    invented = tuple(grounding.invented_numbers(text, grounding.evidence_numbers(evidence), evidence))
    kept = all(token in grounding.number_tokens(text) for token in grounding.number_tokens(result.answer))
    lost = assistant_wording.problems(text, result.answer, result.rows, question, result.query)
    return (not invented and kept and not lost and 0 < len(text) < 600), invented


def phrase_messages(question: str, template: str) -> list[dict[str, str]]:
    return [{"role": "system", "content": PHRASE_SYSTEM},
            {"role": "user", "content": f"Question: {question}\nFacts: {template}\nAnswer:"}]


def answer(runtime: Runtime, question: str, *, user: str, dataset: str | None = None,
           conversation_id: str | None = None, llm=None, embedder=None, planner=None, save: bool = True,
           fresh: bool = False) -> Reply:
    """One question, one tool, one grounded reply; stored in the user's conversation when ``save``. ``fresh``:
    the conversation starts again here (earlier turns are not built on; later ones build on this one)."""
    question = question.strip()
    if dataset is not None:
        datasets.get_dataset(runtime, dataset)  # NotFoundError for a wrong --dataset, before anything runs
    state = {} if fresh else previous_state(runtime, user, conversation_id)
    result = route(runtime, question, dataset=dataset, state=state, embedder=embedder, planner=planner)
    if fresh:
        result = replace(result, state={**result.state, "fresh": True})
    text, used = result.answer, False
    if llm is not None and not result.cannot:
        try:
            candidate = llm.generate(phrase_messages(question, result.answer), max_new_tokens=96)
        except Exception:  # noqa: BLE001 - phrasing is optional; the template is always correct
            candidate = ""
        ok, _ = check_phrasing(candidate, result, question)
        text, used = (candidate, True) if ok else (result.answer, False)
    reply = Reply(question, text, result.answer, result.tool, result.query, result.rows, result.dataset,
                  result.cannot, used, check_phrasing(text, result, question)[1], conversation_id or "", result.state)
    if save and conversation_id:
        save_turn(runtime, user=user, reply=reply)
    return reply


def stream_phrasing(reply: Reply, llm) -> Iterator[str]:
    """Tokens of a rephrasing as they come (the page shows them, then keeps them only if they pass)."""
    yield from llm.stream(phrase_messages(reply.question, reply.template), max_new_tokens=96)


def finalize(reply: Reply, streamed: str) -> Reply:
    result = ToolResult(reply.tool, reply.template, reply.query, reply.rows, reply.dataset, reply.cannot, reply.state)
    ok, _ = check_phrasing(streamed.strip(), result, reply.question)
    return replace(reply, answer=streamed.strip(), llm_used=True) if ok else reply


def rows_returned(count: int) -> str:
    """The caption under "Show the data": '1 row returned', '12 rows returned'."""
    return f"{count:,} row{'' if count == 1 else 's'} returned"


def rows_shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows under "Show the data" with numbers rounded as the answer writes them (two decimals; four
    significant digits below 1): 19314.670000000006 beside "19,314.67" read as another figure. The stored rows,
    ``--json`` and the number check keep them whole."""
    return [{key: _as_written(value) for key, value in row.items()} for row in rows]


def _as_written(value: Any) -> Any:
    if not isinstance(value, float) or not math.isfinite(value):
        return value
    return round(value, 2) if abs(value) >= 1 else float(f"{value:.4g}")


__all__ = ["Reply", "answer", "route", "history", "rows_returned", "rows_shown", "save_turn", "reword_turn", "finalize",
           "stream_phrasing", "NotFoundError", "latest_conversation", "new_conversation"]
