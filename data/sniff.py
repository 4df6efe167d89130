"""Byte-level sniffing of uploaded text tables: is it text, which encoding, which delimiter.

Everything here looks at a bounded sample, so the cost does not grow with the file. The only
whole-file pass is `transcode_to_utf8`, and it runs only for files that are not UTF-8
(polars reads nothing else).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from data import layout

SAMPLE_BYTES = 256 * 1024
SAMPLE_RECORDS = 50
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe", layout.WHITESPACE: "spaces"}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "cp1252": "Windows-1252",
    "cp1250": "Windows-1250 (Central European)",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 without a byte-order mark",
    "utf-16-be": "UTF-16 (big-endian) without a byte-order mark",
    "utf-8-lossy": "UTF-8 with some invalid bytes (shown as �)",
}
# Bytes that Windows-1252 leaves undefined: their presence means the file cannot be cp1252.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")
_C1_RANGE = re.compile(rb"[\x80-\x9f]")
_CONTROL_BYTES = bytes(b for b in range(1, 32) if b not in (9, 10, 12, 13))  # never in text tables
_IN_MEMORY_LIMIT = 64 * 1024 * 1024
_CHUNK = 4 * 1024 * 1024
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive or an Excel .xlsx workbook"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office file such as an Excel .xls workbook"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PAR1", "a Parquet file"),
    (b"\x1f\x8b", "a gzip archive"),
)
_COMMA_DECIMAL = re.compile(r"^[+-]?\d+,\d+$|^[+-]?\d{1,3}(\.\d{3})+,\d+$")
_DECORATION = re.compile(r"[\s$€£¥%']")
_DOT_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
DOT_THOUSANDS = r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$"  # 2.897, 1.025.300, 1.234,5: dots between thousands
_DOT_THOUSANDS = re.compile(DOT_THOUSANDS)


@dataclass(frozen=True)
class TextFormat:
    """What the sample says about how to parse the text."""

    delimiter: str
    decimal_comma: bool
    header: list[str]
    rows: list[list[str]]  # the first data records, as text
    has_header: bool = True  # False: the first line is data and `header` holds column_1 … column_N


def binary_description(sample: bytes) -> str | None:
    """Describe the sample when it is clearly not text, so the error can say what it is."""
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or utf16_without_bom(sample):
        return None
    for magic, description in _MAGIC:
        if sample.startswith(magic):
            return description
    if b"\x00" in sample:
        return "binary data"
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if sample and controls / len(sample) > 0.01:
        return "binary data"
    return None


def json_description(text: str) -> str | None:
    """What a JSON file renamed .csv holds ('JSON lines', one object per line, or 'a JSON document'); None for a
    table. Read as a table, each "key": value pair had become a column named after the first record's values."""
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0].strip()
    if first[:1] not in ("{", "["):
        return None
    try:
        json.loads(first)
    except ValueError:
        return "a JSON document" if first in ("{", "[") or first.startswith(('{"', '[{', '["')) else None
    return "JSON lines (one object per line)" if first.startswith("{") else "a JSON document"


def sniff_encoding(sample: bytes, *, whole_file: bool) -> str:
    """Guess the encoding from the sample; `transcode_to_utf8` settles cp1252 vs latin-1."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if unmarked := utf16_without_bom(sample):
        return unmarked
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=whole_file)
        return "utf-8"
    except UnicodeDecodeError:
        return legacy_encoding(sample)


def utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' (or '-be') for a table written as UTF-16 without its byte-order mark, as SQL Server's bcp -w
    writes one: every other byte NUL, and the text a few lines with a delimiter. It had been refused as binary data."""
    even, odd = sample[0:4096:2], sample[1:4096:2]
    for zeros, other, name in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if len(zeros) >= 16 and zeros.count(0) >= 0.7 * len(zeros) and other.count(0) <= 0.01 * len(other):
            text = sample[:4096].decode(name, "replace")
            controls = sum(c < " " and c not in "\t\n\r" for c in text)  # small 16-bit numbers are no letters
            if "\n" in text and any(d in text for d in DELIMITERS) and controls <= 0.01 * len(text):
                return name
    return None


