"""Renderers for the maintenance page's failure-risk results, plan and sensor panels (UI only)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components
from reports import figures, maintenance_figures
from services import (datasets, labels, maintenance, maintenance_plan, maintenance_results,
                      maintenance_scoring, maintenance_sensors, maintenance_words, reports, runs)
from services.errors import UserFacingError
from services.results import RunInfo


SHORT_LABELS = {"cv_pr_auc": "Cross-validated PR AUC"}


def download(frame: pd.DataFrame, name: str, key: str) -> None:
    st.download_button("Download CSV", maintenance_plan.export_plan(frame, "csv", excel=True), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{key}.csv")


def report(run: RunInfo, user: str, key: str) -> None:
    """'Create report' for the selected run, as Finance's Results tab has (the shared report code)."""
    left, right = st.columns([1, 3])
    fmt = left.selectbox("Report format", list(reports.FORMATS), key=f"{key}.fmt")
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
            st.warning(note)
        else:
            st.info(note)  # folds by machine or period, few failures …
    explanation = maintenance.read_json(runtime, run, maintenance.EXPLANATION_FILE)
    if explanation.get("values"):
        data = pd.DataFrame(explanation["data"]).rename(columns=words)
        st.plotly_chart(figures.beeswarm_figure(explanation["values"], data), key="maintenance.beeswarm")
    if explanation.get("modes"):
        st.markdown("**Failure modes**")
        share = {"format": "percent"}
        st.dataframe(pd.DataFrame(explanation["modes"]), hide_index=True, key="maintenance.modes", column_config={
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
            st.session_state["maintenance.scored"] = (result.frame, result.dataset_id, result.notes)
            st.session_state["maintenance.row"] = maintenance_results.riskiest_row(result.frame)  # explained first
        except UserFacingError as exc:
            st.session_state.pop("maintenance.scored", None)  # the last file's scores are not this file's
            st.error(str(exc))
    if "maintenance.scored" in st.session_state:
        scored, scored_id, scored_notes = st.session_state["maintenance.scored"]
        st.success(f"Scored {len(scored):,} readings; {int(scored['alert'].sum())} alerts.")
        for note in scored_notes:  # gaps at medians, ignored columns (the failure column too), unseen categories …
            st.info(note)
        readings = datasets.load_pandas(runtime, scored_id)
        st.caption("Highest risk first; row is the reading's number in the file (the download keeps file order).")
        st.dataframe(labels.risk_first(scored).head(200), hide_index=True, key="maintenance.scoredtable",
                     column_config={"p_failure": st.column_config.NumberColumn(
                         "chance of failure (p_failure)", format="%.3f")})
        download(scored, f"failure-risk-run-{run.id}", "maintenance.scoredl")
        st.session_state.setdefault("maintenance.row", maintenance_results.riskiest_row(scored))
        row = st.number_input("Explain reading (row number; the riskiest first)", 1, len(scored),
                              key="maintenance.row")
        why = maintenance_scoring.explain_readings(runtime, run.id, readings, rows=[int(row) - 1])
        shown = [words.get(n, n) for n in why.feature_names]
        st.plotly_chart(figures.waterfall_figure(why.base_value, list(zip(shown, why.values[0])),
                                                 f"Why reading {int(row)} (log-odds)"), key="maintenance.why")
        st.caption(maintenance_results.log_odds_caption(why.base_value + float(sum(why.values[0])),
                                                        run.metrics.get("threshold")))


def plan(runtime) -> None:
    """Fleet ranking, cost inputs and the schedule within capacity, with alerts and exports."""
    done = runs.list_runs(runtime, desk=maintenance.DESK)
    if not done:
        st.info("Train and score a maintenance model first.")
        return
    run = st.selectbox("Predictions of run", done, format_func=components.run_label,
                       key="maintenance.planrun")
    try:
        fleet = maintenance_plan.fleet(runtime, run.id)
    except UserFacingError as exc:
        st.info(str(exc))
        return
    value = "rul" if "rul" in fleet.columns else "p_failure"
    word = maintenance_results.rul_word(runtime, run) if value == "rul" else None
    st.plotly_chart(maintenance_figures.fleet_ranking_figure(fleet, value, "Fleet, most urgent first", unit=word),
                    key="maintenance.fleet")  # units without an estimate are left out and named in the title
    left, mid, right = st.columns(3)
    unplanned = left.number_input("Unplanned failure cost", 1.0, key="maintenance.unplanned")
    planned = mid.number_input("Planned maintenance cost", 0.0, key="maintenance.planned")
    capacity = right.number_input("Capacity per period", 1, key="maintenance.capacity")
    period = left.selectbox("Period", ["day", "week"], key="maintenance.period")
    horizon = mid.number_input("Horizon (periods)", 1, 365, key="maintenance.horizon")
    if value == "rul":
        components.keep_values(f"maintenance.rulalert.{run.id}", f"maintenance.perday.{run.id}")  # as the others
        found = maintenance_plan.plan_settings(runtime, run.id, period=period, horizon_periods=int(horizon))
        st.session_state.setdefault(f"maintenance.rulalert.{run.id}", float(found.rul_threshold))
        st.session_state.setdefault(f"maintenance.perday.{run.id}", float(found.cycles_per_day))
        threshold = right.number_input("RUL alert threshold", 0.0, key=f"maintenance.rulalert.{run.id}",
                                       help="In the run's RUL units: 30 days for a run counted in time, "
                                            "else 30 cycles.")
        per_day = left.number_input("RUL time units per day", 0.001, key=f"maintenance.perday.{run.id}",
                                    help="Set from the run's units (1,440 for minutes, 24 for hours); 1 for cycles "
                                         "read as days")
        limits = {"rul_threshold": threshold, "cycles_per_day": per_day}
    else:
        st.session_state.setdefault("maintenance.riskalert", float(run.metrics.get("threshold", 0.5)))
        threshold = right.number_input("Risk alert threshold (p_failure)", 0.0, 1.0, step=0.01, format="%.3f",
                                       key="maintenance.riskalert",
                                       help="The run's own threshold by default: the alerts of its scored file.")
        limits = {"risk_threshold": threshold}
    for note in maintenance_plan.plan_settings(runtime, run.id, cycles_per_day=limits.get("cycles_per_day"),
                                               rul_threshold=limits.get("rul_threshold"), period=period,
                                               horizon_periods=int(horizon), units=len(fleet)).notes:
        st.info(note)
    try:
        result = maintenance_plan.plan(fleet, unplanned_failure_cost=unplanned, planned_maintenance_cost=planned,
                                       capacity_per_period=capacity, period=period, horizon_periods=horizon,
                                       **limits)
    except UserFacingError as exc:
        st.error(str(exc))
        return
    _schedule(result, "below the RUL alert threshold" if value == "rul" else "at or above the risk alert threshold")
    note = maintenance_plan.unscheduled_alert_note(result, unplanned_failure_cost=unplanned,
                                                   planned_maintenance_cost=planned, horizon_periods=int(horizon),
                                                   period=period)
    if note:  # an alerted unit on 'monitor' while slots are free: why
        st.info(note)
    table = maintenance_plan.plan_table(result, fleet, period)  # a RUL at the cap reads '125 or more'
    _plan_table(result, maintenance_results.plan_shown(table, maintenance_results.rul_cap(runtime, run)
                                                       if value == "rul" else None), word)


def _schedule(result, alert_words: str) -> None:
    change = result.expected_cost_plan - result.expected_cost_do_nothing
    st.metric("Expected cost with the plan", f"{result.expected_cost_plan:,.0f}",
              delta=f"{change:,.0f} vs doing nothing" if round(change) else None, delta_color="inverse")
    alerts = result.frame[result.frame["alert"]]
    if len(alerts):
        st.warning(f"{len(alerts)} unit(s) {alert_words}: {_named(alerts['unit'])}")
    late = result.frame[result.frame["action"] == maintenance_plan.OVER_CAPACITY]
    if len(late):
        st.warning(maintenance_plan.no_slot_warning(result, _named(late["unit"])))
    unknown = result.frame[result.frame["action"] == maintenance_plan.NO_ESTIMATE]
    if len(unknown):
        st.warning(f"{len(unknown)} unit(s) had no sensor reading, or too short a history, in the scored file, so "
                   f"they have no estimate and are not planned ({_named(unknown['unit'])}): inspect them, or score "
                   "their whole histories.")


def _plan_table(result, shown: pd.DataFrame, word: str | None) -> None:
    """The plan with each unit's RUL or p_failure, written out (percent with one decimal, whole money, "–" where a
    unit has no estimate); the downloads keep the plan's own columns and every digit."""
    right = {"alignment": "right"}
    config = {
        "action": st.column_config.TextColumn("action", width="medium"),
        "rul": st.column_config.TextColumn(f"RUL ({word})", help="Predicted remaining life.", **right),
        "p_failure": st.column_config.TextColumn("chance of failure (%)", **right),
        "period": st.column_config.TextColumn("period", help="The period of the service (day 1 = the first); "
                                              "blank when the unit is not serviced in the horizon."),
        "p_fail_before_service": st.column_config.TextColumn("chance of failing before service (%)", **right),
        "p_fail_in_horizon": st.column_config.TextColumn("chance of failing in the horizon (%)", **right),
        "expected_saving": st.column_config.TextColumn("expected saving", help="In the units of the costs entered "
                                                       "above.", **right)}
    st.dataframe(shown, hide_index=True, key="maintenance.plan", column_config=config)
    download(result.frame, "maintenance-plan", "maintenance.plandl")
    st.download_button("Download XLSX", maintenance_plan.export_plan(result.frame, "xlsx"),
                       file_name="maintenance-plan.xlsx", key="maintenance.planxlsx")


def _named(units: pd.Series, shown: int = 20) -> str:
    more = f" and {len(units) - shown} more" if len(units) > shown else ""
    return ", ".join(map(str, units.head(shown))) + more


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
    first = maintenance_sensors.sensor_dataset(stored, next((r.dataset_id for r in done if r.dataset_id), None))
    info = st.selectbox("Dataset", stored, index=first, format_func=lambda d: f"{d.name} (#{d.id})",
                        key="maintenance.sensorset")
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
    st.dataframe(maintenance_sensors.health_table(health), hide_index=True, key="maintenance.health",
                 column_config={"missing %": st.column_config.NumberColumn(format="%.1f"),
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
