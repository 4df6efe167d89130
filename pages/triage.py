"""Medical triage: train an image classifier, rank new studies into a worklist, review and audit.

Decision support, not diagnosis: the worklist only reorders studies; every study stays on it.
"""
from __future__ import annotations

import pandas as pd
import streamlit as st

from pages import components, job_widgets, triage_review_form
from services import (triage, triage_cutoff, triage_format, triage_inputs, triage_layout, triage_report,
                      triage_report_cutoff, triage_review)
from services.errors import UserFacingError
from services.page_words import for_page

components.app_frame()  # opened by its address first: app.py's navigation, not the folder's
components.keep_values("triage.model", "triage.model_eval")  # kept across visits to other pages
runtime = components.get_runtime()
user = components.current_user()
finished = job_widgets.new_run("triage.job")
if finished is not None:  # a model just trained: validation and the worklist show it, not the one picked before
    st.session_state["triage.model"] = st.session_state["triage.model_eval"] = finished

st.title("Medical triage")
st.warning(triage.DISCLAIMER, icon="⚕️")
tab_train, tab_work, tab_audit = st.tabs(["Train", "Worklist & review", "Audit trail"])

with tab_train:
    upload = st.file_uploader(f"Training images: a ZIP of class folders ({triage_inputs.IMAGE_KINDS})", type=["zip"],
                              key="triage.train_upload")
    manifest = st.file_uploader("Optional manifest CSV (file,label[,split])", type=["csv"], key="triage.manifest")
    left, middle, right = st.columns(3)
    size = left.number_input("Input size (px)", min_value=28, max_value=224, value=64, key="triage.size")
    epochs = middle.number_input("Epochs (most)", min_value=1, max_value=200, value=10, key="triage.epochs")
    target = right.slider("Target sensitivity (for the model trained here)", 0.5, 1.0, 0.95, 0.01, key="triage.target",
                          help="The operating point of the model trained with the button below is chosen on its "
                          "validation images to reach this sensitivity. A model already trained keeps its own cut-off "
                          "(shown under its validation) unless you press “Apply to this run” there.")
    positive = st.text_input("Abnormal class (only if the folder names don't tell)", key="triage.positive")
    if st.button("Train model", key="triage.train", type="primary", disabled=upload is None):
        payload = upload.getvalue()
        try:
            with st.spinner("Checking the training set…"):  # refused now, not by the queued job
                triage_layout.check_training_set([(upload.name, payload)], manifest.getvalue() if manifest else None,
                                                 positive.strip() or None)
            images_path = triage_inputs.stage_upload(runtime, payload, upload.name)
            manifest_path = triage_inputs.stage_upload(runtime, manifest.getvalue(), manifest.name) \
                if manifest else None
            params = triage.train_params(images_path, manifest=manifest_path, size=int(size), epochs=int(epochs),
                                         positive=positive.strip() or None, target_sensitivity=float(target),
                                         cleanup=True)
        except UserFacingError as exc:
            st.error(for_page(f"Nothing was queued for training. {exc}"))  # the page's fields, not the CLI's flags
        else:
            job_widgets.submit_job("triage.job", kind="triage.train", desk=triage.DESK, handler=triage.HANDLER,
                                  params=params, user=user, private=triage.PRIVATE_PARAMS)
    if (job_id := job_widgets.follow_job("triage.job", "triage.train")) is not None:
        job_widgets.job_panel(job_id, key="triage.job")

models = triage_review.list_triage_runs(runtime)
labels = {r.id: f"Run {r.id} · {', '.join(r.parameters.get('classes', []))} · AUC {r.metrics.get('val_auc', 0):.3f}"
          for r in models}

