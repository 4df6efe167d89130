"""Triage review use cases: view a worklist, record agree/disagree, export, and read the audit trail.

Every view, review and export writes an audit event (user, time). Exports carry the decision-support
notice and only de-identified keys, scrubbed file names and 8-bit pixels.
"""
from __future__ import annotations

import io
import unicodedata
import zipfile
from typing import Any

import pandas as pd

from data.records import ReviewRecord
from domain import triage as rules
from domain import triage_reviews
from reports.safety import neutralise_frame
from reports.triage_figures import NO_IMAGE_URI, data_uri
from services import runs, triage_audit, triage_format
from services import triage_verdicts as verdicts
from services.errors import NotFoundError, UserFacingError
from services.results import RunInfo
from services.runtime import Runtime
from services.triage import DESK, DISCLAIMER, worklist_dir

# the page's worklist CSV: rank first, as the page lists it; the review made in it; then the reason (why a study needs
# a manual read, or the caution its score carries) and the decision-support notice on every row, so it travels
EXPORT_COLUMNS = ["rank", "file", "p_abnormal", "priority", "predicted_class", "verdict", "reviewed_label", "note",
                  "reviewer", "reviewed_at", "reason", "notice"]


def list_triage_runs(runtime: Runtime) -> list[RunInfo]:
    return runs.list_runs(runtime, desk=DESK)


def list_batches(runtime: Runtime, run_id: int) -> list[str]:
    """Worklist batches of a run, newest first."""
    with runtime.uow() as uow:
        rows = uow.predictions.list(int(run_id), kind="worklist")
        ordered = [r.outputs.get("batch") for r in sorted(rows, key=lambda r: r.id, reverse=True)]
    return list(dict.fromkeys(b for b in ordered if b))


def batch_labels(runtime: Runtime, run_id: int) -> dict[str, str]:
    """Each worklist of a run named as the picker and messages show it: when it was scored (UTC), what was
    uploaded (worklists scored before the name was kept have none), how many studies, then its id
    ('2026-11-30 19:55 UTC · studies.zip · 14 studies · e134cf496e0b'); a bare hex id told them apart by nothing
    a user would recognise."""
    with runtime.uow() as uow:
        scored = {event.object_id: (event.created_at, dict(event.details or {})) for event, _ in uow.audit.find(
            desk=DESK, run_id=int(run_id), action="score", object_type="worklist", limit=None)}
    labels = {}
    for batch in list_batches(runtime, run_id):
        when, details = scored.get(batch, (None, {}))
        labels[batch] = " · ".join(filter(None, (
            f"{when:%Y-%m-%d %H:%M} UTC" if when else "", details.get("source"),
            f"{details['studies']} studies" if "studies" in details else "", batch)))
    return labels


def worklist_file_name(runtime: Runtime, run_id: int, batch: str, suffix: str = "csv", prefix: str = "worklist"
                       ) -> str:
    """'worklist-2026-11-30-e134cf496e0b.csv': the scoring date beside the id."""
    day = batch_labels(runtime, run_id).get(batch, "")[:10]
    return f"{prefix}-{day + '-' if day[:2].isdigit() else ''}{batch}.{suffix}"


def worklist(runtime: Runtime, run_id: int, batch: str, *, user: str, record_view: bool = True) -> pd.DataFrame:
    """The ranked worklist, the latest review of each study made in it (one made in another worklist apart, as
    ``earlier_review``) and picture paths; the view is audited."""
    with runtime.uow() as uow:
        rows = [{"record_key": r.record_key, **r.outputs} for r in uow.predictions.list(int(run_id), kind="worklist")
                if r.outputs.get("batch") == batch]
        current, other = verdicts.split_reviews(verdicts.study_reviews(uow, run_id), batch)
    if not rows:
        raise NotFoundError(f"No worklist {batch!r} for run {run_id}.")
    frame = pd.DataFrame(rows).sort_values("rank").reset_index(drop=True)
    frame["predicted_class"] = _at_operating_point(frame, triage_run(runtime, run_id).parameters)
    frame = frame.assign(**verdicts.review_columns(list(frame["record_key"]), current, other))
    folder = worklist_dir(runtime, batch)
    frame["thumbnail"] = [data_uri(folder / f"{k}.thumb.png", NO_IMAGE_URI) for k in frame["record_key"]]
    if record_view:
        triage_audit.record(runtime, user, "view", "worklist", batch,
                            {"run_id": int(run_id), "studies": len(frame)})
    return frame


