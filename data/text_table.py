"""Delimited text tables (CSV, TSV, pipes, runs of spaces): sniff, transcode, read with polars.

polars does the reading; this module adds what it cannot do (encodings other than UTF-8, the
delimiter, space-separated and headerless layouts) and turns its errors into plain language,
listing ragged rows by number.
"""
from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import polars as pl

from data import export_lines, layout, sniff
from data.ragged import ragged_rows
from data.kinds import CODE_DIGITS
from data.profile import Problem
from data.upload import IngestError, Parsed, Upload, rejected

INFER_SCHEMA_ROWS = 1_000  # with try_parse_dates, longer inference costs polars far more CPU
ENCODING_NOTE = "The file is encoded as"  # how the note on a converted encoding starts (scoring repeats it)


def read_text(upload: Upload, filename: str, extension: str) -> Parsed:
    head = upload.head(sniff.SAMPLE_BYTES)
    whole = upload.size <= sniff.SAMPLE_BYTES
    nuls = _text_or_refused(upload, filename, head, whole)
    encoding = sniff.sniff_encoding(head, whole_file=whole)
    problems: list[Problem] = []
    source: str | bytes = upload.handle()  # type: ignore[assignment]
    if encoding not in ("utf-8", "utf-8-sig"):
        source, encoding = _transcode(upload, encoding)
    sample = sniff.decode_sample(head, encoding)
    if what := sniff.json_description(sample):
        raise rejected(f"'{filename}' holds {what}, not a table with a delimiter between its values. Export it "
                       "as CSV from where it came.")
    fixed, sample, notes = export_lines.repaired(source, sample, nuls=nuls)
    if fixed is not None:
        source, problems = _rewritten(upload, fixed), problems + notes
    skip, first = layout.preamble_lines(sample, sniff.DELIMITERS)
    if skip:  # a title or licence above the table: read from its header on, and say so
        source = _drop_lines(source, skip)
        sample = "".join(sample.splitlines(keepends=True)[skip:])
        problems.append(Problem(None, None, f"The first {skip} line(s) are not part of the table (they start "
                                f"{first[:60]!r}); the table was read from line {skip + 1}, its header.", "info"))
    fmt = sniff.sniff_format(sample, extension=extension, whole_file=whole)
    delimiter = fmt.delimiter
    if delimiter == layout.WHITESPACE:
        source, fmt = _tabs_for_whitespace(upload, source), dataclasses.replace(fmt, delimiter="\t")
        problems.append(Problem(None, None, "Values are separated by spaces; each run of spaces was read as one "
                                "separator.", "info"))
    if not fmt.has_header:
        problems.append(Problem(
            None, None, f"The first row holds values, not column names, so it was read as data and the columns "
            f"are called column_1 … column_{len(fmt.header)}.", "info",
        ))  # fmt: skip
    try:
        try:
            frame = _polars_read(source, fmt)
        except _NotUtf8:  # the sample was UTF-8 but a later byte is not
            source, encoding = _transcode(upload, sniff.fallback_encoding(head))
            frame = _polars_read(source, fmt)
    except _Ragged:
        frame = _read_ragged(upload, source, fmt, problems, spaced=delimiter == layout.WHITESPACE)
    if sniff.dots_may_group(delimiter, fmt.decimal_comma, fmt.rows) and (
            floats := [c for c, dtype in frame.schema.items() if dtype.is_float()]):
        frame = _polars_read(source, fmt, text_columns=floats)  # as written: kinds reads their dots as thousands
    frame, fmt = _without_labels(frame, fmt, problems)
    problems += _reading_notes(encoding, frame, fmt)
    return Parsed(frame, fmt.header, problems, encoding, delimiter, fmt.decimal_comma, sample_rows=fmt.rows)


def _read_ragged(upload: Upload, source: str | bytes, fmt: sniff.TextFormat, problems: list[Problem], *,
                 spaced: bool) -> pl.DataFrame:
    """A text polars refused as ragged: read when lone CRs past the sample end its lines, or when the extra fields
    are only empty (a delimiter at the end of every line, with a warning); else refused, every ragged row listed."""
    if (fixed := export_lines.lone_crs_fixed(source)) is not None:
        source = _rewritten(upload, fixed)
        try:
            frame = _polars_read(source, fmt)
            problems.append(Problem(None, None, export_lines.MIXED_LINE_ENDS, "info"))
            return frame
        except _Ragged:
            pass
    ragged, trailing_only = ragged_rows(source, fmt, spaced=spaced)
    if not trailing_only:
        _, header_problems = layout.header_names(fmt.header)
        raise IngestError(ragged + header_problems) from None
    problems += ragged  # only empty extra fields, e.g. a delimiter at the end of every line
    return _polars_read(source, fmt, truncate_ragged_lines=True)


