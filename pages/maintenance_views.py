"""Renderers for the maintenance page's failure-risk results and sensor panels (UI only); the plan is in
pages/maintenance_plan_views.py."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components
from reports import figures, maintenance_figures
from services import (datasets, labels, maintenance, maintenance_plan, maintenance_results,
                      maintenance_scoring, maintenance_sensors, maintenance_words, reports, runs)
from services.errors import UserFacingError
from services.page_words import for_page
from services.results import RunInfo


SHORT_LABELS = {"cv_pr_auc": "Cross-validated PR AUC"}
IMPORTED = "maintenance.imported"  # the table last imported on this page, which the other tabs follow
SENSOR_SET = "maintenance.sensorset"
PLAN_FOLLOW = "maintenance.planfollow"  # a run trained or scored on this page since, which the Plan tab then shows
# An empty number cell (a unit without an estimate): a Styler's "–" is not drawn over a missing value, which
# Streamlit writes as a grey 'None' unless the table names its own placeholder. The downloads keep them empty.
EMPTY = maintenance_results.NO_VALUE


def download(frame: pd.DataFrame, name: str, key: str) -> None:
    st.download_button("Download CSV", maintenance_plan.export_plan(frame, "csv", excel=True), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{key}.csv")


def report(run: RunInfo, user: str, key: str) -> None:
    """'Create report' for the selected run, as Finance's Results tab has (the shared report code)."""
    left, right = st.columns([1, 3])
    fmt = left.selectbox("Report format", list(reports.FORMATS), key=f"{key}.fmt", format_func=str.upper)
    components.report_download(run.id, fmt, key=key, user=user, file_name=f"maintenance-run-{run.id}.{fmt}",
                               where=right)


def risk_results(runtime, run: RunInfo, user: str) -> None:
    """Cross-validated figures, training notes, SHAP and failure modes, then scoring."""
    st.subheader(f"Run {run.id}")
    cols = st.columns(4)
    names = ("cv_auc", "cv_pr_auc", "cv_f1", "threshold")
    for col, name in zip(cols, names):  # 'precision-recall AUC' in full was cut off in its column
        col.metric(SHORT_LABELS.get(name) or labels.metric_label(name), f"{run.metrics.get(name, float('nan')):.3f}",
                   help=labels.metric_help(name))
    report(run, user, "maintenance.riskreport")
    config = maintenance.read_json(runtime, run, maintenance.CONFIG_FILE)
    words = maintenance_words.failure_words(config)  # 'wear_x_torque' → 'Tool wear × Torque'
    for note in config.get("notes", []):
        if note.startswith("Warning:"):  # kept flagged columns
            st.warning(for_page(note))
        else:
            st.info(for_page(note))  # folds by machine or period, few failures …
    explanation = maintenance.read_json(runtime, run, maintenance.EXPLANATION_FILE)
    if explanation.get("values"):
        data = pd.DataFrame(explanation["data"]).rename(columns=words)
        st.plotly_chart(figures.beeswarm_figure(explanation["values"], data), key="maintenance.beeswarm")
    if explanation.get("modes"):
        st.markdown("**Failure modes**")
        share = {"format": "percent"}
        st.dataframe(pd.DataFrame(explanation["modes"]), hide_index=True, key="maintenance.modes", placeholder=EMPTY,
                     column_config={
                         "mode": "failure mode", "rows": "readings flagged", "failures": "of them failures",
                         "share_of_failures": st.column_config.NumberColumn("share of all failures", **share),
                         "caught_at_threshold": st.column_config.NumberColumn("caught at the alert threshold", **share),
                         "mean_p_failure": st.column_config.NumberColumn("mean predicted chance of failure", **share)})
    _scoring(runtime, run, user, words)


def _scoring(runtime, run: RunInfo, user: str, words: dict[str, str]) -> None:
    """Score a file of readings with the run, download it, and explain one reading."""
    score_file = st.file_uploader("Readings to score", type=components.TABLE_TYPES, key="maintenance.scorefile")
    if score_file is not None and st.button("Score readings", key="maintenance.score"):
        try:
            result = maintenance_scoring.score_failure(runtime, run.id, score_file.getvalue(),
                                                       filename=score_file.name, user=user)
            st.session_state["maintenance.scored"] = (result.frame, result.dataset_id, result.notes, run.id)
            st.session_state[PLAN_FOLLOW] = run.id
            st.session_state["maintenance.row"] = maintenance_results.riskiest_row(result.frame)  # explained first
        except UserFacingError as exc:
            st.session_state.pop("maintenance.scored", None)  # the last file's scores are not this file's
            st.error(str(exc))
    # the scores of the run that made them: another run picked (or a new one finished) shows none, as its file
    # may lack this run's columns (a one-machine run's timestamp beside an AI4I run's scores)
    if st.session_state.get("maintenance.scored", ())[-1:] == (run.id,):
        scored, scored_id, scored_notes, _ = st.session_state["maintenance.scored"]
        st.success(f"Scored {len(scored):,} readings; {int(scored['alert'].sum())} alerts.")
        for note in scored_notes:  # gaps at medians, ignored columns (the failure column too), unseen categories …
            st.info(for_page(note))
        readings = datasets.load_pandas(runtime, scored_id)
        st.caption("Highest risk first; row is the reading's number in the file (the download keeps file order).")
        st.dataframe(labels.risk_first(scored).head(200), hide_index=True, key="maintenance.scoredtable",
                     placeholder=EMPTY, column_config={"p_failure": st.column_config.NumberColumn(
                         "chance of failure (p_failure)", format="%.3f")})
        download(scored, f"failure-risk-run-{run.id}", "maintenance.scoredl")
        st.session_state.setdefault("maintenance.row", maintenance_results.riskiest_row(scored))
        row = st.number_input("Explain reading (row number; the riskiest first)", 1, len(scored),
                              key="maintenance.row")
        try:
            why = maintenance_scoring.explain_readings(runtime, run.id, readings, rows=[int(row) - 1])
        except UserFacingError as exc:  # a stored file this run cannot read: said, not a traceback
            st.error(str(exc))
            return
        shown = [words.get(n, n) for n in why.feature_names]
        st.plotly_chart(figures.waterfall_figure(why.base_value, list(zip(shown, why.values[0])),
                                                 f"Why reading {int(row)} (log-odds)"), key="maintenance.why")
        st.caption(maintenance_results.log_odds_caption(why.base_value + float(sum(why.values[0])),
                                                        run.metrics.get("threshold")))


