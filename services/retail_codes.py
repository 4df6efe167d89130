"""Retail: driver columns written as codes (Rossmann's ``StateHoliday`` 0/a/b/c, a holiday's name, Yes/No) are
read as numbers, so that a file laying out the dates to forecast with them filled has them used as drivers.

Only numeric columns could drive the model: Rossmann's ``StateHoliday`` (``0`` on ordinary days, ``a`` a public
holiday, ``b`` Easter, ``c`` Christmas; read as a mix of the number 0 and the text '0' by some readers) was left
out as "codes or text", and so was a holiday column naming Chinese New Year or Eid, the one way the desk can know
of a holiday on another calendar. A code is an ordered number for the trees; the rule that forecasts a driver
value that never sold at 0 reads it too, and names it by its label.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

import pandas as pd

from ml.forecast_prep import ID, Prepared

# Favorita's store_nbr (summed over with --duplicates sum) was offered as a driver: nbr and nr are numbers too.
ID_NAME = re.compile(r"(^|[^a-z])(id|ids|row|code|no|nr|nbr|number|key|index|zip|postal|postcode|instant)([^a-z]|$)",
                     re.IGNORECASE)
# Retail Rocket's visitorid, itemid and transactionid had been called numeric drivers: what is numbered, glued to
# the number's name (Online Retail's StockCode too). Named things only, so that paid, valid, humid or rapid stay
# drivers.
GLUED_ID = re.compile(r"(^|[^a-z])(visitor|user|customer|cust|client|member|household|item|product|prod|sku|article|"
                      r"stock|store|shop|site|location|loc|warehouse|dept|category|cat|brand|family|parent|order|"
                      r"transaction|trans|session|basket|receipt|invoice|account|vendor|supplier|seller|buyer|event|"
                      r"device|page)"
                      r"(id|ids|nbr|nr|no|num|number|key|code)([^a-z]|$)", re.IGNORECASE)


def id_named(name: str) -> bool:
    """A column named like an identifier: ``store_id``, ``Store Nbr``, ``visitorid``, ``itemId`` (not
    ``NumberOfItems``: a count)."""
    words = str(name).replace("_", " ")
    return bool(ID_NAME.search(words) or GLUED_ID.search(words))


def identifier_like(values: pd.Series, name: str) -> bool:
    """A row number, an order id or a postal code: numbers, but nothing a planner fills in for next month."""
    present = values.dropna()
    distinct_whole = (len(present) > 20 and present.nunique() == len(present)
                      and bool((present == present.round()).all()))
    return id_named(name) or distinct_whole


MAX_CODES = 20  # a flag or a code, not free text (as for the driver values that never sold)
MOSTLY_BLANK = 0.8  # of the history's rows: a column of rare events (M5's event_name_1, blank on 92 % of days)
MAX_EVENT_CODES = 100  # the codes such a column may hold: each event is rare, so there can be many


def most_codes(history: pd.Series) -> int:
    """How many codes a text column may hold and still be read as codes: ``MAX_CODES``; ``MAX_EVENT_CODES`` where
    it is blank on most rows and its codes recur (each on 2 rows or more, by median), as an event's name does on
    each of its dates. M5's event_name_1 (30 names: SuperBowl, Ramadan starts, Easter …) had been left out as text
    while its event_type_1 (4 types) drove the forecast. A mostly blank comment column, each text on one row, is
    still text."""
    counts = history.value_counts()
    rare = len(counts) > 0 and history.isna().mean() >= MOSTLY_BLANK and counts.median() >= 2
    return MAX_EVENT_CODES if rare else MAX_CODES
_WORDS = {"false": 0, "no": 0, "n": 0, "f": 0, "true": 1, "yes": 1, "y": 1, "t": 1}


def label(value) -> str | None:
    """One spelling per code: the number 0, the text '0' and '0.0' are the same code; a blank is none."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    text = str(value).strip()
    try:
        number = float(text)
    except ValueError:
        return text or None
    if not math.isfinite(number):
        return None
    return str(int(number)) if number.is_integer() else repr(number)


def _labels(values: pd.Series) -> pd.Series:
    distinct = pd.unique(values)
    return values.map(dict(zip(distinct, map(label, distinct))))