def _at_operating_point(frame: pd.DataFrame, parameters: dict[str, Any]) -> list:
    """The predicted class at the run's operating point, for worklists stored when it was the class of highest
    probability ('pneumonia' at p 0.875 beside 'routine'): normal under the cut-off, the abnormal class of two at or
    above it. Runs without a stored cut-off keep what was stored. The cut-off: the worklist's own (on its rows)."""
    threshold, normal = parameters.get("review_threshold"), parameters.get("normal_class")
    stored = list(frame["predicted_class"]) if "predicted_class" in frame else [None] * len(frame)
    if threshold is None or not normal:
        return stored
    abnormal = parameters.get("abnormal_class")
    cuts = frame["review_threshold"].fillna(threshold) if "review_threshold" in frame else [threshold] * len(frame)
    return [c if p is None or pd.isna(p) or (p >= cut and (c != normal or not abnormal))
            else rules.class_at_operating_point(float(p), float(cut), normal, abnormal or c)
            for p, c, cut in zip(frame["p_abnormal"], stored, cuts)]


def record_study_view(runtime: Runtime, run_id: int, batch: str, key: str, *, user: str, file: str = "") -> None:
    """Audited with the study's file name when given: a trail of bare keys (st-02ad…) named no study a reader
    would recognise."""
    triage_audit.record(runtime, user, "view", "study", key,
                        {"run_id": int(run_id), "batch": batch, **({"file": file} if file else {})})


def study_pictures(runtime: Runtime, batch: str, key: str) -> dict[str, bytes | None]:
    folder = worklist_dir(runtime, batch)
    return {name: (folder / f"{key}{suffix}").read_bytes() if (folder / f"{key}{suffix}").is_file() else None
            for name, suffix in (("image", ".png"), ("overlay", ".cam.png"))}


def check_decision(verdict: str) -> str:
    """The verdict, refused by name before any look-up when it is not one the desk records."""
    if verdict not in triage_reviews.VERDICTS:
        raise UserFacingError(f"Unknown decision {verdict!r}: give one of {', '.join(triage_reviews.VERDICTS)}.")
    return verdict


def find_study(runtime: Runtime, run_id: int, study: str, batch: str | None = None) -> tuple[str, str]:
    """(worklist, study key) of a study named by its key (st-…) or by its file name as the worklist writes it,
    in ``batch`` or else the newest worklist of the run holding it: a terminal user has the worklist CSV, which
    names files, not keys. A name several studies of one worklist share is refused with their keys."""
    triage_run(runtime, run_id)
    batches = [batch] if batch else list_batches(runtime, run_id)
    if not batches:
        raise NotFoundError(f"Run {run_id} has no worklist yet: rank studies first (`python cli.py triage score "
                            f"--run {run_id} ...`).")
    with runtime.uow() as uow:
        rows = [(r.outputs.get("batch"), r.record_key, str(r.outputs.get("file", "")), r.outputs.get("rank"))
                for r in uow.predictions.list(int(run_id), kind="worklist")]
    if batch and not any(b == batch for b, *_ in rows):
        raise NotFoundError(f"No worklist {batch!r} for run {run_id}; its worklists: "
                            f"{', '.join(list_batches(runtime, run_id)) or 'none'}.")
    wanted = study.strip()
    names = {_nfc(wanted), _nfc(_as_stored(wanted))}  # a Mac's ZIP stores 'Röntgen' decomposed: looks alike, typed
    for name in batches:  # newest first
        keys = [(key, rank) for b, key, file, rank in rows if b == name and key == wanted] or \
            [(key, rank) for b, key, file, rank in rows if b == name and _nfc(file) in names]
        if len(keys) > 1:
            listed = "; ".join(f"#{rank} {key}" for key, rank in sorted(keys, key=lambda k: k[1] or 0))
            raise UserFacingError(f"{len(keys)} studies of worklist {name} are named {wanted!r} ({listed}): "
                                  "give the study key.")
        if keys:
            return name, keys[0][0]
    raise NotFoundError(f"No study {wanted!r} in {'worklist ' + batch if batch else 'the worklists'} of run "
                        f"{run_id}: give a study key (st-…, as `triage audit` shows it) or a file name as the "
                        "worklist CSV writes it.")


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


