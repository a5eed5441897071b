"""Ingest: files, folders, standard input and bytes → :class:`~marsad.document.Document` or :class:`Rejection`.

``read_paths`` and ``read_bytes`` never raise for bad input: an empty, binary, undecodable, non-Arabic or
oversized input, an HTML page without an article, a CSV without a text column or a malformed JSON line each
become one ``Rejection`` naming the file (and the line or record of a corpus), and reading goes on.

Accepted documents carry ``language="ar"`` and ``meta["origin"]`` (path, ``path#line N`` / ``path#record N``,
``<stdin>``), ``meta["encoding"]`` (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``cp1256``, ``iso8859-6``…) and
``meta["format"]`` (text, html, jsonl, json, csv). ``doc.id`` stays the content hash (the store's identity);
a corpus's own id is ``meta["record_id"]``. ``published`` is ISO ``YYYY-MM-DD`` (see :mod:`marsad.ingest.dates`),
with the source's form in ``meta["published_raw"]`` when it differed and ``meta["published_error"]`` when it could
not be read. A text is Arabic when at least ``MIN_ARABIC_RATIO`` (0.3) of its letters are Arabic.
``max_bytes`` bounds a single document (a text or HTML file, after decompression) and each corpus record; a corpus
file itself may be of any size, as it is streamed.
"""
from __future__ import annotations

from marsad.ingest.dates import normalise_date
from marsad.ingest.encoding import ARABIC_CODEPAGES, Undecodable, decode, detect_encoding
from marsad.ingest.readers import DEFAULT_MAX_BYTES, KINDS, read_bytes, read_paths
from marsad.ingest.records import MIN_ARABIC_RATIO, TEXT_FIELDS, Rejection

__all__ = [
    "ARABIC_CODEPAGES",
    "DEFAULT_MAX_BYTES",
    "KINDS",
    "MIN_ARABIC_RATIO",
    "TEXT_FIELDS",
    "Rejection",
    "Undecodable",
    "decode",
    "detect_encoding",
    "normalise_date",
    "read_bytes",
    "read_paths",
]
