"""Maintenance desk, decisions: fleet ranking, a cost-minimising schedule within capacity, the plan and RUL
results as the page shows them and plan exports; the run report's sections are in ``services.maintenance_report``."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain import maintenance as rules
from reports.exporters import export_csv, export_frame_xlsx
from services import maintenance_report, maintenance_schedule, runs
from services.errors import UserFacingError
from services.maintenance import CONFIG_FILE, DESK, FAILURE_TASK, read_json
from services.maintenance_rul import CONFIG_FILE as RUL_CONFIG_FILE
from services.maintenance_plan_notes import latest_reading_note, rows_are_units, scored_files_note
from services.maintenance_plan_tail import band_tail, numbered_units
from services.maintenance_results import reading_id_note, rul_unit
from services.runtime import Runtime

OVER_CAPACITY = rules.OVER_CAPACITY  # the plan's action for a unit worth servicing that gets no slot in time
NO_ESTIMATE = rules.NO_ESTIMATE  # the plan's action for a unit scored without a sensor reading
# The run report's sections, registered when ``services.maintenance_report`` is imported: here too, as the CLI
# imports this module for them.
report_sections = maintenance_report.report_sections


@dataclass(frozen=True)
class PlanResult:
    frame: pd.DataFrame
    expected_cost_plan: float
    expected_cost_do_nothing: float
    slots_used: int
    slots_available: int


def fleet(runtime: Runtime, run_id: int) -> pd.DataFrame:
    """Latest prediction per unit of a run, most urgent first: RUL runs by lowest RUL, risk runs by p_failure."""
    run = runs.get_run(runtime, run_id)
    if run.desk != DESK:
        raise UserFacingError(f"Run {run_id} is not a maintenance run.")
    kind = "score" if run.task == FAILURE_TASK else "rul"
    frame = runs.latest_predictions(runtime, run_id, kind)
    if kind == "score" and not frame.empty and "dataset_id" in frame.columns and rows_are_units(
            frame, read_json(runtime, run, CONFIG_FILE)):
        frame = frame[frame["dataset_id"] == frame["dataset_id"].iloc[-1]]  # row 25 of an older file is no unit
    frame = frame.drop(columns=["numbered"], errors="ignore")
    if frame.empty:
        what = "Score a file" if kind == "score" else "Score histories (score-rul)"
        raise UserFacingError(f"Run {run_id} has no {kind} predictions yet. {what} first.")
    frame = frame.drop(columns=["unit"], errors="ignore")
    frame = frame.rename(columns={"record_key": "unit"})
    if kind == "rul":
        frame = frame.drop(columns=[c for c in ("dataset_id",) if c in frame.columns])
        frame = frame.sort_values("rul", kind="stable").reset_index(drop=True)
        frame.attrs["rul_tail"] = band_tail(runs.latest_predictions(runtime, run_id, "rul_validation"),
                                            read_json(runtime, run, RUL_CONFIG_FILE).get("intervals"))
        return frame
    return frame.sort_values("p_failure", ascending=False, kind="stable").reset_index(drop=True)


def no_slot_warning(result: "PlanResult", named: str, period: str = "day") -> str:
    """Units worth servicing soon that got no slot early enough to pay, and how many of them are alerted: one
    warning (the page showed two with different counts, '76 of the 78 alerted unit(s) get no slot' beside '87
    unit(s) would be worth servicing soon'). Later slots may be free: by then the chance that they fail first
    outweighs the saving, so the advice is capacity in the first periods."""
    frame = result.frame
    late, alerted = frame["action"] == OVER_CAPACITY, frame["alert"].astype(bool)
    among = ""
    if (late & alerted).any():
        among = (f", {int((late & alerted).sum())} of them among the {int(alerted.sum())} alerted "
                 f"({int((alerted & (frame['action'] == 'service')).sum())} alerted serviced)")
    first = (" The plan lists units most urgent first, each with its slot: the alerted ones marked 'no slot in "
             "time' each need a decision now (a crew brought in, or spares and people ready for its failure)."
             if among else "")
    if result.slots_used < result.slots_available:
        return (f"Capacity limits the plan: {int(late.sum())} unit(s) would be worth servicing soon{among}, but every "
                f"slot early enough to pay for itself is taken ({named}). Later slots are free ({result.slots_used} "
                f"of {result.slots_available} used), but by then the chance that they fail first outweighs what "
                f"servicing saves: more capacity in the first {period}s would serve them.{first}")
    calm = frame[(frame["action"] == "service") & ~alerted]
    if among and len(calm):  # a 24.7 % unit booked on day 3 beside alerted ones without a slot read as a mistake
        unit, when = calm.iloc[0]["unit"], calm.iloc[0]["period"]
        return (f"Capacity limits the plan: {int(late.sum())} unit(s) would be worth servicing{among} but get no "
                f"slot ({named}). The earliest slots went to the riskiest units; {len(calm)} later slot(s) "
                f"went to units that are not alerted (e.g. {unit} on {period} {when}), because an alerted unit left "
                f"without a slot would most likely fail before then, so servicing it that late saves less than it "
                f"costs. More capacity in the first {period}s would serve them.{first}")
    return (f"Capacity limits the plan: {int(late.sum())} unit(s) would be worth servicing{among} but get no slot "
            f"in the horizon ({named}): every slot is taken; raise the capacity or bring in extra crews.{first}")


PER_DAY = {"ms": 86_400_000.0, "seconds": 86_400.0, "minutes": 1_440.0, "hours": 24.0, "days": 1.0, "weeks": 1 / 7}
ALERT_DAYS = 30.0  # an RUL run counted in time alerts below 30 days; one counted in cycles below 30 cycles


@dataclass(frozen=True)
class PlanSettings:
    cycles_per_day: float
    rul_threshold: float
    notes: tuple[str, ...]


def plan_settings(runtime: Runtime, run_id: int, *, cycles_per_day: float | None = None,
                  rul_threshold: float | None = None, period: str = "day", horizon_periods: int = 14,
                  units: int | None = None) -> PlanSettings:
    """What the plan reads a run's predictions in, with notes. An RUL run counted in a time (minutes, hours)
    converts at that unit's rate per day unless told otherwise: read as days, a bearing 379 minutes (6 hours)
    from failure had a 0.12 chance of failing within 14 days and no alert. A cap shorter than the horizon is
    warned: a unit at the cap may last far longer, yet reads as failing by it. A failure-risk run says how its
    p_failure is read, and when every scored row became a unit (no id column)."""
    run = runs.get_run(runtime, run_id)
    config = read_json(runtime, run, CONFIG_FILE if run.task == FAILURE_TASK else RUL_CONFIG_FILE)  # rul.json
    if run.task == FAILURE_TASK:
        example = 1 - (1 - 0.19) ** horizon_periods
        notes = [f"p_failure is read as each unit's chance of failing within one {period}, compounded over the "
                 f"{horizon_periods}-{period} horizon (0.19 a {period} is {example:.2f} over {horizon_periods} "
                 f"{period}{'s' if horizon_periods != 1 else ''}): if the failure label covers another span, plan in "
                 "that period."]
        if "calibration" not in config:  # trained before: raw scores, most of them below the chance they carry
            notes.append("This run's p_failure is the model's raw score (it was trained before scores were "
                         "calibrated): low scores understate the chance of failure. Train it again for calibrated "
                         "chances.")
        if not config.get("id_column") and not config.get("history") and units and units > 1:  # history: by machine
            notes.append(f"The run has no id column, so each scored row is a unit ({units:,} units): train with "
                         "--id (the machine's id; 'Id column' on the page) to plan by machine, on its latest reading.")
        if not config.get("history"):
            notes.extend(reading_id_note(runtime, run, config.get("id_column")))
        notes.extend(latest_reading_note(runtime, run, config))  # several readings of a machine: its latest
        notes.extend(scored_files_note(runtime, run, config))  # units of earlier files beside the latest's
        return PlanSettings(cycles_per_day or 1.0, rul_threshold or ALERT_DAYS, tuple(notes))
    word = rul_unit(config)
    rate = PER_DAY.get(word)
    per_day = cycles_per_day or rate or 1.0
    notes = []
    if rate is None and per_day == 1.0:  # the page passes its box's value, the default 1 included
        notes.append(f"The run counts RUL in {word}; the plan reads one of them as a day: give the {word} per day "
                     "(--cycles-per-day; 'RUL time units per day' on the page) if not.")
    elif rate is None:
        notes.append(f"The run counts RUL in {word}; the plan reads {per_day:,.6g} of them as a day, as given.")
    elif cycles_per_day is not None and rate is not None and abs(cycles_per_day - rate) > 1e-9 * rate:
        notes.append(f"The run counts RUL in {word} ({rate:,.6g} a day); the plan used the {cycles_per_day:,.6g} "
                     "a day given.")
    threshold = rul_threshold if rul_threshold is not None else ALERT_DAYS * (per_day if rate else 1.0)
    notes.extend(_cap_notes(config.get("cap"), word, per_day, horizon_periods * rules.PERIOD_DAYS.get(period, 1.0),
                            threshold))
    notes.extend(scored_files_note(runtime, run, config))  # units of earlier files beside the latest's
    return PlanSettings(per_day, threshold, tuple(notes))


def _cap_notes(cap: float | None, word: str, per_day: float, days: float, threshold: float) -> list[str]:
    """A cap shorter than the horizon, or an alert at or above the cap: a unit at the cap may be healthy for long.
    A run in hours capped at 500 alerted below the default 30 days (720 hours): all 12 scored units, one of them
    predicted at the cap, each alerted without a word."""
    if not cap:
        return []
    cap, notes = float(cap), []
    if cap / per_day < days:
        notes.append(f"The RUL cap ({cap:,.6g} {word}, {cap / per_day:,.3g} days) is shorter than the plan's horizon "
                     f"({days:,.6g} days): a unit predicted at the cap may last far longer, yet reads as failing by "
                     "it. Train with a larger --cap ('RUL cap' on the page), or plan a shorter horizon.")
    if threshold >= cap:
        in_days = f", {threshold / per_day:,.3g} days" if per_day != 1 else ""
        notes.append(f"The RUL alert ({threshold:,.6g} {word}{in_days}) is at or above the RUL cap ({cap:,.6g} "
                     f"{word}): the model tells lives apart only up to the cap, so every unit is alerted, even one "
                     "predicted at the cap (healthy so far). Give an alert below the cap (--rul-alert; 'RUL alert "
                     "threshold' on the page), or train with a larger --cap ('RUL cap' on the page).")
    return notes


def plan(fleet_frame: pd.DataFrame, *, unplanned_failure_cost: float, planned_maintenance_cost: float,
         capacity_per_period: int, period: str = "day", horizon_periods: int = 14, cycles_per_day: float = 1.0,
         rul_threshold: float = 30.0, risk_threshold: float = 0.5) -> PlanResult:
    try:
        costs = rules.MaintenanceCosts(float(unplanned_failure_cost), float(planned_maintenance_cost),
                                       int(capacity_per_period), period, int(horizon_periods), float(cycles_per_day))
    except rules.PlanInputError as exc:
        raise UserFacingError(str(exc)) from None
    if "rul" not in fleet_frame.columns and not 0 <= float(risk_threshold) <= 1:  # NaN fails too
        raise UserFacingError(f"Cannot plan: the risk alert is a failure probability from 0 to 1 (0.3 for "
                              f"30 %); got {risk_threshold:g}.")
    tail = tuple(fleet_frame.attrs.get("rul_tail", ()))  # the band's lower tail, from the run's held-out cuts
    outlooks = [_outlook(r, tail) for r in fleet_frame.to_dict(orient="records")]
    summary = rules.plan_maintenance(outlooks, costs, rul_threshold=rul_threshold, risk_threshold=risk_threshold,
                                     assign=maintenance_schedule.best_slots)
    frame = pd.DataFrame([r.__dict__ for r in summary.rows],
                         columns=["unit", "action", "period", "p_fail_before_service", "p_fail_in_horizon",
                                  "expected_saving", "alert"])
    frame["period"] = frame["period"].astype("Int64")
    return PlanResult(frame, summary.expected_cost_plan, summary.expected_cost_do_nothing, summary.slots_used,
                      summary.slots_available)


def _outlook(row: dict, tail: tuple = ()) -> rules.UnitOutlook:
    """A unit scored on a history too short to estimate from (its band is the whole range) has no RUL to plan on:
    it is listed to inspect, not costed as a unit likely to fail."""
    if row.get("short_history") is True:
        return rules.UnitOutlook(unit=str(row["unit"]), p_failure=None, rul=None)
    return rules.UnitOutlook(unit=str(row["unit"]), p_failure=_num(row.get("p_failure")), rul=_num(row.get("rul")),
                             rul_low=_num(row.get("rul_low")), rul_high=_num(row.get("rul_high")), tail=tail)


def _num(value) -> float | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else float(value)


def plan_export(result: PlanResult, fleet_frame: pd.DataFrame) -> pd.DataFrame:
    """The plan's own columns with each unit's p_failure (0–1) or RUL beside its unit, as the page's table shows
    them (the downloaded plan lacked the chance of failure), chances to 6 significant digits (a CSV had 19);
    periods stay whole numbers, empty for a unit not serviced in the horizon (the page writes them 'day 3' over the
    numbers, which sort as numbers)."""
    value = "rul" if "rul" in fleet_frame.columns else "p_failure"
    known = fleet_frame.assign(unit=fleet_frame["unit"].astype(str)).drop_duplicates("unit").set_index("unit")[value]
    out = result.frame.copy()
    out.insert(1, value, out["unit"].astype(str).map(known).astype(float))
    out.loc[out["action"] == NO_ESTIMATE, value] = np.nan  # no estimate: no number (a short history read 49.8)
    for column in ("p_failure", "p_fail_before_service", "p_fail_in_horizon"):  # 6 significant digits, not 19
        if column in out.columns:
            out[column] = pd.to_numeric(out[column], errors="coerce").map(
                lambda v: v if pd.isna(v) else float(f"{v:.6g}"))
    out["expected_saving"] = pd.to_numeric(out["expected_saving"], errors="coerce").round(2)  # 25931.118411217278
    return out


def unscheduled_alert_note(result: PlanResult, *, unplanned_failure_cost: float, planned_maintenance_cost: float,
                           horizon_periods: int, period: str = "day", shown: int = 10) -> str | None:
    """Why a unit below the alert threshold is left to monitor while slots are free: the schedule counts the
    failures within the horizon only, and a service pays for itself there only when the unit's chance of failing
    in the horizon is above planned ÷ unplanned cost (5,000 ÷ 50,000: 10 %)."""
    frame = result.frame
    left = frame[frame["alert"] & (frame["action"] == "monitor")].sort_values("p_fail_in_horizon", ascending=False)
    if left.empty:
        return None
    ratio = float(planned_maintenance_cost) / float(unplanned_failure_cost)
    named = ", ".join(f"{u} ({p:.1%})" for u, p in zip(left["unit"].head(shown), left["p_fail_in_horizon"]))
    more = f" and {len(left) - shown} more" if len(left) > shown else ""
    free = result.slots_available - result.slots_used
    said = (f"{len(left)} unit(s) below the alert threshold are left to monitor, with {free} slot(s) free. Their "
            f"chance of failing within the {horizon_periods}-{period} horizon: {named}{more}.")
    if ratio >= 1:  # swapped costs read "pays for itself when that chance is above 500.0%"
        return (f"{said} A planned maintenance ({planned_maintenance_cost:,.0f}) costs at least as much as an "
                f"unplanned failure ({unplanned_failure_cost:,.0f}), so no service pays for itself and none is "
                "planned: check the two costs (--planned-cost and --unplanned-cost; 'Planned maintenance cost' and "
                "'Unplanned failure cost' on the page), which may be swapped.")
    return (f"{said} The plan counts failures within the horizon "
            f"only, and there a service pays for itself when that chance is above {ratio:.1%} (planned ÷ unplanned "
            f"cost, {planned_maintenance_cost:,.0f} ÷ {unplanned_failure_cost:,.0f}): a unit likely to fail just "
            "after the horizon is not scheduled yet. Plan a longer horizon, or service it anyway.")


def result_notes(result: PlanResult, *, unplanned_failure_cost: float, planned_maintenance_cost: float,
                 horizon_periods: int, period: str = "day", shown: int = 20) -> list[str]:
    """The warnings the page shows beside a plan, for the CLI's notes: a plan of 944 readings with 438 'no slot in
    time' said nothing of them there."""
    frame, notes = result.frame, []
    late = frame.loc[frame["action"] == OVER_CAPACITY, "unit"].astype(str)
    if len(late):
        named = ", ".join(late.head(shown)) + (f" and {len(late) - shown} more" if len(late) > shown else "")
        notes.append(no_slot_warning(result, named, period))
    note = unscheduled_alert_note(result, unplanned_failure_cost=unplanned_failure_cost,
                                  planned_maintenance_cost=planned_maintenance_cost, horizon_periods=horizon_periods,
                                  period=period)
    return [*notes, *([note] if note else [])]


def plan_inputs(run_id: int, result: PlanResult, *, unplanned_failure_cost: float, planned_maintenance_cost: float,
                capacity_per_period: int, period: str, horizon_periods: int, rul_threshold: float | None = None,
                risk_threshold: float | None = None, cycles_per_day: float | None = None) -> dict[str, str]:
    """What a plan rests on, for its XLSX 'about' sheet: a forwarded file had carried its notes only, not the run,
    costs, capacity, horizon or alert threshold it was built with, nor its expected costs."""
    inputs = {"Run": str(run_id), "Unplanned failure cost": f"{unplanned_failure_cost:,.2f}",
              "Planned maintenance cost": f"{planned_maintenance_cost:,.2f}",
              "Capacity": f"{int(capacity_per_period)} per {period}", "Horizon": f"{int(horizon_periods)} {period}(s)"}
    if rul_threshold is not None:
        inputs["RUL alert threshold"] = f"{rul_threshold:g}"
    if cycles_per_day is not None:
        inputs["RUL time units per day"] = f"{cycles_per_day:g}"
    if risk_threshold is not None:
        inputs["Risk alert threshold"] = f"{risk_threshold:.4%}"
    inputs["Expected cost with the plan"] = f"{result.expected_cost_plan:,.2f}"
    inputs["Expected cost doing nothing"] = f"{result.expected_cost_do_nothing:,.2f}"
    inputs["Service slots used"] = f"{result.slots_used} of {result.slots_available}"
    return inputs


def export_plan(frame: pd.DataFrame, fmt: str, *, excel: bool = False, notes: tuple[str, ...] | list[str] = (),
                inputs: dict[str, str] | None = None) -> bytes:
    """The plan as CSV or XLSX. The XLSX carries what the plan rests on (``plan_inputs``) and its notes on a second
    sheet ('about'): a plan mixing two plants' scored files was downloaded without the note the page showed beside
    it. A CSV holds the table alone (a comment line is no CSV): its notes go beside it, on stderr or the page."""
    if fmt == "csv":
        return export_csv(frame, excel=excel)
    if fmt == "xlsx":
        about = {**(inputs or {}), **{f"Note {i}": note for i, note in enumerate(notes, 1)}}
        return export_frame_xlsx(numbered_units(frame), sheet="plan", about=about or None)
    raise UserFacingError(f"Unknown plan format {fmt!r}; use csv or xlsx.")

