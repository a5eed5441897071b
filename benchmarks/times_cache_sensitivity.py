"""How much the times stage slows down when the CPU caches are emptied between two articles.

    python benchmarks/times_cache_sensitivity.py [--articles 2000] [--evict 0 1 4 16] [--passes 4]

In the pipeline the tokeniser (and in a full run entities, places, events) runs between two articles of the times
stage and pushes its data out of the CPU caches, so the stage costs more there than when it runs alone over
ready-made documents (benchmarks/times_overhead.py: the "--parts" figures against the passes). This measures that
directly: the text layer is made beforehand, then a fresh times stage runs over the articles while, between two of
them, ``--evict`` megabytes are copied from one buffer to another (which replaces what was in the caches). Only the
stage's own CPU time (process time) is counted; each figure is the least of ``--passes`` passes (a fresh stage
each), the collector as in batch runs (the stage made inside the run, as benchmarks/times_overhead.py does). The
difference between the rows is what the stage pays for memory it touches per article that is no longer cached
(dict tables, bloom filter, Python objects), not for computing.
"""
from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from time import process_time

from marsad.pipeline import batch_gc, create_stage
from times_overhead import DEFAULT_CORPUS, load, with_text_layer  # benchmarks/ is on sys.path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--evict", type=int, nargs="+", default=[0, 1, 4, 16], help="megabytes copied between articles")
    parser.add_argument("--passes", type=int, default=4)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    docs = with_text_layer(load(args.corpus, args.articles))
    print(f"articles: {len(docs)} from {args.corpus.name}; times stage alone, fresh each pass, least of "
          f"{args.passes} passes")
    first = None
    with batch_gc():
        for megabytes in args.evict:
            source, target = bytearray(megabytes << 20), bytearray(megabytes << 20)
            best = float("inf")
            for _ in range(args.passes):
                stage = create_stage("times")
                gc.collect()  # the last pass's stage, before timing
                spent = 0.0
                for doc in docs:
                    if megabytes:
                        target[:] = source
                    started = process_time()
                    stage(doc)
                    spent += process_time() - started
                best = min(best, spent)
            first = best if first is None else first
            print(f"  {megabytes:>3} MB evicted between articles: {best:.3f}s ({100.0 * (best / first - 1):+.0f}% on "
                  f"the first row)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
