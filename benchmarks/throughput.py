"""Throughput of the full pipeline over real news, against the goals every stage is held to.

Runs ``Pipeline.default()`` (every registered stage) over real articles of ../shared/data/news/ (SaudiNewsNet and
ANT, taken alternately) with 1 and with 2 worker processes, and in the same run the bare clean+sentences+tokens
pass over the same articles. Prints articles/s per core, words/s per core (orthographic words,
``marsad.text.tokens.count_words``), peak resident memory with everything loaded (psutil, children included),
seconds by stage, the full/bare ratio, and how far each figure is from its goal:

    ≥ 50,000 words/s per core end-to-end · full pipeline ≤ 10 × the bare pass · ≤ 500 MB resident

    .venv/bin/python benchmarks/throughput.py                # 10,000 articles (the figure for the README)
    .venv/bin/python benchmarks/throughput.py --limit 500    # a quick look while developing
    .venv/bin/python benchmarks/throughput.py --json benchmarks/results/throughput.json
"""
from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import multiprocessing as mp
import os
import platform
import shlex
import sys
import threading
import time
from pathlib import Path
from typing import Any, Iterable, Iterator

import psutil

from marsad.document import Document
from marsad.eval.runner import machine
from marsad.ingest import Rejection, read_paths
from marsad.pipeline import DEFAULT_STAGES, Pipeline, batch_gc, registered_stages
from marsad.text.tokens import count_words

REPO = Path(__file__).resolve().parents[1]
NEWS = REPO.parent / "shared" / "data" / "news"
DEFAULT_CORPORA = [NEWS / "saudinewsnet.jsonl.gz", NEWS / "ant.jsonl.gz"]
BARE_STAGES = ["clean", "sentences", "tokens"]

GOAL_WORDS_PER_S_PER_CORE = 50_000
GOAL_FULL_OVER_BARE = 10.0
GOAL_RSS_MB = 500.0
CHUNK = 25  # articles per task sent to a worker: large enough that pickling is not the bottleneck


# --- articles -------------------------------------------------------------------------------------------
def _documents(path: Path) -> Iterator[Document]:
    for item in read_paths([path]):
        if not isinstance(item, Rejection):
            yield item


def load_articles(corpora: list[Path], limit: int) -> list[tuple[str, str | None, str]]:
    """(text, published, id) of ``limit`` articles, taken from the corpora in turn so every run mixes them."""
    streams = [_documents(p) for p in corpora]
    out: list[tuple[str, str | None, str]] = []
    for doc in itertools.chain.from_iterable(itertools.zip_longest(*streams)):
        if doc is None:
            continue
        out.append((doc.text, doc.published, doc.id))
        if len(out) >= limit:
            break
    return out


# --- memory ---------------------------------------------------------------------------------------------
class PeakRSS:
    """Samples the resident memory of this process and all its children until stopped; keeps the peaks."""

    def __init__(self, interval: float = 0.05):
        self.interval = interval
        self.total_mb = 0.0
        self.per_process_mb: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process()
        total = 0.0
        for proc in [me, *me.children(recursive=True)]:
            try:
                mb = proc.memory_info().rss / 2**20
            except psutil.Error:
                continue
            total += mb
            self.per_process_mb[proc.pid] = max(self.per_process_mb.get(proc.pid, 0.0), mb)
        self.total_mb = max(self.total_mb, total)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> "PeakRSS":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


# --- workers --------------------------------------------------------------------------------------------
_WORKER_PIPELINE: Pipeline | None = None


def _init_worker(barrier: Any) -> None:
    global _WORKER_PIPELINE
    _WORKER_PIPELINE = Pipeline.default()
    _init_worker.barrier = barrier  # type: ignore[attr-defined]
    # A worker is one long batch: the collector settings of every batch entry point, for the process's life.
    _init_worker.gc = batch_gc()  # type: ignore[attr-defined]
    _init_worker.gc.__enter__()  # type: ignore[attr-defined]


def _wait_ready(_: int) -> int:
    # Each worker blocks here until all have loaded, so each takes exactly one of these tasks and timing starts
    # with every pipeline loaded.
    _init_worker.barrier.wait()  # type: ignore[attr-defined]
    return os.getpid()


