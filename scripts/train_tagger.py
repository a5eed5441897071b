"""Train the entity tagger (a linear-chain CRF, CRFsuite L-BFGS) on ANERcorp and write the model under data/ner/.

    python scripts/train_tagger.py --shared ../shared

Deterministic: the dev part is every 10th sentence of ANERcorp train.txt (never trained on); L-BFGS has no random
state. Hyper-parameters are the constants below (chosen on that dev part). Prints dev scores per type, and AQMAR
dev as out-of-domain text.
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pycrfsuite  # noqa: E402

from marsad.entities.corpus import format_scores, read_bio, score, split_dev  # noqa: E402
from marsad.entities.tagger import EntityTagger, default_featuriser, sentence_features  # noqa: E402

DEV_EVERY = 10
C1 = 0.02  # L1: prunes rare features, keeps the model small (0.05: -0.7 point on dev, 0.1: -1.4)
C2 = 0.01  # L2
MAX_ITERATIONS = 200
MIN_FEATURE_FREQ = 1
POSSIBLE_STATES = False
# Subtracted from the weight of the bias attribute "b" for the label O once trained: every word's O score drops by
# this much, so the decoder (CRFsuite's and the numpy one alike, both read the file) prefers a name a little more.
# Chosen by 2-fold CV inside the training part (scripts/cv_tagger.py): 0 / 0.25 / 0.4 / 0.5 / 0.6 / 0.75.
O_PENALTY = 0.4
MODEL = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "ner" / "tagger.crfsuite"
CONTEXTS = MODEL.parent / "contexts.tsv"
ANT = ("data/news/ant.jsonl.gz", "b8ce7eefe3231fd016cd4f5d4e1754895ddba40d4b5433b1b5e5567ba2a6bf62")
CONTEXT_MIN_COUNT = 4  # stems seen fewer times get no context feature
NAMES = MODEL.parent / "names.tsv"
PLACES = MODEL.parent / "places.tsv"
PLACES_MIN_POPULATION = 15_000  # smaller towns' names are too often ordinary words
# Name lists from the other annotated corpora (never ANERcorp): AQMAR train (CC BY-SA 3.0), Wojood sample (MIT).
NAME_SOURCES = [("data/ner/aqmar/train.txt", {"PER": "P", "LOC": "L", "ORG": "O"}),
                ("data/ner/wojood-sample/train.txt", {"PERS": "P", "GPE": "L", "LOC": "L", "ORG": "O"}),
                ("data/ner/wojood-sample/val.txt", {"PERS": "P", "GPE": "L", "LOC": "L", "ORG": "O"})]


def build_names(shared: Path, out: Path) -> None:
    """Word classes from the names annotated in AQMAR and Wojood: NF/NL first/last word of a person's name,
    NLOC a one-word place, NOF the first word of an organisation's name."""
    from marsad.text.tokens import CONTENT_LABELS, Tokeniser

    tokeniser = Tokeniser()

    def stem_of(word: str) -> str:  # the featuriser's stem: the word's content pieces, clitics and article dropped
        return "".join(n for _, _, label, n, _ in tokeniser.pieces(word) if label in CONTENT_LABELS) or word

    classes: dict[str, set[str]] = {}
    for rel, kinds in NAME_SOURCES:
        words: list[str] = []
        tags: list[str] = []
        for line in (shared / rel).read_text(encoding="utf-8").splitlines() + [""]:
            parts = line.split()
            if parts:
                words.append(parts[0])
                tags.append(parts[1] if len(parts) > 1 else "O")
                continue
            for start, end, kind in _spans(tags):
                cls = kinds.get(kind)
                if cls is None:
                    continue
                stems = [stem_of(w) for w in words[start:end]]
                if cls == "P":
                    classes.setdefault(stems[0], set()).add("NF")
                    classes.setdefault(stems[-1], set()).add("NL")
                elif cls == "L" and len(stems) == 1:
                    classes.setdefault(stems[0], set()).add("NLOC")
                elif cls == "O" and len(stems) > 1:
                    classes.setdefault(stems[0], set()).add("NOF")
            words, tags = [], []
    with out.open("w", encoding="utf-8") as handle:
        handle.write("# stem<TAB>classes. Built by scripts/train_tagger.py from AQMAR train (CC BY-SA 3.0, Mohit et al. "
                     "2012) and the Wojood sample (MIT, Jarrar et al. 2022)\n")
        for stem in sorted(classes):
            if stem.strip():
                handle.write(f"{stem}\t{','.join(sorted(classes[stem]))}\n")


