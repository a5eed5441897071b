"""Reading the BIO-tagged NER corpora (ANERcorp, AQMAR) into the tagger's word units, and strict-span scoring.

Corpus tokens are re-split with the pipeline's own word pattern (``2002-2003`` is three words at run time), the
tag of a split token carried over (B on its first part, I on the rest), so training and tagging see the same units.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from marsad.text.tokens import _TOKEN_RE

# One label scheme for every corpus (ANERcorp PERS/LOC/ORG/MISC, AQMAR PER/LOC/ORG/MIS).
TYPE_MAP = {"PERS": "PERS", "PER": "PERS", "LOC": "LOC", "ORG": "ORG", "MISC": "MISC", "MIS": "MISC"}


@dataclass
class Sentence:
    words: list[str]
    tags: list[str]


def read_bio(path: Path) -> list[Sentence]:
    sentences: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts:
                if words:
                    sentences.append(Sentence(words, tags))
                    words, tags = [], []
                continue
            token, tag = parts[0], parts[1] if len(parts) > 1 else "O"
            if tag != "O":
                prefix, _, kind = tag.partition("-")
                tag = f"{prefix}-{TYPE_MAP.get(kind, kind)}"
            pieces = [m.group() for m in _TOKEN_RE.finditer(token)] or [token]
            for k, piece in enumerate(pieces):
                words.append(piece)
                tags.append(tag if (k == 0 or tag == "O") else "I-" + tag[2:])
    if words:
        sentences.append(Sentence(words, tags))
    return sentences


def split_dev(sentences: list[Sentence], every: int) -> tuple[list[Sentence], list[Sentence]]:
    """Deterministic split: every ``every``-th sentence (index % every == every - 1) is dev, never trained on."""
    train = [s for i, s in enumerate(sentences) if i % every != every - 1]
    dev = [s for i, s in enumerate(sentences) if i % every == every - 1]
    return train, dev


def spans_of(tags: list[str]) -> set[tuple[int, int, str]]:
    """Strict spans (start, end, type) from BIO; an I- without a matching open span starts a new span (conlleval)."""
    spans = set()
    start, kind = None, None
    for i, tag in enumerate(list(tags) + ["O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind):
            if start is not None:
                spans.add((start, i, kind))
                start, kind = None, None
            if tag != "O":
                start, kind = i, tag[2:]
    return spans


def score(gold: list[list[str]], pred: list[list[str]], types=("PERS", "LOC", "ORG", "MISC")) -> dict[str, dict[str, float]]:
    counts = {t: [0, 0, 0] for t in types}  # tp, n_pred, n_gold
    for g, p in zip(gold, pred):
        gs, ps = spans_of(g), spans_of(p)
        for s in ps:
            if s[2] in counts:
                counts[s[2]][1] += 1
                if s in gs:
                    counts[s[2]][0] += 1
        for s in gs:
            if s[2] in counts:
                counts[s[2]][2] += 1
    out = {}
    total = [0, 0, 0]
    for t, (tp, npred, ngold) in counts.items():
        out[t] = _prf(tp, npred, ngold)
        total = [total[0] + tp, total[1] + npred, total[2] + ngold]
    out["ALL"] = _prf(*total)
    no_misc = [sum(counts[t][k] for t in types if t != "MISC") for k in range(3)]
    out["ALL-noMISC"] = _prf(*no_misc)
    return out


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "gold": ngold, "pred": npred}


def format_scores(title: str, scores: dict[str, dict[str, float]]) -> str:
    lines = [title, f"{'type':<12}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}"]
    for t, s in scores.items():
        lines.append(f"{t:<12}{s['p']:>8.4f}{s['r']:>8.4f}{s['f1']:>8.4f}{s['gold']:>7}{s['pred']:>7}")
    return "\n".join(lines)
