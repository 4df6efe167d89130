"""`python cli.py triage train|score|audit|review`: the triage desk for automation (decision support, not diagnosis)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from commands.common import add_command, echo_progress, emit, output_file, runtime, user, write_table
from services.errors import UserFacingError

VALIDATION_KEYS = ("val_auc", "val_accuracy", "sensitivity", "specificity", "threshold")


def train(args: argparse.Namespace) -> int:
    from services import jobs, runs, triage

    rt = runtime()
    if not Path(args.images).exists():
        raise UserFacingError(f"no file or folder {args.images}")
    params = triage.train_params(str(Path(args.images).resolve()), manifest=args.manifest, size=args.size,
                                 epochs=args.epochs, positive=args.positive,
                                 target_sensitivity=args.target_sensitivity, init_weights=args.init_weights,
                                 seed=args.seed, max_minutes=args.max_minutes)
    job = jobs.run_inline(rt, kind="triage.train", desk=triage.DESK, handler=triage.HANDLER, params=params,
                          private=triage.PRIVATE_PARAMS, user=user(), echo=None if args.json else echo_progress)
    if job.status != "succeeded":
        raise UserFacingError(job.message)
    run = runs.get_run(rt, job.run_id)
    for reason in run.parameters.get("skipped_images", []):
        print(f"skipped: {reason}", file=sys.stderr)
    for merge in run.parameters.get("merged_classes", []):
        print(f"merged class spelling: {merge}", file=sys.stderr)
    for warning in run.parameters.get("warnings", []):
        print(f"warning: {warning}", file=sys.stderr)
    for note in run.parameters.get("notes", []):  # how validation grouped, the cut-off's margin, blank labels
        print(f"note: {note}", file=sys.stderr)
    held, folders = run.parameters.get("validation_folders") or (0, 0)
    said = any(str(n).startswith("Validation:") for n in run.parameters.get("notes", []))
    if held and not said:  # the run's own note says how it grouped (by a manifest's patient column: no folders)
        print(f"validation: {held} of {folders} sub-folders (patients or studies) held out whole, so that no "
              "folder has images on both sides", file=sys.stderr)
    payload = {"run_id": run.id, "job_id": job.id, **{k: run.metrics.get(k) for k in VALIDATION_KEYS},
               "classes": run.parameters["classes"], "abnormal_class": run.parameters.get("abnormal_class"),
               "normal_class": run.parameters.get("normal_class"),
               "positive_classes": run.parameters.get("positive_classes"),
               "normal_classes": run.parameters.get("normal_classes"), **run.metrics,
               "skipped_images": len(run.parameters.get("skipped_images", [])),
               "warnings": run.parameters.get("warnings", []), "notes": run.parameters.get("notes", []),
               "notice": triage.DISCLAIMER}
    emit(args, payload)
    return 0


def score(args: argparse.Namespace) -> int:
    import pandas as pd

    from domain.triage import NEEDS_MANUAL_READ
    from services import triage

    if not Path(args.images).exists():
        raise UserFacingError(f"no file or folder {args.images}")
    output_file(args.out, (".csv", ".txt"))
    result = triage.score_studies(runtime(), args.run, Path(args.images), user=user())
    # --reasons: why a study needs a manual read, or the caution its score carries, travels with the row (on
    # stderr alone it is lost to whoever works from the CSV); without it the CSV keeps its documented columns
    columns = ["file", "p_abnormal", "priority"] + (["predicted_class"] if len(result.classes) > 2 else []) + \
        (["reason"] if args.reasons else [])
    table = pd.DataFrame({
        "file": result.rows["file"].astype(str),
        "p_abnormal": ["" if p is None or p != p else f"{float(p):.6f}" for p in result.rows["p_abnormal"]],
        "priority": result.rows["priority"], "predicted_class": result.rows["predicted_class"].fillna(""),
        "reason": result.rows["reason"].fillna("").astype(str)})
    write_table(table[columns], Path(args.out))  # formulas in file names neutralised; whole file or none
    counts = result.rows["priority"].value_counts().to_dict()
    print(triage.DISCLAIMER, file=sys.stderr)
    unread = (result.rows["priority"] == NEEDS_MANUAL_READ) & result.rows["p_abnormal"].isna()
    for row in result.rows[unread].itertuples():  # scored ones with a caution are said once, below
        print(f"needs manual read: {row.reason}", file=sys.stderr)
    for name, reason in result.ignored_reasons:
        print(f"ignored ({reason}): {name}", file=sys.stderr)
    for caution in result.cautions:  # scored, but to be read with care (a 16-pixel image)
        print(f"caution: {caution}", file=sys.stderr)
    emit(args, {"run_id": result.run_id, "worklist": result.batch, "studies": len(result.rows), "out": args.out,
                **{k: int(counts.get(k, 0)) for k in ("needs manual read", "urgent", "review", "routine")},
                "ignored_files": list(result.ignored), "cautions": list(result.cautions)})
    return 0


def audit(args: argparse.Namespace) -> int:
    """The run's audit trail, oldest first: who trained, scored, viewed, reviewed and exported what, and when."""
    from services import triage_review

    out = output_file(args.out) if args.out else None
    trail = triage_review.run_audit_trail(runtime(), args.run)
    trail["time"] = [t.isoformat(timespec="seconds") for t in trail["time"]]
    if out is not None:
        write_table(trail, out)
        print(f"{len(trail)} audit event(s) of run {args.run} written to {out}", file=sys.stderr)
    if args.json:
        emit(args, {"run_id": args.run, "events": trail.to_dict("records"), "out": args.out})
    elif out is None:
        emit(args, {}, table=trail)
    return 0


