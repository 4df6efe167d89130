"""What a RUL run's figures cannot say by themselves, and the cap in the time column's own units.

The cap of the piecewise-linear target counts in the time column's units: 125 is 125 cycles, but with a
reading every 10 seconds (or 10,000 ms) a cap of 125 is under 13 readings (or under one), the target is
flat on almost every reading and the validation RMSE looks excellent while saying nothing. Left unset,
the cap is 125 readings in those units; set below a few readings, it is refused.
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from ml.rul_leaks import clock_parts
from ml.rul_shape import TIME, UNIT
from services import columns
from services.errors import UserFacingError

DEFAULT_CAP_READINGS = 125  # the usual C-MAPSS cap, in readings: 125 cycles for cycle-numbered histories
MIN_CAP_READINGS = 5        # a cap under this many readings leaves nothing but the last few to tell apart

FEW_VALIDATION_UNITS = 10  # fewer held-out units make the validation figures a rough guide
LONG_LIFE = 2  # a median unit life this many times the cap deserves a word on the cap (battery cells: 313 on 125)
HUGE_NASA_SCORE = 1e6  # beyond this the score is dominated by one exponential miss
HEALTHY_AT_END = 0.5  # share of the cap: predicted life left at a unit's last reading that does not look failed
SPREAD_UNITS = 8  # held-out units needed to read the usual spread of the predictions at the units' ends
OUTLIVED = 4  # a unit that lived this many times the median unit: ending 'healthy' is no sign it was still running


TIME_WORDS = ((r"cycle", "cycles"), (r"(^|_|\b)ms($|_|\b)|milli", "ms"), (r"hour|(^|_|\b)hrs?($|_|\b)", "hours"),
              (r"min", "minutes"), (r"sec|(^|_|\b)s($|_|\b)", "seconds"), (r"day", "days"), (r"week", "weeks"),
              (r"flight", "flights"), (r"km|mile|distance", "distance units"))


def time_word(time: str, dated: bool, step: float = 1.0) -> str:
    """What the RUL counts in: readings for a column of dates (counted in the usual spacing), else the unit
    the time column's name gives (cycles, hours, ms), else cycles when readings are 1 apart, else the
    column's own units."""
    if dated:
        return "readings"
    name = str(time).lower()
    fallback = "cycles" if step == 1 else f"units of {time!r}"
    return next((word for pattern, word in TIME_WORDS if re.search(pattern, name)), fallback)


def healthy_limit(at_end: dict[Any, float], cap: float, rmse: float | None = None) -> float:
    """Life left at a unit's last reading beyond what the validation error explains: half the cap, twice the
    RMSE, and (with enough held-out units) the median end prediction plus three robust standard deviations.
    A weak model whose units all failed (MetroPT-like, RMSE 26.8 on cap 125) ends them anywhere from 14 to 87
    readings, and four were named as not failed; units stopped early stand apart from those that failed."""
    limit = max(HEALTHY_AT_END * cap, 2 * rmse if rmse is not None else 0.0)
    ends = np.asarray(list(at_end.values()), float)
    if len(ends) >= SPREAD_UNITS:
        median = float(np.median(ends))
        limit = max(limit, median + 3 * 1.4826 * float(np.median(np.abs(ends - median))))
    return limit


def prep_word(prep, step: float) -> str:
    """What a run's RUL counts in: its dates' unit (hours), else as ``time_word`` reads the time column."""
    unit = getattr(prep, "time_unit_", None)
    if unit:
        return str(unit[0])
    return time_word(prep.time, getattr(prep, "time_step_", None) is not None, step)


def ended_healthy_note(at_end: dict[Any, float], cap: float, units: int, word: str = "cycles",
                       rmse: float | None = None, lives: dict[Any, int] | None = None) -> list[str]:
    """Held-out units the models (trained without them) see with much life left at their last reading: if
    they did not fail there (still running, taken out of service), reading the end as a failure misleads
    both the training and the validation (a third of the units stopped early: RMSE 13.6 → 38.2). Only
    held-out units can be checked; on one split that is a fifth of the ``units``."""
    limit = healthy_limit(at_end, cap, rmse)
    alive = {u: r for u, r in at_end.items() if r > limit}
    if not alive:
        return []
    names = sorted(alive, key=lambda u: (isinstance(u, str), u))
    shown = ", ".join(str(u) for u in names[:10]) + (" …" if len(alive) > 10 else "")
    rest = (f" Only the {len(at_end)} held-out units of {units} can be checked this way: others in the file may "
            "not have failed either." if len(at_end) < units else "")
    low, high = f"{min(alive.values()):.0f}", f"{max(alive.values()):.0f}"
    left = f"{low}–{high} {word} of life left at their" if low != high else f"{low} {word} of life left at its"
    named = f"unit{'s' if len(alive) > 1 else ''} {shown}"  # '(12)' alone read as a count
    said = (f"{len(alive)} of {len(at_end)} held-out units end looking healthy ({named}): the models, trained "
            f"without them, put {left} last reading.")
    longest = _longest_lives(names, lives or {})
    if longest:
        return [f"{said} {longest} Leave them out of the training file only if they did not fail there.{rest}"]
    return [f"{said} Every unit's last reading is read as its failure; units that did not fail there (still "
            f"running, or taken out of service) should be left out of the training file.{rest}"]


def _longest_lives(named: list, lives: dict[Any, int]) -> str:
    """When every unit named lived far longer than the usual unit: the models more likely missed how such a long
    life ends than the unit was still running (stopped units have short histories). XJTU-SY-shaped bearings: two of
    2,538 and 2,496 minute-files, where the median bearing lived 161, were named as not failed."""
    if not lives or any(u not in lives for u in named):
        return ""
    median = float(np.median(list(lives.values())))
    if min(lives[u] for u in named) < OUTLIVED * median:
        return ""
    counts = ", ".join(f"{lives[u]:,}" for u in named[:10])
    return (f"Their histories are far longer than the others' ({counts} readings against a median of {median:,.0f}): "
            "the models, which learnt from shorter lives, may misread how such a long one ends.")


