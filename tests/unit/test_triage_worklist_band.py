"""A worklist scored at a cut-off that leaves its 'review' tier empty while the target leaves sensitivity unused
says why with its own cautions (`caution: …` on stderr from `triage score`, `cautions` in its JSON): the caution
had been shown only under the run's validation, and a worklist of 30 urgent, 0 review, 10 routine came without it."""
from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np

from services import triage, triage_training
from tests.support import make_runtime
from tests.triage_support import png_bytes, sample_images


def _validation(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    abnormal = np.array([True] * 150 + [False] * 150)
    return np.clip(np.where(abnormal, rng.normal(0.7, 0.15, 300), rng.normal(0.3, 0.12, 300)), 0.001, 0.999), abnormal


def _score(monkeypatch, tmp_path, target: float) -> triage.Worklist:
    """The service's own reading and ranking around a stand-in model whose run keeps its validation scores."""
    runtime = make_runtime(tmp_path / "var")
    p, abnormal = _validation()
    cut = triage_training.pick_cutoff(p, abnormal, target)
    (runtime.artifacts_dir / "run").mkdir(parents=True)
    (runtime.artifacts_dir / "run" / triage_training.EVALUATION_FILE).write_text(json.dumps(
        {triage_training.VALIDATION: {"p_abnormal": p.tolist(), "abnormal": abnormal.tolist()}}))
    parameters = {"review_threshold": cut.rule.review_threshold, "urgent_threshold": cut.rule.urgent_threshold,
                  "normal_class": "normal"}
    run = SimpleNamespace(id=1, parameters=parameters, artifact_dir="run", metrics={
        "threshold": cut.rule.review_threshold, "urgent_threshold": cut.rule.urgent_threshold,
        "specificity": cut.operating.specificity})
    monkeypatch.setattr(triage, "load_model", lambda rt, run_id: (run, SimpleNamespace(classes_=["normal", "x"])))
    monkeypatch.setattr(triage_training, "predict_with_maps", lambda task, parameters, readable, frame: {})
    monkeypatch.setattr(triage, "_store_worklist", lambda rt, run_id, batch, frame, *rest, **kw: triage.Worklist(
        run_id, batch, ("normal", "x"), frame))
    uploads = [(f"s{i}.png", png_bytes(px)) for i, px in enumerate(sample_images(2)["normal"])]
    return triage.score_studies(runtime, 1, uploads, user="ana")


def test_a_worklist_without_a_review_tier_says_why(monkeypatch, tmp_path):
    cautions = _score(monkeypatch, tmp_path, 0.80).cautions
    assert len(cautions) == 1 and cautions[0].startswith(
        "The 'review' priority holds no validation image at this cut-off: the operating point already reaches the "
        "urgent rule's specificity (0.99 ≥ 0.95)")
    assert "A target sensitivity up to 0.92 flags more of them" in cautions[0]


def test_a_worklist_whose_model_meets_its_target_at_urgent_specificity_says_nothing(monkeypatch, tmp_path):
    assert _score(monkeypatch, tmp_path, 0.90).cautions == ()
