"""Failure-risk modelling helpers: binary targets of any spelling, the failure model and its failure-mode
breakdown (ml/failure_modes.py; out-of-fold scores, the threshold and the figures: ml/failure_scores.py).

The guard exists because telemetry exports often carry the answer next to the question: row ids,
and failure-mode flags (TWF, HDF…) that are only set when the machine failed. A model trained on
them scores perfectly in validation and is useless on new readings, so they are excluded by default.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ml.failure_sampling import MAX_ROWS, sampled, sampled_rows
from ml.numbers import to_numeric
from ml.tabular import LightGBMClassifierTask

POSITIVE_WORDS = {"1", "1.0", "yes", "y", "true", "t", "failure", "failed", "fail", "fault", "faulty", "broken",
                  "down", "error", "alarm", "positive", "pos", "defect", "defective", "anomaly", "abnormal"}
# One of these among several label values says no failure, so every other value names a kind of failure. Not
# 'normal': a pump's NORMAL / BROKEN / RECOVERING has a state that is neither.
NO_FAILURE_WORDS = {"none", "no failure", "no_failure", "no-failure", "nofailure", "no fault", "no_fault"}
FINE_BINS = 4095
WIDE_COLUMNS = 60
FINE_COLUMNS = 16  # columns per tree up to which the trees get the fine bins
FEW_FAILURES = 100  # fewer failures than this: the leaves' values are shrunk (model_settings)
FEW_FAILURE_L2 = 1.0
MAX_LABEL_VALUES = 20  # a numeric target with more values is a measurement, not a label
MAX_GRADES = 10  # a target of whole numbers 0, 1, 2 … (0 the usual) with at most this many is a graded failure


class TargetError(ValueError):
    """The target column cannot be read as a binary failure label."""


def binarise(target: pd.Series, positive: str | None = None) -> tuple[pd.Series, str]:
    """0/1 labels from any two-valued column; the positive value is named, guessed or the minority. Several
    values named with commas ('comp1,comp2') all count as the failure (the others as none); with more than two
    values and one of them a no-failure word ('none'), every other value does. The second item is the failure
    value, or the values joined with ', '."""
    values = target.dropna()
    if pd.api.types.is_float_dtype(values) and (values == values.round()).all():
        values = values.astype("int64")  # a blank label made 0/1 into 0.0/1.0: the file says 1
    if pd.api.types.is_bool_dtype(values) or (values.dtype == object and len(values)
                                              and values.map(type).isin([bool, np.bool_]).all()):
        values = values.map({True: "yes", False: "no"})  # Yes/No, Y/N in the file: read as booleans, said as yes/no
    labels, numeric = _label_text(values)
    distinct = sorted(labels.unique().tolist())
    shown = ", ".join(distinct[:6]) + ("…" if len(distinct) > 6 else "")
    matches = _named_values(positive, distinct, target.name, shown) if positive is not None else []
    if len(distinct) > MAX_LABEL_VALUES and positive is None and numeric.notna().mean() > 0.95:
        raise TargetError(f"{target.name!r} looks like a measurement ({len(distinct):,} different numbers), not a "
                          "failure label: the target must say whether the machine failed (0/1, yes/no, a failure "
                          "value). Pick the column that records failures.")
    calm = [d for d in distinct if d.lower() in NO_FAILURE_WORDS]
    if len(distinct) > 2 and not matches and len(calm) == 1 and len(distinct) <= MAX_LABEL_VALUES:
        matches = [d for d in distinct if d != calm[0]]  # Azure's failure column: none, comp1 … comp4
    if len(distinct) > 2 and not matches and _graded_from_zero(numeric, labels):
        matches = [d for d in distinct if d != "0"]  # a severity 0/1/2: every grade above 0 is a failure
    if len(distinct) == 1 and not matches:
        raise TargetError(f"{target.name!r} holds one value only ({shown}): a failure model needs readings that "
                          "failed and readings that did not. Check that the file holds both (a filtered export "
                          "keeps only one kind).")
    if len(distinct) != 2 and not matches:
        listed = ", ".join(distinct) if len(distinct) <= MAX_LABEL_VALUES else shown
        raise TargetError(f"The target must have exactly two values (failed / not failed); "
                          f"{target.name!r} has {len(distinct)}: {listed}. Name the failure value with --positive "
                          "('Failure value' on the page; every other value then counts as no failure; several: "
                          "separated by commas), or map the column to two values." + _healthy_hint(distinct))
    if not matches:
        worded = [d for d in distinct if d.lower() in POSITIVE_WORDS]
        matches = [worded[0] if len(worded) == 1 else labels.value_counts().sort_values(kind="stable").index[0]]
    if labels.isin(matches).all():
        raise TargetError(f"With {', '.join(matches)} as the failure, every labelled row of {target.name!r} is a "
                          "failure: a failure model needs readings that did not fail too.")
    return labels.isin(matches).astype(int).reindex(target.index), ", ".join(matches)


HEALTHY_CLASS = re.compile(r"(normal|healthy|ok|no[ _-]?fault|no[ _-]?failure)([ _@(-].{0,12})?", re.I)


def _healthy_hint(distinct: list[str]) -> str:
    """The --positive that counts every value but the one healthy class as a failure: a fault-class table such
    as CWRU's (Ball_007_1 … OR_021_6_1 and Normal_1) was refused with six of its ten classes listed, Normal_1
    not among them, and the nine others to type by hand."""
    healthy = [d for d in distinct if HEALTHY_CLASS.fullmatch(d)]
    if len(healthy) != 1 or len(distinct) > MAX_LABEL_VALUES:
        return ""
    return (f" {healthy[0]!r} reads as the healthy class: to count every other value as a failure, give "
            f"--positive {','.join(d for d in distinct if d != healthy[0])}.")


def _label_text(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each value as text, stripped, and as a number. Numbers or text alone are read once per distinct value (the
    same text): row by row, a 0/1 sensor of 1.5 million readings took 0.6 s (the leakage guard reads every one), and
    a NORMAL/BROKEN label 1.8 s as numbers."""
    text = values.dtype == object and pd.api.types.infer_dtype(values, skipna=False) == "string"
    if not text and (values.dtype == object or not pd.api.types.is_numeric_dtype(values)):  # 1 and True: two values
        # .str would cache an accessor that holds the text in a cycle
        return values.astype(str).map(str.strip), to_numeric(values, errors="coerce")
    codes, uniques = pd.factorize(values)
    distinct = pd.Series(uniques)
    texts = distinct.astype(str).map(str.strip).to_numpy(dtype=object)
    numbers = to_numeric(distinct, errors="coerce").to_numpy(dtype=float)
    return (pd.Series(texts[codes], index=values.index, dtype=object),
            pd.Series(numbers[codes], index=values.index))