def rul_notes(prepared: pd.DataFrame, metrics: dict[str, Any], cap: int, champion: str, word: str = "cycles"
              ) -> list[str]:
    """What the validation figures cannot say: they rest on few units, or the cap is far below the lives."""
    notes = []
    held, folds = metrics["validation_units"], metrics.get("validation_folds", 1)
    if held < FEW_VALIDATION_UNITS:
        turns = f", each held out once in {folds} folds" if folds > 1 else ""
        notes.append(f"The validation figures rest on {held} held-out unit{'s' if held > 1 else ''} "
                     f"({metrics['validation_cuts']} cuts{turns}): the RMSE, the choice of the {champion} model and "
                     "the intervals are rough guides; more run-to-failure units give firmer ones.")
    life = unit_lives(prepared)
    if metrics.get("nasa_score", 0) > HUGE_NASA_SCORE and life <= LONG_LIFE * cap:
        notes.append(f"The NASA score ({metrics['nasa_score']:.3g}) grows exponentially with each miss and is built "
                     f"for cycles near a cap of about 125; with a cap of {cap:g} {word} it says little. Read the RMSE.")
    if life > LONG_LIFE * cap:
        notes.append(f"Units live a median of {life:,.0f} {word} against a RUL cap of {cap:,g}: every reading more "
                     f"than {cap:,g} {word} before the failure counts as healthy, so only the last {cap:,g} {word} are "
                     "told apart (and the NASA score, built for cycles near the cap, grows huge on misses far beyond "
                     "it). Give --cap ('RUL cap' on the page) the horizon maintenance is planned on"
                     + (", or give one row per cycle: readings that share a unit and a time value are averaged into "
                        "one." if word != "cycles" else "."))  # counted in cycles already: no finer rows to merge
    return notes


def usual_step(prepared: pd.DataFrame) -> float:
    """The usual spacing of readings in the time column's units (1 for cycle numbers, 10 for every 10 s)."""
    steps = prepared.groupby(UNIT, sort=False)[TIME].diff().to_numpy(float)
    steps = steps[np.isfinite(steps) & (steps > 0)]
    return float(np.median(steps)) if len(steps) else 1.0


def unit_lives(prepared: pd.DataFrame) -> float:
    """The median unit's life in the time column's units (readings × spacing for cycle numbers)."""
    spans = prepared.groupby(UNIT, sort=False)[TIME].agg(lambda t: float(t.max() - t.min()))
    return float(spans.median()) + usual_step(prepared)


def resolve_cap(cap: float | None, prepared: pd.DataFrame, time: str, word: str = "") -> tuple[float, list[str]]:
    """The cap in the time column's units (``word``: their name, when known), and a note when it was scaled
    from the default 125 readings."""
    step = usual_step(prepared)
    if cap is None:
        cap = DEFAULT_CAP_READINGS * step
        if step == 1:
            return cap, []
        unit = f" {word}" if word else ""
        return cap, [f"Readings of {time!r} are usually {_number(step)}{unit} apart, so RUL is counted in those "
                     f"units: the cap is {DEFAULT_CAP_READINGS} readings, {_number(cap)}{unit}. Give --cap "
                     "('RUL cap' on the page; in the same units) to change it."]
    if cap < MIN_CAP_READINGS * step:
        raise UserFacingError(
            f"The RUL cap of {_number(cap)} is under {MIN_CAP_READINGS} readings: readings of {time!r} are usually "
            f"{_number(step)} apart, and the cap counts in the same units, so nearly every reading would be "
            f"'healthy' and the validation would look perfect while saying nothing. Give a cap in the units of "
            f"{time!r}, e.g. --cap {DEFAULT_CAP_READINGS * step:.0f} for {DEFAULT_CAP_READINGS} readings, or leave "
            "--cap out ('RUL cap' on the page: empty).")
    return cap, []


def window_note(median_life: int, window: int) -> list[str]:
    """Units that live fewer readings than the window (tools worn out in a dozen): the window statistics read
    whole histories, so a scoring unit's short history is no sign it was cut."""
    if median_life >= window:
        return []
    return [f"Units live a median of {median_life} readings, fewer than the {window}-reading window: the window "
            f"statistics read whole histories. A shorter --window (such as {max(2, median_life // 2)}) lets them "
            "compare the latest readings with the earlier ones."]


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


def rul_ignored_note(frame: pd.DataFrame, known: list | None, read: list) -> list[str]:
    """'Ignored 4 column(s) the model does not use: extra; hour, min, s (left out in training: parts of a time of
    day)' for a scored file's columns unknown to training and its clock parts, which training left out (before, a
    file with hour, minute and second columns was told nothing of them). ``known``: the training file's columns
    (runs stored before they were kept: no note); ``read``: the unit, time, settings and sensors the model reads."""
    if not known:
        return []
    names = [str(c) for c in frame.columns]
    unknown = [c for c in names if c not in known]
    clock = clock_parts(frame, [c for c in frame.columns if str(c) in known and str(c) not in read])
    if not clock:
        return columns.ignored_note(names, known)
    parts = [columns.listed(unknown, 8)] if unknown else []
    parts.append(f"{', '.join(map(str, clock))} (left out in training: parts of a time of day)")
    return [f"Ignored {len(unknown) + len(clock)} column(s) the model does not use: {'; '.join(parts)}."]
