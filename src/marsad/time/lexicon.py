"""The times lexicon (data/times/lexicon.toml) keyed like the tokeniser's content pieces, and the unit string.

A *unit* is what one character of the pattern string stands for: a word or lexicon phrase with its class, a number,
a punctuation mark, the conjunction و, a pronoun suffix. Building units is one pass over the tokens layer with a
dictionary look-up per word, so the stage stays cheap next to tokenisation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.document import Span
from marsad.resources import DataFileError
from marsad.text.normalise import matching_form
from marsad.text.tokens import Tokeniser

ANY, REQUIRED, FORBIDDEN = "any", "required", "forbidden"


@dataclass(frozen=True, slots=True)
class Entry:
    cls: str  # class character
    value: Any
    article: str  # ANY / REQUIRED / FORBIDDEN


class Lexicon:
    """Phrase key (tuple of stems) → entries; indexed by first stem for the one-look-up-per-word fast path."""

    def __init__(self, spec: dict[str, Any], classes: dict[str, str], path: str = "lexicon.toml"):
        self.classes = classes
        self.entries: dict[tuple[str, ...], list[Entry]] = {}
        self._tokeniser = Tokeniser()
        for section, body in spec.items():
            if not isinstance(body, dict) or "class" not in body:
                continue
            cls_name = body["class"]
            if cls_name not in classes:
                raise DataFileError(f"marsad data file {path}: [{section}] names unknown class {cls_name!r}")
            article = body.get("article", ANY)
            if "values" in body:
                for value, words in body["values"].items():
                    for word in words:
                        self.add(word, classes[cls_name], _value(value), article)
            for word in body.get("words", []):
                self.add(word, classes[cls_name], None, article)
        self._compose_numbers(spec)
        self.season_not_before = frozenset(matching_form(w) for w in spec.get("season_not_before", {}).get("words", []))
        self.by_first: dict[str, list[tuple[tuple[str, ...], list[Entry]]]] = {}
        for key, entries in self.entries.items():
            self.by_first.setdefault(key[0], []).append((key, entries))
        for options in self.by_first.values():
            options.sort(key=lambda item: -len(item[0]))
        self.max_len = max(len(k) for k in self.entries)

    def key_of(self, phrase: str) -> tuple[tuple[str, ...], bool]:
        """Stems of a phrase's content pieces, and whether its first word carries the article."""
        stems: list[str] = []
        first_has_article = False
        for _, _, label, norm, _ in self._tokeniser.pieces(phrase):
            if label == "ART" and not stems:
                first_has_article = True
            if label in ("WORD", "NUM"):
                if norm == "ال" and not stems:  # الـ written with tatweel
                    first_has_article = True
                    continue
                stems.append(norm)
        return tuple(stems), first_has_article

    def add(self, phrase: str, cls: str, value: Any, article: str) -> None:
        key, has_article = self.key_of(phrase)
        if not key:
            return
        if article == ANY and has_article:
            article = REQUIRED  # a listed ال-form (اليوم) only matches with the article
        entry = Entry(cls, value, article)
        bucket = self.entries.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def _compose_numbers(self, spec: dict[str, Any]) -> None:
        ordinal, cardinal = self.classes["ORDINAL"], self.classes["CARDINAL"]
        tens = {int(v): words for v, words in spec.get("tens", {}).items()}
        ord_units = {int(v): words for v, words in spec["ordinal"]["values"].items() if int(v) < 10}
        card_units = {int(v): words for v, words in spec["cardinal"]["values"].items() if int(v) < 10}
        teen_first = {int(v): words for v, words in spec.get("teen_units", {}).items()}
        ten_words = ["عشر", "عشرة"]
        for value, words in tens.items():
            for word in words:
                self.add(word, cardinal, value, ANY)
        for unit, words in ord_units.items():  # الحادي عشر … التاسع عشر; الحادي والعشرين … التاسع والتسعين
            for word in words:
                for ten in ten_words:
                    self.add(f"{word} {ten}", ordinal, 10 + unit, ANY)
                for value, tens_words in tens.items():
                    for tw in tens_words:
                        self.add(f"{word} وال{tw}", ordinal, value + unit, ANY)
        for unit, words in card_units.items():  # ثلاثة عشر; خمسة وعشرين
            for word in words:
                if unit >= 3:
                    for ten in ten_words:
                        self.add(f"{word} {ten}", cardinal, 10 + unit, ANY)
                for value, tens_words in tens.items():
                    for tw in tens_words:
                        self.add(f"{word} و{tw}", cardinal, value + unit, ANY)
        for value, words in teen_first.items():
            for word in words:
                for ten in ten_words:
                    self.add(f"{word} {ten}", cardinal, value, ANY)

    def lookup(self, stems: list[str], j: int, has_article: bool) -> tuple[int, Entry] | None:
        """Longest lexicon phrase starting at word ``j``: (number of words, entry)."""
        options = self.by_first.get(stems[j])
        if not options:
            return None
        n = len(stems)
        for key, entries in options:
            k = len(key)
            if j + k > n or (k > 1 and tuple(stems[j:j + k]) != key):
                continue
            best = None
            for entry in entries:
                if entry.article == REQUIRED and not has_article:
                    continue
                if entry.article == FORBIDDEN and has_article:
                    continue
                # an entry that names the article state explicitly beats one that accepts either
                if best is None or (best.article == ANY and entry.article != ANY):
                    best = entry
            if best is not None:
                return k, best
        return None


def _value(raw: str) -> Any:
    try:
        return int(raw)
    except ValueError:
        return raw


