"""Content-hash identifiers: the same article text always gets the same id, whatever file it came from."""
from __future__ import annotations

import hashlib
import unicodedata


def content_id(text: str) -> str:
    # NFC + collapsed whitespace, so that a re-encoded or re-wrapped copy of an article is recognised as the same.
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]
