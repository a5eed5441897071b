"""From a text plus metadata (a file, a page, a corpus record) to a Document, or a Rejection saying why not."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from marsad.document import Document
from marsad.ingest.dates import normalise_date
from marsad.ingest.encoding import count_arabic_letters
from marsad.text.normalise import arabic_ratio

#: Below this share of Arabic letters among all letters a text is rejected as not Arabic. Real Arabic news stays
#: far above it even with Latin names, URLs and English quotes inside; an English page with an Arabic line or two
#: stays far below.
MIN_ARABIC_RATIO = 0.3

#: Record fields read as the text, in order of preference.
TEXT_FIELDS = ("text", "body", "content")
#: Record fields read as the publication date, in order of preference.
DATE_FIELDS = ("published", "date")
_DOCUMENT_FIELDS = ("title", "source", "url")
#: Field names matched whatever their case ("Text", "TITLE"); every other name is kept as the record spells it.
KNOWN_FIELDS = frozenset(TEXT_FIELDS + DATE_FIELDS + _DOCUMENT_FIELDS + ("id", "language"))

_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NEWLINES = re.compile(r"\r\n?")


@dataclass
class Rejection:
    """An input that did not become a Document, and why (in one sentence a person can act on)."""

    origin: str  # file path, plus "#line N" / "#record N" for corpus records, or "<stdin>"
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


def clean_text(text: str) -> str:
    """Line endings unified to ``\\n`` and surrounding blank space dropped; nothing else is touched."""
    return _NEWLINES.sub("\n", text).strip()


def check_arabic(text: str, origin: str) -> Rejection | None:
    """A Rejection when fewer than MIN_ARABIC_RATIO of the letters of ``text`` are Arabic."""
    # Arabic letters over all characters is a lower bound of arabic_ratio (letters over letters) and a C-speed
    # regex count: it settles ordinary Arabic articles without the per-character Python loop.
    if count_arabic_letters(text) >= MIN_ARABIC_RATIO * len(text):
        return None
    ratio = arabic_ratio(text)
    if ratio >= MIN_ARABIC_RATIO:
        return None
    if not any(ch.isalpha() for ch in text):
        return Rejection(origin, "not a text: it has no letters")
    return Rejection(
        origin,
        f"not Arabic text ({ratio:.0%} Arabic letters; at least {MIN_ARABIC_RATIO:.0%} are needed)",
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        value = "\n\n".join(value)  # a body given as a list of paragraphs
    text = str(value).strip()
    return text or None


def make_document(
    text: Any,
    origin: str,
    *,
    fields: Mapping[str, Any] | None = None,
    defaults: Mapping[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Document | Rejection:
    """A checked Document from ``text`` and metadata.

    ``fields`` are the record's own values (title, published/date, source, url, id, language and anything else,
    which goes to ``doc.meta``); ``defaults`` fill in what the record lacks; ``extra`` is ingest's own metadata
    (origin, encoding, format) and always goes to ``doc.meta``.
    """
    if isinstance(text, list) and all(isinstance(v, str) for v in text):
        text = "\n\n".join(text)
    if not isinstance(text, str):
        return Rejection(origin, f"the text is a {type(text).__name__}, not a string")
    if _LONE_SURROGATE.search(text):
        return Rejection(origin, "undecodable bytes or invalid characters in the text")
    text = clean_text(text)
    if not text:
        return Rejection(origin, "empty text")
    problem = check_arabic(text, origin)
    if problem is not None:
        return problem

    own = {key: value for key, value in (fields or {}).items() if not _blank(value)}
    fallback = {key: value for key, value in (defaults or {}).items() if not _blank(value)}
    meta: dict[str, Any] = {}
    # The record's own date under any of its names wins over a default under any name.
    date_key = next((key for key in DATE_FIELDS if key in own), None)
    if date_key is not None:
        raw_date = own.pop(date_key)
    else:
        raw_date = next((fallback[key] for key in DATE_FIELDS if key in fallback), None)
    for key in DATE_FIELDS:
        fallback.pop(key, None)
        if key in own:  # a record with both: the first is the date, the other stays as metadata
            meta[key] = own.pop(key)
    merged = {**fallback, **own}
    published = None
    if raw_date is not None:
        raw = str(raw_date).strip()
        published = normalise_date(raw)
        if published is None:
            meta["published_raw"] = raw
            meta["published_error"] = "unrecognised date format"
        elif published != raw:
            meta["published_raw"] = raw

    known = {key: _as_text(merged.pop(key, None)) for key in _DOCUMENT_FIELDS}
    record_id = _as_text(merged.pop("id", None))
    if record_id is not None:
        # The Document id stays the content hash (the store's identity: the same article from two files is one
        # article); the corpus's own id is kept beside it.
        meta["record_id"] = record_id
    declared = _as_text(merged.pop("language", None))
    if declared is not None and declared.lower().split("-")[0] not in ("ar", "ara", "arabic"):
        meta["declared_language"] = declared
    meta.update(merged)
    meta.update(extra or {})
    return Document(text=text, published=published, language="ar", meta=meta, **known)
