"""Turn a long sales table into regular series: frequency, duplicates, gaps, negatives, short series.

Every change made to the user's data is written down as a note, because a planner must be able to
see that a gap became zero sales or that two rows for one day were summed. Nothing is dropped
silently: a series too short for the global model is listed and forecast by a baseline instead.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ml.forecast_calendar import FREQUENCIES, minimum_history

ID, DS, Y, IMPUTED = "unique_id", "ds", "y", "imputed"
# Working columns and stored output fields a user's column must not shadow.
RESERVED_KEYS = frozenset({ID, DS, Y, IMPUTED, "weight", "step", "yhat", "date", "p10", "p50", "p90", "model",
                           "window", "cutoff", "actual"})
PANDAS_FREQ = {"D": "D", "M": "MS"}  # weekly gets its anchor weekday: W-MON … W-SUN
WEEKDAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
DAILY_STEP_SHARE = 0.3   # this share of steps that are not whole weeks (nor months) means daily data, however sparse
WEEKDAY_SHARE = 0.9      # weekly dates keep their weekday when at least this share of rows fall on it
WEEK_GAP_SLACK = 0.1     # up to this share of steps may be off whole weeks (stray rows) in sparse weekly data
MAX_EXAMPLES = 5


class ForecastInputError(ValueError):
    """The table cannot be forecast as it is; the message says what to change."""


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
    freq: str                         # D | W | M
    pandas_freq: str
    keys: tuple[str, ...]
    extra_columns: tuple[str, ...]
    short_series: tuple[str, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)
    signed: frozenset = frozenset()   # series often below 0 (returns net off demand): their forecast may go below 0

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
    _check_duplicates(data, options, notes)
    freq, pandas_freq, data = _regular_dates(data, options, notes)
    data = _merge_duplicates(data, options)
    signed = _negatives(data, options, notes)
    data = _fill_gaps(data, pandas_freq, options.series, options.fill, notes)
    periods = data[DS].nunique()
    if options.horizon >= periods:
        raise ForecastInputError(f"The horizon ({options.horizon} periods) is as long as the history or longer "
                                 f"({periods} {freq} periods); use a horizon shorter than the history.")
    lengths = data.groupby(ID, observed=True)[DS].size()
    needed = minimum_history(freq, options.horizon)
    short = tuple(sorted(lengths.index[lengths < needed]))
    if short:
        notes.append(f"{len(short)} series have fewer than {needed} periods of history and are forecast by a "
                     f"simpler model picked on the backtest (not LightGBM): {_examples(short)}.")
    _silent_series(data, max(options.horizon, GAP_NOTE_PERIODS[freq]), freq, notes)
    extra = tuple(c for c in data.columns if c not in (ID, DS, Y, IMPUTED, *options.series))
    return Prepared(data, freq, pandas_freq, options.series, extra, short, tuple(notes), signed)


GAP_NOTE_PERIODS = {"D": 14, "W": 4, "M": 2}  # rows missing this long at the end of a series are named
RARE_NEGATIVE_SHARE = 0.01  # up to this share of rows below 0, demand keeps the log scale (see Prepared.log_scale)
SIGNED_SHARE = 0.05  # a series below 0 in more of its periods nets returns off demand: its forecast may go below 0


def _silent_series(data: pd.DataFrame, window: int, freq: str, notes: list[str]) -> None:
    """Series with no sale recorded at all, and (gaps left missing) series whose last ``window`` periods or
    more are all gaps: a planner should confirm them rather than discover them. (Series that stopped
    selling, with zeros, are found and forecast at 0 after the models have run.)"""
    observed = data[~data[IMPUTED]]
    sold = observed.groupby(ID, observed=True)[Y].apply(lambda s: bool((s.abs() > 0).any()))
    never = sorted(sold.index[~sold.to_numpy(bool)])
    if never:
        notes.append(f"{len(never)} series have no sales recorded at all; they are forecast at 0: {_examples(never)}.")
    position = data.groupby(ID, observed=True).cumcount(ascending=False)  # 0 = the table's last period
    last_seen = position[~data[IMPUTED]].groupby(data[ID][~data[IMPUTED]], observed=True).min()
    gone = sorted(last_seen.index[last_seen.to_numpy() >= window])
    if gone:
        unit = {"D": "days", "W": "weeks", "M": "months"}[freq]
        notes.append(f"{len(gone)} series have no rows for their last {window} {unit} or more (left missing; do they "
                     f"still sell?): {_examples(gone)}.")


def _examples(items) -> str:
    items = list(items)
    more = f" and {len(items) - MAX_EXAMPLES} more" if len(items) > MAX_EXAMPLES else ""
    return ", ".join(str(i) for i in items[:MAX_EXAMPLES]) + more


def _validated(frame: pd.DataFrame, options: PrepOptions, notes: list[str]) -> pd.DataFrame:
    needed = [options.date, options.target, *options.series]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ForecastInputError(f"Columns not in the table: {', '.join(missing)}. "
                                 f"Available: {', '.join(map(str, frame.columns))}.")
    if options.target in options.series or options.date in options.series:
        raise ForecastInputError("The series key columns must differ from the date and target columns.")
    reserved = [k for k in options.series if k in RESERVED_KEYS]
    if reserved:
        raise ForecastInputError(f"A series key column may not be called {reserved[0]!r}: the desk uses that name for "
                                 "its own output. Rename the column (for example to 'series') and try again.")
    if options.horizon < 1:
        raise ForecastInputError("The horizon must be at least 1 period.")
    data = _rename_clashing_extras(frame, options, notes)
    if not pd.api.types.is_datetime64_any_dtype(data[options.date]):
        try:
            data[options.date] = pd.to_datetime(data[options.date], format="ISO8601")
        except (ValueError, TypeError):
            raise ForecastInputError(f"Column {options.date!r} is not a date column (or mixes date formats); "
                                     "use one format such as 2024-01-31.") from None
    if getattr(data[options.date].dt, "tz", None) is not None:
        data[options.date] = data[options.date].dt.tz_localize(None)
    # Periods are calendar days, weeks or months: a time of day (01:00 in summer, a stamp) is not a new period.
    data[options.date] = data[options.date].dt.normalize()
    if not pd.api.types.is_numeric_dtype(data[options.target]) or pd.api.types.is_bool_dtype(data[options.target]):
        raise ForecastInputError(f"Target {options.target!r} must hold numbers (quantities sold).")
    incomplete = data[[options.date, *options.series]].isna().any(axis=1)
    if incomplete.any():
        notes.append(f"{int(incomplete.sum())} rows without a date or series key were left out.")
        data = data[~incomplete]
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


def detect_frequency(dates: pd.Series) -> tuple[str, str]:
    """D, W (with its anchor weekday) or M (month start or month end) from the spacing of distinct dates."""
    unique = pd.Series(pd.to_datetime(dates.unique())).sort_values()
    if len(unique) < 2:
        raise ForecastInputError("The table has a single date; a forecast needs a history.")
    steps = unique.diff().dt.days.dropna()
    step_days = float(steps.median())
    # A slow seller has rows only on days it sold: wide gaps, but of any length, where weekly data steps in
    # whole weeks and monthly data in 28-31 days.
    off_week = float((steps % 7 != 0).mean())
    monthly_steps = float(steps.between(28, 31).mean())
    if step_days <= 1.5 or (off_week >= DAILY_STEP_SHARE and (step_days <= 10 or monthly_steps < 0.5)):
        return "D", "D"
    # Weekly: steps of about a week, or, for a slow seller with rows only in weeks it sold, wider steps
    # that are all whole weeks (monthly steps of 28-31 days mostly are not).
    if step_days <= 10 or (off_week <= WEEK_GAP_SLACK and step_days <= 45):
        usual = usual_weekday(dates)
        return "W", f"W-{WEEKDAYS[usual] if usual is not None else 'MON'}"
    if step_days <= 45:
        return "M", "ME" if unique.dt.is_month_end.all() else "MS"
    raise ForecastInputError(f"Dates are about {step_days:.0f} days apart; only daily, weekly or monthly data "
                             "can be forecast.")


def weekly_per_series(data: pd.DataFrame) -> tuple[str, ...]:
    """The weekdays (FRI, SUN) of series that each step in whole weeks on one weekday of their own, though the
    file's dates (one series' Fridays beside another's Sundays) are days apart: weekly data with several
    anchors, not daily data. Empty when the series are not so."""
    frame = data[[ID, DS]].drop_duplicates().sort_values([ID, DS])
    steps = frame.groupby(ID, sort=False)[DS].diff().dt.days.dropna()
    if steps.empty or float((steps % 7 == 0).mean()) < 1 - WEEK_GAP_SLACK:
        return ()
    days = frame[DS].dt.dayofweek
    weekdays = days.groupby(frame[ID].to_numpy(), sort=False).nunique()
    if float((weekdays == 1).mean()) < WEEKDAY_SHARE:
        return ()
    return tuple(WEEKDAYS[d] for d in sorted(days.unique()))


def usual_weekday(dates: pd.Series) -> int | None:
    """The weekday (0 = Monday) at least WEEKDAY_SHARE of the rows fall on, if any: counted over rows, so a
    few stray rows on other days (each a distinct date) do not outvote the file's own weekday."""
    weekdays = pd.to_datetime(dates).dt.dayofweek.value_counts()
    return int(weekdays.index[0]) if weekdays.iloc[0] >= WEEKDAY_SHARE * weekdays.sum() else None


