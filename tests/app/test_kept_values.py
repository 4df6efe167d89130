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
