"""Experiment (not part of the product): label biases at decoding. A grid over the O penalty and a bias on each
entity type's B-/I- labels, scored on the 2-fold CV inside the training part and on dev (scripts/cv_tagger.py's
folds). Prints the 12 best settings by CV mean and the shipped one (O penalty 0.4, no type bias).

    python scripts/experiments/label_biases.py [--shared ../shared] [--work DIR]
"""
from __future__ import annotations

import argparse
import itertools
import tempfile
from pathlib import Path

import common
from marsad.entities.tagger import CRFModel, Decoder, default_featuriser

O_PENALTIES = (0.3, 0.4, 0.5)
TYPE_BIASES = {"PERS": (0, 0.15, 0.3), "ORG": (0, 0.15, 0.3), "LOC": (-0.15, 0, 0.15), "MISC": (-0.3, 0, 0.3)}
SHIPPED = (0.4, 0, 0, 0, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=common.DEFAULT_SHARED)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "marsad-biases")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    by_fold = common.folds(args.shared)
    featuriser = default_featuriser()
    paths = common.train_in_parallel({name: (featuriser, by_fold[name][0], args.work / f"crf_{name}.crfsuite")
                                      for name in common.FOLDS})

    settings = list(itertools.product(O_PENALTIES, *TYPE_BIASES.values()))
    f1: dict[tuple, dict[str, float]] = {setting: {} for setting in settings}
    for name in common.FOLDS:
        model = CRFModel.read(paths[name])
        decoder = Decoder.of(model, featuriser)
        test = by_fold[name][1]
        batch = common.batch_of(test)
        lengths = [len(words) for words, _ in batch]
        state = decoder.scores(batch)
        columns = {kind: common.label_columns(model.labels, kind) for kind in TYPE_BIASES}
        for setting in settings:
            biased = common.with_o_penalty(state, model.labels, setting[0])
            for kind, bias in zip(TYPE_BIASES, setting[1:]):
                biased[:, columns[kind]] += bias
            f1[setting][name] = common.strict_f1(test, decoder.decode(lengths, biased))

    def cv(setting: tuple) -> float:
        return (f1[setting]["A"] + f1[setting]["B"]) / 2

    def line(setting: tuple) -> str:
        folds = "  ".join(f"{name} {f1[setting][name]:.4f}" for name in common.FOLDS)
        return f"O penalty {setting[0]}, biases {dict(zip(TYPE_BIASES, setting[1:]))}: {folds}  CV {cv(setting):.4f}"

    for setting in sorted(settings, key=cv, reverse=True)[:12]:
        print(line(setting))
    print("shipped:", line(SHIPPED))


if __name__ == "__main__":
    main()