def build_places(out: Path) -> None:
    """Word classes from the places gazetteer (data/places/gazetteer.sqlite, GeoNames CC BY 4.0 + curated aliases):
    GC a one-word country, continent, sea or region; GA a one-word first-level division; G1 a one-word city or town
    of 100,000 people or more; G2 one of PLACES_MIN_POPULATION or more (or curated); GF/GL the first/last word of a
    longer name of any of these. Arabic names only."""
    import sqlite3

    from marsad.resources import data_path

    db = sqlite3.connect(f"{data_path('places/gazetteer.sqlite').as_uri()}?mode=ro&immutable=1", uri=True)
    rows = db.execute("SELECT n.key, p.kind, p.population, n.curated FROM names n JOIN places p USING (geonameid)")
    classes: dict[str, set[str]] = {}
    for key, kind, population, curated in rows:
        words = key.split()
        if not words or not all("\u0621" <= w[0] <= "\u06ff" for w in words):
            continue
        population = population or 0
        if kind in ("country", "continent", "sea", "region"):
            cls = "GC"
        elif kind == "governorate":
            cls = "GA"
        elif population >= 100_000:
            cls = "G1"
        elif population >= PLACES_MIN_POPULATION or curated:
            cls = "G2"
        else:
            continue
        if len(words) == 1:
            classes.setdefault(words[0], set()).add(cls)
        else:
            classes.setdefault(words[0], set()).add("GF")
            classes.setdefault(words[-1], set()).add("GL")
    with out.open("w", encoding="utf-8") as handle:
        handle.write("# stem<TAB>classes. Built by scripts/train_tagger.py from data/places/gazetteer.sqlite "
                     "(GeoNames, geonames.org, CC BY 4.0; curated aliases)\n")
        for stem in sorted(classes):
            handle.write(f"{stem}\t{','.join(sorted(classes[stem]))}\n")


def _spans(tags: list[str]):
    from marsad.entities.corpus import spans_of

    return spans_of(tags)


def build_contexts(shared: Path, out: Path) -> None:
    """For each frequent word stem of the ANT corpus (Apache 2.0), its commonest left and right neighbours.

    A poor man's word cluster: names share neighbours (قال/الرئيس before, ، after), places share others (في, مدينة).
    Only these counts ship, never the texts.
    """
    import collections

    from build_clusters import stems_of_articles  # the same stems the word clusters are built from

    path = shared / ANT[0]
    if sha256(path) != ANT[1]:
        raise SystemExit(f"{path}: checksum differs from the pinned {ANT[1]}")
    left: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    right: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    count: collections.Counter = collections.Counter()
    for stems in stems_of_articles(path):
        for a, b in zip(stems, stems[1:]):
            right[a][b] += 1
            left[b][a] += 1
        count.update(stems)
    with out.open("w", encoding="utf-8") as handle:
        handle.write(f"# stem<TAB>commonest left neighbour<TAB>commonest right neighbour. Built by scripts/train_tagger.py\n")
        handle.write(f"# input {ANT[0]} sha256:{ANT[1]} (ANT corpus v1.1, Apache 2.0)\n")
        for stem, n in sorted(count.items()):
            if n < CONTEXT_MIN_COUNT or not stem.strip():
                continue
            lc = left[stem].most_common(1)[0][0] if left[stem] else ""
            rc = right[stem].most_common(1)[0][0] if right[stem] else ""
            handle.write(f"{stem}\t{lc}\t{rc}\n")


