"""Retail names in words: model descriptions per frequency, '–' for an undefined MASE, the report's table."""
from __future__ import annotations

import pandas as pd

from services import retail_labels


def test_a_model_is_described_in_words_for_the_runs_frequency_only():
    assert retail_labels.describe_model("moving_average", "D") == "moving average: the mean of the last 28 days"
    assert retail_labels.describe_model("moving_average", "W") == "moving average: the mean of the last 8 weeks"
    monthly = retail_labels.describe_model("seasonal_naive", "M")
    assert monthly == "seasonal naive: the value one season (12 months) earlier"
    assert retail_labels.describe_model("lightgbm", "D").startswith("LightGBM: one LightGBM model")
    assert retail_labels.describe_model("mean_last_year") == "mean of the last year"
    assert "_" not in retail_labels.describe_model("seasonal_index", "Q")


def _table() -> pd.DataFrame:
    return pd.DataFrame({"model": ["lightgbm", "seasonal_naive"], "champion": [True, False],
                         "wape": [12.34567, 20.0], "mase": [None, float("nan")]})


def test_an_undefined_mase_reads_as_a_dash_with_a_note_saying_why():
    shown = retail_labels.plain_backtest(_table())
    assert shown["MASE (1 = naive's error)"].tolist() == ["–", "–"]  # was None / nan
    assert shown["WAPE (%)"].tolist() == [12.35, 20.0]
    assert retail_labels.mase_note(_table()).startswith("MASE – : not defined for this run.")
    assert retail_labels.mase_note(_table().assign(mase=[0.7, 1.1])) == ""
    assert retail_labels.plain_backtest(_table().assign(mase=[0.7, 1.1]))["MASE (1 = naive's error)"].dtype == float


def test_the_reports_backtest_table_ticks_the_champion():
    assert retail_labels.report_backtest(_table())["champion"].tolist() == ["✓", ""]  # was True / False