def _graded_from_zero(numeric: pd.Series, labels: pd.Series) -> bool:
    """Whole numbers from 0 up, a few grades, 0 the most common: a failure severity or count (Azure's label2)."""
    counts = labels.value_counts()
    return bool(numeric.notna().all() and (numeric >= 0).all() and len(counts) <= MAX_GRADES
                and counts.index[0] == "0")


def _named_values(positive: str, distinct: list[str], name: object, shown: str) -> list[str]:
    """The label values --positive names: one value, or several separated by commas, each matched in any case,
    as a yes/no word or as a number (73 for 73.0)."""
    whole = _matching(str(positive), distinct)
    parts = [whole] if whole is not None else [_matching(p, distinct) for p in str(positive).split(",") if p.strip()]
    if not parts or any(p is None for p in parts):
        raise TargetError(f"--positive {positive!r} is not a value of {name!r} ({shown}). Give one of them with "
                          "--positive ('Failure value' on the page).")
    return list(dict.fromkeys(parts))


def _matching(positive: str, distinct: list[str]) -> str | None:
    wanted = positive.strip().lower()
    truth = _truth_word(positive)
    for test in (lambda d: d.lower() == wanted, lambda d: truth is not None and d.lower() == truth,
                 lambda d: _same(d, positive)):  # Y/N arrive as booleans, said yes/no; --positive 73.0 for 73
        found = [d for d in distinct if test(d)]
        if found:
            return found[0]
    return None


def as_flag(column: pd.Series) -> pd.Series | None:
    """The column as 0/1 when it has two values (1 = the less common or the truthy one), else None."""
    values = column.dropna()
    if values.iloc[:50].nunique() > 2 or values.nunique() != 2:  # the first values settle most sensors, unique: 0.1 s
        return None
    try:
        coded, _ = binarise(column)
    except TargetError:
        return None
    return coded


def flag_failure_rates(column: pd.Series, y: pd.Series) -> tuple[float, float] | None:
    """Failure rates on the readings where a two-valued column is set (its truthy or rarer value) and on the
    others: whether a flag named like a failure mode has anything to do with the failures."""
    coded = as_flag(column)
    if coded is None:
        return None
    on, off = (coded == 1).to_numpy(), (coded == 0).to_numpy()
    if not on.any() or not off.any():
        return None
    failed = np.asarray(y) == 1
    return float(failed[on].mean()), float(failed[off].mean())


def _same(value: str, positive: object) -> bool:
    """A label and --positive alike in text (any case) or as numbers (73 and 73.0)."""
    wanted = str(positive).strip()
    if value.lower() == wanted.lower():
        return True
    try:
        return float(value) == float(wanted)
    except ValueError:
        return False


def _truth_word(text: str) -> str | None:
    word = text.strip().lower()
    return "yes" if word in ("true", "yes", "y", "t") else "no" if word in ("false", "no", "n", "f") else None


