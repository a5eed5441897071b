"""The statistical entity tagger: a linear-chain CRF (CRFsuite) over orthographic words.

Trained by scripts/train_tagger.py on ANERcorp; labels are BIO over PERS, LOC, ORG, MISC.

``EntityTagger.tag_words`` tags one sentence with CRFsuite. ``EntityTagger.tag_sentences`` tags several (all
those of an article) without CRFsuite: the model's weights are read from its file (``CRFModel``) and ``Decoder``
scores and decodes the sentences together in numpy — each word form's attributes (its own and those it lends its
neighbours) become rows of attribute codes once, the state scores of all the words are a few gathers and adds,
and Viterbi steps through the positions for all the sentences at once. The scores are added in CRFsuite's order
(attribute by attribute, as the item lists them) and Viterbi keeps the first best label as CRFsuite does, so the
labels are CRFsuite's, bit for bit. CRFsuite itself tags only through ``tag_words`` (one sentence, as the
training and evaluation scripts do) or when the model file is not one this reader knows.
"""
from __future__ import annotations

import struct
from functools import lru_cache
from itertools import chain
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


def _padded(rows: list[tuple]) -> np.ndarray:
    """Tuples of codes as an int32 matrix, zero-padded on the right (at least one column)."""
    lengths = np.fromiter(map(len, rows), dtype=np.intp, count=len(rows))
    out = np.zeros((len(rows), max(1, int(lengths.max(initial=0)))), dtype=np.int32)
    out[np.arange(out.shape[1]) < lengths[:, None]] = np.fromiter(chain.from_iterable(rows), dtype=np.int32,
                                                                  count=int(lengths.sum()))
    return out


class _Blocks:
    """One int32 row per word form (grown as forms come), zero-padded on the right: the weight rows of a block."""

    __slots__ = ("rows",)

    def __init__(self, capacity: int):
        self.rows = np.zeros((capacity, 1), dtype=np.int32)

    def set(self, indices: np.ndarray, codes: list[tuple]) -> None:
        values = _padded(codes)
        rows, width = self.rows, values.shape[1]
        if width > rows.shape[1]:
            rows = self.rows = np.concatenate(
                [rows, np.zeros((rows.shape[0], width - rows.shape[1]), dtype=np.int32)], axis=1)
        rows[indices, :width] = values
        rows[indices, width:] = 0  # a row may be reused after the cache was emptied

    def grow(self, capacity: int) -> None:
        rows = self.rows
        self.rows = np.concatenate([rows, np.zeros((capacity - rows.shape[0], rows.shape[1]), dtype=np.int32)])


_EDGE = 0  # the form standing for the positions beyond either end of a sentence


