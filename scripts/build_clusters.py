"""Word clusters for the entity tagger: k-means over word2vec vectors of the ANT corpus, at three granularities.

    pip install -e '.[build]'    # gensim (build time only; the shipped artefact is a plain TSV)
    python scripts/build_clusters.py --shared ../shared

Reads data/news/ant.jsonl.gz (ANT corpus v1.1, Apache 2.0; checksum pinned) — never saudinewsnet (CC BY-NC-SA).
Each article becomes a sequence of the featuriser's word stems (content pieces, clitics and article dropped;
punctuation kept), a skip-gram word2vec model is trained on them (one worker, fixed seed, deterministic hashing)
and the unit-length vectors of every stem seen at least MIN_COUNT times are clustered by k-means (Lloyd, k-means++
seeding from a fixed random state) into K clusters for each K in KS. Writes src/marsad/data/ner/clusters.tsv:
``stem<TAB>cluster id at each granularity``. Only these ids ship, never the texts or the vectors.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")  # one BLAS thread: the same sums in the same order, the same clusters every run

ANT = ("data/news/ant.jsonl.gz", "b8ce7eefe3231fd016cd4f5d4e1754895ddba40d4b5433b1b5e5567ba2a6bf62")
OUT = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "ner" / "clusters.tsv"
MIN_COUNT = 3
DIM = 100
WINDOW = 5
EPOCHS = 10
SEED = 7
KS = (64, 256, 1024)
KMEANS_ITERATIONS = 25


def stems_of_articles(path: Path):
    from marsad.text.tokens import CONTENT_LABELS, PUNCT, Tokeniser

    tokeniser = Tokeniser()
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            text = json.loads(line).get("text") or ""
            stems: list[str] = []
            current, parts = -1, []
            for _, _, label, norm, w in tokeniser.pieces(text):
                if w != current:
                    if parts:
                        stems.append("".join(parts))
                    current, parts = w, []
                if label in CONTENT_LABELS or label == PUNCT:
                    parts.append(norm)
            if parts:
                stems.append("".join(parts))
            if stems:
                yield stems


def _hash(text: str) -> int:  # gensim seeds each word's vector with hashfxn(word + seed): no per-run hash salt
    return zlib.crc32(text.encode("utf-8"))


def kmeans(x, k: int, seed: int, iterations: int):
    import numpy as np

    rng = np.random.RandomState(seed)
    n = x.shape[0]
    # k-means++ seeding (cosine distance on unit vectors)
    centres = np.empty((k, x.shape[1]), dtype=x.dtype)
    centres[0] = x[rng.randint(n)]
    dist = 1.0 - x @ centres[0]
    for j in range(1, k):
        p = np.clip(dist, 0, None) ** 2
        p /= p.sum()
        centres[j] = x[rng.choice(n, p=p)]
        dist = np.minimum(dist, 1.0 - x @ centres[j])
    assign = None
    for _ in range(iterations):
        new = np.argmax(x @ centres.T, axis=1)
        if assign is not None and np.array_equal(new, assign):
            break
        assign = new
        for j in range(k):
            members = x[assign == j]
            if len(members):
                c = members.sum(axis=0)
                centres[j] = c / (np.linalg.norm(c) or 1.0)
    return assign


def main() -> None:
    import numpy as np
    from gensim.models import Word2Vec

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    path = args.shared / ANT[0]
    if hashlib.sha256(path.read_bytes()).hexdigest() != ANT[1]:
        raise SystemExit(f"{path}: checksum differs from the pinned {ANT[1]}")
    t0 = time.perf_counter()
    sentences = list(stems_of_articles(path))
    print(f"{len(sentences)} articles, {sum(map(len, sentences))} words in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    model = Word2Vec(sentences, vector_size=DIM, window=WINDOW, min_count=MIN_COUNT, sg=1, negative=5,
                     epochs=EPOCHS, workers=1, seed=SEED, hashfxn=_hash, sample=1e-4)
    print(f"word2vec: {len(model.wv)} stems in {time.perf_counter() - t0:.0f}s")
    words = [w for w in model.wv.index_to_key if w.strip() and any(c.isalpha() for c in w)]
    vectors = np.stack([model.wv[w] for w in words]).astype(np.float64)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    columns = []
    for k in KS:
        t0 = time.perf_counter()
        columns.append(kmeans(vectors, k, SEED, KMEANS_ITERATIONS))
        print(f"k-means k={k} in {time.perf_counter() - t0:.0f}s")
    with args.out.open("w", encoding="utf-8") as handle:
        handle.write(f"# stem<TAB>cluster at k={'/'.join(map(str, KS))}. Built by scripts/build_clusters.py "
                     f"(word2vec skip-gram dim {DIM}, window {WINDOW}, {EPOCHS} epochs, min count {MIN_COUNT}, "
                     f"seed {SEED}; k-means)\n")
        handle.write(f"# input {ANT[0]} sha256:{ANT[1]} (ANT corpus v1.1, Apache 2.0)\n")
        order = sorted(range(len(words)), key=lambda i: words[i])
        for i in order:
            handle.write(words[i] + "\t" + "\t".join(str(int(c[i])) for c in columns) + "\n")
    print(f"{len(words)} stems -> {args.out} ({args.out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
