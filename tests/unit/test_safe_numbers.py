"""Text pandas (< 3) cannot read as a number without crashing the process: a hash or hexadecimal id such as
'8e2569614270f3d8…' or Prosper's ListingKey. Each desk reads columns through ml.numbers.to_numeric."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ml.numbers import to_numeric

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["6E51116685127A62574", "8e2569614270f3d8b9e7038efac9f116", "12e3456789012ab", "0A1B2C3D4E5F6071"]


def _survives(code: str) -> str:
    """Run where a crash shows as an exit code, not as the test process ending."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, (done.returncode, done.stderr[-500:])
    return done.stdout


def test_hash_ids_are_no_numbers_for_the_finance_plan_the_leakage_guard_and_the_encoder():
    code = ("import pandas as pd; from ml.credit_features import parse_numeric_text, plan_features; "
            "from ml.leakage import _single_column_auc; from ml.tabular import TabularFrameEncoder; "
            f"keys = pd.Series({KEYS!r} * 15, dtype=object); y = pd.Series([0, 1] * 30); "
            "print(parse_numeric_text(keys).isna().all(), plan_features(pd.DataFrame({'ListingKey': keys, "
            "'amount': [float(i * 37 % 60) for i in range(60)]})).kinds.get('amount'), "
            "round(_single_column_auc(keys, y), 2))")
    assert _survives(code).split() == ["True", "numeric", "0.5"]


def test_numbers_read_as_pandas_reads_them_and_long_exponents_as_none():
    values = pd.Series(["1.5e-3", "2E5", " 7 ", "", None, "abc", *KEYS[:3]], dtype=object)
    read = to_numeric(values, errors="coerce")
    assert read.tolist()[:3] == [0.0015, 200000.0, 7.0] and read.iloc[3:].isna().all()
    assert to_numeric(pd.Series(KEYS[:2], dtype="string"), errors="coerce").isna().all()
    assert to_numeric(pd.Series([1, 2])).tolist() == [1, 2]  # numbers pass as they are
    with pytest.raises(ValueError, match="6E51116685127A62574"):
        to_numeric(pd.Series(["1", KEYS[0]], dtype=object))  # errors="raise", as pandas' default
    assert np.isnan(to_numeric(KEYS[1], errors="coerce")) and to_numeric("3.5") == 3.5
    assert np.isnan(to_numeric(np.array(KEYS[:2], dtype=object), errors="coerce")).all()
    frame = pd.DataFrame({"a": ["1", KEYS[0]], "b": ["2", "3"]}).apply(to_numeric, errors="coerce")
    assert frame["b"].tolist() == [2, 3] and np.isnan(frame.at[1, "a"])


def test_report_figures_and_the_excel_reader_read_hash_ids_as_no_numbers():
    code = ("import pandas as pd; from reports.figure_style import as_numbers; from data.excel import _numbers; "
            "from reports.model_figures import beeswarm_figure; "
            f"keys = pd.Series({KEYS!r}, dtype=object); "
            "beeswarm_figure([[0.1], [0.2], [0.3], [0.4]], pd.DataFrame({'key': keys})); "
            "print(as_numbers(keys).isna().all(), _numbers(pd.Series(['1.5', *keys], dtype=object)).notna().sum())")
    assert _survives(code).split() == ["True", "1"]
