"""The statistical entity tagger: a linear-chain CRF (CRFsuite) over orthographic words.

Trained by scripts/train_tagger.py on ANERcorp; labels are BIO over PERS, LOC, ORG, MISC.

Tagging does not hand feature strings to CRFsuite: the model's weights are read from its file (``CRFModel``) and
``Decoder`` scores a sentence with numpy — each word form's attributes (its own and those it lends its neighbours)
are turned into rows of the weight matrix once, a sentence's state scores are one gather and one sum over those
rows, and Viterbi runs over the labels of a position at a time. The state scores are summed in CRFsuite's order
(attribute by attribute, as the item lists them) and Viterbi takes the first best label as CRFsuite does, so the
labels are CRFsuite's, bit for bit. CRFsuite itself still opens the model (a corrupt file stops start-up) and tags
when the file cannot be read here.
"""
from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

from marsad.entities.features import WordFeaturiser
from marsad.resources import DataFileError, data_path
from marsad.text.tokens import Tokeniser, default_splitter


@lru_cache(maxsize=1)
def default_featuriser() -> WordFeaturiser:
    from marsad.entities.actors import default_actor_table

    splitter = default_splitter()
    gazetteer = name_gazetteer(default_actor_table())
    for stem, classes in load_names().items():
        gazetteer[stem] = gazetteer.get(stem, frozenset()) | classes
    for stem, classes in load_names(data_path("ner/places.tsv")).items():
        gazetteer[stem] = gazetteer.get(stem, frozenset()) | classes
    return WordFeaturiser(splitter.freq, Tokeniser(splitter), gazetteer, load_contexts(), clusters=load_clusters())


