"""How much the times stage adds to the bare text layer (clean + sentences + tokens).

    python benchmarks/times_overhead.py [--articles 2000] [--corpus ../shared/data/news/saudinewsnet.jsonl.gz]

Runs the articles through clean → sentences → tokens → times once to warm caches, then times each stage over a
second pass and prints the times stage's share of the text-layer time. The target (issue 7) is under 10%.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
from itertools import islice
from pathlib import Path

from marsad.document import Document
from marsad.pipeline import Pipeline

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"
TEXT_LAYER = ("clean", "sentences", "tokens")


def load(corpus: Path, n: int) -> list[dict]:
    with gzip.open(corpus, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in islice(handle, n)]


def run(records: list[dict], pipeline: Pipeline) -> dict[str, float]:
    timings: dict[str, float] = {}
    for rec in records:
        doc = Document(text=rec["text"], id=rec["id"], published=rec.get("published"))
        pipeline.timed(doc, timings)
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=2, help="timed passes after the warm-up (best is kept)")
    args = parser.parse_args(argv)
    records = load(args.corpus, args.articles)
    pipeline = Pipeline.from_names([*TEXT_LAYER, "times"])
    run(records, pipeline)  # warm-up: tokeniser caches, regex compilation
    best: dict[str, float] | None = None
    for _ in range(args.repeat):
        t = run(records, pipeline)
        if best is None or t["times"] < best["times"]:
            best = t
    assert best is not None
    base = sum(best[s] for s in TEXT_LAYER)
    share = 100.0 * best["times"] / base
    print(f"articles: {len(records)}")
    for name in (*TEXT_LAYER, "times"):
        print(f"  {name:10s} {best[name]:8.3f} s")
    print(f"text layer (clean+sentences+tokens): {base:.3f} s; times: {best['times']:.3f} s; overhead {share:.1f}%")
    return 0 if share < 10.0 else 1


if __name__ == "__main__":
    sys.exit(main())
