"""Series too short for the model (launches, new shops): forecast by the baseline that did best on their own
backtest, with the season ahead of the established series (``ml.forecast_launch``) and the error shape of all
series at their own noise scale."""
from __future__ import annotations

import pandas as pd

from domain import retail as rules
from ml import forecast_backtest as backtest
from ml import forecast_calendar as calendar
from ml import forecast_launch as launch
from ml import forecast_metrics as metrics
from ml import forecast_models as models
from ml.forecast_prep import ID, Prepared

FEW_ROWS = 4  # a series with fewer rows (a launch, one sale) is forecast from one or a few values: said so


def forecast_level(point: pd.DataFrame) -> pd.Series:
    """Each series' mean |forecast| over the horizon: bands grow with it (``residual_offsets``)."""
    return point.groupby(ID, sort=False)["yhat"].apply(lambda v: v.abs().mean())


def short_baseline(short: pd.DataFrame, prepared: Prepared, table: dict, horizon: int, windows: int
                   ) -> tuple[str, bool]:
    """(baseline, picked on the short series' own backtest): baselines need no training, so short series are
    backtested themselves on the run's windows. The long series' table used to decide, and there a seasonal
    naive wins on items with years of steady seasons; on series under two years (launches, new shops) it
    copies the launch peak of a year ago: +106 % on a hold-out where a 3-month mean was within 6 %. With
    fewer than MIN_OWN_RESIDUALS backtest periods of their own the long series' table still decides."""
    rows = backtest.run_backtest(short, models.FeatureConfig(prepared.freq, prepared.pandas_freq, (), {}, (), ()),
                                 horizon=horizon, windows=windows, include_model=False)
    if not rows.empty and rows["model"].value_counts().min() >= backtest.MIN_OWN_RESIDUALS:
        own = {name: metrics.summary(rows[rows["model"] == name], pd.Series(dtype=float)) for name in models.BASELINES}
        best, picked_on = rules.champion_from_table(own)
        if picked_on != "none":
            return best, True
    return rules.champion_from_table({m: table[m] for m in models.BASELINES if m in table})[0], False


def short_forecast(prepared: Prepared, table: dict, rows: pd.DataFrame, scale: pd.Series, *, horizon: int,
                   windows: int, long_point: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Series too short for the model get the better baseline, times the season ahead of the established series
    (``long_point``: their champion's forecast), with the error shape of all series at their own noise scale
    (``scale``: the long series' band scale)."""
    frame = prepared.frame
    short = frame[frame[ID].isin(prepared.short_series)]
    best, own = short_baseline(short, prepared, table, horizon, windows)
    point = models.baseline(best, short, prepared.freq, prepared.pandas_freq, horizon)
    point["yhat"] = point["yhat"] * launch.season_ahead(
        point, short, frame[~frame[ID].isin(prepared.short_series)], long_point, keys=prepared.keys, name=best,
        freq=prepared.freq, pandas_freq=prepared.pandas_freq, horizon=horizon)
    own_scale = metrics.band_scale(short, calendar.YEAR_LENGTH[prepared.freq])
    own_scale = own_scale.fillna(short.groupby(ID)["y"].apply(lambda s: s.abs().mean()))
    offsets = backtest.residual_offsets(rows[rows["model"] == best], scale, now=own_scale,
                                        level=forecast_level(point))
    notes.append(f"{len(prepared.short_series)} short series were forecast with {best}, the baseline that did best "
                 + ("on their own backtest" if own else "on the other series' backtest (they are too short to be "
                    "backtested themselves)")
                 + ", following the season ahead in the forecast of their established peers (the series sharing a "
                 "store, item or other key value with them, else all the others): their own few periods miss it.")
    sizes = short.groupby(ID).size()
    tiny = sizes[sizes < FEW_ROWS]
    if len(tiny):
        shown = ", ".join(f"{sid} ({n} row{'s' if n > 1 else ''})" for sid, n in tiny.head(5).items())
        notes.append(f"{len(tiny)} of them have fewer than {FEW_ROWS} rows, so their forecast rests on one or a few "
                     f"values: {shown}{' …' if len(tiny) > 5 else ''}. Treat it as a placeholder.")
    out = backtest.apply_band(point, offsets, signed=prepared.signed)
    out["model"] = best
    return out
