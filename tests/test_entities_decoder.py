"""The tagger's numpy decoder (``EntityTagger.tag_sentences``): the model read at full precision, CRFsuite's own
state scores and labels."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from marsad.document import Document
from marsad.entities import tagger as tagger_module
from marsad.entities.recognise import Recogniser
from marsad.entities.tagger import CRFModel, EntityTagger, lexicon_word_tags
from marsad.pipeline import Pipeline
from marsad.resources import data_path

SENTENCES = [
    "وقال مدير المرصد السوري لحقوق الإنسان رامي عبد الرحمن إن قوات النظام السوري سيطرت على البوكمال .",
    "وأعلنت وزارة الخارجية الأميركية أمس أن السفيرة نيكي هايلي ستزور بغداد ودمشق",
    "داعش",
    "، ، ، 2017 ABC وغيث ولوكاشنكو بفرنسا بفرنسا بفرنسا",
    "التقى الرئيس الفرنسي إيمانويل ماكرون نظيره الروسي فلاديمير بوتين في باريس يوم الثلاثاء",
]


@pytest.fixture(scope="module")
def tagger() -> EntityTagger:
    return EntityTagger()


@pytest.fixture(scope="module")
def sentences(bukamal_text: str) -> list[list[str]]:
    doc = Pipeline.from_names(["clean", "sentences", "tokens"])(Document(bukamal_text))
    seed = [words.surfaces for words in Recogniser.sentences_of_words(doc)]
    return [s.split() for s in SENTENCES] + [s for s in seed if s]


def test_model_weights_are_read_at_full_precision(tagger: EntityTagger) -> None:
    model = CRFModel.read(data_path("ner/tagger.crfsuite"))
    info = tagger.tagger.info()  # CRFsuite's dump: six decimals
    assert model.labels == tagger.tagger.labels()
    index = {label: i for i, label in enumerate(model.labels)}
    attribute = {name: a for a, name in enumerate(model.attributes)}
    assert model.known == frozenset(name for name, _ in info.state_features)
    assert np.count_nonzero(model.state) == len(info.state_features)
    for (name, label), weight in info.state_features.items():
        assert abs(model.state[attribute[name] + 1, index[label]] - weight) <= 5.1e-7
    for (a, b), weight in info.transitions.items():
        assert abs(model.trans[index[a], index[b]] - weight) <= 5.1e-7
    assert not model.state[0].any()  # the padding row


def test_garbage_is_no_model() -> None:
    with pytest.raises(ValueError):
        CRFModel(b"this is not a CRFsuite model")


def test_labels_are_crfsuites(tagger: EntityTagger, sentences: list[list[str]]) -> None:
    assert tagger.decoder is not None
    for tags_of in (lexicon_word_tags, lambda words: None, lambda words: [""] * len(words)):
        batch = [(words, tags_of(words)) for words in sentences]
        expected = [tagger.tagger.tag(tagger.featuriser.sequence(words, tags)) for words, tags in batch]
        assert tagger.decoder.tag(batch) == expected
        for one in batch[:6]:  # a batch of one sentence, and sentences of one word
            assert tagger.decoder.tag([one]) == [tagger.tagger.tag(tagger.featuriser.sequence(*one))]
    assert tagger.tag_sentences([(words, None) for words in sentences]) == [tagger.tag_words(w) for w in sentences]
    assert tagger.tag_sentences([]) == []
    assert tagger.tag_sentences([([], None), (["داعش"], None), ([], [])]) == [[], tagger.tag_words(["داعش"]), []]


def test_state_scores_are_added_in_crfsuites_order(tagger: EntityTagger, sentences: list[list[str]]) -> None:
    """The scores equal the weights of ``WordFeaturiser.sequence``'s attributes added one by one from zero."""
    decoder = tagger.decoder
    assert decoder is not None
    batch = [(words, lexicon_word_tags(words)) for words in sentences]
    scores = decoder.scores(batch)
    table = decoder._table
    coded = decoder.featuriser  # the same attributes as model rows (attribute id + 1)
    expected = []
    for words, tags in batch:
        for codes in coded.sequence(words, tags):
            row = np.zeros(table.shape[1])
            for code in codes:
                row = row + table[code]
            expected.append(row)
    assert np.array_equal(scores, np.array(expected))


def test_decode_takes_changed_scores(tagger: EntityTagger, sentences: list[list[str]]) -> None:
    """``decode`` over ``scores`` is ``tag``; a large bonus on one label's column makes every word that label."""
    decoder = tagger.decoder
    assert decoder is not None
    batch = [(words, lexicon_word_tags(words)) for words in sentences]
    lengths = [len(words) for words, _ in batch]
    state = decoder.scores(batch)
    assert decoder.decode(lengths, state) == decoder.tag(batch)
    outside = decoder.labels.index("O")
    forced = state.copy()
    forced[:, outside] += 1000.0
    assert decoder.decode(lengths, forced) == [["O"] * n for n in lengths]
    assert decoder.decode([0, 0], state[:0]) == [[], []]


def test_bounded_form_cache_gives_the_same_labels(tagger: EntityTagger, sentences: list[list[str]]) -> None:
    small = EntityTagger()
    assert small.decoder is not None
    small.decoder.cache_size = 60
    for _ in range(2):
        for k in range(0, len(sentences), 3):
            batch = [(words, lexicon_word_tags(words)) for words in sentences[k:k + 3]]
            assert small.decoder.tag(batch) == [tagger.tag_words(*one) for one in batch]
    assert len(small.decoder._forms) < len({w for words in sentences for w in words})  # it was emptied


def test_short_articles_are_decoded_in_numpy_too(monkeypatch: pytest.MonkeyPatch, tagger: EntityTagger,
                                               sentences: list[list[str]]) -> None:
    """One or two sentences go through the decoder as well: no second feature cache for CRFsuite to fill."""
    expected = [tagger.tag_words(words) for words in sentences[:2]]
    own = EntityTagger()

    def no_crfsuite(*args: object) -> list[str]:
        raise AssertionError("CRFsuite tagged a sentence")

    monkeypatch.setattr(own, "tag_words", no_crfsuite)
    assert own.tag_sentences([(sentences[0], None)]) == expected[:1]
    assert own.tag_sentences([(words, None) for words in sentences[:2]]) == expected
    assert not own.featuriser._cache  # CRFsuite's featuriser never ran


def test_crfsuite_tags_when_the_model_cannot_be_read_here(monkeypatch: pytest.MonkeyPatch,
                                                            sentences: list[list[str]], tagger: EntityTagger) -> None:
    def unreadable(path: Path) -> CRFModel:
        raise ValueError("unknown model layout")

    monkeypatch.setattr(tagger_module.CRFModel, "read", staticmethod(unreadable))
    fallback = EntityTagger()
    assert fallback.decoder is None
    batch = [(words, None) for words in sentences[:8]]
    assert fallback.tag_sentences(batch) == [tagger.tag_words(words) for words, _ in batch]


def test_restricted_entries_are_the_training_ones_kept_and_encoded(tagger: EntityTagger,
                                                                   sentences: list[list[str]]) -> None:
    # _build looks attributes up by groups of templates at tagging time: the same attributes, in the same order,
    # as the training featuriser's strings that the model knows
    training = tagger_module.default_featuriser()
    restricted = tagger.featuriser
    known = restricted.known
    for words in sentences:
        for surface in words:
            mine, theirs = training.entry(surface), restricted.entry(surface)
            for k in range(5):
                assert theirs[k] == tuple(a.encode("utf-8") for a in mine[k] if a in known), (surface, k)
            assert theirs[5:7] == mine[5:7]
