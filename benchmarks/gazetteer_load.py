"""Gazetteer load time and memory, and look-up speed (issue 6 target: load < 1 s and < 150 MB resident).

    python benchmarks/gazetteer_load.py [--repeat 5]

Each load runs in a fresh interpreter so nothing is cached in-process; the figures are the median over repeats.
Resident memory is psutil's RSS of that interpreter before and after opening the gazetteer and answering a batch
of look-ups (the vocabulary the tokeniser already loads is not counted: it belongs to the tokens stage).
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
import psutil
proc = psutil.Process()
import marsad.places.gazetteer as gz  # imports only; the file is not opened yet
rss0 = proc.memory_info().rss
t0 = time.perf_counter()
gazetteer = gz.Gazetteer()
load = time.perf_counter() - t0
rss1 = proc.memory_info().rss
keys = ["بوكمال", "حلب", "دير زور", "محافظه دير زور", "ولايات متحده", "بيروت", "موسكو", "واشنطن", "جنيف",
        "سوريه", "عراق", "رياض", "صنعاء", "عدن", "تعز", "موصل", "بغداد", "قاهره", "غزه", "قدس"] * 5
t0 = time.perf_counter()
found = gazetteer.lookup(keys)
lookup = time.perf_counter() - t0
rss2 = proc.memory_info().rss
size = gazetteer.path.stat().st_size
print(json.dumps({"load_s": load, "rss_before_mb": rss0 / 2**20, "rss_after_load_mb": rss1 / 2**20,
                  "rss_after_lookups_mb": rss2 / 2**20, "lookup_100_keys_s": lookup, "keys_found": len(found),
                  "file_mb": size / 2**20}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    runs = []
    for _ in range(args.repeat):
        out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT / "src")], check=True, capture_output=True, text=True)
        runs.append(json.loads(out.stdout))
    median = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
    print(f"gazetteer file: {median['file_mb']:.1f} MB")
    print(f"load (open + checks): {median['load_s'] * 1000:.1f} ms median of {args.repeat} fresh interpreters")
    print(f"resident memory: {median['rss_before_mb']:.1f} MB before, {median['rss_after_load_mb']:.1f} MB after load, "
          f"{median['rss_after_lookups_mb']:.1f} MB after 100 look-ups "
          f"(+{median['rss_after_lookups_mb'] - median['rss_before_mb']:.1f} MB for the gazetteer)")
    print(f"one batched look-up of 100 keys: {median['lookup_100_keys_s'] * 1000:.2f} ms ({median['keys_found']:.0f} distinct keys found)")
    ok = median["load_s"] < 1.0 and median["rss_after_lookups_mb"] < 150
    print("target (< 1 s, < 150 MB resident):", "met" if ok else "MISSED")
    stage_speed()


def stage_speed() -> None:
    """The places stage on the seed article (developer data beside the repository), after the text layer."""
    import time

    seed = ROOT.parent / "shared" / "examples" / "bukamal.txt"
    if not seed.exists():
        print("places stage speed: skipped (no ../shared/examples/bukamal.txt)")
        return
    sys.path.insert(0, str(ROOT / "src"))
    from marsad.document import Document
    from marsad.pipeline import Pipeline, create_stage

    t0 = time.perf_counter()
    stage = create_stage("places")
    build = time.perf_counter() - t0
    text_layer = Pipeline.from_names(["clean", "sentences", "tokens"])
    docs = [text_layer(Document(seed.read_text(encoding="utf-8"))) for _ in range(20)]
    t0 = time.perf_counter()
    for doc in docs:
        stage(doc)
    per_doc = (time.perf_counter() - t0) / len(docs)
    print(f"places stage: built in {build * 1000:.0f} ms (gazetteer + rules + vocabulary); "
          f"{per_doc * 1000:.1f} ms per seed article ({len(docs[0].layer('places'))} PLACE spans)")


if __name__ == "__main__":
    main()
