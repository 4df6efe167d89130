"""Which sensors of a run-to-failure history the RUL models read, and how their gaps are filled.

A sensor that does not move with wear (a raw file's unnamed setting jitter, a noise channel) only gives the trees
noise to fit, and is left out. A gap is filled from the unit's own neighbouring readings; a sensor a unit never
read takes the training median, and the notes say so, since that unit's RUL then rests on its other sensors.
Used by ``ml.rul_history.HistoryPreprocessor``, which owns the fitted state.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.operating_settings import set_per_unit

NO_TREND = 0.05         # |rank correlation| with the share of life used below which a sensor shows no wear
MIN_TREND_UNITS = 5     # fewer run-to-failure units: too few to tell trend from noise


def trendless_sensors(data: pd.DataFrame, values: pd.DataFrame, regimes: np.ndarray, stats: dict[str, dict], *,
                      unit: str, time: str, notes: list[str]) -> list[str]:
    """Sensors that do not move with wear: within their regime, neither their level nor their spread (distance
    from the median: vibration that grows wilder while its mean stays) has a rank correlation with the share of
    each unit's life used of NO_TREND or more. None ([]) when every sensor would go, or with too few sensors or units
    to tell; what is left out is said in ``notes``."""
    sensors = list(stats)
    if len(sensors) < 2 or data[unit].nunique() < MIN_TREND_UNITS:
        return []
    age = data.groupby(unit)[time].rank(pct=True).to_numpy()
    scores = {}
    for column in sensors:
        z = (values[column].to_numpy(float) - np.take(stats[column]["mean"], regimes)) / np.take(
            stats[column]["std"], regimes)
        level, spread = pd.Series(z), pd.Series(np.abs(z - np.nanmedian(z)))
        scores[column] = max(abs(level.corr(pd.Series(age), method="spearman")),
                             abs(spread.corr(pd.Series(age), method="spearman")))
    # Below three standard errors of a correlation from noise, a 'trend' on a small file means nothing.
    floor = max(NO_TREND, 3 / np.sqrt(len(data)))
    trendless = [c for c, rho in scores.items() if not rho >= floor]
    if not trendless or len(trendless) >= len(sensors):
        return []
    notes.append(f"Left out {', '.join(trendless)}: no trend with the units' age (rank correlation of level "
                 f"or spread with the share of life used below {floor:.2g}), so no sign of wear.")
    per_unit = [c for c in trendless if set_per_unit(values[c], data[unit])]
    if per_unit:
        notes.append(f"{', '.join(per_unit)} {'hold' if len(per_unit) > 1 else 'holds'} one value per unit "
                     "that differs between units: conditions of the run that set how fast units wear (load, "
                     "speed, feed, material) are used when named with --settings ('Operating-setting "
                     "columns' on the page).")
    return trendless


def fill_within_units(values: pd.DataFrame, units: np.ndarray, medians: dict[str, float],
                      notes: list[str]) -> tuple[pd.DataFrame, dict[str, list], list]:
    """Gaps filled within each unit (previous, else next reading), then at the training medians: (values,
    {sensor: units with no value of it}, units with no sensor read at all), with notes."""
    gaps = int(values.isna().sum().sum())
    if not gaps:
        return values, {}, []
    sensors = list(values.columns)
    empty = values.isna().groupby(units, sort=False).all()
    empty_units = {c: empty.index[empty[c]].tolist() for c in sensors if empty[c].any()}
    blind = empty.index[empty[sensors].all(axis=1)].tolist()  # not one sensor read
    absent = [c for c in sensors if values[c].isna().all()]
    values = values.groupby(units, sort=False).transform(lambda s: s.ffill().bfill())
    filled = gaps - int(values.isna().sum().sum())
    values = values.fillna(medians)
    if filled:
        notes.append(f"{filled} missing sensor values were filled within each unit (previous, else next reading).")
    notes.extend(unread_notes(empty_units, absent, empty.shape[0], blind))
    return values, empty_units, blind


def unread_notes(empty_units: dict[str, list], absent: list[str], units: int, blind: list) -> list[str]:
    """Sensors never read, in the whole file or in some units; units with no sensor read at all are named once
    (their RUL is not given: it would be the training medians' RUL, however confident its band)."""
    notes = []
    if blind:
        notes.append(f"{len(blind)} of {units} unit(s) have no sensor reading at all ({', '.join(map(str, blind[:5]))}"
                     f"{' …' if len(blind) > 5 else ''}): their RUL is left empty.")
    if absent and len(blind) < units:
        notes.append(f"No values at all for {', '.join(absent)}: the training median was used throughout, "
                     "so these RULs rest on the other sensors; read them with care.")
    unseen = set(blind)
    partly = {c: [u for u in names if u not in unseen] for c, names in empty_units.items() if c not in absent}
    partly = {c: names for c, names in partly.items() if names}
    if partly:
        parts = [f"{c} in {len(names)} of {units} units ({', '.join(map(str, names[:5]))}"
                 f"{' …' if len(names) > 5 else ''})" for c, names in partly.items()]
        notes.append(f"Sensors with no value at all in some units: {'; '.join(parts)}. There the training median "
                     "was used, so those units' RULs rest on their other sensors.")
    return notes