def _regular_dates(data: pd.DataFrame, options: PrepOptions, notes: list[str]) -> tuple[str, str, pd.DataFrame]:
    """Detect (or take) the frequency and put every date on that frequency's anchor."""
    detected, pandas_freq = detect_frequency(data[DS])
    anchors = weekly_per_series(data) if detected == "D" else ()
    if anchors:
        detected, pandas_freq = "W", "W-MON"
        notes.append(f"Each series is weekly, on a weekday of its own ({', '.join(anchors)}): the file's dates are "
                     "days apart only across series, so this is weekly data, not daily.")
    repeated = int(data.duplicated([ID, DS]).sum())  # (series, date) repeats in the file itself
    freq = (options.freq or detected).upper()
    if freq not in FREQUENCIES:
        raise ForecastInputError(f"Frequency must be one of {', '.join(FREQUENCIES)} (got {options.freq!r}).")
    if FREQUENCIES.index(freq) < FREQUENCIES.index(detected):
        raise ForecastInputError(f"The data is {_NAMES[detected]}; it cannot be forecast {_NAMES[freq]}. "
                                 f"Use --freq {detected} or a coarser one.")
    data = data.copy()
    if freq != detected:
        pandas_freq = "W-MON" if freq == "W" else "MS"
        notes.append(f"{_NAMES[detected].capitalize()} data was summed to {_NAMES[freq]} periods as asked.")
        data = _drop_partial_last_period(data, freq, notes, step_days=1 if detected == "D" else 7)
    elif freq == "D":
        data[DS] = data[DS].dt.normalize()
    usual = usual_weekday(data[DS]) if freq == "W" == detected else None
    if usual is not None and data[DS].dt.dayofweek.nunique() > 1:
        data = _to_usual_weekday(data, usual, notes)
    elif freq == "W" and (freq != detected or data[DS].dt.dayofweek.nunique() > 1):
        if freq == detected:
            notes.append("Weekly dates fall on different weekdays; each was moved to the Monday of its week.")
            pandas_freq = "W-MON"
        data[DS] = data[DS].dt.to_period("W-SUN").dt.start_time
    if freq == "M":
        start = data[DS].dt.to_period("M").dt.start_time
        data[DS] = start + pd.offsets.MonthEnd(0) if pandas_freq == "ME" else start
    if detected == freq and freq != "D" and int(data.duplicated([ID, DS]).sum()) > repeated:
        notes.append("Some dates fell in the same period after alignment; their rows were summed.")
    note = {"D": "daily", "W": f"weekly (weeks labelled {pandas_freq[2:].title()})",
            "M": "monthly (month " + ("end)" if pandas_freq == "ME" else "start)")}[freq]
    notes.insert(0, f"Frequency: {note}{' (detected)' if options.freq is None else ''}.")
    return freq, pandas_freq, data