def load_clusters(path: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Word clusters of the ANT corpus (data/ner/clusters.tsv, built by scripts/build_clusters.py)."""
    path = path or data_path("ner/clusters.tsv")
    clusters: dict[str, tuple[str, ...]] = {}
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                stem, *ids = line.rstrip("\n").split("\t")
                if len(ids) != 3:
                    raise ValueError(f"expected 3 cluster ids, got {len(ids)} in {line!r}")
                clusters[stem] = tuple(ids)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable or corrupt: {exc}") from exc
    return clusters


def load_names(path: Path | None = None) -> dict[str, frozenset[str]]:
    """Word classes from other annotated corpora (data/ner/names.tsv, built by scripts/train_tagger.py)."""
    path = path or data_path("ner/names.tsv")
    names: dict[str, frozenset[str]] = {}
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                stem, classes = line.rstrip("\n").split("\t")
                names[stem] = frozenset(classes.split(","))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable or corrupt: {exc}") from exc
    return names


def load_contexts(path: Path | None = None) -> dict[str, tuple[str, str]]:
    path = path or data_path("ner/contexts.tsv")
    contexts: dict[str, tuple[str, str]] = {}
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("#"):
                    continue
                stem, left, right = line.rstrip("\n").split("\t")
                contexts[stem] = (left, right)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable or corrupt: {exc}") from exc
    return contexts


def name_gazetteer(table) -> dict[str, frozenset[str]]:
    """Word classes from the actor table: first/last words of people's names, one-word places, organisation heads."""
    from marsad.text.tokens import matching_key

    classes: dict[str, set[str]] = {}
    for actor in table.actors:
        for variant in actor.variants:
            key = matching_key(variant)
            if not key:
                continue
            if actor.label == "PERSON" and len(key) >= 2:
                classes.setdefault(key[0], set()).add("PF")
                classes.setdefault(key[-1], set()).add("PL")
            elif actor.label == "LOC" and len(key) == 1:
                classes.setdefault(key[0], set()).add("LOC")
            elif actor.label == "ORG" and len(key) >= 2:
                classes.setdefault(key[0], set()).add("OF")
    return {k: frozenset(v) for k, v in classes.items()}


def lexicon_word_tags(words: Sequence[str]) -> list[str]:
    """BIO tags of actor-lexicon matches over a sentence of words (the tagger's lexicon feature)."""
    from marsad.entities.lexicon import default_lexicon

    return default_lexicon().word_tags(words)


def sentence_features(featuriser: WordFeaturiser, words: Sequence[str], use_lexicon: bool,
                      lexicon_tags: Sequence[str] | None = None) -> list[list[str]]:
    if use_lexicon and lexicon_tags is None:
        lexicon_tags = lexicon_word_tags(words)
    return featuriser.sequence(words, lexicon_tags if use_lexicon else None)


class CRFModel:
    """The weights of a CRFsuite model (CRF1d, file format version 100), read from its file at full precision.

    ``state[a + 1, y]`` is the weight of attribute ``a`` for label ``y`` (row 0 is all zeros: padding);
    ``trans[i, j]`` the weight of label ``i`` followed by label ``j``. Raises ValueError on anything unexpected.
    """

    def __init__(self, data: bytes):
        try:
            self._read(data)
        except (struct.error, IndexError, UnicodeDecodeError) as exc:
            raise ValueError(f"not a readable CRFsuite model: {exc}") from exc

    def _read(self, data: bytes) -> None:
        magic, _size, kind, version, _nf, num_labels, num_attrs, off_features, off_labels, off_attrs = \
            struct.unpack_from("<4sI4s7I", data, 0)
        if magic != b"lCRF" or kind != b"FOMC" or version != 100:
            raise ValueError(f"not a CRFsuite CRF1d model (version 100): {magic!r} {kind!r} {version}")
        if data[off_features:off_features + 4] != b"FEAT":
            raise ValueError("no FEAT chunk")
        (count,) = struct.unpack_from("<I", data, off_features + 8)
        features = np.frombuffer(data, dtype=np.dtype([("type", "<u4"), ("src", "<u4"), ("dst", "<u4"),
                                                       ("weight", "<f8")]), count=count, offset=off_features + 12)
        self.labels = _cqdb_strings(data, off_labels)
        self.attributes = _cqdb_strings(data, off_attrs)
        if len(self.labels) != num_labels or len(self.attributes) != num_attrs:
            raise ValueError("label or attribute count does not match the header")
        kinds, src, dst = features["type"], features["src"].astype(np.intp), features["dst"].astype(np.intp)
        weight = features["weight"].astype(np.float64)
        if ((kinds != 0) & (kinds != 1)).any() or (dst >= num_labels).any() \
                or (src[kinds == 0] >= num_attrs).any() or (src[kinds == 1] >= num_labels).any():
            raise ValueError("feature out of range")
        self.state = np.zeros((num_attrs + 1, num_labels))
        self.trans = np.zeros((num_labels, num_labels))
        st, tr = kinds == 0, kinds == 1
        self.state[src[st] + 1, dst[st]] = weight[st]  # one feature per (attribute, label), one per label pair
        self.trans[src[tr], dst[tr]] = weight[tr]
        # the attributes with a state feature (the ones CRFsuite's dump lists): the featuriser keeps only these
        self.known = frozenset(self.attributes[a] for a in np.unique(src[st]).tolist())

    @classmethod
    def read(cls, path: Path) -> "CRFModel":
        return cls(path.read_bytes())


def _cqdb_strings(data: bytes, offset: int) -> list[str]:
    """The strings of a CQDB chunk (CRFsuite's string <-> id dictionary) in id order, from its backward array."""
    if data[offset:offset + 4] != b"CQDB":
        raise ValueError("no CQDB chunk")
    _size, _flag, _order, count, backward = struct.unpack_from("<5I", data, offset + 4)
    out = []
    for i, record in enumerate(struct.unpack_from(f"<{count}I", data, offset + backward)):
        rid, size = struct.unpack_from("<2I", data, offset + record)
        if rid != i or size < 1:
            raise ValueError("CQDB record out of order")
        start = offset + record + 8
        out.append(data[start:start + size - 1].decode("utf-8"))
    return out


class _Blocks:
    """One int32 row per word form (grown as forms come), zero-padded on the right: the weight rows of a block."""

    __slots__ = ("rows",)

    def __init__(self, capacity: int):
        self.rows = np.zeros((capacity, 1), dtype=np.int32)

    def set(self, index: int, codes: tuple) -> None:
        rows = self.rows
        if len(codes) > rows.shape[1]:
            rows = self.rows = np.concatenate(
                [rows, np.zeros((rows.shape[0], len(codes) - rows.shape[1]), dtype=np.int32)], axis=1)
        row = rows[index]
        row[:] = 0
        row[:len(codes)] = codes

    def grow(self, capacity: int) -> None:
        rows = self.rows
        self.rows = np.concatenate([rows, np.zeros((capacity - rows.shape[0], rows.shape[1]), dtype=np.int32)])


_EDGE = 0  # the form standing for the positions beyond either end of a sentence


class Decoder:
    """CRFsuite's Viterbi tagging of a sentence, with the state scores gathered from per-form rows (numpy).

    For each word form the featuriser's entry (own attributes, as left neighbour, as right neighbour, as ±2
    neighbour) becomes rows of attribute codes (model attribute id + 1; 0 pads) kept in ``_Blocks``; a sentence's
    codes are those rows gathered at shifted positions, then the end markers, stem bigrams and lexicon attributes
    as extra columns, in the order ``WordFeaturiser.sequence`` lists them. Summing the gathered weight rows left
    to right adds them in CRFsuite's order, padding adds exact zeros: the same state scores, bit for bit. A word's
    own attributes come first, so their sum is the same at every occurrence: it is kept as one more row of the
    weight table (``_table[_own + form]``) and gathered as one code.
    """

    def __init__(self, model: CRFModel, featuriser: WordFeaturiser):
        self.labels = model.labels
        self.trans = model.trans
        self.featuriser = featuriser
        keep = featuriser._keep
        self.cache_size = featuriser.cache_size
        self._forms: dict[str, int] = {}
        capacity = 4096
        self._blocks = [_Blocks(capacity) for _ in range(4)]  # as left, as right, as -2 and as +2 neighbour
        self._bigram_stem = np.full(capacity, -1, dtype=np.int64)
        # the model's weight rows, then one row per form: the sum of its own attributes' rows
        self._own = model.state.shape[0]
        self._table = np.concatenate([model.state, np.zeros((capacity, model.state.shape[1]))])
        self._set(_EDGE, featuriser._edge, -1)
        self._count = 1
        self._bos_eos = (keep(["s-1s=BOS"]) or (0,))[0], (keep(["s+1s=EOS"]) or (0,))[0]
        # stem bigrams: (left stem id, right stem id) -> codes of "s-1s=a|b" (on the right word), "s+1s=a|b"
        stems: dict[str, int] = {}
        pairs: dict[int, tuple[int, int]] = {}
        table = featuriser._bigrams
        for a, nexts in table.items():
            stems.setdefault(a, len(stems))
            for b in nexts:
                stems.setdefault(b, len(stems))
        for a, nexts in table.items():
            for b, (plus, minus) in nexts.items():
                pairs[stems[a] * len(stems) + stems[b]] = ((minus or (0,))[0], (plus or (0,))[0])
        self._stem_ids = stems
        self._pair_keys = np.array(sorted(pairs), dtype=np.int64)
        self._pair_codes = np.array([pairs[k] for k in sorted(pairs)], dtype=np.int32).reshape(-1, 2)
        # lexicon tag -> codes of -1lx (on the next word), lx, lxt, +1lx (on the previous word); "" -> none
        self._lex_index: dict[str, int] = {"": 0}
        self._lex_rows = [(0, 0, 0, 0)]
        self._lex_codes = np.zeros((1, 4), dtype=np.int32)

    def _set(self, index: int, entry, bigram_stem: int) -> None:
        own, left1, right1, left2, right2 = entry[:5]
        blocks = self._blocks
        blocks[0].set(index, left1)
        blocks[1].set(index, right1)
        blocks[2].set(index, left2)
        blocks[3].set(index, right2)
        self._bigram_stem[index] = bigram_stem
        table = self._table
        # summed left to right from zero, as CRFsuite does (a reduction over the middle axis adds row by row)
        table[self._own + index] = table[np.array([own or (0,)], dtype=np.intp)].sum(axis=1)[0]

    def _add(self, surface: str) -> int:
        index = self._count
        capacity = self._bigram_stem.shape[0]
        if index >= capacity:
            for block in self._blocks:
                block.grow(2 * capacity)
            self._bigram_stem = np.concatenate([self._bigram_stem, np.full(capacity, -1, dtype=np.int64)])
            self._table = np.concatenate([self._table, np.zeros((capacity, self._table.shape[1]))])
        entry = self.featuriser.entry(surface)
        self._set(index, entry, self._stem_ids.get(entry[5], -1))
        self._forms[surface] = index
        self._count = index + 1
        return index

    def _lex(self, tag: str) -> int:
        index = self._lex_index.get(tag)
        if index is None:
            own, as_left, as_right = self.featuriser._lexicon_features(tag)
            own = (*own, 0, 0)
            self._lex_rows.append(((as_left or (0,))[0], own[0], own[1], (as_right or (0,))[0]))
            self._lex_codes = np.array(self._lex_rows, dtype=np.int32)
            index = self._lex_index[tag] = len(self._lex_rows) - 1
        return index

    def codes(self, surfaces: Sequence[str], lexicon_tags: Sequence[str] | None = None) -> np.ndarray:
        """Rows of ``_table`` to add up for each word of a sentence (0 pads): the sum of its own attributes, then
        the others in ``WordFeaturiser.sequence``'s order."""
        n = len(surfaces)
        if self._count + n > self.cache_size:  # bounded memory on endless streams (never inside a sentence)
            self._forms.clear()
            self._count = 1
        get = self._forms.get
        ids = [get(w) for w in surfaces]
        if None in ids:
            ids = [i if i is not None else (get(w) or self._add(w)) for i, w in zip(ids, surfaces)]
        # position k's own form is at k + 2; its neighbours at k + 1 (left), k (-2), k + 3 (right), k + 4 (+2)
        forms = np.array([_EDGE, _EDGE, *ids, _EDGE, _EDGE], dtype=np.intp)
        left1, right1, left2, right2 = (b.rows for b in self._blocks)
        ends = np.zeros((n, 2), dtype=np.int32)
        ends[0, 0], ends[n - 1, 1] = self._bos_eos
        bigrams = np.zeros((n, 2), dtype=np.int32)
        if n > 1 and len(self._pair_keys):
            stem = self._bigram_stem[forms[2:n + 2]]
            a, b = stem[:-1], stem[1:]
            keys = a * len(self._stem_ids) + b
            found = np.searchsorted(self._pair_keys, keys)
            found[found >= len(self._pair_keys)] = 0
            hit = (a >= 0) & (b >= 0) & (self._pair_keys[found] == keys)
            if hit.any():
                where = np.flatnonzero(hit)
                pair = self._pair_codes[found[where]]
                bigrams[where + 1, 0] = pair[:, 0]  # s-1s on the right word of the pair
                bigrams[where, 1] = pair[:, 1]  # s+1s on the left word
        own = (forms[2:n + 2] + self._own).astype(np.int32)[:, None]
        parts = [own, left1[forms[1:n + 1]], left2[forms[:n]], right1[forms[3:n + 3]], right2[forms[4:n + 4]],
                 ends, bigrams]
        if lexicon_tags is not None and any(lexicon_tags):
            lex = self._lex
            index = self._lex_index.get
            tags = np.array([i if (i := index(t)) is not None else lex(t) for t in lexicon_tags], dtype=np.intp)
            table = self._lex_codes
            lexicon = np.zeros((n, 4), dtype=np.int32)
            lexicon[1:, 0] = table[tags[:-1], 0]
            lexicon[:, 1:3] = table[tags, 1:3]
            lexicon[:-1, 3] = table[tags[1:], 3]
            parts.append(lexicon)
        return np.concatenate(parts, axis=1)

    def scores(self, surfaces: Sequence[str], lexicon_tags: Sequence[str] | None = None) -> np.ndarray:
        """State scores (words × labels), added up in CRFsuite's order."""
        codes = self.codes(surfaces, lexicon_tags)  # first: it may grow the table
        return self._table[codes].sum(axis=1)

    def tag(self, surfaces: Sequence[str], lexicon_tags: Sequence[str] | None = None) -> list[str]:
        n = len(surfaces)
        if not n:
            return []
        state = self.scores(surfaces, lexicon_tags)
        trans = self.trans
        # alpha[t, j] = max_i(alpha[t-1, i] + trans[i, j]) + state[t, j], as crf1dc_viterbi computes it
        alpha = np.empty_like(state)
        alpha[0] = state[0]
        column = alpha[:, :, None]
        columns, rows, states = list(column), list(alpha), list(state)  # views made once, not per position
        work = np.empty_like(trans)
        add, maximum = np.add, np.maximum.reduce
        for t in range(1, n):
            add(maximum(add(columns[t - 1], trans, out=work), axis=0), states[t], out=rows[t])
        labels = self.labels
        best = int(alpha[n - 1].argmax())  # the first of equal scores, as CRFsuite's strict comparison keeps
        if n == 1:
            return [labels[best]]
        back = (column[:-1] + trans).argmax(axis=1).tolist()  # the same sums as in the loop: the same choices
        path = [best]
        for t in range(n - 2, -1, -1):
            best = back[t][best]
            path.append(best)
        path.reverse()
        return [labels[i] for i in path]


class EntityTagger:
    def __init__(self, model_path: str | Path | None = None, featuriser: WordFeaturiser | None = None,
                 use_lexicon: bool = True):
        import pycrfsuite

        path = Path(model_path) if model_path else data_path("ner/tagger.crfsuite")
        if not path.exists():
            raise DataFileError(f"marsad entity tagger model missing: {path} (run scripts/train_tagger.py)")
        self.path = path
        self.tagger = pycrfsuite.Tagger()
        try:
            self.tagger.open(str(path))
            labels = self.tagger.labels()
        except Exception as exc:  # CRFsuite raises a bare ValueError/OSError on a corrupt file
            raise DataFileError(f"marsad entity tagger model {path} is unreadable or corrupt: {exc}") from exc
        if not labels or "O" not in labels:
            raise DataFileError(f"marsad entity tagger model {path} has no usable labels: {labels}")
        self.use_lexicon = use_lexicon
        self.decoder: Decoder | None = None
        try:
            model = CRFModel.read(path)
            if model.labels != labels:
                raise ValueError(f"labels {model.labels} are not CRFsuite's {labels}")
        except (OSError, ValueError):
            # A model this reader does not know (another CRFsuite version): CRFsuite tags from feature strings.
            attributes = frozenset(attr for attr, _ in self.tagger.info().state_features)
            self.featuriser = (featuriser or default_featuriser()).restricted(attributes)
            return
        codes = {name: a + 1 for a, name in enumerate(model.attributes)}
        self.featuriser = (featuriser or default_featuriser()).restricted(model.known, codes)
        self.decoder = Decoder(model, self.featuriser)

    def tag_words(self, words: Sequence[str], lexicon_tags: Sequence[str] | None = None) -> list[str]:
        if not words:
            return []
        if self.use_lexicon and lexicon_tags is None:
            lexicon_tags = lexicon_word_tags(words)
        if self.decoder is not None:
            return self.decoder.tag(words, lexicon_tags if self.use_lexicon else None)
        return self.tagger.tag(sentence_features(self.featuriser, words, self.use_lexicon, lexicon_tags))
