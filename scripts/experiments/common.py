"""What the experiments share: ANERcorp's folds, a CRF trained with scripts/train_tagger.py's settings, the
decoder's input, and strict-span F1.

The folds and the training are scripts/cv_tagger.py's and scripts/train_tagger.py's: "A" and "B" train on
one half of the training part (sentences split by index parity) and are scored on the other half; "dev" trains on
the whole training part and is scored on the dev part (every 10th sentence of train.txt), which nothing trains on.
"""
from __future__ import annotations

import sys
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "src"))

import numpy as np  # noqa: E402

import cv_tagger  # noqa: E402
import train_tagger as tt  # noqa: E402
from marsad.entities.corpus import Sentence, score  # noqa: E402
from marsad.entities.features import WordFeaturiser  # noqa: E402
from marsad.entities.tagger import lexicon_word_tags  # noqa: E402

FOLDS = ("A", "B", "dev")
DEFAULT_SHARED = ROOT.parent / "shared"
folds = cv_tagger.folds


def train_crf(featuriser: WordFeaturiser, sentences: list[Sentence], path: Path,
              c1: float = tt.C1, c2: float = tt.C2) -> Path:
    """A CRF with train_tagger.py's settings (no O penalty), written to ``path``; kept if it is already there."""
    return path if path.exists() else tt.train_crf(featuriser, sentences, path, c1=c1, c2=c2)


_JOBS: dict[str, tuple] = {}  # filled before the pool forks: the workers inherit it instead of unpickling it


def _train_job(name: str) -> Path:
    return train_crf(*_JOBS[name])


def train_in_parallel(jobs: dict[str, tuple]) -> dict[str, Path]:
    """name -> the arguments of ``train_crf``; the CRFs are trained two at a time (one per core)."""
    _JOBS.clear()
    _JOBS.update(jobs)
    with get_context("fork").Pool(2) as pool:
        return dict(zip(jobs, pool.map(_train_job, list(jobs))))


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
