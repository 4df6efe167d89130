"""Future values of the drivers (price, promotion) for the forecast dates: from a filled template the page
hands out, or from the table's own future rows (the dates to forecast, quantity blank)."""
from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ml import forecast_models as models
from ml.forecast_periods import quarter_labels_as_dates
from ml.forecast_prep import DS, ID, Prepared
from ml.numbers import to_numeric
from services.retail_codes import coded_future
from services.errors import UserFacingError


class RetailInputError(UserFacingError):
    """The sales table or the forecast settings cannot be used as they are."""


FEW_BLANK_DRIVERS = 0.05  # of the future rows' cells: more blanks mean the column is not given for the future


def future_rows_as_values(prepared: Prepared, horizon: int, candidates: list[str],
                           notes: list[str]) -> tuple[list[str], pd.DataFrame | None]:
    """Driver columns filled in the table's own future rows for every series and forecast date (the file lays
    out the dates to forecast with prices or promotions, quantity blank): used like a filled template."""
    grid = models.future_dates(prepared.frame, prepared.pandas_freq, horizon)
    rows = prepared.future_rows.drop_duplicates([ID, DS])
    merged = grid.merge(rows, on=[ID, DS], how="left").drop(columns="step")
    for column in [c for c in candidates if c in merged.columns]:
        values = to_numeric(merged[column], errors="coerce")
        blank = int(values.isna().sum())
        if 0 < blank <= FEW_BLANK_DRIVERS * len(values):  # a price cell left empty: its neighbour's, said so
            merged[column] = _filled(values, merged[ID], prepared.frame, column, notes)
    usable = [c for c in candidates if c in merged.columns
              and to_numeric(merged[c], errors="coerce").notna().all()]
    if not usable:
        if candidates:
            notes.append(f"The table's future rows do not give {', '.join(candidates)} for every series and each of "
                         f"the {horizon} forecast dates, so those columns could not be used.")
        return [], None
    notes.append(f"Driver column(s) {', '.join(usable)} are used, with their values from the table's future rows.")
    _unused_note([c for c in candidates if c not in usable], merged, horizon, notes)
    merged[usable] = merged[usable].apply(to_numeric)
    return usable, merged[[ID, DS, *usable]]


def _unused_note(unused: list[str], merged: pd.DataFrame, horizon: int, notes: list[str]) -> None:
    """Columns blank on every future row (Rossmann's Customers, known once the day is over) and columns given on
    part of them (Walmart's MarkDown1-5, blank where no markdown ran) are left out, each with its own reason."""
    share = {c: float(to_numeric(merged[c], errors="coerce").notna().mean()) if c in merged.columns else 0.0
             for c in unused}
    blank = [c for c in unused if share[c] == 0]
    if blank:  # Rossmann's Customers had been dropped without a word
        notes.append(f"Column(s) {', '.join(blank)} are left out of the model: the table's future rows do not give "
                     f"them for every series and each of the {horizon} forecast dates (a figure known only after "
                     "the day, such as a customer count, cannot drive a forecast).")
    partly = [c for c in unused if share[c] > 0]
    if partly:  # Walmart's markdowns had been said to be figures known only after the day
        given = ", ".join(f"{c} ({int(100 * share[c])} % filled)" for c in partly)
        notes.append(f"Column(s) {given} are left out of the model: the table's future rows give them for only part "
                     f"of the series and {horizon} forecast dates. Fill the blank cells (with 0 where a blank means "
                     "none, such as a markdown not run) to use them as drivers.")


RECENT_PERIODS = 8  # a series with no future rows takes the median of its own last 8 periods' driver values


def _filled(values: pd.Series, ids: pd.Series, history: pd.DataFrame, column: str, notes: list[str]) -> pd.Series:
    """Blank future cells of a driver: the same series' nearest future date's value; a series with no future
    value at all, the median of its last periods' values (a price as it stood, a promotion flag as it mostly
    was). One SKU without future rows used to take the drivers away from all 200 series (WAPE 9.7 -> 15.6)."""
    blank = int(values.isna().sum())
    values = values.groupby(ids, sort=False).transform(lambda v: v.ffill().bfill())
    nearest = blank - int(values.isna().sum())
    if nearest:
        notes.append(f"{nearest} blank future value(s) of {column!r} were filled with the same series' nearest "
                     "date's value.")
    if values.isna().any() and column in history.columns:
        recent = to_numeric(history[column], errors="coerce").groupby(history[ID], sort=False).apply(
            lambda v: v.dropna().tail(RECENT_PERIODS).median())
        missing = ids[values.isna()].unique()
        values = values.fillna(ids.map(recent))
        known = [str(i) for i in missing if pd.notna(recent.get(i))]
        if known:
            notes.append(f"{len(known)} series with no future value of {column!r} (e.g. {known[0]}) take the median "
                         f"of their last {RECENT_PERIODS} periods' values.")
    return values


def future_values(frame: pd.DataFrame, prepared: Prepared, params: dict[str, Any], columns: list[str]) -> pd.DataFrame:
    """Validate a filled template: every series × future date present, numbers in every column."""
    needed = [params["date"], *prepared.keys, *columns]
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise RetailInputError(f"The future values file lacks columns: {', '.join(missing)}.")
    future = frame[needed].rename(columns={params["date"]: DS}).copy()
    future[DS] = pd.to_datetime(quarter_labels_as_dates(future[DS], params["date"], []))
    from ml.forecast_prep import series_id

    future[ID] = series_id(future, prepared.keys)
    grid = models.future_dates(prepared.frame, prepared.pandas_freq, int(params["horizon"]))
    merged = grid.merge(future.drop(columns=list(prepared.keys)), on=[ID, DS], how="left")
    for column in [c for c in columns if c in prepared.codes]:  # StateHoliday written 'a' as in the history
        merged[column] = coded_future(merged[column], prepared.codes[column])
    blank = merged[columns].isna().any(axis=1) | merged[columns].apply(
        lambda c: ~to_numeric(c, errors="coerce").notna()).any(axis=1)
    if blank.any():
        first = merged[blank].iloc[0]
        raise RetailInputError(f"The future values file has {int(blank.sum())} missing or non-numeric cells, "
                               f"e.g. {first[ID]} on {first[DS].date()}; fill every row of the template.")
    merged[columns] = merged[columns].apply(to_numeric)
    return merged.drop(columns="step")


def future_template(prepared: Prepared, horizon: int, columns: list[str], date_column: str) -> pd.DataFrame:
    """Rows to fill: series keys × future dates, with the exogenous columns as the table's own future rows give
    them (a Rossmann-shaped file's Open and Promo), else blank. The template had come out blank beside a table
    that already held them."""
    grid = models.future_dates(prepared.frame, prepared.pandas_freq, horizon).merge(prepared.key_values(), on=ID)
    given = prepared.future_rows
    known = [c for c in columns if given is not None and c in given.columns]
    if known:
        grid = grid.merge(given.drop_duplicates([ID, DS])[[ID, DS, *known]], on=[ID, DS], how="left")
    out = grid[[*prepared.keys, DS, *known]].rename(columns={DS: date_column})
    out[date_column] = out[date_column].dt.strftime("%Y-%m-%d")
    for column in columns:
        out[column] = to_numeric(out[column], errors="coerce") if column in known else np.nan
        if column in prepared.codes:
            out[column] = out[column].map(prepared.codes[column])
    return out[[*prepared.keys, date_column, *columns]]