def review(args: argparse.Namespace) -> int:
    """Record a reviewer's decision on one study of a worklist, as the page's review form does."""
    from services import triage_review, triage_verdicts

    reviewer = user() if args.reviewer is None else args.reviewer.strip()
    if not reviewer:
        raise UserFacingError("--reviewer must name the reviewer.")
    rt = runtime()
    decision = triage_review.check_decision(args.decision.strip().lower())  # before the study is looked up
    batch, key = triage_review.find_study(rt, args.run, args.study, args.worklist)
    label = triage_review.record_review(rt, args.run, batch, key, decision, user=reviewer, label=args.label,
                                        note=args.note or "")
    print(triage_review.DISCLAIMER, file=sys.stderr)
    emit(args, {"run_id": args.run, "worklist": batch, "study": key, "decision": decision,
                "label": label if label or args.json else triage_verdicts.NO_LABEL, "reviewer": reviewer})
    return 0


def register(groups) -> None:
    group = groups.add_parser("triage", help="medical image triage (decision support, not diagnosis)")
    commands = group.add_subparsers(dest="command", required=True)
    sub = add_command(commands, "train", train, "train an image classifier from class folders (ZIP or folder)")
    sub.add_argument("--images", required=True, help="ZIP or folder of class folders (PNG/JPEG/DICOM)")
    sub.add_argument("--manifest", help="CSV with columns file,label[,split] naming files in --images")
    sub.add_argument("--size", type=int, default=64, help="input size in pixels, 28–224 (default 64)")
    sub.add_argument("--epochs", type=int, default=10,
                     help="most epochs (default 10; a small set's epoch shows at least 1,024 images); early "
                          "stopping can end sooner")
    sub.add_argument("--positive", help="the abnormal class (two classes), when names don't tell")
    sub.add_argument("--target-sensitivity", type=float, default=0.95, dest="target_sensitivity",
                     help="share of abnormal studies the urgent cut-off should catch (default 0.95)")
    sub.add_argument("--init-weights", dest="init_weights", help="local safetensors file to start from")
    sub.add_argument("--max-minutes", type=float, dest="max_minutes", help="stop training after this long")
    sub.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    sub = add_command(commands, "score", score, "rank new studies into a worklist; writes a CSV")
    sub.add_argument("--run", type=int, required=True, help="run id of a triage model")
    sub.add_argument("--images", required=True, help="ZIP, folder or image file without labels")
    sub.add_argument("--out", required=True, help="CSV: file,p_abnormal,priority[,predicted_class][,reason]")
    sub.add_argument("--reasons", action="store_true", help="add a last column, reason: why a study needs a manual "
                     "read, or the caution its score carries (also printed on stderr)")
    sub = add_command(commands, "audit", audit, "a run's audit trail, oldest first (time, actor, action, study, "
                      "detail)")
    sub.add_argument("--run", type=int, required=True, help="run id of a triage model")
    sub.add_argument("--out", help="write the trail to a CSV or XLSX file instead of printing it")
    sub = add_command(commands, "review", review, "record a reviewer's decision on a study of a worklist")
    sub.add_argument("--run", type=int, required=True, help="run id of a triage model")
    sub.add_argument("--study", required=True,
                     help="study key (st-…, as `triage audit` shows it) or file name as the worklist CSV writes it")
    sub.add_argument("--decision", required=True, help="agree or disagree (with the model's predicted class)")
    sub.add_argument("--worklist", help="worklist id (as `triage score` prints it); default: the newest holding "
                                        "the study")
    sub.add_argument("--label", help="the correct class, when it is not implied by the decision")
    sub.add_argument("--reviewer", help="who reviewed (default: the configured user)")
    sub.add_argument("--note", help="free-text note kept with the review")
