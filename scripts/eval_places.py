"""Score the places stage: the development set (share within 25 km) and the seed article.

    python scripts/eval_places.py                      # eval/places/dev.jsonl (+ heldout.jsonl) + ../shared/examples/bukamal.*
    python scripts/eval_places.py --errors             # also list every miss
    python scripts/eval_places.py --dev FILE --seed-dir DIR --shared ../shared

Development set: each line is one hand-resolved mention in its sentence (see eval/places/README.md). Records taken
from ANERcorp, which may not be redistributed, carry no text: ``load_rows`` rebuilds it from the shared copy of the
corpus (``<shared>/data/ner/anercorp/train.txt``) and checks it against ``text_sha256``; without that copy they are
skipped, and the figures cover the other records only. The gold
mention is given to the stage as an entities LOC span, as the entities stage would; a mention counts as right when
the PLACE span over it has the gold geonameid or lies within 25 km of the gold point.
Seed article: every place of bukamal.expected.json must be found; same geonameid where one is given, else within
25 km of the given point (the right country for countries and seas without a point); بيروت must be the dateline.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.document import Document, Provenance, Span  # noqa: E402
from marsad.pipeline import Pipeline  # noqa: E402

WITHIN_KM = 25.0
ANERCORP = Path("data/ner/anercorp")  # inside the shared-data directory


def default_shared() -> Path:
    """The shared developer data: $MARSAD_SHARED, else ../shared beside the repository."""
    return Path(os.environ.get("MARSAD_SHARED") or ROOT.parent / "shared")


@lru_cache(maxsize=None)
def anercorp_sentences(path: Path) -> tuple[str, ...]:
    """The sentences of an ANERcorp file (``token TAG`` lines, a blank line between sentences), tokens joined by one
    space. Sentence N of a record's ``source`` (``anercorp:train.txt#N``) is item N - 1."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if tokens:
                sentences.append(" ".join(tokens))
                tokens = []
            continue
        tokens.append(line.rsplit(" ", 1)[0])
    if tokens:
        sentences.append(" ".join(tokens))
    return tuple(sentences)


def rebuild_text(row: dict, shared: Path) -> str:
    """The text of a record stored without it (ANERcorp): sentence ``sentence`` (1-based) of the file ``source``
    names, cut to ``window`` [start, end) when the record held a window of a long sentence, checked against
    ``text_sha256``. Raises FileNotFoundError without the corpus and ValueError when the rebuilt text differs."""
    corpus, _, rest = row["source"].partition(":")
    if corpus != "anercorp":
        raise ValueError(f"{row['id']}: no text and no known corpus to rebuild it from ({row['source']})")
    filename = rest.partition("#")[0]
    sentences = anercorp_sentences(shared / ANERCORP / filename)
    if not 1 <= row["sentence"] <= len(sentences):
        raise ValueError(f"{row['id']}: {shared / ANERCORP / filename} has no sentence {row['sentence']}")
    sentence = sentences[row["sentence"] - 1]
    if row.get("window"):
        start, end = row["window"]
        sentence = sentence[start:end]
    if hashlib.sha256(sentence.encode("utf-8")).hexdigest() != row["text_sha256"]:
        raise ValueError(f"{row['id']}: the text rebuilt from {shared / ANERCORP / filename} sentence "
                         f"{row['sentence']} does not match text_sha256 (a different copy of the corpus?)")
    return sentence


def load_rows(path: Path, shared: Path | None = None, quiet: bool = False) -> list[dict]:
    """The records of a places gold file, each with its ``text``: rebuilt for ANERcorp records (see
    ``rebuild_text``); those are left out, with a message, when the shared copy of the corpus is absent."""
    shared = default_shared() if shared is None else shared
    rows, skipped = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "text" not in row:
            try:
                row["text"] = rebuild_text(row, shared)
            except FileNotFoundError:
                skipped += 1
                continue
        rows.append(row)
    if skipped and not quiet:
        print(f"{path.name}: {skipped} ANERcorp records skipped: {shared / ANERCORP} is absent and their text is not "
              f"redistributed; the figure below covers the other {len(rows)} only")
    return rows


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def place_over(doc: Document, start: int, end: int) -> Span | None:
    """The PLACE span that best covers [start, end): the one overlapping it most."""
    best, best_overlap = None, 0
    for span in doc.layer("places"):
        overlap = min(end, span.end) - max(start, span.start)
        if overlap > best_overlap:
            best, best_overlap = span, overlap
    return best


