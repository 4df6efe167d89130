"""Cautions a scored study carries beside its score: too few pixels to show a finding, or unlike every image
the model was trained on (colour against grey). Such a study stays in the worklist, scored, and its caution
reaches the CLI and the page."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.images import is_colourful

LOW_RESOLUTION_PX = 28            # under the smallest training size: scored, with a caution


def colour_share(images_: pd.Series) -> float:
    """Share of training images in colour (by content), kept with the run to tell unlike studies at scoring."""
    return float(np.mean([is_colourful(a) for a in images_])) if len(images_) else 0.0


def unlike_training(pixels: np.ndarray, name: str, share: float | None) -> str:
    """The caution a study unlike every training image carries: colour scored by a model of grey images (a skin
    photograph scored 0.80, urgent, by a chest X-ray model), or grey by a model of colour photographs."""
    if share is None:
        return ""
    colourful = is_colourful(pixels)
    if colourful and share < 0.05:
        return (f"{name}: a colour image, while the model was trained on greyscale images: it is unlike anything "
                "the model learnt, so its score means little; read it as if unscored.")
    if not colourful and share > 0.95:
        return (f"{name}: a greyscale image, while the model was trained on colour images: it is unlike anything "
                "the model learnt, so its score means little; read it as if unscored.")
    return ""


def low_resolution(pixels: np.ndarray, name: str) -> str:
    """The caution a very small study carries (a 16 × 16 normal scored 1.000 urgent); '' otherwise."""
    height, width = pixels.shape[:2]
    if min(height, width) >= LOW_RESOLUTION_PX:
        return ""
    return (f"{name}: only {width} × {height} pixels (very low resolution, under {LOW_RESOLUTION_PX}): too coarse "
            "to show most findings, so its score is unreliable; read it as if unscored.")
