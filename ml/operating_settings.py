"""Operating settings: found by what they hold when no column is named like one, and turned into regimes.

A raw NASA turbofan file has no header: its altitude, Mach number and throttle columns arrive as
``column_3`` .. ``column_5``. Left among the sensors, the six flight conditions of FD002/FD004 swamp
the wear signal. What gives such columns away is their shape, not their name:

- an operating setting sits at a few fixed levels (with at most a little jitter around each);
- it switches level within most units, and not with their age (a 0/1/2 alarm level derived from wear
  has levels too, but it climbs with age; an asset number never changes in a unit);
- text columns with a few values (FC1 … FC6) qualify too, one level per value;
- its levels explain most of the variation in the sensors. A second setting is added when it explains
  clearly more together with the first (two altitudes × three throttle positions); columns whose levels
  only repeat the chosen ones (Mach number when the altitude already tells the flight condition) join
  them, so that a blank in one is filled in by the others.

``regime_points``/``fit_regimes``/``assign_regimes`` turn the chosen columns into regimes: text
settings are one-hot, blanks are left out of the distance rather than read as 0.
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ml.numbers import to_numeric

SAMPLE_ROWS = 20_000
LEVEL_GAP_RATIO = 10.0        # the narrowest gap between levels over the widest range within one
MIN_EXPLAINED = 0.5           # median share of the other columns' variance the first setting must explain
MIN_GAIN = 0.1                # ... and each further one must add
MIN_SWITCHING_UNITS = 0.5     # share of units in which a setting changes level at least once
MAX_AGE_CORRELATION = 0.3     # rank correlation of the level with the unit's age (share of its life)
FOLLOWER_WEAR = 0.2           # a column at one level per condition that drifts this much with age is a sensor
MIN_SILHOUETTE = 0.7          # below this the settings are one regime with noise


def levels(values: pd.Series, max_levels: int) -> np.ndarray | None:
    """Level index per value (-1 where blank) when the column sits at 2..max_levels tight levels, else None.

    Tight: the narrowest gap between levels is LEVEL_GAP_RATIO times the widest range within one. The
    range, not the SD, on purpose: in multi-condition data every sensor clusters by flight condition too,
    but a sensor's wear drift and noise tails widen its levels, while a setting's jitter stays tiny.
    """
    clean = to_numeric(values, errors="coerce").to_numpy(float)
    missing = ~np.isfinite(clean)
    unique = np.unique(clean[~missing])
    if len(unique) < 2 or missing.mean() > 0.05:
        return None
    gaps = np.diff(unique)
    order = np.argsort(gaps, kind="stable")[::-1]
    for k in range(2, min(max_levels, len(unique)) + 1):  # the fewest levels that fit
        cuts = np.sort(order[:k - 1])
        edges = np.r_[0, cuts + 1, len(unique)]
        widths = [unique[b - 1] - unique[a] for a, b in zip(edges[:-1], edges[1:])]
        if gaps[cuts].min() >= LEVEL_GAP_RATIO * max(max(widths), 1e-12):
            return np.where(missing, -1, np.searchsorted(unique[cuts + 1], np.where(missing, 0, clean), side="right"))
    return None


def _column_levels(values: pd.Series, max_levels: int) -> np.ndarray | None:
    """``levels`` for numbers (also numbers stored as text); for text, one level per value (FC1 … FC6)."""
    known = values.notna()
    if to_numeric(values[known], errors="coerce").notna().mean() >= 0.95 or not known.any():
        return levels(values, max_levels)
    codes, uniques = pd.factorize(values.astype("string"))
    if not 2 <= len(uniques) <= max_levels or (codes < 0).mean() > 0.05:
        return None
    return codes


def explained_share(groups: np.ndarray, frame: pd.DataFrame) -> float:
    """Median over the frame's varying columns of the variance share between the groups (one-way R²)."""
    shares = []
    for column in frame.columns:
        values = to_numeric(frame[column], errors="coerce")
        ok = values.notna().to_numpy() & (groups >= 0)
        series = pd.Series(values.to_numpy(float)[ok])
        total = float(series.var(ddof=0)) if len(series) else 0.0
        if not np.isfinite(total) or total <= 0:
            continue
        between = float(series.groupby(groups[ok]).transform("mean").var(ddof=0))
        shares.append(between / total)
    return float(np.median(shares)) if shares else 0.0


