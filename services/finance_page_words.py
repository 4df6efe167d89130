"""The finance page's words: notes with the page's controls named instead of the CLI's flags (``for_page``, shared
by every desk's page), the run header's plain words."""
from __future__ import annotations

import math

from services.page_words import for_page

__all__ = ["CALIBRATIONS", "calibration_name", "for_page", "what_if_sentence"]  # for_page: shared
CALIBRATIONS = {"platt": "Platt scaling", "isotonic": "isotonic regression", "none": "none (raw scores)"}


def calibration_name(method: object) -> str:
    """'platt' as 'Platt scaling'; an unknown method as written."""
    return CALIBRATIONS.get(str(method), str(method))


def what_if_sentence(score: float, pd_value: float) -> str:
    """The what-if's link from the model's raw score to the calibrated PD, in an analyst's words."""
    raw = 1 / (1 + math.exp(-min(max(score, -700.0), 700.0)))
    return (f"Raw model score {raw:.1%} (log-odds {score:.3f}, before calibration), calibrated to a PD of "
            f"{pd_value:.1%} by the calibration fitted on out-of-fold predictions.")
