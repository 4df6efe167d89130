"""Failure-risk scoring keeps its notes with the scored file, as score-rul does: the run's report said none of them
(how the file was read, gaps, ignored columns) beside the scored readings."""
from types import SimpleNamespace

import pandas as pd

from tests.support import trained_torque_run


def test_the_notes_of_a_scored_file_are_stored_and_the_report_says_them(settings_env):
    from commands.common import runtime
    from services import maintenance_report, maintenance_results, maintenance_scoring

    rt = runtime()
    fleet, run_id = trained_torque_run(rt, 120, 52)
    new = fleet.drop(columns=["failure"]).tail(20).assign(remark="checked")
    scored = maintenance_scoring.score_failure(rt, run_id, new.to_csv(index=False).encode(), filename="new.csv",
                                               user="t")
    ignored = "Ignored 1 column(s) the model does not read: 'remark' (not known to the model)."
    assert ignored in scored.notes
    assert maintenance_results.scoring_notes(rt, run_id) == list(scored.notes)  # before: []
    section = maintenance_report._predictions_section(rt, SimpleNamespace(id=run_id))
    assert "Notes on the latest scored file: " in section.text and ignored in section.text
    assert isinstance(dict(section.tables)["Scored readings (first 500)"], pd.DataFrame)
