"""Out-of-fold scores of the champion's members, their folds fitted side by side, one core each.

No fold's fit depends on another's, nor one member's on another's, and LightGBM and scikit-learn release
the GIL while they fit, so threads run them at once. Each fit then runs on one thread: LightGBM's own
threads meet at a barrier on every split, which on a shared machine waits for whichever core is busy
elsewhere (a Santander-shaped 50,000 x 200 book: 300 boosted trees on 2 threads took 14.6 s, on 1 thread
11.6 s, with the other cores loaded). On one thread each fit is deterministic, so the scores do not depend
on how many fits run at once.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from functools import partial
from typing import Any, TypeVar

import numpy as np
import pandas as pd

Split = tuple[np.ndarray, np.ndarray]
T = TypeVar("T")


# Fits held in memory at once are capped: each holds its training rows, their encoded copy and LightGBM's binned
# dataset, about FIT_COPIES times the table; on a machine with many cores a wide book would otherwise hold one
# such set per core (a 200,000 x 200 book: about 1.3 GB a fit, times 15 fits).
FIT_MEMORY_BUDGET = 4 * 2**30
FIT_COPIES = 4


def workers_for(tasks: int, table_bytes: int = 0) -> int:
    """Fits run at once: one per core this process may use, at most one per task, and no more than fit in
    ``FIT_MEMORY_BUDGET`` with a table of ``table_bytes``."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    held = FIT_MEMORY_BUDGET // max(1, FIT_COPIES * int(table_bytes))
    return max(1, min(int(tasks), cores, held))


def run_all(tasks: Sequence[Callable[[], T]], *, on_done: Callable[[int, T], None] | None = None,
            workers: int | None = None) -> list[T]:
    """Every task's result, in the tasks' order, the first tasks started first; ``on_done(index, result)`` runs on
    the calling thread as each task finishes (a progress report may write to a database, or raise to stop the job)."""
    workers = workers_for(len(tasks)) if workers is None else max(1, int(workers))
    if workers == 1 or len(tasks) < 2:
        results = []
        for index, task in enumerate(tasks):
            results.append(task())
            if on_done is not None:
                on_done(index, results[-1])
        return results
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="credit-fold") as pool:
        futures = {pool.submit(task): k for k, task in enumerate(tasks)}
        found: dict[int, T] = {}
        try:
            for future in as_completed(futures):
                index = futures[future]
                found[index] = future.result()  # a fit's error is raised here, as in a loop
                if on_done is not None:
                    on_done(index, found[index])
        except BaseException:
            for future in futures:  # the fits not started are dropped; those running finish first
                future.cancel()
            raise
    return [found[k] for k in range(len(tasks))]


def _boosted(X: pd.DataFrame, labels: pd.Series, params: dict[str, Any], train_idx: np.ndarray,
             test_idx: np.ndarray) -> tuple[np.ndarray, int]:
    from ml.credit import CreditModelTask

    model = CreditModelTask(**{**params, "threads": 1}).fit(X.iloc[train_idx], labels.iloc[train_idx])
    return model.score(X.iloc[test_idx]), int(model.best_iteration_)


def _forest(X: pd.DataFrame, bad: np.ndarray, seed: int, class_weight: str | None, train_idx: np.ndarray,
            test_idx: np.ndarray) -> np.ndarray:
    from ml.credit_forest import ForestScorer

    model = ForestScorer(seed=seed, class_weight=class_weight, threads=1).fit(X.iloc[train_idx], bad[train_idx])
    return model.score(X.iloc[test_idx])


def _logistic(X: pd.DataFrame, bad: np.ndarray, kinds: dict[str, str], codes: dict[str, list[float]] | None,
              train_idx: np.ndarray, test_idx: np.ndarray) -> np.ndarray:
    from ml.credit_linear import LogisticScorer

    model = LogisticScorer(kinds, codes=codes).fit(X.iloc[train_idx], bad[train_idx])
    return model.score(X.iloc[test_idx])


