"""Words/s of each stage of the default pipeline, up to and including one stage, over SaudiNewsNet articles.

    python benchmarks/stage_speed.py --stage places --limit 2000
    python benchmarks/stage_speed.py --stage events --limit 500 --repeat 3

Reads N articles from ``../shared/data/news/saudinewsnet.jsonl.gz`` into memory (not timed), loads the default
pipeline's stages up to and including ``--stage`` (load time printed, not counted), runs them over every article
with ``Pipeline.timed`` and prints seconds and words/s per stage and for the stages together. Words are
orthographic words (``marsad.text.tokens.count_words``), the unit of every words/s figure. One untimed pass runs
first (``--warm 0`` to skip it) so that per-word caches are as warm as in a long run; with ``--repeat N`` the
figures are the best of N timed passes (the machine is shared: the best pass is the least disturbed one).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from marsad.ingest import Rejection, read_paths  # noqa: E402
from marsad.pipeline import DEFAULT_STAGES, Pipeline  # noqa: E402
from marsad.text.tokens import count_words  # noqa: E402
from throughput import run_in_this_process as run  # noqa: E402  (benchmarks/ is on sys.path)

CORPUS = REPO.parent / "shared" / "data" / "news" / "saudinewsnet.jsonl.gz"


def load_articles(path: Path, limit: int) -> list[tuple[str, str | None, str]]:
    out = []
    for item in read_paths([path]):
        if isinstance(item, Rejection):
            continue
        out.append((item.text, item.published, item.id))
        if len(out) >= limit:
            break
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", default=DEFAULT_STAGES[-1], choices=DEFAULT_STAGES,
                        help="last stage to run (default: the whole pipeline)")
    parser.add_argument("--limit", type=int, default=2000, help="articles (default 2,000)")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes; the best is reported")
    parser.add_argument("--warm", type=int, default=1, help="untimed passes first (default 1)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    articles = load_articles(args.corpus, args.limit)
    words = sum(count_words(text) for text, _, _ in articles)
    print(f"{len(articles):,} articles, {words:,} words from {args.corpus.name} (read in {time.perf_counter() - t0:.1f} s)")

    names = DEFAULT_STAGES[:DEFAULT_STAGES.index(args.stage) + 1]
    t0 = time.perf_counter()
    pipeline = Pipeline.from_names(names)
    print(f"stages {' → '.join(names)} loaded in {time.perf_counter() - t0:.2f} s")
    for _ in range(args.warm):
        run(pipeline, articles)

    best_total = float("inf")
    best: dict[str, float] = {}
    for _ in range(max(1, args.repeat)):
        total, timings = run(pipeline, articles)
        best_total = min(best_total, total)
        best = {n: min(best.get(n, float("inf")), timings.get(n, 0.0)) for n in names}
    print(f"{'stage':<12}{'seconds':>10}{'words/s':>14}")
    for name in names:
        seconds = best[name]
        print(f"{name:<12}{seconds:>10.2f}{(words / seconds if seconds else float('inf')):>14,.0f}")
    print(f"{'all':<12}{best_total:>10.2f}{words / best_total:>14,.0f}")


if __name__ == "__main__":
    main()
