"""The canonical actor table (data/actors/actors.tsv) and the composition rules (data/actors/composition.toml)."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from marsad.resources import DataFileError, data_path, load_toml
from marsad.text.normalise import matching_form
from marsad.text.tokens import matching_key

COLUMNS = ["id", "label", "name_en", "actor_code", "kind", "country", "source", "variants"]
LABELS = frozenset({"PERSON", "ORG", "LOC", "AGENT"})
KIND_BY_SECTOR = {
    "GOV": "government", "MIL": "state military", "REB": "armed group", "COP": "police", "OPP": "opposition",
    "SPY": "intelligence", "UAF": "armed group", "IMG": "armed group", "LEG": "legislature", "JUD": "judiciary",
    "REF": "refugees", "PTY": "party", "MED": "media", "BUS": "business", "EDU": "education", "HLH": "health",
    "CVL": "civilians", "ELI": "elite", "IGO": "IGO", "NGO": "NGO", "REL": "religious", "LAB": "labour",
}


@dataclass(frozen=True, slots=True)
class Actor:
    id: str
    label: str
    name_en: str
    actor_code: str
    kind: str
    country: str
    source: str
    variants: tuple[str, ...]


class ActorTable:
    def __init__(self, actors: list[Actor]):
        self.actors = actors
        self.by_id = {a.id: a for a in actors}

    @classmethod
    def load(cls, path: str | Path | None = None) -> "ActorTable":
        path = Path(path) if path else data_path("actors/actors.tsv")
        actors: list[Actor] = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"marsad actor table {path} is unreadable: {exc}") from exc
        header_seen = False
        for n, line in enumerate(lines, 1):
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            if not header_seen:
                if cols != COLUMNS:
                    raise DataFileError(f"marsad actor table {path}:{n}: header {cols} is not {COLUMNS}")
                header_seen = True
                continue
            if len(cols) != len(COLUMNS) or cols[1] not in LABELS or not cols[0] or not cols[2]:
                raise DataFileError(f"marsad actor table {path}:{n} is corrupt: {line[:80]!r}")
            actors.append(Actor(cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6],
                                tuple(v for v in cols[7].split("|") if v)))
        if not actors:
            raise DataFileError(f"marsad actor table {path} holds no actors")
        return cls(actors)


@dataclass(slots=True)
class Nationality:
    iso2: str
    iso3: str
    country_en: str
    adj_en: str


@dataclass(slots=True)
class Sector:
    id: str
    group: str
    code: str
    en: str
    generic_en: str
    kind: str
    needs_adjective: bool
    trailing: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    label: str = "AGENT"  # ORG for an institution with a proper name (وزارة الخارجية)


@dataclass(slots=True)
class Descriptor:
    candidates: tuple[str, ...]
    generic_en: str
    kind: str


class Composition:
    """Nationality adjectives, sector nouns, descriptors and titles, all keyed by matching keys."""

    def __init__(self, spec: dict, path: Path):
        try:
            self.adjectives: dict[tuple[str, ...], Nationality] = {}
            self.nationalities: dict[str, Nationality] = {}
            for iso2, nat in spec["nationality"].items():
                n = Nationality(iso2, nat["iso3"], nat["country_en"], nat["adj_en"])
                self.nationalities[iso2] = n
                for adj in nat["adj"]:
                    # Built from the written stem: a folded "...يه" would be read as a pronoun suffix.
                    for form in (adj, adj + "ة", adj + "ين", adj + "ون", adj + "ان"):
                        self.adjectives[matching_key(form)] = n
            # Keys of sector nouns and descriptors written with the article: without it (تنظيم "داعش") the word is
            # the head of a construct naming something else, not the descriptor.
            self.article_keys: set[tuple[str, ...]] = set()
            self.sectors: dict[tuple[str, ...], Sector] = {}
            self.sector_by_id: dict[str, Sector] = {}
            for s in spec["sector"]:
                sector = Sector(s["id"], s["group"], s["code"], s["en"], s["generic_en"], s["kind"],
                                bool(s.get("needs_adjective", False)),
                                frozenset(matching_key(t) for t in s.get("trailing", [])), s.get("label", "AGENT"))
                self.sector_by_id[sector.id] = sector
                for form in s["forms"]:
                    self.sectors[matching_key(form)] = sector
                    if matching_form(form).startswith("ال"):
                        self.article_keys.add(matching_key(form))
            self.overrides: dict[str, str] = dict(spec.get("override", {}))
            self.descriptors: dict[tuple[str, ...], Descriptor] = {}
            for d in spec.get("descriptor", []):
                desc = Descriptor(tuple(d["candidates"]), d["generic_en"], d["kind"])
                for form in d["forms"]:
                    self.descriptors[matching_key(form)] = desc
                    if matching_form(form).startswith("ال"):
                        self.article_keys.add(matching_key(form))
            self.titles: dict[tuple[str, ...], str] = {matching_key(k): v for k, v in spec.get("titles", {}).items()}
            self.place_prefixes: frozenset[str] = frozenset(
                k for form in spec.get("places", {}).get("name_prefixes", []) for k in matching_key(form))
        except (KeyError, TypeError, AttributeError) as exc:
            raise DataFileError(f"marsad data file {path} lacks or mistypes the key {exc}") from exc
        self.max_title_len = max((len(k) for k in self.titles), default=0)

    @classmethod
    def load(cls, path: str | Path | None = None) -> "Composition":
        path = Path(path) if path else data_path("actors/composition.toml")
        return cls(load_toml(path), path)


@lru_cache(maxsize=1)
def default_actor_table() -> ActorTable:
    return ActorTable.load()


@lru_cache(maxsize=1)
def default_composition() -> Composition:
    return Composition.load()
