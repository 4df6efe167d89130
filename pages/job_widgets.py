"""Background-job widgets shared by the desk pages: follow the job a page started (or the user's running one after
a reload), submit one without doubling it, its progress panel, and the run it produced."""
from __future__ import annotations

import streamlit as st

from pages.components import app_frame, current_user, get_job_manager, get_runtime
from services import jobs
from services.page_words import for_page


def follow_job(key: str, kind: str) -> int | None:
    """The job the page follows under ``key``: the one this session started while it runs, else this user's newest
    queued or running job of ``kind`` (after a reload or in a new tab the session had forgotten it, and the page
    showed no job while it ran on; a tab whose own job had finished missed one started in another tab), else the
    session's finished one."""
    runtime, current = get_runtime(), st.session_state.get(key)
    if current is None or jobs.get_job(runtime, current).finished:
        if found := jobs.active_job(runtime, kind=kind, user=current_user()):
            st.session_state[key], st.session_state[f"{key}.dataset"] = found[0].id, found[1]
    return st.session_state.get(key)


def follow_job_table(picker: str, key: str, kind: str) -> None:
    """Call before the dataset picker keyed ``picker`` is drawn: on a page whose table is not chosen yet (a reload,
    a new tab), the table of the user's running job of ``kind``, so the form shows what is being trained (it showed
    the newest table, and a second training went to that one)."""
    state = f"{picker}.dataset"
    if state in st.session_state or (job_id := follow_job(key, kind)) is None:
        return
    dataset = st.session_state.get(f"{key}.dataset")
    if dataset is not None and not jobs.get_job(get_runtime(), job_id).finished:
        st.session_state[state] = dataset


def submit_job(key: str, *, dataset_id: int | None = None, **job) -> int | None:
    """Submit a background job and remember it (and the table it works on) under ``key`` for job_panel. Refused,
    with a warning, while the job followed there is still queued or running: a second click had queued a second
    job, hidden behind the first, whose run then became the page's newest."""
    current = follow_job(key, job["kind"])
    if current is not None and not jobs.get_job(get_runtime(), current).finished:
        st.warning(f"Job {current} is still running: wait for it to finish, or cancel it, before starting another.")
        return None
    if current is not None and st.session_state.pop(f"{key}.shown_running", None) == current:
        # clicked while the page showed it running, the click handled after it ended (a loaded machine): a second
        # job had started and stored a duplicate run
        st.warning(f"Job {current} finished while your click was on its way: its results are below. Click again to "
                   "start another.")
        return None
    job_id = get_job_manager().submit(**job)
    st.session_state[key] = job_id
    st.session_state[f"{key}.dataset"] = dataset_id
    return job_id


JOB_KINDS = {"finance.train": "Finance: credit-default training", "retail.forecast": "Retail: demand forecast",
             "maintenance.train": "Maintenance: failure-risk training",
             "maintenance.train_rul": "Maintenance: remaining-useful-life training",
             "triage.train": "Triage: image model training", "baseline.train": "Baseline model training"}


def job_kind(kind: str) -> str:
    """'maintenance.train_rul' → 'Maintenance: remaining-useful-life training' (it had read 'maintenance train
    rul'); a kind not listed → 'retail forecast'."""
    return JOB_KINDS.get(str(kind), str(kind).replace(".", " ").replace("_", " "))


def new_run(key: str) -> int | None:
    """The run of the job under ``key`` if it succeeded since this was last asked, else None: the page then
    shows the run just trained rather than the one picked before."""
    job_id = st.session_state.get(key)
    if job_id is None or st.session_state.get(f"{key}.followed") == job_id:
        return None
    job = jobs.get_job(get_runtime(), job_id)
    if not job.finished:
        return None
    st.session_state[f"{key}.followed"] = job_id
    return job.run_id if job.status == "succeeded" else None


def job_panel(job_id: int, *, key: str, dataset_id: int | None = None) -> None:
    """Progress of one job, polled by a fragment so the rest of the page stays responsive. With ``dataset_id``
    (the table now picked), a finished job on another table is not shown: its "succeeded" or "failed" would
    read as this table's; a running one is shown, said to be on another table."""
    runtime = get_runtime()
    active = not jobs.get_job(runtime, job_id).finished
    st.session_state[f"{key}.shown_running"] = job_id if active else None  # what a click on this page has seen
    other = dataset_id is not None and st.session_state.get(f"{key}.dataset") not in (None, dataset_id)
    if other and not active:
        return
    if other:
        st.caption("A job started on another table is still running:")

    def body() -> None:
        job = jobs.get_job(runtime, job_id)
        label = f"Job {job.id} ({job_kind(job.kind)}) — {job.status}: {job.message}"
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
            st.error(f"Job {job.id} failed: {for_page(job.message or '')}")
        else:
            st.warning(f"Job {job.id} was cancelled; nothing was saved.")

    st.fragment(body, run_every=1.0 if active else None)()


if __name__ == "__main__":  # opened by its address: not a page; app.py's navigation says so and shows Home
    app_frame()
