"""Rows of a sales table that are not sales history: dates left blank for the future, typos, unknown tails;
and periods that no series has a row for (a chain-wide closure, or an export that lost a week).

A file often ends with the dates to forecast (the "test" rows, prices and promotions filled in, quantity
blank); read as history they were zero sales that dragged the backtest and pushed the forecast past the
dates the user wanted. A single quantity a hundred times anything else its series ever sold (1e9 typed
for 100) changed every series' champion through the backtest's bias; it is left out, with a note.
Negative quantities are returns: kept (netted off demand) unless the user asks to clip them.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ml.credit_features import parse_numeric_text, writes_decimal_comma
from ml.forecast_columns import DS, ID, MAX_EXAMPLES, Y
from ml.numbers import to_numeric

SPIKE_FACTOR = 100.0    # a value this many times the series' next largest (in size) is a typo, not a sale
SPIKE_MIN_SALES = 10    # only in series with at least this many other non-zero quantities
SIGNED_SHARE = 0.05  # a series below 0 in more of its periods nets returns off demand: its forecast may go below 0
SIGNED_VOLUME = 0.02  # … when its returns also add up to this share of what it sold


def split_future_rows(data: pd.DataFrame, notes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(history, future rows): the rows dated after the last date with any quantity in any series."""
    known = np.isfinite(to_numeric(data[Y], errors="coerce").to_numpy(float))
    if known.all() or not known.any():
        return data, data.iloc[0:0]
    last = data.loc[known, DS].max()
    after = (data[DS] > last).to_numpy()
    if not after.any():
        return data, data.iloc[0:0]
    future = data[after]
    dates = future[DS].drop_duplicates().sort_values()
    notes.append(f"The table's last {len(dates)} date(s) ({_day(dates.iloc[0])} to {_day(dates.iloc[-1])}) have no "
                 "quantity in any series: they are read as dates to forecast (rows left for the future), not as "
                 f"history with no sales. The history ends on {_day(last)} and the forecast starts after it.")
    return data[~after], future


ZERO_TAIL_SERIES = 3  # a last stretch of zeros in every one of at least this many series is a question


def zero_tail_note(data: pd.DataFrame) -> list[str]:
    """The last dates hold 0 in every series, which all-zero dates before them rarely did: future rows written
    with 0 for the unknown quantity look like that, and read as weeks of no sales they dragged a grocery
    forecast from about 70 to 34 a week."""
    quantity = to_numeric(data[Y], errors="coerce")
    if data[ID].nunique() < ZERO_TAIL_SERIES:
        return []
    all_zero = quantity.fillna(0).eq(0).groupby(data[DS]).all().sort_index()
    tail = 0
    while tail < len(all_zero) and all_zero.iloc[-1 - tail]:
        tail += 1
    before = all_zero.iloc[:len(all_zero) - tail]
    if tail < 2 or not len(before) or before.mean() > 0.05:
        return []
    dates = all_zero.index[len(all_zero) - tail:]
    return [f"The table's last {tail} date(s) ({_day(dates[0])} to {_day(dates[-1])}) hold 0 in every series, as "
            f"only {before.mean():.0%} of the dates before them do: they were read as sales of 0. If they are dates "
            "to forecast with 0 written for the unknown quantity, leave those cells blank."]


