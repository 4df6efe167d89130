"""AppTest: the finance scored and PSI tables draw an empty cell (an approved applicant without reasons, no
exposure, a PSI not computed) as '–', not Streamlit's grey 'None', while the numbers stay numbers."""
from __future__ import annotations

import numpy as np
from streamlit.testing.v1 import AppTest


def _scored_script():
    from types import SimpleNamespace

    import numpy as np
    import pandas as pd
    import streamlit as st

    from pages import finance_views

    frame = pd.DataFrame({"applicant_id": ["A1", "A2", "A3"], "pd": [0.04, 0.31, 0.12],
                          "grade": ["A", "E", "B"], "decision": ["approve", "decline", "approve"],
                          "reason_1": [None, "Debt-to-income of 41.2 raised the risk", None],
                          "reason_2": [None, None, None], "reason_3": [None, None, None],
                          "expected_loss": [812.4, np.nan, 1530.9]})  # A2: no exposure given
    psi = pd.DataFrame({"feature": ["(score)", "dti", "purpose"], "psi": [0.02, 0.31, np.nan],
                        "band": ["too few rows"] * 3})
    st.session_state["finance.scored"] = SimpleNamespace(run_id=7, frame=frame, notes=(), psi=psi, batch=None)
    finance_views.scoring(None, SimpleNamespace(id=7), "analyst")


def test_the_scored_table_draws_missing_reasons_and_losses_as_a_dash_and_keeps_numbers():
    at = AppTest.from_function(_scored_script, default_timeout=60).run()
    assert not at.exception, at.exception
    scored = next(d for d in at.dataframe if "reason_1" in d.value.columns)
    assert scored.proto.placeholder == "–"  # was unset: the approved applicants' reasons read a grey 'None'
    shown = scored.value.set_index("applicant_id")
    assert shown["expected_loss"].dtype == float and np.isnan(shown.loc["A2", "expected_loss"])  # sorted as numbers
    assert shown.loc["A1", "expected_loss"] == 812.0 and shown["pd"].tolist() == [0.04, 0.31, 0.12]
    assert shown["reason_1"].isna().tolist() == [True, False, True]
    psi = next(d for d in at.dataframe if "band" in d.value.columns)
    assert psi.proto.placeholder == "–"
    assert psi.value["feature"].tolist() == ["dti", "Score (PD)", "purpose"] and np.isnan(psi.value["psi"].iloc[2])
