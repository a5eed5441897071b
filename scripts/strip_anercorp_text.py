"""One-off: take the ANERcorp sentence texts out of the places gold files (ANERcorp may not be redistributed).

    python scripts/strip_anercorp_text.py [--shared ../shared] [FILE ...]   # default eval/places/{dev,heldout}.jsonl

Each record whose ``source`` is ``anercorp:<file>#N`` loses ``text`` and gains ``sentence`` (N, 1-based, the
sentence of ``<shared>/data/ner/anercorp/<file>``), ``window`` ([start, end) in that sentence, only when the text
was a window of a longer sentence) and ``text_sha256`` (of the original text, UTF-8). Every other record and the
order of fields are kept. Each converted record is rebuilt with ``eval_places.rebuild_text`` and must match the
original text byte for byte, else nothing is written. Records already converted are checked and left alone, so a
second run changes nothing.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from eval_places import ANERCORP, anercorp_sentences, default_shared, rebuild_text  # noqa: E402


def convert(row: dict, shared: Path) -> dict:
    corpus, _, rest = row["source"].partition(":")
    if corpus != "anercorp" or "text" not in row:
        return row
    filename, _, number = rest.partition("#")
    n = int(number)
    text = row["text"]
    sentence = anercorp_sentences(shared / ANERCORP / filename)[n - 1]
    out: dict = {}
    for key, value in row.items():
        if key != "text":
            out[key] = value
            continue
        out["sentence"] = n
        if sentence != text:
            start = sentence.find(text)
            if start < 0:
                raise SystemExit(f"{row['id']}: text is not in {filename} sentence {n}")
            out["window"] = [start, start + len(text)]
        out["text_sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path,
                        default=[ROOT / "eval/places/dev.jsonl", ROOT / "eval/places/heldout.jsonl"])
    parser.add_argument("--shared", type=Path, default=None)
    args = parser.parse_args()
    shared = args.shared or default_shared()
    total = 0
    for path in args.files:
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        converted = [convert(row, shared) for row in rows]
        checked = 0
        for before, after in zip(rows, converted):
            if "text" in after:
                assert after == before
                continue
            rebuilt = rebuild_text(after, shared)  # raises on a sha mismatch
            if "text" in before and rebuilt.encode("utf-8") != before["text"].encode("utf-8"):
                raise SystemExit(f"{before['id']}: rebuilt text differs from the original")
            checked += 1
        path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in converted), encoding="utf-8")
        newly = sum("text" in b and "text" not in a for b, a in zip(rows, converted))
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(rows)} records, {newly} converted "
              f"now, {checked} ANERcorp records rebuilt byte-identical (sha256 matches)")
        total += checked
    print(f"total: {total} ANERcorp records rebuilt byte-identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
