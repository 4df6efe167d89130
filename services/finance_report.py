"""Finance sections of the four-format run report (registered with services.reports on import)."""
from __future__ import annotations

import pandas as pd

from reports import figures
from reports import finance_figures as ff
from reports.document import ReportSection
from services import labels, reports
from services.errors import UserFacingError
from services.results import RunInfo
from services.runtime import Runtime

PURPOSE = ("Credit-default scoring: calibrated probabilities of default (PD), a cost-minimising approve/decline "
           "cut-off, risk grades A–G and plain-language reason codes for each applicant.")
LIMITATIONS = (
    "PDs are calibrated on out-of-fold predictions of the training data; a different population or economic "
    "period can shift default rates — watch the PSI of new batches (above 0.25 = shifted).",
    "The cut-off minimises cost for the stated cost matrix on the training data; it is only as right as those costs.",
    "Reason codes describe the model (SHAP), not causes; check them against credit policy before sending to applicants.",
    "Approval and default rates by group are a first fairness check, not a legal assessment.",
)
METRIC_ROWS = ("auc", "gini", "ks", "pr_auc", "brier", "log_loss", "cost_per_case", "cv_cost_per_case", "cutoff")


def metrics_table(run: RunInfo) -> pd.DataFrame:
    """The model and the logistic baseline side by side, same folds."""
    m = run.metrics
    model = {"auc": m.get("oof_auc"), "cost_per_case": m.get("oof_cost_per_case")}
    rows = []
    for name in METRIC_ROWS:
        ours = model.get(name, m.get(name))
        base = m.get(f"baseline_{name}")
        rows.append({"metric": name, f"champion ({champion_in_words(m)}, calibrated)": ours,
                     "logistic baseline": base})
    return pd.DataFrame(rows)


SHARES = (("blend_weight", "lightgbm"), ("forest_weight", "forest"), ("logistic_weight", "logistic"))


def champion_in_words(metrics: dict) -> str:
    """'blend of LightGBM 60 %, random forest 30 %, logistic regression 10 %' (a bare 'blend' told nothing of
    what was blended); a single model by its name."""
    champion = str(metrics.get("champion", "lightgbm"))
    shares = [(labels.MODELS[model], float(metrics[key])) for key, model in SHARES
              if isinstance(metrics.get(key), (int, float)) and float(metrics[key]) > 0]
    if champion != "blend" or not shares:
        return labels.MODELS.get(champion, champion)
    return "blend of " + ", ".join(f"{name} {100 * share:.0f} %" for name, share in shares)


GRADE_PERCENT = {"pd_from": "PD from (%)", "pd_to": "PD to (%)", "share": "share of applicants (%)",
                 "mean_pd": "mean PD (%)", "observed_default_rate": "observed default rate (%)"}


def grades_table(rows: list[dict]) -> pd.DataFrame:
    """The grades with their shares and rates in percent to one decimal, as the page shows them (they were
    printed as fractions, 0.004167); a grade without applicants reads "–"."""
    grades = pd.DataFrame(rows)
    for column in [c for c in GRADE_PERCENT if c in grades]:
        grades[column] = [f"{100 * v:.1f}" if pd.notna(v) else "–" for v in grades[column]]
    return grades.rename(columns=GRADE_PERCENT)


