"""A core-banking export's Default Flag (Y/N) beside its Loan Status: loans still running (Current, In Grace Period)
carry N though their outcome is not known yet. Training says so, with how to leave them out."""
import numpy as np

from services.finance_prepare import prepare
from tests.support import classification_frame


def _book(rows: int = 400):
    frame = classification_frame(rows)
    bad = (frame["default"] == "bad").to_numpy()
    status = np.where(bad, "Charged Off", np.where(np.arange(rows) % 3 == 0, "Current", "Fully Paid")).astype(object)
    status[(~bad) & (np.arange(rows) % 7 == 0)] = "In Grace Period"
    return frame.assign(**{"Loan Status": status, "default": np.where(bad, "Y", "N")}), status, bad


def test_loans_still_running_counted_as_no_default_are_warned_of():
    frame, status, bad = _book()
    prepared = prepare(frame, "default", id_column="applicant_id")
    running = [w for w in prepared.warnings if "still running according to 'Loan Status'" in w]
    count = int(np.isin(status, ["Current", "In Grace Period"]).sum())
    assert len(running) == 1 and running[0].startswith(f"{count:,} loans counted as no default are still running")
    assert "Current (" in running[0] and "In Grace Period (" in running[0]
    assert "train with --target 'Loan Status'" in running[0]


def test_a_status_of_ended_loans_only_or_a_category_is_no_running_warning():
    frame, status, bad = _book()
    ended = frame.assign(**{"Loan Status": np.where(bad, "Charged Off", "Fully Paid")})
    assert not any("still running" in w for w in prepare(ended, "default", id_column="applicant_id").warnings)
    homes = frame.assign(**{"Loan Status": np.resize(["RENT", "OWN", "MORTGAGE", "Current"], len(frame))})
    assert not any("still running" in w for w in prepare(homes, "default", id_column="applicant_id").warnings)