# The forest is dropped after its first fold when it ranks that fold's rows this much worse (AUC) than both the
# boosted and the logistic model, on a fold holding at least DROP_MIN_CLASS loans of each outcome (its AUC then
# moves by about 0.01 from fold to fold). So far behind, it earns no share of the champion: on a Santander-shaped
# 50,000 x 200 book (AUC 0.765 against 0.850 and 0.845) its other four folds took a tenth of the training.
DROP_GAP = 0.03
DROP_MIN_CLASS = 200


def members_oof(X: pd.DataFrame, labels: pd.Series, bad: np.ndarray, splits: Sequence[Split], *,
                model_params: dict[str, Any], kinds: dict[str, str], codes: dict[str, list[float]] | None = None,
                forest: bool = True, on_done: Callable[[int, int], None] | None = None, workers: int | None = None
                ) -> tuple[dict[str, np.ndarray], list[int], list[str]]:
    """Out-of-fold scores of boosted LightGBM (``lightgbm``), the logistic model (``logistic``) and, with
    ``forest``, the random forest (``forest``), all on the same folds; the boosted folds' best iterations; and a
    note when the forest was dropped after its first fold (``DROP_GAP``). ``on_done(finished, total)`` counts
    the fits as they end."""
    seed, class_weight = int(model_params.get("seed", 0)), model_params.get("class_weight", "balanced")
    makers = {"lightgbm": partial(_boosted, X, labels, model_params),
              "logistic": partial(_logistic, X, bad, kinds, codes)}
    if forest:
        makers["forest"] = partial(_forest, X, bad, seed, class_weight)
    # Every member's first fold first, so the forest can be judged before its other folds start.
    tasks = [(name, 0) for name in makers] + [(name, k) for name in makers for k in range(1, len(splits))]
    first, dropped = {}, {}
    test_rows = splits[0][1]
    judged = forest and min(int(bad[test_rows].sum()), int(len(test_rows) - bad[test_rows].sum())) >= DROP_MIN_CLASS

    def fit(name: str, k: int):
        return None if dropped.get("forest") and name == "forest" else makers[name](*splits[k])

    finished = [0]

    def done(index: int, found) -> None:
        name, k = tasks[index]
        if k == 0 and judged:
            first[name] = found[0] if name == "lightgbm" else found
            if len(first) == len(makers):
                dropped.update(_judge_forest(first, bad[test_rows]))
        finished[0] += 1
        if on_done is not None:
            on_done(finished[0], len(tasks))

    if workers is None:
        workers = workers_for(len(tasks), int(X.memory_usage(deep=True).sum()))
    results = run_all([partial(fit, *task) for task in tasks], on_done=done, workers=workers)
    return _gathered(tasks, results, splits, len(bad), dropped)


def _judge_forest(first: dict[str, np.ndarray], bad: np.ndarray) -> dict[str, str]:
    """{"forest": note} when the forest's first fold ranks DROP_GAP worse than both other members' (else {})."""
    from sklearn.metrics import roc_auc_score

    aucs = {name: float(roc_auc_score(bad, scores)) for name, scores in first.items()}
    others = min(aucs["lightgbm"], aucs["logistic"])
    if aucs["forest"] > others - DROP_GAP:
        return {}
    return {"forest": f"The random forest was left out after its first cross-validation fold: it ranked that fold's "
                      f"loans with an AUC of {aucs['forest']:.3f}, against {aucs['lightgbm']:.3f} for boosted LightGBM "
                      f"and {aucs['logistic']:.3f} for the logistic model, too far behind to earn a share of the "
                      "champion."}


def _gathered(tasks: list[tuple[str, int]], results: list, splits: Sequence[Split], rows: int,
              dropped: dict[str, str]) -> tuple[dict[str, np.ndarray], list[int], list[str]]:
    scores: dict[str, np.ndarray] = {}
    iterations = [0] * len(splits)
    for (name, k), found in zip(tasks, results):
        if name in dropped:
            continue
        if name == "lightgbm":
            found, iterations[k] = found
        scores.setdefault(name, np.zeros(rows))[splits[k][1]] = found
    return scores, iterations, list(dropped.values())
