"""Numeric columns constant within each series (Iowa liquor's Category code, Pack, Bottle Volume (ml)) describe the
series: they had been listed as "numeric columns left out of the model (no future values given)", with the advice
to fill them in for the dates to forecast, as if they were drivers known in advance."""
from __future__ import annotations

import numpy as np
import pandas as pd

from services.retail import _exogenous, prepare_sales


def test_columns_constant_within_each_series_are_named_as_attributes_not_drivers():
    rng = np.random.default_rng(0)
    weeks = pd.date_range("2016-01-04", periods=60, freq="W-MON")
    n = len(weeks)
    frame = pd.DataFrame({"Date": np.tile(weeks, 2), "Category Name": np.repeat(["VODKA", "RUM"], n),
                          "Category": np.repeat([1031100, 1062310], n), "Pack": np.repeat([12, 6], n),
                          "Sale": rng.gamma(5, 80, 2 * n), "Bottles Sold": rng.poisson(40, 2 * n)})
    prepared = prepare_sales(frame, {"date": "Date", "target": "Sale", "series": ["Category Name"], "horizon": 4})
    _, _, notes = _exogenous(None, prepared, {"horizon": 4})
    assert notes[0] == ("Numeric columns constant within each series left out of the model: Category, Pack. They "
                        "describe the series (its keys already tell the series apart), not drivers known in advance "
                        "for each date.")
    assert notes[1].startswith("Numeric columns left out of the model (no future values given): Bottles Sold. ")
    assert len(notes) == 2
