"""Maintenance desk: failure risk from telemetry, remaining useful life from histories, and a plan."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components, job_widgets
from pages import maintenance_plan_views
from pages import maintenance_views as views
from reports import figures, maintenance_figures
from services import (datasets, display_labels, labels, maintenance, maintenance_plan, maintenance_results,
                      maintenance_rul, maintenance_rul_scoring, maintenance_sensors, runs)
from services.errors import UserFacingError
from services.page_words import for_page

components.app_frame()  # opened by its address first: app.py's navigation, not the folder's
components.keep_values(  # kept across visits to other pages
    "maintenance.riskrun", "maintenance.rulrun", "maintenance.planrun", "maintenance.unplanned",
    "maintenance.planned", "maintenance.capacity", "maintenance.period", "maintenance.horizon",
    "maintenance.trees", "maintenance.epochs")  # each run's alert threshold: kept by the Plan tab
for name, default in (("maintenance.trees", 400), ("maintenance.epochs", 30), ("maintenance.unplanned", 50000.0),
                      ("maintenance.planned", 5000.0), ("maintenance.capacity", 2), ("maintenance.horizon", 14)):
    st.session_state.setdefault(name, default)  # here, not in the widget, which a kept value would contradict
runtime = components.get_runtime()
user = components.current_user()

st.title("Maintenance")
st.caption("Failure risk per reading, remaining useful life per unit, and a maintenance plan within capacity.")


TRAINING_JOBS = {"maintenance.risk": ("maintenance.job", "maintenance.train"),
                 "maintenance.rulset": ("maintenance.ruljob", "maintenance.train_rul")}  # picker: (job key, kind)


def _dataset_picker(key: str, prefer, task: str):
    """One tab's table: first the table of the newest run of the tab's ``task`` (the newest history-like table was a
    test file scored since), else its own kind first (``prefer``), and a table just imported on another tab of this
    page when it is of that kind and the user has not picked one here (each tab kept its first choice: the RUL form
    stayed on a retail file after C-MAPSS was imported on the Failure risk tab). A tab drawn above the one that
    imported follows on the next rerun."""
    job_widgets.follow_job_table(key, *TRAINING_JOBS[key])  # a reload shows the running job's table
    state, stored = f"{key}.dataset", datasets.list_datasets(runtime)
    if st.session_state.get(state) not in {d.id for d in stored}:
        own = next((r.dataset_id for r in runs.list_runs(runtime, desk=maintenance.DESK) if r.task == task), None)
        if own in {d.id for d in stored}:
            st.session_state[state] = st.session_state[f"{state}.auto"] = own
    views.follow_import(state, stored, prefer)
    before = st.session_state.get(state)
    info = components.dataset_picker(key=key, upload_label="Upload telemetry or histories (CSV, TSV or Excel)",
                                     empty_message="Upload a file to start.", prefer=prefer)
    views.note_choice(state, before, info.id if info else None, imported=bool(st.session_state.get(f"{key}.import")))
    return info


def _run_picker(task: str, key: str, job_key: str):
    """The runs of one task, newest first; after a training of this session finishes, its run."""
    found = [r for r in runs.list_runs(runtime, desk=maintenance.DESK) if r.task == task]
    if not found:
        return None
    new_run = job_widgets.new_run(job_key)
    chosen = next((r for r in found if r.id == new_run), None) if new_run is not None else None
    if chosen is not None:
        st.session_state[key], st.session_state[views.PLAN_FOLLOW] = chosen, chosen.id  # the Plan tab follows too
    return st.selectbox("Run", found, format_func=components.run_label, key=key)


def _guesses(info, frame: pd.DataFrame) -> None:
    """The form's first values for this table (failure column, id, formulas), set through the session state:
    when another table is picked, and for a field not drawn on the last run. A widget's own default would
    show the last table's choice in the browser while the server used the new one."""
    columns = list(frame.columns)
    changed = st.session_state.get("maintenance.formset") != info.id
    st.session_state["maintenance.formset"] = info.id
    firsts = {"target": next((c for c, r in info.roles.items() if r == "target" and c in columns), None),
              "id": next((c for c, r in info.roles.items() if r == "id" and c in columns), "(none)"),
              "positive": "", "keep": []}
    for key, value in firsts.items():
        if changed or f"maintenance.{key}" not in st.session_state:
            st.session_state[f"maintenance.{key}"] = value
    if changed or "maintenance.formulas" not in st.session_state:
        st.session_state["maintenance.formulas"] = "\n".join(maintenance.suggested_features(frame))


def _rul_guesses(info) -> None:
    """The unit and time columns of this table, guessed from its own columns when another table is picked: by name
    (engine_id, time_cycles) or, without a header row, its first two (NASA's text files: unit, then cycle). A column
    not found is left to choose (a telemetry file's first two columns, UDI and Product ID, had been proposed)."""
    if st.session_state.get("maintenance.rulformset") == info.id and "maintenance.unit" in st.session_state:
        return
    st.session_state["maintenance.rulformset"] = info.id
    found = maintenance_sensors.history_columns(datasets.load_pandas(runtime, info.id), info.roles)
    st.session_state["maintenance.unit"], st.session_state["maintenance.time"] = found


