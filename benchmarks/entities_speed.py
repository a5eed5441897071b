"""Words per second of the entities stage alone (the earlier stages run first, untimed).

    python benchmarks/entities_speed.py --shared ../shared [--articles 2000] [--no-tagger] [--passes 2]

Reads the first N articles of data/news/saudinewsnet.jsonl.gz, runs clean → sentences → tokens on each, then times
only the entities stage over all of them (one core, model and tables already loaded). The first pass starts with
empty per-word caches (a fresh process); with --passes 2 the second pass shows a long-running stream's steady state.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.document import Document  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402
from marsad.stages.entities import EntitiesStage  # noqa: E402
from marsad.text.tokens import count_words  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--no-tagger", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--passes", type=int, default=1)
    args = parser.parse_args()

    docs: list[Document] = []
    with gzip.open(args.shared / "data" / "news" / "saudinewsnet.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record.get("text"):
                docs.append(Document(record["text"]))
            if len(docs) >= args.articles:
                break
    before = Pipeline.from_names(["clean", "sentences", "tokens"])
    docs = [before(d) for d in docs]
    words = sum(count_words(d.text) for d in docs)

    t0 = time.perf_counter()
    stage = EntitiesStage(use_tagger=not args.no_tagger)
    load = time.perf_counter() - t0
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
    for n in range(args.passes):
        t0, c0 = time.perf_counter(), time.process_time()
        mentions = 0
        for doc in docs:
            stage(doc)
            mentions += len(doc.layer("entities"))
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        # CPU seconds of this process as well: on a shared machine they move less than the wall clock
        print(f"entities stage{' (lexicon only)' if args.no_tagger else ''}{f' pass {n + 1}' if args.passes > 1 else ''}: "
              f"{len(docs)} articles, {words} words, {mentions} mentions in {elapsed:.2f}s = {words / elapsed:,.0f} "
              f"words/s; CPU {cpu:.2f}s = {words / cpu:,.0f} words/s (load {load:.2f}s)")
    if args.profile:
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
