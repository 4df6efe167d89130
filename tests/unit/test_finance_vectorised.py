"""The finance desk's vectorised paths give what the cell-by-cell ones gave, on the awkward cases (missing
values of every kind, unseen and rare categories, codes, ties and zero effects)."""
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from domain import finance as rules
from domain import finance_text as wording
from domain import loan_columns
from ml.credit import CreditModelTask
from ml.credit_features import _as_text, _numeric_share, parse_numeric_text, writes_decimal_comma
from ml.credit_linear import LogisticScorer, _text
from services.finance_leakage import _auc
from services.finance_reasons import reason_candidates
from services.finance_train_notes import extreme_counts
from services.finance_store import grades


def test_the_rank_auc_is_roc_auc_score_with_ties_in_either_direction():
    rng = np.random.default_rng(3)
    bad = (rng.random(400) < 0.2).astype(int)
    for score in (rng.normal(size=400), rng.integers(0, 3, 400).astype(float), -bad.astype(float),
                  (rng.random(400) < 0.5).astype(float)):
        expected = roc_auc_score(bad, score)
        assert _auc(bad, score) == pytest.approx(max(expected, 1 - expected), abs=1e-12)


def _text_cell_by_cell(series: pd.Series) -> list:
    def one(value):
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    return series.astype(object).map(one).tolist()


@pytest.mark.parametrize("series", [
    pd.Series([" Cash loans", "Revolving ", None, np.nan, "Cash loans", pd.NA] * 5, dtype=object),
    pd.Series(["1,250", "$900", "12%", "n/a"] * 24 + ["7"] * 4, dtype=object),   # 96 % numbers: read as numbers
    pd.Series(["12,7", "16.168,00", "3,5 %", None] * 5, dtype=object),          # decimal commas
    pd.Series([1, "1", 2.0, None, True, " a "] * 5, dtype=object),             # mixed types: cell by cell
    pd.Series(["a", None, "b "] * 5, dtype="string"),
])
def test_text_read_once_per_distinct_value_gives_the_cell_by_cell_share_and_text(series):
    present = series.dropna()
    expected = float(parse_numeric_text(present, decimal_comma=writes_decimal_comma(present)).notna().mean())
    assert _numeric_share(present) == expected
    assert _as_text(series).tolist() == _text_cell_by_cell(series)
    assert _as_text(series).index.equals(series.index)


def test_codes_found_from_the_extreme_values_are_those_found_from_all_values():
    rng = np.random.default_rng(5)
    for trial in range(300):
        n = int(rng.integers(20, 300))
        values = rng.integers(0, int(rng.integers(2, 14)), n).astype(float) if trial % 2 else rng.normal(0, 1, n)
        values[rng.random(n) < 0.05] = rng.choice([96.0, 98.0, 365243.0, -999.0])
        values[rng.random(n) < 0.1] = np.nan
        column = pd.Series(values)
        counts = column.dropna().value_counts()
        everything = {float(v): int(k) for v, k in counts.items()}
        assert loan_columns.sentinel_codes(extreme_counts(column), n) == loan_columns.sentinel_codes(everything, n)


def _design_column_by_column(scorer: LogisticScorer, X: pd.DataFrame) -> np.ndarray:
    """The logistic design as it was built before: one spec at a time, from the frame's cells."""
    Z = np.zeros((len(X), len(scorer.columns_)))
    for j, spec in enumerate(scorer.columns_):
        column, part = spec["column"], spec["part"]
        if part in ("level", "other"):
            text = _text(X[column])
            known = {s["level"] for s in scorer.columns_ if s["column"] == column and s["part"] == "level"}
            flag = text == spec["level"] if part == "level" else ~text.isin(known)
            Z[:, j] = flag.to_numpy(float)
            continue
        values = pd.to_numeric(X[column], errors="coerce").astype(float)
        if part == "value":
            values = values.mask(values.isin(spec.get("codes", [])))
            raw = values.fillna(spec["fill"]).clip(spec.get("lo"), spec.get("hi")).to_numpy()
        elif part == "code":
            raw = (values == spec["code"]).to_numpy(float)
        else:
            raw = values.isna().to_numpy(float)
        size = spec.get("size", 1.0)
        Z[:, j] = (raw / size - spec["mean"] / size) / (spec["scale"] / size)
    return Z


