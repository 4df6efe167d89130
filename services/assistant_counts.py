"""Counts a reply needs beside its plan's rows, so that it says what its number is made of: the rows with no
value in a percentage's condition column ("19.95% of 20,000 flights have ARR_DELAY > 15; 488 have no
ARR_DELAY"), and how many rows share the highest value when only the first of them are listed.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from data import query as sql
from data.query_spec import Filter, SelectSpec, render


def _count(views: dict, spec: SelectSpec) -> tuple[int, str]:
    text, params = render(spec)
    value = next(iter(sql.run_select(views, text, params).records()[0].values())) or 0
    return int(value), sql.inline(text, params)


def blank_conditions(views: dict, spec: SelectSpec) -> tuple[dict[str, int], str]:
    """Rows of the percentage's population with no value in each column of its condition: they are counted
    in the whole but can never match, which the reply says."""
    every = replace(spec, agg="count", measure=None, condition=(), label="rows", group_by=None, order_by=None,
                    limit=None, numeric_measure_text=False)
    whole, shown = _count(views, every)
    blanks, queries = {}, [shown]
    for column in dict.fromkeys(f.column for f in spec.condition):
        filled, text = _count(views, replace(every, measure=column, label=f"rows with {column}"))
        queries.append(text)
        if whole - filled:
            blanks[column] = whole - filled
    return blanks, ";\n".join(queries)


def tied_rows(views: dict, spec: SelectSpec, measure: str, best: Any) -> tuple[int, str]:
    """How many rows hold the highest (or lowest) value, when the rows listed stop at the limit."""
    tied = Filter(measure, "=", best, numeric_text=spec.numeric_measure_text)
    every = replace(spec, agg="count", measure=None, select=(), label="rows", order_by=None, limit=None,
                    filters=spec.filters + (tied,), numeric_measure_text=False)
    return _count(views, every)
