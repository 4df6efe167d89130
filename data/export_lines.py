"""What exports add around a table's lines that polars cannot read through: old-Mac line ends (a lone CR), NUL
bytes (a writer's padding), and footer lines under the table (a total, "Report generated …")."""
from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import polars as pl

from data.layout import PREAMBLE_TABLE_LINES
from data.profile import Problem, rows_text

_LONE_CR = re.compile(rb"\r(?!\n)")
_LONE_CR_TEXT = re.compile(r"\r(?!\n)")
MIXED_LINE_ENDS = ("Some lines end with a carriage return only (old Mac style), others with a line feed, as in "
                   "lines joined from two systems; all were read as ordinary line ends.")
MAX_NUL_SHARE = 0.01  # of the sampled bytes before a trailing run: more is binary data (or UTF-16 without its BOM)


def rare_nuls(sample: bytes, rest: Iterable[bytes] = ()) -> bool | None:
    """A text file with a few NUL bytes (a field or the file's end padded with them, as a crashed or preallocating
    writer leaves them): it had been refused as binary data. ``rest``: the file's chunks after the sample, counted
    one at a time (NULs past the sample had been kept in the cells, a padded end read as one more row). None when
    the sample is clean text but the rest holds more than a few: binary data after the sample."""
    body = sample.rstrip(b"\x00")  # a run at the end is padding, however long
    if b"\x00" in body and body.count(0) > MAX_NUL_SHARE * len(body):
        return False  # the sample alone says binary (or UTF-16 without its BOM): judged as before
    nuls, size, run = sample.count(0), len(sample), len(sample) - len(body)
    for chunk in rest:
        nuls, size = nuls + chunk.count(0), size + len(chunk)
        kept = len(chunk.rstrip(b"\x00"))
        run = run + len(chunk) if kept == 0 else len(chunk) - kept
    if not nuls or size == run:
        return False
    return True if nuls - run <= MAX_NUL_SHARE * (size - run) else None


def repaired(source: str | bytes, sample: str, *, nuls: bool) -> tuple[Path | bytes | None, str, list[Problem]]:
    """The source with NUL bytes dropped (when ``nuls``) and lone CRs made line feeds (old Mac line ends, as Excel
    for Mac's "CSV (Macintosh)" writes: polars splits lines only at LF and had read such a file as a header and no
    rows), with the sample to sniff and a note for each; None when nothing needed repair. Bytes stay in memory; a
    file is streamed to a temp file the caller deletes."""
    lone = len(_LONE_CR_TEXT.findall(sample))
    mac = lone > sample.count("\n")  # a cell's own line break may be an LF
    # Lines joined from two systems (CRLF, LF and CR ends in one file): polars took each CR-ended line and the next
    # for one row and refused the file ("Some rows have more fields than the header"). A CR outside quotes ends a
    # line; one inside a quoted cell is the cell's.
    mixed = not mac and lone > 0 and _outside_quotes(sample)
    if not nuls and not mac and not mixed:
        return None, sample, []
    notes = []
    if nuls:
        notes.append(Problem(None, None, "The file holds NUL bytes (\\x00, a writer's padding); they were removed.",
                             "warning"))
        sample = sample.replace("\x00", "")
    if mac or mixed:
        notes.append(Problem(None, None, "Lines end with a carriage return only (old Mac style); they were read as "
                             "ordinary line ends." if mac else MIXED_LINE_ENDS, "info"))
        sample = _LONE_CR_TEXT.sub("\n", sample)

    def fix(chunk: bytes) -> bytes:
        chunk = chunk.replace(b"\x00", b"") if nuls else chunk
        return _LONE_CR.sub(b"\n", chunk) if mac or mixed else chunk

    return _rewrite(source, fix), sample, notes


def lone_crs_fixed(source: str | bytes) -> Path | bytes | None:
    """The source with its lone CRs made line feeds, None when it holds none: for a file polars refused as ragged
    whose CR line ends start past the sniffed sample (lines from an old Mac appended), which had been refused with
    "Some rows have more fields than the header"."""
    if isinstance(source, bytes):
        return _LONE_CR.sub(b"\n", source) if _LONE_CR.search(source) else None
    with open(source, "rb") as data:  # a CRLF split by the chunk boundary only costs a rewrite that changes nothing
        if not any(_LONE_CR.search(chunk) for chunk in iter(lambda: data.read(4 << 20), b"")):
            return None
    return _rewrite(source, lambda chunk: _LONE_CR.sub(b"\n", chunk))


