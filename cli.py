"""Decision Desk from a terminal: the same use cases as the pages, for automation."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from services.errors import UserFacingError
from settings import get_settings

Command = Callable[[argparse.Namespace], int]


from commands.common import echo_progress as _echo  # noqa: E402 - shared with the desk command modules
from commands.common import fail  # noqa: E402
from commands.common import emit as _print  # noqa: E402
from commands.common import runtime as _runtime  # noqa: E402


def data_import(args: argparse.Namespace) -> int:
    from services import datasets

    runtime = _runtime()
    path = Path(args.file)
    if not path.is_file():
        raise UserFacingError(f"no file {path}")
    try:
        info = datasets.import_dataset(runtime, path, filename=path.name, name=args.name,
                                       user=get_settings().user, sheet=args.sheet)
    except datasets.DatasetRejected as exc:
        raise datasets.DatasetRejected(f"nothing was stored. {exc}", exc.problems) from None
    payload = {"dataset_id": info.id, "name": info.name, "rows": info.rows, "columns": info.columns,
               "sha256": info.sha256, "schema": info.schema, "roles": info.roles, "problems": info.problems}
    _print(args, payload if args.json else {k: payload[k] for k in ("dataset_id", "name", "rows", "columns")})
    for problem in info.problems if not args.json else []:
        print(f"  {problem['severity']}: {problem['problem']}", file=sys.stderr)
    return 0


def data_list(args: argparse.Namespace) -> int:
    import pandas as pd

    from services import datasets

    infos = datasets.list_datasets(_runtime())
    rows = [{"id": d.id, "name": d.name, "rows": d.rows, "columns": d.columns, "file": d.original_filename,
             "created": d.created_at} for d in infos]
    _print(args, rows, pd.DataFrame(rows))
    return 0


def baseline_train(args: argparse.Namespace) -> int:
    from services import datasets, jobs, modeling

    runtime = _runtime()
    info = datasets.get_dataset(runtime, args.dataset)
    params = modeling.baseline_params(info.id, args.target, folds=args.folds, n_estimators=args.trees)
    job = jobs.run_inline(runtime, kind="baseline.train", desk=modeling.DESK, handler=modeling.HANDLER,
                          params=params, user=get_settings().user, echo=None if args.json else _echo)
    if job.status != "succeeded":
        raise UserFacingError(job.message)
    from services import runs

    run = runs.get_run(runtime, job.run_id)
    _print(args, {"run_id": run.id, "job_id": job.id, **run.metrics})
    return 0


def runs_list(args: argparse.Namespace) -> int:
    import pandas as pd

    from services import runs

    # "promoted": the run the desk serves by default; "model": the model that won inside the run (when it compares)
    rows = [{"run_id": r.id, "desk": r.desk, "task": r.task, "model": _winning_model(r), "promoted": r.champion,
             "created": r.created_at,
             **{k: v for k, v in r.metrics.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}}
            for r in runs.list_runs(_runtime(), desk=args.desk)]
    _print(args, rows, pd.DataFrame(rows))
    return 0


def jobs_list(args: argparse.Namespace) -> int:
    import pandas as pd

    from services import jobs

    rows = [{"job_id": j.id, "kind": j.kind, "status": j.status, "progress": round(j.progress, 2),
             "message": j.message, "run_id": j.run_id} for j in jobs.list_jobs(_runtime())]
    _print(args, rows, pd.DataFrame(rows))
    return 0


def _winning_model(run) -> str | None:
    for source in (run.parameters, run.metrics):
        if isinstance(source.get("champion"), str):
            return source["champion"]
    return None


REPORT_SUFFIXES = {".html": "html", ".htm": "html", ".pdf": "pdf", ".xlsx": "xlsx", ".docx": "docx"}


def _report_format(args: argparse.Namespace) -> str:
    """--format, or the --out file's extension; a file named for another format is refused, not silently mislabelled."""
    suffix = Path(args.out).suffix.lower()
    implied = REPORT_SUFFIXES.get(suffix)
    if args.format is None and implied is None:
        raise UserFacingError(f"give --format (html, pdf, xlsx or docx): the --out name {Path(args.out).name!r} "
                              "does not say which")
    if args.format and implied and implied != args.format:
        raise UserFacingError(f"--format {args.format} does not match the --out name {Path(args.out).name!r} "
                              f"(a {suffix} file); change one of them. Nothing was written.")
    return args.format or implied


