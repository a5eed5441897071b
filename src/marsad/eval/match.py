"""Locating gold strings in an article and comparing names, places and values the way every scorer does."""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any, Iterable

from marsad.document import Document, Span
from marsad.text import matching_form, matching_key
from marsad.text.normalise import matching_form_with_map

# Proclitics that may stand glued before a gold string (وبالبوكمال for البوكمال); ال is not among them, so
# سورية is not found inside السورية.
_PROCLITIC_PREFIX = re.compile(r"^(?:[وف]?[بلك]?|[وف]?س)$")
_LETTER = re.compile(r"[^\W\d_]")


def fold(text: str) -> str:
    """Matching form with runs of whitespace collapsed: how gold strings and produced text are compared."""
    return " ".join(matching_form(text).split())


@lru_cache(maxsize=4096)
def key(phrase: str) -> tuple[str, ...]:
    """Content pieces of a phrase, clitics and article dropped: بالبوكمال and البوكمال share one key."""
    return matching_key(phrase)


class Locator:
    """Finds whole-word occurrences of gold strings in one text, by matching form, with original offsets."""

    def __init__(self, text: str):
        self.text = text
        self.folded, self.index_map = matching_form_with_map(text)

    def find(self, phrase: str) -> list[tuple[int, int]]:
        words = fold(phrase).split()
        if not words:
            return []
        parts = [re.escape(w) for w in words]
        if words[0].startswith("ال") and len(words[0]) > 3:
            # ل + ال is written لل: التنظيم stands in للتنظيم as ل + لتنظيم.
            parts[0] = "(?:ال|(?<=ل)ل)" + re.escape(words[0][2:])
        pattern = re.compile(r"\s+".join(parts))
        out = []
        for m in pattern.finditer(self.folded):
            s, e = m.start(), m.end()
            if _LETTER.match(words[-1][-1]) and e < len(self.folded) and _LETTER.match(self.folded[e]):
                continue
            # numbers are whole too: "2" is not found in "25"
            if words[-1][-1].isdigit() and e < len(self.folded) and self.folded[e].isdigit():
                continue
            if words[0][0].isdigit() and s > 0 and self.folded[s - 1].isdigit():
                continue
            word_start = s
            while word_start > 0 and _LETTER.match(self.folded[word_start - 1]):
                word_start -= 1
            if _LETTER.match(words[0][0]) and not _PROCLITIC_PREFIX.match(self.folded[word_start:s]):
                continue
            out.append((self.index_map[s], self.index_map[e - 1] + 1))
        return out

    def find_all(self, phrases: Iterable[str]) -> dict[str, list[tuple[int, int]]]:
        """Occurrences of each phrase, minus those lying inside an occurrence of a longer phrase of the same set.

        A gold list that names both الخميس والجمعة and الجمعة means the bare الجمعة elsewhere.
        """
        found = {p: self.find(p) for p in dict.fromkeys(phrases)}
        out: dict[str, list[tuple[int, int]]] = {}
        for phrase, spans in found.items():
            longer = [o for other, occ in found.items() if other != phrase and len(fold(other)) > len(fold(phrase)) for o in occ]
            kept = [s for s in spans if not any(o[0] <= s[0] and s[1] <= o[1] and o != s for o in longer)]
            out[phrase] = kept or spans
        return out


class Sentences:
    """The sentence around an offset, for error listings (falls back to the line when there is no sentence layer)."""

    def __init__(self, doc: Document):
        self.text = doc.text
        self.spans = [(s.start, s.end) for s in doc.layer("sentences")]
        self.starts = [s for s, _ in self.spans]

    def at(self, offset: int) -> str:
        i = bisect_right(self.starts, offset) - 1
        if i >= 0 and self.spans[i][0] <= offset < max(self.spans[i][1], self.spans[i][0] + 1):
            return self.text[self.spans[i][0]:self.spans[i][1]]
        start = self.text.rfind("\n", 0, offset) + 1
        end = self.text.find("\n", offset)
        return self.text[start:end if end >= 0 else len(self.text)].strip()

    def of(self, span: Span | tuple[int, int] | None) -> str:
        if span is None:
            return ""
        return self.at(span.start if isinstance(span, Span) else span[0])


def same_name(a: Any, b: Any) -> bool:
    """English names compared case-blind with whitespace collapsed."""
    return isinstance(a, str) and isinstance(b, str) and " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def same_value(gold: Any, produced: Any) -> bool:
    """TIMEX3 values: a string equals a one-item list; lists compare in order."""
    g, p = as_list(gold), as_list(produced)
    return bool(g) and [str(x) for x in g] == [str(x) for x in p]


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]
