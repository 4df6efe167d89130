"""Text that pandas cannot read as numbers without crashing (a hexadecimal id such as Prosper's ListingKey)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from ml.credit_numbers import to_numbers

ROOT = Path(__file__).resolve().parents[2]


def test_a_hexadecimal_key_is_not_a_number_and_does_not_crash_the_process():
    # pandas' to_numeric dies (SIGSEGV) on '6E51116685127' and '1E2147483648A': run where a crash shows as a code.
    code = ("from ml.credit_features import parse_numeric_text, plan_features; import pandas as pd; "
            "keys = pd.Series(['6E51116685127A62574', '1E2147483648A', '0A1B2C3D4E5F6071'] * 20, dtype=object); "
            "print(parse_numeric_text(keys).isna().all(), plan_features(pd.DataFrame({'ListingKey': keys, "
            "'amount': [float(i * 37 % 60) for i in range(60)]})).kinds.get('amount'))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.split() == ["True", "numeric"]


def test_numbers_read_as_pandas_reads_them():
    values = pd.Series(["1.5e-3", "2E5", " 7 ", "", None, "abc", "1e00001"], dtype=object)
    assert to_numbers(values).tolist()[:3] == [0.0015, 200000.0, 7.0]
    assert to_numbers(values).isna().tolist()[3:] == [True, True, True, True]
    assert to_numbers(pd.Series([1, 2])).tolist() == [1, 2]
