"""A series whose first rows have a blank quantity (a wide ABS retail table melted to long form: a state's series
published from 1985 is blank from April 1982) starts at its first quantity: the blanks had been read as three
years of sales of 0, a launch from nothing the models trained on."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_prep import DS, ID, Y, PrepOptions, prepare


def _turnover() -> pd.DataFrame:
    rng = np.random.default_rng(8)
    months = pd.date_range("1982-04-01", "1992-12-01", freq="MS")
    frames = [pd.DataFrame({"Month": months, "State": state, "Turnover": rng.normal(100.0, 5.0, len(months))})
              for state in ("NSW", "NT", "ACT")]
    frame = pd.concat(frames, ignore_index=True)
    late = (frame["State"] != "NSW") & (frame["Month"] < pd.Timestamp("1985-04-01"))
    frame.loc[late, "Turnover"] = np.nan
    frame.loc[(frame["State"] == "NT") & (frame["Month"] == pd.Timestamp("1990-06-01")), "Turnover"] = np.nan
    return frame


def test_blank_rows_before_a_series_first_quantity_are_left_out_not_zero_sales():
    fill = prepare(_turnover(), PrepOptions(date="Month", target="Turnover", series=("State",), horizon=12))
    frame = fill.frame
    assert frame.groupby(ID, observed=True)[DS].min().astype(str).to_dict() == {
        "State=ACT": "1985-04-01", "State=NSW": "1982-04-01", "State=NT": "1985-04-01"}  # were 1982-04-01, at 0
    assert frame.loc[frame[Y] == 0, DS].astype(str).tolist() == ["1990-06-01"]  # a blank inside a series: 0
    assert "2 series start with rows whose quantity is blank (72 rows): each series starts at its first quantity " \
           "(State=ACT from 1985-04-01, State=NT from 1985-04-01); the blank rows before it were left out, not read " \
           "as sales of 0." in fill.notes
    assert any(n.startswith("1 rows had no quantity (a blank, NaN or infinite cell); they were set to 0")
               for n in fill.notes)  # inside: 0