with tab_train:
    if models:
        st.subheader("Validation of a model")
        shown = st.selectbox("Model", list(labels), format_func=labels.get, key="triage.model_eval")
        run = next(r for r in models if r.id == shown)
        metrics = triage_report_cutoff.in_force(run, {}).metrics  # a cut-off moved since training: its figures
        shown_metrics = (("AUC", "val_auc"), ("Sensitivity", "sensitivity"), ("Specificity", "specificity"),
                         ("Threshold", "threshold"), *((("Pixel baseline AUC", "baseline_auc"),)
                                                      if "baseline_auc" in metrics else ()))
        review, _ = triage_format.cutoffs(metrics.get("threshold", 0), metrics.get("urgent_threshold", 1))
        for col, (name, key) in zip(st.columns(len(shown_metrics)), shown_metrics):
            col.metric(name, review if key == "threshold" else triage_format.probability(metrics.get(key, 0)))
        details = triage_report.evaluation(runtime, run)  # duplicates under two labels, few validation images …
        st.caption(triage_report_cutoff.operating_caption(run, details))  # an empty review band said as such
        if moved := run.parameters.get("moved_cutoff"):  # chosen again on the stored run since its training
            just_moved = st.session_state.pop("triage.moved_run", None) == run.id  # said once, in green
            (st.success if just_moved else st.info)(triage_cutoff.moved_text(moved))
        if st.button("Apply to this run", key="triage.move_cutoff",
                     help=f"Choose run {run.id}'s cut-off again on its validation scores for the target sensitivity "
                     f"set above ({target:.2f}). Worklists scored afterwards use it; those scored before keep theirs."):
            try:
                triage_cutoff.move_cutoff(runtime, run.id, float(target), user=user)
            except UserFacingError as exc:
                st.error(str(exc))
            else:  # drawn again, so the figures and caption above are those of the cut-off just moved
                st.session_state["triage.moved_run"] = run.id
                st.rerun()
        for line in triage_report_cutoff.warnings_in_force(run, details):  # at a moved cut-off: worked out again
            st.warning(line)
        for line in triage_report_cutoff.notes_in_force(run, details):  # how validation was grouped, the margin …
            st.info(line)
        if skipped := run.parameters.get("skipped_images", []):  # a NIfTI volume, a file that is no image …
            with st.expander(f"{len(skipped)} file(s) left out of training"):
                st.markdown("\n".join(f"- {line}" for line in skipped))
        for i, fig in enumerate(triage_report.evaluation_figures(runtime, run)):
            st.plotly_chart(fig, key=f"triage.fig.{i}")
        if note := triage_report.calibration_note(run, triage_report.evaluation(runtime, run) or None):
            st.caption(note)  # too few validation images: no calibration chart

