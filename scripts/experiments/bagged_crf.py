"""Experiment (not part of the product): bagged CRFs averaged into one. K CRFs, each trained on the fold's training
sentences less one K-th of them (or on a bootstrap sample, ``--mode bootstrap``), have their weights averaged into
one linear model (labels aligned, attributes united): still one CRF, so no cost at run time. Prints strict F1 on
the fold's test sentences for each member and for the average, without and with the shipped O penalty (0.4).

    python scripts/experiments/bagged_crf.py --fold dev --k 5
    python scripts/experiments/bagged_crf.py --fold dev --k 10
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from types import SimpleNamespace

import numpy as np

import common
from marsad.entities.tagger import CRFModel, Decoder, default_featuriser

PENALTIES = (0.0, 0.4)


def members(sentences: list, k: int, mode: str) -> list[list]:
    if mode == "leaveout":
        return [[s for j, s in enumerate(sentences) if j % k != i] for i in range(k)]
    return [[sentences[j] for j in np.random.RandomState(i).randint(0, len(sentences), len(sentences))]
            for i in range(k)]


def averaged(models: list[CRFModel]) -> SimpleNamespace:
    """One model whose weights are the mean of the members' (a weight a member lacks counts as zero)."""
    labels = models[0].labels
    attributes = sorted(set().union(*(m.known for m in models)))
    row = {attribute: a + 1 for a, attribute in enumerate(attributes)}
    state = np.zeros((len(attributes) + 1, len(labels)))
    trans = np.zeros((len(labels), len(labels)))
    for m in models:
        # CRFsuite numbers labels in the order it first saw them: align every member's columns to the first's
        order = [m.labels.index(label) for label in labels]
        own_row = {attribute: a + 1 for a, attribute in enumerate(m.attributes)}
        known = sorted(m.known)
        state[[row[a] for a in known]] += m.state[[own_row[a] for a in known]][:, order]
        trans += m.trans[np.ix_(order, order)]
    return SimpleNamespace(labels=labels, attributes=attributes, known=frozenset(attributes),
                           state=state / len(models), trans=trans / len(models))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--fold", choices=common.FOLDS, default="dev")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--mode", choices=("leaveout", "bootstrap"), default="leaveout")
    parser.add_argument("--c1", type=float, default=common.tt.C1)
    parser.add_argument("--c2", type=float, default=common.tt.C2)
    parser.add_argument("--shared", type=Path, default=common.DEFAULT_SHARED)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "marsad-bagged")
    args = parser.parse_args()
    train, test = common.folds(args.shared)[args.fold]
    work = args.work / f"{args.fold}_{args.mode}_{args.k}_{args.c1}_{args.c2}"
    work.mkdir(parents=True, exist_ok=True)
    featuriser = default_featuriser()
    jobs = {f"m{i}": (featuriser, subset, work / f"m{i}.crfsuite", args.c1, args.c2)
            for i, subset in enumerate(members(train, args.k, args.mode))}
    models = [CRFModel.read(path) for path in common.train_in_parallel(jobs).values()]
    batch = common.batch_of(test)
    lengths = [len(words) for words, _ in batch]

    def f1(model, penalty: float) -> float:
        decoder = Decoder.of(model, featuriser)
        state = common.with_o_penalty(decoder.scores(batch), model.labels, penalty)
        return common.strict_f1(test, decoder.decode(lengths, state))

    average = averaged(models)
    for penalty in PENALTIES:
        singles = ", ".join(f"{f1(m, penalty):.4f}" for m in models)
        print(f"{args.fold} {args.mode} k={args.k} c1={args.c1} c2={args.c2} O penalty {penalty}: members {singles}; "
              f"averaged {f1(average, penalty):.4f} ({len(average.attributes)} attributes, members "
              f"{min(len(m.known) for m in models)}–{max(len(m.known) for m in models)})")


if __name__ == "__main__":
    main()