def _outside_quotes(sample: str) -> bool:
    """Whether a lone CR stands outside quoted cells: the text between quotes is every other piece of a split at
    them (an escaped quote, written twice, leaves an empty piece and keeps the count)."""
    return any(_LONE_CR_TEXT.search(piece) for piece in sample.split('"')[::2])


def _rewrite(source: str | bytes, fix: Callable[[bytes], bytes]) -> Path | bytes:
    if isinstance(source, bytes):
        return fix(source)
    out = tempfile.NamedTemporaryFile(prefix="dd-repaired-", suffix=".csv", delete=False)  # noqa: SIM115
    try:
        with open(source, "rb") as data, out:
            while chunk := data.read(4 << 20):
                while chunk.endswith(b"\r") and (more := data.read(1)):  # a CRLF split by the chunk boundary
                    chunk += more
                out.write(fix(chunk))
    except BaseException:
        Path(out.name).unlink(missing_ok=True)
        raise
    return Path(out.name)


FOOTER_LOOK_BACK = 8  # rows at the end of a table where an export's footer lines are looked for
_FOOTER_WORDS = re.compile(r"(?i)^\s*(grand\s+total|totals?\b|sum\b|summe\b|gesamt|insgesamt|subtotal|report\b|"
                           r"generated|exported|printed|created|prepared|data as of|as of\b|source\s*:|notes?\s*:|"
                           r"page\s+\d|end of|confidential|copyright|©|\(?\d[\d,.]*\s+(rows?|records?|lines?)\b)")
_TOTAL_WORDS = re.compile(r"(?i)^\s*(grand\s+total|totals?|sum|summe|gesamt\w*|insgesamt|subtotal)\b")
_AMOUNT = re.compile(r"^[\s$€£¥(+-]*\d[\d\s.,'\u00a0\u202f]*\s*[%)]?\s*[$€£¥]?\s*-?$")


def drop_footer(frame: pl.DataFrame, problems: list[Problem]) -> pl.DataFrame:
    """Lines an export writes under its table ("Total,$9,349,483.00,,", "Report generated 2024-03-05 by SAP")
    are not rows: they had been kept as data (the total as a loan, the line as an id with empty cells, and in a
    file to score as an extra scored row). A footer row's first filled cell, in the first or second column, is a
    total's word with only amounts beside it, or a footer's words ("Report", "Source:", "Page 1") alone on its
    line; a last row of a name and empty cells stays a row."""
    if frame.width < 2 or frame.height < PREAMBLE_TABLE_LINES:
        return frame
    start = frame.height - min(FOOTER_LOOK_BACK, frame.height - 1)
    tail, cut = frame.slice(start).rows(), frame.height
    for i in range(len(tail) - 1, -1, -1):
        filled = [(j, str(v).strip()) for j, v in enumerate(tail[i]) if v is not None and str(v).strip()]
        if not filled:
            continue
        j, first = filled[0]
        alone, amounts = len(filled) == 1, all(_AMOUNT.match(v) for _, v in filled[1:])
        if j > 1 or not isinstance(tail[i][j], str) or not (
                (_TOTAL_WORDS.match(first) and amounts) or (alone and _FOOTER_WORDS.match(first))):
            break
        cut = start + i
    if cut == frame.height:
        return frame
    rows = [start + i + 1 for i in range(cut - start, len(tail)) if any(v is not None for v in tail[i])]
    what = f"Row {rows[0]} at the end is" if len(rows) == 1 else f"Rows {rows_text(rows, len(rows))} at the end are"
    first = str(next(v for v in tail[cut - start] if v is not None))[:60]
    problems.append(Problem(rows[0], None, f"{what} not part of the table (a total or a note under it, starting "
                            f"{first!r}); left out.", "info"))
    return frame.head(cut)

