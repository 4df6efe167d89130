"""Credit model task, calibrator and feature plan: contract, round trips, unseen values."""
import json

import numpy as np
import pandas as pd
import pytest

from ml.credit import CreditModelTask
from ml.credit_categories import unseen_categories
from ml.credit_features import FeaturePlan, align, plan_features
from ml.credit_scores import Calibrator
from ml.task import NotFittedError
from tests.support import classification_frame
from tests.unit import test_task_contract


def credit_contract_data():
    frame = classification_frame(160)
    return frame[["amount", "purpose", "age"]], frame["default"], {"n_estimators": 20, "positive": "bad"}


# The shared contract test runs over every registered task; this one's tiny data (until it is listed there).
def test_contract_fixture_is_registered():
    assert CreditModelTask.name in test_task_contract.FIXTURES


def test_fit_predict_calibrate_save_load_round_trip(tmp_path):
    X, y, params = credit_contract_data()
    task = CreditModelTask(**params, early_stopping_rounds=5).fit(X, y)
    assert 1 <= task.best_iteration_ <= 20 and task.positive_ == "bad"
    raw = task.predict(X)
    assert list(raw.columns) == ["score", "pd"] and np.allclose(raw["score"], raw["pd"])
    bad = (y == "bad").to_numpy().astype(int)
    task.set_calibrator(Calibrator("isotonic").fit(raw["score"].to_numpy(), bad))
    predicted = task.predict(X)
    assert predicted["pd"].between(0, 1).all() and not np.allclose(predicted["pd"], predicted["score"])
    task.save(tmp_path / "m")
    loaded = CreditModelTask.load(tmp_path / "m")
    pd.testing.assert_frame_equal(loaded.predict(X), predicted)
    explanation = loaded.explain(X.head(5))
    assert explanation.values.shape == (5, 3) and explanation.feature_names == ("amount", "purpose", "age")
    # SHAP adds up to the raw model's log-odds
    logit = np.log(predicted["score"].head(5) / (1 - predicted["score"].head(5)))
    assert np.allclose(explanation.values.sum(axis=1) + explanation.base_value, logit, atol=1e-4)


def test_a_number_never_missing_in_training_is_scored_at_its_median_when_missing(tmp_path):
    """LightGBM reads a missing value it never saw as 0: an interest rate of 0 % turned declines into approvals."""
    X, y, params = credit_contract_data()
    task = CreditModelTask(**params).fit(X, y)
    assert set(task.fills_) == {"amount", "age"}  # numbers with no gap; 'purpose' is a category
    task.save(tmp_path / "m")
    loaded = CreditModelTask.load(tmp_path / "m")
    gaps = X.head(4).assign(age=[np.nan, np.nan, 30, np.nan])
    at_median = gaps.assign(age=gaps["age"].fillna(X["age"].median()))
    assert np.allclose(loaded.predict(gaps)["pd"], loaded.predict(at_median)["pd"])
    assert np.allclose(loaded.explain(gaps).values, loaded.explain(at_median).values)


def test_a_number_rarely_missing_in_training_is_also_filled_but_a_gappy_one_is_not():
    """A handful of missing training rows (all repaid) taught the trees that 'missing' is safest: an empty
    application got grade A. Up to 1 % missing counts as never; more is a pattern the model may learn."""
    X, y, params = credit_contract_data()
    rare = X.assign(age=X["age"].where(np.arange(len(X)) != 3))               # one gap
    gappy = X.assign(age=X["age"].where(np.arange(len(X)) % 10 != 0))         # 10 % gaps
    assert "age" in CreditModelTask(**params).fit(rare, y).fills_
    assert "age" not in CreditModelTask(**params).fit(gappy, y).fills_


def test_many_emptied_columns_make_one_scoring_note():
    from services.datasets import emptied_values_notes

    one = [{"problem": "Column 'A1' uses text such as '?' for missing values (rows 3); these were treated as "
                       "empty cells."}]
    assert emptied_values_notes(one) == [one[0]["problem"]]
    many = [{"problem": f"Column 'Attr{i}' uses text such as '?' for missing values (rows 3); these were treated "
                        "as empty cells."} for i in range(64)] + [{"problem": "2 blank lines were skipped."}]
    infinite = [{"problem": f"Column 'Attr{i}' has infinite values (inf/-inf) in rows 5; they were replaced with "
                            "empty cells."} for i in (3, 7)]
    notes = emptied_values_notes(many + infinite)  # a column with '?' and inf is one column, not two
    assert len(notes) == 1 and notes[0].startswith("64 columns had cells read as empty") and "'Attr4'" in notes[0]
    assert notes[0].count("'Attr3'") == 1 and "(such as '?' or inf)" in notes[0]  # the file's own markers
    na = [{"problem": f"Column 'c{i}' uses text such as 'na' for missing values (rows 3); these were treated as "
                      "empty cells."} for i in range(9)]
    assert "(such as 'na')" in emptied_values_notes(na)[0]


def test_a_runs_reading_notes_skip_column_facts_and_stay_short():
    from services.datasets import reading_notes

    problems = [
        {"problem": "The first 2 row(s) of sheet 'Loans' hold a title or codes, not the column names; the column "
                    "names were read from row 3.", "severity": "info"},
        {"problem": "Column 's1' has the same value ('7') in every row; it carries no information and will be "
                    "ignored.", "severity": "warning"},
        {"problem": "Column 'x' is completely empty; it will be ignored.", "severity": "warning"},
        {"problem": "Column 'y' uses text such as 'n/a' for missing values (rows " + ", ".join(map(str, range(200)))
                    + "); these were treated as empty cells.", "severity": "warning"},
        *({"problem": f"Dates in column 'd{i}' fit both DD/MM/YYYY and MM/DD/YYYY; read as DD/MM/YYYY.",
           "severity": "info"} for i in range(9)),
    ]
    notes = reading_notes(problems)
    assert notes[0].startswith("The first 2 row(s) of sheet 'Loans' hold a title")
    assert not any("same value" in n or "completely empty" in n for n in notes)
    assert notes[8] == "… and 2 more notes on reading the file." and notes[-1].startswith("Column 'y' uses text")
    assert len(reading_notes([{"problem": "w " * 400, "severity": "warning"}])[0]) <= 302


