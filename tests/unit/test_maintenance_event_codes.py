"""A column coding an event on a reading is no machine id: Azure's telemetry joined with its error log has
`errorID` (error1 … error5 on the hour an error was logged, blank otherwise) beside `machineID`. The guard left it
out as a machine identifier ('the model would learn which machines failed'), a candidate for grouping the folds and
history features by when no --id was given; scored, its blanks were named as gaps."""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from ml import leakage
from services.maintenance_inputs import text_gap_shares
from services.maintenance_scoring import score_notes


def _azure_like(error_cells) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 1200
    return pd.DataFrame({"machineID": np.repeat(np.arange(1, 11), n // 10), "volt": rng.normal(170, 15, n),
                         "errorID": error_cells(rng, n)})


def _flags(frame: pd.DataFrame) -> dict[str, str]:
    y = pd.Series((np.arange(len(frame)) % 40 == 0).astype(int))
    return {f.column: f.reason for f in leakage.find_leakage(frame, y)}


def test_an_error_code_column_is_not_a_machine_id():
    sparse = _azure_like(lambda rng, n: np.where(rng.random(n) < 0.02, rng.choice(["error1", "error2"], n), None))
    flags = _flags(sparse)
    assert flags["machineID"].startswith("machine identifier")
    assert "errorID" not in flags
    filled = _azure_like(lambda rng, n: rng.choice(["none", "error1", "error2"], n))  # 'none' on error-free hours
    assert "errorID" not in _flags(filled)


def test_a_mostly_empty_id_column_is_not_the_machine_of_every_reading():
    frame = _azure_like(lambda rng, n: np.where(rng.random(n) < 0.05, rng.choice(["T1", "T2", "T3"], n), None))
    assert "operatorId" not in _flags(frame.rename(columns={"errorID": "operatorId"}))
    assert _flags(frame.rename(columns={"machineID": "pump", "errorID": "x"}))["pump"].startswith("machine identifier")


def test_an_error_code_blank_as_often_as_in_training_gets_no_gap_note():
    """Scored, errorID's blanks (no error that hour) were named as 20,942 empty values 'scored as missing'."""
    rng = np.random.default_rng(0)
    train = pd.DataFrame({"volt": rng.normal(170, 15, 1000),
                          "errorID": np.where(rng.random(1000) < 0.01, "error1", None)})
    config = {"features": ["volt", "errorID"], "empty_share": {"volt": 0.0},
              "text_empty_share": text_gap_shares(train, ["volt", "errorID"])}
    assert config["text_empty_share"] == {"errorID": pytest.approx(0.99, abs=0.01)}
    model = SimpleNamespace(encoder_=SimpleNamespace(categories_={"errorID": ["error1"]}))
    scored = train.iloc[:200]
    assert score_notes(scored, scored, model, config, None) == ()
    broken = scored.assign(volt=np.where(np.arange(200) < 50, np.nan, scored["volt"]))  # still said
    assert score_notes(broken, broken, model, config, None) == (
        "Column 'volt' has 50 empty or unreadable value(s); they were scored as missing.",)
