"""AppTest: a study's picture and its heat map sit side by side at the same height, its caution above both. The
caution had been drawn inside the picture's column only, which pushed the picture below its heat map. A stored run
and worklist: no training."""
from __future__ import annotations

import numpy as np
import pandas as pd

from tests.app.test_triage import _page

CAUTION = "scan.png: a colour photograph, while the model was trained on greyscale images: its score means little."


def _stored_worklist(reason: str) -> None:
    from data.records import RunRecord
    from pages import components
    from services import triage

    runtime = components.get_runtime()
    with runtime.uow() as uow:
        owner = uow.users.get_or_create("ana")
        run = uow.runs.add(RunRecord(desk="triage", task="cnn_image_classifier", owner_id=owner.id,
                                     metrics={"val_auc": 0.9, "threshold": 0.5, "urgent_threshold": 0.9},
                                     parameters={"classes": ["normal", "pneumonia"], "abnormal_class": "pneumonia",
                                                 "normal_class": "normal", "review_threshold": 0.5,
                                                 "urgent_threshold": 0.9}, status="succeeded"))
        uow.commit()
        run_id = run.id
    frame = pd.DataFrame({"record_key": ["st-a"], "file": ["scan.png"], "p_abnormal": [0.7], "priority": ["review"],
                          "predicted_class": ["pneumonia"], "rank": [1], "reason": [reason]})
    pixels = np.tile(np.arange(64, dtype=np.uint8), (64, 1))
    triage._store_worklist(runtime, run_id, "b1", frame, {"st-a": pixels}, {"st-a": pixels / 64.0},
                           ("normal", "pneumonia"), user="ana")


def _pictures_row(at):
    """The columns holding the study's picture and its heat map."""
    return [column for column in at.columns if column.get("image")]


def test_a_caution_sits_above_both_pictures_which_share_one_row(app_env):
    _stored_worklist(CAUTION)
    at = _page()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    left, right = _pictures_row(at)
    assert [len(c.get("image")) for c in (left, right)] == [1, 1]
    assert [type(child).__name__ for child in left.children.values()] == ["Image"], \
        "the picture's column holds the picture alone, as the heat map's does"
    assert [type(child).__name__ for child in right.children.values()] == ["Image"]
    assert left.get("image")[0].captions == ["Study (de-identified pixels)"]
    assert right.get("image")[0].captions[0].startswith("Grad-CAM · p(abnormal) = ")
    cautions = [w for w in at.warning if str(w.value) == f"Caution: {CAUTION}"]
    assert len(cautions) == 1, [w.value for w in at.warning]
    in_columns = [w for column in at.columns for w in column.get("alert")]
    assert not any(str(w.value).startswith("Caution:") for w in in_columns)
    nodes = list(at.main)  # in page order
    row = next(n for n in nodes if any(c is left for c in getattr(n, "children", {}).values()))
    assert [c for c in row.children.values() if c is right], "the two pictures share one row"
    assert [i for i, n in enumerate(nodes) if n is cautions[0]] < [i for i, n in enumerate(nodes) if n is row]