@pytest.mark.parametrize("method", ["platt", "isotonic"])
def test_calibrator_json_round_trip(method):
    rng = np.random.default_rng(0)
    scores = rng.random(200)
    bad = (rng.random(200) < scores).astype(int)
    calibrator = Calibrator(method).fit(scores, bad)
    again = Calibrator.from_json(calibrator.to_json())
    assert np.array_equal(again.transform(scores), calibrator.transform(scores))
    assert np.all(np.diff(calibrator.transform(np.linspace(0, 1, 50))) >= -1e-12)  # monotone


def test_predict_before_fit_is_a_clear_error():
    with pytest.raises(NotFittedError):
        CreditModelTask().predict(pd.DataFrame({"a": [1]}))
    with pytest.raises(NotFittedError):
        Calibrator().transform(np.array([0.5]))


def test_plan_reads_numbers_stored_as_text_and_drops_ids_constants_and_empties():
    frame = pd.DataFrame({
        "income": [f"${(v * 37) % 1000 + 1000:,}" for v in range(100)], "rate": [f"{v % 7}%" for v in range(100)],
        "ref": [f"R{v}" for v in range(100)], "branch": ["x"] * 100, "empty": [None] * 100,
        "city": ["a", "b"] * 50, "flag": [True, False] * 50,
    })
    plan = plan_features(frame)
    assert plan.kinds == {"income": "numeric", "rate": "numeric", "city": "categorical", "flag": "boolean"}
    assert set(plan.dropped) == {"ref", "branch", "empty"} and plan.dropped["branch"] == "constant"
    aligned = align(frame, plan)
    assert aligned["income"].iloc[1] == 1037.0 and aligned["rate"].iloc[3] == 3.0
    new = pd.DataFrame({"income": ["2,500", "n/a"], "rate": [1, 2], "city": ["c", None], "flag": ["yes", "no"]})
    scored = align(new, FeaturePlan.from_json(plan.to_json()))
    assert scored["income"].tolist()[0] == 2500.0 and np.isnan(scored["income"].tolist()[1])
    assert scored["flag"].tolist() == [1.0, 0.0]
    assert unseen_categories(scored, {"city": ["a", "b"]}) == {"city": {"rows": 1, "examples": ["c"]}}


def test_column_names_with_json_characters_and_spaces_are_handled():
    frame = classification_frame(120)
    X = frame[["amount", "purpose", "age"]].rename(columns={"amount": "Amount [EUR]", "age": 'Age "years"'})
    task = CreditModelTask(n_estimators=10, positive="bad").fit(X, frame["default"])
    assert task.predict(X)["pd"].between(0, 1).all()
    assert task.explain(X.head(2)).feature_names == ("Amount [EUR]", "purpose", 'Age "years"')


def test_a_row_counter_is_not_a_feature():
    frame = pd.DataFrame({"UDI": range(1, 101), "score": [v % 13 for v in range(100)]})
    plan = plan_features(frame)
    assert plan.kinds == {"score": "numeric"} and plan.dropped["UDI"].startswith("row counter")


def test_the_application_date_is_not_a_risk_factor_but_dates_about_the_applicant_are():
    from services.finance_prepare import prepare

    days = pd.date_range("2018-01-01", periods=100, freq="D")
    frame = pd.DataFrame({"application_date": days, "issueDate": days, "earliest_cr_line": days - pd.Timedelta(days=4000),
                          "amount": np.arange(100) % 17, "bad": ["Y", "N", "N", "N"] * 25})
    prepared = prepare(frame, "bad")
    assert set(prepared.X.columns) == {"earliest_cr_line", "amount"}
    assert "Columns 'application_date', 'issueDate' are not used: dates of the application or of the loan (new " \
           "applicants come later; a date is no reason code)." in prepared.notes
    # the applicant's date counts back from the application's: a credit history's length, in years
    assert prepared.plan.anchor == "application_date"
    assert prepared.X["earliest_cr_line"].round(2).unique().tolist() == [round(4000 / 365.25, 2)]
    assert any("'earliest_cr_line' is read as years before 'application_date'" in n for n in prepared.notes)
    later = frame.tail(3).assign(application_date=pd.Timestamp("2030-01-01"))
    plan = FeaturePlan.from_json(prepared.plan.to_json())
    assert align(later, plan)["earliest_cr_line"].gt(20).all()        # the same line, twelve years older
    today = align(later.drop(columns=["application_date"]), plan)["earliest_cr_line"]
    assert today.gt(4000 / 365.25).all()                              # no application date: before today
    blank = later.assign(application_date=[pd.NaT, "pending", "2030-01-01"])  # a row without one: today
    counted = align(blank, plan)["earliest_cr_line"]
    assert counted.notna().all() and counted.iloc[0] == today.iloc[0] and counted.iloc[2] == counted.iloc[2]
    gaps = frame.assign(application_date=frame["application_date"].where(frame.index % 10 != 0))
    filled = prepare(gaps, "bad")  # training rows without one count back from the book's median date
    assert filled.X["earliest_cr_line"].notna().all()
    assert any("10 row(s) have no usable 'application_date'" in n and "median application date" in n
               for n in filled.notes)
    old = FeaturePlan.from_json({"kinds": {"earliest_cr_line": "datetime"}})  # a run stored before anchors
    assert old.anchor is None and align(later, old)["earliest_cr_line"].iloc[0] == (
        later["earliest_cr_line"].iloc[0] - pd.Timestamp("1970-01-01")).days


def test_ids_found_by_the_upload_are_left_out_with_a_note():
    from services.finance_prepare import prepare

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"loan_id": rng.permutation(200).astype(str), "amount": rng.integers(1, 50, 200),
                          "bad": rng.choice(["Y", "N"], 200)})
    prepared = prepare(frame, "bad", identifiers=("loan_id",))
    assert list(prepared.X.columns) == ["amount"]
    assert any(n.startswith("Column 'loan_id' is not used: an identifier") and "(--id loan_id;" in n
               for n in prepared.notes)  # Give Me Some Credit's unnamed index: scored files lacked any id
    given = prepare(frame.assign(app=range(200)), "bad", id_column="app", identifiers=("loan_id",)).notes
    assert not any("--id loan_id" in n for n in given)  # an id is given: no other column is offered
    # digits in random order read as a number by the upload: named like an id and different on every row, still an id
    assert list(prepare(frame, "bad").X.columns) == ["amount"]


