"""Byte sniffing and decoding: binary detection, then BOM → BOM-less UTF-16 → strict UTF-8 → Arabic code pages.

Arabic news arrives as UTF-8 (with or without BOM), UTF-16 (usually from Windows tools, with a BOM) and the two
legacy Arabic code pages, Windows-1256 and ISO-8859-6. Those two cannot be told apart by validity alone
(Windows-1256 decodes every byte), so charset-normalizer judges which decodings are plausible text and the one
with the most Arabic letters wins: the wrong code page turns Arabic letters into Latin ones or punctuation.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from marsad.text.normalise import ARABIC_LETTERS

#: Code pages tried after UTF-8 fails, in order of preference when two decodings are equally Arabic.
ARABIC_CODEPAGES = ("cp1256", "iso8859_6")

# (signature, label) for common binary formats; checked before anything is decoded.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or an Office document)"),
    (b"\x7fELF", "executable"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"OggS", "Ogg media"),
    (b"ID3\x03", "MP3 audio"),
    (b"ID3\x04", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
)
_RIFF_KINDS = {b"WEBP": "WebP image", b"WAVE": "WAV audio", b"AVI ": "AVI video"}

_BOMS = (
    # UTF-32 first: its little-endian BOM begins with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16-be"),
)

# Control bytes that never occur in text (tab, newlines, form feed and escape are allowed).
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


def _runs_of(letters: frozenset[str]) -> re.Pattern[str]:
    """A pattern for runs of ``letters``, written as code-point ranges (far faster than a long set)."""
    points = sorted(map(ord, letters))
    ranges, start = [], points[0]
    for previous, point in zip(points, points[1:] + [None]):
        if point != previous + 1:
            ranges.append(f"{re.escape(chr(start))}-{re.escape(chr(previous))}")
            start = point
    return re.compile("[" + "".join(ranges) + "]+")


_ARABIC_RUN = _runs_of(ARABIC_LETTERS)

#: Error handler that marks undecodable bytes with a lone surrogate, which no strict decoder ever produces,
#: so a streamed corpus can reject just the record that holds them.
UNDECODABLE_MARK = "\udcff"
_MARK_HANDLER = "marsad-ingest-mark"


def _mark_undecodable(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return UNDECODABLE_MARK, error.end


codecs.register_error(_MARK_HANDLER, _mark_undecodable)
MARKING_ERRORS = _MARK_HANDLER


class Undecodable(ValueError):
    """The bytes are not text in any of the encodings Arabic news uses."""


@dataclass(frozen=True, slots=True)
class Encoding:
    codec: str  # what to decode with (BOM-aware codecs strip the BOM)
    label: str  # what to record in doc.meta["encoding"]


def count_arabic_letters(text: str) -> int:
    return sum(map(len, _ARABIC_RUN.findall(text)))


def binary_kind(head: bytes) -> str | None:
    """Why ``head`` (the first bytes of a file) is binary rather than text, or None when it may be text."""
    for signature, label in _MAGIC:
        if head.startswith(signature):
            return label
    if re.match(rb"BZh[1-9]1AY&SY", head):
        return "bzip2 archive"
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[head[8:12]]
    if bom_encoding(head) is not None and not head.startswith(codecs.BOM_UTF8):
        return None  # UTF-16/32 is full of NUL bytes; a bad one fails strict decoding instead
    if b"\x00" in head:
        if _bomless_utf16(head) is not None:
            return None
        return "contains NUL bytes"
    controls = len(_CONTROL_BYTES.findall(head))
    if controls > max(2, len(head) // 100):
        return f"{controls} control bytes in the first {len(head):,}"
    return None


def bom_encoding(data: bytes) -> Encoding | None:
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return Encoding(codec, label)
    return None


def _bomless_utf16(data: bytes) -> Encoding | None:
    """UTF-16 without a BOM: the byte order whose strict decoding is Arabic text without control characters."""
    even = data[: len(data) - len(data) % 2]
    best: tuple[int, str] | None = None
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = even.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = sum(ch.isalpha() for ch in text)
        arabic = count_arabic_letters(text)
        if _CONTROL_CHARS.search(text) or not letters or arabic * 2 < letters:
            continue
        if best is None or arabic > best[0]:
            best = (arabic, codec)
    return Encoding(best[1], best[1]) if best else None


def _utf8_prefix_ok(data: bytes, *, final: bool) -> bool:
    try:
        # Incremental, so a multi-byte character cut off at the end of a sample is not mistaken for an error.
        codecs.getincrementaldecoder("utf-8")().decode(data, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _arabic_codepage(data: bytes) -> Encoding | None:
    from charset_normalizer import from_bytes

    candidates: dict[str, str] = {}
    for match in from_bytes(data, cp_isolation=list(ARABIC_CODEPAGES)):
        codec = codecs.lookup(match.encoding).name
        candidates[codec] = str(match)
    if not candidates:
        return None
    preference = [codecs.lookup(c).name for c in ARABIC_CODEPAGES]
    best = max(
        candidates,
        key=lambda c: (count_arabic_letters(candidates[c]), -preference.index(c) if c in preference else -99),
    )
    return Encoding(best, best)


def detect_encoding(data: bytes, *, final: bool = True) -> Encoding:
    """The encoding of ``data`` (a whole document, or with ``final=False`` the first part of a stream)."""
    bom = bom_encoding(data)
    if bom is not None:
        return bom
    if b"\x00" in data:
        # Before UTF-8: Arabic in UTF-16 is all bytes below 0x80 (06 xx, 20 00), so it is "valid UTF-8" too.
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return utf16
    if _utf8_prefix_ok(data, final=final):
        return Encoding("utf-8", "utf-8")
    codepage = _arabic_codepage(data)
    if codepage is None:
        raise Undecodable(
            "undecodable bytes: not UTF-8 or UTF-16, and not plausible text in Windows-1256 or ISO-8859-6"
        )
    return codepage


def decode(data: bytes) -> tuple[str, Encoding]:
    """Decode a whole document; raises :class:`Undecodable`."""
    encoding = detect_encoding(data)
    try:
        text = data.decode(encoding.codec)
    except UnicodeDecodeError as error:
        raise Undecodable(f"undecodable bytes: invalid {encoding.label} at byte {error.start:,}") from None
    return text, encoding
