"""The logistic member's one-hot levels: a category needs more rows as the book grows (Lending Club's zip_code,
~990 masks on 6,000 loans, had a line per mask seen 5 times and was the first reason of 13 % of applicants)."""
import numpy as np
import pandas as pd

from ml.credit_linear import LogisticScorer


def _levels(scorer: LogisticScorer, column: str) -> list[str]:
    return [s["level"] for s in scorer.columns_ if s["column"] == column and s["part"] == "level"]


def test_a_many_valued_noise_column_gets_no_lines_of_its_own_on_a_large_book():
    rng = np.random.default_rng(0)
    rows = 4000
    X = pd.DataFrame({"zip_code": [f"{z:03d}xx" for z in rng.permutation(np.arange(rows) % 500)],
                      "term": rng.choice(["36", "60"], rows), "rate": rng.normal(12, 3, rows)})
    bad = (rng.random(rows) < 0.1 + 0.2 * (X["term"] == "60")).astype(int)
    scorer = LogisticScorer({"zip_code": "categorical", "term": "categorical", "rate": "numeric"}).fit(X, bad)
    assert scorer.least_rows(rows) == 20 and scorer.least_rows(800) == 5 and scorer.least_rows(10**6) == 50
    assert _levels(scorer, "zip_code") == []  # 8 rows each: all in "(other)"
    assert _levels(scorer, "term") == ["36", "60"]
    assert float(np.abs(scorer.contributions(X)[:, 0]).max()) < 1e-9


def test_a_small_book_keeps_its_rare_levels_as_before():
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"purpose": ["education"] * 6 + ["car"] * 394 + ["tv"] * 400})
    bad = rng.integers(0, 2, 800)
    assert _levels(LogisticScorer({"purpose": "categorical"}).fit(X, bad), "purpose") == ["car", "education", "tv"]
