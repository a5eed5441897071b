"""Per-word features for the sequence tagger, computed once per distinct word form and cached.

The tagger works on orthographic words (the ``w`` groups of the tokens layer). Everything that depends only on the
word itself (its matching form, clitic pieces, affixes, shape, corpus frequency, word clusters, gazetteer classes)
is built once per form and kept as ready-made tuples, including the copies prefixed for use as a neighbour's
feature, so the features of a sentence are one dictionary look-up per word and one list concatenation per token.

At tagging time (a featuriser ``restricted`` to a model's attributes) the tuples hold only attributes the model
knows, as the UTF-8 ``bytes`` CRFsuite is given (one shared object per attribute), and the stem bigram features
are found through a per-stem table of the model's known bigrams instead of being built as strings per token.
A featuriser restricted with ``codes`` holds whatever object each attribute maps to instead of its bytes (the
tagger's own decoder uses the attribute's row in the model's weight matrix, a positive integer).
"""
from __future__ import annotations

from itertools import chain, islice
from typing import Sequence

from marsad.text.tokens import _TOKEN_RE, ARTICLE, ENCLITIC, NUMBER, PROCLITIC, PUNCT, WORD, Tokeniser

FEATURES_VERSION = "5"


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


_PROCLITIC_LETTERS = frozenset("وفبلك")
_PLAIN = frozenset({WORD, NUMBER, PUNCT})
# Words at least this frequent in the vocabulary (data/text/vocabulary.tsv) get identity features only.
COMMON_MIN_FREQ: int | None = 20


_ONLY_PUNCT = frozenset({PUNCT})
# Templates that always take the same value (a word's stem as its own feature and as every neighbour's, ...): _build
# gets all of a group's attributes with one look-up (one call); the other templates' emitters are bound once.
_GROUPS = (("s", "-1s", "+1s", "-2s", "+2s"), ("w", "-1w", "+1w"), ("p", "+1p"), ("gz", "-1gz", "+1gz"),
           ("x2", "-1x2", "+1x2"), ("sh", "-1sh", "+1sh"), ("c0", "-1c0", "+1c0", "-2c0", "+2c0"),
           ("c1", "-1c1", "+1c1"), ("lc", "-1lc"), ("rc", "+1rc"))
_SINGLES = ("e", "c2", "len", "s2", "s3", "x1", "x3", "fq", "ar", "g3", "v", "agz", "ac1", "afq", "+1v")
_NONE2, _NONE3, _NONE5 = (None,) * 2, (None,) * 3, (None,) * 5
_NO_WORD = ((), (), (), (), ())  # two positions beyond either end: no ±2 features


class _Emitters(dict):
    """template -> function of a value giving the attribute: ``"t=v"`` strings for training (``t`` alone when
    given None); at tagging time the model's bytes, looked up by value, or None if unknown."""

    __slots__ = ("tables",)

    def __init__(self, tables: dict[str, dict] | None):
        super().__init__()
        self.tables = tables

    def __missing__(self, template: str):
        if self.tables is None:
            prefix = template + "="
            fn = self[template] = lambda value: template if value is None else prefix + value
        else:
            fn = self[template] = self.tables.get(template, {}).get
        return fn


class _Cache(dict):
    """surface form -> entry, built on first sight."""

    __slots__ = ("build",)

    def __init__(self, build):
        super().__init__()
        self.build = build

    def __missing__(self, surface):
        entry = self[surface] = self.build(surface)
        return entry


