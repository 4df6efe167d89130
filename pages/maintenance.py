"""Maintenance desk: failure risk from telemetry, remaining useful life from histories, and a plan."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components
from reports import figures, maintenance_figures
from services import datasets, maintenance, maintenance_plan, maintenance_rul, maintenance_scoring, runs
from services.errors import UserFacingError

runtime = components.get_runtime()
user = components.current_user()

st.title("Maintenance")
st.caption("Failure risk per reading, remaining useful life per unit, and a maintenance plan within capacity.")


def _dataset_picker(key: str):
    return components.dataset_picker(key=key, upload_label="Upload telemetry or histories (CSV, TSV or Excel)",
                                     button_label="Import file", empty_message="Upload a file to start.")


def _run_picker(task: str, key: str):
    found = [r for r in runs.list_runs(runtime, desk=maintenance.DESK) if r.task == task]
    if not found:
        return None
    return st.selectbox("Run", found, format_func=lambda r: f"Run {r.id} · {r.created_at:%Y-%m-%d %H:%M}", key=key)


def _download(frame: pd.DataFrame, name: str, key: str) -> None:
    st.download_button("Download CSV", maintenance_plan.export_plan(frame, "csv"), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{key}.csv")


def _risk_form(info) -> None:
    """Target, id, derived features and the leakage guard for one stored table, then the train button."""
    frame = datasets.load_pandas(runtime, info.id)
    columns = list(frame.columns)
    guess = next((c for c, r in info.roles.items() if r == "target"), columns[-1])
    target = st.selectbox("Failure column (target)", columns, index=columns.index(guess), key="maintenance.target")
    id_column = st.selectbox("Id column", ["(none)", *columns], key="maintenance.id")
    id_column = None if id_column == "(none)" else id_column
    positive = st.text_input("Failure value (blank: guessed; needed when the column has more than two values)",
                             key="maintenance.positive").strip() or None
    suggested = "\n".join(maintenance.suggested_features(frame))
    formulas = st.text_area("Derived features (one 'name = formula' per line)", suggested, key="maintenance.formulas")
    try:
        setup, _, _ = maintenance.inspect_failure_data(frame, target, kinds=info.schema, id_column=id_column,
                                                       positive=positive, derived=formulas.splitlines(),
                                                       use_suggestions=False)
    except UserFacingError as exc:
        st.error(str(exc))
        return
    st.markdown(f"**Leakage guard** — positive value `{setup.positive}`; excluded by default:")
    st.dataframe(pd.DataFrame(list(setup.flags.items()), columns=["column", "reason"]), hide_index=True,
                 key="maintenance.flags")
    keep = st.multiselect("Keep anyway", list(setup.flags), key="maintenance.keep")
    trees = st.number_input("Trees", 10, 2000, 400, key="maintenance.trees")
    if st.button("Train failure model", key="maintenance.train", type="primary"):
        st.session_state["maintenance.job"] = components.get_job_manager().submit(
            kind="maintenance.train", desk=maintenance.DESK, handler=maintenance.FAILURE_HANDLER, user=user,
            params=maintenance.failure_params(info.id, target, id_column=id_column, positive=positive,
                                              derived=formulas.splitlines(), use_suggestions=False, keep=keep,
                                              folds=3, n_estimators=int(trees)))


risk_tab, rul_tab, plan_tab, sensor_tab = st.tabs(["Failure risk", "Remaining useful life", "Plan", "Sensors"])

with risk_tab:
    info = _dataset_picker("maintenance.risk")
    if info is not None:
        _risk_form(info)
    if "maintenance.job" in st.session_state:
        components.job_panel(st.session_state["maintenance.job"], key="maintenance.job")
    run = _run_picker(maintenance.FAILURE_TASK, "maintenance.riskrun")
    if run is not None:
        st.subheader(f"Run {run.id}")
        cols = st.columns(4)
        for col, name in zip(cols, ("cv_auc", "cv_pr_auc", "cv_f1", "threshold")):
            col.metric(name, f"{run.metrics.get(name, float('nan')):.3f}")
        for note in maintenance.read_json(runtime, run, maintenance.CONFIG_FILE).get("notes", []):
            st.info(note)  # folds by machine or period, kept flagged columns, few failures …
        explanation = maintenance.read_json(runtime, run, maintenance.EXPLANATION_FILE)
        if explanation.get("values"):
            data = pd.DataFrame(explanation["data"])
            st.plotly_chart(figures.beeswarm_figure(explanation["values"], data), key="maintenance.beeswarm")
        if explanation.get("modes"):
            st.markdown("**Failure modes**")
            st.dataframe(pd.DataFrame(explanation["modes"]), hide_index=True, key="maintenance.modes")
        score_file = st.file_uploader("Readings to score", type=components.TABLE_TYPES, key="maintenance.scorefile")
        if score_file is not None and st.button("Score readings", key="maintenance.score"):
            try:
                result = maintenance_scoring.score_failure(runtime, run.id, score_file.getvalue(),
                                                           filename=score_file.name, user=user)
                st.session_state["maintenance.scored"] = (result.frame, result.dataset_id, result.notes)
            except UserFacingError as exc:
                st.error(str(exc))
        if "maintenance.scored" in st.session_state:
            scored, scored_id, scored_notes = st.session_state["maintenance.scored"]
            st.success(f"Scored {len(scored):,} readings; {int(scored['alert'].sum())} alerts.")
            for note in scored_notes:  # gaps scored at medians, ignored columns, unseen categories …
                st.info(note)
            st.dataframe(scored.head(200), hide_index=True, key="maintenance.scoredtable")
            _download(scored, f"failure-risk-run-{run.id}", "maintenance.scoredl")
            row = st.number_input("Explain reading (row number)", 1, len(scored), 1, key="maintenance.row")
            readings = datasets.load_pandas(runtime, scored_id)
            why = maintenance_scoring.explain_readings(runtime, run.id, readings.iloc[[int(row) - 1]])
            st.plotly_chart(figures.waterfall_figure(why.base_value, list(zip(why.feature_names, why.values[0])),
                                                     f"Why reading {int(row)} (log-odds)"), key="maintenance.why")

with rul_tab:
    info = _dataset_picker("maintenance.rulset")
    if info is not None:
        columns = list(info.schema)
        unit = st.selectbox("Unit column", columns, key="maintenance.unit")
        time = st.selectbox("Time / cycle column", columns, index=min(1, len(columns) - 1), key="maintenance.time")
        cap = st.number_input("RUL cap", 10.0, 1000.0, 125.0, key="maintenance.cap")
        epochs = st.number_input("Sequence-model epochs (at most; early-stopped)", 1, 100, 30, key="maintenance.epochs")
        settings = st.multiselect("Operating-setting columns (none chosen: found by name or by their levels)",
                                  [c for c in columns if c not in (unit, time)], key="maintenance.settings")
        if st.button("Train RUL models", key="maintenance.trainrul", type="primary"):
            st.session_state["maintenance.ruljob"] = components.get_job_manager().submit(
                kind="maintenance.train_rul", desk=maintenance.DESK, handler=maintenance_rul.RUL_HANDLER, user=user,
                params=maintenance_rul.rul_params(info.id, unit, time, cap=cap, epochs=int(epochs),
                                                  settings=settings or None))
        if "maintenance.ruljob" in st.session_state:
            components.job_panel(st.session_state["maintenance.ruljob"], key="maintenance.ruljob")
    run = _run_picker(maintenance_rul.RUL_TASK, "maintenance.rulrun")
    if run is not None:
        summary = maintenance_rul.summary(run)
        st.markdown(f"**Champion: {summary['champion']}**")
        st.dataframe(pd.DataFrame(summary["models"]).T.rename_axis("model").reset_index(), hide_index=True,
                     key="maintenance.models")
        for note in summary["notes"]:
            st.caption(note)
        hist = st.file_uploader("Histories to score", type=components.TABLE_TYPES, key="maintenance.rulfile")
        if hist is not None and st.button("Score histories", key="maintenance.scorerul"):
            try:
                result = maintenance_rul.score_rul(runtime, run.id, hist.getvalue(), filename=hist.name, user=user)
                every, _ = maintenance_rul.predict_histories(runtime, run.id, datasets.load_pandas(runtime, result.dataset_id))
                st.session_state["maintenance.rulscored"] = (result.frame, every, result.notes)
            except UserFacingError as exc:
                st.error(str(exc))
        if "maintenance.rulscored" in st.session_state:
            last, every, rul_notes = st.session_state["maintenance.rulscored"]
            for note in rul_notes:  # how the histories were read: sorted, gaps filled, units longer than training …
                st.info(note)
            st.dataframe(last, hide_index=True, key="maintenance.rultable")
            _download(last, f"rul-run-{run.id}", "maintenance.ruldl")
            chosen = st.selectbox("Unit trend", last["unit"].tolist(), key="maintenance.trendunit")
            st.plotly_chart(maintenance_figures.rul_trend_figure(every[every["unit"] == chosen], f"Unit {chosen}"),
                            key="maintenance.trend")

with plan_tab:
    done = [r for r in runs.list_runs(runtime, desk=maintenance.DESK)]
    if not done:
        st.info("Train and score a maintenance model first.")
    else:
        run = st.selectbox("Predictions of run", done, format_func=lambda r: f"Run {r.id} ({r.task})", key="maintenance.planrun")
        try:
            fleet = maintenance_plan.fleet(runtime, run.id)
        except UserFacingError as exc:
            st.info(str(exc))
        else:
            value = "rul" if "rul" in fleet.columns else "p_failure"
            st.plotly_chart(maintenance_figures.fleet_ranking_figure(fleet, value, "Fleet, most urgent first"),
                            key="maintenance.fleet")
            left, mid, right = st.columns(3)
            unplanned = left.number_input("Unplanned failure cost", 1.0, value=50000.0, key="maintenance.unplanned")
            planned = mid.number_input("Planned maintenance cost", 0.0, value=5000.0, key="maintenance.planned")
            capacity = right.number_input("Capacity per period", 1, value=2, key="maintenance.capacity")
            period = left.selectbox("Period", ["day", "week"], key="maintenance.period")
            horizon = mid.number_input("Horizon (periods)", 1, 365, 14, key="maintenance.horizon")
            threshold = right.number_input("RUL alert threshold", 0.0, value=30.0, key="maintenance.rulalert")
            try:
                result = maintenance_plan.plan(fleet, unplanned_failure_cost=unplanned, planned_maintenance_cost=planned,
                                               capacity_per_period=capacity, period=period, horizon_periods=horizon,
                                               rul_threshold=threshold)
            except UserFacingError as exc:
                st.error(str(exc))
                result = None
            if result is not None:
                st.metric("Expected cost with the plan", f"{result.expected_cost_plan:,.0f}",
                          delta=f"{result.expected_cost_plan - result.expected_cost_do_nothing:,.0f} vs doing nothing",
                          delta_color="inverse")
                alerts = result.frame[result.frame["alert"]]
                if len(alerts):
                    st.warning(f"{len(alerts)} unit(s) below the alert threshold: "
                               f"{', '.join(alerts['unit'].head(20))}")
                st.dataframe(result.frame, hide_index=True, key="maintenance.plan")
                _download(result.frame, "maintenance-plan", "maintenance.plandl")
                st.download_button("Download XLSX", maintenance_plan.export_plan(result.frame, "xlsx"),
                                   file_name="maintenance-plan.xlsx", key="maintenance.planxlsx")

with sensor_tab:
    stored = datasets.list_datasets(runtime)
    if stored:
        info = st.selectbox("Dataset", stored, format_func=lambda d: f"{d.name} (#{d.id})", key="maintenance.sensorset")
        frame = datasets.load_pandas(runtime, info.id)
        unit = st.selectbox("Unit column", ["(none)", *frame.columns], key="maintenance.sensorunit")
        time = st.selectbox("Time column", ["(none)", *frame.columns], key="maintenance.sensortime")
        unit, time = (None if unit == "(none)" else unit), (None if time == "(none)" else time)
        health = maintenance_plan.sensor_health(frame, unit=unit, time=time)
        st.dataframe(health, hide_index=True, key="maintenance.health")
        if unit and time and len(health):
            which = st.selectbox("Unit", frame[unit].dropna().unique().tolist(), key="maintenance.sensorpick")
            drifting = health.loc[health["status"] == "drifting", "sensor"].head(6).tolist() or health["sensor"].head(3).tolist()
            st.plotly_chart(maintenance_figures.sensor_trend_figure(frame[frame[unit] == which], time, drifting,
                                                                    f"Unit {which}: drifting sensors"),
                            key="maintenance.sensortrend")