def test_the_logistic_design_is_the_column_by_column_one_for_unseen_rare_missing_and_coded_values():
    rng = np.random.default_rng(7)
    n = 600
    late = rng.poisson(0.5, n).astype(float)
    late[:12] = 98.0
    X = pd.DataFrame({"purpose": rng.choice(["car", "home", "rare", None], n, p=[0.5, 0.44, 0.005, 0.055]),
                      "income": np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(8, 1, n)), "late": late,
                      "blank": np.full(n, np.nan)})
    bad = (rng.random(n) < 0.3).astype(int)
    kinds = {"purpose": "categorical", "income": "numeric", "late": "numeric", "blank": "numeric"}
    scorer = LogisticScorer(kinds, codes={"late": [98.0]}).fit(X, bad)
    new = pd.DataFrame({"purpose": ["boat", "car", None, "rare", "home"], "income": [1e12, np.nan, -5.0, 3000, 2e3],
                        "late": [98.0, 0.0, np.nan, 400.0, 1.0], "blank": [1.0, np.nan, np.nan, np.nan, np.nan]})
    for frame in (X, new):
        design = scorer._design(frame)
        assert np.array_equal(design, _design_column_by_column(scorer, frame)) and design.flags["C_CONTIGUOUS"]


def test_reasons_picked_from_the_candidate_columns_are_those_picked_from_all_columns():
    rng = np.random.default_rng(11)
    values = np.round(rng.normal(0, 1, (400, 9)), 1)  # rounded: many ties
    values[rng.random(values.shape) < 0.3] = 0.0
    values[:40] = -np.abs(values[:40])                # rows where nothing raised the risk
    values[40:60, :2] = 0.5                           # ties among the raising ones
    names = [f"col_{j}" for j in range(values.shape[1])]
    for row, picked in enumerate(reason_candidates(values)):
        for declined in (False, True):
            everything = [(names[j], float(values[row, j]), j) for j in range(len(names))]
            some = [(names[j], float(values[row, j]), j) for j in picked]
            assert wording.top_reasons(some, 3, raising_only=declined) == \
                wording.top_reasons(everything, 3, raising_only=declined)


def test_grades_of_an_array_are_those_of_one_pd_at_a_time_at_the_bounds_and_when_missing():
    bounds = rules.DEFAULT_GRADE_BOUNDS
    pds = np.r_[np.linspace(0, 1, 101), bounds, np.nextafter(np.asarray(bounds), 0), np.nan]
    assert grades(pds, bounds) == [rules.grade(float(p), bounds) for p in pds]


def test_lightgbm_contributions_add_up_to_the_models_log_odds_with_categories():
    rng = np.random.default_rng(2)
    n = 800
    X = pd.DataFrame({"amount": rng.normal(size=n), "purpose": rng.choice(list("abcdefgh"), n).astype(object)})
    y = pd.Series((rng.random(n) < 1 / (1 + np.exp(-(X["amount"] + (X["purpose"] == "a") * 2 - 1)))).astype(int))
    task = CreditModelTask(n_estimators=60, early_stopping_rounds=0).fit(X, y)
    base, values = task._tree_shap(X.head(50))
    raw = task.booster_.predict(task._encode(X.head(50)), raw_score=True)
    assert values.shape == (50, 2) and np.allclose(base + values.sum(axis=1), raw, atol=1e-9)


