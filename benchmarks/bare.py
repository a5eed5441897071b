"""The yardstick: ingest + clean + sentences + tokens over the real SaudiNewsNet articles, one process.

Every later stage is measured against this bare pass (benchmarks/throughput.py prints the full/bare ratio).

    .venv/bin/python benchmarks/bare.py [--corpus ../shared/data/news/saudinewsnet.jsonl.gz] [--limit N] [--json OUT]
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

from marsad.eval.runner import machine
from marsad.ingest import Rejection, read_paths
from marsad.pipeline import Pipeline
from marsad.text.tokens import count_words

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--limit", type=int, default=None, help="stop after N articles")
    parser.add_argument("--json", dest="json_out", default=None, help="write the figures to this JSON file")
    args = parser.parse_args()

    pipeline = Pipeline.from_names(["clean", "sentences", "tokens"])
    articles = words = pieces = rejected = 0
    timings: dict[str, float] = {}
    read_seconds = 0.0
    start = time.perf_counter()
    stream = iter(read_paths([args.corpus]))
    while args.limit is None or articles < args.limit:
        t0 = time.perf_counter()
        item = next(stream, None)
        read_seconds += time.perf_counter() - t0
        if item is None:
            break
        if isinstance(item, Rejection):
            rejected += 1
            continue
        doc = pipeline.timed(item, timings)
        articles += 1
        words += count_words(doc.text)
        pieces += len(doc.tokens)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "benchmark": "bare ingest+clean+sentences+tokens",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": "python benchmarks/bare.py " + " ".join(sys.argv[1:]),
        "machine": machine(),
        "corpus": Path(args.corpus).name,
        "articles": articles,
        "rejected": rejected,
        "words": words,
        "token_pieces": pieces,
        "seconds": round(elapsed, 2),
        "articles_per_s": round(articles / elapsed, 1),
        "words_per_s": round(words / elapsed),
        "peak_rss_mb": round(peak_mb, 1),
        "stage_seconds": {"read": round(read_seconds, 2), **{k: round(v, 2) for k, v in timings.items()}},
    }
    print(f"{articles} articles ({rejected} rejected), {words:,} words in {elapsed:.1f} s: "
          f"{figures['articles_per_s']} articles/s, {figures['words_per_s']:,} words/s, peak RSS {peak_mb:.0f} MB")
    print("seconds by stage: " + ", ".join(f"{k} {v}" for k, v in figures["stage_seconds"].items()))
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
