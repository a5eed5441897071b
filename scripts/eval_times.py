"""Exact-match accuracy of the times stage on eval/times/dev.jsonl and on the seed article.

    python scripts/eval_times.py [--dev eval/times/dev.jsonl] [--shared ../shared] [--misses]

The dev set is scored by `marsad eval`'s time-sentences scorer (marsad.time.score.score_dev), with the pipeline
clean → sentences → tokens → times: the "exact" figure is the `value` metric of
`marsad eval eval/times/dev.jsonl` (docs/evaluation.md), which also gives the per-category breakdown. The seed
article is judged the same way (the TIMEX overlapping each expected time most has its value).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from marsad.pipeline import Pipeline
from marsad.time.score import score_dev, score_seed

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dev", type=Path, default=REPO / "eval" / "times" / "dev.jsonl")
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--misses", action="store_true", help="print every expression not matched exactly")
    args = parser.parse_args(argv)
    pipeline = Pipeline.from_names(["clean", "sentences", "tokens", "times"])

    dev = score_dev(args.dev, pipeline)
    print(f"dev set: {dev.exact}/{dev.total} exact = {dev.accuracy:.3f}")
    if args.misses:
        for miss in dev.misses:
            print(f"  {miss['document']} want {miss['expected']!r} got {miss.get('got', '-')!r}")
    seed_text = args.shared / "examples" / "bukamal.txt"
    if seed_text.exists():
        expected = json.loads((args.shared / "examples" / "bukamal.expected.json").read_text(encoding="utf-8"))
        seed = score_seed(seed_text.read_text(encoding="utf-8"), expected, pipeline)
        print(f"seed article (bukamal): {seed.exact}/{seed.total} exact")
        if args.misses:
            for miss in seed.misses:
                print(f"  {miss['text']!r} want {miss['value']!r} got {miss['got_text']!r} {miss['got']}")
    else:
        print(f"seed article not found under {args.shared}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
