"""The house look every figure shares: template, palette, axis titles and input checks.

Split from reports/figures.py so every figure module (shared builders, model figures and the
desk-specific ones) draws from one place without importing each other; change a colour here and
every chart, on screen and in exports, changes together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

TEMPLATE = "plotly_white"
PRIMARY = "#2E5EAA"
ACCENT = "#E07A1F"
NEUTRAL = "#8A8A8A"
POSITIVE = "#2A9D55"
NEGATIVE = "#C0392B"
PALETTE = (PRIMARY, ACCENT, POSITIVE, NEGATIVE, "#7B4FA0", "#1B9AAA", "#B5651D", NEUTRAL)

ArrayLike = Sequence[float] | np.ndarray | pd.Series


def _style(fig: go.Figure, title: str, x_title: str = "", y_title: str = "") -> go.Figure:
    """Apply the house look; one place so every chart changes together."""
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "x": 0.02, "xanchor": "left"},
        colorway=list(PALETTE),
        margin={"l": 60, "r": 30, "t": 60, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "xanchor": "right", "x": 1.0},
    )
    fig.update_xaxes(title_text=x_title)
    fig.update_yaxes(title_text=y_title)
    return fig


def _floats(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional")
    return array


def _same_length(**arrays: np.ndarray) -> None:
    lengths = {name: len(array) for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"lengths differ: {lengths}")


LONG_EXPONENT = re.compile(r"[eE][+-]?\d{5,}")


def as_numbers(values: pd.Series, errors: str = "coerce") -> pd.Series:
    """``pd.to_numeric``, with text holding a five-digit exponent (a hash id, 8e2569614270f3…) read as no number:
    pandas before 3.0 crashes the process on it (ml.numbers says more; reports do not import ml)."""
    if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
        risky = values.astype("string").str.contains(LONG_EXPONENT).fillna(False).to_numpy(bool)
        if risky.any():
            if errors == "raise":
                raise ValueError(f"Not a number: {values[risky].iloc[0]!r}")
            values = values.where(~risky)
    return pd.to_numeric(values, errors=errors)