@dataclass(slots=True)
class Units:
    """Parallel lists, one item per unit; ``chars`` is the pattern string."""

    chars: list[str]
    starts: list[int]
    ends: list[int]
    values: list[Any]
    norms: list[str]
    articles: list[bool]
    future: list[bool]  # the word carried the future proclitic س

    def __len__(self) -> int:
        return len(self.chars)


_PUNCT_CLASS = {"/": "SLASH", "(": "OPEN", ")": "CLOSE", "-": "DASH", "–": "DASH", "—": "DASH", "،": "COMMA",
                ",": "COMMA", "؛": "COMMA", ";": "COMMA", ".": "STOP", "!": "STOP", "?": "STOP", "؟": "STOP",
                ":": "COMMA", '"': "QUOTE", "«": "QUOTE", "»": "QUOTE", "“": "QUOTE", "”": "QUOTE", "'": "QUOTE"}


def number_class(norm: str) -> tuple[str, Any]:
    """Class name and value of a number piece (ASCII digits, maybe with / : . inside)."""
    if norm.isdigit():
        v = int(norm)
        if len(norm) <= 2 and 1 <= v <= 31:
            return "DAYNUM", v
        if len(norm) == 4 and 1000 <= v <= 2199:
            return "YEARNUM", v
        return "NUMBER", v
    if "/" in norm:
        parts = norm.split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            a, b, c = (int(p) for p in parts)
            if len(parts[0]) == 4 and 1 <= b <= 12 and 1 <= c <= 31:
                return "NUMDATE", (a, b, c)
            if len(parts[2]) == 4 and 1 <= b <= 12 and 1 <= a <= 31:
                return "NUMDATE", (c, b, a)
    try:
        return "NUMBER", float(norm)
    except ValueError:
        return "NUMBER", None


def build_units(tokens: list[Span], text: str, lexicon: Lexicon, breaks: set[int]) -> Units:
    """One pass over the tokens layer: group pieces into words, look words/phrases up, emit one unit each."""
    cls = lexicon.classes
    other, brk, conj, enc = cls["OTHER"], cls["BREAK"], cls["AND"], cls["ENCLITIC"]
    punct_cls = {k: cls[v] for k, v in _PUNCT_CLASS.items()}
    punct_other = cls["PUNCT"]

    # Group pieces by orthographic word: (first token index, stem index or -1, article?, و index or -1, enc index)
    words: list[tuple[int, int, bool, int, int, bool]] = []
    stems: list[str] = []
    i, n = 0, len(tokens)
    pending_article = False
    while i < n:
        w = tokens[i].attrs["w"]
        first = i
        stem = conj_at = enc_at = -1
        art = pending_article
        fut = False
        pending_article = False
        while i < n and tokens[i].attrs["w"] == w:
            label = tokens[i].label
            if label == "WORD" or label == "NUM":
                if stem < 0:
                    stem = i
            elif label == "ART":
                art = True
            elif label == "PRO":
                norm = tokens[i].attrs["norm"]
                if norm == "و" and stem < 0:
                    conj_at = i
                elif norm == "س":
                    fut = True
            elif label == "ENC":
                enc_at = i
            i += 1
        if stem >= 0 and tokens[stem].label == "WORD" and tokens[stem].attrs["norm"] == "ال" and i - first == 1:
            pending_article = True  # الـ24: the article written apart with a tatweel
            continue
        words.append((first, stem, art, conj_at, enc_at, fut))
        stems.append(tokens[stem].attrs["norm"] if stem >= 0 else "")

    units = Units([], [], [], [], [], [], [])
    add = _adder(units)
    prev_end = 0
    j, nw = 0, len(words)
    while j < nw:
        first, stem, art, conj_at, enc_at, fut = words[j]
        tok0 = tokens[first]
        if units.chars and (tok0.start in breaks or "\n" in text[prev_end:tok0.start]):
            add(brk, tok0.start, tok0.start, None, "", False, False)
        if stem < 0:  # punctuation
            tok = tokens[first]
            add(punct_cls.get(tok.attrs["norm"], punct_other), tok.start, tok.end, None, tok.attrs["norm"], False, False)
            prev_end = tok.end
            j += 1
            continue
        if conj_at >= 0:
            t = tokens[conj_at]
            add(conj, t.start, t.end, None, "و", False, False)
        stem_tok = tokens[stem]
        start = tokens[first].start if art else stem_tok.start
        if conj_at >= 0 and art:
            start = tokens[conj_at].end
        if stem_tok.label == "NUM":
            name, value = number_class(stem_tok.attrs["norm"])
            add(cls[name], start, stem_tok.end, value, stem_tok.attrs["norm"], art, fut)
            last_enc = enc_at
            j += 1
        else:
            hit = lexicon.lookup(stems, j, art) if stems[j] in lexicon.by_first else None
            if hit is None:
                add(other, start, stem_tok.end, None, stems[j], art, fut)
                last_enc = enc_at
                j += 1
            else:
                k, entry = hit
                last = words[j + k - 1]
                end = tokens[last[1]].end
                add(entry.cls, start, end, entry.value, " ".join(stems[j:j + k]), art, fut)
                last_enc = last[4]
                j += k
        if last_enc >= 0:
            t = tokens[last_enc]
            add(enc, t.start, t.end, None, t.attrs["norm"], False, False)
        prev_end = units.ends[-1]
    return units


def _adder(units: Units):
    chars, starts, ends, values = units.chars, units.starts, units.ends, units.values
    norms, articles, future = units.norms, units.articles, units.future

    def add(ch: str, start: int, end: int, value: Any, norm: str, art: bool, fut: bool) -> None:
        chars.append(ch)
        starts.append(start)
        ends.append(end)
        values.append(value)
        norms.append(norm)
        articles.append(art)
        future.append(fut)

    return add
