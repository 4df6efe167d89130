"""Shared widgets and the per-process collaborators (runtime, job manager) cached for all sessions."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import datasets, jobs, system
from services.jobs import JobManager
from services.runtime import Runtime, build_runtime
from settings import get_settings


@st.cache_resource(show_spinner=False)
def get_runtime() -> Runtime:
    settings = get_settings()
    runtime = build_runtime(settings)
    system.startup(runtime)
    if settings.load_samples:
        datasets.load_samples(runtime, user=settings.user)
    return runtime


@st.cache_resource(show_spinner=False)
def get_job_manager() -> JobManager:
    return JobManager(get_runtime())


def current_user() -> str:
    return get_settings().user


def problems_table(problems: list[dict], *, key: str) -> None:
    if not problems:
        return
    frame = pd.DataFrame(problems)
    columns = [c for c in ("severity", "row", "column", "problem") if c in frame.columns]
    st.dataframe(frame[columns], hide_index=True, width="stretch", key=key)


def profile_table(profile: list[dict]) -> pd.DataFrame:
    rows = []
    for column in profile:
        top = ", ".join(f"{value} ({count})" for value, count in (column.get("top_values") or [])[:3])
        rows.append({
            "column": column["name"], "type": column["kind"], "missing %": round(column["missing_pct"], 2),
            "distinct": column["distinct"], "min": column.get("min"), "max": column.get("max"), "top values": top,
        })
    return pd.DataFrame(rows)


def job_panel(job_id: int, *, key: str) -> None:
    """Progress of one job, polled by a fragment so the rest of the page stays responsive."""
    runtime = get_runtime()
    active = not jobs.get_job(runtime, job_id).finished

    def body() -> None:
        job = jobs.get_job(runtime, job_id)
        label = f"Job {job.id} ({job.kind}) — {job.status}: {job.message}"
        st.progress(job.progress, text=label)
        if not job.finished:
            if st.button("Cancel", key=f"{key}.cancel.{job_id}"):
                get_job_manager().cancel(job_id, current_user())
                st.rerun()
        elif active:  # it just finished: redraw the whole page once with the new results
            st.rerun(scope="app")
        elif job.status == "succeeded":
            st.success(f"Job {job.id} finished: run {job.run_id} is stored.")
        elif job.status == "failed":
            st.error(f"Job {job.id} failed: {job.message}")
        else:
            st.warning(f"Job {job.id} was cancelled; nothing was saved.")

    st.fragment(body, run_every=1.0 if active else None)()