def test_categories_written_differently_match_their_training_spelling():
    from ml.credit_categories import match_categories

    aligned = pd.DataFrame({"home": ["rent", " Mortgage ", "RENT", "boat", None],
                            "checking": ["<0", "'<0'", "no checking", "x", "'x'"]})
    known = {"home": ["MORTGAGE", "RENT"], "checking": ["'<0'", "'no checking'", "x", "X"]}
    matched, notes = match_categories(aligned, known)
    assert matched["home"].tolist()[:4] == ["RENT", "MORTGAGE", "RENT", "boat"] and matched["home"].isna().iloc[4]
    assert matched["checking"].tolist() == ["'<0'", "'<0'", "'no checking'", "x", "'x'"]  # 'x' has two matches
    assert notes[0].startswith("Column 'home': 2 value(s) matched") and len(notes) == 2
    assert unseen_categories(matched, known) == {"home": {"rows": 1, "examples": ["boat"]},
                                                 "checking": {"rows": 1, "examples": ["'x'"]}}


def test_logistic_scorer_contributions_are_exact_and_survive_json(tmp_path):
    from ml.credit_linear import LogisticScorer

    X, y, _ = credit_contract_data()
    X = X.copy()
    X.loc[:4, "amount"] = np.nan
    kinds = {"amount": "numeric", "purpose": "categorical", "age": "numeric"}
    bad = (y == "bad").to_numpy().astype(int)
    scorer = LogisticScorer(kinds).fit(X, bad)
    parts = scorer.contributions(X)
    assert parts.shape == (160, 3)
    assert np.allclose(parts.sum(axis=1) + scorer.base_value_, scorer.logit(X))
    assert np.allclose(parts.mean(axis=0), 0, atol=1e-9)   # measured from the training average
    again = LogisticScorer.from_json(json.loads(json.dumps(scorer.to_json())))
    new = X.head(3).assign(purpose=["spaceship", None, "car"])  # unseen and missing categories score too
    assert np.array_equal(again.score(new), scorer.score(new)) and again.score(new).round(6).tolist()


def test_logistic_scorer_holds_sentinel_values_at_the_edge_of_the_rest():
    """Two cells of 1.2e308 (a DBL_MAX sentinel) overflowed the scaling and crashed training."""
    from ml.credit_linear import LogisticScorer

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"ratio": rng.normal(size=1000)})
    bad = (X["ratio"] + rng.normal(size=1000) > 1).to_numpy().astype(int)
    clean = LogisticScorer({"ratio": "numeric"}).fit(X, bad)
    X.loc[[3, 7], "ratio"] = [1.2e308, -1.5e308]
    scorer = LogisticScorer({"ratio": "numeric"}).fit(X, bad)
    scores = scorer.score(pd.DataFrame({"ratio": [0.0, 1.2e308, -1.7e308]}))
    assert np.isfinite(scores).all() and scores[1] > scores[0] > scores[2]
    assert scorer.coef_[0] == pytest.approx(clean.coef_[0], rel=0.05)  # the two cells do not bend the line


def test_blended_task_scores_explains_and_round_trips(tmp_path):
    from ml.credit_linear import LogisticScorer

    X, y, params = credit_contract_data()
    bad = (y == "bad").to_numpy().astype(int)
    task = CreditModelTask(**params).fit(X, y)
    tree = task.score(X)
    linear = LogisticScorer({"amount": "numeric", "purpose": "categorical", "age": "numeric"}).fit(X, bad)
    task.set_blend(linear, 0.4)
    blended = task.score(X)
    expected = 0.4 * np.log(tree / (1 - tree)) + 0.6 * linear.logit(X)
    assert task.champion_ == "blend" and np.allclose(np.log(blended / (1 - blended)), expected)
    explanation = task.explain(X.head(6))
    assert explanation.extra["model"] == "blend" and explanation.feature_names == ("amount", "purpose", "age")
    assert np.allclose(explanation.values.sum(axis=1) + explanation.base_value, expected[:6], atol=1e-4)
    task.save(tmp_path / "m")
    loaded = CreditModelTask.load(tmp_path / "m")
    assert loaded.champion_ == "blend" and np.allclose(loaded.score(X), blended)
    assert not list((tmp_path / "m").glob("*.pkl"))
    # A run stored before the forest member: one weight, no per-member shares, no forest key.
    import json

    from ml.artifacts import read_metadata, write_metadata
    from ml.credit import STATE_FILE

    state = json.loads((tmp_path / "m" / STATE_FILE).read_text())
    for key in ("blend_weights", "forest"):
        state.pop(key)
    (tmp_path / "m" / STATE_FILE).write_text(json.dumps(state))
    meta = read_metadata(tmp_path / "m", verify=False)
    write_metadata(tmp_path / "m", task=meta["task"], parameters=meta["parameters"], feature_names=meta["feature_names"])
    older = CreditModelTask.load(tmp_path / "m")
    assert older.blend_weights_ == {"lightgbm": 0.4, "forest": 0.0, "logistic": pytest.approx(0.6)}
    assert older.champion_ == "blend" and np.allclose(older.score(X), blended)
    assert task.set_blend(linear, 0.0).champion_ == "logistic" and np.allclose(task.score(X), linear.score(X))
    with pytest.raises(ValueError):
        task.set_blend(None, 0.5)


def test_blend_weight_is_chosen_with_nested_folds():
    from ml import credit_eval, credit_mix

    rng = np.random.default_rng(1)
    bad = (rng.random(400) < 0.3).astype(int)
    signal = bad + rng.normal(0, 1.0, 400)
    good = 1 / (1 + np.exp(-signal))                                  # informative
    noise = 1 / (1 + np.exp(-rng.normal(0, 1.0, 400)))                 # useless
    splits = credit_eval.stratified_folds(bad, 5, 0)
    weight, nested, per_fold = credit_mix.choose_blend(noise, good, bad, splits)
    assert weight <= 0.2 and len(per_fold) == 5 and max(per_fold) <= 0.3
    assert nested.shape == (400,) and np.all((nested > 0) & (nested < 1))
    assert credit_mix.choose_blend(good, noise, bad, splits)[0] >= 0.8


