"""The triage page's review form for one study: it shows the review saved in this worklist, if any, and a review
of the same study made in another worklist apart, never as this one's (UI only)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from services import triage_review, triage_verdicts
from services.errors import UserFacingError

FROM_VERDICT = "(from verdict)"


def review_form(runtime, run_id: int, batch: str, key: str, row: pd.Series, classes: list[str], *, user: str
                ) -> None:
    """A form and widgets of their own per study (popping shared keys left the browser to send the last study's
    verdict and note back), started from the study's saved review in this worklist: coming back to a reviewed study
    had shown empty radios and note."""
    verdict, label, note = _text(row, "verdict"), _text(row, "reviewed_label"), _text(row, "note") or ""
    picked = triage_verdicts.picked_label(verdict, _text(row, "predicted_class"), label, classes,
                                          _text(row, "priority"))
    if earlier := _text(row, "earlier_review"):
        st.info(f"Not reviewed in this worklist. Previously {earlier}. That review belongs to the other worklist; "
                "save one here if you review this study now.")
    study = f"{batch}.{key}"
    with st.form(f"triage.review.{study}"):
        if verdict:
            st.caption(f"Saved review: {verdict}, label {label or 'not set'}, by {_text(row, 'reviewer') or 'unknown'}"
                       f" on {_text(row, 'reviewed_at')}.")
        chosen = st.radio("Verdict", ["agree", "disagree"], horizontal=True, key=f"triage.verdict.{study}",
                          index=["agree", "disagree"].index(verdict) if verdict else None)  # none: no click records
        options = [FROM_VERDICT] + classes
        given = st.selectbox("Correct label (optional)", options, key=f"triage.label.{study}",
                             index=options.index(picked) if picked in options else 0)
        text = st.text_area("Note (optional)", value=note, key=f"triage.note.{study}")
        submitted = st.form_submit_button("Save review")
        if submitted and chosen is None:
            st.error("Pick a verdict (agree or disagree) first: nothing was saved.")
        elif submitted:
            try:
                saved = triage_review.record_review(runtime, run_id, batch, key, chosen, user=user, note=text,
                                                    label=None if given == FROM_VERDICT else given)
            except UserFacingError as exc:
                st.error(str(exc))
            else:
                st.success(f"Review saved ({chosen}; label {saved or 'not set'}).")


def _text(row: pd.Series, name: str) -> str | None:
    """A text cell, None where it is empty or missing (a blank cell may read None or NaN)."""
    value = row.get(name)
    return value if isinstance(value, str) and value else None
