"""Reader for the curated alias file (data/places/aliases.tsv): names and places GeoNames lacks or gets wrong."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from marsad.resources import DataFileError

COLUMNS = ("name", "geonameid", "name_en", "lat", "lon", "country", "admin1", "feature", "kind", "population", "actor_code", "note")


@dataclass(frozen=True, slots=True)
class Alias:
    name: str
    geonameid: int | None  # None: a place GeoNames does not have (seas, buildings); lat/lon/kind are then required
    name_en: str | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    feature: str | None
    kind: str | None
    population: int | None
    actor_code: str | None
    note: str


def read_aliases(path: Path) -> list[Alias]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable: {exc}") from exc
    aliases = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) > len(COLUMNS):
            raise DataFileError(f"{path}:{number}: {len(cells)} columns, at most {len(COLUMNS)} expected")
        cells += [""] * (len(COLUMNS) - len(cells))
        row = dict(zip(COLUMNS, (c.strip() for c in cells)))
        try:
            alias = Alias(
                name=row["name"],
                geonameid=int(row["geonameid"]) if row["geonameid"] else None,
                name_en=row["name_en"] or None,
                lat=float(row["lat"]) if row["lat"] else None,
                lon=float(row["lon"]) if row["lon"] else None,
                country=row["country"] or None,
                admin1=row["admin1"] or None,
                feature=row["feature"] or None,
                kind=row["kind"] or None,
                population=int(row["population"]) if row["population"] else None,
                actor_code=row["actor_code"] or None,
                note=row["note"],
            )
        except ValueError as exc:
            raise DataFileError(f"{path}:{number}: {exc}") from exc
        if not alias.name:
            raise DataFileError(f"{path}:{number}: empty name")
        if alias.geonameid is None and (alias.name_en is None or alias.lat is None or alias.lon is None or alias.kind is None):
            raise DataFileError(f"{path}:{number}: a place without a geonameid needs name_en, lat, lon and kind")
        aliases.append(alias)
    return aliases
