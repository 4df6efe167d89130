"""Natural order for labels read by people: unit engine_2 before engine_10, code A42 before A410."""
from __future__ import annotations

import re
from typing import Any

import numpy as np


def natural_key(value: Any) -> tuple:
    """'engine_10' after 'engine_2'; numbers by value; mixed kinds never compared directly."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return ((0, float(value), ""),)
    return tuple((0, float(part), "") if part.isdigit() else (1, 0.0, part)
                 for part in re.split(r"(\d+)", str(value)) if part)
