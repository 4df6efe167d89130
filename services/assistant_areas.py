"""Larger areas beside their parts in one column: the Kaggle avocado prices' `region` holds TotalUS, the regions (West,
California, Northeast …) and the cities (LosAngeles, SanDiego …) side by side. TotalUS is named as a total and was
left out already; "total volume by region", "which region sold the most avocados" and "total volume in 2017" still
added West beside Seattle and California beside LosAngeles, counting each avocado two or three times.

A value is a larger area where, on every key of the table (each date and type), its amount is the sum of other
values' amounts: found by non-negative least squares over the others, to within ``FIT`` of its own size. It is
checked only in a column that already holds a named total, and only on a measure that total is itself a sum of
(`Total Volume`, not `AveragePrice`), so a city whose volume merely follows the others' is not taken for an area.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from data import query as sql
from data.query_periods import render_key_totals

FIT = 0.01            # a larger area is the sum of its parts to within 1 % of its own amounts
KEYS_PER_VALUE = 2    # at least this many keys (dates × types) per value, so a fit is not a coincidence
MEASURES_TRIED = 3
MAX_ROWS = 200_000


def larger_areas(views: dict[str, Path], view: str, entity: str, totals: tuple[str, ...], measures: tuple[str, ...],
                 keys: tuple[str, ...]) -> tuple[str, ...]:
    """The values of ``entity`` (besides ``totals``) that add up others over every key, on the first of
    ``measures`` the totals add up on; none where no measure does, or where there are too few keys."""
    keys = tuple(k for k in keys if k != entity)
    if not keys:
        return ()
    for measure in measures[:MEASURES_TRIED]:
        names, matrix = _amounts(views, view, entity, measure, keys)
        if matrix is None or matrix.shape[0] < KEYS_PER_VALUE * matrix.shape[1]:
            return ()
        said = [i for i, n in enumerate(names) if n in totals]
        others = [i for i in range(len(names)) if i not in said]
        if not said or not all(_sum_of(matrix, t, others) for t in said):
            continue  # a price or a rate: the total is no sum of the parts
        return tuple(names[i] for i in others if _sum_of(matrix, i, [o for o in others if o != i]))
    return ()


def _amounts(views: dict[str, Path], view: str, entity: str, measure: str, keys: tuple[str, ...]):
    """Each value's total of ``measure`` per key, as (values, keys × values matrix); (…, None) when too many rows."""
    result = sql.run_select(views, render_key_totals(view, entity, measure, keys), max_rows=MAX_ROWS)
    if result.truncated or not result.rows:
        return [], None
    names = sorted({r[1] for r in result.rows})
    rows = {k: i for i, k in enumerate(sorted({r[0] for r in result.rows}))}
    columns = {n: i for i, n in enumerate(names)}
    matrix = np.zeros((len(rows), len(names)))
    for k, e, v in result.rows:
        matrix[rows[k], columns[e]] = float(v or 0.0)
    return names, matrix


def _sum_of(matrix: np.ndarray, target: int, parts: list[int]) -> bool:
    """Column ``target`` is a non-negative sum of at least two of ``parts`` on every row, to within ``FIT``."""
    from scipy.optimize import nnls

    goal = matrix[:, target]
    size = float(np.linalg.norm(goal))
    if size == 0 or len(parts) < 2:
        return False
    weights, residual = nnls(matrix[:, parts], goal)
    return int((weights > FIT).sum()) >= 2 and residual <= FIT * size