def build_sections(runtime: Runtime, run: RunInfo) -> tuple[ReportSection, ...]:
    from services import finance_scoring

    try:
        ev = finance_scoring.load_evaluation(runtime, run)
        shap = finance_scoring.load_shap_sample(runtime, run)
    except UserFacingError:
        return (settings_section(run), left_out_section(run), *reports._generic_sections(runtime, run))
    m = run.metrics
    roc, base_roc = ev["roc"], ev["baseline_roc"]
    roc_fig = figures.roc_curve_figure(roc["fpr"], roc["tpr"], float(m["oof_auc"]), title="ROC (out-of-fold)")
    roc_fig.add_scatter(x=base_roc["fpr"], y=base_roc["tpr"], mode="lines",
                        name=f"Logistic baseline (AUC = {m['baseline_auc']:.3f})")
    sections = [
        settings_section(run),
        left_out_section(run),
        ReportSection("Discrimination", f"Out-of-fold metrics over {m.get('folds')} stratified folds. Default label: "
                      f"{m.get('positive_label')} ({m.get('positive_label_rule')}).",
                      figures=(roc_fig,), tables=(("Model vs logistic baseline", labels.with_plain_metrics(metrics_table(run))),)),
        ReportSection("Calibration", f"Method chosen on out-of-fold log loss: {m.get('calibration')}.",
                      figures=(figures.calibration_figure(ev["calibration"]["predicted"], ev["calibration"]["observed"]),)),
        ReportSection("Decisions", f"Cost matrix {m.get('cost_bad_approved')}:{m.get('cost_good_declined')} "
                      f"(approving a default : declining a repayer). Cut-off {m['cutoff']:.4f} minimises cost per "
                      f"case at {m['oof_cost_per_case']:.4f}; approval rate {m['approval_rate']:.1%}.",
                      figures=(ff.cost_curve_figure(ev["cost_curve"], float(m["cutoff"])),
                               figures.confusion_matrix_figure(ev["confusion"], ["repaid", "default"],
                                                               title="Actual outcome vs decision at the cut-off",
                                                               decisions=["approve", "decline"],
                                                               decision_title="Decision")),
                      tables=(("Gains and lift by decile", pd.DataFrame(ev["gains"])),)),
        ReportSection("Risk grades", "PD bands per grade with out-of-fold counts and observed default rates.",
                      figures=(ff.grades_figure(ev["grades"]),), tables=(("Grades", grades_table(ev["grades"])),)),
        _shap_section(shap, run.parameters.get("glossary")),
        *_dictionary_section(run.parameters.get("glossary")),
        *_fairness_section(runtime, run),
        *_batches_section(runtime, run),
        ReportSection("Notes and limitations of this run", "\n\n".join(LIMITATIONS + tuple(ev.get("warnings", ())) + tuple(ev.get("notes", ())))),
    ]
    return tuple(sections)


ARROWS = {1: "↑ (increasing)", -1: "↓ (decreasing)"}  # the words keep a PDF without DejaVu readable
SETTING_NAMES = {"positive": "default label", "seed": "random seed", "device": "device"}


def monotone_in_words(constraints: dict | None, glossary: dict | None = None) -> str:
    """'Duration ↑ (increasing), Age ↓ (decreasing)' (a column a data dictionary names by its name), 'none'
    without constraints: the report listed them as the stored mapping ('Duration: 1, Age: -1')."""
    from services.glossary import display_names

    signs = {str(c): int(v) for c, v in (constraints or {}).items() if int(v) in ARROWS}
    names = display_names(glossary, list(signs))
    return ", ".join(f"{names[c]} {ARROWS[sign]}" for c, sign in signs.items()) or "none"


def left_out_table(parameters: dict) -> pd.DataFrame:
    """Every column of the training file not used as a risk factor, and why (column, why); a run stored before
    the list was kept shows its plan's drops and its leak columns."""
    rows = parameters.get("left_out")
    if rows is None:
        leaks = [c for c in parameters.get("leak_columns") or [] if c not in (parameters.get("features") or [])]
        rows = [*({"column": c, "reason": str(why)} for c, why in (parameters.get("dropped") or {}).items()),
                *({"column": c, "reason": "a leak (see the warnings)"} for c in leaks
                  if c not in (parameters.get("dropped") or {}))]
    return pd.DataFrame([(r["column"], r["reason"]) for r in rows], columns=["column", "why it is not used"])


def left_out_section(run: RunInfo) -> ReportSection:
    table = left_out_table(run.parameters)
    if table.empty:
        return ReportSection("Columns left out", "Every column of the file other than the outcome is a risk factor.")
    return ReportSection("Columns left out", f"{len(table)} column(s) of the file are not risk factors of the model "
                         "(besides the outcome column): " + ", ".join(table["column"]) + ".",
                         tables=(("Columns left out and why", table),))


