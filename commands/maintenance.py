"""`cli.py maintenance …`: failure risk and RUL from files, for automation (same jobs as the page)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commands.common import add_command, echo_progress, emit, output_file, runtime, user, write_table
from services.errors import UserFacingError

# The desk's services are imported by the command that needs them: at the top, every `cli.py` call (another desk's,
# or --help) loaded LightGBM, torch and SHAP through them, 3-5 s before anything ran. services.reports imports the
# desk's report sections itself when a maintenance run's report is exported.


def _file(path: str) -> Path:
    file = Path(path)
    if not file.is_file():
        raise UserFacingError(f"no file {file}")
    return file


def _import(rt, path: str, check=None):
    from services import datasets

    file = _file(path)
    try:
        return datasets.import_or_reuse(rt, file, user=user(), check=check)
    except datasets.DatasetRejected as exc:  # the problems are listed once, by commands.common.fail
        raise datasets.DatasetRejected(f"nothing was stored. {exc}", exc.problems) from None


def _run_job(args, rt, *, kind: str, handler: str, params: dict):
    from services import jobs, runs
    from services import maintenance as maintenance_service

    job = jobs.run_inline(rt, kind=kind, desk=maintenance_service.DESK, handler=handler, params=params, user=user(),
                          echo=None if args.json else echo_progress)
    if job.status != "succeeded":
        raise UserFacingError(job.message)
    return runs.get_run(rt, job.run_id)


def train(args: argparse.Namespace) -> int:
    from services import maintenance as maintenance_service
    from services import maintenance_checks

    rt = runtime()
    options = {"id_column": args.id, "positive": args.positive, "derived": args.feature,
               "use_suggestions": not args.no_suggestions, "keep": args.keep, "exclude": args.exclude,
               "folds": args.folds, "n_estimators": args.trees}
    maintenance_service.failure_params(0, args.target, **options)  # a bad option stops before the file is stored
    info = _import(rt, args.data, maintenance_checks.columns_check(args.target, **options))  # names only: no copy
    params = maintenance_service.failure_params(info.id, args.target, **options)
    run = _run_job(args, rt, kind="maintenance.train", handler=maintenance_service.FAILURE_HANDLER, params=params)
    config = maintenance_service.read_json(rt, run, maintenance_service.CONFIG_FILE)
    modes = maintenance_service.read_json(rt, run, maintenance_service.EXPLANATION_FILE).get("modes") or []
    _emit_noted(args, {"run_id": run.id, "dataset_id": info.id, **run.metrics, "positive": config["positive"],
                       "excluded_columns": config["excluded"], "features": config["features"],
                       "derived_features": {d["name"]: d["formula"] for d in config["derived"]},
                       **({"failure_modes": modes} if modes else {})}, config.get("notes", []))
    return 0


def score(args: argparse.Namespace) -> int:
    from services import maintenance_scoring

    rt = runtime()
    file, out = _file(args.data), output_file(args.out)
    result = maintenance_scoring.score_failure(rt, args.run, file, filename=file.name, user=user())
    write_table(result.frame, out)
    _emit_noted(args, {"run_id": args.run, "rows": len(result.frame), "alerts": int(result.frame["alert"].sum()),
                       "threshold": result.threshold, "out": args.out}, result.notes)
    return 0


def _emit_noted(args: argparse.Namespace, payload: dict, notes) -> None:
    """The summary on stdout (--json: one object, with its notes) and each note once on stderr, as every desk's
    commands do."""
    emit(args, {**payload, "notes": list(notes)} if args.json else payload)
    for line in notes:
        print(f"note: {line}", file=sys.stderr)


def train_rul(args: argparse.Namespace) -> int:
    from services import maintenance_rul

    rt = runtime()
    options = {"cap": args.cap, "window": args.window, "settings": args.settings, "epochs": args.epochs,
               "n_estimators": args.trees, "seed": args.seed}
    maintenance_rul.rul_params(0, args.unit, args.time, **options)  # a bad option stops before the file is stored
    named, settings = {}, args.settings or []  # --unit 1 --time 2 on a file without a header row: column_1, column_2

    def check(frame):
        named.update({n: maintenance_rul.numbered_column(frame, n) for n in (args.unit, args.time, *settings)})
        maintenance_rul.check_columns(frame, named[args.unit], named[args.time], [named[s] for s in settings])

    info = _import(rt, args.data, check)
    options["settings"] = [named[s] for s in settings] or None
    params = maintenance_rul.rul_params(info.id, named[args.unit], named[args.time], **options)
    run = _run_job(args, rt, kind="maintenance.train_rul", handler=maintenance_rul.RUL_HANDLER, params=params)
    payload = maintenance_rul.summary(run)
    read = [f"{given} as {column}" for given, column in named.items() if given != column]
    read_note = [f"The file has no header row; read {', '.join(read)}."] if read else []
    _emit_noted(args, payload, [*read_note, *payload.pop("notes")])
    return 0


def score_rul(args: argparse.Namespace) -> int:
    from services import maintenance_rul_scoring

    rt = runtime()
    file, out = _file(args.data), output_file(args.out)
    result = maintenance_rul_scoring.score_rul(rt, args.run, file, filename=file.name, user=user())
    write_table(result.frame, out)
    _emit_noted(args, {"run_id": args.run, "units": len(result.frame), "out": args.out}, result.notes)
    return 0


def plan(args: argparse.Namespace) -> int:
    """The maintenance plan of a scored run (the page's Plan tab): one row per unit, service slots first."""
    from services import maintenance_plan, runs

    rt = runtime()
    out = output_file(args.out)
    fleet = maintenance_plan.fleet(rt, args.run)
    settings = maintenance_plan.plan_settings(rt, args.run, cycles_per_day=args.cycles_per_day,
                                              rul_threshold=args.rul_alert, period=args.period,
                                              horizon_periods=args.horizon, units=len(fleet))
    limits = {"rul_threshold": settings.rul_threshold} if "rul" in fleet.columns else {
        "risk_threshold": args.risk_alert if args.risk_alert is not None
        else float(runs.get_run(rt, args.run).metrics.get("threshold", 0.5))}
    result = maintenance_plan.plan(fleet, unplanned_failure_cost=args.unplanned_cost,
                                   planned_maintenance_cost=args.planned_cost, capacity_per_period=args.capacity,
                                   period=args.period, horizon_periods=args.horizon,
                                   cycles_per_day=settings.cycles_per_day, **limits)
    notes = [*settings.notes, *maintenance_plan.result_notes(
        result, unplanned_failure_cost=args.unplanned_cost, planned_maintenance_cost=args.planned_cost,
        horizon_periods=args.horizon, period=args.period)]
    if "rul" in fleet.columns and args.risk_alert is not None:
        notes.append(f"--risk-alert applies to failure-risk runs; run {args.run} estimates RUL, so its alert is "
                     "--rul-alert (in its RUL units).")
    inputs = maintenance_plan.plan_inputs(
        args.run, result, unplanned_failure_cost=args.unplanned_cost, planned_maintenance_cost=args.planned_cost,
        capacity_per_period=args.capacity, period=args.period, horizon_periods=args.horizon, **limits,
        cycles_per_day=settings.cycles_per_day if "rul" in fleet.columns else None)
    write_table(maintenance_plan.plan_export(result, fleet), out,  # the page's download: p_failure or rul beside
                xlsx=lambda frame: maintenance_plan.export_plan(frame, "xlsx", notes=notes, inputs=inputs))
    counts = result.frame["action"].value_counts().to_dict()
    _emit_noted(args, {"run_id": args.run, "units": len(result.frame), "out": args.out, "actions": counts,
                       "expected_cost_plan": round(result.expected_cost_plan, 2),
                       "expected_cost_do_nothing": round(result.expected_cost_do_nothing, 2),
                       "slots_used": result.slots_used, "slots_available": result.slots_available,
                       **({"cycles_per_day": settings.cycles_per_day, "rul_alert": settings.rul_threshold}
                          if "rul" in fleet.columns else {})},
                notes)
    return 0


def register(groups) -> None:
    group = groups.add_parser("maintenance", help="failure risk and remaining useful life").add_subparsers(
        dest="command", required=True)
    sub = add_command(group, "train", train, "failure-risk model on telemetry with a failure label")
    sub.add_argument("--data", required=True, help="CSV/TSV/Excel file")
    sub.add_argument("--target", required=True, help="binary failure column")
    sub.add_argument("--id", help="id column (written back by score)")
    sub.add_argument("--positive", help="the target value meaning 'failed', or several separated by commas "
                     "(default: guessed)")
    sub.add_argument("--feature", action="append", default=[], help="derived feature 'name = formula' (repeatable)")
    sub.add_argument("--no-suggestions", action="store_true", help="do not add the suggested derived features")
    sub.add_argument("--keep", action="append", default=[], help="keep a column the leakage guard flags")
    sub.add_argument("--exclude", action="append", default=[], help="leave a column out")
    sub.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    sub.add_argument("--trees", type=int, default=1000, help="LightGBM boosting rounds (1000; learning rate "
                     "20/trees, at most 0.1, so under 200 trees learn less)")
    sub = add_command(group, "score", score, "probability of failure per row of a file")
    sub.add_argument("--run", type=int, required=True, help="id of the maintenance run to score with")
    sub.add_argument("--data", required=True, help="readings or histories (CSV, TSV or Excel)")
    sub.add_argument("--out", required=True, help="output file (.csv or .xlsx)")
    sub = add_command(group, "train-rul", train_rul, "remaining-useful-life models on run-to-failure histories")
    sub.add_argument("--data", required=True, help="readings or histories (CSV, TSV or Excel)")
    sub.add_argument("--unit", required=True,
                     help="unit / engine id column (in a file without a header row, column_1 or 1 is the first "
                          "column)")
    sub.add_argument("--time", required=True,
                     help="cycle or time column (column_2 in NASA's turbofan files, which have no header row)")
    sub.add_argument("--cap", type=float, default=None, help="RUL cap of the piecewise-linear target, in the time "
                     "column's units (default: 125 readings, i.e. 125 for cycle numbers)")
    sub.add_argument("--window", type=int, default=30, help="readings per window (default 30)")
    sub.add_argument("--settings", action="append", default=None, help="operating-setting column (repeatable)")
    sub.add_argument("--epochs", type=int, default=30, help="sequence-model training epochs (default 30; all of them run)")
    sub.add_argument("--trees", type=int, default=400, help="LightGBM boosting rounds (default 400)")
    sub.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sub = add_command(group, "score-rul", score_rul, "RUL at the last cycle of each unit")
    sub.add_argument("--run", type=int, required=True, help="id of the maintenance run to score with")
    sub.add_argument("--data", required=True, help="readings or histories (CSV, TSV or Excel)")
    sub.add_argument("--out", required=True, help="output file (.csv or .xlsx)")
    sub = add_command(group, "plan", plan, "maintenance plan from a run's latest scored file")
    sub.add_argument("--run", type=int, required=True, help="a failure-risk or RUL run that has scored a file")
    sub.add_argument("--out", required=True, help="plan file (.csv or .xlsx)")
    sub.add_argument("--unplanned-cost", type=float, default=50000.0, help="cost of an unplanned failure")
    sub.add_argument("--planned-cost", type=float, default=5000.0, help="cost of a planned maintenance")
    sub.add_argument("--capacity", type=int, default=2, help="maintenance slots per period")
    sub.add_argument("--period", choices=("day", "week"), default="day", help="planning period (default day)")
    sub.add_argument("--horizon", type=int, default=14, help="periods to plan")
    sub.add_argument("--cycles-per-day", type=float, default=None,
                     help="RUL runs: the RUL's units per day (default: 24 for a run counted in hours, 1,440 in "
                          "minutes …; 1 for cycles)")
    sub.add_argument("--rul-alert", type=float, default=None,
                     help="RUL runs: alert below this RUL, in the run's units (default: 30 days for a run counted "
                          "in time, else 30 cycles)")
    sub.add_argument("--risk-alert", type=float, default=None,
                     help="failure-risk runs: alert at or above this p_failure (default: the run's threshold)")
