"""2-fold cross-validation of the entity tagger inside ANERcorp's training part, and the dev part once.

    python scripts/cv_tagger.py --shared ../shared [--penalties 0,0.25,0.5] [--no-dev]

The training part (all sentences but every 10th) is split by sentence index parity into two halves; a model is
trained on each half (the constants of scripts/train_tagger.py) and tags the other half, and a model trained on
the whole training part tags the dev part. Tagger alone, strict spans, all four types and per type, for each
O-label penalty given (subtracted from the O label's state score at decoding: the bias attribute's O weight).
Models go to a temporary directory; the shipped model is not touched. Two processes (one per core).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import train_tagger as tt  # noqa: E402
from marsad.entities.corpus import read_bio, score, split_dev  # noqa: E402
from marsad.entities.tagger import CRFModel, Decoder, default_featuriser, lexicon_word_tags  # noqa: E402

TYPES = ("PERS", "LOC", "ORG", "MISC")


def penalised(model: CRFModel, penalty: float) -> CRFModel:
    if penalty:
        o = model.labels.index("O")
        row = model.attributes.index("b") + 1
        model.state[row, o] -= penalty
    return model


def folds(shared: Path) -> dict[str, tuple[list, list]]:
    """fold name -> (training sentences, test sentences): "A" and "B" are the halves of the training part by
    sentence parity, each scored on the other; "dev" is the whole training part scored on the dev part."""
    train, dev = split_dev(read_bio(shared / "data" / "ner" / "anercorp" / "train.txt"), tt.DEV_EVERY)
    return {"A": (train[0::2], train[1::2]), "B": (train[1::2], train[0::2]), "dev": (train, dev)}


def run(job):
    name, train, test, penalties, workdir = job
    featuriser = default_featuriser()
    path = tt.train_crf(featuriser, train, Path(workdir) / f"{name}.crfsuite")
    batch = [(s.words, lexicon_word_tags(s.words)) for s in test]
    out = {}
    for p in penalties:
        decoder = Decoder.of(penalised(CRFModel.read(path), p), featuriser)
        pred = decoder.tag(batch)
        out[p] = score([s.tags for s in test], pred)
    return name, out, path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--penalties", default="0,0.25,0.5")
    parser.add_argument("--no-dev", action="store_true")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    penalties = [float(p) for p in args.penalties.split(",")]
    names = ("A", "B") if args.no_dev else ("A", "B", "dev")
    by_fold = folds(args.shared)
    with tempfile.TemporaryDirectory() as workdir:
        jobs = [(name, *by_fold[name], penalties, workdir) for name in names]
        default_featuriser()  # built once, shared by the forked workers
        with get_context("fork").Pool(2) as pool:
            results = pool.map(run, jobs)
    for p in penalties:
        for name, out, size in results:
            print(f"{args.label}\tpenalty {p}\t{name}\t{line(out[p])}\t{size // 1024} KiB")
        halves = [out[p] for name, out, _ in results if name in ("A", "B")]
        mean = {t: {"f1": sum(f[t]["f1"] for f in halves) / 2} for t in ("ALL",) + TYPES}
        print(f"{args.label}\tpenalty {p}\tCV mean\t{line(mean)}")


def line(s: dict) -> str:
    def pr(t):
        return s[t]["f1"]
    return f"all {s['ALL']['f1']:.4f}  " + "  ".join(f"{t} {pr(t):.3f}" for t in TYPES)


if __name__ == "__main__":
    main()
