"""Shared widgets and the per-process collaborators (runtime, job manager) cached for all sessions."""
from __future__ import annotations

import re
import threading

import pandas as pd
import streamlit as st

from services import datasets, reports, system
from services.jobs import JobManager
from services.labels import task_label
from services.runtime import Runtime, build_runtime
from settings import get_settings

# What the uploaders accept: delimited text (.dat/.data: instrument and UCI exports) and Excel (.xls too).
TABLE_TYPES = ["csv", "tsv", "txt", "dat", "data", "xlsx", "xlsm", "xls", "gz", "zip"]  # gz, zip: one table packed
# What a table shows in an empty cell (NaN, None): Streamlit 1.67 writes a grey 'None' unless st.dataframe names
# its own placeholder. Only the drawing changes: the frame (sorting, downloads) keeps its numbers and blanks.
EMPTY = "–"


_RUN = threading.local()  # Streamlit runs each session's script in its own thread


def routed() -> None:
    """app.py calls this before its navigation: this run came through app.py."""
    _RUN.routed = True


def app_frame() -> None:
    """Run this page inside app.py's navigation. A page opened by its address before anyone opened the app's
    root is run alone by Streamlit's old pages-folder mode (a `pages/` folder sits next to app.py): the
    sidebar then lists every module of the folder and app.py's page set-up is skipped, for every session
    until someone opens the root. Leave that mode and run again: app.py then routes to this same page.
    Whether this run came through app.py is asked of this run (sessions opened at the same moment all
    start in the old mode), and a rerun happens only on a session's first run (a page load): a rerun
    would drop a widget's one-shot value (a click, a chat message), and Streamlit's AppTest enters the old
    mode on every run."""
    first = "components.app_frame" not in st.session_state
    st.session_state["components.app_frame"] = True
    through_app, _RUN.routed = getattr(_RUN, "routed", False), False
    if through_app:
        return
    try:
        from streamlit.runtime.pages_manager import PagesManager
        PagesManager.uses_pages_directory = False  # what st.navigation itself sets: later sessions start right
    except ImportError:  # a Streamlit without the old mode
        return
    if first:
        st.rerun()


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
    st.dataframe(problem_rows(frame[columns]), hide_index=True, width="stretch", key=key, placeholder=EMPTY,
                 column_config={"problem": st.column_config.TextColumn("problem", width="large")})


def problem_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """A file's problems as shown: '–' where a problem concerns no one row or column (the grid wrote a grey
    'None'), row numbers without decimals."""
    shown = frame.astype(object).where(frame.notna(), EMPTY)
    if "row" in shown.columns:
        shown["row"] = [f"{int(v):,}" if isinstance(v, (int, float)) and v == v else v for v in shown["row"]]
    return shown


# One name for the one action on every page (it had been 'Import dataset', 'Use this file', 'Import sales file'…)
IMPORT_LABEL = "Import file"


def dataset_picker(*, key: str, upload_label: str, empty_message: str, prefer=None):
    """Upload → import (every problem listed, nothing stored when rejected) → pick a stored dataset.

    Widgets are keyed ``{key}.upload``, ``{key}.import`` and ``{key}.dataset``; a freshly imported
    file becomes the selection; before any choice, the newest table ``prefer(info)`` accepts (a desk's own
    kind of table, not the newest of any kind), else the newest. Returns the chosen DatasetInfo, or None
    when nothing is stored yet.
    """
    runtime = get_runtime()
    upload = st.file_uploader(upload_label, type=TABLE_TYPES, key=f"{key}.upload")
    if st.button(IMPORT_LABEL, key=f"{key}.import", disabled=upload is None):
        try:
            info = datasets.import_dataset(runtime, upload.getvalue(), filename=upload.name, user=current_user())
            st.session_state[f"{key}.dataset"] = info.id  # the selectbox below is not drawn yet
            st.session_state[f"{key}.imported"] = upload.file_id
            st.success(f"{imported_words(info)}: {info.rows:,} rows.")
            import_notes(info.problems)
        except datasets.DatasetRejected as exc:
            st.error(f"Nothing was stored. {exc}")
            problems_table(exc.problems, key=f"{key}.problems")
            st.session_state[f"{key}.rejected"] = upload.file_id
    stored = datasets.list_datasets(runtime)
    if not stored:
        st.info(empty_message)
        return None
    labels = {d.id: f"{d.name} (#{d.id}, {d.rows:,} rows)" for d in stored}
    if st.session_state.get(f"{key}.dataset") not in labels:
        st.session_state[f"{key}.dataset"] = next((d.id for d in stored if prefer and prefer(d)), stored[0].id)
    if upload is not None and st.session_state.get(f"{key}.imported") != upload.file_id:
        # browser QA: a model was trained on the dataset shown below an uploaded file never imported
        rejected = st.session_state.get(f"{key}.rejected") == upload.file_id  # 'click Import' invited a retry
        st.warning(f"'{upload.name}' could not be imported: upload a corrected file. Everything below works on the "
                   "dataset chosen here." if rejected else f"'{upload.name}' is uploaded but not imported: click "
                   f"'{IMPORT_LABEL}' to use it. Until then everything below works on the dataset chosen here.")
    chosen = st.selectbox("Dataset", list(labels), format_func=labels.get, key=f"{key}.dataset")
    return next(d for d in stored if d.id == chosen)


