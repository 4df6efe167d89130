"""`cli.py finance train|score`: the finance desk for automation (same services as the page)."""
from __future__ import annotations

import argparse
import sys

from commands.common import add_command, echo_progress, emit, output_file, runtime, user

TRAIN_KEYS = ("run_id", "job_id", "dataset_id", "positive_label", "positive_label_rule", "oof_auc", "gini", "ks",
              "pr_auc", "brier", "log_loss", "oof_cost_per_case", "cv_cost_per_case", "cutoff", "approval_rate",
              "champion", "blend_weight", "forest_weight", "logistic_weight", "calibration", "baseline_auc", "baseline_gini", "baseline_ks", "baseline_pr_auc", "baseline_brier",
              "baseline_log_loss", "baseline_cost_per_case", "baseline_cv_cost_per_case", "baseline_cutoff")


def _monotone(values: list[str] | None) -> dict[str, int]:
    constraints = {}
    for item in values or []:
        column, _, sign = item.rpartition("=")
        if not column or sign.strip() not in ("+1", "1", "-1", "0"):
            from services.errors import UserFacingError

            raise UserFacingError(f"--monotone expects COLUMN=+1 or COLUMN=-1, got {item!r}.")
        constraints[column] = int(sign)
    return constraints


def _positive(values: list[str] | None) -> str | None:
    """--positive Chargedoff --positive Defaulted names both, as --positive Chargedoff,Defaulted does: argparse
    would keep only the last, and Prosper's charge-offs then counted as repaid loans."""
    given = [v for v in values or [] if str(v).strip()]
    return ",".join(given) if given else (values[-1] if values else None)


def _dictionary(path: str | None):
    """The data dictionary named by --dictionary and what reading it noted ((None, []) without one)."""
    if not path:
        return None, []
    from pathlib import Path

    from services.errors import UserFacingError
    from services.glossary import read_dictionary

    if not Path(path).is_file():
        raise UserFacingError(f"No file {path} (--dictionary).")
    return read_dictionary(Path(path), filename=Path(path).name)


def train(args: argparse.Namespace) -> int:
    from services import finance

    glossary, glossary_notes = _dictionary(args.dictionary)
    job, run = finance.train_from_file(
        runtime(), args.data, target=args.target, user=user(), echo=None if args.json else echo_progress,
        positive=_positive(args.positive), id_column=args.id, cost_bad_approved=args.cost_bad,
        cost_good_declined=args.cost_good, monotone=_monotone(args.monotone), tune_seconds=args.tune_seconds,
        exposure_column=args.exposure, lgd_column=args.lgd, default_lgd=args.default_lgd,
        exclude=tuple(args.exclude or ()), folds=args.folds, seed=args.seed, glossary=glossary,
        glossary_notes=tuple(glossary_notes), keep=tuple(args.keep or ()))
    metrics = run.metrics
    payload = {"run_id": run.id, "job_id": job.id, "dataset_id": run.dataset_id,
               **{k: metrics.get(k) for k in TRAIN_KEYS if k in metrics},
               **{k: v for k, v in metrics.items() if k not in TRAIN_KEYS},
               "id_column": run.parameters.get("id_column"), "features": run.parameters.get("features"),
               "columns_left_out": run.parameters.get("dropped") or {},  # column -> why it is no risk factor
               "notes": run.parameters.get("notes", []), "warnings": run.parameters.get("warnings", [])}
    emit(args, payload if args.json else {k: payload[k] for k in TRAIN_KEYS if k in payload})
    for line in payload["notes"]:  # on stderr with --json too, as every desk's commands do: stdout stays one object
        print(f"note: {line}", file=sys.stderr)
    for line in payload["warnings"]:
        print(f"warning: {line}", file=sys.stderr)
    return 0


def score(args: argparse.Namespace) -> int:
    from services import finance

    out = output_file(args.out)
    fmt = "xlsx" if out.suffix.lower() in (".xlsx", ".xlsm") else "csv"
    result = finance.score_file(runtime(), args.run, args.data, user=user())
    payload = finance.export_scored(result.frame, fmt)
    temp = out.with_name(out.name + ".part")
    temp.write_bytes(payload)
    temp.replace(out)
    shifted = result.psi[result.psi["band"].isin(["watch", "shifted"])]  # not "stable", nor "too few rows"
    summary = {"run_id": result.run_id, "batch": result.batch, "rows": len(result.frame), "out": str(out), "format": fmt,
               "approved": int((result.frame["decision"] == "approve").sum()),
               "declined": int((result.frame["decision"] == "decline").sum()),
               "score_psi": float(result.psi.iloc[0]["psi"]), "score_psi_band": result.psi.iloc[0]["band"],
               "psi_not_stable": shifted[["feature", "psi", "band"]].to_dict("records"), "notes": list(result.notes)}
    emit(args, summary if args.json else {k: summary[k] for k in ("run_id", "batch", "rows", "out", "approved",
                                                                  "declined", "score_psi", "score_psi_band")})
    for line in result.notes:
        print(f"note: {line}", file=sys.stderr)
    for row in summary["psi_not_stable"]:
        print(f"note: PSI of {row['feature']} is {row['psi']:.3f} ({row['band']})", file=sys.stderr)
    return 0


def register(groups) -> None:  # `cli.py report` loads the finance sections itself (services.reports)
    desk = groups.add_parser("finance", help="credit-default scoring").add_subparsers(dest="command", required=True)
    sub = add_command(desk, "train", train, "train a credit-default model on a CSV/XLSX of past loans")
    sub.add_argument("--data", required=True, help="CSV, TSV or XLSX file with one row per loan")
    sub.add_argument("--target", required=True, help="outcome column (two values: default / no default)")
    sub.add_argument("--positive", action="append", help="the target value that means default, or several "
                     "separated by commas or given as repeated --positive (inferred and reported if omitted)")
    sub.add_argument("--id", help="applicant id column (kept in scored files, not used as a feature)")
    sub.add_argument("--cost-bad", type=float, default=5.0, help="cost of approving a loan that defaults (5)")
    sub.add_argument("--cost-good", type=float, default=1.0, help="cost of declining a loan that is repaid (1)")
    sub.add_argument("--monotone", action="append", metavar="COL=+1|-1", help="monotone constraint (repeatable)")
    sub.add_argument("--tune-seconds", type=float, default=0.0, help="Optuna tuning budget (0 = off)")
    sub.add_argument("--exposure", help="exposure (EAD) column for expected loss")
    sub.add_argument("--lgd", help="LGD column for expected loss (not a feature)")
    sub.add_argument("--default-lgd", type=float, default=0.45, help="LGD where none is given (0.45)")
    sub.add_argument("--exclude", action="append", metavar="COL", help="column to leave out of the features")
    sub.add_argument("--keep", action="append", metavar="COL", help="column left out as a leak (named like a record "
                     "made after the outcome, such as total_pymnt or recoveries, or giving the outcome away by its "
                     "values or blanks) that is known at application time: used, not left out")
    sub.add_argument("--dictionary", metavar="FILE", help="data dictionary (CSV/XLSX with columns column, label "
                     "and optionally value): names for coded columns and values in the reasons")
    sub.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    sub.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sub = add_command(desk, "score", score, "score applicants with a trained finance run")
    sub.add_argument("--run", type=int, required=True, help="id of the finance run to score with")
    sub.add_argument("--data", required=True, help="applicants to score (CSV, TSV or Excel)")
    sub.add_argument("--out", required=True, help="output file (.csv, or .xlsx)")
