"""Renderers for the finance page's result, what-if and scoring panels (UI only)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from pages import components, finance_fairness
from reports import figures
from reports import finance_figures as ff
from services import finance, finance_batches, finance_report, labels
from services import finance_page_words as words
from services.errors import UserFacingError
from services.glossary import display_names, value_names
from services.results import RunInfo


def results(runtime, run: RunInfo) -> None:
    m = run.metrics
    st.markdown(f"**Run {run.id}** · default label **{m.get('positive_label')}** ({m.get('positive_label_rule')}) · "
                f"{m.get('rows')} rows · {m.get('folds')} folds · Calibration: "
                f"{words.calibration_name(m.get('calibration'))}")
    cols = st.columns(4)
    cols[0].metric("OOF AUC", f"{m['oof_auc']:.3f}", f"{m['oof_auc'] - m['baseline_auc']:+.3f} vs logistic",
                   help=f"Out-of-fold area under the ROC curve: {labels.metric_help('oof_auc')}")
    nested = f"Nested CV: {m['cv_cost_per_case']:.3f}"  # a second estimate, not a change: no delta arrow
    cols[1].metric("Cost per case", f"{m['oof_cost_per_case']:.3f}",
                   help=f"{labels.metric_help('cost_per_case')} {nested} ({labels.metric_help('cv_cost_per_case')})")
    cols[1].caption(nested)
    cols[2].metric("Cut-off (PD)", f"{m['cutoff']:.3f}", help=labels.metric_help("cutoff"))
    bad, good = (run.parameters.get(k) for k in ("cost_bad_approved", "cost_good_declined"))
    if bad is not None and good is not None:  # which costs set this cut-off: the page's boxes may hold others now
        cols[2].caption(f"Costs {float(bad):g} : {float(good):g} (a default approved : a repaid loan declined); "
                        "new costs take effect when you train again.")
    cols[3].metric("Approval rate", f"{m['approval_rate']:.1%}")
    for line in run.parameters.get("warnings", []):  # column names and dictionary text, shown as written
        st.warning(components.plain(words.for_page(line)))  # the page's controls named, not the CLI's flags
    for line in run.parameters.get("notes", []):
        st.info(components.plain(words.for_page(line)))
    left_out = finance_report.left_out_table(run.parameters)  # every column not used, and why
    left_out["why it is not used"] = left_out["why it is not used"].map(words.for_page)
    with st.expander(f"Columns left out ({len(left_out)})", expanded=False):
        st.dataframe(left_out, hide_index=True, key="finance.leftout", placeholder=components.EMPTY)
    table = labels.with_plain_metrics(finance_report.metrics_table(run))
    named = next(c for c in table.columns if c.startswith("champion ("))  # 'champion (blend of …, calibrated)'
    st.caption(f"Champion: {named[len('champion ('):-1]}; the logistic baseline on the same folds beside it.")
    st.dataframe(table, hide_index=True, key="finance.metrics", placeholder=components.EMPTY,
                 column_config={  # one number of decimals; the champion's long name above, not in a cut header
        **{c: st.column_config.NumberColumn(c, format="%.3f") for c in table.columns if table[c].dtype.kind == "f"},
        named: st.column_config.NumberColumn("champion", format="%.3f", help=named),
        "meaning": st.column_config.TextColumn("meaning", width="large")})
    ev = finance.load_evaluation(runtime, run)
    left, right = st.columns(2)
    roc = ev["roc"]
    left.plotly_chart(figures.roc_curve_figure(roc["fpr"], roc["tpr"], m["oof_auc"]), key="finance.roc")
    right.plotly_chart(figures.calibration_figure(ev["calibration"]["predicted"], ev["calibration"]["observed"]),
                       key="finance.calibration")
    left.plotly_chart(ff.cost_curve_figure(ev["cost_curve"], m["cutoff"]), key="finance.cost")
    right.plotly_chart(figures.confusion_matrix_figure(ev["confusion"], ["repaid", "default"],
                                                       title="Actual outcome vs decision at the cut-off",
                                                       decisions=["approve", "decline"], decision_title="Decision"),
                       key="finance.confusion")
    left.plotly_chart(ff.gains_figure(ev["gains"]), key="finance.gains")
    right.plotly_chart(ff.lift_figure(ev["gains"]), key="finance.lift")
    dist = ev["distribution"]
    left.plotly_chart(figures.score_distribution_figure(dist["pd"], ["default" if b else "repaid" for b in dist["bad"]],
                                                        title="PD by actual outcome", x_title="PD"),
                     key="finance.dist")
    right.plotly_chart(ff.grades_figure(ev["grades"]), key="finance.gradesfig")
    st.dataframe(grade_view(ev["grades"]), hide_index=True, key="finance.grades", placeholder=components.EMPTY,
                 column_config={
        name: st.column_config.TextColumn(label) for name, label in GRADE_SHARES.items()})
    shap = finance.load_shap_sample(runtime, run)
    values, data = np.asarray(shap["values"], float), pd.DataFrame(shap["data"])[shap["features"]]
    names = display_names(run.parameters.get("glossary"), shap["features"])  # a data dictionary's names
    left, right = st.columns(2)
    importance = np.abs(values).mean(axis=0)
    left.plotly_chart(figures.feature_importance_figure([names[f] for f in shap["features"]], importance,
                                                        "Feature importance (mean |SHAP|)"), key="finance.importance")
    right.plotly_chart(ff.credit_beeswarm(values, data.rename(columns=names)), key="finance.beeswarm")
    ranked = [shap["features"][i] for i in np.argsort(-importance, kind="stable")]  # the strongest first
    feature = st.selectbox("Dependence of", ranked, format_func=names.get, key="finance.dependence")
    j = shap["features"].index(feature)
    st.plotly_chart(ff.dependence_figure(data[feature].tolist(), values[:, j], names[feature]),
                    key="finance.depchart")


GRADE_SHARES = {"pd_from": "PD from (%)", "pd_to": "PD to (%)", "share": "share of applicants (%)",
                "mean_pd": "mean PD (%)", "observed_default_rate": "observed default rate (%)"}


def grade_view(rows: list[dict]) -> pd.DataFrame:
    """The grades as percent with one decimal throughout (1.3 beside 6.9); a grade without applicants has no
    mean PD nor default rate: "–", not Streamlit's "None"."""
    grades = pd.DataFrame(rows)
    for column in [c for c in GRADE_SHARES if c in grades]:
        grades[column] = [f"{100 * v:.1f}" if pd.notna(v) else components.EMPTY for v in grades[column]]
    return grades