def fallback_encoding(sample: bytes) -> str:
    """For a file whose sample was UTF-8 but a later byte is not.

    A sample that already uses multi-byte UTF-8 (accents) means a UTF-8 file with a few bad
    bytes: re-reading it as cp1252 would garble every accent, so only the bad bytes are replaced.
    """
    utf8_text = bool(re.search(rb"[\xc2-\xf4][\x80-\xbf]", sample))
    return "utf-8-lossy" if utf8_text else legacy_encoding(sample)


def legacy_encoding(data: bytes) -> str:
    """Windows-1252 when 0x80-0x9F bytes are used as cp1252 letters (e.g. the euro sign); Windows-1250 when its
    reading makes words of the letters and Windows-1252's does not (a Polish or Czech export)."""
    if _HIGH_BYTE.search(data) and _odd_letters(data.decode("cp1250", "replace")) < _odd_letters(
            data.decode("cp1252", "replace")):
        return "cp1250"
    c1 = set(_C1_RANGE.findall(data))
    if not c1:
        return "latin-1"
    return "latin-1" if any(b[0] in _CP1252_UNDEFINED for b in c1) else "cp1252"


_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_LETTER = r"[^\W\d_]"
# What a misread letter looks like: a symbol inside a word (Windows-1252 reads ł ą ż as ³ ¹ ¿: 'zaleg³oœæ'), a byte
# the code page leaves undefined (ť, Ź in Windows-1250), or ì ù before a letter (ě ů in a Czech word: 'Budìjovice').
_ODD_LETTER = re.compile(rf"(?<={_LETTER})[\u00a0-\u00bf\u02c6-\u02dd\u2000-\u20ff](?={_LETTER})|\ufffd"
                         rf"|[ìùÌÙ](?={_LETTER})")


def _odd_letters(text: str) -> int:
    return sum(not found.isalpha() or found in "ìùÌÙ" for found in _ODD_LETTER.findall(text))


def decode_sample(sample: bytes, encoding: str) -> str:
    """Decode a sample that may end in the middle of a multi-byte character."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    return decoder.decode(sample, final=False)


def transcode_to_utf8(source: Path | bytes, encoding: str) -> tuple[Path | bytes, str]:
    """Re-encode to UTF-8 (in memory when small, else streamed to a temp file the caller deletes).

    Returns the new source and the encoding actually used: a cp1252 (or cp1250) guess that meets a byte
    it leaves undefined falls back to latin-1, which can decode anything. Raises
    UnicodeDecodeError only for a broken UTF-16 file.
    """
    if encoding == "latin-1":
        encoding = "cp1252"  # identical for 0xA0-0xFF; cp1252 also gives the euro sign etc.
    try:
        return _transcode(source, encoding)
    except UnicodeDecodeError:
        if encoding not in ("cp1252", "cp1250"):
            raise
        return _transcode(source, "latin-1")


def _transcode(source: Path | bytes, encoding: str) -> tuple[Path | bytes, str]:
    saw_c1 = False
    codec, errors = ("utf-8", "replace") if encoding == "utf-8-lossy" else (encoding, "strict")
    if isinstance(source, Path) and source.stat().st_size <= _IN_MEMORY_LIMIT:
        source = source.read_bytes()
    if isinstance(source, bytes) and len(source) <= _IN_MEMORY_LIMIT:
        saw_c1 = bool(_C1_RANGE.search(source))
        out = source.decode(codec, errors).encode("utf-8")
        return out, _name_used(encoding, saw_c1)
    decoder = codecs.getincrementaldecoder(codec)(errors)
    reader = io.BytesIO(source) if isinstance(source, bytes) else open(source, "rb")  # noqa: SIM115
    tmp = tempfile.NamedTemporaryFile(prefix="dd-ingest-", suffix=".csv", delete=False)  # noqa: SIM115
    try:
        with reader, tmp:
            while chunk := reader.read(_CHUNK):
                saw_c1 = saw_c1 or bool(_C1_RANGE.search(chunk))
                tmp.write(decoder.decode(chunk).encode("utf-8"))
            tmp.write(decoder.decode(b"", final=True).encode("utf-8"))
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise
    return Path(tmp.name), _name_used(encoding, saw_c1)


def _name_used(encoding: str, saw_c1: bool) -> str:
    """Report latin-1 for cp1252-decoded files that never used cp1252's extra characters."""
    if encoding == "cp1252" and not saw_c1:
        return "latin-1"
    return encoding


