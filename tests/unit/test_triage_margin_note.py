"""The operating cut-off's margin note names three scores; close ones had read alike ("Operating cut-off 0.893:
midway … the lowest validation score it must flag (0.893) and the highest normal score below that (0.893)", on an
NIH-shaped run), so a reader could not see the margin at all."""
from __future__ import annotations

import numpy as np

from services import triage_format
from services.triage_training import pick_cutoff


def test_the_margin_note_keeps_its_three_scores_apart():
    normal = [0.1, 0.2, 0.3, 0.5, 0.892804]
    abnormal = [0.893165, 0.93, 0.95, 0.97, 0.99]
    p, positive = np.array(normal + abnormal), np.array([False] * 5 + [True] * 5)
    note = pick_cutoff(p, positive, 0.95).notes[0]
    assert note.startswith("Operating cut-off 0.8930: midway (in log-odds) between the lowest validation score it "
                           "must flag (0.8932) and the highest normal score below that (0.8928)")


def test_scores_apart_enough_keep_three_significant_digits():
    assert triage_format.apart(0.807, 0.891, 0.679) == ("0.807", "0.891", "0.679")
    assert triage_format.apart(0.0000681, 0.5) == ("0.0000681", "0.500")