def imported_words(info) -> str:
    """A file imported again under its name reuses its dataset and stores no copy: the pages had said 'Stored
    dataset …' all the same."""
    if info.reused:
        return f"Using dataset #{info.id} '{info.name}' (imported before)"
    return f"Stored dataset '{info.name}'"


def import_notes(problems: list[dict], shown: int = 8) -> None:
    """What reading changed in a stored file (cells emptied, rows skipped, a sheet chosen), said at import: browser
    QA found 'Stored dataset …: 200 rows.' alone after a Torque cell 'high' had been emptied (and, before, had
    turned the column into text)."""
    texts = [p["problem"] for p in problems if p.get("severity") in ("warning", "info")]
    if texts:
        more = [f"… and {len(texts) - shown} more note{'s' if len(texts) - shown > 1 else ''} on reading the "
                 "file."] if len(texts) > shown else []
        st.warning("\n".join(f"- {plain(t)}" for t in [*texts[:shown], *more]))


def profile_table(profile: list[dict]) -> pd.DataFrame:
    rows = []
    for column in profile:
        top = ", ".join(f"{value} ({count})" for value, count in (column.get("top_values") or [])[:3])
        rows.append({
            "column": column["name"], "type": column["kind"], "missing %": round(column["missing_pct"], 2),
            "distinct": column["distinct"], "min": _shown(column.get("min")), "max": _shown(column.get("max")),
            "top values": top,
        })
    return pd.DataFrame(rows)


def _shown(value) -> str | None:
    """A profile's min or max as text; None for a text column, which has none: the table draws EMPTY."""
    return None if value is None else str(value)


def plain(text: str) -> str:
    """Text shown as written where Streamlit reads Markdown: a data dictionary's "*status*", "$ (USD)" or
    "<= 200 DM" is not formatting."""
    return re.sub(r"([\\`*_{}\[\]<>()#+\-.!|$~])", r"\\\1", str(text))


def keep_values(*keys: str) -> None:
    """Call at the top of a page. Streamlit drops a widget's value when a run does not draw it, so after a visit
    to another page the run picker fell back to the newest run (a batch could be scored with another model
    than the one chosen) and costs and capacities to their defaults. Each value is copied aside while its page
    is open and put back on return; a value no longer among a box's options falls back to its default."""
    for key in keys:
        aside = f"{key}.kept"
        if key in st.session_state:
            st.session_state[aside] = st.session_state[key]
        elif aside in st.session_state:
            st.session_state[key] = st.session_state[aside]


def run_label(run, *, desk: bool = False) -> str:
    """What tells runs apart in a picker: id, time, (desk and) task, target. The sidebar cuts the end."""
    target = run.parameters.get("target")
    task = task_label(run.task)
    kind = f"{run.desk} {task}" if desk and run.desk not in task.split() else task  # not 'triage image triage'
    return f"Run {run.id} · {run.created_at:%d %b %H:%M} · {kind}" + (f" · {target}" if target else "")


def report_download(run_id: int, fmt: str, *, key: str, user: str, file_name: str, where=st) -> None:
    """'Create report' then its download button, which stays after a download (the report is held per run and
    format in the session, and downloading does not rerun the page); a new run or format asks to create again."""
    held = f"{key}.held"
    if where.button("Create report", key=f"{key}.create"):
        with st.spinner("Rendering the report…"):
            _, payload = reports.export_run_report(get_runtime(), run_id, fmt, user=user)
        st.session_state[held] = (run_id, fmt, payload)
    made = st.session_state.get(held)
    if made is not None and made[:2] == (run_id, fmt):
        where.download_button(f"Download {fmt.upper()}", made[2], file_name=file_name, mime=reports.media_type(fmt),
                              key=f"{key}.download", on_click="ignore")


if __name__ == "__main__":  # opened by its address: not a page; app.py's navigation says so and shows Home
    app_frame()