def settings_section(run: RunInfo) -> ReportSection:
    """The model's settings in words, in place of the parameters' 'Model settings' and 'Monotone constraints'
    lines (hidden below), which showed the stored mappings."""
    model = dict(run.parameters.get("model") or {})
    constraints = model.pop("monotone_constraints", None) or run.parameters.get("monotone")
    shown = monotone_in_words(constraints, run.parameters.get("glossary"))
    meaning = (": the PD never falls as an increasing column rises, and never rises as a decreasing one does."
               if shown != "none" else ".")
    rest = ", ".join(f"{SETTING_NAMES.get(k, k.replace('_', ' '))} {v}" for k, v in model.items()
                     if v not in (None, "", {}, []))
    champion = f"Champion: {champion_in_words(run.metrics)}. " if "champion" in (run.metrics or {}) else ""
    return ReportSection("Model settings", f"{champion}Monotone constraints: {shown}{meaning}"
                         + (f" Other settings: {rest}." if rest else ""))


def scored_batches(runtime: Runtime, run: RunInfo) -> pd.DataFrame:
    """One row per file scored with the run, oldest first: when, by whom, which file, rows, approval rate, mean PD
    and the score's PSI with its band (a manager reads whether the population the model serves has moved)."""
    from services import runs

    with runtime.uow() as uow:
        events = [(e.id, e.created_at, name, dict(e.details or {}))
                  for e, name in uow.audit.find(action="score", object_type="run", object_id=str(run.id), limit=None)]
    scored = runs.predictions_frame(runtime, run.id, kind="score")
    rows = []
    for event_id, when, user, details in reversed(events):
        batch = scored[scored["batch"] == event_id] if "batch" in scored.columns else scored.iloc[:0]
        psi = details.get("score_psi")
        rows.append({"scored at": f"{when:%Y-%m-%d %H:%M}", "user": user, "file": details.get("source"),
                     "rows": details.get("rows"),
                     "approval rate": float((batch["decision"] == "approve").mean()) if len(batch) else None,
                     "mean PD": float(batch["pd"].mean()) if len(batch) else None, "score PSI": psi,
                     "PSI band": _score_band(details)})
    return pd.DataFrame(rows, columns=["scored at", "user", "file", "rows", "approval rate", "mean PD", "score PSI",
                                       "PSI band"])


def _score_band(details: dict) -> str | None:
    """The score's band as the batch was judged (stored with it since the bands allow for a batch's size), else
    from its PSI and rows."""
    from domain import finance as rules

    stored = [row.get("band") for row in details.get("psi") or () if row.get("feature") == "(score)"]
    if stored:
        return stored[0]
    psi = details.get("score_psi")
    return rules.psi_band(float(psi), int(details.get("rows") or 0)) if psi is not None else None


def _batches_section(runtime: Runtime, run: RunInfo) -> list[ReportSection]:
    table = scored_batches(runtime, run)
    if table.empty:
        return []
    return [ReportSection("Scored batches", "Every file scored with this run: approval rate and mean PD at the "
                          "run's cut-off, and the population stability of the score against training (PSI under "
                          "0.1 stable, 0.1–0.25 watch, above 0.25 shifted; a batch under 500 rows reads stable "
                          "within what its size reaches by chance, so a small batch can read stable above 0.1).",
                          tables=(("Scored batches", table),))]


