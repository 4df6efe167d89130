"""The run report lists the scored units of the latest scored file, each once: a file scored twice listed its units
twice (40 rows for 20 units in "Scored units' RUL (first 500)", nothing telling the batches apart)."""
from types import SimpleNamespace

import pandas as pd

from services import maintenance_report


def _stored(batches: list[tuple[int, list[int], float]]) -> pd.DataFrame:
    rows = [{"record_key": str(u), "unit": u, "rul": rul, "rul_low": rul - 5, "rul_high": rul + 5,
             "short_history": False, "dataset_id": dataset} for dataset, units, rul in batches for u in units]
    return pd.DataFrame(rows)


def test_the_report_shows_the_latest_scored_file_once(monkeypatch):
    stored = {"rul": _stored([(8, list(range(1, 21)), 40.0), (9, list(range(1, 21)), 30.0)]),
              "score": pd.DataFrame({"record_key": ["1", "2", "1", "2", "1", "2"], "p_failure": [0.1, 0.2] * 3,
                                     "alert": [0, 1] * 3, "dataset_id": [3, 3, 4, 4, 4, 4]}),
              "rul_validation": pd.DataFrame({"record_key": ["1", "1"], "unit": [1, 1], "rul": [3.0, 4.0]})}
    monkeypatch.setattr(maintenance_report.runs, "predictions_frame",
                        lambda runtime, run_id, kind=None, limit=None: stored.get(kind, pd.DataFrame()).head(limit))
    monkeypatch.setattr(maintenance_report, "rul_cap", lambda runtime, run: 125.0)
    monkeypatch.setattr(maintenance_report, "scoring_notes", lambda runtime, run_id: ["The file has no header row: …"])
    section = maintenance_report._predictions_section(None, SimpleNamespace(id=1))
    tables = dict(section.tables)
    ruls = tables["Scored units' RUL (first 500)"]
    assert len(ruls) == 20 and ruls["unit"].tolist() == list(range(1, 21)) and set(ruls["RUL"]) == {"30.00"}
    assert tables["Scored readings (first 500)"]["chance of failure (%)"].tolist() == [10.0, 20.0]  # one file, once
    assert len(tables["Held-out cuts (first 500)"]) == 2  # validation cuts are no scored file: all kept
    assert "(of the latest scored file)" in section.text
    assert section.text.endswith(" Notes on the latest scored file: The file has no header row: …")
