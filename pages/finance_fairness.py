"""The finance page's fairness panel: approval and default rates per group of a sensitive column (UI only)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components
from reports import finance_figures as ff
from services import finance
from services.errors import UserFacingError
from services.finance_page_words import for_page
from services.glossary import display_names
from services.results import RunInfo


def fairness(runtime, run: RunInfo) -> None:
    skip = (run.parameters["target"], run.parameters.get("id_column"))
    columns = [c for c in finance.training_rows(runtime, run).columns if c not in skip]
    column = _pick(columns, run, f"finance.sensitive.{run.id}",  # each run its own names
                   "Out-of-fold decisions at the run's cut-off, per group. Numbers such as age are read in bands.")
    if column is None:
        return
    try:
        result = finance.fairness(runtime, run.id, column)
    except UserFacingError as exc:
        st.error(str(exc))
        return
    _show(result, "finance.fair")


def batch(runtime, run: RunInfo, applicants: pd.DataFrame, decisions: list[str]) -> None:
    """Approval by group among the applicants just scored (their outcomes are not known yet)."""
    columns = [c for c in applicants.columns if c != run.parameters.get("id_column")]
    column = _pick(columns, run, f"finance.batchgroup.{run.id}", "This batch's decisions at the run's cut-off, "
                   "per group. Numbers such as age are read in bands.")
    if column is None:
        return
    try:
        result = finance.batch_fairness(runtime, run.id, applicants, decisions, column)
    except UserFacingError as exc:
        st.error(str(exc))
        return
    _show(result, "finance.batchfair")


def _pick(columns: list[str], run: RunInfo, key: str, help_text: str) -> str | None:
    """The sensitive column, starting on one named like a protected ground or like age, else a place, else a
    category, never an amount or an id; with none of those, nothing is checked until one is picked."""
    first = finance.first_sensitive(columns, run.parameters)
    names = display_names(run.parameters.get("glossary"), columns)
    column = st.selectbox("Sensitive column", columns, index=columns.index(first) if first in columns else None,
                          format_func=names.get, key=key, help=help_text,
                          placeholder="Pick a protected attribute (sex, age, race, marital status …)")
    if not finance.is_protected_pick(first, run.parameters):
        st.caption(components.plain(NO_PROTECTED if first is None else NO_PROTECTED_START.format(first)))
    return column


NO_PROTECTED = ("No column is named like a protected attribute (sex, gender, age, race, ethnicity, marital status, "
                "religion, nationality, foreign worker …): pick the one to check.")
NO_PROTECTED_START = ("No column is named like a protected attribute (sex, gender, age, race, ethnicity, marital "
                      "status, religion, nationality, foreign worker …): starting on '{}', a category or a place; "
                      "pick the protected attribute to check.")


def _show(result, key: str) -> None:
    for note in result.notes:  # group names may carry a data dictionary's text: shown as written
        st.caption(components.plain(for_page(note)))
    for warning in result.warnings:
        st.warning(components.plain(for_page(warning)))
    st.dataframe(_fairness_view(result.frame), hide_index=True, key=f"{key}table", placeholder=components.EMPTY,
                 column_config={
        "approval_rate": st.column_config.TextColumn("approval rate"),
        "default_rate": st.column_config.TextColumn("default rate", help="Observed default rate of the group."),
        "default_rate_approved": st.column_config.TextColumn(
            "default rate (approved)", help="Observed default rate among the group's approved applicants."),
        "approval_ratio": st.column_config.TextColumn(
            "approval ratio", help=f"Approval rate over the most approved group's, for groups of {finance.MIN_GROUP} "
            "or more (smaller ones are too noisy to read); under 0.80 is a common flag for adverse impact.")})
    st.plotly_chart(ff.group_rates_figure(result.frame, small=finance.MIN_GROUP), key=f"{key}chart")


def _fairness_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Rates as percentages to one decimal; where a group has no figure, why in words, not a bare "None"."""
    shown = frame.copy()
    for column in [c for c in ("approval_rate", "default_rate", "default_rate_approved") if c in frame]:
        shown[column] = [f"{r:.1%}" if pd.notna(r) else "– (none approved)" for r in frame[column]]
    sizes = frame["applicants"] if "applicants" in frame else pd.Series(0, index=frame.index)
    shown["approval_ratio"] = [finance.ratio_text(r) if pd.notna(r) else _no_ratio(n)
                               for r, n in zip(frame["approval_ratio"], sizes)]
    return shown


def _no_ratio(applicants: int) -> str:
    """Why a group has no approval ratio: too small to read, or (a group large enough) no group was approved at
    all, where every group of 72 had read '– (under 30 applicants)'."""
    if applicants < finance.MIN_GROUP:
        return f"– (under {finance.MIN_GROUP} applicants)"
    return "– (no group approved)"


if __name__ == "__main__":  # opened by its address: not a page; app.py's navigation says so and shows Home
    components.app_frame()