def report(args: argparse.Namespace) -> int:
    from services import reports

    from commands.common import output_file

    args.format = _report_format(args)
    # its folder made and the place checked before the report is stored (a missing folder stored a report no file
    # received, then stopped with a traceback); written beside it and renamed, so the file is whole or absent
    out = output_file(args.out, (Path(args.out).suffix.lower(),))  # the name was checked by _report_format
    info, payload = reports.export_run_report(_runtime(), args.run, args.format, user=get_settings().user)
    part = out.with_name(out.name + ".part")
    part.write_bytes(payload)
    part.replace(out)
    _print(args, {"report_id": info.id, "run_id": info.run_id, "format": info.format, "out": args.out,
                  "sha256": info.sha256})
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    from data import migrate

    runtime = _runtime()  # migrates on build
    _print(args, {"database": runtime.engine.url.render_as_string(hide_password=True),
                  "revision": migrate.current_revision(runtime.engine)})
    return 0


# Desk command groups; a desk appears here once its module exists.
DESK_COMMANDS = ("commands.finance", "commands.retail", "commands.triage", "commands.maintenance",
                 "commands.assistant")


def _desk_modules():
    import importlib
    import importlib.util

    for name in DESK_COMMANDS:
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cli.py", description="Decision Desk from the terminal.")
    desks = parser.add_subparsers(dest="group", required=True)

    def command(group, name: str, func: Command, help_text: str) -> argparse.ArgumentParser:
        sub = group.add_parser(name, help=help_text)
        sub.add_argument("--json", action="store_true", help="print one JSON object")
        sub.set_defaults(func=func)
        return sub

    data = desks.add_parser("data", help="datasets").add_subparsers(dest="command", required=True)
    sub = command(data, "import", data_import, "validate, profile and store a CSV/TSV/Excel file")
    sub.add_argument("--file", required=True, help="table to import (CSV, TSV, Excel; .gz or .zip)")
    sub.add_argument("--name", help="dataset name (default: the file name)")
    sub.add_argument("--sheet", help="Excel sheet (default: the largest)")
    command(data, "list", data_list, "stored datasets")

    baseline = desks.add_parser("baseline", help="quick baseline classifier").add_subparsers(dest="command", required=True)
    sub = command(baseline, "train", baseline_train, "cross-validated LightGBM baseline on a stored dataset")
    sub.add_argument("--dataset", required=True, help="dataset id or name")
    sub.add_argument("--target", required=True)
    sub.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    sub.add_argument("--trees", type=int, default=200, help="LightGBM trees (default 200)")

    run_group = desks.add_parser("runs", help="model runs").add_subparsers(dest="command", required=True)
    sub = command(run_group, "list", runs_list, "stored runs")
    sub.add_argument("--desk")
    job_group = desks.add_parser("jobs", help="background jobs").add_subparsers(dest="command", required=True)
    command(job_group, "list", jobs_list, "recent jobs")
    db = desks.add_parser("db", help="database").add_subparsers(dest="command", required=True)
    command(db, "upgrade", db_upgrade, "apply migrations")

    sub = desks.add_parser("report", help="export a run's report")
    sub.add_argument("--run", type=int, required=True, help="id of the run to report on")
    sub.add_argument("--format", choices=("html", "pdf", "xlsx", "docx"),
                     help="default: from the --out file's extension")
    sub.add_argument("--out", required=True, help="report file (.html, .pdf, .xlsx or .docx)")
    sub.add_argument("--json", action="store_true")
    sub.set_defaults(func=report)
    for module in _desk_modules():
        module.register(desks)
    return parser


# Flags that name columns or values of a file: compared with the file's names and text, which the reader puts in
# one Unicode form (NFC); a name typed on a Mac arrives decomposed. Paths are left as they are.
COLUMN_FLAGS = ("target", "id", "date", "series", "unit", "time", "positive", "settings", "exclude", "keep",
                "feature", "exposure", "lgd", "monotone", "sheet")


def _composed(value):
    import unicodedata

    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_composed(v) for v in value]
    return value


def compose_column_flags(args: argparse.Namespace) -> argparse.Namespace:
    for flag in COLUMN_FLAGS:
        if hasattr(args, flag):
            setattr(args, flag, _composed(getattr(args, flag)))
    return args


def main(argv: list[str] | None = None) -> int:
    args = compose_column_flags(build_parser().parse_args(argv))
    try:
        return args.func(args)
    except UserFacingError as exc:
        return fail(args, str(exc), getattr(exc, "problems", ()))


if __name__ == "__main__":
    sys.exit(main())
