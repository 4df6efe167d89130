"""Numbers written as text: plain, with thousands separators (1,234.5), or the European way (1.234,5)."""
from __future__ import annotations

import polars as pl

from data.sniff import DOT_THOUSANDS

_THOUSANDS_COMMA = r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$|^[+-]?\d+(\.\d+)?$"
_DECIMAL_COMMA = r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$|^[+-]?\d+(,\d+)?$"


def to_number(s: pl.Series, decimal_comma: bool) -> pl.Series | None:
    """The column as numbers when every value reads as one (plain, 1,234.5, or 1.234,5 in a decimal-comma file),
    else None."""
    text = s.str.strip_chars()
    expected = s.null_count()
    grouped = decimal_comma and text.str.contains(DOT_THOUSANDS).any()
    if grouped and text.str.contains(_DECIMAL_COMMA).fill_null(True).all():
        # In a file written with decimal commas, 1.551 is one thousand five hundred and fifty-one (rpm), not 1.551.
        plain = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
        out = plain.cast(pl.Float64, strict=False)
        if out.null_count() == expected:
            return out
    for dtype in (pl.Int64, pl.Float64):
        out = text.cast(dtype, strict=False)
        if out.null_count() == expected:
            return out
    if decimal_comma and text.str.contains(_DECIMAL_COMMA).fill_null(True).all():
        text = text.str.replace_all(".", "", literal=True).str.replace(",", ".", literal=True)
    elif text.str.contains(_THOUSANDS_COMMA).fill_null(True).all():
        text = text.str.replace_all(",", "", literal=True)
    else:
        return None
    out = text.cast(pl.Float64, strict=False)
    return out if out.null_count() == expected else None


def unreadable(s: pl.Series, decimal_comma: bool) -> pl.Series:
    """Which filled cells read as no number in any way to_number reads one (plain, 1,234.5, or 1.234,5 in a
    decimal-comma file): 'high' in a column of Torque readings."""
    text = s.str.strip_chars()
    pattern = _DECIMAL_COMMA if decimal_comma else _THOUSANDS_COMMA
    readable = text.cast(pl.Float64, strict=False).is_not_null() | text.str.contains(pattern)
    return (text.is_not_null() & ~readable).fill_null(False)