def follow_import(state: str, stored: list, prefer) -> None:
    """Make a table just imported on this page the choice under ``state`` when it is of the tab's kind
    (``prefer``) and the tab's choice is still the page's own (first default or an import), not the user's."""
    fresh = st.session_state.get(IMPORTED)
    if fresh is None or st.session_state.get(f"{state}.followed") == fresh:
        return
    st.session_state[f"{state}.followed"] = fresh
    info = next((d for d in stored if d.id == fresh), None)
    chosen = st.session_state.get(state)
    if info is None or (chosen is not None and chosen != st.session_state.get(f"{state}.auto")):
        return  # picked on this tab by the user: kept
    if prefer(info):
        st.session_state[state] = st.session_state[f"{state}.auto"] = fresh


def note_choice(state: str, before, chosen, *, imported: bool) -> None:
    """Remember a choice the page made (a first default, an import) so that the user's own can be told apart;
    an import becomes the one the other tabs follow."""
    if chosen is None or chosen == before:
        return
    st.session_state[f"{state}.auto"] = chosen
    if imported:
        st.session_state[IMPORTED] = st.session_state[f"{state}.followed"] = chosen


@st.cache_data(max_entries=20, show_spinner=False)
def _not_sensors(_frame: pd.DataFrame, table: tuple, roles: tuple, unit, time) -> dict[str, str]:
    """Columns that are no sensor, once per stored table and choice of columns: finding operating settings by
    their levels takes seconds on a fleet, and the page reruns on every click (a stored table never changes:
    ``table`` is its id, columns and rows)."""
    return maintenance_sensors.not_sensors(_frame, dict(roles), unit, time)


def sensors(runtime) -> None:
    """Sensor health (flat, missing, drifting) and a unit's drifting sensors over time."""
    stored = datasets.list_datasets(runtime)
    if not stored:
        return
    done = runs.list_runs(runtime, desk=maintenance.DESK)  # newest first: open on the newest run's table
    follow_import(SENSOR_SET, stored, maintenance_sensors.looks_like_sensor_data)
    before, names = st.session_state.get(SENSOR_SET), {d.id: f"{d.name} (#{d.id})" for d in stored}
    if before not in names:
        first = maintenance_sensors.sensor_dataset(stored, next((r.dataset_id for r in done if r.dataset_id), None))
        st.session_state[SENSOR_SET] = stored[first].id
    chosen = st.selectbox("Dataset", list(names), format_func=names.get, key=SENSOR_SET)
    note_choice(SENSOR_SET, before, chosen, imported=False)
    info = next(d for d in stored if d.id == chosen)
    frame = datasets.load_pandas(runtime, info.id)
    options = ["(none)", *frame.columns]
    unit_guess, time_guess = maintenance_sensors.history_columns(frame, info.roles)
    unit = st.selectbox("Unit column", options, index=options.index(unit_guess) if unit_guess else 0,
                        key=f"maintenance.sensorunit.{info.id}")
    time = st.selectbox("Time column", options, index=options.index(time_guess) if time_guess else 0,
                        key=f"maintenance.sensortime.{info.id}")
    unit, time = (None if unit == "(none)" else unit), (None if time == "(none)" else time)
    left_out = _not_sensors(frame, (info.id, tuple(map(str, frame.columns)), len(frame)), tuple(info.roles.items()),
                            unit, time)
    health = maintenance_sensors.sensor_health(frame, unit=unit, time=time, skip=tuple(left_out))
    if health.empty:
        st.info("No numeric sensor columns in this table besides the unit and time columns: pick a table of sensor "
                "readings above, or another unit or time column.")
    st.dataframe(maintenance_sensors.health_table(health), hide_index=True, key="maintenance.health",
                 placeholder=EMPTY, column_config={"missing %": st.column_config.NumberColumn(format="%.1f"),
                                "spread (std)": st.column_config.NumberColumn(format="%.4g"),
                                "trend with time": st.column_config.TextColumn(
                                    help="Rank correlation of the sensor with time within each unit (−1 to +1); "
                                         "— for a flat sensor, or without a time column.")})
    if left_out:
        st.caption(maintenance_sensors.left_out_note(left_out))
    if unit and time and len(health):
        which = st.selectbox("Unit", frame[unit].dropna().unique().tolist(), key="maintenance.sensorpick")
        drifting = (health.loc[health["status"] == "drifting", "sensor"].head(6).tolist()
                    or health["sensor"].head(3).tolist())
        st.plotly_chart(maintenance_figures.sensor_trend_figure(frame[frame[unit] == which], time, drifting,
                                                                f"Unit {which}: drifting sensors"),
                        key="maintenance.sensortrend")


if __name__ == "__main__":  # opened by its address: not a page; app.py's navigation says so and shows Home
    components.app_frame()
