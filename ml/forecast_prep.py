"""Turn a long sales table into regular series: frequency, duplicates, gaps, negatives, short series.

Every change made to the user's data is written down as a note, because a planner must be able to
see that a gap became zero sales or that two rows for one day were summed. Nothing is dropped
silently: a series too short for the global model is listed and forecast by a baseline instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ml.forecast_bridged_gaps import closure_note, single_gap_note, single_gaps
from ml.forecast_calendar import minimum_history
from ml.forecast_cleaning import (drop_typo_spikes, examples, kept_negatives, leading_blanks, missing_everywhere,
                                  not_numbers, numbers_written_as_text, split_future_rows, unknown_tails,
                                  zero_tail_note)
from ml.forecast_columns import DS, ID, IMPUTED, MAX_EXAMPLES, UNITS, Y, ForecastInputError
from ml.forecast_datenums import not_dates, split_date
from ml.forecast_frequency import detect_frequency, intraday_to_days, regular_dates
from ml.forecast_gaps import FILLED, one_off_closures, shut_days
from ml.forecast_periods import quarter_labels_as_dates
from ml.forecast_repeated_gaps import repeated_gaps_hint
from ml.forecast_shape import chose_period_column, missing_columns_message, quantities_as_keys
from ml.forecast_totals import without_totals

__all__ = ["DS", "ID", "IMPUTED", "Y", "ForecastInputError", "PrepOptions", "Prepared", "detect_frequency", "prepare",
           "series_id"]
RESERVED_KEYS = frozenset({ID, DS, Y, IMPUTED, FILLED, "weight", "step", "yhat", "date", "p10", "p50", "p90", "model",
                           "window", "cutoff", "actual", "mean_demand"})  # the desk's own names: not for a user column


@dataclass(frozen=True)
class PrepOptions:
    date: str
    target: str
    series: tuple[str, ...]
    horizon: int
    freq: str | None = None          # None: detect
    fill: str = "zero"               # zero | missing
    duplicates: str = "error"        # error | sum
    negatives: str = "keep"          # keep | clip


@dataclass(frozen=True)
class Prepared:
    frame: pd.DataFrame               # unique_id, ds, y, imputed, key columns, extra columns
    freq: str                         # D | W | M | Q
    pandas_freq: str
    keys: tuple[str, ...]
    extra_columns: tuple[str, ...]
    short_series: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    signed: frozenset = frozenset()   # series often below 0 (returns net off demand): their forecast may go below 0
    own_days: dict = field(default_factory=dict)  # weekly series on weekdays of their own: series id → weekday
    future_rows: pd.DataFrame | None = None  # the table's rows after its last quantity: unique_id, ds, extra columns
    codes: dict = field(default_factory=dict)  # extra columns of text codes read as numbers: column → {code: label}

    @property
    def nonnegative(self) -> bool:
        """No negative quantity anywhere (none sold, or they were clipped)."""
        return not bool((self.frame[Y] < 0).any())

    @property
    def log_scale(self) -> bool:
        """Demand is modelled on a (signed) log1p scale and the seasonal index is offered: no negative
        quantities, or rare ones (returns in at most 1 % of rows). A single return used to switch a whole
        file of sales to the linear scale and drop the seasonal-index candidate."""
        return self.nonnegative or float((self.frame[Y] < 0).mean()) <= RARE_NEGATIVE_SHARE

    def key_values(self) -> pd.DataFrame:
        """One row per series: unique_id and the key columns as the user named them."""
        return self.frame.drop_duplicates(ID)[[ID, *self.keys]].reset_index(drop=True)


def series_id(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.Series:
    """Readable ids such as 'store=1|item=2' (also the stored record_key prefix)."""
    parts = [f"{k}=" + frame[k].astype(str) for k in keys]
    out = parts[0]
    for part in parts[1:]:
        out = out + "|" + part
    return out


def prepare(frame: pd.DataFrame, options: PrepOptions) -> Prepared:
    notes: list[str] = []
    data = _validated(frame, options, notes)
    data, future = split_future_rows(data, notes)
    data = drop_typo_spikes(data, notes)
    data, events = intraday_to_days(data, options, notes)
    data = _merge_duplicates(data, options) if events else data
    _check_duplicates(data, options, notes)
    freq, pandas_freq, data, own_days = regular_dates(data, options, notes)
    data = leading_blanks(_merge_duplicates(data, options), notes)
    notes.extend(zero_tail_note(data))
    signed = kept_negatives(data, clip=options.negatives == "clip", notes=notes)
    data = _fill_gaps(data, freq, pandas_freq, options.series, options.fill, notes)
    periods = data[DS].nunique()
    if options.horizon >= periods:
        raise ForecastInputError(f"The horizon ({options.horizon} periods) is as long as the history or longer "
                                 f"({periods} {UNITS[freq]}); use a horizon shorter than the history.")
    lengths = data.groupby(ID, observed=True)[DS].size()
    needed = minimum_history(freq, options.horizon)
    short = tuple(sorted(lengths.index[lengths < needed]))
    if short:
        notes.append(f"{len(short)} series have fewer than {needed} periods of history and are forecast by a "
                     f"simpler model (not LightGBM): {examples(short)}.")
    _silent_series(data, max(options.horizon, GAP_NOTE_PERIODS[freq]), freq, notes)
    extra = tuple(c for c in data.columns if c not in (ID, DS, Y, IMPUTED, FILLED, *options.series))
    return Prepared(data, freq, pandas_freq, options.series, extra, short, tuple(notes), signed, own_days,
                    future[[ID, DS, *extra]].reset_index(drop=True))


GAP_NOTE_PERIODS = {"D": 14, "W": 4, "M": 2, "Q": 1}  # rows missing this long at the end of a series are named
RARE_NEGATIVE_SHARE = 0.01  # up to this share of rows below 0, demand keeps the log scale (see Prepared.log_scale)


def _silent_series(data: pd.DataFrame, window: int, freq: str, notes: list[str]) -> None:
    """Series with no sale recorded at all, and (gaps left missing) series whose last ``window`` periods or
    more are all gaps: a planner should confirm them rather than discover them. (Series that stopped
    selling, with zeros, are found and forecast at 0 after the models have run.)"""
    observed = data[~data[IMPUTED]]
    # A series blank on every row (a Sticker Sales-like file's Canada/Holographic Goose) has no observed row.
    sold = (observed[Y].abs() > 0).groupby(observed[ID], observed=True).any().reindex(pd.unique(data[ID]),
                                                                                      fill_value=False)
    never = sorted(sold.index[~sold.to_numpy(bool)])
    if never:
        notes.append(f"{len(never)} series have no sales recorded at all; they are forecast at 0: {examples(never)}.")
    position = data.groupby(ID, observed=True).cumcount(ascending=False)  # 0 = the table's last period
    last_seen = position[~data[IMPUTED]].groupby(data[ID][~data[IMPUTED]], observed=True).min()
    gone = sorted(last_seen.index[last_seen.to_numpy() >= window])
    if gone:
        unit = UNITS[freq]
        notes.append(f"{len(gone)} series have no rows for their last {window} {unit} or more (left missing; do they "
                     f"still sell?): {examples(gone)}.")


def _validated(frame: pd.DataFrame, options: PrepOptions, notes: list[str]) -> pd.DataFrame:
    needed = [options.date, options.target, *options.series]
    missing = [c for c in needed if c not in frame.columns]
    if missing or chose_period_column(frame, options.date, options.target):
        raise ForecastInputError(missing_columns_message(frame, missing, options.date, options.target))
    _check_key_names(options)
    if options.horizon < 1:
        raise ForecastInputError("The horizon must be at least 1 period.")
    wide = quantities_as_keys(frame, options.series, options.date, options.target) or split_date(frame, options.date)
    if wide:
        raise ForecastInputError(wide)
    data = _rename_clashing_extras(frame, options, notes)
    data[options.date] = quarter_labels_as_dates(data[options.date], options.date, notes)
    if not pd.api.types.is_datetime64_any_dtype(data[options.date]):
        try:
            data[options.date] = pd.to_datetime(data[options.date], format="ISO8601")
        except (ValueError, TypeError):
            raise ForecastInputError(not_dates(options.date, data[options.date])) from None
    if getattr(data[options.date].dt, "tz", None) is not None:
        data[options.date] = data[options.date].dt.tz_localize(None)
    numbers_written_as_text(data, options.target, notes)
    for column in [c for c in data.columns if c not in (options.date, options.target, *options.series)]:
        numbers_written_as_text(data, column, notes, "Column")  # a price of '$3.49' is a driver, not text
    if not pd.api.types.is_numeric_dtype(data[options.target]) or pd.api.types.is_bool_dtype(data[options.target]):
        raise ForecastInputError(f"Target {options.target!r} must hold numbers (quantities sold)"
                                 f"{not_numbers(data[options.target], data[[*options.series, options.date]])}.")
    incomplete = data[[options.date, *options.series]].isna().any(axis=1)
    if incomplete.any():
        notes.append(f"{int(incomplete.sum())} rows without a date or series key were left out; with --fill zero "
                     "(the default) a period they held, left with no row, counts as 0 sales: fix the dates, or use "
                     "--fill missing.")
        data = data[~incomplete]
    data = without_totals(data, options.series, options.date, options.target, notes)  # 'Total' rows of a report
    if data.empty:
        raise ForecastInputError("No rows with a date and series keys remain.")
    for key in options.series:  # a blank key cell made whole-number keys floats (7.0); they are 7 again
        values = data[key]
        if pd.api.types.is_float_dtype(values) and np.isfinite(values).all() and (values == values.round()).all():
            data[key] = values.astype("int64")
    data[options.target] = data[options.target].astype(float)
    data = data.rename(columns={options.date: DS, options.target: Y})
    data[ID] = series_id(data, options.series)
    return data


def _check_key_names(options: PrepOptions) -> None:
    """Key columns that cannot name series: the date or target column, one named twice, a name the desk uses."""
    if options.target in options.series or options.date in options.series:
        raise ForecastInputError("The series key columns must differ from the date and target columns.")
    repeated = sorted({k for k in options.series if list(options.series).count(k) > 1})
    if repeated:  # '--series Category,Category' had stopped in the backtest with a traceback, a failed job stored
        raise ForecastInputError(f"Series key column(s) {', '.join(map(repr, repeated))} are named more than once; "
                                 "name each key column once.")
    reserved = [k for k in options.series if k in RESERVED_KEYS]
    if reserved:
        raise ForecastInputError(f"A series key column may not be called {reserved[0]!r}: the desk uses that name for "
                                 "its own output. Rename the column (for example to 'series') and try again.")


def _rename_clashing_extras(frame: pd.DataFrame, options: PrepOptions, notes: list[str]) -> pd.DataFrame:
    """Extra columns named like the desk's working columns (y, ds, unique_id…) get a suffix, so the date and
    target chosen by the user are never mistaken for them."""
    chosen = {options.date, options.target, *options.series}
    clashing = {c: c for c in frame.columns if c not in chosen and str(c) in RESERVED_KEYS}
    if not clashing:
        return frame.copy()
    taken = set(map(str, frame.columns))
    for column in clashing:
        new = f"{column}_extra"
        while new in taken:
            new += "_"
        clashing[column] = new
        taken.add(new)
    notes.append("Extra columns renamed because the desk uses their names itself: "
                 + ", ".join(f"{old} → {new}" for old, new in clashing.items()) + ".")
    return frame.rename(columns=clashing)


def _check_duplicates(data: pd.DataFrame, options: PrepOptions, notes: list[str]) -> None:
    """Same series and date twice in the file: stop (default, it often means a missing key) or sum."""
    dupes = data.duplicated([ID, DS], keep=False)
    if not dupes.any():
        return
    pairs = data.loc[dupes, [ID, DS]].drop_duplicates()
    if options.duplicates != "sum":
        listed = "; ".join(f"{r[ID]} on {r[DS].date()}" for r in pairs.head(MAX_EXAMPLES).to_dict("records"))
        raise ForecastInputError(
            f"{len(pairs)} (series, date) pairs appear more than once, e.g. {listed}. Check the series key "
            "columns, or sum them (--duplicates sum; 'Sum duplicate rows' on the page).")
    notes.append(f"{int(dupes.sum())} rows shared a (series, date) with another and were summed.")


def _merge_duplicates(data: pd.DataFrame, options: PrepOptions) -> pd.DataFrame:
    """Rows sharing a (series, period) are summed; extra numeric columns are averaged."""
    if not data.duplicated([ID, DS]).any():
        return data
    numeric = [c for c in data.columns if c not in (ID, DS, Y, *options.series)
               and pd.api.types.is_numeric_dtype(data[c])]
    agg = {Y: lambda s: s.sum(min_count=1), **{c: "mean" for c in numeric}}
    agg.update({c: "first" for c in data.columns if c not in agg and c not in (ID, DS)})
    return data.groupby([ID, DS], as_index=False, sort=False, observed=True).agg(agg)


def _fill_gaps(data: pd.DataFrame, freq: str, pandas_freq: str, keys: tuple[str, ...], fill: str,
               notes: list[str]) -> pd.DataFrame:
    """Each series runs from its first date to the last date of the table, with no holes."""
    end = data[DS].max()
    starts = data.groupby(ID, observed=True)[DS].min()
    pieces = [pd.DataFrame({ID: sid, DS: pd.date_range(start, end, freq=pandas_freq)}) for sid, start in starts.items()]
    key_table = data.drop_duplicates(ID)[[ID, *keys]]
    grid = pd.concat(pieces, ignore_index=True).merge(key_table, on=ID, how="left")
    values = data.drop(columns=list(keys)).sort_values([ID, DS], kind="stable")
    full = grid.merge(values, on=[ID, DS], how="left", indicator=True)
    gap = (full.pop("_merge") == "left_only").to_numpy()
    full[IMPUTED] = full[Y].isna().to_numpy() if fill == "missing" else np.zeros(len(full), dtype=bool)
    full[FILLED] = full[Y].isna().to_numpy()  # either way: a long run of them a year back is not copied forward
    tail = unknown_tails(full, gap, notes)
    shut = shut_days(full[ID].to_numpy(), full[DS], full[Y].to_numpy(), full[FILLED].to_numpy(), freq, notes)
    closed = (one_off_closures(full[ID].to_numpy(), full[Y].to_numpy(), gap, freq, shut) if fill == "zero"
              else gap & False)
    single = single_gaps(full[ID].to_numpy(), full[Y].to_numpy(), gap & ~closed, freq) if fill == "zero" else closed
    # Noted once with their forecast at 0 (services/retail_adjust.py): two notes said nearly the same.
    oneoff, closed = closed | single, closed | shut | single  # not sales: bridged for the lags, not trained on
    full[IMPUTED] = full[IMPUTED].to_numpy() | tail | closed
    extra = [c for c in values.columns if c not in (ID, DS, Y)]
    if gap.any():
        if extra:
            # A gap's row takes its series' nearest earlier row (each series starts on a row of the file); the file's
            # own blank cells stay blank: a Rohlik-like holiday_name, blank on 98 % of days, had carried each
            # holiday's name to every day up to the next.
            real = pd.Series(np.where(gap, np.nan, np.arange(len(full))), index=full.index)
            nearest = real.groupby(full[ID], sort=False).ffill().to_numpy()
            for column in extra:
                full.loc[gap, column] = full[column].to_numpy()[nearest[gap].astype(int)]
            full[extra] = full[extra].infer_objects()  # flags with gaps were object columns: bool again
        how = "set to 0 sales" if fill == "zero" else "marked missing (interpolated for features, not scored)"
        zero = gap & ~closed
        if zero.any():
            how += repeated_gaps_hint(full[ID].to_numpy(), full[Y].to_numpy(), zero, freq) if fill == "zero" else ""
            notes.append(f"{int(zero.sum())} missing periods across {full.loc[zero, ID].nunique()} series were {how}.")
        if fill == "zero":
            notes.extend(missing_everywhere(full, gap & ~closed, freq))  # those not bridged (chance gaps)
            notes.extend([*closure_note(full[ID], oneoff & ~single, freq), *single_gap_note(full[ID], single)])
    blank = int((~gap & ~tail & full[Y].isna().to_numpy()).sum())
    if blank:  # rows that were there but had no usable quantity (blank, NaN, inf)
        how = ("set to 0 (if a blank is a sale not recorded rather than none, as where a file leaves its low "
               "counts out, use --fill missing)" if fill == "zero"
               else "marked missing (interpolated for features, not scored)")
        notes.append(f"{blank} rows had no quantity (a blank, NaN or infinite cell); they were {how}.")
    if fill == "zero":
        carried = full.groupby(ID, sort=False)[Y].ffill()
        full[Y] = np.where(tail, carried, full[Y]).astype(float)
        if closed.any():
            full[Y] = np.where(shut, np.nan, full[Y])
            bridged = full.groupby(ID, sort=False)[Y].transform(lambda s: s.interpolate(limit_area="inside"))
            ends = full.groupby(ID, sort=False)[Y].transform(lambda s: s.interpolate(limit_direction="both"))
            full[Y] = np.where(oneoff, bridged, np.where(shut, ends, full[Y]))
        full[Y] = full[Y].fillna(0.0)
    else:
        full[Y] = np.where(shut, np.nan, full[Y])
        full[Y] = full.groupby(ID, sort=False)[Y].transform(lambda s: s.interpolate(limit_direction="both"))
        full[Y] = full[Y].fillna(0.0)  # a series blank on every row has nothing to interpolate from
    return full.reset_index(drop=True)