def _text_or_refused(upload: Upload, filename: str, head: bytes, whole: bool) -> bool:
    """Refuse an empty file or one that is not text; True when it holds a few NUL bytes to remove."""
    if upload.size == 0 or (not head.strip() and (whole or _blank_file(upload))):
        raise rejected("The file is empty.")
    nuls = export_lines.rare_nuls(head, () if whole else upload.chunks(len(head)))
    what = sniff.binary_description(head.replace(b"\x00", b"") if nuls else head)
    if what is None and nuls is None:
        what = f"binary data: many NUL bytes after its first {sniff.SAMPLE_BYTES // 1024} KB"
    if what:
        raise rejected(f"'{filename}' does not look like a text table (it looks like {what}); is it really a CSV?")
    return bool(nuls)


def _without_labels(frame: pl.DataFrame, fmt: sniff.TextFormat, problems: list[Problem]
                    ) -> tuple[pl.DataFrame, sniff.TextFormat]:
    """The table without a row of labels under its header (SAS, SPSS), with a note."""
    if not fmt.has_header or not layout.label_row(fmt.rows, decimal_comma=fmt.decimal_comma):
        return frame, fmt
    labels = ", ".join(repr(c.strip()) for c in fmt.rows[0][:3]) + (" …" if len(fmt.rows[0]) > 3 else "")
    problems.append(Problem(None, None, f"The row under the header labels the columns ({labels}), as SAS and SPSS "
                            "exports write a second header row; it was left out.", "info"))
    return frame.slice(1), dataclasses.replace(fmt, rows=fmt.rows[1:])


def _reading_notes(encoding: str, frame: pl.DataFrame, fmt: sniff.TextFormat) -> list[Problem]:
    problems = []
    if encoding == "utf-8-lossy":
        problems.append(Problem(
            None, None, "Some bytes in the file are not valid UTF-8; they were replaced with �. "
            "Save the file as UTF-8 to keep those characters.", "warning",
        ))  # fmt: skip
    elif encoding not in ("utf-8", "utf-8-sig"):
        problems.append(Problem(
            None, None, f"{ENCODING_NOTE} {sniff.ENCODING_NAMES[encoding]}, not UTF-8; it was "
            "converted. Check that accented letters look right.", "info",
        ))  # fmt: skip
    if frame.width == 1:
        problems.append(Problem(
            None, None, "Only one column was found. If the values are separated by something other than "
            "a comma, semicolon, tab, pipe or spaces (a colon, say), save the file as CSV.", "info",
        ))  # fmt: skip
    if fmt.decimal_comma:
        problems.append(Problem(
            None, None, "Numbers are written the European way, a comma as the decimal mark and dots between "
            "thousands (1.234,5); they were read as 1234.5.", "info"
        ))  # fmt: skip
    return problems


def _drop_lines(source: str | bytes, count: int) -> bytes:
    """The text without its first ``count`` lines (a file path is read; such files are exports, not giants)."""
    data = Path(source).read_bytes() if isinstance(source, str) else getattr(source, "getvalue", lambda: source)()
    cut = 0
    for _ in range(count):
        cut = data.index(b"\n", cut) + 1
    return data[cut:]


def _blank_file(upload: Upload) -> bool:
    with upload.path.open("rb") if upload.path else io.BytesIO(upload.data or b"") as fh:
        while chunk := fh.read(1 << 20):
            if chunk.strip():
                return False
    return True


def _transcode(upload: Upload, encoding: str) -> tuple[str | bytes, str]:
    try:
        converted, used = sniff.transcode_to_utf8(upload.path or upload.data or b"", encoding)
    except UnicodeDecodeError as exc:
        raise rejected(
            f"The file could not be decoded as {sniff.ENCODING_NAMES.get(encoding, encoding)}. "
            "Save it again as UTF-8 CSV."
        ) from exc
    if isinstance(converted, Path):
        upload.temp_files.append(converted)
        return str(converted), used
    return converted, used


def _tabs_for_whitespace(upload: Upload, source: str | bytes) -> str | bytes:
    return _rewritten(upload, layout.tabs_for_whitespace(source))


def _rewritten(upload: Upload, rewritten: Path | bytes) -> str | bytes:
    """A rewritten source to read: bytes as they are, a temp file by its path (deleted after the read)."""
    if isinstance(rewritten, Path):
        upload.temp_files.append(rewritten)
        return str(rewritten)
    return rewritten


class _NotUtf8(Exception):
    pass


class _Ragged(Exception):
    pass