def _run_chunk(chunk: list[tuple[str, str | None, str]]) -> int:
    assert _WORKER_PIPELINE is not None
    for text, published, doc_id in chunk:
        _WORKER_PIPELINE(Document(text=text, published=published, id=doc_id))
    return len(chunk)


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def run_in_processes(articles: list[tuple[str, str | None, str]], processes: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")  # each worker loads everything itself, as a deployment would
    barrier = ctx.Barrier(processes)
    with PeakRSS() as rss:
        with ctx.Pool(processes, initializer=_init_worker, initargs=(barrier,)) as pool:
            pids = set(pool.map(_wait_ready, range(processes), chunksize=1))
            start = time.perf_counter()
            done = sum(pool.imap_unordered(_run_chunk, _chunks(articles, CHUNK)))
            seconds = time.perf_counter() - start
    worker_peaks = [mb for pid, mb in rss.per_process_mb.items() if pid in pids]
    return {"processes": processes, "articles": done, "seconds": seconds, "peak_rss_total_mb": rss.total_mb,
            "peak_rss_worker_mb": max(worker_peaks) if worker_peaks else None}


def run_in_this_process(pipeline: Pipeline, articles: list[tuple[str, str | None, str]]) -> tuple[float, dict[str, float]]:
    timings: dict[str, float] = {}
    with batch_gc():  # as Pipeline.pipe and `marsad ingest` run
        start = time.perf_counter()
        for text, published, doc_id in articles:
            pipeline.timed(Document(text=text, published=published, id=doc_id), timings)
        seconds = time.perf_counter() - start
    return seconds, timings


# --- report ---------------------------------------------------------------------------------------------
def against_goal(value: float | None, goal: float, higher_is_better: bool) -> str:
    if value is None:
        return "not measured"
    if higher_is_better:
        return "meets the goal" if value >= goal else f"{goal / value:.1f}× short of the goal (needs {goal - value:,.0f} more)"
    return "meets the goal" if value <= goal else f"{value / goal:.1f}× over the goal ({value - goal:,.1f} too much)"


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=10_000, help="articles to run (default 10,000; the goal figures need ≥ 10,000)")
    parser.add_argument("--processes", default="1,2", help="comma-separated process counts for the multi-process runs")
    parser.add_argument("--corpus", action="append", type=Path, help="JSONL(.gz) corpora (default: SaudiNewsNet and ANT)")
    parser.add_argument("--json", dest="json_out", type=Path, help="write the figures to this JSON file")
    args = parser.parse_args(argv)
    corpora = args.corpus or DEFAULT_CORPORA
    process_counts = [int(p) for p in args.processes.split(",") if p.strip()]

    t0 = time.perf_counter()
    articles = load_articles(corpora, args.limit)
    words = sum(count_words(text) for text, _, _ in articles)
    print(f"{len(articles):,} articles, {words:,} words from {', '.join(p.name for p in corpora)} "
          f"(read in {time.perf_counter() - t0:.1f} s, not timed)")
    if len(articles) < 10_000:
        print("note: fewer than 10,000 articles: a quick look, not the figure for the README")

    left_out = sorted(set(registered_stages()) - set(DEFAULT_STAGES))
    if left_out:
        print(f"note: registered but not in the default pipeline, so not measured: {', '.join(left_out)}")

    # One process, in this process: stage by stage, and the bare pass over the same articles.
    with PeakRSS() as rss_one:
        t0 = time.perf_counter()
        full = Pipeline.default()
        load_seconds = time.perf_counter() - t0
        bare = Pipeline.from_names(BARE_STAGES)
        # One untimed bare pass first: the tokeniser's per-word cache is shared by both pipelines, so without it
        # whichever ran second would meet warm caches and the ratio would lean that way.
        run_in_this_process(bare, articles)
        full_seconds, timings = run_in_this_process(full, articles)
        bare_seconds, bare_timings = run_in_this_process(bare, articles)

    runs = [run_in_processes(articles, n) for n in process_counts]

    ratio = full_seconds / bare_seconds if bare_seconds else None
    by_processes = []
    for run in runs:
        n, s = run["processes"], run["seconds"]
        by_processes.append({
            **{k: (round(v, 2) if isinstance(v, float) else v) for k, v in run.items()},
            "articles_per_s": round(run["articles"] / s, 1),
            "articles_per_s_per_core": round(run["articles"] / s / n, 1),
            "words_per_s_per_core": round(words / s / n),
        })
    single_wps = words / full_seconds
    worker_rss = max((r["peak_rss_worker_mb"] or 0.0) for r in runs) if runs else None
    figures: dict[str, Any] = {
        "benchmark": "throughput: full pipeline vs bare clean+sentences+tokens",
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "command": shlex.join(["python", "benchmarks/throughput.py", *(argv if argv is not None else sys.argv[1:])]),
        "machine": {**machine(),
                    "platform": platform.platform()},
        "stages": full.names,
        "registered_not_default": left_out,
        "versions": full.versions(),
        "corpora": [p.name for p in corpora],
        "articles": len(articles),
        "words": words,
        "load_seconds": round(load_seconds, 2),
        "single_process": {
            "full_seconds": round(full_seconds, 2),
            "bare_seconds": round(bare_seconds, 2),
            "articles_per_s": round(len(articles) / full_seconds, 1),
            "words_per_s": round(single_wps),
            "bare_words_per_s": round(words / bare_seconds),
            "peak_rss_mb": round(rss_one.total_mb, 1),
            "stage_seconds": {k: round(v, 3) for k, v in timings.items()},
            "bare_stage_seconds": {k: round(v, 3) for k, v in bare_timings.items()},
        },
        "multi_process": by_processes,
        "full_over_bare": round(ratio, 2) if ratio else None,
        "peak_rss_worker_mb": round(worker_rss, 1) if worker_rss else None,
        "goals": {
            "words_per_s_per_core": {"goal": GOAL_WORDS_PER_S_PER_CORE, "value": round(single_wps),
                                     "verdict": against_goal(single_wps, GOAL_WORDS_PER_S_PER_CORE, True)},
            "full_over_bare": {"goal": GOAL_FULL_OVER_BARE, "value": round(ratio, 2) if ratio else None,
                               "verdict": against_goal(ratio, GOAL_FULL_OVER_BARE, False)},
            "peak_rss_mb": {"goal": GOAL_RSS_MB, "value": round(worker_rss, 1) if worker_rss else None,
                            "verdict": against_goal(worker_rss, GOAL_RSS_MB, False)},
        },
    }
    print_report(figures)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"figures written to {args.json_out}")
    return figures


