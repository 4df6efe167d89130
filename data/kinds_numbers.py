"""Numeric columns with a few cells that are not numbers (a sensor export's 'high', 'ERR' or '-'): the column stays
numeric, those cells become empty, and each is reported by row. Browser QA: one 'high' in 200 Torque readings had
turned the whole column into text, and the maintenance desk dropped its formulas without a word.
"""

from __future__ import annotations

import polars as pl

from data.numbers import to_number, unreadable
from data.sniff import DOT_THOUSANDS
from data.profile import rows_text

NUMBERISH = r"(?i)^\s*[+-]?(\d[\d.,]*([eE][+-]?\d+)?|\.\d+|inf|infinity)\s*$"
# What instruments and reports write for "no reading" in a numeric column. Only there: in a text column a '-' or
# '.' may be a value (a strand, a sign), so these are not among the general missing markers.
NUMBER_GAPS = ["-", "--", "---", ".", "ERR", "Err", "err", "ERROR", "Error", "error", "#ERR", "#ERROR"]
# Above this share of filled cells that are not numbers, the column is text with some numbers in it, not numbers.
MAX_UNREADABLE_SHARE = 0.05
# Letters then digits (V57, E909, A-001): codes such as ICD diagnoses among numeric ones (250.83), whose column is
# a code column to keep as written, not numbers with a few bad cells.
_CODE_START = r"^\s*[A-Za-z]{1,4}[-_.]?\d"
# Negatives as accounting exports write them, "(19)", "$(12.00)", "1.234,50-": numbers the desks read themselves from
# the text (a product-demand file's returns); emptied as unreadable they had turned 269 returns into blanks.
_ACCOUNTING = r"^\s*[$€£]?\s*\(\s*[$€£]?\s*\d[\d.,]*\s*\)\s*$|^\s*[$€£]?\d[\d.,]*-\s*$"
# At most this many codes, each written at least twice, beside one or two numbers: a code column that writes "none"
# as 0 (Rossmann's StateHoliday: '0', else 'a', 'b' or 'c'); a Rossmann-shaped file's 192 holidays had been emptied.
_MAX_CODES = 20


_DECORATED = r"[$€£¥]|\d[ \u00a0\u202f\u2009']\d{3}|\d_+\s*$"
_TRAILING_UNDERSCORE = r"(\d)_+\s*$"  # '28_', '34847.84_': a typing slip (Kaggle's credit-score book)
_SIGN_CURRENCY = r"^([+-]?)\s*[$€£¥]\s*([+-]?)"  # $1,200.00, -$5, $-5
_CURRENCY_AFTER = r"\s*[$€£¥]$"  # 1.234,50 €
_SPACE_GROUPED = r"^[+-]?[1-9]\d{0,2}([ \u00a0\u202f\u2009']\d{3})+([.,]\d+)?$"  # 1 234,5 (also no-break), 1'234.50


def undecorated(s: pl.Series, sample: pl.Series, ctx) -> pl.Series:
    """Numbers written as money, with spaces between thousands or a trailing underscore ('$1,200.00', '1 234,5 €',
    '1'234.50', '28_'): the column without the signs, group spaces and underscores, when then every filled cell is a
    number or a missing marker (else as
    it was); such columns had been stored as identifier or text. Percents ('10.65%') stay text: the finance desk
    reads them and says "10.65 %" in its reasons, which it could not tell from a number."""
    if not sample.str.contains(_DECORATED).any():
        return s
    bare = s.str.replace(_SIGN_CURRENCY, "$1$2").str.replace(_CURRENCY_AFTER, "").str.replace(_TRAILING_UNDERSCORE,
                                                                                              "$1")
    grouped = bare.str.contains(_SPACE_GROUPED).fill_null(False)
    bare = pl.select(pl.when(pl.lit(grouped)).then(pl.lit(bare).str.replace_all(r"[ \u00a0\u202f\u2009']", ""))
                     .otherwise(pl.lit(bare)).alias(s.name)).to_series()
    changed = (bare != s).fill_null(False)
    others = bare.filter(~bare.is_in(ctx.missing_markers) & bare.is_not_null())
    if not changed.any() or not others.str.contains(NUMBERISH).all() or unreadable(others, ctx.decimal_comma).any():
        return s
    seen = ", ".join(f"'{v}'" for v in s.filter(changed).head(2).to_list())  # repr would show '1\u202f741'
    ctx.add(None, s.name, f"Column '{s.name}' holds numbers written with a currency sign, spaces between "
            f"thousands or a trailing underscore ({seen}); they were read as the numbers.", "info")
    return bare


def mostly_numberish(sample: pl.Series) -> bool:
    """The sample (no missing markers) is numbers, with a few other values at most (at most twice the share
    allowed, the whole column decides) and none of them a code."""
    values = sample.filter(~sample.is_in(NUMBER_GAPS))
    odd = values.filter(~values.str.contains(NUMBERISH))
    if values.is_empty() or len(odd) == len(values):
        return False
    return len(odd) <= 2 * MAX_UNREADABLE_SHARE * len(values) and not odd.str.contains(_CODE_START).any()


# A comma no thousands separator leaves (45,3 · 1234,5678 · 1.234,5): only a decimal mark writes it so.
_DECIMAL_COMMA_ONLY = r"^\s*[+-]?\d+,(\d{1,2}|\d{4,})\s*$|^\s*[+-]?\d{1,3}(\.\d{3})+,\d+\s*$"
_DOTS_ONLY = r"^\s*[+-]?\d{1,3}(\.\d{3})+\s*$"  # 1.234: a thousand, or a decimal: the column must say which


