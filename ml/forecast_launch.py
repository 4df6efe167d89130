"""Series too short for the model (a product launched a few weeks ago) are forecast by a baseline that reads their
own few periods: a last value or a recent mean, flat, blind to the season ahead. They take the season ahead of their
established peers instead: the peers' forecast total on each date over what the same baseline, fed the same number of
the peers' latest periods, forecasts for that total. A product launched in a quiet month then rises with its peers in
the busy one, instead of staying at its launch level. Peers are the established series sharing a key value with it
(the same store, the same family), the smallest such group of at least PEERS series, else all of them: two stores of
opposite seasons summed read as no season."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ml.forecast_baselines import baseline
from ml.forecast_columns import DS, ID, Y

PEERS = 5  # established series needed to read a season ahead from
LIMITS = (0.25, 4.0)  # a factor outside them reads a total near 0 (a closing day), not a season
_TOTAL = "__total__"


def season_ahead(point: pd.DataFrame, short: pd.DataFrame, established: pd.DataFrame, established_point: pd.DataFrame,
                 *, keys: tuple[str, ...], name: str, freq: str, pandas_freq: str, horizon: int) -> pd.Series:
    """Per row of ``point`` (the short series' forecast by the baseline ``name``): the factor that puts their peers'
    season ahead on it. 1 where the peers give no such reading (fewer than PEERS, or a total of 0 or below)."""
    factor = pd.Series(1.0, index=point.index)
    groups, peers = _peers(short, established, keys)
    lengths = short.groupby(ID).size()
    jobs: dict[tuple, list[str]] = {}  # (peer group, length) -> short series
    for sid, group in peers.items():
        jobs.setdefault((group, int(lengths[sid])), []).append(sid)
    totals: dict[tuple, tuple[pd.Series, pd.Series]] = {}  # peer group -> its total history and forecast
    for (group, length), sids in jobs.items():
        if group not in totals:
            members = groups[group]
            totals[group] = (established[established[ID].isin(members)].groupby(DS)[Y].sum(min_count=1).dropna(),
                             established_point[established_point[ID].isin(members)].groupby(DS)["yhat"].sum())
        ratio = _ratio(*totals[group], length, name=name, freq=freq, pandas_freq=pandas_freq, horizon=horizon)
        rows = point[ID].isin(sids)
        factor[rows] = point.loc[rows, DS].map(ratio).fillna(1.0).to_numpy(float)
    return factor.where(np.isfinite(factor), 1.0).clip(*LIMITS)


def _ratio(history: pd.Series, ahead: pd.Series, length: int, *, name: str, freq: str, pandas_freq: str,
           horizon: int) -> pd.Series:
    """Date ahead -> the peers' forecast total (``ahead``) over the baseline's forecast of their total (``history``)
    from its last ``length`` periods (NaN where either is not above 0)."""
    totals = history.tail(length)
    if totals.empty:
        return pd.Series(dtype=float)
    frame = pd.DataFrame({ID: _TOTAL, DS: totals.index, Y: totals.to_numpy(float)})
    level = baseline(name, frame, freq, pandas_freq, horizon).set_index(DS)["yhat"]
    total_ahead = ahead.reindex(level.index)
    return (total_ahead / level).where((level > 0) & (total_ahead > 0))


def _peers(short: pd.DataFrame, established: pd.DataFrame, keys: tuple[str, ...]
           ) -> tuple[dict[tuple, pd.Index], dict[str, tuple]]:
    """(peer group -> its established series, short series id -> its peer group): the established series sharing
    a key value with it, the smallest such group of at least PEERS, else all of them; none with fewer than PEERS
    established series."""
    known = established.drop_duplicates(ID)
    if len(known) < PEERS:
        return {}, {}
    groups: dict[tuple, pd.Index] = {("",): pd.Index(known[ID])}
    for key in keys:
        for value, ids in known.groupby(key, sort=False)[ID]:
            if len(ids) >= PEERS:
                groups[(key, value)] = pd.Index(ids)
    peers = {}
    for row in short.drop_duplicates(ID)[[ID, *keys]].to_numpy(object):
        fitting = [(key, value) for key, value in zip(keys, row[1:]) if (key, value) in groups]
        peers[row[0]] = min(fitting, key=lambda group: len(groups[group])) if fitting else ("",)
    return groups, peers