def _operating(groups: np.ndarray, units: np.ndarray, age: np.ndarray) -> bool:
    """Switches level within most units (a mode held for dozens of readings too), not in step with their age."""
    pairs = (units[1:] == units[:-1]) & (groups[1:] >= 0) & (groups[:-1] >= 0)
    if not pairs.any():
        return False
    switched = pd.Series((groups[1:] != groups[:-1])[pairs]).groupby(units[1:][pairs]).any()
    if float(switched.mean()) < MIN_SWITCHING_UNITS:
        return False
    ok = groups >= 0
    rho = pd.Series(groups[ok]).corr(pd.Series(age[ok]), method="spearman")
    return bool(np.isfinite(rho) and abs(rho) < MAX_AGE_CORRELATION)


def _whole_units(frame: pd.DataFrame, unit: str, seed: int) -> pd.DataFrame:
    """Up to about SAMPLE_ROWS rows made of whole units (their readings stay in order)."""
    if len(frame) <= SAMPLE_ROWS:
        return frame
    sizes = frame.groupby(unit, sort=False).size()
    shuffled = sizes.sample(frac=1.0, random_state=seed)
    kept = shuffled.index[: max(1, int(np.searchsorted(shuffled.cumsum().to_numpy(), SAMPLE_ROWS)) + 1)]
    return frame[frame[unit].isin(kept)]


def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where((a < 0) | (b < 0), -1, a * (int(b.max()) + 1) + b)


def find_settings(frame: pd.DataFrame, columns: list[str], *, unit: str, max_levels: int = 8,
                  seed: int = 0) -> tuple[list[str], list[str]]:
    """The columns (of ``columns``) that look like operating settings, and those that only follow them (one
    level per regime of the chosen ones: FD004's constant-per-condition sensors); ([], []) when none do.

    ``frame`` is sorted by unit and time (as ``HistoryPreprocessor`` prepares it)."""
    sample = _whole_units(frame, unit, seed)
    units = sample[unit].to_numpy()
    position = sample.groupby(unit, sort=False).cumcount().to_numpy(float)
    length = sample.groupby(unit, sort=False)[unit].transform("size").to_numpy(float)
    age = position / np.maximum(length - 1, 1)
    levelled = {}
    for column in columns:
        found = _column_levels(sample[column], max_levels)
        if found is not None and _operating(found, units, age):
            levelled[column] = found
    others = sample[[c for c in columns if c not in levelled]]
    chosen: list[str] = []
    groups, share = None, 0.0
    while not others.empty:
        best = None
        for column, found in levelled.items():
            joint = found if groups is None else _combine(groups, found)
            if column in chosen or len(np.unique(joint[joint >= 0])) > max_levels:
                continue
            gain = explained_share(joint, others)
            if best is None or gain > best[1]:
                best = (column, gain, joint)
        if best is None or best[1] < (share + MIN_GAIN if chosen else MIN_EXPLAINED):
            break
        chosen.append(best[0])
        groups, share = best[2], best[1]
    if groups is None:
        return [], []
    # columns that only repeat the chosen ones: read as settings too, they fill in where those are blank; not a
    # sensor that sits at one level per condition yet drifts with wear within it (a fan speed in FD004)
    return chosen, [c for c, found in levelled.items() if c not in chosen and _determined_by(groups, found)
                    and not _wears(sample[c], groups, age)]


def _wears(values: pd.Series, groups: np.ndarray, age: np.ndarray) -> bool:
    """The column, measured from its own operating condition's mean, trends with the units' share of life used
    (|rank correlation| ≥ FOLLOWER_WEAR): a sensor reading wear, not a setting."""
    numbers = to_numeric(values, errors="coerce").to_numpy(float)
    ok = np.isfinite(numbers) & (groups >= 0)
    if ok.sum() < 10:
        return False
    frame = pd.DataFrame({"v": numbers[ok], "g": groups[ok]})
    spread = frame.groupby("g")["v"].transform("std").replace(0, np.nan)
    level = (frame["v"] - frame.groupby("g")["v"].transform("mean")) / spread
    rho = level.corr(pd.Series(age[ok]), method="spearman")
    return bool(np.isfinite(rho) and abs(rho) >= FOLLOWER_WEAR)