def _as_stored(name: str) -> str:
    """A file name as the worklist keeps it, from the CSV's spelling: the CSV writes '=x.png' as "'=x.png" (a
    spreadsheet would run it as a formula), and that spelling found no study."""
    return name[1:] if name.startswith("'") and name[1:2] in ("=", "+", "-", "@", "\t", "\r") else name


def record_review(runtime: Runtime, run_id: int, batch: str, key: str, verdict: str, *, user: str,
                  label: str | None = None, note: str = "") -> str | None:
    """Store a verdict and the label it implies for retraining; returns that label."""
    check_decision(verdict)
    run = triage_run(runtime, run_id)
    frame = worklist(runtime, run_id, batch, user=user, record_view=False)
    match = frame[frame["record_key"] == key]
    if match.empty:
        raise NotFoundError(f"Study {key} is not in worklist {batch}.")
    predicted = match["predicted_class"].iloc[0]
    try:
        reviewed = triage_reviews.reviewed_label(
            verdict, predicted if isinstance(predicted, str) else None, label or None,
            run.parameters.get("classes", []), manual_read=match["priority"].iloc[0] == rules.NEEDS_MANUAL_READ)
    except ValueError as exc:
        message = str(exc)  # not str.capitalize(), which lowered the class names after the first letter ('Cat')
        raise UserFacingError(message[:1].upper() + message[1:] + ".") from None
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        uow.reviews.add(ReviewRecord(run_id=int(run_id), record_key=key, reviewer_id=owner.id, verdict=verdict,
                                     label=reviewed, note=(note or "")[:2000], batch=batch))
        uow.audit.add(user_id=owner.id, action="review", object_type="study", object_id=key,
                      details={"desk": DESK, "run_id": int(run_id), "batch": batch, "file": str(match["file"].iloc[0]),
                               "verdict": verdict, "label": reviewed})
        uow.commit()
    return reviewed


def export_worklist_csv(runtime: Runtime, run_id: int, batch: str, *, user: str) -> bytes:
    """CSV of the ranked worklist and its reviews: the header first, rank first, p_abnormal to 6 decimals (as
    `triage score` writes it; 0.9999990463256836 had been written whole).

    The decision-support notice is a last column, ``notice``, on every row: every export carries it, and a notice
    line above the header made ``pandas.read_csv`` and other tools read the worklist as a single column.
    """
    frame = worklist(runtime, run_id, batch, user=user, record_view=False)
    frame = frame.assign(p_abnormal=[triage_format.csv_probability(p) for p in frame["p_abnormal"]],
                         notice=DISCLAIMER)
    body = neutralise_frame(frame[EXPORT_COLUMNS]).to_csv(index=False)
    triage_audit.record(runtime, user, "export", "worklist", batch,
                        {"run_id": int(run_id), "format": "csv", "rows": len(frame)})
    return body.encode("utf-8-sig")  # the mark: Excel reads accents right


MANIFEST_COLUMNS = ["file", "label", "original_file", "verdict", "note", "reviewer", "p_abnormal", "priority"]


