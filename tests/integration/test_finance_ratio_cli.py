"""A book with a loan amount and a term: the model reads their ratio too, and every output stays in the book's own
columns (reasons, SHAP sample, PSI, what-if), through `cli.py finance train|score`."""
import json

import numpy as np
import pandas as pd

import cli


def _book(rows: int, seed: int) -> pd.DataFrame:
    """Risk set by the instalment (amount over term), as a lender's affordability check sets it."""
    rng = np.random.default_rng(seed)
    term = rng.choice([6, 12, 24, 36, 48], rows)
    amount = (rng.gamma(2.0, 1500.0, rows) + 250).round(0)
    logit = 0.012 * (amount / term) - 2.2
    bad = np.where(rng.random(rows) < 1 / (1 + np.exp(-logit)), "bad", "good")
    return pd.DataFrame({"loan_no": [f"L{i:04d}" for i in range(rows)], "credit_amount": amount,
                         "duration_months": term, "purpose": rng.choice(["car", "tv", "other"], rows),
                         "risk": bad})


def test_amount_per_term_is_read_and_explained_in_the_books_columns(tmp_path, monkeypatch, capsys):
    from commands.common import runtime
    from services import finance, runs
    from settings import get_settings

    monkeypatch.setenv("DD_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DD_DATABASE_URL", "")
    get_settings.cache_clear()
    _book(400, 0).to_csv(tmp_path / "book.csv", index=False)
    new = _book(120, 1).drop(columns=["risk"])
    new.loc[3, "duration_months"] = 0  # a code: the ratio is left empty, the row still scored
    new.to_csv(tmp_path / "new.csv", index=False)
    try:
        assert cli.main(["finance", "train", "--data", str(tmp_path / "book.csv"), "--target", "risk",
                         "--id", "loan_no", "--json"]) == 0
        captured = capsys.readouterr()
        run_id = json.loads(captured.out)["run_id"]
        assert "'credit_amount per duration_months' (credit_amount ÷ duration_months" in captured.err
        assert cli.main(["finance", "score", "--run", str(run_id), "--data", str(tmp_path / "new.csv"),
                         "--out", str(tmp_path / "scored.csv")]) == 0
        assert "1 row(s) give no 'credit_amount per duration_months' (credit_amount ÷ duration_months: a blank, " \
            "or duration_months of 0 or below)" in capsys.readouterr().err
        scored = pd.read_csv(tmp_path / "scored.csv")
        rt = runtime()
        run = runs.get_run(rt, run_id)
        shap = finance.load_shap_sample(rt, run)
        result = finance.score(rt, run_id, new, user="test", store=False)
        asked = finance.what_if(rt, run_id, {"credit_amount": 9000, "duration_months": 6, "purpose": "car"})
    finally:
        get_settings.cache_clear()
    assert run.parameters["ratios"] == {"credit_amount per duration_months": ["credit_amount", "duration_months"]}
    reasons = scored[["reason_1", "reason_2", "reason_3"]].fillna("").to_numpy().ravel()
    assert not any(" per duration_months" in r for r in reasons)
    assert any(r.startswith("Credit amount of") for r in reasons)
    assert shap["features"] == ["credit_amount", "duration_months", "purpose"]
    assert set(result.psi["feature"]) == {"(score)", "credit_amount", "duration_months", "purpose"}
    assert len(scored) == 120 and scored["pd"].notna().all()
    assert [name for name, _ in asked.contributions] == ["credit_amount", "duration_months", "purpose"]
    assert asked.pd > float(np.median(scored["pd"]))  # 1,500 a month: the riskiest instalment of the book