def codes_for(labels: list[str]) -> dict[str, float]:
    """Numbers keep their value; Yes/No and True/False read 1/0; other codes follow the largest number, in
    alphabetical order ('0', 'a', 'b', 'c' read 0, 1, 2, 3)."""
    numbers = {t: float(t) for t in labels if _is_number(t)}
    words = [t for t in labels if t not in numbers]
    if words and not numbers and all(w.lower() in _WORDS for w in words):
        return {w: float(_WORDS[w.lower()]) for w in words}
    start = math.floor(max(numbers.values(), default=-1.0)) + 1
    return {**numbers, **{w: float(start + i) for i, w in enumerate(sorted(words))}}


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def with_codes(prepared: Prepared) -> Prepared:
    """The prepared table with its extra columns of text codes as numbers, each column's code → label kept in
    ``codes``, and a note. A column is coded when it holds 2 to ``MAX_CODES`` codes, changes over time within
    a series (a store's region is an attribute of the series, not a driver) and is not named like an id."""
    frame, future = prepared.frame, prepared.future_rows
    found: dict[str, dict[float, str]] = {}
    for column in prepared.extra_columns:
        if pd.api.types.is_numeric_dtype(frame[column]) or id_named(column):
            continue
        history = _labels(frame[column])
        ahead = _labels(future[column]) if future is not None and column in future.columns else None
        most = most_codes(history)
        history, ahead = _blank_as_code(history, ahead)
        seen = sorted({*history.dropna(), *([] if ahead is None else ahead.dropna())})
        if not 2 <= len(seen) <= most or not _varies_within_series(history, frame[ID]):
            continue
        codes = codes_for(seen)
        frame = frame.assign(**{column: history.map(codes).astype(float)})
        if ahead is not None:
            future = future.assign(**{column: ahead.map(codes).astype(float)})
        found[column] = {code: text for text, code in codes.items()}
    given = [c for c in found if future is not None and future[c].notna().any()]  # said where it can drive
    if not given:
        return replace(prepared, frame=frame, future_rows=future, codes=found) if found else prepared
    said = "; ".join(f"{column}: " + ", ".join(f"{text!r} = {_number(code)}" for code, text in sorted(table.items()))
                     for column, table in found.items() if column in given)
    note = (f"Column(s) {', '.join(given)} hold codes written as text; each code is read as a number, so the "
            f"column can drive the forecast where the dates to forecast give it ({said}).")
    return replace(prepared, frame=frame, future_rows=future, codes=found, notes=(*prepared.notes, note))


def id_target_note(prepared: Prepared, values: pd.Series, target: str) -> Prepared:
    """A note where the quantity column is named like an identifier and holds many whole numbers: a basket file
    with no quantity (Kaggle's Groceries dataset: Member_number, Date, itemDescription) forecast with
    --target Member_number had member numbers summed into 13,893 bottles of water a day, without a word."""
    present = pd.to_numeric(values, errors="coerce").dropna()
    if not id_named(target) or present.empty or not bool((present == present.round()).all()):
        return prepared
    distinct = int(present.nunique())
    if distinct < max(50, 0.05 * len(present)):
        return prepared
    note = (f"The quantity column {target!r} is named like an identifier and holds {distinct:,} different whole "
            f"numbers (such as {int(present.iloc[0])}): they were summed as quantities sold. If each row is one sale "
            "(a basket line with no quantity column), add a column of 1s and forecast it (--target that column, "
            "--duplicates sum; 'Quantity' on the page).")
    return replace(prepared, notes=(*prepared.notes, note))


BLANK = "(blank)"


def _blank_as_code(history: pd.Series, ahead: pd.Series | None) -> tuple[pd.Series, pd.Series | None]:
    """Blank cells of a text code column are a code of their own ('no event': Favorita's holidays_events merged
    onto the sales leaves its ``type`` blank on ordinary days) where the history has them; on the dates to forecast
    only where some of those are filled too (a column left blank for them all is not given: no holiday is known)."""
    if not history.isna().any():
        return history, ahead
    if ahead is not None and ahead.notna().any():
        ahead = ahead.fillna(BLANK)
    return history.fillna(BLANK), ahead


def series_attributes(frame: pd.DataFrame, columns: list[str], notes: list[str]) -> list[str]:
    """``columns`` less those constant within each series, which are noted as attributes of the series: Iowa
    liquor's Category code, Pack and Bottle Volume (ml) had been offered as drivers to fill in for the dates to
    forecast, though each names what a series is (its keys already tell the model the series apart)."""
    constant = [c for c in columns if not _varies_within_series(frame[c], frame[ID])]
    if constant:
        notes.append(f"Numeric columns constant within each series left out of the model: {', '.join(constant)}. "
                     "They describe the series (its keys already tell the series apart), not drivers known in "
                     "advance for each date.")
    return [c for c in columns if c not in constant]


def _varies_within_series(values: pd.Series, ids: pd.Series) -> bool:
    return bool((values.groupby(ids, sort=False, observed=True).nunique() > 1).any())


def _number(code: float) -> str:
    return str(int(code)) if float(code).is_integer() else str(code)


def coded_future(values: pd.Series, table: dict[float, str]) -> pd.Series:
    """A filled template's cells of a coded column: a code's label ('a') or the code itself (1); else blank."""
    codes = {**{_number(code): code for code in table}, **{text: code for code, text in table.items()}}
    return _labels(values).map(codes)