class WordFeaturiser:
    """Maps a word's surface form to an entry: (own features, as left neighbour, as right neighbour, as ±2
    neighbour (left, right), stem, is punctuation, known stem bigrams starting here)."""

    def __init__(self, vocabulary: dict[str, int], tokeniser: Tokeniser | None = None,
                 gazetteer: dict[str, frozenset[str]] | None = None,
                 contexts: dict[str, tuple[str, str]] | None = None, known: frozenset[str] | None = None,
                 cache_size: int = 150_000, clusters: dict[str, tuple[str, ...]] | None = None,
                 codes: dict[str, object] | None = None):
        self.vocabulary = vocabulary
        # stem -> classes such as PF (first word of a known person's name), PL (last word), LOC, OF (organisation head)
        self.gazetteer = gazetteer or {}
        # stem -> (commonest left neighbour, commonest right neighbour) in unannotated news: a cheap word cluster
        self.contexts = contexts or {}
        # stem -> word2vec k-means cluster ids at coarse/medium/fine granularity (data/ner/clusters.tsv)
        self.clusters = clusters or {}
        # The attributes a trained model knows: at tagging time the rest (mostly rare words' identity features)
        # are dropped once per word form instead of being looked up by CRFsuite at every token. Same tags.
        self.known = known
        self.cache_size = cache_size
        self.tokeniser = tokeniser or Tokeniser()
        self._cache = _Cache(self._build)
        self._bigrams: dict[str, dict[str, tuple[tuple[bytes, ...], tuple[bytes, ...]]]] = {}
        self.codes = codes
        if known is not None:
            # The model's attributes as the bytes handed to CRFsuite, one object each, shared by every cache entry
            # (or as the given codes: truthy objects, since empty attributes are filtered out as falsy).
            self._canonical = {f: f.encode("utf-8") for f in known} if codes is None else \
                {f: codes[f] for f in known}
            right = {f[5:] for f in known if f.startswith("s+1s=")}
            left = {f[5:] for f in known if f.startswith("s-1s=")}
            for pair in right | left:
                # split at every "|" (a stem may itself be "|"): each reading rebuilds the same attribute string
                for k in range(len(pair)):
                    if pair[k] != "|":
                        continue
                    a, b = pair[:k], pair[k + 1:]
                    self._bigrams.setdefault(a, {})[b] = (
                        (self._canonical["s+1s=" + pair],) if pair in right else (),
                        (self._canonical["s-1s=" + pair],) if pair in left else ())
            # template -> value -> attribute ("b", "art", "noctx" have the value None)
            self._tables: dict[str, dict[str | None, bytes]] | None = {}
            for attr, code in self._canonical.items():
                template, sep, value = attr.partition("=")
                if template not in ("s+1s", "s-1s"):
                    self._tables.setdefault(template, {})[value if sep else None] = code
            self._emit = _Emitters(self._tables)
            self._ends = (self._keep(["s-1s=BOS"]), self._keep(["s+1s=EOS"]))
            self._bos, self._eos = self._keep(["BOS"]), self._keep(["EOS"])
        else:
            self._canonical = None
            self._tables = None
            self._emit = _Emitters(None)
            self._ends = (("s-1s=BOS",), ("s+1s=EOS",))
            self._bos, self._eos = ("BOS",), ("EOS",)
        # the entry standing for the position before the first word / after the last one
        self._edge = ((), self._bos, self._eos, (), ())
        self._bind_emitters()
        self._lex: dict[str, tuple[tuple, tuple, tuple]] = {}

    def _keep(self, features) -> tuple:
        if self._canonical is None:
            return tuple(features)
        get = self._canonical.get
        return tuple(c for f in features if (c := get(f)) is not None)

    def word(self, surface: str):
        return self._cache[surface]

    def entry(self, surface: str):
        """The entry of a word form, built afresh (not cached here: for a caller keeping its own cache)."""
        return self._build(surface)

    def _bind_emitters(self) -> None:
        """Look the emitters up once, not per attribute: ``_build`` runs for every new word form, and Arabic's long
        tail keeps them coming in a warm pipeline."""
        t = self._emit
        # the attributes without a value
        self._b, self._art, self._noctx = t["b"](None), t["art"](None), t["noctx"](None)
        self._groups = tuple(self._group(g) for g in _GROUPS)
        self._singles = tuple(t[x] for x in _SINGLES)

    def _group(self, templates: tuple[str, ...]):
        """A function of (value, default) giving the attributes of ``templates`` for that value, in order: the
        "t=v" strings for training; at tagging time one table lookup (``default``, all None, for a value the model
        knows under none of them; None for each it does not know)."""
        n = len(templates)
        if self._tables is None:
            prefixes = [x + "=" for x in templates]
            return lambda value, default: tuple([p + value for p in prefixes])
        combined = {}
        for i, x in enumerate(templates):
            for value, code in self._tables.get(x, {}).items():
                combined.setdefault(value, [None] * n)[i] = code
        combined = {value: tuple(codes) for value, codes in combined.items()}
        return combined.get

    def _build(self, surface: str):
        match = _TOKEN_RE.fullmatch(surface)
        if match is not None and match.lastgroup == "word":  # one word: the splitter's (cached) pieces directly
            parts = self.tokeniser.splitter.split(surface)
            if len(parts) == 1:  # most words: no clitic, no list of pieces
                label, full = parts[0].label, parts[0].norm
                pieces = None
            else:
                pieces = [(p.label, p.norm) for p in parts]
        else:
            pieces = [(label, norm) for _, _, label, norm, _ in self.tokeniser.pieces(surface)]
            if len(pieces) == 1:
                (label, full), = pieces
                pieces = None
        if pieces is None and label in _PLAIN:  # one plain piece: its labels are {label}
            stem = full
            pre = enc = ""
            has_art = False
            punct = label == PUNCT
            number = label == NUMBER
        else:
            if pieces is None:  # a lone clitic
                pieces = [(label, full)]
            # one pass over the pieces instead of a generator per part
            stem_parts, pre_parts, enc_parts, labels = [], [], [], set()
            for label, norm in pieces:
                labels.add(label)
                if label == WORD or label == NUMBER:
                    stem_parts.append(norm)
                elif label == PROCLITIC or label == ARTICLE:
                    pre_parts.append(norm)
                elif label == ENCLITIC:
                    enc_parts.append(norm)
            full = "".join([norm for _, norm in pieces])
            stem = "".join(stem_parts) or full
            pre, enc = "".join(pre_parts), "".join(enc_parts)
            has_art = ARTICLE in labels
            punct = labels == _ONLY_PUNCT
            number = NUMBER in labels and WORD not in labels
        if punct:
            shape = "P" + full
        elif number:
            shape = "D"
        elif stem and "\u0621" <= stem[0] <= "\u06ff":
            shape = "A"
        elif stem.isascii() and stem.isalpha():
            shape = "L"
        else:
            shape = "X"
        f = self.vocabulary.get
        freq = f(stem, 0)
        gz = self.gazetteer.get(stem)
        gz = sorted(gz) if gz else ()  # most stems have no classes: no sorted() of an empty set
        # Every attribute is the model's bytes (or code) at tagging time, None when the model does not know it, and a
        # "template=value" string for training; None and "" (no proclitic, no enclitic) are filtered out at the end.
        # The attributes both kinds of word take are looked up once here.
        g_stem, g_full, g_pre, g_gz, g_x2, g_sh, g_c0, g_c1, g_lc, g_rc = self._groups
        s, l1s, r1s, l2s, r2s = g_stem(stem, _NONE5)
        w, l1w, r1w = g_full(full, _NONE3)
        p, r1p = g_pre(pre, _NONE2) if pre else _NONE2
        e, c2, ln, s2, s3, x1, x3, fq, ar, g3, v, agz, ac1, afq, r1v = self._singles
        if COMMON_MIN_FREQ is not None and (punct or freq >= COMMON_MIN_FREQ):
            # Punctuation and common words: their identity says it all (the model sees them often enough), so
            # they carry no affix, shape, frequency, context or cluster features — fewer attributes per token.
            own = [self._b, w, s, p, enc and e(enc)]
            left1 = [l1w, l1s]
            right1 = [r1w, r1s, r1p]
            if has_art:
                own.append(self._art)
            for cls in gz:
                a1, a2, a3 = g_gz(cls, _NONE3)
                own.append(a1)
                left1.append(a2)
                right1.append(a3)
            return (tuple(filter(None, own)), tuple(filter(None, left1)), tuple(filter(None, right1)),
                    (l2s,) if l2s else (), (r2s,) if r2s else (), stem, punct, self._bigrams.get(stem))
        art_freq = f("ال" + stem, 0)
        x2, l1x2, r1x2 = g_x2(stem[-2:], _NONE3)
        shp, l1sh, r1sh = g_sh(shape, _NONE3)
        own = [
            self._b,
            w,
            s,
            p,  # no proclitic, no enclitic: no attribute (the bias "b" says it)
            enc and e(enc),
            shp,
            ln(_length_bucket(len(stem))),
            s2(stem[:2]),
            s3(stem[:3]),
            x1(stem[-1:]),
            x2,
            x3(stem[-3:]),
            fq(_freq_bucket(freq)),
            # Proper names seldom take the article: how often the corpus has this stem with ال against without.
            ar("n" if art_freq + freq == 0 else str(min(4, (5 * art_freq) // (art_freq + freq + 1)))),
        ]
        if has_art:
            own.append(self._art)
        left1 = [l1w, l1s, l1x2, l1sh]
        right1 = [r1w, r1s, r1p, r1x2, r1sh]
        left2 = [l2s]
        right2 = [r2s]
        for cls in gz:
            a1, a2, a3 = g_gz(cls, _NONE3)
            own.append(a1)
            left1.append(a2)
            right1.append(a3)
        ctx = self.contexts.get(stem)
        if ctx is not None:
            lc, l1lc = g_lc(ctx[0], _NONE2)
            rc, r1rc = g_rc(ctx[1], _NONE2)
            own += (lc, rc)
            left1.append(l1lc)
            right1.append(r1rc)
        else:
            own.append(self._noctx)
        cl = self.clusters.get(stem)
        if cl is not None:
            c0, l1c0, r1c0, l2c0, r2c0 = g_c0(cl[0], _NONE5)
            c1, l1c1, r1c1 = g_c1(cl[1], _NONE3)
            own += (c0, c1, c2(cl[2]))
            left1 += (l1c0, l1c1)
            right1 += (r1c0, r1c1)
            left2.append(l2c0)
            right2.append(r2c0)
        if shape == "A":
            # the stem's inner letter trigrams (s3/x3 give its ends): spelling patterns of transliterated foreign
            # names and of name roots (كريستيانو: ريس، يست، ستي، تيا، يان)
            own += [g3(stem[i:i + 3]) for i in range(1, len(stem) - 3)]
            if not pre and len(stem) >= 4 and stem[0] in _PROCLITIC_LETTERS:
                # A proclitic the splitter left attached (unknown names: وغيث، ولوكاشنكو، بفرنسا): the word's
                # classes, cluster and frequency read as if it were split.
                alt = stem[1:]
                own.append(v(stem[0]))
                alt_gz = self.gazetteer.get(alt)
                if alt_gz:
                    own += [agz(cls) for cls in sorted(alt_gz)]
                acl = self.clusters.get(alt)
                if acl is not None:
                    own.append(ac1(acl[1]))
                own.append(afq(_freq_bucket(f(alt, 0))))
                right1.append(r1v(stem[0]))
        return (tuple(filter(None, own)), tuple(filter(None, left1)), tuple(filter(None, right1)),
                tuple(filter(None, left2)), tuple(filter(None, right2)), stem, punct, self._bigrams.get(stem))

    def restricted(self, known: frozenset[str], codes: dict[str, object] | None = None) -> "WordFeaturiser":
        """A featuriser with the same resources that only emits attributes in ``known`` (a model's attributes),
        as bytes, or as ``codes[attribute]`` when given."""
        return WordFeaturiser(self.vocabulary, self.tokeniser, self.gazetteer, self.contexts, known,
                              self.cache_size, self.clusters, codes)

    def _lexicon_features(self, tag: str):
        hit = self._lex.get(tag)
        if hit is None:
            hit = self._lex[tag] = (self._keep(["lx=" + tag, "lxt=" + tag[2:]]), self._keep(["-1lx=" + tag]),
                                    self._keep(["+1lx=" + tag]))
        return hit

    def sequence(self, surfaces: Sequence[str], lexicon_tags: Sequence[str] | None = None) -> list[list]:
        """Feature lists for a sentence of words; ``lexicon_tags[i]`` is e.g. ``B-ORG`` or ``""``.

        Built by zipping shifted per-word tuples (no per-token branching): position i gets its own word's features,
        word i-1's "left" tuple, word i-2's, word i+1's "right" tuple, word i+2's, and the two stem bigrams.
        """
        cache = self._cache
        if len(cache) > self.cache_size:  # bounded memory on endless streams
            cache.clear()
        infos = list(map(cache.__getitem__, surfaces))
        n = len(infos)
        if not n:
            return []
        # word i-1 as left neighbour (index 1 of an entry), i-2 (3), i+1 as right neighbour (2), i+2 (4)
        edge, none = self._edge, _NO_WORD
        out = [[*x[0], *l1[1], *l2[3], *r1[2], *r2[4]]
               for x, l1, l2, r1, r2 in zip(infos, chain((edge,), infos), chain((none, none), infos),
                                            chain(islice(infos, 1, None), (edge,)),
                                            chain(islice(infos, 2, None), (none, none)))]
        bos, eos = self._ends
        out[0] += bos
        out[-1] += eos
        if self.known is None:
            stems = [x[5] for x in infos]
            for i in range(n - 1):
                pair = stems[i] + "|" + stems[i + 1]
                out[i].append("s+1s=" + pair)
                out[i + 1].append("s-1s=" + pair)
        else:
            for i in range(n - 1):
                table = infos[i][7]
                if table is not None:
                    hit = table.get(infos[i + 1][5])
                    if hit is not None:
                        out[i] += hit[0]
                        out[i + 1] += hit[1]
        if lexicon_tags is not None and any(lexicon_tags):
            lex = self._lexicon_features
            for i, tag in enumerate(lexicon_tags):
                if not tag:
                    continue
                own, as_left, as_right = lex(tag)
                out[i] += own
                if i + 1 < n:
                    out[i + 1] += as_left
                if i > 0:
                    out[i - 1] += as_right
        return out
