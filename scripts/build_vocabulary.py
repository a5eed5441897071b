"""Build src/marsad/data/text/vocabulary.tsv: matching-form word frequencies that guide clitic splitting.

Inputs (pinned by checksum below): the ANT corpus v1.1 (Apache 2.0, Chouigui et al. 2017) and the word forms of the
UniversalPetrarch Arabic dictionaries (MIT). Only counts of folded word forms ship, never the texts.

    python scripts/build_vocabulary.py --shared ../shared
"""
from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.text.normalise import matching_form  # noqa: E402
from marsad.text.tokens import WORD_PATTERN  # noqa: E402

INPUTS = {
    "data/news/ant.jsonl.gz": "sha256:b8ce7eefe3231fd016cd4f5d4e1754895ddba40d4b5433b1b5e5567ba2a6bf62",
    "data/up-arabic-dictionaries/actor_dict_ar_v4.txt": "sha256:a2e21f94a2c6b5f8784b4286828c49f88fb7fcd157052632ebbc58dc509991ef",
    "data/up-arabic-dictionaries/agents.all.ar_v3.txt": "sha256:f89f5f6b662f6af3bc194faf8e13b5662243d034722d4926695e4953f385a700",
    "data/up-arabic-dictionaries/CAMEO.ar.0.5.txt": "sha256:aadcbf3e67e0128713c2ec04dd5eb526f169b165eae0ef3cd69c91eaf7370ad5",
}
MIN_COUNT = 2
DICTIONARY_WEIGHT = 3  # a dictionary word counts as if seen this often, so names and verbs from it are kept


def sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "src/marsad/data/text/vocabulary.tsv"))
    args = parser.parse_args()
    shared = Path(args.shared)
    word_re = re.compile(WORD_PATTERN)
    counts: collections.Counter[str] = collections.Counter()
    checksums = {}
    for rel in INPUTS:
        path = shared / rel
        checksums[rel] = sha256(path)
        if checksums[rel] != INPUTS[rel]:
            sys.exit(f"{path}: checksum {checksums[rel]} differs from the pinned {INPUTS[rel]}")
        if rel.endswith(".jsonl.gz"):
            with gzip.open(path, "rt", encoding="utf-8") as handle:
                for line in handle:
                    record = json.loads(line)
                    for field in ("title", "text"):
                        counts.update(matching_form(m) for m in word_re.findall(record.get(field) or ""))
        else:
            words = {matching_form(m) for m in word_re.findall(path.read_text(encoding="utf-8", errors="replace"))}
            for word in words:
                counts[word] += DICTIONARY_WEIGHT
    kept = sorted(((w, c) for w, c in counts.items() if c >= MIN_COUNT and not w.isascii()), key=lambda x: (-x[1], x[0]))
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        handle.write("# marsad vocabulary: matching form <TAB> count. Built by scripts/build_vocabulary.py\n")
        for rel, digest in checksums.items():
            handle.write(f"# input {rel} {digest}\n")
        for word, count in kept:
            handle.write(f"{word}\t{count}\n")
    print(f"wrote {len(kept)} forms to {out}")


if __name__ == "__main__":
    main()