def test_forest_trees_shrink_on_large_books_so_reason_codes_stay_fast():
    from ml.credit_forest import MAX_LEAVES, MIN_LEAVES, ForestScorer, max_leaves

    assert max_leaves(1_000) == max_leaves(2_000) == MAX_LEAVES == 256       # small books: unchanged
    assert max_leaves(4_000) == 128 and max_leaves(16_000) == max_leaves(150_000) == MIN_LEAVES == 32
    sizes = [max_leaves(n) for n in range(1_000, 40_000, 500)]
    assert sizes == sorted(sizes, reverse=True)
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"a": rng.normal(size=6_000), "b": rng.normal(size=6_000)})
    bad = (X["a"] + rng.normal(size=6_000) > 1).to_numpy().astype(int)
    forest = ForestScorer(trees=3, seed=0).fit(X, bad)
    grown = [tree["num_leaves"] for b in forest.boosters_ for tree in b.dump_model()["tree_info"]]
    assert max(grown) <= max_leaves(6_000) < MAX_LEAVES


def test_forest_grows_fewer_trees_on_big_books():
    from ml.credit_forest import ForestScorer, forest_trees

    assert forest_trees(600, 1_000) == forest_trees(600, 5_000) == 600
    assert forest_trees(600, 10_000) == 300 and forest_trees(600, 1_000_000) == 150
    assert forest_trees(30, 1_000_000) == 30                       # never more than asked for
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"a": rng.normal(size=24_000)})
    bad = (X["a"] + rng.normal(size=24_000) > 1).to_numpy().astype(int)
    forest = ForestScorer(trees=300, seed=0).fit(X, bad)
    assert sum(b.num_trees() for b in forest.boosters_) == 3 * (forest_trees(300, 24_000) // 3) == 150


def test_forest_scorer_contributions_are_exact_and_survive_save_load(tmp_path):
    from ml.credit_forest import ForestScorer

    X, y, _ = credit_contract_data()
    bad = (y == "bad").to_numpy().astype(int)
    forest = ForestScorer(trees=30, seed=3).fit(X, bad)
    assert len(forest.boosters_) == 3                                  # one sub-forest per mtry
    p = forest.score(X)
    assert p.shape == (160,) and np.all((p > 0) & (p < 1)) and np.allclose(np.log(p / (1 - p)), forest.logit(X))
    parts = forest.contributions(X.head(8))
    assert parts.shape == (8, 3) and np.allclose(parts.sum(axis=1) + forest.base_value_, forest.logit(X.head(8)))
    forest.save_models(tmp_path)
    again = ForestScorer.from_json(json.loads(json.dumps(forest.to_json())), tmp_path)
    new = X.head(3).assign(purpose=["spaceship", None, "car"])           # unseen and missing categories score too
    assert np.allclose(again.score(new), forest.score(new))
    with pytest.raises(NotFittedError):
        ForestScorer().score(X)


def test_three_member_blend_scores_explains_and_round_trips(tmp_path):
    from ml.credit_forest import ForestScorer
    from ml.credit_linear import LogisticScorer

    X, y, params = credit_contract_data()
    bad = (y == "bad").to_numpy().astype(int)
    task = CreditModelTask(**params).fit(X, y)
    tree = task.score(X)
    linear = LogisticScorer({"amount": "numeric", "purpose": "categorical", "age": "numeric"}).fit(X, bad)
    forest = ForestScorer(trees=30).fit(X, bad)
    task.set_blend(linear, 0.2, forest=forest, forest_weight=0.5)
    blended = task.score(X)
    expected = 0.2 * np.log(tree / (1 - tree)) + 0.5 * forest.logit(X) + 0.3 * linear.logit(X)
    assert task.champion_ == "blend" and np.allclose(np.log(blended / (1 - blended)), expected)
    explanation = task.explain(X.head(6))
    assert explanation.extra["blend_weights"] == {"lightgbm": 0.2, "forest": 0.5, "logistic": 0.3}
    assert np.allclose(explanation.values.sum(axis=1) + explanation.base_value, expected[:6], atol=1e-4)
    task.save(tmp_path / "m")
    loaded = CreditModelTask.load(tmp_path / "m")
    assert np.allclose(loaded.score(X), blended) and loaded.explain(X.head(2)).extra["model"] == "blend"
    assert {"forest.txt", "forest_1.txt", "forest_2.txt"} <= {f.name for f in (tmp_path / "m").iterdir()}
    assert not list((tmp_path / "m").glob("*.pkl"))
    alone = task.set_blend(None, 0.0, forest=forest, forest_weight=1.0)
    assert alone.champion_ == "forest" and np.allclose(alone.score(X), forest.score(X))
    with pytest.raises(ValueError):
        task.set_blend(linear, 0.5, forest=None, forest_weight=0.3)      # a share without a model
    with pytest.raises(ValueError):
        task.set_blend(linear, 0.8, forest=forest, forest_weight=0.5)    # shares above 1


def test_member_shares_are_chosen_with_nested_folds():
    from ml import credit_eval, credit_mix

    rng = np.random.default_rng(2)
    bad = (rng.random(400) < 0.3).astype(int)
    good = 1 / (1 + np.exp(-(bad + rng.normal(0, 1.0, 400))))         # informative
    noise = [1 / (1 + np.exp(-rng.normal(0, 1.0, 400))) for _ in range(2)]
    splits = credit_eval.stratified_folds(bad, 5, 0)
    grid = credit_mix.mix_grid(("lightgbm", "forest", "logistic"))
    assert len(grid) == 66 and all(abs(sum(w.values()) - 1) < 1e-9 for w in grid)
    scores = {"lightgbm": noise[0], "forest": good, "logistic": noise[1]}
    weights, nested, per_fold = credit_mix.choose_mix(scores, bad, splits, grid)
    assert weights["forest"] >= 0.8 and len(per_fold) == 5 and min(w["forest"] for w in per_fold) >= 0.7
    assert nested.shape == (400,) and np.all((nested > 0) & (nested < 1))


def test_calibration_is_chosen_by_cross_fitted_log_loss():
    from ml import credit_eval

    rng = np.random.default_rng(4)
    bad = (rng.random(300) < 0.3).astype(int)
    scores = 1 / (1 + np.exp(-(2 * bad - 1 + rng.normal(0, 1.5, 300))))
    splits = credit_eval.stratified_folds(bad, 5, 0)
    method, found, calibrated = credit_eval.choose_calibration(scores, bad, splits)
    assert set(found) == {"brier_platt", "brier_isotonic", "log_loss_platt", "log_loss_isotonic", "auc_platt",
                          "auc_isotonic"}
    assert method == "platt"  # 300 rows: too few for isotonic steps, whatever its log loss
    assert calibrated.shape == (300,) and np.all((calibrated >= 0) & (calibrated <= 1))
    steps = rng.random(3000)  # defaults jump at a score no logistic curve bends to: isotonic's case
    bad = (rng.random(3000) < np.where(steps < 0.7, 0.05, 0.6)).astype(int)
    splits = credit_eval.stratified_folds(bad, 5, 0)
    method, found, _ = credit_eval.choose_calibration(steps, bad, splits)
    assert method == "isotonic" and found["log_loss_isotonic"] < found["log_loss_platt"]


def test_isotonic_steps_that_cost_the_ranking_are_not_chosen(monkeypatch):
    """A map that wins on log loss but ties applicants the model ranks apart keeps Platt."""
    from ml import credit_eval

    rng = np.random.default_rng(4)
    steps = rng.random(3000)
    bad = (rng.random(3000) < np.where(steps < 0.7, 0.05, 0.6)).astype(int)
    splits = credit_eval.stratified_folds(bad, 5, 0)
    monkeypatch.setattr(credit_eval, "ISOTONIC_AUC_LOSS", 0.005)  # its steps cost 0.013 of AUC here
    method, found, _ = credit_eval.choose_calibration(steps, bad, splits)
    assert method == "platt" and found["log_loss_isotonic"] < found["log_loss_platt"]
    assert found["auc_isotonic"] < found["auc_platt"] - 0.005


def test_psi_bins_stay_apart_when_scores_pile_on_two_points():
    """Training PDs near 0 and 1 (a leaky book): quantile edges collapse, yet a batch scored all near 0
    must read as shifted, not stable."""
    from domain import finance as rules
    from ml.credit_eval import bin_counts, reference_bins

    spec = reference_bins(pd.Series(np.r_[np.full(790, 0.01), np.full(210, 0.99)]), "numeric")
    assert len(spec["edges"]) >= 5
    psi = rules.population_stability(spec["counts"], bin_counts(pd.Series(np.full(1000, 0.03)), spec))
    assert rules.psi_band(psi) == "shifted"


def test_platt_fit_matches_an_unpenalised_logistic_regression_and_stays_finite_when_separated():
    from sklearn.linear_model import LogisticRegression

    from ml.credit_scores import platt_fit

    rng = np.random.default_rng(4)
    z = rng.normal(size=3000) * 2
    y = (rng.random(3000) < 1 / (1 + np.exp(-(0.7 * z - 1)))).astype(int)
    reference = LogisticRegression(C=1e6, max_iter=1000).fit(z[:, None], y)
    slope, intercept = platt_fit(z, y)
    assert slope == pytest.approx(reference.coef_[0, 0], abs=1e-3)
    assert intercept == pytest.approx(reference.intercept_[0], abs=1e-3)
    slope, intercept = platt_fit(np.array([-2.0, -1.0, 1.0, 2.0]), np.array([0, 0, 1, 1]))
    assert np.isfinite(slope) and slope > 1 and abs(intercept) < 1e-6


def test_european_percent_and_money_text_is_read_with_its_decimal_comma():
    frame = pd.DataFrame({"rate": ["12,7 %", "13 %", "9,25 %", "19,10 %"] * 10,
                          "amount": ["16.168,00 €", "900,50 €", "1.250,00 €", "75,00 €"] * 10,
                          "us": ["$1,200", "$950.50", "$12,000.00", "$80"] * 10})
    plan = plan_features(frame)
    assert plan.kinds == {"rate": "numeric", "amount": "numeric", "us": "numeric"}
    assert plan.decimal_comma == ["rate", "amount"]
    again = FeaturePlan.from_json(json.loads(json.dumps(plan.to_json())))
    aligned = align(frame.head(4), again)
    assert aligned["rate"].tolist() == [12.7, 13.0, 9.25, 19.1]
    assert aligned["amount"].tolist() == [16168.0, 900.5, 1250.0, 75.0]
    assert aligned["us"].tolist() == [1200.0, 950.5, 12000.0, 80.0]
    assert FeaturePlan.from_json({"kinds": {"x": "numeric"}}).decimal_comma == []   # plans saved before


def test_a_decimal_comma_column_still_reads_point_decimals_and_us_amounts_per_value():
    from ml.credit_features import parse_numeric_text

    values = pd.Series(["12,7 %", "16.168 €", "1.000.000,00 €", "12.7", "16168.00", "$1,200.50", "14.6%", None])
    assert parse_numeric_text(values, decimal_comma=True).tolist()[:7] == \
        [12.7, 16168.0, 1_000_000.0, 12.7, 16168.0, 1200.5, 14.6]


def test_logistic_member_holds_numbers_to_the_training_range():
    from ml.credit_linear import LogisticScorer

    rng = np.random.default_rng(0)
    X = pd.DataFrame({"income": rng.uniform(20_000, 120_000, 400)})
    bad = (rng.random(400) < 1 / (1 + np.exp((X["income"] - 60_000) / 20_000))).astype(int).to_numpy()
    scorer = LogisticScorer({"income": "numeric"}).fit(X, bad)
    edge = scorer.score(pd.DataFrame({"income": [X["income"].max()]}))[0]
    far = scorer.score(pd.DataFrame({"income": [1e12]}))[0]
    assert far == pytest.approx(edge) and far > 1e-3
    again = LogisticScorer.from_json(json.loads(json.dumps(scorer.to_json())))
    assert again.score(pd.DataFrame({"income": [1e12]}))[0] == pytest.approx(edge)


def test_post_outcome_and_protected_columns_are_warned_about_at_training():
    from services.finance_prepare import prepare
    from tests.support import classification_frame

    frame = classification_frame(200).assign(total_pymnt=lambda f: f["amount"] * 1.1, SEX=lambda f: f.index % 2 + 1)
    warnings = prepare(frame, "default", id_column="applicant_id", keep=("total_pymnt",)).warnings  # kept: warned
    assert any(w.startswith("Column(s) 'total_pymnt' are named like records made after the loan's outcome")
               for w in warnings)
    assert any(w.startswith("Column(s) 'SEX' look like a protected ground") for w in warnings)
    assert not any("'amount'" in w or "'purpose'" in w for w in warnings)


def test_a_yes_no_field_scored_as_1_0_or_letters_reads_yes_or_no_in_reasons():
    """Trained on True/False, scored from a file that writes 1/0 or Y/N: the reason read "Homeowner of 1"."""
    from ml.credit_features import align
    from domain import finance_text as wording
    from services.finance_prepare import prepare
    from services.finance_reasons import shown_values
    from tests.support import classification_frame

    frame = classification_frame(300)
    frame["homeowner"] = np.arange(300) % 3 == 0
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert prepared.plan.kinds["homeowner"] == "boolean"
    scoring = frame.head(4).copy()
    scoring["homeowner"] = pd.Series(["1", "0", "Y", None], dtype=object)
    shown = shown_values(scoring, align(scoring, prepared.plan), prepared.plan)
    assert shown["homeowner"] == [True, False, True, None]
    assert wording.reason_text("homeowner", shown["homeowner"][0], 0.3) == "Homeowner: yes raised the risk"
    assert wording.reason_text("homeowner", shown["homeowner"][1], -0.3) == "Homeowner: no lowered the risk"


def test_numbers_used_as_codes_are_said_and_shown_as_codes_in_reasons():
    from ml.credit_features import align
    from services.finance_prepare import prepare
    from services.finance_reasons import shown_values
    from tests.support import classification_frame

    frame = classification_frame(300)
    frame["late_90d"] = np.where(np.arange(300) % 50 == 0, 98, np.arange(300) % 4)
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert prepared.codes == {"late_90d": [98.0]}
    assert any(n.startswith("Column 'late_90d' holds 98 on 6 rows, far beyond its other values (0 to 3)")
               for n in prepared.notes)
    X = align(frame, prepared.plan)
    shown = shown_values(frame, X, prepared.plan, codes=prepared.codes)
    assert shown["late_90d"][0] == "98 (a code)" and shown["late_90d"][1] == 1.0
    from ml.credit_eval import reference_bins

    spec = reference_bins(X["late_90d"], "numeric", codes=prepared.codes["late_90d"])
    assert (spec["min"], spec["max"], spec["codes"]) == (0.0, 3.0, [98.0])  # a value of 40 is far off; 98 is not


def test_a_dates_training_median_is_shown_as_a_date():
    from types import SimpleNamespace

    from ml.credit_features import FeaturePlan
    from services.finance_score_notes import shown_fill

    loaded = SimpleNamespace(plan=FeaturePlan({"earliest_cr_line": "datetime", "dti": "numeric"}))
    assert shown_fill(10531.0, "earliest_cr_line", loaded) == "1998-11-01"
    assert shown_fill(12075.5, "dti", loaded) == "12,075.5"
    loaded.plan.anchor = "issue_d"  # counted back from the application: years of history
    assert shown_fill(14.26, "earliest_cr_line", loaded) == "14.3 years before the application"


def test_an_applicants_date_reads_with_its_years_before_the_application():
    from services.finance_reasons import shown_values

    plan = FeaturePlan({"earliest_cr_line": "datetime"}, anchor="issue_d")
    frame = pd.DataFrame({"earliest_cr_line": pd.to_datetime(["1995-02-01", None]),
                          "issue_d": pd.to_datetime(["2018-12-01", "2018-12-01"])})
    shown = shown_values(frame, align(frame, plan), plan)["earliest_cr_line"]
    assert shown == ["1995-02-01 (23.8 years before the application)", None]


def test_numbers_written_with_a_percent_sign_read_so_in_reasons():
    from services.finance_reasons import shown_values

    frame = pd.DataFrame({"int_rate": ["13.56%", " 9.1 %", None, "22%"] * 5, "dti": [1.5, 2.0, 3.0, 4.0] * 5})
    plan = plan_features(frame)
    assert plan.percent == ["int_rate"] and FeaturePlan.from_json(plan.to_json()).percent == ["int_rate"]
    shown = shown_values(frame, align(frame, plan), plan)
    assert shown["int_rate"][:4] == ["13.56 %", "9.1 %", None, "22 %"] and shown["dti"][0] == 1.5
    assert FeaturePlan.from_json({"kinds": {"int_rate": "numeric"}}).percent == []  # runs stored before


def test_a_scoring_file_without_usable_application_dates_says_so():
    from types import SimpleNamespace

    from services.finance_score_notes import schema_notes

    loaded = SimpleNamespace(plan=FeaturePlan({"earliest_cr_line": "datetime"}, anchor="issue_d"))
    run = SimpleNamespace(parameters={})
    frame = pd.DataFrame({"earliest_cr_line": ["Aug-2003"] * 3, "issue_d": ["Dec-2018", None, "soon"]})
    assert schema_notes(frame, loaded, run, None) == [
        "2 row(s) have no usable 'issue_d' (the application's date): their dates were counted back from today."]
    assert schema_notes(frame.drop(columns=["issue_d"]), loaded, run, None) == [
        "The file has no 'issue_d' (the application's date): dates were counted back from today."]


def test_a_date_column_with_a_few_unreadable_values_is_named_as_such():
    """'2019-13-45' and 'yesterday' kept a date column as text: it was dropped as 'identifier-like', or (with
    repeated dates) kept as hundreds of categories. Now it is dropped with the values to fix."""
    days = pd.Series(pd.date_range("2018-01-01", periods=300).strftime("%Y-%m-%d"))
    opened = days.sample(1000, replace=True, random_state=1).reset_index(drop=True).astype(object)
    opened[[3, 50]] = ["2019-13-45", "yesterday"]
    cities = pd.Series([f"city {i % 60}" for i in range(1000)])
    plan = plan_features(pd.DataFrame({"opened": opened, "city": cities, "clean": days.sample(1000, replace=True,
                                                                                             random_state=2).values}))
    assert plan.dropped["opened"].startswith("dates, but 2 of the first 1,000 values are not (e.g. '2019-13-45', "
                                             "'yesterday')")
    assert plan.kinds["city"] == "categorical"
    assert "dates" not in plan.dropped.get("clean", "")  # every value a date: not this note


def test_a_one_sided_cut_off_and_a_better_baseline_are_warned_about():
    from services.finance_evaluation import decision_warnings

    metrics = {"approval_rate": 0.72, "default_rate": 0.3, "cost_bad_approved": 5.0, "cost_good_declined": 1.0,
               "bayes_cutoff": 1 / 6, "baseline_auc": 0.78, "oof_auc": 0.80, "baseline_cv_cost_per_case": 0.55,
               "cv_cost_per_case": 0.52}
    assert decision_warnings(metrics, 1000) == []
    approve_all = decision_warnings({**metrics, "approval_rate": 0.9998, "default_rate": 0.005}, 20000)
    assert len(approve_all) == 1 and "cheapest cut-off approves 19,996 of 20,000 applicants (99.98%)" in approve_all[0]
    assert "seldom reach the break-even PD of 16.7%" in approve_all[0]
    assert "raise the cost of approving a bad loan" in approve_all[0]
    fraud = {**metrics, "approval_rate": 0.9974, "default_rate": 0.002, "defaults_declined": 0.93}
    assert decision_warnings(fraud, 20000) == []  # the 0.26 % it declines hold 93 % of the frauds: it decides
    decline_all = decision_warnings({**metrics, "approval_rate": 0.004}, 1000)
    assert "declines 996 of 1,000 applicants (99.60%)" in decline_all[0] and "nearly all above" in decline_all[0]
    beaten = {**metrics, "baseline_auc": 0.898, "oof_auc": 0.886, "baseline_cv_cost_per_case": 0.0248,
              "cv_cost_per_case": 0.0277}
    assert "The logistic baseline does better out of fold than the champion (AUC 0.898 against 0.886" \
        in decision_warnings(beaten, 1000)[0]
    assert decision_warnings(beaten, 1000, constrained=True) == []  # the constrained run has a warning of its own
    assert decision_warnings({**beaten, "logistic_weight": 1.0}, 1000) == []  # the champion is the baseline
    assert decision_warnings({**beaten, "baseline_cv_cost_per_case": 0.03}, 1000) == []  # better ranked, dearer


def test_score_psi_does_not_tell_apart_pds_a_hundredth_of_a_point_apart():
    """A fraud-like book: out-of-fold PDs spread over 1e-6 … 1e-3, the final model's on the same rows near
    1e-7. Both approve everyone; on quantile edges at 1e-6 and 1e-5 the batch read as "shifted" (PSI 5.75)."""
    from domain import finance as rules
    from ml.credit_eval import bin_counts, reference_bins

    rng = np.random.default_rng(1)
    oof = pd.Series(np.r_[10 ** rng.uniform(-6, -3, 980), rng.uniform(0.3, 0.99, 20)])
    rescored = pd.Series(np.r_[np.full(980, 1e-7), rng.uniform(0.3, 0.99, 20)])
    spec = reference_bins(oof, "numeric", resolution=0.001)
    assert rules.psi_band(rules.population_stability(spec["counts"], bin_counts(rescored, spec))) == "stable"
    plain = reference_bins(oof, "numeric")
    assert rules.psi_band(rules.population_stability(plain["counts"], bin_counts(rescored, plain))) == "shifted"
    moved = pd.Series(np.r_[rng.uniform(0.05, 0.2, 500), 10 ** rng.uniform(-6, -3, 500)])  # a real shift still shows
    assert rules.psi_band(rules.population_stability(spec["counts"], bin_counts(moved, spec))) == "shifted"


def test_numbers_used_as_codes_are_flagged_not_read_as_amounts_by_the_logistic_model():
    """9999 for an unknown credit score: with the code as an amount the line bends to it; flagged, the score
    keeps its slope and the code its own weight (here the code marks a risky group)."""
    from ml.credit_linear import LogisticScorer

    rng = np.random.default_rng(6)
    score = rng.normal(700, 50, 3000)
    bad = (rng.random(3000) < 1 / (1 + np.exp((score - 650) / 25))).astype(int)
    unknown = rng.random(3000) < 0.03
    bad[unknown] = (rng.random(unknown.sum()) < 0.5).astype(int)
    X = pd.DataFrame({"credit_score": np.where(unknown, 9999.0, score)})
    plain = LogisticScorer({"credit_score": "numeric"}).fit(X, bad)
    coded = LogisticScorer({"credit_score": "numeric"}, codes={"credit_score": [9999.0]}).fit(X, bad)
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(bad, coded.score(X)) > roc_auc_score(bad, plain.score(X)) + 0.01
    assert {s["part"] for s in coded.columns_} == {"value", "code"}
    again = LogisticScorer.from_json(coded.to_json())
    assert np.allclose(again.score(X), coded.score(X))
    contributions = coded.contributions(X)
    assert np.allclose(contributions.sum(axis=1) + coded.base_value_, coded.logit(X))


def test_post_outcome_columns_are_left_out_unless_kept_and_never_taken_for_the_application_date():
    """A payment date written after the loan (last_pymnt_d) was the only date left: it was read as the application's
    date and the model trained on total_pymnt; both are left out now, with one note naming them."""
    from services.finance_prepare import prepare
    from tests.support import classification_frame

    frame = classification_frame(200).assign(total_pymnt=lambda f: f["amount"] * 1.1, recoveries=0.0,
                                              last_pymnt_d=lambda f: pd.Timestamp("2015-01-01")
                                              + pd.to_timedelta(f.index * 3, unit="D"))
    data = prepare(frame, "default", id_column="applicant_id")
    assert not {"total_pymnt", "recoveries", "last_pymnt_d"} & set(data.plan.kinds) and data.plan.anchor is None
    assert [n for n in data.notes if "made after" in n] == [
        "Column(s) 'total_pymnt', 'recoveries', 'last_pymnt_d' are left out: named like records made after the loan's "
        "outcome (payments received, recoveries, settlement, charge-off or default dates), which a new applicant does "
        "not have. If one is known at application time, keep it with --keep COLUMN ('Columns to keep' on the page)."]
    assert "total_pymnt" in prepare(frame, "default", id_column="applicant_id", keep=("total_pymnt",)).plan.kinds


def test_a_flag_outcome_reads_as_the_user_spelled_it_and_a_default_named_column_read_backwards_is_warned():
    """'--positive N' on a Y/N column (read as True/False) reads 'N', not 'N, read as no'; on a column named
    like the default ('defaulted'), N as the default contradicts the name and is warned about."""
    from services.finance_prepare import prepare
    from tests.support import classification_frame

    frame = classification_frame(200)
    frame["defaulted"] = frame.pop("default").eq("bad")  # the reader's True/False for Y/N
    data = prepare(frame, "defaulted", positive="N", id_column="applicant_id")
    assert (data.positive_shown, data.positive_rule) == ("N", "given by the user (N)")
    assert data.positive is False or data.positive == False  # noqa: E712 - numpy's bool
    assert any(w.startswith("--positive N counts 'defaulted' = N as a default, but the column's name says N is no "
                            "default") for w in data.warnings)
    right = prepare(frame, "defaulted", positive="y", id_column="applicant_id")
    assert right.positive_shown == "y" and not any(w.startswith("--positive") for w in right.warnings)
    frame["defaulted"] = frame["defaulted"].astype(float)  # a 0/1 column with a blank read as 1.0
    assert prepare(frame, "defaulted", positive="1", id_column="applicant_id").positive_rule == "given by the user (1)"


def test_each_fold_is_calibrated_on_its_own_scale_when_the_folds_mix_differently():
    """Nested blend weights put each fold's scores on a scale of its own; maps fitted on the other folds' scores
    then pooled them unevenly and the out-of-fold AUC fell below every member's."""
    from sklearn.metrics import roc_auc_score

    from ml import credit_eval

    rng = np.random.default_rng(0)
    bad = (rng.random(3000) < 0.2).astype(int)
    signal = rng.normal(size=3000) + 1.2 * bad
    splits = credit_eval.stratified_folds(bad, 5, 0)
    nested, own = np.empty(3000), []
    for shift, (train_idx, test_idx) in zip([-2.0, -1.0, 0.0, 1.0, 2.0], splits):  # each fold's own offset
        nested[test_idx] = 1 / (1 + np.exp(-(signal[test_idx] + shift)))
        own.append(1 / (1 + np.exp(-(signal[train_idx] + shift))))
    _, _, others = credit_eval.choose_calibration(nested, bad, splits)
    _, _, fitted_own = credit_eval.choose_calibration(nested, bad, splits, own)
    ranking = roc_auc_score(bad, signal)
    assert roc_auc_score(bad, fitted_own) == pytest.approx(ranking, abs=0.01)
    assert roc_auc_score(bad, others) < ranking - 0.03


def test_fold_mixes_use_each_folds_weights_on_its_training_rows():
    from ml import credit_mix

    scores = {"lightgbm": np.array([0.2, 0.4, 0.6, 0.8]), "logistic": np.array([0.5, 0.5, 0.5, 0.5])}
    splits = [(np.array([0, 1]), np.array([2, 3])), (np.array([2, 3]), np.array([0, 1]))]
    first, second = credit_mix.fold_mixes(scores, splits, [{"lightgbm": 1.0, "logistic": 0.0},
                                                            {"lightgbm": 0.0, "logistic": 1.0}])
    assert np.allclose(first, [0.2, 0.4]) and np.allclose(second, [0.5, 0.5])


def test_the_final_forest_scores_on_its_folds_scale_leaves_holding_as_many_loans():
    """The calibration map is fitted on the folds' forests' scores (4/5 of the rows each); the final forest, on every
    row, grows as many more leaves, so new applicants are scored on the same scale (they had scored high)."""
    from ml.credit_forest import ForestScorer, max_leaves, sized_leaves

    assert sized_leaves(5_000, 4_000) == 160 and max_leaves(5_000) == 102     # 20 loans a leaf had become 16
    assert sized_leaves(5_000, None) == sized_leaves(5_000, 6_000) == 102 and sized_leaves(800, 640) == 320
    assert ForestScorer(sized_as=4_000)._params(64, 5_000, 1.0)["num_leaves"] == 160
    assert ForestScorer(sized_as=1_800)._params(64, 2_250, 1.0)["max_bin"] == 255   # binned as the folds were
    rng = np.random.default_rng(4)
    X = pd.DataFrame({"a": rng.normal(size=8_000), "b": rng.normal(size=8_000), "c": rng.normal(size=8_000)})
    bad = (X["a"] + 0.5 * X["b"] + rng.normal(size=8_000) > 2.2).to_numpy().astype(int)
    train, new = X.iloc[:6_000], X.iloc[6_000:]
    fold = ForestScorer(trees=30, seed=0).fit(train.iloc[:4_800], bad[:4_800]).logit(new).mean()
    final = ForestScorer(trees=30, seed=0, sized_as=4_800).fit(train, bad[:6_000]).logit(new).mean()
    unsized = ForestScorer(trees=30, seed=0).fit(train, bad[:6_000]).logit(new).mean()
    assert abs(final - fold) < 0.05 < unsized - fold


def test_a_large_code_is_written_as_a_code_not_as_an_amount():
    """Home Credit's DAYS_EMPLOYED holds 365243 for pensioners: '365243 (a code)', as the note says, not
    '365,243'."""
    from ml.credit_features import align
    from services.finance_prepare import prepare
    from services.finance_reasons import shown_values
    from tests.support import classification_frame

    frame = classification_frame(300)
    frame["DAYS_EMPLOYED"] = np.where(np.arange(300) % 10 == 0, 365243, -(np.arange(300) * 7 % 5000) - 30)
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert prepared.codes == {"DAYS_EMPLOYED": [365243.0]}
    assert any(n.startswith("Column 'DAYS_EMPLOYED' holds 365243 on 30 rows, far beyond its other values (-2,123 to "
                            "-37)") for n in prepared.notes)
    shown = shown_values(frame, align(frame, prepared.plan), prepared.plan, codes=prepared.codes)
    assert shown["DAYS_EMPLOYED"][0] == "365243 (a code)"