def late_decimal_commas(s: pl.Series, ctx) -> pl.Series | None:
    """A column of numbers with decimal commas where the file's first rows held none, so the file was not read the
    European way (a semicolon export of whole numbers whose decimals start in row 1,101): the column read with the
    decimal comma, with a note; None when no cell needs one, another cell is no number so read, or a dotted number
    (1.234) in it could be a thousand or a decimal. Such columns had been kept as text without a word."""
    if ctx.decimal_comma:
        return None
    text = s.str.strip_chars()
    comma = text.str.contains(_DECIMAL_COMMA_ONLY).fill_null(False)
    if not comma.any() or (text.str.contains(_DOTS_ONLY).any() and not text.str.contains(r"\.\d{3},").any()):
        return None
    number = to_number(s, decimal_comma=True)
    if number is None:
        return None
    rows, total = ctx.rows(comma.arg_true())
    first = text.filter(comma)[0]
    ctx.add(rows[0], s.name, f"Column '{s.name}' holds numbers with a decimal comma ('{first}' in row {rows[0]}, "
            f"{total:,} cell(s) in all) though the file's first rows have none; the column was read with the comma "
            f"as the decimal mark ('{first}' is {number.filter(comma)[0]}).", "info")
    return number


def late_thousands(s: pl.Series, ctx) -> pl.Series | None:
    """Whole numbers with dots between thousands (1.200) further down a semicolon file whose sampled rows hold no
    decimal (``ctx.dot_thousands``): read as thousands, with a note, as they are when they fall among the sampled
    rows. polars had read them as 1.2 without a word. None when no cell is so written or another is a decimal."""
    if not ctx.dot_thousands:
        return None
    text = s.str.strip_chars()
    dotted = text.str.contains(DOT_THOUSANDS).fill_null(False)
    if not dotted.any() or not (dotted | text.str.contains(r"^[+-]?\d+$")).filter(text.is_not_null()).all():
        return None
    number = to_number(s, decimal_comma=True)
    if number is not None:
        rows, total = ctx.rows(dotted.arg_true())
        first = text.filter(dotted)[0]
        ctx.add(rows[0], s.name, f"Column '{s.name}' holds whole numbers with dots between thousands ('{first}' in "
                f"row {rows[0]}, {total:,} cell(s) in all) below the rows sampled, which hold no decimals; they were "
                f"read as thousands ('{first}' is {number.filter(dotted)[0]:.0f}), as a file written the European way "
                "has them.", "info")
    return number


def numbers_despite_text(s: pl.Series, ctx) -> pl.Series | None:
    """The column as numbers with its gaps ('-', 'ERR') and unreadable cells emptied, each reported by row; None
    (nothing reported) when over 5% of its filled cells are not numbers, one of them looks like a code, they are a
    few recurring codes beside one or two numbers, or the numbers mix formats. ``ctx`` is data/kinds.py's context
    (rows, add, facts, decimal_comma)."""
    gaps = s.is_in(NUMBER_GAPS)
    bad = unreadable(s, ctx.decimal_comma) & ~gaps
    filled = len(s) - s.null_count() - int(gaps.sum())
    odd = s.filter(bad)
    if len(odd) > MAX_UNREADABLE_SHARE * filled or odd.str.contains(_CODE_START).any() \
            or odd.str.contains(_ACCOUNTING).any():
        return None
    number = to_number(_emptied(s, gaps | bad), ctx.decimal_comma)
    if number is None or (len(odd) and _codes_beside_a_flag(odd, number)):
        return None
    note_markers(s, gaps, ctx)
    if len(odd):
        rows, total = ctx.rows(bad.arg_true())
        seen = ", ".join(repr(v) for v in odd.unique(maintain_order=True).head(3).to_list())
        more = " …" if odd.n_unique() > 3 else ""
        cells = "1 cell is not a number" if total == 1 else f"{total:,} cells are not numbers"
        ctx.add(rows[0], s.name, f"Column '{s.name}' holds numbers, but {cells} ({seen}{more}) in rows "
                f"{rows_text(rows, total)}; the column was kept as numbers and these were treated as empty cells.",
                "warning")  # fmt: skip
        ctx.facts.nulls[s.name] += total
    return number


def _codes_beside_a_flag(odd: pl.Series, number: pl.Series) -> bool:
    """The cells that are not numbers are a few codes, each written at least twice, and the numbers take one or two
    values: '0' on ordinary days and 'a', 'b', 'c' on holidays. A sensor's odd 'high' among many readings is not."""
    return odd.n_unique() <= _MAX_CODES and bool(odd.is_duplicated().all()) and number.drop_nulls().n_unique() <= 2


def note_markers(s: pl.Series, mask: pl.Series, ctx) -> pl.Series:
    """Empty the cells under ``mask`` (text such as 'NA' or '-' for a missing value), saying where they were."""
    hits = mask.arg_true()
    if not len(hits):
        return s
    rows, total = ctx.rows(hits)
    seen = ", ".join(repr(v) for v in sorted(s.gather(hits).unique().head(3).to_list()))
    ctx.add(rows[0], s.name, f"Column '{s.name}' uses text such as {seen} for missing values (rows "
            f"{rows_text(rows, total)}); these were treated as empty cells.", "warning")  # fmt: skip
    ctx.facts.nulls[s.name] += total
    return _emptied(s, mask)


def _emptied(s: pl.Series, mask: pl.Series) -> pl.Series:
    return pl.select(pl.when(pl.lit(mask)).then(None).otherwise(pl.lit(s)).alias(s.name)).to_series()