def _rul_results(run) -> None:
    """The models compared in words, with the split they were measured on, and what the LightGBM model reads."""
    champion = run.parameters.get("champion")
    st.markdown(f"**Champion: {labels.MODELS.get(champion, champion)}**")
    table, caption = maintenance_results.model_comparison(runtime, run)
    formats = {c: st.column_config.NumberColumn(format="%.1f" if c.startswith("NASA") else "%.2f")
               for c in table.columns if c != "model"}  # one format per column: '243' sat beside '242.7'
    st.dataframe(table, hide_index=True, key="maintenance.models", column_config=formats, placeholder=views.EMPTY)
    st.caption(caption)
    for note in run.parameters.get("notes", []):
        st.caption(for_page(note))
    names, values = maintenance_results.rul_importance(runtime, run)
    if names:
        word = maintenance_results.rul_word(runtime, run)
        st.plotly_chart(figures.feature_importance_figure(names, values, f"What the LightGBM model reads most "
                                                          f"(mean |SHAP|, {word})"), key="maintenance.rulshap")
        st.caption(maintenance_results.rul_importance_caption(names, word))


def _risk_form(info) -> None:
    """Target, id, derived features and the leakage guard for one stored table, then the train button."""
    frame = datasets.load_pandas(runtime, info.id)
    columns = list(frame.columns)
    _guesses(info, frame)
    target = st.selectbox("Failure column (target)", columns, placeholder="Choose the failure column",
                          key="maintenance.target")
    if target is None:
        st.info("No column of this file is named like a failure label: choose the failure column (two values, "
                "such as 0/1), or use the Remaining useful life tab for run-to-failure histories.")
        return
    id_column = st.selectbox("Id column (kept in scored files and named in the plan)", ["(none)", *columns],
                             key="maintenance.id")
    id_column = None if id_column == "(none)" else id_column
    positive = st.text_input("Failure value (blank: guessed; needed when the column has more than two values)",
                             key="maintenance.positive").strip() or None
    formulas = st.text_area(
        "Extra columns worked out from others (optional, one per line)", key="maintenance.formulas",
        help="Write each as: new name = a sum such as Torque × speed, with + - * / and column names. A column name "
             "with spaces or brackets goes between backquotes (`Torque [Nm]`), as in the suggestions filled in.")
    if lines := [line for line in formulas.splitlines() if "=" in line]:
        st.caption(components.plain("Extra columns: " + "; ".join(map(display_labels.formula_words, lines)) + "."))
    try:
        setup, _, _ = maintenance.inspect_failure_data(frame, target, kinds=info.schema, id_column=id_column,
                                                       positive=positive, derived=formulas.splitlines(),
                                                       use_suggestions=False)
    except UserFacingError as exc:
        st.error(components.plain(for_page(str(exc))))  # a formula's `Torque [Nm]` as typed, not as code
        return
    st.markdown(f"**Leakage guard** — positive value `{setup.positive}`; excluded by default:")
    st.dataframe(pd.DataFrame(list(setup.flags.items()), columns=["column", "reason"]), hide_index=True,
                 key="maintenance.flags")
    keep = st.multiselect("Keep anyway", list(setup.flags), key="maintenance.keep")
    trees = st.number_input("Trees", 10, 2000, key="maintenance.trees")
    if st.button("Train failure model", key="maintenance.train", type="primary"):
        job_widgets.submit_job(
            "maintenance.job", dataset_id=info.id, kind="maintenance.train", desk=maintenance.DESK,
            handler=maintenance.FAILURE_HANDLER, user=user,
            params=maintenance.failure_params(info.id, target, id_column=id_column, positive=positive,
                                              derived=formulas.splitlines(), use_suggestions=False, keep=keep,
                                              folds=3, n_estimators=int(trees)))


risk_tab, rul_tab, plan_tab, sensor_tab = st.tabs(["Failure risk", "Remaining useful life", "Plan", "Sensors"])

with risk_tab:
    info = _dataset_picker("maintenance.risk", lambda d: maintenance.looks_like_telemetry(d.roles),
                           maintenance.FAILURE_TASK)
    if info is not None:
        _risk_form(info)
    if (job_id := job_widgets.follow_job("maintenance.job", "maintenance.train")) is not None:
        job_widgets.job_panel(job_id, key="maintenance.job",
                             dataset_id=info.id if info is not None else None)
    run = _run_picker(maintenance.FAILURE_TASK, "maintenance.riskrun", "maintenance.job")
    if run is not None:
        views.risk_results(runtime, run, user)

