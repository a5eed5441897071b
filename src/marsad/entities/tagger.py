"""The statistical entity tagger: a linear-chain CRF (CRFsuite) over orthographic words.

Trained by scripts/train_tagger.py on ANERcorp; labels are BIO over PERS, LOC, ORG, MISC.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Sequence

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
        attributes = frozenset(attr for attr, _ in self.tagger.info().state_features)
        self.featuriser = (featuriser or default_featuriser()).restricted(attributes)
        self.use_lexicon = use_lexicon

    def tag_words(self, words: Sequence[str], lexicon_tags: Sequence[str] | None = None) -> list[str]:
        if not words:
            return []
        return self.tagger.tag(sentence_features(self.featuriser, words, self.use_lexicon, lexicon_tags))
