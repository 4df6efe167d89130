"""A series whose quantity is blank on every row (Kaggle's Sticker Sales train.csv: Canada and Kenya's Holographic
Goose at Discount Stickers) has no quantity to learn from. It had been called a series that "ends with rows whose
quantity is blank (... the last quantity carried)", forecast at 0-1.25 a day with a P90 of 5.9-49 and, with
--fill missing, stopped the run with a traceback ("y column contains null values")."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ml.forecast_prep import ID, Y, PrepOptions, prepare
from services import retail_adjust as adjust


def _stickers() -> pd.DataFrame:
    days = pd.date_range("2022-01-01", periods=120, freq="D")
    rng = np.random.default_rng(3)
    frames = [pd.DataFrame({"date": days, "product": name, "num_sold": rng.poisson(30, len(days)).astype(float)})
              for name in ("Kaggle", "Kerneler")]
    frames.append(pd.DataFrame({"date": days, "product": "Holographic Goose", "num_sold": np.nan}))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.filterwarnings("error::FutureWarning")  # pandas' downcasting warning had reached the CLI's stderr
@pytest.mark.parametrize("fill", ["zero", "missing"])
def test_a_series_blank_on_every_row_is_named_and_forecast_at_zero(fill):
    prepared = prepare(_stickers(), PrepOptions(date="date", target="num_sold", series=("product",), horizon=14,
                                                fill=fill))
    assert not prepared.frame[Y].isna().any()  # --fill missing left it NaN: the model's fit stopped on it
    assert "1 series have no sales recorded at all; they are forecast at 0: product=Holographic Goose." \
           in prepared.notes
    assert not any("end with rows whose quantity is blank" in note for note in prepared.notes)
    fake = pd.DataFrame({ID: ["product=Holographic Goose", "product=Kaggle"], "p10": 0.0, "p50": 1.25, "p90": 49.3})
    out = adjust.never_sold_at_zero(prepared, fake)
    assert out["p90"].tolist() == [0.0, 49.3] and out["p50"].tolist() == [0.0, 1.25]
