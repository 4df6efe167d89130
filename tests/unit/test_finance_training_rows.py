"""Scoring the training file itself: the refitted model has seen those rows, so their PDs are more confident than
the out-of-fold PDs behind the score's PSI and the run's approval rate. The batch says so rather than leave a
"watch" PSI unexplained (German credit: 0.18 with every input's 0.000)."""
from types import SimpleNamespace

import numpy as np
import pandas as pd

from ml.credit_eval import row_hashes
from services.finance_score_notes import training_rows

KINDS = {"duration_months": "numeric", "purpose": "categorical", "savings": "numeric"}


def _training() -> pd.DataFrame:
    return pd.DataFrame({"duration_months": [6, 48, 12, 42, 24, 36], "purpose": ["car", "tv", "car", None, "tv", "car"],
                         "savings": [100.5, np.nan, 3.0, 0.25, 7.0, 1.0]})


def _loaded(stored: bool = True) -> SimpleNamespace:
    reference = {"__rows__": row_hashes(_training(), list(KINDS)).tolist()} if stored else {}
    return SimpleNamespace(plan=SimpleNamespace(kinds=KINDS), reference=reference)


def _out(approved: int, rows: int) -> pd.DataFrame:
    return pd.DataFrame({"decision": ["approve"] * approved + ["decline"] * (rows - approved)})


RUN = SimpleNamespace(metrics={"approval_rate": 0.39}, parameters={})


def test_the_training_rows_scored_again_are_said_to_be_so_however_the_file_typed_them():
    scored = _training().astype({"duration_months": float, "purpose": "category"})  # 48.0 for 48, as read again
    scored["extra"] = "ignored"
    notes = training_rows(scored, _out(3, 6), _loaded(), RUN)
    assert notes == ["6 of these 6 rows were in the training data: their PDs come from a model that saw them, so they "
                     "are more confident (further from the average, less spread by chance) than a new applicant's. "
                     "The score PSI and the approval rate (50% approved here, 39% in training) compare against "
                     "out-of-fold scores (each training row scored by a model that had not seen it): a difference "
                     "there is this, not drift."]


def test_mostly_training_rows_are_counted_and_new_applicants_are_not_noted():
    edited = _training()
    edited.loc[0, "savings"] = 101.0
    edited.loc[1, "purpose"] = "boat"
    assert training_rows(edited, _out(3, 6), _loaded(), RUN)[0].startswith("4 of these 6 rows were in the training")
    new = _training().assign(duration_months=lambda f: f["duration_months"] + 1)
    assert training_rows(new, _out(3, 6), _loaded(), RUN) == []
    assert training_rows(_training(), _out(3, 6), _loaded(stored=False), RUN) == []  # a run stored before


def test_a_blank_is_a_blank_however_written():
    one = pd.DataFrame({"a": [np.nan, 1.0], "b": [None, "x"]})
    other = pd.DataFrame({"a": pd.array([pd.NA, 1], dtype="Int64"), "b": [np.nan, "x"]})
    assert row_hashes(one, ["a", "b"]).tolist() == row_hashes(other, ["a", "b"]).tolist()


def test_the_same_applicants_edited_are_found_by_their_ids():
    edited = _training().assign(savings=lambda f: f["savings"] + 1)  # no row as trained
    loaded = _loaded()
    loaded.reference["__ids__"] = ["G1", "G2", "G3", "G4", "G5", "G6"]
    out = _out(3, 6)
    out.insert(0, "applicant_id", ["G1", "G2", "G3", "G4", "N1", "N2"])
    run = SimpleNamespace(metrics={}, parameters={"id_column": "applicant_id"})
    assert training_rows(edited, out, loaded, run)[0].startswith("4 of these 6 rows were in the training data")
    assert training_rows(edited, out, _loaded(), run) == []  # a run without ids: only equal rows count