def export_labelled_set(runtime: Runtime, run_id: int, batch: str, *, user: str) -> bytes:
    """A ZIP of class folders (<label>/<key>.png) plus manifest.csv, ready for retraining: file,label first (what
    `triage train --manifest` reads), then what the review was made of: the study's file name as scored
    (de-identified), the verdict, note and reviewer, and the model's score and priority. The images alone are
    named by study key and had lost the name (test_316.png) a reviewer knew them by."""
    frame = worklist(runtime, run_id, batch, user=user, record_view=False)
    folder = worklist_dir(runtime, batch)
    reviewed = frame[frame["verdict"].notna()]
    pictured = [(folder / f"{k}.png").is_file() for k in reviewed["record_key"]]
    has_label = list(reviewed["reviewed_label"].notna())
    labelled = reviewed[[p and lab for p, lab in zip(pictured, has_label)]]
    if labelled.empty:
        raise UserFacingError(verdicts.export_refusal(list(reviewed["file"]), pictured, has_label))
    names = [f"{_safe(label)}/{key}.png" for key, label in zip(labelled["record_key"], labelled["reviewed_label"])]
    manifest = pd.DataFrame({"file": names, "label": list(labelled["reviewed_label"]),
                             "original_file": list(labelled["file"]), "verdict": list(labelled["verdict"]),
                             "note": [n or "" for n in labelled["note"]], "reviewer": list(labelled["reviewer"]),
                             # p_abnormal as the worklist CSV writes it
                             "p_abnormal": [triage_format.csv_probability(p) for p in labelled["p_abnormal"]],
                             "priority": list(labelled["priority"])})
    text = manifest[["file", "label"]].join(neutralise_frame(manifest[MANIFEST_COLUMNS[2:]]))  # notes: no formulas
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", f"{DISCLAIMER}\nLabels come from reviewer verdicts on run {run_id}, worklist "
                                       f"{batch}. manifest.csv: {', '.join(MANIFEST_COLUMNS)}.\n")
        for key, name in zip(labelled["record_key"], names):
            archive.write(folder / f"{key}.png", name)
        archive.writestr("manifest.csv", text.to_csv(index=False))
    triage_audit.record(runtime, user, "export", "labelled_set", batch,
                        {"run_id": int(run_id), "studies": len(labelled)})
    return buffer.getvalue()


def _safe(label: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in str(label)).strip()
    return cleaned or "label"


def audit_trail(runtime: Runtime, limit: int | None = 500) -> pd.DataFrame:
    """Triage audit events, newest first, with the user's name; details read 'run 3 · worklist=…, file=…', not
    JSON."""
    rows = [{**event, "details": " · ".join(filter(None, (f"run {event['details']['run_id']}" if "run_id" in
                                                          event["details"] else "", triage_audit.detail_text(event))))}
            for event in triage_audit.events(runtime, limit)]
    return pd.DataFrame(rows, columns=["time", "user", "action", "object", "id", "details"])


AUDIT_COLUMNS = ["time", "actor", "action", "study", "detail"]


def triage_run(runtime: Runtime, run_id: int) -> RunInfo:
    """The run, refused by name when it does not exist or belongs to another desk."""
    run = runs.get_run(runtime, run_id)
    if run.desk != DESK:
        raise NotFoundError(f"Run {run_id} is not a triage model (it is a {run.desk} run); `python cli.py runs list "
                            "--desk triage` lists them.")
    return run


def run_audit_trail(runtime: Runtime, run_id: int) -> pd.DataFrame:
    """One run's audit events, oldest first: its training, worklists scored, views, reviews and exports. Read
    from every stored event, not the newest 500 the page shows, so an old run's trail is whole."""
    triage_run(runtime, run_id)
    rows = [{"time": e["time"], "actor": e["user"], "action": f"{e['action']} {e['object']}",
             "study": e["id"] if e["object"] == "study" else "", "detail": triage_audit.detail_text(e)}
            for e in reversed(triage_audit.events(runtime, None, int(run_id)))]
    return pd.DataFrame(rows, columns=AUDIT_COLUMNS)
