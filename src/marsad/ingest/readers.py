"""Files, folders, standard input and in-memory bytes → Documents and Rejections, streaming.

Each input is classified by its extension, else by its first bytes: plain text, HTML, JSON lines / JSON, CSV/TSV;
gzip is unwrapped first (by its magic bytes, whatever the name). Plain text and HTML are one document each and
are read whole, up to ``max_bytes``; corpora (JSON lines, CSV) are read record by record, so a corpus of any size
streams, and ``max_bytes`` then bounds each record. Nothing here raises for bad input: every problem becomes a
:class:`Rejection` and reading goes on.
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import sys
import zlib
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Mapping, TextIO

from marsad.document import Document
from marsad.ingest.encoding import (
    MARKING_ERRORS,
    UNDECODABLE_MARK,
    Encoding,
    Undecodable,
    binary_kind,
    decode,
    detect_encoding,
)
from marsad.ingest.html import extract_article
from marsad.ingest.records import KNOWN_FIELDS, TEXT_FIELDS, Rejection, make_document

DEFAULT_MAX_BYTES = 10_000_000
STDIN = "-"
STDIN_ORIGIN = "<stdin>"

# Enough of the start of a stream to sniff its kind and its encoding.
_HEAD_BYTES = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"

KINDS = ("text", "html", "jsonl", "json", "csv", "tsv")
_KIND_ALIASES = {"txt": "text", "htm": "html", "ndjson": "jsonl"}
_EXTENSIONS = {
    ".txt": "text", ".text": "text",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
    ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
}
_CSV_DELIMITERS = (",", ";", "\t", "|")
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_FRAGMENT = re.compile(r"\s*<(?:p|div|article|section|h[1-6]|span|table)\b", re.I)
_DECOMPRESSION_ERRORS = (EOFError, zlib.error, gzip.BadGzipFile)


# --- public entry points ---------------------------------------------------------------------------------------
def read_paths(
    paths: Iterable[str | os.PathLike[str]] | str,
    *,
    default_published: str | None = None,
    default_source: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Document | Rejection]:
    """Documents from files, folders (recursively, in sorted order, hidden files skipped) and ``"-"`` (stdin).

    ``default_published`` and ``default_source`` fill in records and files that carry no date or source.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    defaults = {"published": default_published, "source": default_source}
    for given in paths:
        given = os.fspath(given)
        if given == STDIN:
            stdin = _stdin_bytes()
            if stdin is None:
                yield Rejection(STDIN_ORIGIN, "no standard input to read")
            else:
                yield from _read_stream(stdin, STDIN_ORIGIN, name="", size=None, defaults=defaults,
                                        max_bytes=max_bytes)
            continue
        path = Path(given)
        try:
            if path.is_dir():
                found = False
                for item in _walk(path):
                    found = True
                    if isinstance(item, Rejection):
                        yield item
                    else:
                        yield from _read_file(item, defaults=defaults, max_bytes=max_bytes)
                if not found:
                    yield Rejection(given, "folder has no files to read (hidden files are skipped)")
            elif path.exists():
                yield from _read_file(path, defaults=defaults, max_bytes=max_bytes)
            else:
                yield Rejection(given, "no such file or folder")
        except OSError as error:
            yield Rejection(given, f"cannot read: {error.strerror or error}")


def read_bytes(
    data: bytes,
    origin: str,
    *,
    kind: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    **meta: Any,
) -> Iterator[Document | Rejection]:
    """Documents from bytes already in memory (an upload, a download, a test).

    ``kind`` is one of text, html, jsonl (one record a line), json (JSON lines, or one JSON document: a record or
    an array of records), csv, tsv; by default it is guessed from ``origin``'s extension, then from the content.
    ``meta`` (title, published, source, url, or anything else) fills in what the input itself does not say.
    An unknown ``kind`` is a programming error and raises ValueError at once.
    """
    if kind is not None:
        kind = _KIND_ALIASES.get(kind.lower(), kind.lower())
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return _read_stream(io.BytesIO(data), origin, name=origin, size=None, defaults=meta, max_bytes=max_bytes,
                        kind=kind)