def what_if(runtime, run: RunInfo) -> None:
    frame = finance.training_rows(runtime, run)
    id_column = run.parameters.get("id_column")
    features = run.parameters["features"]
    labels = frame[id_column].astype(str).tolist() if id_column else [str(i + 1) for i in range(len(frame))]
    chosen = st.selectbox("Applicant", range(len(frame)), format_func=lambda i: labels[i], key="finance.applicant")
    row = frame.iloc[[chosen]][features].reset_index(drop=True)
    edited = st.data_editor(row, hide_index=True, key=f"finance.whatif.{run.id}.{chosen}", width="stretch",
                            column_config=_category_pickers(frame, run, row), placeholder=BLANK)
    st.caption(f"A cleared cell reads {BLANK}: the applicant gave no value, which the model reads as missing.")
    emptied = [c for c in features if pd.notna(row.at[0, c]) and pd.isna(edited.at[0, c])]
    if emptied:  # read as missing, as an applicant who left it blank: said, not silently scored
        names = display_names(run.parameters.get("glossary"), emptied)
        st.warning(f"Left blank: {', '.join(names[c] for c in emptied)}. The model reads a blank as a missing "
                   "value, not as zero; the PD and reasons below are for an applicant who gave none.")
    try:
        result = finance.what_if(runtime, run.id, {**frame.iloc[chosen].to_dict(), **edited.iloc[0].to_dict()})
    except UserFacingError as exc:
        st.error(str(exc))
        return
    cols = st.columns(4 if result.expected_loss is not None else 3)
    cols[0].metric("PD", f"{result.pd:.1%}")
    cols[1].metric("Grade", result.grade)
    cols[2].metric("Decision", result.decision)
    if result.expected_loss is not None:  # exposure mapped at training
        cols[3].metric("Expected loss", f"{result.expected_loss:,.0f}", help="PD × LGD × EAD, in the exposure "
                       f"column's units ({run.parameters.get('exposure_column')})")
    for note in result.notes:  # an edited value beyond anything in training
        st.warning(components.plain(words.for_page(note)))
    for number, reason in enumerate(result.reasons, start=1):
        st.text(f"{number}. {reason}")  # as written: Markdown would turn a dictionary's "<=" into "≤"
    score = result.base_value + sum(v for _, v in result.contributions)
    names = display_names(run.parameters.get("glossary"), [n for n, _ in result.contributions])
    st.plotly_chart(figures.waterfall_figure(result.base_value, [(names[n], v) for n, v in result.contributions],
                                             "How the model's score is built (log-odds of default, before "
                                             "calibration)"), key="finance.waterfall")
    st.caption(words.what_if_sentence(score, result.pd))


BLANK = "(blank)"  # an empty what-if cell, in place of the grid's grey "None"
MAX_PICKER_VALUES = 200  # a text column with more values stays free text