class Decoder:
    """CRFsuite's Viterbi tagging of a batch of sentences, with the state scores gathered from per-form rows (numpy).

    For each word form the featuriser's entry (own attributes, as left neighbour, as right neighbour, as ±2
    neighbour) becomes rows of attribute codes (model attribute id + 1; 0 pads) kept in ``_Blocks``; the batch's
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
        self._pending: list[str] = []  # the last forms numbered, their rows not filled yet
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
        self._set([_EDGE], [featuriser._edge + (None,)])  # stem None: in no bigram

    @classmethod
    def of(cls, model: CRFModel, featuriser: WordFeaturiser) -> "Decoder":
        """The decoder of a model, over a featuriser restricted to the model's attributes as their weight rows."""
        codes = {name: a + 1 for a, name in enumerate(model.attributes)}
        return cls(model, featuriser.restricted(model.known, codes))

    def _set(self, indices: list[int], entries: list) -> None:
        """Rows for new forms, all at once: their blocks, bigram stems and the sums of their own attributes."""
        at = np.array(indices, dtype=np.intp)
        for block, k in zip(self._blocks, (1, 2, 3, 4)):  # as left, as right, as -2, as +2 neighbour
            block.set(at, [entry[k] for entry in entries])
        stem_id = self._stem_ids.get
        self._bigram_stem[at] = [stem_id(entry[5], -1) for entry in entries]
        table = self._table
        # summed left to right from zero, as CRFsuite does (a reduction over the middle axis adds row by row)
        table[self._own + at] = table[_padded([entry[0] for entry in entries])].sum(axis=1)

    def _add(self, surface: str) -> int:
        """A number for a new form; its rows are filled by ``_fill`` before they are read."""
        index = self._count
        capacity = self._bigram_stem.shape[0]
        if index >= capacity:  # doubled, but not far beyond the cache's bound
            grown = max(index + 1, min(2 * capacity, self.cache_size + 4096))
            for block in self._blocks:
                block.grow(grown)
            self._bigram_stem = np.concatenate([self._bigram_stem, np.full(grown - capacity, -1, dtype=np.int64)])
            self._table = np.concatenate([self._table, np.zeros((grown - capacity, self._table.shape[1]))])
        self._pending.append(surface)
        self._forms[surface] = index
        self._count = index + 1
        return index

    def _fill(self) -> None:
        pending = self._pending
        if pending:
            entry = self.featuriser.entry
            first = self._count - len(pending)
            self._set(list(range(first, self._count)), [entry(surface) for surface in pending])
            pending.clear()

    def _lex(self, tag: str) -> int:
        index = self._lex_index.get(tag)
        if index is None:
            own, as_left, as_right = self.featuriser._lexicon_features(tag)
            own = (*own, 0, 0)
            self._lex_rows.append(((as_left or (0,))[0], own[0], own[1], (as_right or (0,))[0]))
            self._lex_codes = np.array(self._lex_rows, dtype=np.int32)
            index = self._lex_index[tag] = len(self._lex_rows) - 1
        return index

    def codes(self, sentences: Sequence[tuple[Sequence[str], Sequence[str] | None]]) -> np.ndarray:
        """Rows of ``_table`` to add up for each word of some sentences, one after the other (0 pads): the sum of
        the word's own attributes, then the others in ``WordFeaturiser.sequence``'s order."""
        total = sum(len(words) for words, _ in sentences)
        if self._count + total > self.cache_size:  # bounded memory on endless streams (never inside a batch)
            self._forms.clear()
            self._count = 1
        get, add = self._forms.get, self._add
        flat = [_EDGE, _EDGE]  # the sentences' forms, two edges before, between and after them
        for words, _ in sentences:
            ids = list(map(get, words))
            if None in ids:
                ids = [i if i is not None else (get(w) or add(w)) for i, w in zip(ids, words)]
            flat += ids
            flat += (_EDGE, _EDGE)
        self._fill()
        forms = np.array(flat, dtype=np.intp)
        at = np.flatnonzero(forms)  # the words' places in ``forms`` (edges are form 0)
        left1, right1, left2, right2 = (b.rows for b in self._blocks)
        parts = [(forms[at] + self._own).astype(np.int32)[:, None], left1[forms[at - 1]], left2[forms[at - 2]],
                 right1[forms[at + 1]], right2[forms[at + 2]]]
        bos, eos = self._bos_eos
        parts.append(np.stack([np.where(forms[at - 1] == _EDGE, bos, 0), np.where(forms[at + 1] == _EDGE, eos, 0)],
                              axis=1).astype(np.int32))
        bigrams = np.zeros((2, len(forms)), dtype=np.int32)  # s-1s, s+1s by place
        if len(self._pair_keys):
            stem = self._bigram_stem[forms]  # -1 for the edges: no pair across sentences
            a, b = stem[:-1], stem[1:]
            keys = a * len(self._stem_ids) + b
            found = np.searchsorted(self._pair_keys, keys)
            found[found >= len(self._pair_keys)] = 0
            where = np.flatnonzero((a >= 0) & (b >= 0) & (self._pair_keys[found] == keys))
            if len(where):
                pair = self._pair_codes[found[where]]
                bigrams[0, where + 1] = pair[:, 0]  # s-1s on the right word of the pair
                bigrams[1, where] = pair[:, 1]  # s+1s on the left word
        parts.append(bigrams[:, at].T)
        if any(tags is not None and any(tags) for _, tags in sentences):
            index, lex = self._lex_index.get, self._lex
            places = [0, 0]
            for words, tags in sentences:
                places += [i if (i := index(t)) is not None else lex(t) for t in tags] if tags else [0] * len(words)
                places += (0, 0)
            tags = np.array(places, dtype=np.intp)
            table = self._lex_codes
            parts += [table[tags[at - 1], :1], table[tags[at], 1:3], table[tags[at + 1], 3:]]
        return np.concatenate(parts, axis=1)

    def scores(self, sentences: Sequence[tuple[Sequence[str], Sequence[str] | None]]) -> np.ndarray:
        """State scores (words × labels) of some sentences one after the other, added up in CRFsuite's order."""
        codes = self.codes(sentences)  # first: it may grow the table
        packed = codes[:, codes.any(axis=0)]  # columns of padding alone add nothing
        # column after column: left to right for every word
        table = self._table
        total = table.take(packed[:, 0], axis=0)
        for column in packed.T[1:]:
            total += table.take(column, axis=0)
        return total

    def tag(self, sentences: Sequence[tuple[Sequence[str], Sequence[str] | None]]) -> list[list[str]]:
        """Labels of each sentence (words, lexicon tags or None); Viterbi runs over all of them at once."""
        lengths = [len(words) for words, _ in sentences]
        if not any(lengths):
            return [[] for _ in sentences]
        return self.decode(lengths, self.scores(sentences))

    def decode(self, sentence_lengths: Sequence[int], state: np.ndarray) -> list[list[str]]:
        """Viterbi over given state scores (words × labels, the sentences one after the other) with the model's
        transitions: ``tag`` after ``scores``, open to scores changed in between (scripts/experiments/)."""
        lengths = np.array(sentence_lengths, dtype=np.intp)
        if not lengths.any():
            return [[] for _ in sentence_lengths]
        trans, count = self.trans, len(lengths)
        # sentences longest first, so that those still going at position t are the first ``going[t]``
        order = np.argsort(-lengths, kind="stable")
        rank = np.empty_like(order)
        rank[order] = np.arange(count)
        longest = int(lengths.max())
        going = np.searchsorted(-lengths[order], -np.arange(longest + 1), side="left").tolist()
        sentence = np.repeat(np.arange(count), lengths)
        position = np.arange(len(state)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        by_sentence = np.zeros((longest, count, state.shape[1]))
        by_sentence[position, rank[sentence]] = state
        scores = np.ascontiguousarray(by_sentence.transpose(0, 2, 1))  # position, label, sentence
        # alpha[t, j, s] = max_i(alpha[t-1, i, s] + trans[i, j]) + state[t, j, s], as crf1dc_viterbi computes it;
        # sentences innermost, so that every operation runs over contiguous rows
        alpha = np.zeros_like(scores)
        alpha[0] = scores[0]
        add, maximum, down = np.add, np.maximum.reduce, trans[:, :, None]
        for t in range(1, longest):
            g = going[t]
            add(maximum(alpha[t - 1, :, None, :g] + down, axis=0), scores[t, :, :g], out=alpha[t, :, :g])
        ranked = lengths[order]
        labels = np.zeros((longest, count), dtype=np.intp)
        everyone = np.arange(count)
        # the first of equal scores, as CRFsuite's strict comparisons keep
        labels[ranked - 1, everyone] = alpha[ranked - 1, :, everyone].argmax(axis=1)
        # Back to front with the labels innermost (position, sentence, label): each step's argmax then runs along
        # contiguous rows, a quarter cheaper than across them
        alpha_rows = np.ascontiguousarray(alpha.transpose(0, 2, 1))
        into = np.ascontiguousarray(trans.T)  # into[j, i]: the weight of label i followed by label j
        for t in range(longest - 2, -1, -1):
            g = going[t + 1]
            # the best label before the next one, from the same sums as in the loop: the same choice
            labels[t, :g] = (alpha_rows[t, :g] + into[labels[t + 1, :g]]).argmax(axis=1)
        names, columns = self.labels, labels.T.tolist()
        return [[names[i] for i in columns[r][:n]] for r, n in zip(rank.tolist(), lengths.tolist())]


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
        base = featuriser or default_featuriser()
        self.decoder: Decoder | None = None
        try:
            model = CRFModel.read(path)
            if model.labels != labels:
                raise ValueError(f"labels {model.labels} are not CRFsuite's {labels}")
        except (OSError, ValueError):
            # A model this reader does not know (another CRFsuite version): CRFsuite tags every sentence.
            self.featuriser = base.restricted(frozenset(attr for attr, _ in self.tagger.info().state_features))
            return
        self.featuriser = base.restricted(model.known)  # CRFsuite's attributes, as bytes
        self.decoder = Decoder.of(model, base)

    def tag_words(self, words: Sequence[str], lexicon_tags: Sequence[str] | None = None) -> list[str]:
        """Labels of one sentence, by CRFsuite itself (the training and evaluation scripts' path)."""
        if not words:
            return []
        return self.tagger.tag(sentence_features(self.featuriser, words, self.use_lexicon, lexicon_tags))

    def tag_sentences(self, sentences: Sequence[tuple[Sequence[str], Sequence[str] | None]]) -> list[list[str]]:
        """Labels of several sentences — (words, lexicon tags or None) each, such as all those of an article —
        scored and decoded together in numpy: the same labels as ``tag_words`` on each."""
        if self.use_lexicon:
            sentences = [(words, lexicon_word_tags(words) if tags is None else tags) for words, tags in sentences]
        else:
            sentences = [(words, None) for words, _ in sentences]
        if self.decoder is None:
            return [self.tag_words(words, tags) for words, tags in sentences]
        # Even an article of one or two sentences: CRFsuite would be a little cheaper on those once their words are
        # known, but its features are a second cache, built a second time for every new word form (in a stream
        # of news, most of the time those forms take) and held in memory a second time.
        return self.decoder.tag(sentences)