def drop_typo_spikes(data: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Quantities over SPIKE_FACTOR times the next largest of their series are blanked (like a blank cell)."""
    size = to_numeric(data[Y], errors="coerce").abs()
    size = size.where(np.isfinite(size))
    ranked = size.groupby(data[ID], observed=True).rank(method="first", ascending=False)
    second = size.where(ranked == 2).groupby(data[ID], observed=True).transform("max")
    sales = (size > 0).groupby(data[ID], observed=True).transform("sum")
    spike = ((ranked == 1) & (size > SPIKE_FACTOR * second) & (second > 0) & (sales > SPIKE_MIN_SALES)).to_numpy()
    if not spike.any():
        return data
    shown = data[spike].head(MAX_EXAMPLES)
    listed = "; ".join(f"{sid} on {_day(day)} ({value:,.6g})"
                       for sid, day, value in zip(shown[ID], shown[DS], shown[Y]))
    notes.append(f"{int(spike.sum())} quantity value(s) are over {SPIKE_FACTOR:.0f} times anything else their series "
                 f"sold and were left out as likely typos (treated like a blank cell): {listed}"
                 f"{' …' if spike.sum() > MAX_EXAMPLES else ''}. If a value was real, it is a one-off the forecast "
                 "should not copy anyway.")
    out = data.copy()
    out.loc[spike, Y] = np.nan
    return out


def _day(value) -> str:
    stamp = pd.Timestamp(value)
    return str(stamp.date()) if stamp == stamp.normalize() else str(stamp)


def numbers_written_as_text(data: pd.DataFrame, target: str, notes: list[str], what: str = "Target") -> None:
    """A quantity (or a driver: ``what`` = "Column") written as money or with separators ('$1,234.50',
    '1.234,5', '12 %') is read as the number when every filled cell reads as one (a Superstore export's Sales,
    a price of '$3.49'); else ``not_numbers`` names the cells that do not."""
    values = data[target]
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return
    present = values.dropna()
    present = present[present.astype(str).str.strip() != ""]
    if present.empty or (what != "Target" and not present.astype(str).str.contains(r"[$€£¥%]").any()):
        return  # a driver only when written as money or a percentage: '00123' stays a code
    parsed = _parse_signed(values, present)
    if parsed[present.index].notna().all():
        data[target] = parsed
        notes.append(f"{what} {target!r} holds numbers written as text, such as {str(present.iloc[0]).strip()!r}: "
                     f"read as {parsed[present.index[0]]:,.6g} and so on.")


_ACCOUNTING = re.compile(r"^\s*([^\s()-]*)\s*\((.*\d.*)\)\s*$")  # (1,234.50), $(12.00): a negative amount
_TRAILING_MINUS = re.compile(r"^\s*([^-]*\d[^-]*)-\s*$")  # 1.234,50- (an SAP export's negative)


def _parse_signed(values: pd.Series, present: pd.Series) -> pd.Series:
    """``parse_numeric_text`` reading negatives written as accounting exports do: in brackets or with the minus
    after the number. A returns file's '($12.00)' had stopped the run as a value that is not a number."""
    text = values.astype("string").str.replace(_ACCOUNTING, r"-\1\2", regex=True)
    text = text.str.replace(_TRAILING_MINUS, r"-\1", regex=True)
    return parse_numeric_text(text, decimal_comma=writes_decimal_comma(text[present.index]))


def not_numbers(values: pd.Series, where: pd.DataFrame) -> str:
    """": 2 value(s) are not numbers, such as 'abc' (store=001, 2022-01-10)": a quantity column that did not
    read as numbers, each example found by its series keys and date (``where``: those columns, row for row).
    Cells written as money or with separators ('$12.50') read as numbers and are not named."""
    parsed = _parse_signed(values, values.dropna())
    bad = (values.notna() & parsed.isna()).to_numpy()
    if not bad.any():
        return ""
    rows = where[bad].head(MAX_EXAMPLES).astype(str)
    shown = ", ".join(f"{v!r} ({', '.join(f'{k}={x}' for k, x in zip(rows.columns, r))})"
                      for v, r in zip(values[bad].head(MAX_EXAMPLES), rows.itertuples(index=False)))
    return f": {int(bad.sum())} value(s) are not numbers, such as {shown}; fix or blank them"


def unknown_tails(full: pd.DataFrame, gap: np.ndarray, notes: list[str]) -> np.ndarray:
    """Rows at the end of a series whose quantity is blank (rows of the file, not gaps): not known yet, never
    zero sales (a last day blank in two stores, test rows of different lengths per product). Others' blanks
    and gaps keep their fill."""
    later = full[Y].notna()[::-1].groupby(full[ID][::-1], sort=False).cummax()[::-1].to_numpy()
    tail = ~later & ~gap
    some = full[Y].notna().groupby(full[ID], sort=False).transform("any").to_numpy(bool)
    if (tail & some).any():  # a series blank on every row has no last quantity: named with the silent series
        first = full[tail & some].groupby(ID, sort=False)[DS].min()
        shown = "; ".join(f"{sid} from {_day(day)}" for sid, day in first.head(MAX_EXAMPLES).items())
        notes.append(f"{len(first)} series end with rows whose quantity is blank ({shown}"
                     f"{' …' if len(first) > MAX_EXAMPLES else ''}): they are read as not known yet (not scored; "
                     "the last quantity carried for the features), not as zero sales.")
    return tail


def leading_blanks(data: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Rows before a series' first quantity whose quantity is blank (a wide table melted: a series published from
    1985 is blank in 1982-84) are left out, so the series starts at its first quantity; they were sales of 0."""
    first = data[DS].where(np.isfinite(data[Y].to_numpy(float))).groupby(data[ID], observed=True).transform("min")
    before = (data[DS] < first).to_numpy()
    if not before.any():
        return data
    starts = first[before].groupby(data.loc[before, ID], observed=True).first()
    shown = examples(f"{k} from {_day(d)}" for k, d in starts.items())
    notes.append(f"{len(starts)} series start with rows whose quantity is blank ({int(before.sum())} rows): each "
                 f"series starts at its first quantity ({shown}); the blank rows before it were left out, not read as "
                 "sales of 0.")
    return data[~before]


def missing_everywhere(full: pd.DataFrame, gap: np.ndarray, freq: str, shown: int = 5) -> list[str]:
    """Periods no series has a row for, filled with 0: a chain-wide closure, or (more often) a week missing
    from the export, which zero sales would teach the model as a collapse. Not a closing weekday (no row on most
    of its dates: a shop shut on Saturdays), said with its forecast at 0 by the weekday rule: an Online Retail-like
    file's 103 Saturdays were listed here, with --fill missing offered for them."""
    live = full.groupby(DS)[ID].nunique()
    missing = full.loc[gap].groupby(DS)[ID].nunique().reindex(live.index, fill_value=0)
    empty = (missing == live) & (live > 1)
    if freq == "D":
        empty &= empty.groupby(empty.index.dayofweek).transform("mean") < 0.5
    everywhere = sorted(empty.index[empty])
    if not everywhere:
        return []
    listed = ", ".join(str(pd.Timestamp(d).date()) for d in everywhere[:shown]) + (" …" if len(everywhere) > shown
                                                                                   else "")
    return [f"No series has a row for {len(everywhere)} period(s) ({listed}): they were set to 0 sales as if the "
            "whole business sold nothing. If those periods are missing from the export rather than closed, use "
            "--fill missing."]


def examples(items) -> str:
    items = list(items)
    more = f" and {len(items) - MAX_EXAMPLES} more" if len(items) > MAX_EXAMPLES else ""
    return ", ".join(str(i) for i in items[:MAX_EXAMPLES]) + more


def kept_negatives(data: pd.DataFrame, *, clip: bool, notes: list[str]) -> frozenset:
    """The series whose negative quantities are kept (empty when there are none or they were clipped)."""
    negative = data[Y] < 0
    if not negative.any():
        return frozenset()
    ids = data.loc[negative, ID].unique()
    if clip:
        notes.append(f"Warning: {int(negative.sum())} negative quantities in {len(ids)} series were clipped to 0: "
                     f"{examples(ids)}.")
        data[Y] = data[Y].clip(lower=0)
        return frozenset()
    share = negative.groupby(data[ID], observed=True).mean()
    # Returns that weigh: two stray -1s before a launch of hundreds made a series "signed" and its P10 -250.
    sums = data[Y].clip(upper=0).abs().groupby(data[ID], observed=True).sum()
    sold = data[Y].clip(lower=0).groupby(data[ID], observed=True).sum()
    weighs = sums > SIGNED_VOLUME * sold
    signed = [i for i in ids if share[i] > SIGNED_SHARE and weighs[i]]
    rare = [i for i in ids if i not in signed]
    said = f"Warning: {int(negative.sum())} negative quantities in {len(ids)} series were kept (returns net off demand)"
    if signed:
        said += (f"; series below 0 in more than {SIGNED_SHARE:.0%} of their periods, with returns of over "
                 f"{SIGNED_VOLUME:.0%} of what they sold, may be forecast below 0: "
                 f"{examples(signed)}")
    if rare:
        said += (f"; in {len(rare)} series they are rare or small returns, and their forecasts stay at 0 or above: "
                 f"{examples(rare)}")
    notes.append(said + ".")
    return frozenset(str(i) for i in signed)
