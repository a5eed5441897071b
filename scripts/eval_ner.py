"""Strict-span NER scores of the entity tagger on the ANERcorp development part and on AQMAR dev (out of domain).

    python scripts/eval_ner.py --shared ../shared [--model path/to/tagger.crfsuite]

The ANERcorp development part is the one scripts/train_tagger.py holds out (every 10th sentence of train.txt).
A span counts only when its first word, last word and type all match the gold (conlleval-style strict F1).
Labels: ANERcorp PERS/LOC/ORG/MISC and AQMAR PER/LOC/ORG/MIS are mapped to PERS/LOC/ORG/MISC; the entities layer
names them PERSON/LOC/ORG (MISC is not an entity-layer label, so ALL-noMISC is the figure that layer can reach).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.entities.corpus import format_scores, read_bio, score, split_dev  # noqa: E402
from marsad.entities.tagger import EntityTagger  # noqa: E402

DEV_EVERY = 10  # must match scripts/train_tagger.py


def evaluate(tagger: EntityTagger, path: Path, dev_every: int | None) -> dict:
    sentences = read_bio(path)
    if dev_every:
        _, sentences = split_dev(sentences, dev_every)
    t0 = time.perf_counter()
    pred = [tagger.tag_words(s.words) for s in sentences]
    elapsed = time.perf_counter() - t0
    words = sum(len(s.words) for s in sentences)
    result = score([s.tags for s in sentences], pred)
    result["_speed"] = {"words": words, "seconds": elapsed}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()
    tagger = EntityTagger(args.model)
    ner = args.shared / "data" / "ner"
    for title, path, every in (("ANERcorp dev (every 10th sentence of train.txt)", ner / "anercorp" / "train.txt", DEV_EVERY),
                               ("AQMAR dev (out of domain: Wikipedia)", ner / "aqmar" / "dev.txt", None)):
        if not path.exists():
            print(f"{title}: {path} missing, skipped")
            continue
        result = evaluate(tagger, path, every)
        speed = result.pop("_speed")
        print(format_scores(f"{title} — strict spans", result))
        print(f"({speed['words']} words tagged in {speed['seconds']:.2f}s)\n")


if __name__ == "__main__":
    main()
