"""Weeks and fiscal periods written as text, as ERP and POS extracts label them ('Wk 7 2023', 'FY23 P04')."""
import numpy as np
import pandas as pd
import pytest

from ml.forecast_prep import ForecastInputError, PrepOptions, prepare


def extract(labels, series=("S101", "S102")):
    rng = np.random.default_rng(0)
    return pd.DataFrame([{"Week": w, "Store": s, "Units": float(rng.integers(50, 90))} for s in series for w in labels])


def options():
    return PrepOptions(date="Week", target="Units", series=("Store",), horizon=4)


@pytest.mark.parametrize("label", ["Wk {w} {y}", "W{w:02d}/{y}", "Week {w}, {y}", "{y} Wk {w}", "{y}-W{w}",
                                   "WK{w:02d}-{y}"])
def test_week_labels_are_read_as_iso_week_mondays(label):
    # They were refused: "Column 'Week' is not a date column (or mixes date formats); use one format such as …".
    weeks = pd.date_range("2020-11-02", "2022-03-28", freq="W-MON")  # crosses 2020's week 53
    labels = [label.format(w=d.isocalendar()[1], y=d.isocalendar()[0]) for d in weeks]
    prepared = prepare(extract(labels).sample(frac=1.0, random_state=0), options())
    assert (prepared.freq, prepared.pandas_freq) == ("W", "W-MON")
    first = prepared.frame[prepared.frame["unique_id"] == prepared.frame["unique_id"].iloc[0]]
    assert list(first["ds"]) == list(weeks) and len(prepared.frame) == 2 * len(weeks)
    assert any("holds weeks written as text (such as '" in n and "each was read as the Monday of that ISO week" in n
               for n in prepared.notes)


def test_a_week_no_iso_year_has_is_left_out_not_rolled_into_the_next_year():
    weeks = pd.date_range("2021-01-04", "2022-06-27", freq="W-MON")
    labels = [f"Wk {d.isocalendar()[1]} {d.isocalendar()[0]}" for d in weeks] + ["Wk 53 2021"]
    prepared = prepare(extract(labels, series=("S101",)), options())  # pandas read it as 2022's week 1: a repeat
    assert len(prepared.frame) == len(weeks)
    assert any(n.startswith("1 rows without a date or series key were left out") for n in prepared.notes)


@pytest.mark.parametrize("label", ["FY{y} P{p:02d}", "P{p} FY{y}", "{y}-P{p:02d}", "FY{y} Wk {p}"])
def test_fiscal_periods_are_refused_with_what_to_add(label):
    labels = [label.format(y=y, p=p) for y in (2022, 2023) for p in range(1, 13)]
    with pytest.raises(ForecastInputError, match=r"holds fiscal periods such as '.+', not dates: the days a fiscal "
                                                 r"period covers depend on the company's calendar"):
        prepare(extract(labels), options())