with tab_work:
    if not models:
        st.info("No triage model yet: train one on the Train tab.")
    else:
        run_id = st.selectbox("Model", list(labels), format_func=labels.get, key="triage.model")
        studies = st.file_uploader(f"Studies to rank: a ZIP or images ({triage_inputs.IMAGE_KINDS})",
                                   accept_multiple_files=True, type=list(triage_inputs.STUDY_TYPES),
                                   key="triage.studies")
        if st.button("Rank studies", key="triage.rank", disabled=not studies):
            try:
                with st.spinner("Reading, scoring and drawing heat maps…"):
                    result = triage.score_studies(runtime, run_id, [(f.name, f.getvalue()) for f in studies],
                                                  user=user)
            except UserFacingError as exc:
                st.error(f"Nothing was stored. {exc}")
            else:
                st.session_state["triage.batch"] = result.batch
                named = triage_review.batch_labels(runtime, run_id).get(result.batch, result.batch)
                st.success(f"Ranked {len(result.rows)} studies; worklist {named}.")
                if result.ignored:
                    named = [f"{n} ({why})" for n, why in result.ignored_reasons[:10]]  # read before scrubbing
                    st.warning(f"{len(result.ignored)} file(s) were left out: "
                               f"{', '.join(named)}{' …' if len(result.ignored) > 10 else ''}.")
                for caution in result.cautions[:10]:  # scored, but to be read with care
                    st.warning(caution)
        batch_names = triage_review.batch_labels(runtime, run_id)  # newest first: scored when, from what
        batches = list(batch_names)
        if batches:
            if st.session_state.get("triage.batch") not in batches:
                st.session_state["triage.batch"] = batches[0]
            batch = st.selectbox("Worklist", batches, key="triage.batch", format_func=batch_names.get)
            viewed = st.session_state.setdefault("triage.viewed", set())
            frame = triage_review.worklist(runtime, run_id, batch, user=user, record_view=batch not in viewed)
            viewed.add(batch)
            texts = {c: frame[c].fillna("") for c in ("verdict", "reason") if c in frame}  # no class: EMPTY
            # As text, so an unreadable study's cell says so instead of "None" (0.xxx strings sort as numbers do)
            parameters = next(r for r in models if r.id == run_id).parameters
            places = triage_format.decimals_for([parameters.get("urgent_threshold", 1),
                                                 parameters.get("review_threshold", 0)], frame["p_abnormal"])
            texts["p_abnormal"] = frame["p_abnormal"].map(lambda p: triage_format.probability(p, places))
            earlier = ["earlier_review"] if frame["earlier_review"].any() else []  # never as this worklist's verdict
            st.dataframe(frame.assign(**texts)[["rank", "thumbnail", "file", "priority", "p_abnormal",
                                                "predicted_class", "verdict", *earlier, "reason"]],
                         hide_index=True, width="stretch", key="triage.table", placeholder=components.EMPTY,
                         column_config={
                             "thumbnail": st.column_config.ImageColumn("image"),
                             "p_abnormal": st.column_config.TextColumn("p(abnormal)"),
                             "predicted_class": st.column_config.TextColumn(
                                 "class at operating point", help="The normal class below the review cut-off, the "
                                 "(likeliest) abnormal class at or above it: as the priority reads the score."),
                             "earlier_review": st.column_config.TextColumn("review in another worklist"),
                             "reason": st.column_config.TextColumn("caution / why manual read")})
            choices = {k: f"#{r} · {f} · {p}" for k, r, f, p in
                       zip(frame["record_key"], frame["rank"], frame["file"], frame["priority"])}
            key = st.selectbox("Study", list(choices), format_func=choices.get, key="triage.study")
            row = frame.set_index("record_key").loc[key]
            if st.session_state.get("triage.viewed_study") != (batch, key):  # audit each study opened, once
                triage_review.record_study_view(runtime, run_id, batch, key, user=user, file=str(row["file"]))
                st.session_state["triage.viewed_study"] = (batch, key)
            pictures = triage_review.study_pictures(runtime, batch, key)
            if not pictures["image"]:
                st.error(f"Needs manual read: {row['reason']}")
            elif row.get("reason"):  # scored, but unlike the training images: above both, so the two sit level
                st.warning(f"Caution: {row['reason']}")
            left, right = st.columns(2)
            if pictures["image"]:
                left.image(pictures["image"], caption="Study (de-identified pixels)", width="stretch")
            if pictures["overlay"]:
                right.image(pictures["overlay"], width="stretch",
                            caption=f"Grad-CAM · p(abnormal) = {triage_format.probability(row['p_abnormal'], places)}"
                                    f" · {row['priority']} · {triage_format.HEAT_SCALE}")
            triage_review_form.review_form(runtime, run_id, batch, key, row, parameters.get("classes", []),
                                           user=user)
            left, right = st.columns(2)
            prepared = f"{run_id}.{batch}"  # the files prepared for this worklist only: a later batch has its own
            if left.button("Prepare worklist CSV", key="triage.export_csv"):
                st.session_state[f"triage.csv.{prepared}"] = triage_review.export_worklist_csv(runtime, run_id, batch,
                                                                                              user=user)
            if f"triage.csv.{prepared}" in st.session_state:
                left.download_button("Download worklist CSV", st.session_state[f"triage.csv.{prepared}"],
                                     key="triage.dl_csv", mime="text/csv",
                                     file_name=triage_review.worklist_file_name(runtime, run_id, batch))
            if right.button("Prepare reviewed set (ZIP)", key="triage.export_zip"):
                try:
                    st.session_state[f"triage.zip.{prepared}"] = triage_review.export_labelled_set(
                        runtime, run_id, batch, user=user)
                except UserFacingError as exc:
                    right.error(str(exc))
            if f"triage.zip.{prepared}" in st.session_state:
                right.download_button("Download reviewed set", st.session_state[f"triage.zip.{prepared}"],
                                      key="triage.dl_zip", mime="application/zip",
                                      file_name=triage_review.worklist_file_name(runtime, run_id, batch, "zip",
                                                                                 "reviewed"))

with tab_audit:
    trail = triage_review.audit_trail(runtime)
    if trail.empty:
        st.info("No triage activity yet.")
    else:
        st.dataframe(pd.DataFrame(trail), hide_index=True, width="stretch", key="triage.audit",
                     placeholder=components.EMPTY)