class FailureClassifierTask(LightGBMClassifierTask):
    """Fine histogram bins, and at most ``max_rows`` rows: every failure and a weighted share of the rest.

    Failure mechanisms are sharp physical limits (power outside a band, strain above a limit) that sit
    in the sparse tails of a feature, where LightGBM's default 255 quantile bins are widest; with 4095 bins the
    trees can put the split at the limit. On AI4I this alone lifts the OOF F1 from 0.85 to 0.91
    (bench/maintenance_bench.py). Same artifacts as the base task, its own task name; sampling: ml/failure_sampling.py.
    """

    name = "lightgbm_failure"

    def __init__(self, *, max_bin: int = FINE_BINS, max_rows: int | None = MAX_ROWS, leaf_l2: float = 0.0,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.max_bin, self.max_rows, self.leaf_l2 = max_bin, max_rows, leaf_l2

    def get_params(self) -> dict:
        return {**super().get_params(), "max_bin": self.max_bin, "max_rows": self.max_rows, "leaf_l2": self.leaf_l2}

    def fit(self, X: pd.DataFrame, y: pd.Series) -> "FailureClassifierTask":
        X, y, self.negative_share_ = sampled(X, y, self.max_rows, self.seed)
        return self._fit_drawn(X, y)

    def fit_rows(self, X: pd.DataFrame, y: pd.Series, rows: np.ndarray) -> "FailureClassifierTask":
        """fit(X.iloc[rows], y.iloc[rows]), drawing the sample among ``rows`` before any row is copied."""
        drawn, self.negative_share_ = sampled_rows(y.iloc[rows], self.max_rows, self.seed)
        rows = rows if drawn is None else np.asarray(rows)[drawn]
        return self._fit_drawn(X.iloc[rows], y.iloc[rows])

    def _fit_drawn(self, X: pd.DataFrame, y: pd.Series) -> "FailureClassifierTask":
        self.feature_fraction_ = column_share(X.shape[1])
        self.max_bin_ = min(self.max_bin, bin_count(round(X.shape[1] * self.feature_fraction_)))
        return super().fit(X, y)

    def _lgb_params(self, n_classes: int) -> dict:
        return {**super()._lgb_params(n_classes), "max_bin": getattr(self, "max_bin_", self.max_bin),
                "feature_fraction": getattr(self, "feature_fraction_", 1.0),
                "scale_pos_weight": getattr(self, "negative_share_", 1.0), "lambda_l2": getattr(self, "leaf_l2", 0.0)}


def bin_count(columns_per_tree: int) -> int:
    """Fine bins for the few columns of a snapshot such as AI4I; fewer as each tree reads more columns, whose fine
    histograms cost time: 16,000 readings of 60 sensors took 30 s per 200 trees at 4095 bins, 10 s at 1023 and
    5 s at 255; 320 sensors (a fifth per tree) at 255 bins had a held-out AUC of 0.841 against 0.844."""
    return FINE_BINS if columns_per_tree <= FINE_COLUMNS else 1023 if columns_per_tree <= WIDE_COLUMNS // 2 else 255


def column_share(columns: int) -> float:
    """Share of the columns each tree may use. Wide sensor files (SECOM: 474 columns, 1,567 rows) spent
    their time building histograms for every column at every tree: at 0.2 five-fold training took 30 s
    instead of 150 s, with AUC 0.729 against 0.724. Up to 60 columns every tree sees all of them."""
    return 1.0 if columns <= WIDE_COLUMNS else max(0.2, WIDE_COLUMNS / columns)


def model_settings(n_estimators: int, *, seed: int = 0, device: str = "cpu", failures: int | None = None) -> dict:
    """Model settings for rare failures: small trees, tiny leaves allowed (3 % positives), no class
    weights (they hurt F1 at the best threshold), and a learning rate that shrinks as trees grow
    (1000 trees → 0.02, 400 → 0.05) so the number of trees alone sets the budget. Under ``FEW_FAILURES`` failures
    the leaves' values are shrunk (L2): without it, 1,000 trees on 9 failures among 34,430 Backblaze-shaped
    drive-days drove the scores to 1e-253 … 1, their ranking to a cross-validated AUC of 0.60 (0.999 with it) and
    the alert threshold to the saturated end."""
    rate = float(np.clip(20.0 / max(n_estimators, 1), 0.01, 0.1))
    shrink = FEW_FAILURE_L2 if failures is not None and failures < FEW_FAILURES else 0.0
    return {"n_estimators": int(n_estimators), "learning_rate": rate, "num_leaves": 7, "min_child_samples": 3,
            "class_weight": None, "seed": seed, "device": device, "leaf_l2": shrink}


def load_classifier(directory) -> LightGBMClassifierTask:
    """A stored failure model: fine-binned runs, and runs stored before it with the plain classifier."""
    from ml.artifacts import read_metadata

    task = read_metadata(Path(directory), verify=False).get("task")
    return (FailureClassifierTask if task == FailureClassifierTask.name else LightGBMClassifierTask).load(directory)


def lightgbm_safe_names(columns: list[str]) -> dict[str, str]:
    """LightGBM refuses feature names with JSON characters ([ ] { } " , :), common in telemetry headers
    like 'Air temperature [K]'; map each to a unique safe name and keep the mapping for display."""
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        safe = re.sub(r'[\[\]{}",:]', "_", str(column))
        base, k = safe, 1
        while safe in used:
            k += 1
            safe = f"{base}_{k}"
        used.add(safe)
        mapping[str(column)] = safe
    return mapping