_PARSE_FAILURE = re.compile(r"could not parse `.*?` as dtype `[^`]+` at column '(.+?)' \(column number", re.S)


def _polars_read(source: str | bytes, fmt: sniff.TextFormat, *, truncate_ragged_lines: bool = False,
                 text_columns: tuple[str, ...] | list[str] = ()) -> pl.DataFrame:
    """polars.read_csv with its numeric inference; a late non-number turns that column to text."""
    overrides: dict[str, pl.DataType] = {name: pl.String() for name in [*_code_columns(fmt), *text_columns]}
    # try_parse_dates: clean ISO/DMY date columns are parsed inside polars' parallel reader;
    # a column it cannot parse consistently fails like a late non-number and comes back as text,
    # where detect_dates finds the mixed formats and bad values to report.
    options = {
        "separator": fmt.delimiter, "decimal_comma": fmt.decimal_comma, "raise_if_empty": False,
        "try_parse_dates": True, "truncate_ragged_lines": truncate_ragged_lines, "has_header": fmt.has_header,
    }  # fmt: skip
    for _ in range(5):
        try:
            frame = pl.read_csv(
                source, infer_schema_length=INFER_SCHEMA_ROWS, schema_overrides=overrides or None, **options
            )
            # Offsets ("…T00:00:00+01:00") were turned into UTC, moving local midnights to the day
            # before; such columns are read again as text, where the local date and time are kept.
            zoned = [c for c, d in frame.schema.items() if isinstance(d, pl.Datetime) and d.time_zone]
            again = [c for c in [*_stripped_codes(frame, fmt), *zoned, *_short_years(frame)] if c not in overrides]
            if not again:
                return frame
            overrides.update({name: pl.String() for name in again})
            continue
        except pl.exceptions.ComputeError as exc:
            failed = _PARSE_FAILURE.search(str(exc))
            if failed and failed.group(1) not in overrides:
                overrides[failed.group(1)] = pl.String()
                continue
            _raise_readable(exc)
        except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
            _raise_readable(exc)
    try:  # too many late surprises: read everything as text and let type_columns decide
        return pl.read_csv(source, infer_schema=False, **options)
    except (pl.exceptions.PolarsError, pl.exceptions.PanicException) as exc:
        _raise_readable(exc)
    raise AssertionError("unreachable")


def _short_years(frame: pl.DataFrame) -> list[str]:
    """Date columns polars read with years below 1000: two-digit years ("22-11-53", "01-01-00") taken as the
    years 53 and 0 (year 0 then crashed the profile with "year 0 is out of range"). They are read again as text,
    where ``detect_dates`` reads two-digit years and the day-month order itself."""
    found = []
    for name, dtype in frame.schema.items():
        if isinstance(dtype, (pl.Date, pl.Datetime)):
            years = frame[name].dt.year()
            if years.min() is not None and years.min() < 1000:
                found.append(name)
    return found


def _code_columns(fmt: sniff.TextFormat) -> list[str]:
    """Columns whose sampled values include zero-padded or very long digit strings: read them as text
    (polars would read 000123 as 123), and let kinds decide what they are."""
    pattern = re.compile(CODE_DIGITS)
    return [name for j, name in enumerate(fmt.header)
            if any(j < len(r) and pattern.match(r[j]) for r in fmt.rows)]


FIXED_WIDTH_MIN = 4   # digits: shorter codes ("01") cannot be told from small numbers


def _stripped_codes(frame: pl.DataFrame, fmt: sniff.TextFormat) -> list[str]:
    """Integer columns that are fixed-width codes (every sampled value has the same 4+ digits, as EAN and
    ZIP codes do) yet came out with shorter values: a leading zero past the sample was read away
    (02134 → 2134). Those are read again as text."""
    found, dtypes = [], frame.schema  # a polars schema is built anew on each access: once, not per column
    for j, name in enumerate(fmt.header):
        if name not in dtypes or not dtypes[name].is_integer():
            continue
        sampled = {len(r[j].strip()) for r in fmt.rows if j < len(r) and r[j].strip()}
        if len(sampled) != 1 or (width := sampled.pop()) < FIXED_WIDTH_MIN:
            continue
        values = frame[name].drop_nulls()
        if len(values) and values.min() >= 0 and values.cast(pl.String).str.len_chars().min() < width:
            found.append(name)
    return found


def _raise_readable(exc: BaseException) -> None:
    message = str(exc)
    if "invalid utf-8" in message.lower():
        raise _NotUtf8 from exc
    if "more fields than defined" in message:
        raise _Ragged from exc
    first_line = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    raise rejected(f"The file could not be read as a table: {first_line}. Check that it is a plain CSV.") from exc
