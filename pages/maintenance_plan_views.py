"""The maintenance page's Plan tab: fleet ranking, cost inputs, the schedule within capacity, alerts and the
plan's downloads (UI only)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components
from pages.maintenance_views import EMPTY, PLAN_FOLLOW, download
from reports import maintenance_figures
from services import maintenance, maintenance_plan, maintenance_results, runs
from services.errors import UserFacingError
from services.page_words import for_page

FLAGGED = "background-color: rgba(255, 75, 75, 0.18)"  # an alerted unit without a slot in time


def plan(runtime) -> None:
    """Fleet ranking, cost inputs and the schedule within capacity, with alerts and exports."""
    done = runs.list_runs(runtime, desk=maintenance.DESK)
    if not done:
        st.info("Train and score a maintenance model first.")
        return
    used = st.session_state.pop(PLAN_FOLLOW, None)  # once: popped per option, only the newest run could match
    followed = next((r for r in done if r.id == used), None)
    if followed is not None:  # a run just trained or scored on another tab, as their pickers follow theirs
        st.session_state["maintenance.planrun"] = followed
    scored = runs.with_predictions(runtime, [r.id for r in done], ("score", "rul"))
    if st.session_state.get("maintenance.planrun") is None and scored:  # opened on the newest run, never scored
        st.session_state["maintenance.planrun"] = next(r for r in done if r.id in scored)
    run = st.selectbox("Predictions of run", done, key="maintenance.planrun",
                       format_func=lambda r: components.run_label(r) + ("" if r.id in scored else " · not scored"))
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
        key = f"maintenance.riskalert.{run.id}"  # each run's own: another run's threshold stayed on a new one
        components.keep_values(key)
        st.session_state.setdefault(key, round(100 * float(run.metrics.get("threshold", 0.5)), 4))
        threshold = right.number_input("Risk alert threshold (chance of failure, %)", 0.0, 100.0, step=0.1,
                                       format="%.4g", key=key,  # in the table's unit, percent: 0.3, not 0.003
                                       help="The run's own threshold by default: the alerts of its scored file.")
        limits = {"risk_threshold": threshold / 100}
    notes = list(maintenance_plan.plan_settings(runtime, run.id, cycles_per_day=limits.get("cycles_per_day"),
                                                rul_threshold=limits.get("rul_threshold"), period=period,
                                                horizon_periods=int(horizon), units=len(fleet)).notes)
    for note in notes:
        st.info(for_page(note))
    try:
        result = maintenance_plan.plan(fleet, unplanned_failure_cost=unplanned, planned_maintenance_cost=planned,
                                       capacity_per_period=capacity, period=period, horizon_periods=horizon,
                                       **limits)
    except UserFacingError as exc:
        st.error(str(exc))
        return
    _schedule(result, "below the RUL alert threshold" if value == "rul" else "at or above the risk alert threshold",
              period)
    note = maintenance_plan.unscheduled_alert_note(result, unplanned_failure_cost=unplanned,
                                                   planned_maintenance_cost=planned, horizon_periods=int(horizon),
                                                   period=period)
    if note:  # an alerted unit on 'monitor' while slots are free: why
        st.info(for_page(note))
        notes.append(note)
    table = maintenance_plan.plan_export(result, fleet)  # a RUL at the cap reads '125 or more'; periods 'day 3'
    st.caption(f"Most urgent first ({'lowest RUL' if value == 'rul' else 'highest chance of failure'}), each unit "
               "with its slot; shaded: alerted units with no slot in time, each a decision now. Click 'period' for "
               "the schedule by date.")
    inputs = maintenance_plan.plan_inputs(run.id, result, unplanned_failure_cost=unplanned,
                                          planned_maintenance_cost=planned, capacity_per_period=int(capacity),
                                          period=period, horizon_periods=int(horizon), **limits)
    _plan_table(table, maintenance_results.plan_style(
        table, maintenance_results.rul_cap(runtime, run) if value == "rul" else None, period).apply(_flagged, axis=1),
        word, period, notes, inputs)


def _schedule(result, alert_words: str, period: str) -> None:
    change = result.expected_cost_plan - result.expected_cost_do_nothing
    st.metric("Expected cost with the plan", f"{result.expected_cost_plan:,.0f}",
              delta=f"{change:,.0f} vs doing nothing" if round(change) else None, delta_color="inverse")
    alerts = result.frame[result.frame["alert"]]
    if len(alerts):
        st.warning(f"{len(alerts)} unit(s) {alert_words}: {_named(alerts['unit'])}")
    late = result.frame[result.frame["action"] == maintenance_plan.OVER_CAPACITY]
    if len(late):  # one warning, alerted units without a slot counted in it
        st.warning(maintenance_plan.no_slot_warning(result, _named(late["unit"]), period))
    unknown = result.frame[result.frame["action"] == maintenance_plan.NO_ESTIMATE]
    if len(unknown):
        st.warning(f"{len(unknown)} unit(s) had no sensor reading, or too short a history, in the scored file, so "
                   f"they have no estimate and are not planned ({_named(unknown['unit'])}): inspect them, or score "
                   "their whole histories.")


def _plan_table(exported: pd.DataFrame, shown, word: str | None, period: str, notes: list[str] = (),
                inputs: dict[str, str] | None = None) -> None:
    """The plan with each unit's RUL or p_failure, written out (percent as ``percent_text`` writes it, whole money,
    "–" where a unit has no estimate, which the table's placeholder draws as the Styler's format does not reach an
    empty cell) over its numbers, so that a header click sorts by them; the downloads keep the
    plan's own columns, chances to 6 significant digits."""
    config = {
        "action": st.column_config.TextColumn("action", width="medium"),
        "rul": st.column_config.NumberColumn(f"RUL ({word})", help="Predicted remaining life."),
        "p_failure": st.column_config.NumberColumn("chance of failure (%)"),
        "period": st.column_config.NumberColumn("period", help=(  # written 'day 3' by the table's own format
            f"The {period} of the service ({period} 1 = the first); blank when the unit is not serviced in the "
            "horizon.")),  # a number: day 9 sorts before day 19
        "p_fail_before_service": st.column_config.NumberColumn("chance of failing before service (%)"),
        "p_fail_in_horizon": st.column_config.NumberColumn("chance of failing in the horizon (%)"),
        "expected_saving": st.column_config.NumberColumn("expected saving", help="In the units of the costs "
                                                         "entered above.")}
    st.dataframe(shown, hide_index=True, key="maintenance.plan", column_config=config, placeholder=EMPTY)
    download(exported, "maintenance-plan", "maintenance.plandl")  # with each unit's p_failure or RUL
    st.download_button("Download XLSX", maintenance_plan.export_plan(exported, "xlsx", notes=notes, inputs=inputs),
                       file_name="maintenance-plan.xlsx", key="maintenance.planxlsx")
    # a plan mixing two plants' scored files was downloaded without the note shown above, and without its inputs
    st.caption("The XLSX file's 'about' sheet holds the run, costs, capacity, horizon, alert threshold and expected "
               f"costs{' and the notes above' if notes else ''}; the CSV holds the plan alone.")


def _flagged(row: pd.Series) -> list[str]:
    """Shades the row of an alerted unit left without a slot in time, listed by its risk among the bookings."""
    late = row["action"] == maintenance_plan.OVER_CAPACITY and bool(row["alert"])
    return [FLAGGED if late else ""] * len(row)


def _named(units: pd.Series, shown: int = 20) -> str:
    more = f" and {len(units) - shown} more" if len(units) > shown else ""
    return ", ".join(map(str, units.head(shown))) + more
