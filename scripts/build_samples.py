"""Build the bundled sample articles (src/marsad/data/samples/ant_samples.jsonl) that `make demo` runs on.

They are real Jawhara FM articles from the ANT corpus v1.1 (Apache 2.0, Chouigui et al. 2017; see NOTICE beside
the output), chosen for war, diplomacy and security reporting. The ids are pinned so the file is reproducible.

    python scripts/build_samples.py --shared ../shared
"""
from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

SAMPLE_IDS = [
    "JA-internationalNews-728-20170412",   # Russia vetoes the Khan Shaykhun resolution
    "JA-internationalNews-411-20161015",   # Saudi-led coalition admits bombing a funeral hall in Sanaa
    "JA-internationalNews-575-20151104",   # US officials suspect an ISIS bomb on the Russian airliner in Sinai
    "JA-internationalNews-1144-20170609",  # Russian MP: Washington preparing to topple Assad
    "JA-internationalNews-260-20161208",   # Syrian army evacuates civilians in eastern Aleppo
    "JA-internationalNews-954-20170524",   # Britain deploys troops after the Manchester bombing
    "JA-internationalNews-1252-20170619",  # Israel cuts Gaza's electricity supply
    "JA-internationalNews-586-20170331",   # Mosul
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "src/marsad/data/samples/ant_samples.jsonl"))
    args = parser.parse_args()
    wanted = set(SAMPLE_IDS)
    found: dict[str, dict] = {}
    with gzip.open(Path(args.shared) / "data/news/ant.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if record["id"] in wanted:
                found[record["id"]] = record
    missing = wanted - set(found)
    if missing:
        raise SystemExit(f"sample ids not in the corpus: {sorted(missing)}")
    with open(args.out, "w", encoding="utf-8") as out:
        for sample_id in SAMPLE_IDS:
            out.write(json.dumps(found[sample_id], ensure_ascii=False) + "\n")
    print(f"wrote {len(SAMPLE_IDS)} articles to {args.out}")


if __name__ == "__main__":
    main()
