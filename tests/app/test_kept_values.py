"""Widget values survive a visit to another page (Streamlit drops the state of widgets a run does not draw)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _page_script():
    import streamlit as st

    from pages import components

    if st.session_state.get("demo.keep", True):
        components.keep_values("demo.pick", "demo.cost")
    if st.session_state.get("demo.shown", True):  # False: another page is open, these widgets are not drawn
        st.selectbox("Run", [3, 2, 1], key="demo.pick")
        st.number_input("Cost", 0.0, value=5.0, key="demo.cost")


def _visit_another_page(at: AppTest) -> AppTest:
    at.session_state["demo.shown"] = False
    at.run()
    at.session_state["demo.shown"] = True
    return at.run()


@pytest.mark.parametrize("keep,expected", [(True, (1, 9.0)), (False, (3, 5.0))])  # False: Streamlit's own way
def test_a_chosen_run_and_a_cost_come_back_after_another_page(keep, expected):
    at = AppTest.from_function(_page_script)
    at.session_state["demo.keep"] = keep
    at.run()
    at.selectbox(key="demo.pick").set_value(1).run()
    at.number_input(key="demo.cost").set_value(9.0).run()
    _visit_another_page(at)
    assert not at.exception, at.exception
    assert (at.selectbox(key="demo.pick").value, at.number_input(key="demo.cost").value) == expected


def test_a_kept_choice_no_longer_offered_falls_back_to_the_first_option():
    at = AppTest.from_function(_page_script)
    at.session_state["demo.shown"] = False
    at.session_state["demo.pick.kept"] = 7  # a run deleted since it was chosen
    at.run()
    assert at.session_state["demo.pick"] == 7  # put back while another page is open
    at.session_state["demo.shown"] = True
    at.run()
    assert not at.exception, at.exception
    assert at.selectbox(key="demo.pick").value == 3


def test_the_maintenance_plans_costs_and_capacity_keep_the_latest_choice_after_another_page(app_env, monkeypatch):
    """The Plan tab's boxes get their first values through the session state, not beside a kept value in the
    widget: the user's latest choice comes back after each visit to Home (the retail page's horizon had brought
    back its first one) and no box meets a default beside a kept value (what makes Streamlit warn)."""
    from pathlib import Path

    import pandas as pd
    from streamlit.elements.lib import policies

    from pages import components
    from services import datasets, maintenance, maintenance_scoring

    sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "machine_telemetry.csv"
    runtime = components.get_runtime()
    frame = pd.read_csv(sample).head(200)
    info = datasets.import_dataset(runtime, frame.to_csv(index=False).encode(), filename="t.csv", user="t")
    run_id = maintenance.train_failure_job(runtime, maintenance.failure_params(
        info.id, "Machine failure", folds=3, n_estimators=10, use_suggestions=False), lambda *_: None)
    maintenance_scoring.score_failure(runtime, run_id, frame.head(20).to_csv(index=False).encode(),
                                      filename="s.csv", user="t")
    seen: list[tuple[str, object]] = []
    original = policies.check_session_state_rules

    def record(default_value, key, writes_allowed=True):
        if key is not None and policies.get_session_state().is_new_state_value(key):
            seen.append((key, default_value))
        return original(default_value, key, writes_allowed)

    monkeypatch.setattr(policies, "check_session_state_rules", record)
    app = Path(__file__).resolve().parents[2] / "app.py"
    at = AppTest.from_file(str(app), default_timeout=90)
    at.run()
    at.switch_page("pages/maintenance.py").run()
    boxes = {"maintenance.capacity": (5, 7), "maintenance.unplanned": (60000.0, 70000.0),
             "maintenance.planned": (4000.0, 3000.0), "maintenance.horizon": (20, 30),
             f"maintenance.riskalert.{run_id}": (40.0, 45.0)}
    for turn in (0, 1):
        for key, values in boxes.items():
            at.number_input(key=key).set_value(values[turn])
        at.run()
        at.switch_page("pages/home.py").run()
        at.switch_page("pages/maintenance.py").run()
        assert not at.exception, at.exception
        assert {key: at.number_input(key=key).value for key in boxes} == {k: v[turn] for k, v in boxes.items()}
    assert not {key for key, default in seen if default is not None and key.startswith("maintenance.")}
    components.get_job_manager().shutdown()
