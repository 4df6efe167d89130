"""Home: upload and profile datasets, quick baseline, runs, jobs and reports."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components, job_widgets
from reports import figures
from services import datasets, display_labels, jobs, modeling, reports, runs
from services.errors import UserFacingError
from services.labels import metric_label, task_label

components.app_frame()  # opened by its address first: app.py's navigation, not the folder's
components.keep_values("home.run", "home.fmt")  # kept across visits to other pages
runtime = components.get_runtime()
user = components.current_user()
LARGEST_SHEET = "(the sheet with the most data)"
# The figure a run is judged by, first found: one column for every desk's runs, not each desk's own names
HEADLINE = ("oof_auc", "cv_auc", "val_auc", "roc_auc", "rmse", "wape", "accuracy")


def _headline(metrics: dict) -> dict:
    name = next((k for k in HEADLINE if isinstance(metrics.get(k), (int, float))), None)
    return {"metric": metric_label(name) if name else None, "value": float(metrics[name]) if name else None}


st.title("Decision Desk")
st.caption("Upload a table, check it, and hand it to a desk. Every result is stored and can be exported.")

tab_data, tab_runs, tab_jobs = st.tabs(["Datasets", "Runs & reports", "Jobs"])

with tab_data:
    upload = st.file_uploader("Upload a dataset (CSV, TSV or Excel)", type=components.TABLE_TYPES,
                              key="home.upload")
    sheet = None
    if upload is not None and upload.name.lower().endswith((".xlsx", ".xlsm")):
        try:
            sheet_names = datasets.list_sheets(upload.getvalue(), filename=upload.name)
        except UserFacingError as exc:
            sheet_names = []
            st.error(str(exc))
        if len(sheet_names) > 1:  # by default the sheet with the most cells, not a cover or notes sheet in front
            picked = st.selectbox("Sheet", [LARGEST_SHEET, *sheet_names], key="home.sheet")
            sheet = None if picked == LARGEST_SHEET else picked
    if upload is not None and st.session_state.get("home.uploaded") != upload.file_id:
        st.session_state["home.uploaded"] = upload.file_id  # a new file: suggest its name
        st.session_state["home.name"] = datasets.suggested_name(upload.name)
    name = st.text_input("Dataset name", key="home.name")
    if st.button(components.IMPORT_LABEL, key="home.import", disabled=upload is None, type="primary"):
        try:
            with st.spinner("Reading and validating…"):
                info = datasets.import_dataset(runtime, upload.getvalue(), filename=upload.name, name=name or None,
                                               user=user, sheet=sheet)
        except datasets.DatasetRejected as exc:
            st.error(f"Nothing was stored. {exc}")
            components.problems_table(exc.problems, key="home.rejected")
        else:
            st.success(f"{components.imported_words(info)}: {info.rows:,} rows × {info.columns} columns.")
            components.problems_table(info.problems, key="home.warnings")
            st.session_state["home.pick"] = info.id  # show the new dataset's profile

    stored = datasets.list_datasets(runtime)
    if stored:
        st.subheader("Stored datasets")
        labels = {d.id: f"{d.name} (#{d.id}, {d.rows:,} rows)" for d in stored}
        ids = list(labels)
        if st.session_state.get("home.pick") not in ids:
            st.session_state["home.pick"] = ids[0]
        chosen = st.selectbox("Dataset", ids, format_func=labels.get, key="home.pick")
        info = next(d for d in stored if d.id == chosen)
        read_as = datasets.read_as_words(info.source_format)
        st.caption(" · ".join(filter(None, (f"File {info.original_filename}", read_as))))
        with st.expander("File fingerprint (SHA-256)"):  # to check a file is the one imported; no headline
            st.code(info.sha256, language=None)
        st.dataframe(components.profile_table(info.profile), hide_index=True, width="stretch",
                     placeholder=components.EMPTY)
        by_name = {c["name"]: c for c in info.profile}
        with_hist = [c for c, p in by_name.items() if p.get("histogram")]
        if with_hist:
            column = st.selectbox("Distribution of", with_hist, key="home.hist",  # not the row counter UDI
                                  index=display_labels.first_measurement(with_hist, info.roles))
            st.plotly_chart(figures.histogram_figure(by_name[column]["histogram"], column), key="home.histchart")

        st.markdown("**Column roles** — defaults are guesses; change them before training.")
        roles = pd.DataFrame({"column": list(info.roles), "role": list(info.roles.values())})
        edited = st.data_editor(
            roles, hide_index=True, key=f"home.roles.{info.id}", disabled=["column"],
            column_config={"role": st.column_config.SelectboxColumn("role", options=list(datasets.ROLES))},
        )
        if st.button("Save roles", key="home.saveroles"):
            try:
                datasets.update_roles(runtime, info.id, dict(zip(edited["column"], edited["role"])), user=user)
                st.success("Roles saved.")
            except UserFacingError as exc:
                st.error(str(exc))

        st.subheader("Quick baseline")
        targets = list(info.schema)
        # no column named like a target: the last that is no id or date (outcomes usually come last), not the id
        guess = next((c for c, r in info.roles.items() if r == "target"), None) or \
            next((c for c in reversed(targets) if info.roles.get(c) not in ("id", "time", "ignore")), targets[0])
        target = st.selectbox("Target column", targets, index=targets.index(guess), key="home.target")
        if st.button("Train baseline", key="home.train"):
            job_widgets.submit_job(
                "home.job", dataset_id=info.id, kind="baseline.train", desk=modeling.DESK, handler=modeling.HANDLER,
                params=modeling.baseline_params(info.id, target), user=user)
        if (job_id := job_widgets.follow_job("home.job", "baseline.train")) is not None:
            job_widgets.job_panel(job_id, key="home.job", dataset_id=info.id)

with tab_runs:
    all_runs = runs.list_runs(runtime)
    if not all_runs:
        st.info("No runs yet. Train a baseline on the Datasets tab, or use a desk.")
    else:
        names = {d.id: d.name for d in datasets.list_datasets(runtime)}  # three 'demand forecast' runs: on what
        table = pd.DataFrame([{"run": r.id, "desk": r.desk, "task": task_label(r.task),
                               "dataset": names.get(r.dataset_id, "–"), "champion": r.champion,
                               "created": r.created_at, **_headline(r.metrics)} for r in all_runs])
        st.dataframe(table, hide_index=True, width="stretch", placeholder=components.EMPTY,  # no headline figure
                     column_config={"champion": st.column_config.CheckboxColumn("champion", help=(
                         "The run a desk uses by default; set it below.")),
                                    "value": st.column_config.NumberColumn("value", format="%.3f")})
        new_run = job_widgets.new_run("home.job")
        if new_run is not None:  # a baseline just finished: pick its run
            st.session_state["home.run"] = new_run
        labels = {r.id: components.run_label(r, desk=True) for r in all_runs}
        run_id = st.selectbox("Run", list(labels), format_func=labels.get, key="home.run")
        left, right = st.columns(2)
        if left.button("Set as champion", key="home.champion"):
            runs.set_champion(runtime, run_id, user=user)
            st.session_state["home.champion_set"] = run_id
            st.rerun()
        if st.session_state.get("home.champion_set") == run_id:  # said once, after the rerun that ticks the box
            left.success(f"Run {run_id} is now its desk's champion.")
            del st.session_state["home.champion_set"]
        fmt = right.selectbox("Report format", list(reports.FORMATS), key="home.fmt", format_func=str.upper)
        components.report_download(run_id, fmt, key="home.report", user=user, file_name=f"run-{run_id}.{fmt}",
                                   where=right)
        stored_reports = reports.list_reports(runtime)
        if stored_reports:
            st.markdown("**Stored reports**")
            st.dataframe(pd.DataFrame([{"report": r.id, "run": r.run_id, "format": r.format.upper(),
                                        "created": r.created_at} for r in stored_reports]),
                         hide_index=True, width="stretch", placeholder=components.EMPTY)
            with st.expander("File fingerprints (SHA-256)"):  # to check a downloaded file is the one stored
                st.dataframe(pd.DataFrame([{"report": r.id, "file": r.file_path, "SHA-256": r.sha256}
                                           for r in stored_reports]), hide_index=True, width="stretch")
            newest = max(r.id for r in stored_reports)
            if st.session_state.get("home.newest_report") != newest:  # one just created: the picker had kept an older
                st.session_state["home.newest_report"] = st.session_state["home.stored"] = newest
            report_id = st.selectbox("Report", sorted((r.id for r in stored_reports), reverse=True),  # newest first
                                     key="home.stored",
                                     format_func=lambda i: next(f"#{r.id} run {r.run_id} · {r.format.upper()}"
                                                                for r in stored_reports if r.id == i))
            try:
                chosen, payload = reports.report_bytes(runtime, report_id)
            except UserFacingError as exc:
                st.error(str(exc))
            else:
                st.download_button("Download stored report", payload, file_name=chosen.file_path,
                                   mime=reports.media_type(chosen.format), key="home.storeddownload",
                                   on_click=reports.record_download, args=(runtime, report_id),
                                   kwargs={"user": user})

with tab_jobs:
    job_rows = jobs.list_jobs(runtime)
    if not job_rows:
        st.info("No jobs yet.")
    else:
        st.dataframe(pd.DataFrame([{"job": j.id, "kind": job_widgets.job_kind(j.kind), "status": j.status,
                                    "progress": j.progress, "message": j.message, "run": j.run_id,
                                    "created": j.created_at}
                                   for j in job_rows]), hide_index=True, width="stretch",
                     placeholder=components.EMPTY,
                     column_config={"progress": st.column_config.ProgressColumn("progress", min_value=0, max_value=1)})
