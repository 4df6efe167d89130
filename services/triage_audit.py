"""The triage desk's audit events: written with the user for every view, review and export, and read back as plain
values for the page's *Audit trail* tab and `triage audit`. Kept apart from ``services.triage_review``, whose use
cases write and show them; only the triage services import this."""
from __future__ import annotations

from typing import Any

from services import triage_verdicts as verdicts
from services.runtime import Runtime
from services.triage import DESK


def record(runtime: Runtime, user: str, action: str, object_type: str, object_id: Any, details: dict) -> None:
    """One audit event of the desk, by ``user`` (created on first use), in its own transaction."""
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        uow.audit.add(user_id=owner.id, action=action, object_type=object_type, object_id=object_id,
                      details={"desk": DESK, **details})
        uow.commit()


def events(runtime: Runtime, limit: int | None, run_id: int | None = None) -> list[dict[str, Any]]:
    """The triage desk's audit events (of one run, when given), newest first, as plain values with the user's
    name. Filtered in the database, so the limit counts triage events only, however busy the other desks."""
    with runtime.uow() as uow:
        return [{"time": event.created_at, "user": name, "action": event.action, "object": event.object_type,
                 "id": event.object_id, "details": {k: v for k, v in (event.details or {}).items() if k != "desk"}}
                for event, name in uow.audit.find(desk=DESK, run_id=run_id, limit=limit)]


def detail_text(event: dict[str, Any]) -> str:
    """key=value pairs, the worklist first; of a training's metrics only the validation AUC (the rest are in
    `runs list` and the report)."""
    details = {("worklist" if k == "batch" else k): verdicts.NO_LABEL_AUDIT if k == "label" and not v else v
               for k, v in event["details"].items() if k != "run_id"}
    if event["object"] in ("worklist", "labelled_set"):
        details = {"worklist": event["id"], **details}
    metrics = details.pop("metrics", None)
    if isinstance(metrics, dict) and "val_auc" in metrics:
        details["val_auc"] = round(float(metrics["val_auc"]), 4)
    return ", ".join(f"{k}={'/'.join(map(str, v)) if isinstance(v, list) else v}" for k, v in details.items())