def settings_notes(found: list[str], followers: list[str]) -> list[str]:
    """What ``find_settings`` found, for the training notes: the settings, then the columns that follow them."""
    notes = []
    if found:
        one = len(found) == 1
        notes.append(f"No column is named as an operating setting; {', '.join(map(str, found))} "
                     f"{'takes' if one else 'take'} a few fixed levels, switching level within the units, "
                     f"that explain most of the sensors' variation, so {'it was' if one else 'they were'} "
                     f"taken as the operating setting{'' if one else 's'} (name the setting columns, "
                     "--settings on the command line, to choose others).")
    if followers:
        notes.append(f"{', '.join(map(str, followers))} take{'s' if len(followers) == 1 else ''} one level "
                     f"per operating condition of {', '.join(map(str, found))} (settings that move with "
                     f"{'it' if len(found) == 1 else 'them'}, or sensors that only follow the condition, "
                     "with no sign of wear): read as settings too, not as sensors.")
    return notes


def _determined_by(groups: np.ndarray, found: np.ndarray) -> bool:
    """Each group holds one level of ``found`` (in 99 % of the rows where both are known)."""
    ok = (groups >= 0) & (found >= 0)
    pairs = pd.DataFrame({"group": groups[ok], "level": found[ok]})
    agreeing = pairs.groupby(["group", "level"]).size().groupby(level="group").max().sum()
    return bool(ok.any()) and agreeing >= 0.99 * ok.sum()


def regime_points(data: pd.DataFrame, columns: list[str], categories: dict[str, list[str]]) -> np.ndarray:
    """Numeric settings as they are, text settings one-hot over their training categories; NaN where blank."""
    parts = []
    for column in columns:
        if column in categories:
            text = data[column].astype("string")
            onehot = np.stack([(text == c).fillna(False).to_numpy(float) for c in categories[column]], axis=1)
            onehot[text.isna().to_numpy()] = np.nan
            parts.append(onehot)
        else:
            parts.append(to_numeric(data[column], errors="coerce").to_numpy(float)[:, None])
    return np.concatenate(parts, axis=1) if parts else np.zeros((len(data), 0))


def fit_regimes(points: np.ndarray, max_regimes: int, seed: int) -> tuple[int, list, list]:
    """(number of regimes, centres, scale) by KMeans on complete rows, the count chosen by silhouette."""
    from sklearn.cluster import KMeans
    from sklearn.metrics import silhouette_score

    complete = points[np.isfinite(points).all(axis=1)]
    if len(complete) < 2:
        return 1, [], []
    scale = complete.std(axis=0)
    scale[scale == 0] = 1.0
    scaled = complete / scale
    rng = np.random.default_rng(seed)
    sample = scaled[rng.choice(len(scaled), min(len(scaled), 1000), replace=False)]
    best: tuple[float, int, Any] = (MIN_SILHOUETTE, 1, None)
    for k in range(2, min(max_regimes, len(np.unique(sample.round(3), axis=0))) + 1):
        model = KMeans(n_clusters=k, n_init=2, random_state=seed).fit(sample)
        score = silhouette_score(sample, model.labels_)
        if score > best[0] + 0.02:
            best = (score, k, model)
    if best[2] is None:
        return 1, [], []
    return best[1], best[2].cluster_centers_.tolist(), scale.tolist()


def assign_regimes(points: np.ndarray, centres: list, scale: list) -> np.ndarray:
    """Nearest centre over the settings each row has (a blank setting is left out, not read as 0)."""
    scaled = points / np.asarray(scale)
    gaps = (scaled[:, None, :] - np.asarray(centres)[None]) ** 2
    return np.nansum(gaps, axis=2).argmin(axis=1)


def set_per_unit(values: pd.Series, units: pd.Series) -> bool:
    """One value per unit (a run's load, feed or material) that is not the same for every unit: a condition of
    the run, which the settings search (levels shared across units' readings) does not look for."""
    per_unit = values.groupby(units.to_numpy(), sort=False).nunique(dropna=True)
    return bool(len(per_unit) > 1 and (per_unit <= 1).all() and values.nunique(dropna=True) > 1)