def train_crf(featuriser, sentences, out: Path, use_lexicon: bool = True, c1: float = C1, c2: float = C2,
              iterations: int = MAX_ITERATIONS) -> Path:
    """A CRF trained on ``sentences`` with this script's settings, written to ``out`` (no O penalty yet); also the
    models of scripts/cv_tagger.py and scripts/experiments/."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for sent in sentences:
        trainer.append(sentence_features(featuriser, sent.words, use_lexicon), sent.tags)
    trainer.set_params({
        "c1": c1,
        "c2": c2,
        "max_iterations": iterations,
        "feature.minfreq": MIN_FEATURE_FREQ,
        "feature.possible_transitions": True,
        "feature.possible_states": POSSIBLE_STATES,
    })
    trainer.train(str(out))
    return out


def penalise_o(path: Path, penalty: float) -> None:
    """Lower the state weight (attribute "b", label O) of a CRFsuite model file by ``penalty``, in place."""
    import struct

    from marsad.entities.tagger import CRFModel

    if not penalty:
        return
    data = bytearray(path.read_bytes())
    model = CRFModel(bytes(data))
    bias, label = model.attributes.index("b"), model.labels.index("O")
    off_features = struct.unpack_from("<I", data, 28)[0]
    (count,) = struct.unpack_from("<I", data, off_features + 8)
    for k in range(count):
        at = off_features + 12 + 20 * k
        kind, src, dst, weight = struct.unpack_from("<3Id", data, at)
        if kind == 0 and src == bias and dst == label:
            struct.pack_into("<d", data, at + 12, weight - penalty)
            path.write_bytes(bytes(data))
            return
    raise SystemExit(f"{path}: no state feature (b, O) to penalise")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--out", type=Path, default=MODEL)
    parser.add_argument("--no-lexicon", action="store_true", help="leave out the actor-lexicon features")
    parser.add_argument("--c1", type=float, default=C1)
    parser.add_argument("--c2", type=float, default=C2)
    parser.add_argument("--iterations", type=int, default=MAX_ITERATIONS)
    parser.add_argument("--o-penalty", type=float, default=O_PENALTY)
    args = parser.parse_args()

    t0 = time.perf_counter()
    build_contexts(args.shared, CONTEXTS)
    print(f"contexts from ANT in {time.perf_counter() - t0:.0f}s -> {CONTEXTS}")
    build_names(args.shared, NAMES)
    print(f"name classes from AQMAR train and Wojood -> {NAMES}")
    build_places(PLACES)
    print(f"place classes from the places gazetteer -> {PLACES}")
    default_featuriser.cache_clear()

    corpus = args.shared / "data" / "ner" / "anercorp" / "train.txt"
    print(f"ANERcorp {corpus} sha256:{sha256(corpus)}")
    train, dev = split_dev(read_bio(corpus), DEV_EVERY)
    print(f"train {len(train)} sentences, dev {len(dev)} sentences (every {DEV_EVERY}th)")

    featuriser = default_featuriser()
    use_lexicon = not args.no_lexicon
    t0 = time.perf_counter()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    train_crf(featuriser, train, args.out, use_lexicon=use_lexicon, c1=args.c1, c2=args.c2,
              iterations=args.iterations)
    penalise_o(args.out, args.o_penalty)
    print(f"trained in {time.perf_counter() - t0:.0f}s -> {args.out} ({args.out.stat().st_size // 1024} KiB)")

    tagger = EntityTagger(args.out, featuriser, use_lexicon=use_lexicon)
    pred = [tagger.tag_words(s.words) for s in dev]
    print(format_scores("ANERcorp dev (strict spans)", score([s.tags for s in dev], pred)))
    aqmar = args.shared / "data" / "ner" / "aqmar" / "dev.txt"
    if aqmar.exists():
        sents = read_bio(aqmar)
        pred = [tagger.tag_words(s.words) for s in sents]
        print(format_scores("AQMAR dev, out of domain (strict spans)", score([s.tags for s in sents], pred)))


if __name__ == "__main__":
    main()
