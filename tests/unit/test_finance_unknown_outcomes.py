"""An outcome written as not known ("unknown", "pending") is left out of training, like a running loan."""
import numpy as np
import pandas as pd
import pytest

from domain import loan_outcomes
from services.finance_prepare import prepare
from tests.support import classification_frame


def _yes_no_unknown(rows: int = 200, unknown: int = 20, word: str = "unknown") -> pd.DataFrame:
    frame = classification_frame(rows)
    outcome = np.where(frame.pop("default") == "bad", "yes", "no").astype(object)
    outcome[np.arange(0, 2 * unknown, 2)] = word
    return frame.assign(defaulted=outcome)


@pytest.mark.parametrize("value,unknown", [
    ("unknown", True), ("UNK", True), ("n/a", True), ("Pending", True), ("?", True), ("Status: Unknown", True),
    ("Desconocido", True), ("no", False), ("Current", False), ("unknown default", False), (0, False), ("", False),
])
def test_outcomes_that_say_they_are_not_known(value, unknown):
    assert loan_outcomes.is_unknown_outcome(value) is unknown


@pytest.mark.parametrize("positive", ["yes", None])
def test_unknown_outcomes_are_left_out_not_counted_as_no_default(positive):
    frame = _yes_no_unknown()
    prepared = prepare(frame, "defaulted", positive=positive, id_column="applicant_id")
    assert len(prepared.X) == 180 and set(prepared.labels) == {"yes", "no"}
    assert int(prepared.bad.sum()) == int((frame["defaulted"] == "yes").sum())
    assert "unknown" not in set(prepared.raw.get("defaulted", pd.Series(dtype=object)))
    assert "A00000" not in prepared.keys and "A00001" in prepared.keys
    note = next(n for n in prepared.notes if "not known" in n)
    assert note.startswith("20 loans whose outcome is not known in 'defaulted' (unknown (20))")
    assert not any("count as no default" in n for n in prepared.notes)


def test_a_pending_status_among_loan_statuses_is_left_out_with_the_running_loans():
    frame = classification_frame(240)
    status = np.where(frame.pop("default") == "bad", "Charged Off", "Fully Paid").astype(object)
    status[:12], status[12:30] = "Pending", "Current"
    prepared = prepare(frame.assign(loan_status=status), "loan_status", id_column="applicant_id")
    assert len(prepared.X) == 210
    assert any(n.startswith("12 loans whose outcome is not known in 'loan_status' (Pending (12))")
               for n in prepared.notes)
    assert any(n.startswith("18 loans still running") for n in prepared.notes)


def test_a_value_the_user_names_as_the_default_is_never_left_out():
    frame = _yes_no_unknown().replace({"defaulted": {"yes": "pending"}})
    prepared = prepare(frame, "defaulted", positive="pending,unknown", id_column="applicant_id")
    assert len(prepared.X) == 200 and not any("not known" in n for n in prepared.notes)