def test_sub_forests_sharing_one_binned_dataset_grow_the_trees_each_grew_on_its_own():
    import lightgbm as lgb

    from ml.credit_forest import MTRY_FACTORS, ForestScorer, balanced_weights

    rng = np.random.default_rng(4)
    n = 900
    X = pd.DataFrame({"amount": rng.lognormal(8, 1, n), "flag": (rng.random(n) < 0.05).astype(float),
                      "score": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
                      "purpose": rng.choice(list("abcdef"), n).astype(object)})
    bad = (rng.random(n) < 1 / (1 + np.exp(-(X["score"].fillna(0) + (X["purpose"] == "a") - 1)))).astype(int)
    forest = ForestScorer(trees=30, seed=3).fit(X, bad)
    encoded = forest._encode(X)
    for factor, booster in zip(MTRY_FACTORS, forest.boosters_):
        alone = lgb.train(forest._params(encoded.shape[1], n, factor),
                          lgb.Dataset(encoded, bad, weight=balanced_weights(bad)), num_boost_round=10)
        assert booster.model_to_string().split("end of trees")[0] == alone.model_to_string().split("end of trees")[0]


def test_the_array_cut_off_search_is_the_rules_one_with_ties_zero_pds_and_uneven_costs():
    from services.finance_evaluation import best_cutoff

    rng = np.random.default_rng(8)
    for trial in range(400):
        n = int(rng.integers(1, 50))
        pds = [rng.random(n), rng.integers(0, 4, n) / 4, np.round(rng.random(n), 1), np.zeros(n),
               np.r_[np.zeros(n // 2), rng.random(n - n // 2)]][trial % 5]
        bad = rng.random(n) < 0.3
        costs = rules.CostMatrix(*[(5.0, 1.0), (5.3, 1.1), (0.0, 1.0), (1.0, 0.0), (0.7, 2.0)][trial % 5 - trial % 2])
        found = best_cutoff(pds, bad.astype(int), costs)
        assert found == rules.best_cutoff(pds.tolist(), bad.tolist(), costs) and type(found.cutoff) is float


def test_the_forest_bins_numbers_coarser_once_its_trees_stop_growing_full_depth():
    """A 6,000 x 64 book of ratios spent 83 % of its training scanning 255 bins per column in the forest's
    few-row leaves; beyond 2,000 rows it bins in 63. The German book (1,000 rows) keeps 255."""
    from ml.credit_forest import FOREST_BINS, ForestScorer

    assert ForestScorer()._params(64, 6_000, 1.0)["max_bin"] == FOREST_BINS == 63
    assert ForestScorer()._params(20, 1_000, 1.0)["max_bin"] == 255
    rng = np.random.default_rng(8)
    X = pd.DataFrame({"ratio": rng.normal(size=2_400), "other": rng.normal(size=2_400)})
    bad = (rng.random(2_400) < 1 / (1 + np.exp(-2 * X["ratio"].to_numpy()))).astype(int)
    forest = ForestScorer(trees=6, seed=1).fit(X, bad)
    thresholds = {node["threshold"] for tree in forest.boosters_[0].dump_model()["tree_info"]
                  for node in _splits(tree["tree_structure"]) if node["split_feature"] == 0}
    assert 20 < len(thresholds) <= FOREST_BINS  # at most one threshold per bin boundary of 'ratio'


def _splits(node):
    if "split_feature" in node:
        yield node
        yield from _splits(node["left_child"])
        yield from _splits(node["right_child"])


def test_rarely_missing_medians_match_pandas_column_by_column():
    """Read in one pass over the numeric block; the same medians as pandas' own, per column."""
    from ml.credit_features import rarely_missing_medians

    rng = np.random.default_rng(3)
    X = pd.DataFrame({"a": rng.normal(size=400), "b": rng.integers(0, 9, 400), "flag": True, "cat": "x",
                      "gappy": np.where(np.arange(400) % 10 == 0, np.nan, 1.0),
                      "rare": np.where(np.arange(400) == 7, np.nan, rng.normal(size=400))})
    assert rarely_missing_medians(X, {"cat": ["x"]}) == {c: float(X[c].median()) for c in ("a", "b", "rare")}