_NAMES = {"D": "daily", "W": "weekly", "M": "monthly"}


def _to_usual_weekday(data: pd.DataFrame, anchor: int, notes: list[str]) -> pd.DataFrame:
    """Weekly rows on another weekday than nearly all the others move to the nearest usual weekday."""
    offset = (data[DS].dt.dayofweek - anchor) % 7
    moved = int((offset != 0).sum())
    shift = offset.where(offset <= 3, offset - 7)
    data[DS] = data[DS] - pd.to_timedelta(shift, unit="D")
    notes.append(f"{moved} rows fell on another weekday than the file's {WEEKDAYS[anchor].title()}; each was "
                 "moved to the nearest one (summed with that week's row, if any).")
    return data


def _drop_partial_last_period(data: pd.DataFrame, freq: str, notes: list[str], *, step_days: int = 1) -> pd.DataFrame:
    """Days summed to weeks (Monday–Sunday) or months, or weeks summed to months: a last period the data
    only partly covers would look like a sales drop, so it is left out, visibly. A week's row covers the
    days up to the next week's date."""
    last = data[DS].max()
    period = last.to_period("W-SUN" if freq == "W" else "M")
    covered_to = last.normalize() + pd.Timedelta(days=step_days - 1)
    if covered_to >= period.end_time.normalize():
        return data
    start = period.start_time
    days = (covered_to - start).days + 1
    total = (period.end_time.normalize() - start).days + 1
    notes.append(f"The last {_NAMES[freq][:-2]} (from {start.date()}) has data for only {days} of its {total} days; "
                 "it was left out so that a part-period does not look like a drop in sales.")
    return data[data[DS] < start]


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