with rul_tab:
    info = _dataset_picker("maintenance.rulset", maintenance_sensors.looks_like_histories, maintenance_rul.RUL_TASK)
    if info is not None:
        columns = list(info.schema)
        _rul_guesses(info)
        unit = st.selectbox("Unit column", columns, placeholder="Choose the unit column", key="maintenance.unit")
        time = st.selectbox("Time / cycle column", columns, placeholder="Choose the time or cycle column",
                            key="maintenance.time")
        cap = st.number_input("RUL cap, in the time column's units (empty: 125 readings)", min_value=1.0, value=None,
                              placeholder="125 readings", key="maintenance.cap")
        epochs = st.number_input(
            "Sequence-model training passes (all of them run; it learns in smaller steps towards the end)", 1, 100,
            key="maintenance.epochs")
        settings = st.multiselect("Operating-setting columns (none chosen: found by name or by their levels)",
                                  [c for c in columns if c not in (unit, time)], key="maintenance.settings")
        if unit is None or time is None:
            st.info("No unit or time column is named in this table: choose each unit's column and its cycle or time "
                    "column, or pick run-to-failure histories (such as 'Sample: engine histories').")
        elif st.button("Train RUL models", key="maintenance.trainrul", type="primary"):
            try:  # the same column as unit and time is refused in words
                params = maintenance_rul.rul_params(info.id, unit, time, cap=cap, epochs=int(epochs),
                                                    settings=settings or None)
            except UserFacingError as exc:
                st.error(str(exc))
            else:
                job_widgets.submit_job(
                    "maintenance.ruljob", dataset_id=info.id, kind="maintenance.train_rul", desk=maintenance.DESK,
                    handler=maintenance_rul.RUL_HANDLER, user=user, params=params)
        if (job_id := job_widgets.follow_job("maintenance.ruljob", "maintenance.train_rul")) is not None:
            job_widgets.job_panel(job_id, key="maintenance.ruljob", dataset_id=info.id)
    run = _run_picker(maintenance_rul.RUL_TASK, "maintenance.rulrun", "maintenance.ruljob")
    if run is not None:
        _rul_results(run)
        views.report(run, user, "maintenance.rulreport")
        hist = st.file_uploader("Histories to score", type=components.TABLE_TYPES, key="maintenance.rulfile")
        if hist is not None and st.button("Score histories", key="maintenance.scorerul"):
            try:
                result = maintenance_rul_scoring.score_rul(runtime, run.id, hist.getvalue(), filename=hist.name,
                                                           user=user)
                histories = datasets.load_pandas(runtime, result.dataset_id)
                every, _ = maintenance_rul_scoring.predict_histories(runtime, run.id, histories)
                st.session_state["maintenance.rulscored"] = (result.frame, every, result.notes, result.short_units,
                                                             run.id)
                st.session_state[views.PLAN_FOLLOW] = run.id
            except UserFacingError as exc:
                st.session_state.pop("maintenance.rulscored", None)  # the last file's RULs are not this file's
                st.error(str(exc))
        if st.session_state.get("maintenance.rulscored", ())[-1:] == (run.id,):  # the scores of this run only
            last, every, rul_notes, short, _ = st.session_state["maintenance.rulscored"]
            word = maintenance_results.rul_word(runtime, run)  # at the cap: '125 or more', as the note says
            alert = st.session_state.get(f"maintenance.rulalert.{run.id}")  # the Plan tab's, else the run's default
            alert = maintenance_plan.plan_settings(runtime, run.id).rul_threshold if alert is None else alert
            st.success(maintenance_results.scored_units_message(last, short, alert, word))
            for note in rul_notes:  # how the histories were read: sorted, gaps filled, units longer than training …
                st.info(for_page(note))
            headers = {name: st.column_config.NumberColumn(f"{label} ({word})") for name, label in (
                ("rul", "RUL"), ("rul_low", "RUL, low end"), ("rul_high", "RUL, high end"))}  # no format: the Styler's
            shown = maintenance_results.urgent_first(last, short)  # the unit to service first on top
            st.dataframe(maintenance_results.rul_style(runtime, run, shown, short), hide_index=True,
                         key="maintenance.rultable", column_config=headers,  # too few readings: 'unknown'
                         placeholder=views.EMPTY)  # no reading at all: '–', not 'None'
            views.download(last, f"rul-run-{run.id}", "maintenance.ruldl")  # the file's order, as score-rul's
            chosen = st.selectbox("Unit trend", shown["unit"].tolist(), key="maintenance.trendunit")
            if chosen in set(short):  # its band is the whole range: a drawn line would read as an estimate
                st.info(f"Unit {chosen} has too few readings for an estimate, so no trend is drawn.")
            else:
                st.plotly_chart(maintenance_figures.rul_trend_figure(every[every["unit"] == chosen],
                                                                     f"Unit {chosen}", unit=word),
                                key="maintenance.trend")

with plan_tab:
    maintenance_plan_views.plan(runtime)

with sensor_tab:
    views.sensors(runtime)
