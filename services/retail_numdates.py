"""Number columns the forecast reads as dates (ml.forecast_datenums: Excel serial days such as 42370, Unix times),
as the retail form offers them: the import types them as numbers, so the form had said "No column of this table
reads as dates", left the series keys empty and forecast six store/item series as one. Text columns of dates with
two-digit years ('04-30-22', ml.forecast_shortyears) stay text in the import, and are offered the same way."""
from __future__ import annotations

from typing import Any

import pandas as pd

from data.facts import Facts
from data.profile import name_tokens, roles_from_facts
from ml.forecast_datenums import numbers_as_dates
from ml.forecast_shortyears import short_year_dates

_DATE_WORDS = {"date", "dates", "day", "time", "timestamp", "ts", "epoch", "datum", "fecha", "serial"}


def _whole(text: Any) -> int | None:
    try:
        number = float(text)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def number_dates(schema: dict[str, str], profile: list[dict[str, Any]]) -> list[str]:
    """Numeric columns whose whole-number range the forecast reads as dates: those named like a date (date,
    timestamp …), or the only one when no column is named so."""
    ranges = {p.get("name"): (_whole(p.get("min")), _whole(p.get("max"))) for p in profile if isinstance(p, dict)}
    found = [c for c, kind in schema.items() if kind == "numeric" and None not in ranges.get(c, (None,))
             and pd.api.types.is_datetime64_any_dtype(numbers_as_dates(pd.Series(ranges[c]), str(c), []))]
    named = [c for c in found if _DATE_WORDS.intersection(name_tokens(str(c)))]
    return named or (found if len(found) == 1 else [])


def dated_columns(schema: dict[str, str], profile: list[dict[str, Any]]) -> list[str]:
    """``number_dates``, and text columns whose most common values are dates with two-digit years: the form had said
    "No column of this table reads as dates" beside an Amazon-sale-report-like file's Date ('04-30-22')."""
    shown = {p.get("name"): [str(v[0]) for v in p.get("top_values") or [] if v] for p in profile if isinstance(p, dict)}
    short = [c for c, kind in schema.items() if kind not in ("numeric", "datetime") and shown.get(c)
             and short_year_dates(pd.Series(shown[c], dtype="string"), str(c), []) is not None]
    return number_dates(schema, profile) + short


def dated_roles(schema: dict[str, str], profile: list[dict[str, Any]], rows: int, date: str) -> dict[str, str]:
    """The import's roles had ``date`` been typed as dates: store and item get their series role only beside one."""
    shown = {p["name"]: p for p in profile if isinstance(p, dict) and p.get("name") in schema}
    facts = Facts(nulls={c: round(float(p.get("missing_pct") or 0) * rows / 100) for c, p in shown.items()},
                  distinct={c: int(p.get("distinct") or 0) for c, p in shown.items()},
                  lo={c: _whole(p.get("min")) for c, p in shown.items()},
                  hi={c: _whole(p.get("max")) for c, p in shown.items()})
    return roles_from_facts({c: schema[c] for c in shown} | {date: "datetime"}, facts, rows)
