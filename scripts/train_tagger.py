"""Train the entity tagger (a linear-chain CRF, CRFsuite L-BFGS) on ANERcorp and write the model under data/ner/.

    python scripts/train_tagger.py --shared ../shared

Deterministic: the dev part is every 10th sentence of ANERcorp train.txt (never trained on); L-BFGS has no random
state. Hyper-parameters are the constants below (chosen on that dev part). Prints dev scores per type, and AQMAR
dev as out-of-domain text.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pycrfsuite  # noqa: E402

from marsad.entities.corpus import format_scores, read_bio, score, split_dev  # noqa: E402
from marsad.entities.tagger import EntityTagger, default_featuriser, sentence_features  # noqa: E402

DEV_EVERY = 10
C1 = 0.05  # L1: prunes rare features, keeps the model small
C2 = 0.01  # L2
MAX_ITERATIONS = 200
MIN_FEATURE_FREQ = 1
MODEL = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "ner" / "tagger.crfsuite"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--no-lexicon", action="store_true", help="leave out the actor-lexicon features")
    parser.add_argument("--c1", type=float, default=C1)
    parser.add_argument("--c2", type=float, default=C2)
    parser.add_argument("--iterations", type=int, default=MAX_ITERATIONS)
    args = parser.parse_args()

    corpus = args.shared / "data" / "ner" / "anercorp" / "train.txt"
    print(f"ANERcorp {corpus} sha256:{sha256(corpus)}")
    train, dev = split_dev(read_bio(corpus), DEV_EVERY)
    print(f"train {len(train)} sentences, dev {len(dev)} sentences (every {DEV_EVERY}th)")

    featuriser = default_featuriser()
    use_lexicon = not args.no_lexicon
    t0 = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=False)
    for sent in train:
        trainer.append(sentence_features(featuriser, sent.words, use_lexicon), sent.tags)
    trainer.set_params({
        "c1": args.c1,
        "c2": args.c2,
        "max_iterations": args.iterations,
        "feature.minfreq": MIN_FEATURE_FREQ,
        "feature.possible_transitions": True,
    })
    args.out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(args.out))
    print(f"trained in {time.perf_counter() - t0:.0f}s -> {args.out} ({args.out.stat().st_size // 1024} KiB)")

    tagger = EntityTagger(args.out, featuriser, use_lexicon=use_lexicon)
    pred = [tagger.tag_words(s.words) for s in dev]
    print(format_scores("ANERcorp dev (strict spans)", score([s.tags for s in dev], pred)))
    aqmar = args.shared / "data" / "ner" / "aqmar" / "dev.txt"
    if aqmar.exists():
        sents = read_bio(aqmar)
        pred = [tagger.tag_words(s.words) for s in sents]
        print(format_scores("AQMAR dev, out of domain (strict spans)", score([s.tags for s in sents], pred)))


if __name__ == "__main__":
    main()
