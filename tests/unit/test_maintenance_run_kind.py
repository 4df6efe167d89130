"""A maintenance run of the other kind is named in words with the command that scores it (it read "Run 1 is a
maintenance failure_risk run, not a maintenance RUL run")."""
from types import SimpleNamespace

import pytest

from services import maintenance
from services.errors import UserFacingError


@pytest.mark.parametrize(("stored", "wanted", "said"), [
    ("failure_risk", "rul", "Run 7 is a failure-risk run, not an RUL run: score it with `maintenance score`."),
    ("rul", "failure_risk", "Run 7 is an RUL run, not a failure-risk run: score it with "
                            "`maintenance score-rul`."),
])
def test_a_run_of_the_other_kind_names_the_command_that_scores_it(monkeypatch, stored, wanted, said):
    monkeypatch.setattr(maintenance.runs, "get_run", lambda runtime, run_id: SimpleNamespace(desk="maintenance",
                                                                                            task=stored))
    with pytest.raises(UserFacingError) as refused:
        maintenance.maintenance_run(None, 7, wanted)
    assert str(refused.value) == said


def test_another_desks_run_is_named_with_its_desk(monkeypatch):
    monkeypatch.setattr(maintenance.runs, "get_run", lambda runtime, run_id: SimpleNamespace(desk="finance",
                                                                                            task="credit"))
    with pytest.raises(UserFacingError, match="Run 7 is a finance credit run, not a maintenance RUL run."):
        maintenance.maintenance_run(None, 7, "rul")
