"""Report use case: build a RunReport for any run and export it in one of the four formats."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from data.records import ReportRecord
from ml import artifacts
from reports import figures
from reports.document import ReportSection, RunReport
from reports.exporters import FORMATS, MEDIA_TYPES, export_report
from services import datasets, labels, runs
from services.errors import NotFoundError, UserFacingError
from services.results import ReportInfo, RunInfo
from services.runtime import Runtime

SectionBuilder = Callable[[Runtime, RunInfo], tuple[ReportSection, ...]]
# Desks register extra sections for their runs: {desk: builder}
SECTION_BUILDERS: dict[str, SectionBuilder] = {}
PURPOSES = {
    "baseline": "Quick cross-validated baseline classifier, to see how much signal a dataset holds before a desk model.",
}
LIMITATIONS = (
    "Metrics are out-of-fold estimates on the uploaded data; performance on new data can differ, "
    "especially if the population shifts.",
    "Explanations (SHAP) describe the model, not causes in the world.",
)
LIMITATIONS_BY_DESK: dict[str, tuple[str, ...]] = {}  # desks whose runs are validated or explained otherwise
# Parameters a desk keeps for its own workings (pandas' frequency code, a table its sections show): not listed
HIDDEN_PARAMETERS: dict[str, tuple[str, ...]] = {}
# Figures a desk's sections show in a table of their own (each model's backtest errors): not listed again
HIDDEN_METRICS: dict[str, Callable[[str], bool]] = {}
# A desk's generated feature names read out for a run (lag7 → 'sales 7 days before')
FEATURE_LABELS: dict[str, Callable[[RunInfo, str], str]] = {}
# Decimals a desk's headline figures are read to (retail's percentages: 'WAPE (%) 12.8', not 12.8001)
METRIC_DECIMALS: dict[str, int] = {}
# A desk's champion in words for the title, where its name alone tells little ('blend of LightGBM 70 %, …')
TITLE_CHAMPIONS: dict[str, Callable[[RunInfo], str]] = {}
# Desks whose runs read no stored dataset (triage reads image folders): (what the data was, how many items)
DATA_SUMMARIES: dict[str, Callable[[RunInfo], tuple[str, int]]] = {}


def _generic_sections(runtime: Runtime, run: RunInfo) -> tuple[ReportSection, ...]:
    sections = []
    metrics = {k: float(v) for k, v in run.metrics.items() if isinstance(v, (int, float))}
    if metrics:
        sections.append(ReportSection("Metrics", "Out-of-fold metrics of the run.",
                                      figures=(figures.metrics_bar_figure(metrics, "Metrics"),)))
    importance = _importance(runtime, run)
    if importance:
        names, values = zip(*sorted(importance.items(), key=lambda kv: -kv[1]))
        table = pd.DataFrame({"feature": names, "mean |SHAP|": values})
        sections.append(ReportSection(
            "Explanations", "Mean absolute SHAP value per feature: how much each column moves predictions.",
            figures=(figures.feature_importance_figure(list(names), list(values), "Feature importance (SHAP)"),),
            tables=(("Feature importance", table),),
        ))
    preds = runs.predictions_frame(runtime, run.id, limit=500)
    if not preds.empty:
        sections.append(ReportSection("Predictions", "First rows of stored predictions.",
                                      tables=(("Predictions (first 500)", preds),)))
    return tuple(sections)


def _importance(runtime: Runtime, run: RunInfo) -> dict[str, float]:
    if not run.artifact_dir:
        return {}
    path = runtime.artifacts_dir / run.artifact_dir / "explanation.json"
    if not path.is_file():
        return {}
    import json

    return json.loads(path.read_text()).get("global_importance", {})


def _load_desk_sections(desk: str) -> None:
    """A desk registers its sections when its service module is imported; import it on demand."""
    import importlib
    import importlib.util

    if desk in SECTION_BUILDERS or not desk.isidentifier():
        return
    for name in (f"services.{desk}_report", f"services.{desk}_views", f"services.{desk}_plan", f"services.{desk}"):
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
            if desk in SECTION_BUILDERS:
                return


def _title(run) -> str:
    """'Finance run 3 — credit-default scoring, champion: blend': the task (in words) names the pipeline, not the
    model that won."""
    champion = next((source.get("champion") for source in (run.metrics, getattr(run, "parameters", None))
                     if isinstance(source, dict) and isinstance(source.get("champion"), str)), None)
    named = TITLE_CHAMPIONS[run.desk](run) if run.desk in TITLE_CHAMPIONS else labels.MODELS.get(champion, champion)
    shown = f", champion: {named}" if isinstance(champion, str) and champion and champion not in run.task else ""
    return f"{run.desk.title()} run {run.id} — {labels.task_label(run.task)}{shown}"


def build_report(runtime: Runtime, run_id: int, *, author: str = "") -> RunReport:
    run = runs.get_run(runtime, run_id)
    dataset = datasets.get_dataset(runtime, run.dataset_id) if run.dataset_id else None
    meta: dict = {}
    if run.artifact_dir and (runtime.artifacts_dir / run.artifact_dir).is_dir():
        meta = artifacts.read_metadata(runtime.artifacts_dir / run.artifact_dir, verify=False)
    _load_desk_sections(run.desk)
    builder = SECTION_BUILDERS.get(run.desk, _generic_sections)
    summary = DATA_SUMMARIES[run.desk](run) if run.desk in DATA_SUMMARIES and not dataset else ("—", 0)
    return RunReport(
        title=_title(run),
        desk=run.desk,
        run_id=run.id,
        created_at=run.created_at,
        purpose=PURPOSES.get(run.desk, f"{run.desk} model run."),
        dataset_name=dataset.name if dataset else summary[0],
        dataset_sha256=dataset.sha256 if dataset else "—",
        dataset_rows=dataset.rows if dataset else summary[1],
        features=_features(run, meta.get("feature_names", [])),
        parameters=_listed_parameters({k: v for k, v in run.parameters.items()
                                       if k not in HIDDEN_PARAMETERS.get(run.desk, ())}),
        metrics=_labelled_metrics({k: v for k, v in run.metrics.items()
                                   if not HIDDEN_METRICS.get(run.desk, lambda name: False)(k)}, run.desk),
        sections=_with_notes(builder(runtime, run), [*_listed(run.parameters.get("warnings")),
                                                     *_listed(run.parameters.get("notes"))]),
        limitations=LIMITATIONS_BY_DESK.get(run.desk, LIMITATIONS),
        library_versions=meta.get("library_versions") or artifacts.library_versions(),
        author=author,
    )


LONG_PARAMETER = 600  # characters of JSON: a longer mapping or list is counted, not dumped, in the report


# Parameters the report shows elsewhere: the dataset (its name, under Data) and the run's notes (a section)
NOT_LISTED = ("dataset_id", "notes", "warnings")


def _features(run: RunInfo, names: list) -> tuple[str, ...]:
    named = FEATURE_LABELS.get(run.desk)
    return tuple(named(run, str(n)) if named else str(n) for n in names)


def _listed_parameters(parameters: dict) -> dict:
    """Parameters as the report lists them, by label ('Random seed', not seed): a long mapping or list (a data
    dictionary, the features' kinds) by its number of entries, desks with sections showing such things as tables
    of their own; a short one in words ('seed: 0, device: cpu'; 'none' when empty) rather than JSON a manager
    would have to read."""
    return {labels.parameter_label(k): f"{_entries(v)} entries (too long to list here)"
            if isinstance(v, (dict, list)) and len(json.dumps(v, default=str)) > LONG_PARAMETER
            else _in_words(labels.parameter_value(k, v)) for k, v in parameters.items() if k not in NOT_LISTED}


def _with_notes(sections: tuple[ReportSection, ...], notes: object) -> tuple[ReportSection, ...]:
    """The run's warnings and notes as paragraphs of their own section, those a desk's section does not already
    show: joined into the parameters list they had read 'Frequency: daily (detected)., The champion …'."""
    unshown = [n for n in (str(n).strip() for n in _listed(notes))
               if n and not any(n in section.text for section in sections)]
    if not unshown:
        return tuple(sections)
    return (*sections, ReportSection("Notes of this run", "\n\n".join(unshown)))


def _in_words(value: object) -> object:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_in_words(v)}" for k, v in value.items()) or "none"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(_in_words(v)) for v in value) or "none"
    return "none" if value is None else value


def _labelled_metrics(metrics: dict, desk: str | None = None) -> dict[str, float]:
    """The run's figures under their readable labels ('Out-of-fold AUC'; the report had read 'Out-of-fold AUC
    (oof_auc)'); a figure without a label keeps its name, and figures that share a label keep their stored names
    beside it, so that none hides another."""
    digits = METRIC_DECIMALS.get(desk or "")
    named = {k: labels.metric_label(k, desk) for k, v in metrics.items()
             if isinstance(v, (int, float)) and not isinstance(v, bool)}
    shared = Counter(named.values())
    return {(label if shared[label] == 1 or label == k else f"{label} ({k})"):
            (round(float(metrics[k]), digits) if digits is not None else float(metrics[k]))
            for k, label in named.items()}


def _listed(value: object) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def _entries(value: object) -> int:
    if isinstance(value, dict):
        return sum(_entries(v) for v in value.values())
    return len(value) if isinstance(value, list) else 1


def export_run_report(runtime: Runtime, run_id: int, fmt: str, *, user: str) -> tuple[ReportInfo, bytes]:
    """Render, write the file atomically, record it and the audit event in one transaction."""
    if fmt not in FORMATS:
        raise UserFacingError(f"Unknown report format {fmt!r}; choose one of {', '.join(FORMATS)}.")
    report = build_report(runtime, run_id, author=user)
    payload = export_report(report, fmt)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    path = runtime.reports_dir / f"run-{run_id}-{stamp}.{fmt}"
    temp = path.with_suffix(path.suffix + ".part")
    temp.write_bytes(payload)
    temp.replace(path)
    digest = hashlib.sha256(payload).hexdigest()
    try:
        with runtime.uow() as uow:
            owner = uow.users.get_or_create(user)
            record = uow.reports.add(ReportRecord(run_id=run_id, format=fmt, file_path=path.name, sha256=digest,
                                                  created_by_id=owner.id))
            uow.audit.add(user_id=owner.id, action="export", object_type="report", object_id=record.id,
                          details={"run_id": run_id, "format": fmt})
            uow.commit()
            info = ReportInfo(record.id, run_id, fmt, path.name, digest, record.created_at)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return info, payload


def list_reports(runtime: Runtime, run_id: int | None = None) -> list[ReportInfo]:
    with runtime.uow() as uow:
        return [ReportInfo(r.id, r.run_id, r.format, r.file_path, r.sha256, r.created_at)
                for r in uow.reports.list(run_id)]


def report_bytes(runtime: Runtime, report_id: int) -> tuple[ReportInfo, bytes]:
    with runtime.uow() as uow:
        record = uow.reports.get(report_id)
        if record is None:
            raise NotFoundError(f"No report {report_id}.")
        info = ReportInfo(record.id, record.run_id, record.format, record.file_path, record.sha256, record.created_at)
    path = runtime.reports_dir / Path(info.file_path).name
    if not path.is_file():
        raise NotFoundError(f"Report file {info.file_path} is missing from the state folder.")
    return info, path.read_bytes()


def record_download(runtime: Runtime, report_id: int, *, user: str) -> None:
    with runtime.uow() as uow:
        owner = uow.users.get_or_create(user)
        uow.audit.add(user_id=owner.id, action="download", object_type="report", object_id=report_id)
        uow.commit()


def media_type(fmt: str) -> str:
    return MEDIA_TYPES[fmt]