def _negatives(data: pd.DataFrame, options: PrepOptions, notes: list[str]) -> frozenset:
    """The series whose negative quantities are kept (empty when there are none or they were clipped)."""
    negative = data[Y] < 0
    if not negative.any():
        return frozenset()
    ids = data.loc[negative, ID].unique()
    if options.negatives == "clip":
        notes.append(f"Warning: {int(negative.sum())} negative quantities in {len(ids)} series were clipped to 0: "
                     f"{_examples(ids)}.")
        data[Y] = data[Y].clip(lower=0)
        return frozenset()
    share = negative.groupby(data[ID], observed=True).mean()
    signed = [i for i in ids if share[i] > SIGNED_SHARE]
    rare = [i for i in ids if share[i] <= SIGNED_SHARE]
    said = f"Warning: {int(negative.sum())} negative quantities in {len(ids)} series were kept (returns net off demand)"
    if signed:
        said += (f"; series below 0 in more than {SIGNED_SHARE:.0%} of their periods may be forecast below 0: "
                 f"{_examples(signed)}")
    if rare:
        said += (f"; in {len(rare)} series they are rare one-off returns, and their forecasts stay at 0 or above: "
                 f"{_examples(rare)}")
    notes.append(said + ".")
    return frozenset(str(i) for i in signed)


def _fill_gaps(data: pd.DataFrame, pandas_freq: str, keys: tuple[str, ...], fill: str,
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
    extra = [c for c in values.columns if c not in (ID, DS, Y)]
    if gap.any():
        if extra:
            # Flags (True/False) with gaps are object columns; keep pandas from downcasting them silently.
            with pd.option_context("future.no_silent_downcasting", True):
                filled = full.groupby(ID, sort=False)[extra].transform(lambda s: s.ffill().bfill())
            full[extra] = filled.infer_objects()
        how = "set to 0 sales" if fill == "zero" else "marked missing (interpolated for features, not scored)"
        notes.append(f"{int(gap.sum())} missing periods across {full.loc[gap, ID].nunique()} series were {how}.")
    blank = int((~gap & full[Y].isna().to_numpy()).sum())
    if blank:  # rows that were there but had no usable quantity (blank, NaN, inf)
        how = "set to 0" if fill == "zero" else "marked missing (interpolated for features, not scored)"
        notes.append(f"{blank} rows had no quantity (a blank, NaN or infinite cell); they were {how}.")
    if fill == "zero":
        full[Y] = full[Y].fillna(0.0)
    else:
        full[Y] = full.groupby(ID, sort=False)[Y].transform(lambda s: s.interpolate(limit_direction="both"))
    return full.reset_index(drop=True)
