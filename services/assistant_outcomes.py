"""Rates of an outcome on a loan book ("default rate by term", "what percentage of loans are charged off"): a loan
still running (Current, In Grace Period, Late (31-120 days)) has no outcome yet, so it is in neither part of the
rate. The finance desk's reading of loan statuses (``domain.loan_outcomes``) says which values finished; the reply
counts the loans left out. Counting them as not defaulted made every default rate look smaller.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from data import query as sql
from data.query_spec import Filter, render
from domain import assistant as rules
from domain import loan_outcomes
from services.assistant_slots import Plan, is_flag
from services.assistant_table import Parsed, TableContext, column_words

# "default rate", "bad rate", "share of defaults": every value read as a default, not only one spelled "Default"
DEFAULT_RATE = re.compile(r"\b(?:(?:default|bad|delinquency)\s+rates?|(?:rate|share|percentage|percent|proportion)"
                          r" of (?:defaults|bad loans|defaulted loans|delinquencies))\b")
FINISHED = (loan_outcomes.DEFAULT, loan_outcomes.REPAID)
# a 0/1 column saying the loan failed: "default", "is_bad", "loan_default", "charged_off", "delinquent"
DEFAULT_FLAG = re.compile(r"\b(?:default(?:ed)?|bad|charged?|charge ?off|chargeoff|delinquen\w*|written ?off"
                          r"|writeoff)\b")


def outcome_kinds(table: TableContext, column: str) -> dict[Any, str] | None:
    """Each value's kind (default, repaid, running) where the column reads as a loan's outcome: every value read,
    and defaults, repaid and running loans all present; else None."""
    values = [v for v in table.values.get(column) or [] if v is not None]
    if table.is_numeric(column) or table.is_date(column) or not values or len(values) > 30:
        return None
    kinds = {v: (loan_outcomes.RUNNING if loan_outcomes.is_unknown_outcome(v) else loan_outcomes.outcome_kind(v))
             for v in values}
    if None in kinds.values() or not {*FINISHED, loan_outcomes.RUNNING} <= set(kinds.values()):
        return None
    return kinds


def finished_only(parsed: Parsed, table: TableContext, chosen: Plan) -> Plan:
    """A rate whose counted rows are finished outcomes of a loan-status column, or a 0/1 flag named like a default
    ("default", "bad_loan") on a table that also has such a column, taken over finished loans only."""
    spec = chosen.spec
    columns = {f.column for f in spec.condition}
    if spec.agg != "rate" or len(columns) != 1:
        return chosen
    column = next(iter(columns))
    if is_flag(table, column):
        return _flag_over_finished(parsed, table, chosen, column)
    kinds = outcome_kinds(table, column)
    counted = {v for f in spec.condition for v in (f.values if f.op == "in" else (f.value,))}
    if kinds is None or f"{column}" in {f.column for f in spec.filters} or spec.condition[0].op not in ("=", "in") \
            or not counted or any(kinds.get(v) not in FINISHED for v in counted):
        return chosen  # "what percentage of loans are Current": a running value asked for is counted as asked
    condition = spec.condition
    defaults = tuple(v for v, kind in kinds.items() if kind == loan_outcomes.DEFAULT)
    is_default = all(kinds[v] == loan_outcomes.DEFAULT for v in counted)
    if DEFAULT_RATE.search(parsed.text) and is_default and set(counted) != set(defaults):
        condition = (Filter(column, "in", values=defaults),)  # "default rate": Charged Off and Default alike
    shown = " or ".join(map(str, next(f.values if f.op == "in" else (f.value,) for f in condition)))
    label = f"Default rate ({column} {shown}), %" if is_default else f"Share with {column} {shown}, %"
    return _over_finished(chosen, table, column, kinds, condition, label)


def _flag_over_finished(parsed: Parsed, table: TableContext, chosen: Plan, column: str) -> Plan:
    """"default rate by term" on a 0/1 default column beside a loan-status column: the running loans' flag is 0
    only because they have not failed yet, so they are left out as for the status column's own rate."""
    spec = chosen.spec
    flag = spec.condition[0]
    if flag.op != "=" or flag.value not in (1, True) or not DEFAULT_FLAG.search(column_words(column)):
        return chosen
    status = next((c for c in table.columns if c != column and c not in {f.column for f in spec.filters}
                   and outcome_kinds(table, c) is not None), None)
    if status is None:
        return chosen
    return _over_finished(chosen, table, status, outcome_kinds(table, status), spec.condition,
                          f"Default rate ({column} = 1), %")


def _over_finished(chosen: Plan, table: TableContext, status: str, kinds: dict[Any, str], condition: tuple,
                   label: str) -> Plan:
    spec = chosen.spec
    finished = tuple(v for v, kind in kinds.items() if kind in FINISHED)
    known = Filter(status, "in", values=finished)
    note = f"the loan has finished ({status} {' or '.join(map(str, finished))})"
    extra = {**spec.extra, "finished": status}
    return replace(chosen, spec=replace(spec, filters=spec.filters + (known,), condition=condition, label=label,
                                        order_by=spec.order_by if spec.order_by != spec.label else label,
                                        extra=extra), notes=chosen.notes + (note,))


def left_out(views: dict, chosen: Plan) -> tuple[dict[str, int], str]:
    """Loans of the population whose outcome is not known yet, by status, and the query that counts them."""
    spec = chosen.spec
    column = spec.extra["finished"]
    known = next(f for f in spec.filters if f.column == column and f.op == "in")
    others = tuple(f for f in spec.filters if f is not known)
    counting = replace(spec, agg="count", measure=None, group_by=column, grain=None, grain_column=None, condition=(),
                       filters=others, label="loans", order_by="value", descending=True, limit=None, extra={})
    text, params = render(counting)
    records = sql.run_select(views, text, params).records()
    counts = {("(blank)" if r[column] is None else str(r[column])): int(r["loans"]) for r in records
              if r[column] not in known.values}
    return counts, sql.inline(text, params)


def left_out_sentence(counts: dict[str, int]) -> str:
    if not counts:
        return ""
    total = sum(counts.values())
    shown = ", ".join(f"{value} {rules.format_number(n)}" for value, n in counts.items())
    loans = "loan" if total == 1 else "loans"
    return f" {rules.format_number(total)} {loans} with no outcome yet are left out ({shown})."
