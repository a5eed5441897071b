"""Per-word features for the sequence tagger, computed once per distinct word form and cached.

The tagger works on orthographic words (the ``w`` groups of the tokens layer). Everything that depends only on the
word itself (its matching form, clitic pieces, affixes, shape, corpus frequency) is built once per form and kept as
ready-made string lists, including the copies prefixed for use as a neighbour's feature, so tagging a sentence is
list concatenation rather than per-token string work.
"""
from __future__ import annotations

from typing import Sequence

from marsad.text.tokens import ARTICLE, ENCLITIC, NUMBER, PROCLITIC, PUNCT, WORD, Tokeniser

FEATURES_VERSION = "1"


def _length_bucket(n: int) -> str:
    if n <= 2:
        return str(n)
    if n <= 4:
        return "3-4"
    if n <= 6:
        return "5-6"
    return "7+"


def _freq_bucket(n: int) -> str:
    if n == 0:
        return "0"
    if n < 5:
        return "1"
    if n < 50:
        return "2"
    if n < 500:
        return "3"
    return "4"


class WordFeaturiser:
    """Maps a word's surface form to (own features, features as left neighbour, as right neighbour, ±2 features)."""

    def __init__(self, vocabulary: dict[str, int], tokeniser: Tokeniser | None = None,
                 gazetteer: dict[str, frozenset[str]] | None = None,
                 contexts: dict[str, tuple[str, str]] | None = None, known: frozenset[str] | None = None,
                 cache_size: int = 150_000):
        self.vocabulary = vocabulary
        # stem -> classes such as PF (first word of a known person's name), PL (last word), LOC, OF (organisation head)
        self.gazetteer = gazetteer or {}
        # stem -> (commonest left neighbour, commonest right neighbour) in unannotated news: a cheap word cluster
        self.contexts = contexts or {}
        # The attributes a trained model knows: at tagging time the rest (mostly rare words' identity features)
        # are dropped once per word form instead of being looked up by CRFsuite at every token. Same tags.
        self.known = known
        # The model's own string objects, so cached feature tuples share them instead of holding copies.
        self._canonical = {f: f for f in known} if known is not None else None
        self.cache_size = cache_size
        self.tokeniser = tokeniser or Tokeniser()
        self._cache: dict[str, tuple[list[str], list[str], list[str], list[str], list[str], str]] = {}

    def word(self, surface: str):
        hit = self._cache.get(surface)
        if hit is None:
            hit = self._cache[surface] = self._build(surface)
            if len(self._cache) > self.cache_size:  # bounded memory on endless streams (~0.5 kB an entry)
                self._cache.clear()
                self._cache[surface] = hit
        return hit

    def _build(self, surface: str):
        pieces = [(label, norm) for _, _, label, norm, _ in self.tokeniser.pieces(surface)]
        stem = "".join(norm for label, norm in pieces if label in (WORD, NUMBER)) or "".join(n for _, n in pieces)
        full = "".join(norm for _, norm in pieces)
        pre = "".join(norm for label, norm in pieces if label in (PROCLITIC, ARTICLE))
        has_art = any(label == ARTICLE for label, _ in pieces)
        enc = "".join(norm for label, norm in pieces if label == ENCLITIC)
        labels = {label for label, _ in pieces}
        if labels == {PUNCT}:
            shape = "P" + full
        elif NUMBER in labels and WORD not in labels:
            shape = "D"
        elif stem and "\u0621" <= stem[0] <= "\u06ff":
            shape = "A"
        elif stem.isascii() and stem.isalpha():
            shape = "L"
        else:
            shape = "X"
        f = self.vocabulary.get
        freq = f(stem, 0)
        art_freq = f("ال" + stem, 0)
        own = [
            "b",
            "w=" + full,
            "s=" + stem,
            "p=" + pre,
            "e=" + enc,
            "sh=" + shape,
            "len=" + _length_bucket(len(stem)),
            "s2=" + stem[:2],
            "s3=" + stem[:3],
            "x1=" + stem[-1:],
            "x2=" + stem[-2:],
            "x3=" + stem[-3:],
            "fq=" + _freq_bucket(freq),
            # Proper names seldom take the article: how often the corpus has this stem with ال against without.
            "ar=" + ("n" if art_freq + freq == 0 else str(min(4, (5 * art_freq) // (art_freq + freq + 1)))),
        ]
        if has_art:
            own.append("art")
        for cls in sorted(self.gazetteer.get(stem, ())):
            own.append("gz=" + cls)
        ctx = self.contexts.get(stem)
        if ctx is not None:
            own.append("lc=" + ctx[0])
            own.append("rc=" + ctx[1])
        else:
            own.append("noctx")
        left1 = ["-1w=" + full, "-1s=" + stem, "-1x2=" + stem[-2:], "-1sh=" + shape]
        right1 = ["+1w=" + full, "+1s=" + stem, "+1p=" + pre, "+1x2=" + stem[-2:], "+1sh=" + shape]
        for cls in sorted(self.gazetteer.get(stem, ())):
            left1.append("-1gz=" + cls)
            right1.append("+1gz=" + cls)
        if ctx is not None:
            left1.append("-1lc=" + ctx[0])
            right1.append("+1rc=" + ctx[1])
        left2 = ["-2s=" + stem]
        right2 = ["+2s=" + stem]
        if self._canonical is not None:
            get = self._canonical.get
            own, left1, right1, left2, right2 = (tuple(c for f in lst if (c := get(f)) is not None)
                                                 for lst in (own, left1, right1, left2, right2))
        return own, left1, right1, left2, right2, stem, shape.startswith("P")

    def restricted(self, known: frozenset[str]) -> "WordFeaturiser":
        """A featuriser with the same resources that only emits attributes in ``known`` (a model's attributes)."""
        return WordFeaturiser(self.vocabulary, self.tokeniser, self.gazetteer, self.contexts, known)

    def sequence(self, surfaces: Sequence[str], lexicon_tags: Sequence[str] | None = None) -> list[list[str]]:
        """Feature lists for a sentence of words; ``lexicon_tags[i]`` is e.g. ``B-ORG`` or ``""``.

        Built by zipping shifted per-word lists (no per-token branching): position i gets its own word's features,
        word i-1's "left" list, word i-2's, word i+1's "right" list, word i+2's, and the two stem bigrams.
        """
        word = self.word
        infos = [word(s) for s in surfaces]
        n = len(infos)
        if not n:
            return []
        stems = [x[5] for x in infos]
        left1 = [_BOS] + [x[1] for x in infos[:-1]]
        left2 = [_NONE, _NONE] + [x[3] for x in infos[:-2]]
        right1 = [x[2] for x in infos[1:]] + [_EOS]
        right2 = [x[4] for x in infos[2:]] + [_NONE, _NONE]
        bigram_left = ["s-1s=BOS"] + ["s-1s=" + a + "|" + b for a, b in zip(stems, stems[1:])]
        bigram_right = ["s+1s=" + a + "|" + b for a, b in zip(stems, stems[1:])] + ["s+1s=EOS"]
        if self.known is not None:
            known = self.known
            bigram_left = [(b,) if b in known else () for b in bigram_left]
            bigram_right = [(b,) if b in known else () for b in bigram_right]
            out = [[*x[0], *l1, *l2, *r1, *r2, *bl, *br]
                   for x, l1, l2, r1, r2, bl, br in zip(infos, left1, left2, right1, right2, bigram_left, bigram_right)]
        else:
            out = [[*x[0], *l1, *l2, *r1, *r2, bl, br]
                   for x, l1, l2, r1, r2, bl, br in zip(infos, left1, left2, right1, right2, bigram_left, bigram_right)]
        if lexicon_tags is not None and any(lexicon_tags):
            for i, tag in enumerate(lexicon_tags):
                if not tag:
                    continue
                out[i] += ("lx=" + tag, "lxt=" + tag[2:])
                if i + 1 < n:
                    out[i + 1].append("-1lx=" + tag)
                if i > 0:
                    out[i - 1].append("+1lx=" + tag)
        return out


_BOS = ("BOS",)
_EOS = ("EOS",)
_NONE: tuple[str, ...] = ()
