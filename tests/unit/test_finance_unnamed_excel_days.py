"""Excel's day numbers under a column whose name has no word for a day ('Erste Kreditlinie', 'Origination'),
judged by their values beside the file's other dates; and flags in notes written so that a shell takes them."""
import numpy as np
import pandas as pd

from ml.credit_dates import unnamed_excel_days
from ml.credit_features import align
from services.finance_prepare import prepare
from tests.support import classification_frame

_EPOCH = pd.Timestamp("1899-12-30")


def _book(rows: int = 300) -> tuple[pd.DataFrame, pd.DatetimeIndex]:
    frame = classification_frame(rows)
    applied = pd.Timestamp("2016-01-01") + pd.to_timedelta(np.arange(rows) * 3, unit="D")
    frame["Auszahlungsmonat"] = applied.strftime("%Y-%m")
    opened = applied - pd.to_timedelta(np.linspace(2, 30, rows) * 365.25, unit="D")
    frame["Erste Kreditlinie"] = (opened - _EPOCH).days
    return frame, opened


def test_day_numbers_beside_dates_are_read_by_their_values():
    frame, opened = _book(60)
    dated = frame.assign(Auszahlungsmonat=pd.to_datetime(frame["Auszahlungsmonat"]))
    read = unnamed_excel_days(dated)
    assert list(read) == ["Erste Kreditlinie"] and (read["Erste Kreditlinie"] == opened.normalize()).all()
    assert unnamed_excel_days(frame.drop(columns=["Auszahlungsmonat"])) == {}  # no date beside them


def test_amounts_scores_and_rounded_numbers_are_not_day_numbers():
    days = pd.Series(np.arange(60) * 97 + 30001)
    frame = pd.DataFrame({"issued": pd.date_range("2016-01-01", periods=60), "Annual Income": days,
                          "Kreditbetrag": days, "Kreditlimit": (np.arange(60) + 300) * 100, "Start": days,
                          "Zip": days, "branch_code": days})
    assert list(unnamed_excel_days(frame)) == ["Start"]  # 'Kreditlimit' holds round hundreds
    assert unnamed_excel_days(frame.assign(Start=days.clip(upper=30010))) == {}  # few values


def test_a_first_credit_line_written_as_day_numbers_counts_years_before_the_application():
    frame, opened = _book()
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert prepared.plan.anchor == "Auszahlungsmonat" and prepared.plan.kinds["Erste Kreditlinie"] == "datetime"
    note = next(n for n in prepared.notes if n.startswith("Column 'Erste Kreditlinie' holds whole numbers"))
    assert "read as Excel's day numbers" in note and "--exclude 'Erste Kreditlinie'" in note
    years = align(prepared.raw, prepared.plan)["Erste Kreditlinie"]
    assert years.between(1.9, 30.1).all()  # years of history, not day counts of 30,000 to 41,000


def test_a_column_name_with_a_space_is_quoted_in_the_flag_a_warning_gives():
    frame = classification_frame(300)
    frame["Loan Status"] = np.where(frame["default"] == "bad", "Charged Off", "Fully Paid")
    prepared = prepare(frame, "default", id_column="applicant_id")
    assert any("--keep 'Loan Status' (" in w for w in prepared.warnings)