def sniff_format(text: str, *, extension: str, whole_file: bool) -> TextFormat:
    """Pick the delimiter whose field count is most consistent over the first records."""
    if not whole_file:
        text = text[: text.rfind("\n") + 1] or text  # drop a record cut by the sample boundary
    best: tuple[float, int, int] | None = None
    chosen = "\t" if extension == ".tsv" else ","
    for order, delim in enumerate(DELIMITERS):
        records = _records(text, delim)
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        consistency = sum(len(r) == width for r in records) / len(records)
        preferred = 1 if (extension == ".tsv" and delim == "\t") else 0
        score = (consistency + preferred, width, -order)
        if best is None or score > best:
            best, chosen = score, delim
    if best is None:  # no delimiter gives two columns: maybe runs of spaces separate the fields
        spaced = layout.whitespace_records(text, SAMPLE_RECORDS)
        if layout.is_space_separated(spaced):
            return _with_header(layout.WHITESPACE, spaced, decimal_comma=False)
    records = _records(text, chosen)
    return _with_header(chosen, records, decimal_comma=_uses_decimal_comma(records[1:], chosen))


def _with_header(delimiter: str, records: list[list[str]], *, decimal_comma: bool) -> TextFormat:
    if layout.first_row_is_data(records, decimal_comma=decimal_comma):
        return TextFormat(delimiter, decimal_comma, layout.generic_names(len(records[0])), records, has_header=False)
    header = records[0] if records else []
    return TextFormat(delimiter, decimal_comma, header, records[1:])


def _records(text: str, delimiter: str) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"')
    records: list[list[str]] = []
    try:
        for record in reader:
            if record:
                records.append(record)
            if len(records) >= SAMPLE_RECORDS:
                break
    except csv.Error:
        pass
    return records


def dots_may_group(delimiter: str | None, decimal_comma: bool, records: list[list[str]]) -> bool:
    """A semicolon file whose sampled rows hold no decimal at all: a dotted number further down (1.200) is read as
    the sampled rows would have had it read (1200), not as polars reads it (1.2)."""
    return delimiter == ";" and not decimal_comma and not any(
        _DOT_DECIMAL.match(f) and not _DOT_THOUSANDS.match(f) for r in records for f in r)


def _uses_decimal_comma(records: list[list[str]], delimiter: str) -> bool:
    """Comma decimals only make sense when the comma is not the delimiter."""
    if delimiter == ",":
        return False
    # money, percent and group spaces aside ("1 234,5 €", "12,5 %"): the decimal mark is what is left to judge
    fields = [_DECORATION.sub("", f) for r in records for f in r]
    comma = sum(bool(_COMMA_DECIMAL.match(f)) for f in fields)
    dot = sum(bool(_DOT_DECIMAL.match(f)) for f in fields)
    if comma > 0 and comma >= dot:
        return True
    # A German export of whole numbers: 664 and 2.897 in a semicolon file, every dotted number in groups of
    # three digits (and no 0.5): the dots group thousands, as they do beside decimal commas.
    grouped = sum(bool(_DOT_THOUSANDS.match(f)) for f in fields)
    decimals = sum(bool(_DOT_DECIMAL.match(f)) and not _DOT_THOUSANDS.match(f) for f in fields)
    return delimiter == ";" and comma == 0 and grouped > 0 and decimals == 0