def _fairness_section(runtime: Runtime, run: RunInfo) -> list[ReportSection]:
    """The fairness check on up to three columns named like a protected ground or like age, and on the model
    inputs warned about as area proxies; neither: no section."""
    from services import finance_fairness

    checks, proxies = finance_fairness.report_checks(runtime, run)
    sections = []
    if checks:
        text = ("Out-of-fold decisions at the cut-off per group of the columns named like a protected ground or like "
                "age. Approval ratio: the group's approval rate over the most approved group's (groups of 30 or "
                "more); under 0.80 is a common flag for adverse impact.")
        sections.append(ReportSection("Fairness check", "\n\n".join([text, *_check_notes(checks)]),
                                      tables=tuple((column, result.frame) for column, result in checks)))
    if proxies:
        text = ("Not protected grounds: model inputs saying where the applicant (or their bank) is, which the "
                "training warned can stand in for race or national origin (redlining). Out-of-fold decisions at "
                "the cut-off per group: approval rate and observed default rate. A column with more than 20 values "
                "shows its 20 largest groups and 'other'; groups marked '(n<30)' have under 30 applicants, too few "
                "to read, and no approval ratio.")
        sections.append(ReportSection("Fairness check on area proxies", "\n\n".join([text, *_check_notes(proxies)]),
                                      tables=tuple((f"{column} (area proxy)", _marked(result.frame))
                                                   for column, result in proxies)))
    return sections


def _check_notes(checks: list) -> list[str]:
    return [note if note.startswith(column) else f"{column}: {note}" for column, result in checks
            for note in (*result.notes, *result.warnings)]


def _marked(frame: pd.DataFrame) -> pd.DataFrame:
    """Groups under 30 applicants named so in the table, as the page's chart hatches them."""
    from services.finance_fairness import MIN_GROUP

    few = frame["applicants"] < MIN_GROUP
    return frame.assign(group=[f"{g} (n<{MIN_GROUP})" if f else g for g, f in zip(frame["group"], few)])


def _shap_section(shap: dict, glossary: dict | None = None) -> ReportSection:
    import numpy as np

    from services.glossary import display_names

    names = display_names(glossary, shap["features"])  # "Checking account status (laufkont)" with a dictionary
    values = np.asarray(shap["values"], dtype=float)
    data = pd.DataFrame(shap["data"])[shap["features"]].rename(columns=names)
    importance = np.abs(values).mean(axis=0)
    shown = [names[f] for f in shap["features"]]
    table = pd.DataFrame({"feature": shown, "mean |SHAP|": importance}).sort_values("mean |SHAP|", ascending=False)
    return ReportSection(
        "What drives the PD (SHAP)", "Mean absolute SHAP value (log-odds of default) per original column, and each "
        "applicant's effects coloured by the column's value.",
        figures=(figures.feature_importance_figure(shown, importance, "Feature importance (SHAP)"),
                 ff.credit_beeswarm(values, data)),
        tables=(("Feature importance", table),))


def _dictionary_section(glossary: dict | None) -> list[ReportSection]:
    """The data dictionary the reasons speak with: its names for columns and meanings of codes."""
    if not glossary:
        return []
    names = pd.DataFrame(list((glossary.get("columns") or {}).items()), columns=["column", "name in reasons"])
    unseen = {(c, code) for c, v in (glossary.get("unseen") or {}).items() for code in v}
    codes = pd.DataFrame([(c, code, label, "no" if (c, code) in unseen else "yes")
                          for c, v in (glossary.get("values") or {}).items() for code, label in v.items()],
                         columns=["column", "value", "meaning", "in the training data"])
    tables = tuple((title, frame) for title, frame in (("Column names", names), ("Coded values", codes))
                   if len(frame))
    return [ReportSection("Data dictionary", "Reasons and charts name columns and coded values as the data "
                          "dictionary given at training does.", tables=tables)]


reports.SECTION_BUILDERS["finance"] = build_sections
# The 'Model vs logistic baseline' table shows the baseline's figures; the columns and their kinds are listed
reports.HIDDEN_METRICS["finance"] = lambda name: name.startswith("baseline_")
# The model's settings and its monotone constraints read in words in their own section (settings_section)
# ... and the default label as given reads in the rule ('given by the user (yes)'): unset, it read "none" beside the
# label as read
# ... and every column left out, with why, reads in its own section (left_out_section)
reports.HIDDEN_PARAMETERS["finance"] = ("features", "feature_kinds", "model", "monotone", "positive", "dropped",
                                        "left_out")
reports.PURPOSES["finance"] = PURPOSE
reports.TITLE_CHAMPIONS["finance"] = lambda run: champion_in_words(run.metrics)  # not a bare "blend"
