"""Finance risk: train a credit-default model, read its results, explore applicants, score new ones."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components, finance_fairness, finance_views, job_widgets
from services import finance, reports
from services.errors import UserFacingError
from services.finance_page_words import for_page
from services import glossary as glossary_service

components.app_frame()  # opened by its address first: app.py's navigation, not the folder's
components.keep_values(  # kept across visits to other pages
    "finance.run", "finance.costbad", "finance.costgood", "finance.fmt", "finance.tune", "finance.defaultlgd",
    "finance.positive")
for name, value in (("finance.costbad", 5.0), ("finance.costgood", 1.0), ("finance.tune", 0),
                    ("finance.defaultlgd", 0.45)):  # defaults set here, not in the widgets, which a kept value
    st.session_state.setdefault(name, value)      # would contradict ("created with a default value but also …")
runtime = components.get_runtime()
user = components.current_user()


def _dictionary(dataset_id: int) -> tuple[object, list[str], bool]:
    """An optional data dictionary (the reasons then name coded columns and values as it does), what reading
    it noted, and whether an uploaded one was refused (then nothing trains until it is fixed or removed)."""
    key = f"finance.dictionary.{dataset_id}"
    with st.expander("Data dictionary for the reasons", expanded=st.session_state.get(key) is not None):
        upload = st.file_uploader("Names for coded columns and values: a table with columns column, label and "
                                  "optionally value (one row per code)", type=components.TABLE_TYPES,
                                  key=key)
        if upload is None:
            return None, [], False
        try:
            glossary, notes = glossary_service.read_dictionary(upload.getvalue(), filename=upload.name)
        except UserFacingError as exc:
            st.error(str(exc))
            return None, [], True
        codes = sum(len(v) for v in glossary.values.values())
        st.success(f"{len(glossary.columns)} column name(s) and {codes} code(s) read.")
        for note in [*notes, *glossary_service.preview(runtime, dataset_id, glossary)]:
            st.caption(components.plain(for_page(note)))
        return glossary, notes, False


def _run_label(run) -> str:
    auc = run.metrics.get("oof_auc")
    # What tells runs apart first: the sidebar is narrow and cuts the end.
    return (f"Run {run.id} · {run.created_at:%d %b %H:%M}" + (f" · AUC {auc:.3f}" if auc is not None else "")
            + f" · {run.parameters.get('target')}")


st.title("Finance risk")
st.caption("Calibrated probabilities of default, a cost-based approve/decline cut-off, grades A–G and reasons.")
tab_train, tab_results, tab_whatif, tab_score, tab_fair = st.tabs(
    ["Train", "Results", "Applicant & what-if", "Score", "Fairness"])

with tab_train:
    job_widgets.follow_job_table("finance", "finance.job", finance.KIND)  # a reload shows the running job's table
    info = components.dataset_picker(key="finance",
                                     upload_label="Past loans with an outcome column (CSV, TSV or Excel)",
                                     empty_message="Upload a file of past loans to start.",
                                     prefer=finance.looks_like_loans)
    if info is None:
        st.stop()
    columns = list(info.schema)
    # Choices about a table's columns are keyed by the table (each guessed afresh for another table) and kept
    mine = {name: f"finance.{name}.{info.id}" for name in ("target", "id", "exposure", "lgd", "exclude", "keep")}
    components.keep_values(*mine.values())
    st.session_state.setdefault(mine["target"], finance.outcome_guess(info))
    target = st.selectbox("Outcome (target) column", columns, key=mine["target"])
    left, right = st.columns(2)
    positive = left.text_input("Value(s) meaning default, separated by commas (blank: infer and report)",
                               key="finance.positive",
                               help="The outcome's value(s) that mean default, e.g. bad or 1 (from a terminal: "
                                    "--positive VALUE).")
    id_options = ["(none)", *columns]
    st.session_state.setdefault(mine["id"], next((c for c, r in info.roles.items() if r == "id"), "(none)"))
    id_column = right.selectbox("Applicant id column", id_options, key=mine["id"])
    cost_bad = left.number_input("Cost of approving a loan that defaults", 0.0, key="finance.costbad")
    cost_good = right.number_input("Cost of declining a loan that is repaid", 0.0, key="finance.costgood")
    with st.expander("Monotone constraints, tuning, expected loss"):
        numeric = [c for c, kind in info.schema.items() if kind == "numeric" and c not in (target, id_column)]
        st.caption("+1: the PD may only rise as the value rises (more debt, more risk); −1: it may only fall "
                   "(longer employment, less risk); none: the data decides.")
        kept = st.session_state.setdefault(f"finance.monotone_kept.{info.id}", {})  # a data editor's own state
        constraints = st.data_editor(  # is dropped on another page and cannot be set back: its values are kept
            pd.DataFrame({"column": numeric, "constraint": [kept.get(c, "none") for c in numeric]}), hide_index=True,
            disabled=["column"], key=f"finance.monotone.{info.id}",
            column_config={"constraint": st.column_config.SelectboxColumn("constraint", options=["none", "+1", "-1"],
                                                                          required=True)})
        kept.update(dict(zip(constraints["column"], constraints["constraint"])))
        tune_seconds = st.number_input("Tuning budget in seconds (0 = off)", 0, 3600, key="finance.tune")
        exposure = st.selectbox("Exposure (EAD) column", ["(none)", *numeric], key=mine["exposure"])
        lgd = st.selectbox("LGD column (left out of features)", ["(none)", *numeric], key=mine["lgd"])
        default_lgd = st.number_input("Default LGD", 0.0, 1.0, key="finance.defaultlgd")
    glossary, glossary_notes, refused = _dictionary(info.id)
    exclude = st.multiselect("Columns to leave out: known only after the outcome, or a ground the decision may not "
                             "rest on", [c for c in columns if c not in (target, id_column)],
                             key=mine["exclude"], help="Left out of the model and its explanations (from a terminal: "
                             "--exclude COLUMN).")
    rest = [c for c in columns if c not in (target, id_column, *exclude)]
    after = finance.post_outcome_columns(rest)  # offered first: named like records made after the outcome
    keep = st.multiselect("Columns to keep that the desk would leave out as leaks (named like records made after the "
                          "outcome, or found in training to give it away): only if known at application time",
                          [*after, *(c for c in rest if c not in after)], key=mine["keep"],
                          help="A training's warnings name the columns it left out (from a terminal: --keep "
                          "COLUMN).")
    clicked = st.button("Train model", key="finance.train", type="primary")
    if clicked and refused:
        st.error("The data dictionary above was refused: fix it, or remove it to train without one.")
    elif clicked:
        monotone = {r.column: int(r.constraint) for r in constraints.itertuples() if r.constraint in ("+1", "-1")}
        try:
            params = finance.credit_params(
                info.id, target, positive=positive or None, id_column=None if id_column == "(none)" else id_column,
                cost_bad_approved=cost_bad, cost_good_declined=cost_good, monotone=monotone,
                tune_seconds=tune_seconds, exposure_column=None if exposure == "(none)" else exposure,
                lgd_column=None if lgd == "(none)" else lgd, default_lgd=default_lgd, exclude=tuple(exclude),
                glossary=glossary, glossary_notes=tuple(glossary_notes), keep=tuple(keep))
            finance.check_training(runtime, params)
        except UserFacingError as exc:
            st.error(for_page(str(exc)))
        else:
            job_widgets.submit_job(
                "finance.job", dataset_id=info.id, kind=finance.KIND, desk=finance.DESK, handler=finance.HANDLER,
                params=params, user=user)
    if (job_id := job_widgets.follow_job("finance.job", finance.KIND)) is not None:
        job_widgets.job_panel(job_id, key="finance.job", dataset_id=info.id)

finance_runs = finance.list_runs(runtime)
run = None
if finance_runs:
    new_run = job_widgets.new_run("finance.job")
    if new_run is not None:  # a training just finished: show its run
        st.session_state["finance.run"] = new_run
    labels = {r.id: _run_label(r) for r in finance_runs}
    with st.sidebar:
        run_id = st.selectbox("Finance run", list(labels), format_func=labels.get, key="finance.run")
    run = next(r for r in finance_runs if r.id == run_id)

for tab, render in ((tab_results, finance_views.results), (tab_whatif, finance_views.what_if),
                    (tab_score, None), (tab_fair, finance_fairness.fairness)):
    with tab:
        if run is None:
            st.info("Train a model on the Train tab first.")
        elif render is None:
            finance_views.scoring(runtime, run, user)
        else:
            render(runtime, run)

with tab_results:
    if run is not None:
        fmt = st.selectbox("Report format", list(reports.FORMATS), key="finance.fmt", format_func=str.upper)
        components.report_download(run.id, fmt, key="finance.report", user=user,
                                    file_name=f"finance-run-{run.id}.{fmt}")
