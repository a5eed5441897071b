"""Build src/marsad/data/actors/actors.tsv: the canonical actor table the entities stage resolves mentions to.

Inputs: the hand-curated src/marsad/data/actors/curated.tsv (wins on any shared Arabic key), the UniversalPetrarch
Arabic actor and agent dictionaries (MIT, Open Event Data Alliance; pinned by checksum below), CLDR country names
(Arabic and English, from babel) and the nationality table in composition.toml.

    python scripts/build_actors.py --shared ../shared
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.entities.actors import COLUMNS, KIND_BY_SECTOR, Composition  # noqa: E402
from marsad.entities.translit import transliterate  # noqa: E402
from marsad.text.tokens import matching_key  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "marsad" / "data" / "actors"
INPUTS = {
    "data/up-arabic-dictionaries/actor_dict_ar_v4.txt": "a2e21f94a2c6b5f8784b4286828c49f88fb7fcd157052632ebbc58dc509991ef",
    "data/up-arabic-dictionaries/agents.all.ar_v3.txt": "f89f5f6b662f6af3bc194faf8e13b5662243d034722d4926695e4953f385a700",
}
# First words that make a UniversalPetrarch entry an organisation or a generic agent rather than a person.
ORG_HEADS = set("وزارة حزب حركة منظمة مجلس جامعة اتحاد حكومة الديوان ديوان جبهة هيئة لجنة وكالة مؤسسة شركة بنك صندوق "
                "محكمة برلمان جمعية جيش قوة قوات شرطة مكتب مركز معهد تنظيم جماعة كتائب كتيبة لواء فيلق ائتلاف تحالف "
                "مفوضية إدارة ادارة دائرة نقابة حلف".split())
AGENT_HEADS = set("رئيس وزير ملك أمير عاهل جنرال قائد سفير أمين نائب مسؤول متحدث ناطق جندي مقاتل شيخ زعيم رئيسة "
                  "وزيرة قام دكتور".split())
# Agent sectors worth matching on their own (others, such as BUS or AGR, are too generic: عمل, زراعة).
WITHDRAWN_ALPHA3 = frozenset({"FXX", "ZAR", "TMP", "DDR", "YMD", "BUR", "YUG", "SCG", "ANT", "NTZ", "CSK", "SUN"})
RARE_WORD = 50  # corpus count (data/text/vocabulary.tsv) under which a one-word entry may be a name
AGENT_SECTORS = {"MIL", "REB", "COP", "SPY", "UAF", "IMG", "OPP", "LEG", "JUD", "REF", "GOVMIL", "MILSPY", "REBMUS"}
SECTOR_EN = {
    "GOV": "government", "MIL": "military", "REB": "rebels", "COP": "police", "OPP": "opposition", "SPY": "intelligence",
    "UAF": "armed men", "IMG": "militant group", "LEG": "legislature", "JUD": "judiciary", "REF": "refugees",
    "PTY": "party", "MED": "media", "BUS": "business", "EDU": "education", "HLH": "health", "CVL": "civilians",
    "ELI": "elite", "IGO": "international organisation", "NGO": "NGO", "REL": "religious", "LAB": "labour",
    "HRI": "human rights", "GOVMIL": "military", "MILSPY": "military intelligence", "REBMUS": "Islamist rebels",
}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_curated(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 7:
            raise SystemExit(f"{path}:{n}: expected 7 tab-separated columns, found {len(cols)}")
        ident, label, name_en, code, kind, country, variants = cols
        rows.append({"id": ident, "label": label, "name_en": name_en, "actor_code": code, "kind": kind,
                     "country": country, "source": "curated", "variants": [v.strip() for v in variants.split("|") if v.strip()]})
    return rows


def iso2_of(iso3: str, aliases: dict) -> str:
    got = aliases.get(iso3)
    # Only one-to-one aliases: SUN (the Soviet Union) also maps to RU among others.
    return got[0] if got and len(got) == 1 and len(got[0]) == 2 else ""


def parse_up_actors(path: Path) -> list[tuple[str, list[str], bool]]:
    """(name, codes in file order, has_dates) per entry of the PETRARCH actor dictionary."""
    entries: list[tuple[str, list[str], bool]] = []
    current: list | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[:1].isspace() and raw.strip().startswith("["):
            if current is not None:
                for code, dated in _codes(raw):
                    current[1].append(code)
                    current[2] = current[2] or dated
            continue
        name, _, rest = raw.strip().partition("[")
        current = [name.strip(), [], False]
        entries.append(current)  # type: ignore[arg-type]
        if rest:
            for code, dated in _codes("[" + rest):
                current[1].append(code)
                current[2] = current[2] or dated
    return [(n, c, d) for n, c, d in entries]


def _codes(text: str):
    for inner in re.findall(r"\[([^\]]*)\]", text):
        parts = inner.split()
        if not parts:
            continue
        code = parts[0].split(",")[-1].strip()
        if re.fullmatch(r"[A-Z~]{3,15}", code):
            yield code.strip("~"), len(parts) > 1


def describe_code(code: str, nationality: dict, aliases: dict) -> tuple[str, str, str]:
    """(English description, kind, iso2) for a CAMEO code such as IRQGOV or IGO."""
    iso3, sector = code[:3], code[3:]
    iso2 = iso2_of(iso3, aliases)
    if iso2:
        adj = nationality.get(iso2, {}).get("adj_en") or iso3
        sector_en = SECTOR_EN.get(sector[:3], "")
        return (f"{adj} {sector_en}".strip(), KIND_BY_SECTOR.get(sector[:3], "actor"), iso2)
    return (SECTOR_EN.get(code[:3], code), KIND_BY_SECTOR.get(code[:3], "actor"), "")


def _composition_keys(spec: dict) -> set[tuple[str, ...]]:
    """Keys the composition rules already understand (adjectives, sector nouns, descriptors, titles)."""
    rules = Composition(spec, OUT_DIR / "composition.toml")
    keys: set[tuple[str, ...]] = set()
    for table in (rules.adjectives, rules.sectors, rules.descriptors, rules.titles):
        keys.update(table)
    return keys


def compose_english(key: tuple[str, ...], rules: Composition) -> str | None:
    """English for a title or sector noun followed by a nationality adjective (رئيس سوري → Syrian president)."""
    nat = rules.adjectives.get(key[-1:])
    if nat is None or len(key) < 2:
        return None
    head = key[:-1]
    if head in rules.titles:
        return f"{nat.adj_en} {rules.titles[head]}"
    if head in rules.sectors:
        return rules.sectors[head].en.format(adj=nat.adj_en, country=nat.country_en)
    return None


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", transliterate(text).lower()).strip("-") or "x"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    for rel, digest in INPUTS.items():
        got = sha256(args.shared / rel)
        if got != digest:
            raise SystemExit(f"{rel}: sha256 {got} differs from the pinned {digest}")

    from babel import Locale
    from babel.core import get_global

    aliases = get_global("territory_aliases")
    from marsad.text.tokens import default_splitter

    vocabulary = default_splitter().freq
    composition = tomllib.loads((OUT_DIR / "composition.toml").read_text(encoding="utf-8"))
    nationality = composition["nationality"]
    rules = Composition(composition, OUT_DIR / "composition.toml")
    adjective_keys = set(rules.adjectives)

    rows = read_curated(OUT_DIR / "curated.tsv")
    taken: set[tuple[str, ...]] = set(_composition_keys(composition))
    actor_keys: set[tuple[str, ...]] = set()
    ids: set[str] = set()
    for row in rows:
        ids.add(row["id"])
        for v in row["variants"]:
            taken.add(matching_key(v))
            actor_keys.add(matching_key(v))

    def add(row: dict, allow_adjective_keys: bool = False) -> None:
        variants = [v for v in row["variants"] if matching_key(v) and (matching_key(v) not in taken or (
            allow_adjective_keys and matching_key(v) in adjective_keys and matching_key(v) not in actor_keys))]
        if not variants:
            return
        base, n = row["id"], 2
        while row["id"] in ids:
            row["id"] = f"{base}-{n}"
            n += 1
        ids.add(row["id"])
        row["variants"] = variants
        for v in variants:
            taken.add(matching_key(v))
            actor_keys.add(matching_key(v))
        rows.append(row)

    # Countries: CLDR names, so روسيا or سوريا resolve to the state (labelled LOC; the places stage geocodes them).
    ar_names, en_names = Locale("ar").territories, Locale("en").territories
    # CAMEO country codes are the current ISO 3166 alpha-3 codes; CLDR's aliases also list withdrawn ones for the
    # same territory (FXX metropolitan France, ZAR Zaire, TMP East Timor, DDR, YMD, BUR), which must not win.
    iso3_of = {v[0]: k for k, v in aliases.items() if len(k) == 3 and k.isalpha() and len(v) == 1 and len(v[0]) == 2
               and k not in WITHDRAWN_ALPHA3}
    english = {iso2: nat["country_en"] for iso2, nat in nationality.items()}  # Turkey, not Türkiye
    extra = {"SY": ["سورية"], "US": ["الولايات المتحدة الأميركية", "الولايات المتحدة الأمريكية", "أمريكا", "أميركا"],
             "RU": ["روسيا الاتحادية"], "GB": ["بريطانيا", "المملكة المتحدة"], "PS": ["فلسطين"],
             "SA": ["المملكة العربية السعودية", "السعودية"], "AE": ["الإمارات"], "IR": ["ايران"]}
    for iso2, ar in sorted(ar_names.items()):
        if not (len(iso2) == 2 and iso2.isalpha()) or iso2 not in en_names:
            continue
        add({"id": f"country-{iso2.lower()}", "label": "LOC", "name_en": english.get(iso2, en_names[iso2]),
             "actor_code": iso3_of.get(iso2, ""), "kind": "country", "country": iso2, "source": "cldr",
             "variants": [ar] + extra.get(iso2, [])}, allow_adjective_keys=True)
    # The nationals as a group stand for their state (الروس → Russia).
    for iso2, nat in nationality.items():
        people = nat.get("people", [])
        if people:
            add({"id": f"people-{iso2.lower()}", "label": "AGENT", "name_en": nat["country_en"], "actor_code": nat["iso3"],
                 "kind": "state", "country": iso2, "source": "composition", "variants": people},
                allow_adjective_keys=True)

    up = args.shared / "data" / "up-arabic-dictionaries"
    for name, codes, dated in parse_up_actors(up / "actor_dict_ar_v4.txt"):
        if not codes or re.search(r"[A-Za-z]", name):
            continue
        arabic = re.sub(r"\s+", " ", name.replace("_", " ")).strip()
        words = arabic.split()
        if not words:
            continue
        code = codes[-1]
        head = words[0]
        key = matching_key(arabic)
        vocab = vocabulary.get
        if len(words) == 1:
            # One word is kept only as a rare, dated name that seldom takes the article (رفسنجاني), never as a
            # common noun (مدينة, جامعة, قاعدة, مبارك "blessed") that happens to be someone's name.
            w = key[0] if key else ""
            if not dated or vocab(w, 0) >= RARE_WORD or 3 * vocab("ال" + w, 0) > vocab(w, 0) + 1:
                continue
        if not iso2_of(code[:3], aliases) and not code.startswith(("IGO", "NGO", "IMG")) and not dated:
            continue  # a bare sector code (مؤتمر صحافي [MED]) describes a kind of actor, not an actor
        if len(code) == 3 and iso2_of(code, aliases) and re.search(r"(ي|ية|يه)$", words[-1]):
            continue  # ends in a nisba adjective (البرنامج النووي الإيراني [IRN]): a thing of the country, not a place
        if len(code) == 3 and iso2_of(code, aliases):
            label, kind = "LOC", "place"
        elif head in ORG_HEADS or (code.startswith(("IGO", "NGO")) and len(words) > 1 and not dated):
            label, kind = "ORG", ""
        elif head in AGENT_HEADS:
            if compose_english(key, rules) is None:
                continue  # a title with a person's name (رئيس حسني مبارك): the name is the actor, the title a role
            label, kind = "AGENT", ""
        elif dated:
            label, kind = "PERSON", "person"
        else:
            continue  # undated and without an organisation's head noun: too unsure what it names
        described, code_kind, iso2 = describe_code(code, nationality, aliases)
        composed = compose_english(matching_key(arabic), rules)
        if label in ("PERSON", "LOC"):
            name_en = transliterate(arabic)
        elif composed:
            name_en = composed
        else:
            name_en = f"{transliterate(arabic)} ({described})"
        add({"id": "up-" + slug(arabic), "label": label, "name_en": name_en, "actor_code": code,
             "kind": kind or code_kind, "country": iso2, "source": "up-actors", "variants": [arabic]})

    for line in (up / "agents.all.ar_v3.txt").read_text(encoding="utf-8").splitlines():
        m = re.match(r"^\s*(\S+)\s*\[~([A-Z]+)\]", line)
        if not m or m.group(2) not in AGENT_SECTORS:
            continue
        arabic = m.group(1).replace("_", " ").strip()
        if len(matching_key(arabic)) < 2:
            continue  # one word (قوة, خدمة, فريق) is too generic; composition.toml has the sector nouns that matter
        sector = m.group(2)
        add({"id": "agent-" + slug(arabic), "label": "AGENT",
             "name_en": f"{SECTOR_EN.get(sector, sector)} ({transliterate(arabic)})", "actor_code": sector,
             "kind": KIND_BY_SECTOR.get(sector[:3], "actor"), "country": "", "source": "up-agents", "variants": [arabic]})

    out = OUT_DIR / "actors.tsv"
    with out.open("w", encoding="utf-8") as handle:
        handle.write("# marsad actor table. Built by scripts/build_actors.py; do not edit (edit curated.tsv).\n")
        for rel, digest in INPUTS.items():
            handle.write(f"# input {rel} sha256:{digest}\n")
        handle.write(f"# input curated.tsv sha256:{sha256(OUT_DIR / 'curated.tsv')}\n")
        handle.write("\t".join(COLUMNS) + "\n")
        for row in rows:
            handle.write("\t".join([row["id"], row["label"], row["name_en"], row["actor_code"], row["kind"],
                                    row["country"], row["source"], "|".join(row["variants"])]) + "\n")
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["source"]] = counts.get(row["source"], 0) + 1
    print(f"wrote {out}: {len(rows)} actors {counts}")


if __name__ == "__main__":
    main()
