"""`cli.py retail forecast` and `retail reorder`: the retail desk from a terminal, for automation.

Output columns are a contract: the series key columns (named as in the input), date, p10, p50, p90; the
reorder plan: the series key columns, on_hand, lead_time_demand, safety_stock, reorder_point, order_up_to,
order_quantity.
Preparation notes (gap filling, summed duplicates, left-out columns) go to stderr so stdout stays
one JSON object with --json.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from commands.common import add_command, echo_progress, emit, output_file, runtime, user, write_table
from services.errors import UserFacingError


def _series(text: str) -> list[str]:
    columns = [c.strip() for c in text.split(",") if c.strip()]
    if not columns:
        raise argparse.ArgumentTypeError("give one or more column names, comma-separated (a file that is one "
                                         "series needs a column with one value on every row, such as a column "
                                         "'series' filled with 'all')")
    return columns


def _keys(series: list[str], columns) -> list[str]:
    """The key columns; one whose name holds a comma ("Region, country") when the parts are not columns."""
    names = set(map(str, columns))
    whole = next((j.join(series) for j in (",", ", ") if j.join(series) in names), None)
    return [whole] if len(series) > 1 and whole and not all(c in names for c in series) else list(series)


def forecast(args: argparse.Namespace) -> int:
    from services import datasets, jobs, retail, retail_views

    rt = runtime()
    path = Path(args.data)
    if not path.is_file():
        raise UserFacingError(f"no file {path}")
    out = output_file(args.out)
    params_check = retail.forecast_params(0, date=args.date, target=args.target, series=args.series,
                                          horizon=args.horizon, freq=args.freq, fill=args.fill,
                                          duplicates=args.duplicates, negatives=args.negatives, windows=args.windows,
                                          n_estimators=args.trees)
    def check(frame: pd.DataFrame) -> None:  # a table the desk refuses is not stored, nor is a job run
        retail.prepare_sales(frame, {**params_check, "series": _keys(args.series, frame.columns)})

    try:
        info = datasets.import_or_reuse(rt, path, user=user(), check=check)
    except datasets.DatasetRejected as exc:
        raise datasets.DatasetRejected(f"nothing was stored. {exc}", exc.problems) from None
    params = {**params_check, "dataset_id": info.id,  # how the file was read: in the run's notes
              "series": _keys(args.series, list(info.schema))}
    job = jobs.run_inline(rt, kind=retail.KIND, desk=retail.DESK, handler=retail.HANDLER, params=params,
                          user=user(), echo=None if args.json else echo_progress)
    if job.status != "succeeded":
        raise UserFacingError(job.message)
    run = retail_views.retail_run(rt, job.run_id)
    frame = retail_views.forecast_frame(rt, run.id)
    if out.suffix.lower() in (".xlsx", ".xlsm"):  # date cells in a workbook, so Excel can sort and filter them
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
    write_table(frame, out)
    for note in run.parameters.get("notes", []):
        print(f"note: {note}", file=sys.stderr)
    table = retail_views.backtest_table(run)
    payload = {"run_id": run.id, "job_id": job.id, "dataset_id": info.id, "out": str(out), "rows": len(frame),
               "series": int(frame[run.parameters["keys"]].drop_duplicates().shape[0]),
               "frequency": run.parameters["freq_used"], "champion": run.parameters["champion"],
               "champion_metric": run.parameters.get("champion_metric", "wape"), "backtest": table.to_dict("records"),
               "notes": run.parameters.get("notes", [])}
    if not args.json:  # the run id first, as finance and maintenance print it: 'retail reorder --run' needs it
        for key in ("run_id", "out", "rows", "series", "frequency", "champion"):
            print(f"{key}: {payload[key]}")
    emit(args, payload, table=None if args.json else table)
    return 0


def reorder(args: argparse.Namespace) -> int:
    """The purchase plan of a forecast run (the page's Stock tab): per series the reorder point and the order."""
    from services import retail_plan, retail_views

    rt = runtime()
    out = output_file(args.out)
    run = retail_views.retail_run(rt, args.run)
    on_hand = retail_views.on_hand_stock(rt, run, args.on_hand) if args.on_hand else None
    plan = retail_plan.run_purchase_plan(rt, run, lead_time=args.lead_time, review_period=args.review_period,
                                         service_level=args.service_level, on_hand=on_hand)
    write_table(plan, out)
    for note in retail_plan.stock_notes(plan, args.on_hand):  # stock taken as 0 is said, not assumed silently
        print(f"note: {note}", file=sys.stderr)
    emit(args, {"run_id": run.id, "out": str(out), "series": len(plan), "lead_time": args.lead_time,
                "review_period": args.review_period, "period": retail_views.run_period(run),
                "service_level": args.service_level,
                "to_order": int((plan["order_quantity"] > 0).sum()) if args.on_hand else None})
    return 0


def register(groups) -> None:
    group = groups.add_parser("retail", help="demand forecasting").add_subparsers(dest="command", required=True)
    sub = add_command(group, "forecast", forecast, "backtest, pick a champion and forecast every series")
    sub.add_argument("--data", required=True, help="long sales table (CSV, TSV or Excel)")
    sub.add_argument("--date", required=True, help="date column")
    sub.add_argument("--target", required=True, help="quantity column")
    sub.add_argument("--series", required=True, type=_series, help="series key column(s), comma-separated")
    sub.add_argument("--horizon", required=True, type=int,
                     help="periods to forecast (days, weeks, months or quarters, as the data or --freq)")
    sub.add_argument("--freq", choices=("D", "W", "M", "Q"), type=str.upper,
                     help="override the detected frequency: D, W, M or Q (quarters); finer data is summed to it")
    sub.add_argument("--out", required=True, help="forecast file (.csv, or .xlsx)")
    sub.add_argument("--fill", choices=("zero", "missing"), default="zero",
                     help="missing periods: zero sales (default) or missing (not scored)")
    sub.add_argument("--duplicates", choices=("error", "sum"), default="error",
                     help="repeated (series, date) rows: stop with examples (default) or sum them")
    sub.add_argument("--negatives", choices=("keep", "clip"), default="keep",
                     help="negative quantities: keep as returns (default, with a warning) or clip to 0")
    sub.add_argument("--windows", type=int, default=3, help="backtest windows (default 3)")
    sub.add_argument("--trees", type=int, default=500, help="LightGBM trees (default 500)")
    sub = add_command(group, "reorder", reorder, "reorder point and order quantity per series from a forecast run")
    sub.add_argument("--run", required=True, type=int, help="a retail forecast run")
    sub.add_argument("--out", required=True, help="plan file (.csv or .xlsx)")
    sub.add_argument("--lead-time", type=int, default=2,
                     help="periods of the run (days, weeks, months or quarters of about 91 days) from order to "
                          "delivery (default 2)")
    sub.add_argument("--review-period", type=int, default=1, help="periods of the run between orders (default 1)")
    sub.add_argument("--service-level", type=float, default=0.95, help="chance of no stock-out (default 0.95)")
    sub.add_argument("--on-hand", help="column of the run's data holding stock on hand (its latest value per series)")
