"""What the experiments share: ANERcorp's folds, a CRF trained with scripts/train_tagger.py's settings, its numpy
decoder, and strict-span F1.

The folds are those of scripts/cv_tagger.py: "A" and "B" train on one half of the training part (sentences split by
index parity) and are scored on the other half; "dev" trains on the whole training part and is scored on the dev
part (every 10th sentence of train.txt), which nothing ever trains on.
"""
from __future__ import annotations

import sys
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402
import pycrfsuite  # noqa: E402

import train_tagger as tt  # noqa: E402
from marsad.entities.corpus import Sentence, read_bio, score, split_dev  # noqa: E402
from marsad.entities.features import WordFeaturiser  # noqa: E402
from marsad.entities.tagger import CRFModel, Decoder, lexicon_word_tags, sentence_features  # noqa: E402

FOLDS = ("A", "B", "dev")
DEFAULT_SHARED = ROOT.parent / "shared"


def folds(shared: Path) -> dict[str, tuple[list[Sentence], list[Sentence]]]:
    """fold name -> (training sentences, test sentences)."""
    train, dev = split_dev(read_bio(shared / "data" / "ner" / "anercorp" / "train.txt"), tt.DEV_EVERY)
    return {"A": (train[0::2], train[1::2]), "B": (train[1::2], train[0::2]), "dev": (train, dev)}


def train_crf(featuriser: WordFeaturiser, sentences: list[Sentence], path: Path,
              c1: float = tt.C1, c2: float = tt.C2) -> Path:
    """A CRF with train_tagger.py's settings (no O penalty), written to ``path``; kept if it is already there."""
    if not path.exists():
        trainer = pycrfsuite.Trainer(verbose=False)
        for sentence in sentences:
            trainer.append(sentence_features(featuriser, sentence.words, True), sentence.tags)
        trainer.set_params({"c1": c1, "c2": c2, "max_iterations": tt.MAX_ITERATIONS,
                            "feature.minfreq": tt.MIN_FEATURE_FREQ, "feature.possible_transitions": True,
                            "feature.possible_states": tt.POSSIBLE_STATES})
        trainer.train(str(path))
    return path


_JOBS: dict[str, tuple] = {}  # filled before the pool forks: the workers inherit it instead of unpickling it


def _train_job(name: str) -> Path:
    return train_crf(*_JOBS[name])


def train_in_parallel(jobs: dict[str, tuple]) -> dict[str, Path]:
    """name -> the arguments of ``train_crf``; the CRFs are trained two at a time (one per core)."""
    _JOBS.clear()
    _JOBS.update(jobs)
    with get_context("fork").Pool(2) as pool:
        return dict(zip(jobs, pool.map(_train_job, list(jobs))))


def decoder_for(model: CRFModel, featuriser: WordFeaturiser) -> Decoder:
    codes = {attribute: a + 1 for a, attribute in enumerate(model.attributes)}
    return Decoder(model, featuriser.restricted(model.known, codes))


def batch_of(sentences: list[Sentence]) -> list[tuple[list[str], list[str]]]:
    """The decoder's input: each sentence's words with their actor-lexicon tags."""
    return [(s.words, lexicon_word_tags(s.words)) for s in sentences]


def label_columns(labels: list[str], kind: str) -> list[int]:
    """The columns of a type's B- and I- labels (kind "PERS", "ORG"…)."""
    return [i for i, label in enumerate(labels) if label.endswith("-" + kind)]


def strict_f1(sentences: list[Sentence], predicted: list[list[str]]) -> float:
    """Strict-span F1 over the four types, as scripts/cv_tagger.py reports it."""
    return score([s.tags for s in sentences], predicted)["ALL"]["f1"]


def with_o_penalty(state: np.ndarray, labels: list[str], penalty: float) -> np.ndarray:
    """State scores with the O label's lowered by ``penalty`` (the shipped model's O penalty is 0.4)."""
    out = state.copy()
    out[:, labels.index("O")] -= penalty
    return out
