"""Ingest: files, folders, standard input and bytes → :class:`~marsad.document.Document` or :class:`Rejection`.

``read_paths`` and ``read_bytes`` never raise for bad input: an empty, binary, undecodable, non-Arabic or
oversized input, an HTML page without an article, a CSV without a text column or a malformed JSON line each
become one ``Rejection`` naming the file (and the line or record of a corpus), and reading goes on.
Accepted documents carry ``language="ar"`` and ``meta["origin"]``, ``meta["encoding"]``, ``meta["format"]``.
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