def _category_pickers(frame: pd.DataFrame, run: RunInfo, row: pd.DataFrame | None = None) -> dict:
    """Text columns edited by picking one of the values the model was trained on (with a data dictionary's
    meaning beside each): a typed value the model never saw would be read as missing. A field the applicant
    (``row``) has filled offers no blank choice, which would silently make it missing."""
    kinds, glossary = run.parameters.get("feature_kinds") or {}, run.parameters.get("glossary")
    headers = display_names(glossary, run.parameters["features"])  # a dictionary's names as column headers
    pickers = {c: st.column_config.Column(headers[c]) for c in run.parameters["features"]}
    for column in [c for c in run.parameters["features"] if kinds.get(c) == "categorical" and c in frame]:
        names = value_names(glossary, column, frame[column].dropna().unique().tolist())  # in natural order
        values = list(names)
        if 0 < len(values) <= MAX_PICKER_VALUES:
            filled = row is not None and bool(row[column].notna().all())
            pickers[column] = st.column_config.SelectboxColumn(headers[column], options=values,
                                                               format_func=names.get, required=filled)
    return pickers


def scoring(runtime, run: RunInfo, user: str) -> None:
    upload = st.file_uploader("Applicants to score (CSV, TSV or Excel)", type=components.TABLE_TYPES,
                              key="finance.scoreupload")
    if st.button("Score applicants", key="finance.score", disabled=upload is None, type="primary"):
        try:
            with st.spinner("Scoring…"):
                scored, frame = finance.score_upload(runtime, run.id, upload.getvalue(), filename=upload.name,
                                                     user=user)
                st.session_state["finance.scored"], st.session_state["finance.scoredinput"] = scored, frame
        except UserFacingError as exc:
            st.session_state.pop("finance.scored", None)
            st.error(str(exc))
            return
    result, applicants = _shown_batch(runtime, run)
    if result is None:
        return
    st.success(f"Scored {len(result.frame):,} applicants with run {result.run_id}: "
               f"{int((result.frame['decision'] == 'approve').sum()):,} approved.")
    if (about := finance_batches.about(runtime, result)) is not None:
        st.caption(f"Batch {about.batch}: {about.source or 'a file'}, scored {about.scored_at:%Y-%m-%d %H:%M} UTC by "
                   f"{about.user or 'someone'}.")
    for note in result.notes:
        st.info(components.plain(words.for_page(note)))
    if "expected_loss" in result.frame:  # exposure mapped at training: PD × LGD × EAD per applicant, summed
        losses, approved = result.frame["expected_loss"], result.frame["decision"] == "approve"
        left, right = st.columns(2)
        left.metric("Expected loss of the approved applicants", f"{losses[approved].sum():,.0f}",
                    help="Σ PD × LGD × EAD over the applicants approved at the cut-off, in the exposure column's "
                         "units (its currency).")
        right.metric("Expected loss of all applicants", f"{losses.sum():,.0f}",
                     help="Σ PD × LGD × EAD over every scored applicant, approved or not.")
    shown = result.frame.round({"expected_loss": 0}) if "expected_loss" in result.frame else result.frame
    st.dataframe(shown, hide_index=True, key="finance.scoredtable", placeholder=components.EMPTY,
                 column_config={  # downloads keep every digit; no reasons or no exposure: EMPTY, not 'None'
        "pd": st.column_config.NumberColumn("PD", format="percent", help="Probability of default"),
        **{f"reason_{k}": st.column_config.TextColumn(f"reason {k}") for k in (1, 2, 3)},
        "expected_loss": st.column_config.NumberColumn("expected loss", format="localized",
                                                       help="PD × LGD × EAD, in the exposure column's units")})
    left, right = st.columns(2)
    left.download_button("Download CSV", finance.export_scored(result.frame, "csv", excel=True), file_name="scored.csv",
                         mime="text/csv", key="finance.downloadcsv")
    right.download_button("Download XLSX", finance.export_scored(result.frame, "xlsx"), file_name="scored.xlsx",
                          key="finance.downloadxlsx")
    if applicants is not None and len(applicants) == len(result.frame):
        with st.expander("Approval by group in this batch", expanded=True):
            finance_fairness.batch(runtime, run, applicants, result.frame["decision"].tolist())
    st.plotly_chart(ff.psi_figure(result.psi), key="finance.psi")
    st.dataframe(ff.psi_shown(result.psi).sort_values("psi", ascending=False, kind="stable"), hide_index=True,
                 key="finance.psitable", placeholder=components.EMPTY,
                 column_config={"psi": st.column_config.NumberColumn("PSI", format="%.3f")})


def _shown_batch(runtime, run: RunInfo) -> tuple[object | None, pd.DataFrame | None]:
    """The batch the Score tab shows: the one scored with the run in this session, with the applicants read from
    its file; else (a reload, another run picked) the run's latest stored batch, whose file is not kept."""
    result = st.session_state.get("finance.scored")
    if result is not None and result.run_id == run.id:
        return result, st.session_state.get("finance.scoredinput")
    stored = finance_batches.latest_batch(runtime, run)
    if stored is not None:  # read once, not on every rerun of the page (a large batch takes a while to read)
        st.session_state["finance.scored"], st.session_state["finance.scoredinput"] = stored, None
    return stored, None


if __name__ == "__main__":  # opened by its address: not a page; app.py's navigation says so and shows Home
    components.app_frame()