def _stdin_bytes() -> BinaryIO | None:
    if sys.stdin is None:
        return None
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    # A text-only replacement (an embedding application's StringIO): its text is already decoded.
    return io.BytesIO(sys.stdin.read().encode("utf-8"))


# --- files and folders -----------------------------------------------------------------------------------------
def _walk(folder: Path) -> Iterator[Path | Rejection]:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as error:
        yield Rejection(str(folder), f"cannot list folder: {error.strerror or error}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            # Symlinked folders are not followed (they can loop); symlinked files are read.
            if entry.is_dir(follow_symlinks=False):
                yield from _walk(Path(entry.path))
            elif entry.is_file():
                yield Path(entry.path)
        except OSError as error:
            yield Rejection(entry.path, f"cannot read: {error.strerror or error}")


def _read_file(path: Path, *, defaults: Mapping[str, Any], max_bytes: int) -> Iterator[Document | Rejection]:
    origin = str(path)
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            yield from _read_stream(handle, origin, name=path.name, size=size, defaults=defaults,
                                    max_bytes=max_bytes)
    except OSError as error:
        yield Rejection(origin, f"cannot read file: {error.strerror or error}")


# --- one stream ------------------------------------------------------------------------------------------------
class _Prefixed(io.RawIOBase):
    """A stream whose first bytes were already read (for sniffing) put back in front of the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_exactly(stream: BinaryIO, n: int) -> bytes:
    chunks, total = [], 0
    while total < n:
        chunk = stream.read(n - total)
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _kind_from_name(name: str) -> str | None:
    lowered = name.lower()
    if lowered.endswith(".gz"):
        lowered = lowered[:-3]
    return _EXTENSIONS.get(os.path.splitext(lowered)[1])


def _kind_from_content(head_text: str) -> str:
    if _HTML_START.match(head_text) or _HTML_FRAGMENT.match(head_text):
        return "html"
    if head_text.lstrip()[:1] in ("{", "["):
        return "json"
    return "text"


def _read_stream(
    raw: BinaryIO,
    origin: str,
    *,
    name: str,
    size: int | None,
    defaults: Mapping[str, Any],
    max_bytes: int,
    kind: str | None = None,
) -> Iterator[Document | Rejection]:
    try:
        yield from _read_stream_unguarded(raw, origin, name=name, size=size, defaults=defaults,
                                          max_bytes=max_bytes, kind=kind)
    except _DECOMPRESSION_ERRORS as error:
        yield Rejection(origin, f"corrupt or truncated gzip data ({error}); records before it were read")


def _read_stream_unguarded(
    raw: BinaryIO,
    origin: str,
    *,
    name: str,
    size: int | None,
    defaults: Mapping[str, Any],
    max_bytes: int,
    kind: str | None,
) -> Iterator[Document | Rejection]:
    head = _read_exactly(raw, _HEAD_BYTES)
    compressed = head.startswith(_GZIP_MAGIC)
    if compressed:
        raw = gzip.GzipFile(fileobj=_Prefixed(head, raw), mode="rb")  # type: ignore[assignment]
        head = _read_exactly(raw, _HEAD_BYTES)
        size = None  # the stored size says nothing about the text's
    if not head:
        yield Rejection(origin, "empty file" if not compressed else "empty file (after decompression)")
        return
    binary = binary_kind(head)
    if binary is not None:
        yield Rejection(origin, f"binary file ({binary}), not text")
        return
    kind = kind or _kind_from_name(name)

    if kind is None:
        try:
            encoding = detect_encoding(head, final=len(head) < _HEAD_BYTES)
        except Undecodable as error:
            yield Rejection(origin, str(error))
            return
        kind = _kind_from_content(head.decode(encoding.codec, errors="replace"))
        sniffed_json = kind == "json"
    else:
        sniffed_json = False

    if kind in ("jsonl", "json", "csv", "tsv"):
        yield from _read_corpus(head, raw, origin, kind=kind, defaults=defaults, max_bytes=max_bytes,
                                sniffed=sniffed_json)
        return

    # A single document: read whole, but never more than the limit.
    if size is not None and size > max_bytes:
        yield Rejection(origin, f"file too large: {size:,} bytes (the limit is {max_bytes:,})")
        return
    data = head + _read_exactly(raw, max(0, max_bytes + 1 - len(head)))
    if len(data) > max_bytes:
        what = "decompressed text" if compressed else "input"
        yield Rejection(origin, f"file too large: the {what} exceeds the limit of {max_bytes:,} bytes")
        return
    yield _single_document(data, origin, kind=kind, defaults=defaults)


def _single_document(data: bytes, origin: str, *, kind: str, defaults: Mapping[str, Any]) -> Document | Rejection:
    try:
        text, encoding = decode(data)
    except Undecodable as error:
        return Rejection(origin, str(error))
    extra = {"origin": origin, "encoding": encoding.label, "format": kind}
    if kind == "html":
        try:
            article = extract_article(text)
        except Exception as error:  # noqa: BLE001 - a third-party parser on any page from the web must not end ingest
            return Rejection(origin, f"HTML extraction failed ({type(error).__name__}: {error})")
        if article is None:
            return Rejection(origin, "HTML page with no article text (only navigation, links or boilerplate)")
        page = {"title": article.title, "published": article.published, "url": article.url,
                "source": article.site, "author": article.author}
        return make_document(article.text, origin, fields=page, defaults=defaults, extra=extra)
    return make_document(text, origin, defaults=defaults, extra=extra)


# --- corpora ---------------------------------------------------------------------------------------------------
def _read_corpus(
    head: bytes,
    raw: BinaryIO,
    origin: str,
    *,
    kind: str,
    defaults: Mapping[str, Any],
    max_bytes: int,
    sniffed: bool,
) -> Iterator[Document | Rejection]:
    try:
        encoding = detect_encoding(head, final=len(head) < _HEAD_BYTES)
    except Undecodable as error:
        yield Rejection(origin, str(error))
        return
    stream = io.TextIOWrapper(
        io.BufferedReader(_Prefixed(head, raw)),  # type: ignore[arg-type]
        encoding=encoding.codec,
        errors=MARKING_ERRORS,
        newline="" if kind in ("csv", "tsv") else None,  # the csv module handles line ends inside quoted fields
    )
    extra = {"encoding": encoding.label, "format": "csv" if kind == "tsv" else kind}
    if kind in ("jsonl", "json"):
        yield from _json_records(stream, origin, lines_only=kind == "jsonl", encoding=encoding, extra=extra,
                                 defaults=defaults,
                                 max_bytes=max_bytes, sniffed=sniffed)
    else:
        yield from _csv_records(stream, origin, tab=kind == "tsv", extra=extra, defaults=defaults,
                                max_bytes=max_bytes)


def _record_document(
    record: Mapping[str, Any], origin: str, *, extra: Mapping[str, Any], defaults: Mapping[str, Any]
) -> Document | Rejection:
    fields: dict[str, Any] = {}
    for key, value in record.items():
        name = str(key).strip().lstrip("\ufeff")
        fields.setdefault(name.lower() if name.lower() in KNOWN_FIELDS else name, value)
    text_field = next((f for f in TEXT_FIELDS if f in fields), None)
    if text_field is None:
        return Rejection(origin, f"no text field (expected one of: {', '.join(TEXT_FIELDS)})")
    text = fields.pop(text_field)
    if text is None or (isinstance(text, str) and not text.strip()):
        # An empty "text" with a filled "body" or "content": take the filled one.
        text_field = next((f for f in TEXT_FIELDS if isinstance(fields.get(f), str) and fields[f].strip()), None)
        if text_field is None:
            return Rejection(origin, "empty text")
        text = fields.pop(text_field)
    return make_document(text, origin, fields=fields, defaults=defaults, extra={"origin": origin, **extra})


def _json_records(
    stream: TextIO,
    origin: str,
    *,
    lines_only: bool,
    encoding: Encoding,
    extra: Mapping[str, Any],
    defaults: Mapping[str, Any],
    max_bytes: int,
    sniffed: bool,
) -> Iterator[Document | Rejection]:
    first = _first_content_line(stream, max_bytes)
    if first is None:
        yield Rejection(origin, "no records (the file holds only blank lines)")
        return
    first_number, first_line = first
    if not lines_only and first_line is not None and not _is_json(first_line):
        # A .json file (or JSON-looking input) whose first line is not a whole value: one JSON document, an array
        # of records or a pretty-printed record. A .jsonl file is always read line by line, so that a malformed
        # first line costs that record only.
        payload = first_line + stream.read(max_bytes + 1)
        if len(payload) > max_bytes:
            yield Rejection(origin, f"JSON document larger than the limit of {max_bytes:,} characters "
                                    "(split it into JSON lines, one record a line, to stream it)")
            return
        yield from _json_document(payload, origin, extra=extra, defaults=defaults, sniffed=sniffed,
                                  encoding=encoding)
        return

    for number, line in _numbered_lines(stream, max_bytes, first=(first_number, first_line)):
        record_origin = f"{origin}#line {number}"
        if line is None:
            yield Rejection(record_origin, f"record larger than the limit of {max_bytes:,} characters")
            continue
        if UNDECODABLE_MARK in line:
            yield Rejection(record_origin, f"undecodable bytes in this line (the file reads as {encoding.label})")
            continue
        try:
            record = json.loads(line.rstrip("\r\n"))  # so that an error at the end is reported on this line
        except json.JSONDecodeError as error:
            yield Rejection(record_origin, f"malformed JSON: {error.msg} (column {error.colno})")
            continue
        if not isinstance(record, dict):
            yield Rejection(record_origin, f"not a JSON object but a {_json_type(record)}")
            continue
        yield _record_document(record, record_origin, extra=extra, defaults=defaults)


def _json_document(
    payload: str,
    origin: str,
    *,
    extra: Mapping[str, Any],
    defaults: Mapping[str, Any],
    sniffed: bool,
    encoding: Encoding,
) -> Iterator[Document | Rejection]:
    if UNDECODABLE_MARK in payload:
        yield Rejection(origin, f"undecodable bytes (the file reads as {encoding.label})")
        return
    try:
        value = json.loads(payload)
    except json.JSONDecodeError as error:
        if sniffed:
            # Only the first character looked like JSON: it is a plain text that starts with a brace.
            yield make_document(payload, origin, defaults=defaults,
                                extra={"origin": origin, "encoding": encoding.label, "format": "text"})
        else:
            yield Rejection(origin, f"malformed JSON: {error.msg} (line {error.lineno}, column {error.colno})")
        return
    if isinstance(value, dict):
        yield _record_document(value, origin, extra=extra, defaults=defaults)
        return
    if not isinstance(value, list):
        yield Rejection(origin, f"JSON holds a {_json_type(value)}, not records")
        return
    if not value:
        yield Rejection(origin, "no records (an empty JSON array)")
    for number, record in enumerate(value, 1):
        record_origin = f"{origin}#record {number}"
        if isinstance(record, dict):
            yield _record_document(record, record_origin, extra=extra, defaults=defaults)
        else:
            yield Rejection(record_origin, f"not a JSON object but a {_json_type(record)}")


def _is_json(line: str) -> bool:
    try:
        json.loads(line)
    except json.JSONDecodeError:
        return False
    return True


def _json_type(value: Any) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


def _read_line(stream: TextIO, max_chars: int) -> tuple[str, bool]:
    """The next line, and whether it was longer than ``max_chars`` (then the rest of it is skipped)."""
    line = stream.readline(max_chars + 1)
    if len(line) <= max_chars or line.endswith("\n"):
        return line, False
    while True:
        chunk = stream.readline(1 << 20)
        if not chunk or chunk.endswith("\n"):
            return line, True


def _first_content_line(stream: TextIO, max_bytes: int) -> tuple[int, str | None] | None:
    """The first non-blank line and its number (the line is None when over-long); None for no such line."""
    number = 0
    while True:
        line, too_long = _read_line(stream, max_bytes)
        if not line:
            return None
        number += 1
        if too_long:
            return number, None
        if line.strip():
            return number, line


def _numbered_lines(
    stream: TextIO, max_bytes: int, *, first: tuple[int, str | None]
) -> Iterator[tuple[int, str | None]]:
    """Non-blank lines with their 1-based numbers, starting with ``first``; an over-long line comes as None."""
    number, line = first
    yield number, line
    while True:
        line, too_long = _read_line(stream, max_bytes)
        if not line:
            return
        number += 1
        if too_long:
            yield number, None
        elif line.strip():
            yield number, line


def _csv_records(
    stream: TextIO,
    origin: str,
    *,
    tab: bool,
    extra: Mapping[str, Any],
    defaults: Mapping[str, Any],
    max_bytes: int,
) -> Iterator[Document | Rejection]:
    # The csv module's field limit is process-wide; raise it (never lower it) so articles up to max_bytes fit.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    header_line = stream.readline(max_bytes + 1)
    if not header_line.strip():
        yield Rejection(origin, "CSV has no header line (the first line must name the columns)")
        return
    delimiter = "\t" if tab else _csv_delimiter(header_line)
    reader = csv.reader(_chain_first(header_line, stream), delimiter=delimiter)
    header = [name.strip().lstrip("\ufeff") for name in next(reader)]
    lowered = [name.lower() for name in header]
    if not any(field in lowered for field in TEXT_FIELDS):
        kind = "TSV" if tab else "CSV"
        yield Rejection(
            origin,
            f"{kind} has no text column: expected a column named {' or '.join(TEXT_FIELDS)}, "
            f"found {', '.join(repr(h) for h in header) or 'no column names'}",
        )
        return
    number = 0
    while True:
        line_before = reader.line_num
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            number += 1
            yield Rejection(f"{origin}#record {number}", f"malformed CSV record ({error}, line {reader.line_num})")
            if reader.line_num == line_before:
                return  # the reader cannot move past it
            continue
        if not any(cell.strip() for cell in row):
            continue
        number += 1
        record_origin = f"{origin}#record {number}"
        if any(UNDECODABLE_MARK in cell for cell in row):
            yield Rejection(record_origin, f"undecodable bytes in this record (the file reads as {extra['encoding']})")
            continue
        if sum(map(len, row)) > max_bytes:
            yield Rejection(record_origin, f"record larger than the limit of {max_bytes:,} characters")
            continue
        if len(row) > len(header):
            yield Rejection(
                record_origin,
                f"record has {len(row)} fields but the header names {len(header)} (line {reader.line_num})",
            )
            continue
        record = dict(zip(header, row))
        yield _record_document(record, record_origin, extra=extra, defaults=defaults)
    if number == 0:
        yield Rejection(origin, "no records (only a header line)")


def _csv_delimiter(header_line: str) -> str:
    """The delimiter that makes the header name a text column, else the one that splits it most."""
    best, best_score = ",", (-1, -1)
    for delimiter in _CSV_DELIMITERS:
        names = [n.strip().lstrip("\ufeff").lower() for n in next(csv.reader([header_line], delimiter=delimiter))]
        score = (int(any(f in names for f in TEXT_FIELDS)), len(names))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _chain_first(first: str, stream: TextIO) -> Iterator[str]:
    yield first
    yield from stream
