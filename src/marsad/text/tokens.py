"""Tokenisation that splits Arabic clitics while every piece keeps its offsets into the original text.

A word such as ``وبالبوكمال`` becomes و (PRO) ب (PRO) ال (ART) بوكمال (WORD); ``حلفاؤها`` becomes حلفاؤ (WORD)
ها (ENC). Splitting is guided by a frequency vocabulary (data/text/vocabulary.tsv) so that words which merely
start with و or end in ه (وزارة، وجه) stay whole; the rules and word lists are in data/text/clitics.toml.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from marsad.document import Document, Provenance, Span
from marsad.resources import DataFileError, data_path, load_toml
from marsad.text.normalise import matching_form, matching_form_with_map

_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u0640\u06d6-\u06ed\u200c\u200d"
# Letters and marks, matched as runs of each: the same strings as (?:[^\W\d_]|[marks])+ but ~25% faster than one
# alternation per character; possessive (++) so that a failed fullmatch cannot backtrack through the runs.
WORD_PATTERN = rf"(?:[^\W\d_]++|[{_MARKS}]++)++"
NUMBER_PATTERN = r"[0-9\u0660-\u0669\u06f0-\u06f9]+(?:[.,\u066b\u066c/:][0-9\u0660-\u0669\u06f0-\u06f9]+)*"
_TOKEN_RE = re.compile(rf"(?P<num>{NUMBER_PATTERN})|(?P<word>{WORD_PATTERN})|(?P<punct>[^\s])")

# Token labels.
WORD, PROCLITIC, ARTICLE, ENCLITIC, NUMBER, PUNCT = "WORD", "PRO", "ART", "ENC", "NUM", "PUNCT"
CONTENT_LABELS = frozenset({WORD, NUMBER})


@dataclass(frozen=True, slots=True)
class Piece:
    start: int  # offset inside the word
    end: int
    label: str
    norm: str


class CliticSplitter:
    """Decides, once per distinct word form (cached), how a word divides into proclitics, stem and enclitics."""

    def __init__(self, vocabulary: dict[str, int], rules: dict):
        self.freq = vocabulary
        self.conjunctions = tuple(rules["proclitics"]["conjunctions"])
        self.prepositions = tuple(rules["proclitics"]["prepositions"])
        self.future = tuple(rules["proclitics"]["future"])
        self.future_next = tuple(rules["proclitics"]["future_followed_by"])
        self.article = rules["proclitics"]["article"]
        self.enclitics = tuple(sorted(rules["enclitics"]["suffixes"], key=len, reverse=True))
        self.min_stem = int(rules["limits"]["min_stem_length"])
        self.min_stem_enclitic = int(rules["limits"]["min_stem_length_before_enclitic"])
        self.min_freq = int(rules["limits"]["min_stem_frequency"])
        self.conjunction_ratio = float(rules["limits"]["conjunction_ratio"])
        self.preposition_ratio = float(rules["limits"]["preposition_ratio"])
        self.short_after_conjunction = frozenset(matching_form(w) for w in rules["proclitics"]["short_words_after_conjunction"])
        self.keep_whole = frozenset(matching_form(w) for w in rules["exceptions"]["never_split"])
        self.article_words = frozenset(matching_form(w) for w in rules["exceptions"]["not_article"])
        self.split = lru_cache(maxsize=200_000)(self._split)

    def f(self, form: str) -> int:
        return self.freq.get(form, 0)

    def _known_rest(self, whole: str, rest: str, ratio: float) -> bool:
        """Is stripping a one-letter proclitic from ``whole`` to leave ``rest`` supported by the vocabulary?

        ``rest`` counts as known when it, or its stem once a pronoun suffix is removed, is frequent enough and not
        dwarfed by the unsplit form (``ratio``): وقال splits (قال is common) while وجود stays whole (جود is rare).
        """
        if rest in self.short_after_conjunction and whole[0] in self.conjunctions:
            return True
        if len(rest) < self.min_stem:
            return False
        if self._has_article(rest) or (rest.startswith(self.prepositions) and self._has_article(rest[1:])):
            return True
        support = self.f(rest)
        for suffix in self.enclitics:
            if rest.endswith(suffix) and len(rest) - len(suffix) >= self.min_stem_enclitic:
                support = max(support, self.f(rest[: -len(suffix)]))
        return support >= self.min_freq and support >= ratio * self.f(whole)

    def _future_verb(self, rest: str) -> bool:
        """Is ``rest`` س + an imperfect verb (سيعقد، ستبدأ) that the vocabulary knows at least as well without it?"""
        return rest.startswith(self.future) and rest[1:2] in self.future_next and len(rest) >= 4 \
            and self.f(rest[1:]) >= max(self.min_freq, self.f(rest))

    def _has_article(self, form: str) -> bool:
        return (
            form.startswith(self.article)
            and len(form) - len(self.article) >= self.min_stem
            and form not in self.article_words
        )

    def _split(self, surface: str) -> tuple[Piece, ...]:
        norm, index = matching_form_with_map(surface)
        n = len(norm)
        if n == 0:
            return (Piece(0, len(surface), WORD, norm),)
        if norm in self.keep_whole or not ("\u0621" <= norm[0] <= "\u064a"):
            return (Piece(0, len(surface), WORD, norm),)

        cuts: list[tuple[int, str]] = []  # (end index in norm, label) of leading pieces
        pos = 0
        # و/ف before a future verb too (وسيبلغ: سيبلغ itself is rare, يبلغ is not)
        if norm[pos:pos + 1] and norm.startswith(self.conjunctions, pos) \
                and (self._known_rest(norm, norm[pos + 1:], self.conjunction_ratio)
                     or self._future_verb(norm[pos + 1:])):
            cuts.append((pos + 1, PROCLITIC))
            pos += 1
        rest = norm[pos:]
        if rest.startswith(self.prepositions) and len(rest) > 1:
            after = rest[1:]
            # لل = ل + the article with its alef dropped (للسلام = ل + ال + سلام)
            if rest[0] == "ل" and after.startswith("ل") and len(after) - 1 >= self.min_stem and rest not in self.keep_whole \
                    and not self._has_article(rest) and self.f(after[1:]) >= self.min_freq:
                cuts.append((pos + 1, PROCLITIC))
                cuts.append((pos + 2, ARTICLE))
                pos += 2
            elif self._known_rest(rest, after, self.preposition_ratio):
                cuts.append((pos + 1, PROCLITIC))
                pos += 1
        elif self._future_verb(rest):
            cuts.append((pos + 1, PROCLITIC))
            pos += 1
        if self._has_article(norm[pos:]):
            cuts.append((pos + len(self.article), ARTICLE))
            pos += len(self.article)

        stem_end = n
        tail: list[Piece] = []
        stem = norm[pos:]
        for suffix in self.enclitics:
            if not stem.endswith(suffix):
                continue
            core = stem[: -len(suffix)]
            if len(core) < self.min_stem_enclitic:
                continue
            # A final ة is never a pronoun, though it folds to ه.
            if suffix.endswith("ه") and surface.rstrip(_MARKS_STR)[-1:] == "ة":
                continue
            core_lookup = core[:-1] + "ه" if core.endswith("ت") else core  # حكومته → حكومة + ه
            core_freq = max(self.f(core), self.f(core_lookup) if core_lookup != core else 0)
            if core_freq >= self.min_freq and core_freq >= self.f(stem):
                stem_end = n - len(suffix)
                tail.append(Piece(0, 0, ENCLITIC, suffix))
                stem = core_lookup if self.f(core_lookup) > self.f(core) else core
            break

        pieces: list[Piece] = []
        prev = 0
        for cut, label in cuts:
            pieces.append(Piece(index[prev], index[cut], label, norm[prev:cut]))
            prev = cut
        stem_start = index[prev] if prev < n else len(surface)
        stem_stop = index[stem_end] if stem_end < n else len(surface)
        pieces.append(Piece(stem_start, stem_stop, WORD, stem))
        if tail:
            pieces.append(Piece(stem_stop, len(surface), ENCLITIC, tail[0].norm))
        return tuple(pieces)


_MARKS_STR = "".join(chr(c) for c in range(0x064B, 0x0660)) + "\u0670\u0640"


def load_vocabulary(path: Path) -> dict[str, int]:
    vocabulary: dict[str, int] = {}
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#") or not line.strip():
                    continue
                word, _, count = line.rstrip("\n").partition("\t")
                vocabulary[word] = int(count)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable: {exc}") from exc
    return vocabulary


@lru_cache(maxsize=1)
def default_splitter() -> CliticSplitter:
    return CliticSplitter(load_vocabulary(data_path("text/vocabulary.tsv")), load_toml("text/clitics.toml"))


# The per-token cache (token text -> its pieces) of each splitter, shared by every Tokeniser built on it: the places
# and entities stages and the lexicons make Tokenisers of their own.
_TOKEN_CACHES: "weakref.WeakKeyDictionary[CliticSplitter, dict[str, tuple[Piece, ...]]]" = weakref.WeakKeyDictionary()


class Tokeniser:
    """Turns text into pieces (start, end, label, matching form) with offsets into that text."""

    version = "1"

    # Distinct tokens kept in the per-token cache before it is emptied, to bound memory in a long run (10,000 news
    # articles hold ~160,000 distinct tokens). A word's entry is the splitter's own cached tuple, so little is added.
    cache_size = 200_000

    def __init__(self, splitter: CliticSplitter | None = None):
        self.splitter = splitter or default_splitter()
        self._cache = _TOKEN_CACHES.setdefault(self.splitter, {})

    def _token_pieces(self, token: str, kind: str) -> tuple[Piece, ...]:
        """``token``'s pieces, offsets relative to the token; cached by the token's text.

        Keying on the text alone is safe: which group of _TOKEN_RE matched follows from the token's first character.
        """
        if kind == "word":
            pieces = self.splitter.split(token)  # through the splitter's cache, which the entities features read too
        elif kind == "num":
            pieces = (Piece(0, len(token), NUMBER, matching_form(token).replace(",", ".")),)
        else:
            pieces = (Piece(0, len(token), PUNCT, matching_form(token)),)
        if len(self._cache) >= self.cache_size:
            self._cache.clear()
        self._cache[token] = pieces
        return pieces

    def pieces(self, text: str, offset: int = 0):
        """Yield (start, end, label, norm, word_index) for ``text``; offsets are shifted by ``offset``."""
        cached, compute = self._cache.get, self._token_pieces
        for word_index, match in enumerate(_TOKEN_RE.finditer(text)):
            token = match.group()
            start = match.start() + offset
            for p in cached(token) or compute(token, match.lastgroup):
                yield start + p.start, start + p.end, p.label, p.norm, word_index

    def spans(self, text: str, provenance: Provenance) -> list[Span]:
        # The per-article hot path (~330 words a call): one regex pass, one dict look-up per token for its cached
        # pieces, Spans made right here (no generator between, as pieces() would add).
        cached, compute = self._cache.get, self._token_pieces
        out: list[Span] = []
        append = out.append
        for word_index, match in enumerate(_TOKEN_RE.finditer(text)):
            token = match.group()
            start = match.start()
            for p in cached(token) or compute(token, match.lastgroup):
                append(Span(start + p.start, start + p.end, p.label, {"norm": p.norm, "w": word_index}, provenance))
        return out


def matching_key(phrase: str) -> tuple[str, ...]:
    """The key a lexicon entry is indexed under: matching forms of its content pieces, clitics and article dropped.

    ``matching_key("والبوكمال") == matching_key("البوكمال") == ("بوكمال",)``, so one entry finds every
    prefixed form the tokeniser meets.
    """
    return tuple(norm for _, _, label, norm, _ in Tokeniser().pieces(phrase) if label in CONTENT_LABELS)


def count_words(text: str) -> int:
    """Orthographic words (not clitic pieces): the unit of every words/s figure."""
    return sum(1 for m in _TOKEN_RE.finditer(text) if m.lastgroup != "punct")






