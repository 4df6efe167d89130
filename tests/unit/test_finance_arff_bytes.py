"""A CSV written from scipy's ARFF reader holds b'0'/b'1' outcomes and b'A11' categories: read as the text inside."""
import numpy as np
import pandas as pd

from services import finance, finance_bytes


def _arff_book(rows: int = 240, seed: int = 0) -> pd.DataFrame:
    """Polish-bankruptcy / credit-g shaped: float ratios, a nominal attribute with b'?' for missing, class b'0'/b'1'."""
    rng = np.random.default_rng(seed)
    ratio = rng.normal(0, 1, rows)
    status = rng.choice(["b'A11'", "b'A12'", "b'A14'", "b'?'"], rows)
    bad = rng.random(rows) < 1 / (1 + np.exp(-(1.2 * ratio - 1.5)))
    return pd.DataFrame({"Attr1": ratio, "Attr2": rng.normal(5, 2, rows), "checking_status": status,
                         "class": np.where(bad, "b'1'", "b'0'")})


def test_bytes_literals_are_read_as_their_text_and_other_columns_are_left_alone():
    frame = pd.DataFrame({"class": ["b'1'", "b'0'", None, "b'0'"], "status": ["b'A11'", "b'?'", "b'A12'", 'b"x y"'],
                          "note": ["b'a'", "plain", "b'c'", None], "amount": [1.5, 2.0, np.nan, 4.0]})
    out, notes = finance_bytes.unwrapped(frame)
    assert out["class"].tolist()[:2] == [1, 0] and out["class"].isna().tolist() == [False, False, True, False]
    assert out["status"].tolist()[0] == "A11" and pd.isna(out["status"][1])
    assert out["status"].tolist()[2:] == ["A12", "x y"]
    assert out["note"].tolist()[:2] == ["b'a'", "plain"]  # not every cell a literal: kept as written
    pd.testing.assert_series_equal(out["amount"], frame["amount"])
    assert frame["class"][0] == "b'1'"  # the caller's frame is not changed
    assert notes == ["Column(s) 'class', 'status' hold values written as bytes (b'1'), as a table read from an ARFF "
                     "file with scipy and saved as CSV has them: read as the text inside, and b'?' as an empty cell."]
    plain = frame[["amount", "note"]]
    out, notes = finance_bytes.unwrapped(plain)
    assert out is plain and notes == []


def test_an_arff_outcome_reads_as_1_and_0_and_its_categories_without_the_b():
    book = _arff_book()
    data = finance._prepare_params(book, finance.credit_params(0, "class"))
    assert data.positive == 1 and data.positive_shown == "1"
    assert "b'1'" not in data.positive_rule and "1 is the minority" in data.positive_rule
    assert data.notes[0].startswith("Column(s) 'checking_status', 'class' hold values written as bytes")
    assert set(data.raw["checking_status"].dropna()) == {"A11", "A12", "A14"}
    assert data.raw["checking_status"].isna().sum() == (book["checking_status"] == "b'?'").sum()
    given = finance._prepare_params(book, finance.credit_params(0, "class", positive="b'1'"))
    assert given.positive == 1 and given.bad.tolist() == data.bad.tolist()


def test_a_batch_to_score_is_read_as_its_run_was_trained():
    batch = pd.DataFrame({"checking_status": ["b'A11'", "b'?'"], "Attr1": [0.1, 0.2]})
    assert finance_bytes.for_model(batch, {"checking_status": ["A11", "A12"]})["checking_status"].tolist()[0] == "A11"
    # a run trained before the literals were read knows its categories as b'A11': the batch is left as it is
    assert finance_bytes.for_model(batch, {"checking_status": ["b'A11'"]}) is batch