def judge(attrs: dict, gold: dict) -> tuple[bool, str]:
    if not attrs.get("resolved"):
        return False, "unresolved"
    if gold.get("geonameid") is not None and attrs.get("geonameid") == gold["geonameid"]:
        return True, "same id"
    if attrs.get("lat") is None or gold.get("lat") is None:
        if gold.get("lat") is None and gold.get("country") and attrs.get("country") == gold["country"]:
            return True, "right country"
        if gold.get("lat") is None and not gold.get("country") and attrs.get("name_en") == gold.get("name_en"):
            return True, "right name (a sea has no country)"
        return False, f"got {attrs.get('name_en')} ({attrs.get('geonameid')})"
    km = haversine_km(attrs["lat"], attrs["lon"], gold["lat"], gold["lon"])
    return km <= WITHIN_KM, f"{km:.0f} km ({attrs.get('name_en')}, {attrs.get('geonameid')})"


def eval_dev(pipeline: Pipeline, path: Path, show_errors: bool, shared: Path | None = None) -> float:
    rows = load_rows(path, shared)
    right = 0
    errors = []
    for row in rows:
        doc = Document(row["text"])
        # The gold mention enters as the entities stage would give it.
        doc.set_layer("entities", [Span(row["start"], row["end"], "LOC", {}, Provenance("gold", "dev", "1"))])
        doc = pipeline(doc)
        span = place_over(doc, row["start"], row["end"])
        ok, why = judge(span.attrs if span else {"resolved": False}, row["gold"])
        right += ok
        if not ok:
            errors.append(f"  {row['id']}: {row['surface']!r} gold {row['gold'].get('name_en')} ({row['gold'].get('geonameid')}): {why}")
    share = right / len(rows) if rows else 0.0
    print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {len(rows)} mentions, "
          f"{right} within {WITHIN_KM:.0f} km or same id: {share:.3f}")
    if show_errors:
        print("\n".join(errors))
    return share


def eval_seed(pipeline: Pipeline, seed_dir: Path) -> bool:
    text = (seed_dir / "bukamal.txt").read_text(encoding="utf-8")
    expected = json.loads((seed_dir / "bukamal.expected.json").read_text(encoding="utf-8"))
    doc = pipeline(Document(text, published=expected.get("published")))
    spans = doc.layer("places")
    all_ok = True
    for place in expected["places"]:
        found = [s for s in spans if doc.span_text(s) == place["text"] or place["text"] in doc.span_text(s)]
        if not found:
            print(f"  MISSING {place['text']}")
            all_ok = False
            continue
        verdicts = [judge(s.attrs, place) for s in found]
        ok = any(v[0] for v in verdicts)
        role = ""
        if place["text"] == expected.get("dateline"):
            datelines = [s for s in found if s.attrs.get("role") == "dateline"]
            role = " dateline" if datelines else " NOT-DATELINE"
            ok = ok and bool(datelines)
        all_ok &= ok
        print(f"  {'ok ' if ok else 'BAD'} {place['text']} → {found[0].attrs.get('name_en')} "
              f"({found[0].attrs.get('geonameid')}, {found[0].attrs.get('country')}){role}: {verdicts[0][1]}")
    print(f"seed article: {'every place found and resolved' if all_ok else 'FAILED'} ({len(expected['places'])} places)")
    return all_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dev", type=Path, default=ROOT / "eval/places/dev.jsonl")
    parser.add_argument("--heldout", type=Path, default=ROOT / "eval/places/heldout.jsonl",
                        help="reported too, never tuned against (no target); a missing file is skipped")
    parser.add_argument("--shared", type=Path, default=None,
                        help="shared developer data, for the ANERcorp texts (default $MARSAD_SHARED or ../shared)")
    parser.add_argument("--seed-dir", type=Path, default=None, help="default <shared>/examples")
    parser.add_argument("--errors", action="store_true")
    args = parser.parse_args()
    shared = args.shared or default_shared()
    args.seed_dir = args.seed_dir or shared / "examples"
    pipeline = Pipeline.from_names(["clean", "sentences", "tokens", "places"])
    share = eval_dev(pipeline, args.dev, args.errors, shared)
    if args.heldout.exists() and args.heldout != args.dev:
        eval_dev(pipeline, args.heldout, args.errors, shared)
    seed_ok = eval_seed(pipeline, args.seed_dir) if (args.seed_dir / "bukamal.txt").exists() else None
    if seed_ok is None:
        print(f"seed article: skipped ({args.seed_dir} has no bukamal.txt)")
    return 0 if share >= 0.95 and seed_ok is not False else 1


if __name__ == "__main__":
    sys.exit(main())
