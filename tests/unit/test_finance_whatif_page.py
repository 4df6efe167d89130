"""AppTest of the what-if grid with the services patched: an empty cell reads "(blank)", not Streamlit's "None"."""
from __future__ import annotations

from datetime import datetime, timezone

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from services import finance
from services.finance_scoring import WhatIfResult
from services.results import RunInfo

RUN = RunInfo(7, "finance", "credit_lightgbm", 1,
              {"features": ["amount", "purpose"], "feature_kinds": {"amount": "numeric", "purpose": "categorical"},
               "id_column": "applicant_id", "glossary": None}, {}, "succeeded", None, False,
              datetime(2026, 1, 1, tzinfo=timezone.utc))


def _script():
    from pages import finance_views
    from tests.unit.test_finance_whatif_page import RUN

    finance_views.what_if(None, RUN)


def test_an_empty_what_if_cell_reads_blank_and_the_caption_says_it_is_missing(monkeypatch):
    rows = pd.DataFrame({"applicant_id": ["A1", "A2"], "amount": [np.nan, 900.0], "purpose": ["car", "tv"]})
    monkeypatch.setattr(finance, "training_rows", lambda runtime, run: rows)
    monkeypatch.setattr(finance, "what_if", lambda runtime, run_id, values: WhatIfResult(
        0.12, "D", "approve", ("Purpose of car raised the risk",), -2.0, (("purpose", 0.3), ("amount", -0.1))))
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert not at.exception, at.exception
    editor = next(d for d in at.dataframe if list(d.value.columns) == ["amount", "purpose"])
    assert editor.proto.placeholder == "(blank)" and pd.isna(editor.value.at[0, "amount"])
    assert any(str(c.value).startswith("A cleared cell reads (blank): the applicant gave no value, which the model "
                                       "reads as missing.") for c in at.caption)
    assert {m.label: m.value for m in at.metric} == {"PD": "12.0%", "Grade": "D", "Decision": "approve"}