def print_report(f: dict[str, Any]) -> None:
    one = f["single_process"]
    m = f["machine"]
    print(f"machine: {m['cores']} cores, {m['cpu']}, Python {m['python']}")
    print(f"pipeline: {' → '.join(f['stages'])} (loaded in {f['load_seconds']} s)")
    print(f"1 process, in-process: {one['articles_per_s']} articles/s, {one['words_per_s']:,} words/s; "
          f"bare pass {one['bare_words_per_s']:,} words/s; peak RSS {one['peak_rss_mb']} MB (with the articles in memory)")
    for run in f["multi_process"]:
        print(f"{run['processes']} worker process(es): {run['articles_per_s']} articles/s = "
              f"{run['articles_per_s_per_core']} articles/s per core, {run['words_per_s_per_core']:,} words/s per core; "
              f"peak RSS {run['peak_rss_total_mb']} MB in all, {run['peak_rss_worker_mb']} MB per worker")
    total = one["full_seconds"] or 1.0
    print("seconds by stage (1 process):")
    for stage, seconds in sorted(one["stage_seconds"].items(), key=lambda kv: -kv[1]):
        print(f"  {stage:<12} {seconds:8.2f} s  {100 * seconds / total:5.1f} %  "
              f"{f['words'] / seconds if seconds else float('inf'):>12,.0f} words/s")
    print(f"full / bare: {f['full_over_bare']} (full {one['full_seconds']} s, bare {one['bare_seconds']} s)")
    print("against the goals:")
    for name, g in f["goals"].items():
        print(f"  {name}: {g['value']} (goal {g['goal']:,}): {g['verdict']}")


if __name__ == "__main__":
    main()
