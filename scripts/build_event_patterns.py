"""Build the derived event-pattern tables under src/marsad/data/events/.

- verbs.tsv from the UniversalPetrarch Arabic CAMEO dictionary (MIT): one row per (verb lemma, object word,
  CAMEO code). Synonym sets (&WEAPON…) are expanded to the head word of each member.
- cameo_plover.tsv from the OEDA CAMEO→PLOVER table (CC BY-SA 4.0): CAMEO code → PLOVER category, mode, context.

Inputs are pinned by checksum. Run from the repository:

    python scripts/build_event_patterns.py --shared ../shared
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.text.normalise import matching_form  # noqa: E402
from marsad.text.tokens import matching_key  # noqa: E402

INPUTS = {
    "data/up-arabic-dictionaries/CAMEO.ar.0.5.txt": "sha256:aadcbf3e67e0128713c2ec04dd5eb526f169b165eae0ef3cd69c91eaf7370ad5",
    "data/cameo-plover/CAMEO2PLOVER-2021.txt": "sha256:524512a777756e90f6721724d7c5cab4eac2c35178a50ad2ad09bdb3edefbe7e",
}
OUT = Path(__file__).resolve().parents[1] / "src" / "marsad" / "data" / "events"

# Prepositions and particles that open PETRARCH object phrases: the object word is the first word after them.
FUNCTION_WORDS = frozenset(matching_form(w) for w in "في من إلى الى على عن ل ب مع ضد أثناء خلال بعد قبل تحت أجل".split())
_CODE_RE = re.compile(r"\[(\d{2,4})\]")
_HEADER_RE = re.compile(r"^---\s*(\S+)\s*\[([^\]]*)\]\s*---")


def sha256(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _lemma(raw: str) -> tuple[str, str]:
    """'سيطر+على' → ('سيطر', 'على'); the first word of a multi-word lemma ('وضع هوو') is the verb."""
    raw = raw.strip().split()[0] if raw.strip() else ""
    verb, _, particle = raw.partition("+")
    return matching_form(verb.replace("_", "")), matching_form(particle.split("+")[0]) if particle else ""


def _head_word(phrase: str) -> str:
    """The first content word of an object phrase, in matching form (clitics split off as the tokeniser does)."""
    words = [w for w in re.split(r"[\s_(){}]+", phrase) if w and w != "*"]
    for word in words:
        for key in matching_key(word):
            if key not in FUNCTION_WORDS and len(key) > 2:
                return key
    return ""


def parse_synsets(lines: list[str]) -> dict[str, list[str]]:
    sets: dict[str, list[str]] = {}
    current = None
    for line in lines:
        line = line.strip()
        if line.startswith("&"):
            current = line.split()[0]
            sets[current] = []
        elif line.startswith("+") and current:
            head = _head_word(line[1:])
            if head and head not in sets[current]:
                sets[current].append(head)
        elif not line:
            continue
        else:
            current = None if line.startswith("#") else current
    return sets


def parse_verbs(lines: list[str], synsets: dict[str, list[str]]) -> list[tuple[str, str, str, str, str]]:
    rows: set[tuple[str, str, str, str, str]] = set()
    block = ""
    block_code = ""
    verbs: list[tuple[str, str]] = []
    for line in lines:
        stripped = line.strip()
        header = _HEADER_RE.match(stripped)
        if header:
            block = matching_form(header.group(1))
            block_code = header.group(2) if header.group(2).isdigit() else ""
            verbs = []
            continue
        if not stripped or stripped.startswith("#"):
            continue
        body, _, comment = stripped.partition("#")
        if stripped.startswith("-"):
            code = _CODE_RE.search(body)
            if not code:
                continue
            pattern = body[1:code.start()].strip()
            after_verb = pattern.split("*", 1)[1] if "*" in pattern else pattern
            targets = [_lemma(v)[0] for v in comment.split(",") if v.strip()] or [v for v, _ in verbs]
            known = {v for v, _ in verbs}
            targets = [v for v in targets if v in known] or [v for v, _ in verbs]
            objects: list[str] = []
            syn = re.search(r"&[A-Z_]+", after_verb)
            if syn and syn.start() <= len(after_verb) - len(after_verb.lstrip(" ({")) + 2:
                objects = synsets.get(syn.group(), [])
            else:
                head = _head_word(after_verb)
                objects = [head] if head else []
            for verb in targets:
                particle = dict(verbs).get(verb, "")
                for obj in objects:
                    rows.add((verb, particle, obj, code.group(1), block))
            continue
        code = _CODE_RE.search(body)
        verb_text = _CODE_RE.sub("", body).strip()
        verb, particle = _lemma(verb_text)
        if not verb:
            continue
        verbs.append((verb, particle))
        own = code.group(1) if code else block_code
        if own:
            rows.add((verb, particle, "", own, block))
    return sorted(rows)


def parse_plover(lines: list[str]) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for line in lines:
        if not line.strip() or line.startswith("#") or line.startswith("~"):
            continue
        code, _, rest = line.partition(":")
        code = code.strip()
        if not code.isdigit() or len(code) < 3:
            continue  # two-digit lines are section headings
        fields, _, name = rest.partition("#")
        parts = [p.strip() for p in fields.split(",")]
        parts += [""] * (3 - len(parts))
        rows.append((code, parts[0], parts[1], parts[2], name.strip()))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    args = parser.parse_args()
    shared = Path(args.shared)
    for rel, checksum in INPUTS.items():
        path = shared / rel
        actual = sha256(path)
        if checksum and actual != checksum:
            sys.exit(f"{path}: checksum {actual} differs from the pinned {checksum}")
        print(f"{rel}\t{actual}")

    cameo = (shared / "data/up-arabic-dictionaries/CAMEO.ar.0.5.txt").read_text(encoding="utf-8").splitlines()
    split = next(i for i, line in enumerate(cameo) if "VERB PATTERNS" in line)
    synsets = parse_synsets(cameo[:split])
    verb_rows = parse_verbs(cameo[split + 1:], synsets)
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "verbs.tsv").open("w", encoding="utf-8") as out:
        out.write("# Derived by scripts/build_event_patterns.py from UniversalPetrarch CAMEO.ar.0.5.txt (MIT; see README.md)\n")
        out.write("# verb\tparticle\tobject\tcameo\tblock\n")
        for row in verb_rows:
            out.write("\t".join(row) + "\n")

    plover = parse_plover((shared / "data/cameo-plover/CAMEO2PLOVER-2021.txt").read_text(encoding="utf-8").splitlines())
    with (OUT / "cameo_plover.tsv").open("w", encoding="utf-8") as out:
        out.write("# Derived from OEDA PLOVER CAMEO2PLOVER-2021.txt, CC BY-SA 4.0 (see README.md)\n")
        out.write("# cameo\tplover\tmode\tcontext\tname\n")
        for row in plover:
            out.write("\t".join(row) + "\n")
    print(f"verbs.tsv: {len(verb_rows)} rows ({sum(1 for r in verb_rows if not r[2])} verb defaults); "
          f"cameo_plover.tsv: {len(plover)} codes")


if __name__ == "__main__":
    main()
