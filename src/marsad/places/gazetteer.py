"""The shipped gazetteer: a read-only SQLite file of places and their names indexed by matching key.

Names are stored under ``" ".join(matching_key(name))`` (the tokeniser's matching forms of the content pieces,
article and clitics dropped) and under the same key with spaces removed, so ``بالبوكمال`` finds ``البو كمال``.
Every look-up is an indexed ``IN`` query. Opening the file also loads an in-memory index of the space-free keys
(:meth:`Gazetteer.flags`), so a text form that starts no name is turned away without a query; the candidates of
the forms that do match are cached across documents (:meth:`Gazetteer.candidates`, cleared when full).
"""
from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable

from marsad.resources import DataFileError, data_path
from marsad.text.tokens import CONTENT_LABELS, Tokeniser

FORMAT = "3"

SCHEMA = """
CREATE TABLE places (
  geonameid INTEGER PRIMARY KEY,  -- GeoNames id; negative for curated places GeoNames lacks (seas…)
  name_en TEXT, name_ar TEXT, lat REAL, lon REAL,
  feature TEXT,                   -- GeoNames feature code (PPL, PPLA, PPLC, ADM1, PCLI, SEA…)
  kind TEXT,                      -- city, town, governorate, country, sea, building…
  population INTEGER, country TEXT, admin1 TEXT, admin1_en TEXT
);
CREATE TABLE names (
  key TEXT NOT NULL,              -- " ".join(matching_key(name))
  nokey TEXT NOT NULL,            -- key without spaces (البو كمال = البوكمال)
  geonameid INTEGER NOT NULL,
  pre TEXT NOT NULL,              -- proclitic letters the tokeniser split off the name's first word (وان → و)
  art INTEGER NOT NULL,           -- 1: the name's first content word carries the article (العراق)
  enc TEXT NOT NULL,              -- pronoun-like ending the tokeniser split off the last word (بنها → ها)
  curated INTEGER NOT NULL,       -- 1: from aliases.tsv
  actor_code TEXT,                -- the government a capital's name can stand for (USAGOV)
  skel TEXT NOT NULL,             -- consonant skeleton for transliteration variants (see skeleton())
  PRIMARY KEY (nokey, key, geonameid, pre, art, enc)  -- look-ups go by nokey: the primary key is the index
) WITHOUT ROWID;
CREATE INDEX names_skel ON names(skel);
CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
"""

# SQLite's default bound-variable limit is 32766; stay well below it per query.
_BATCH = 900

# Bits of Gazetteer.flags(form), for a text form made of the matching forms of consecutive content pieces with
# nothing between them (the key's spaces removed):
ONE_PIECE = 1  # some name's space-free key is this form: a one-piece text key of it has candidates
SPACED = 2  # some multi-word name's space-free key is this form: a key of two or more pieces spelling it has candidates
EXTENDS = 4  # some multi-word name's space-free key starts with this form and is longer: adding pieces may match
_FLAGS_CACHE = 100_000  # distinct forms remembered (cleared when full)
_CANDIDATES_CACHE = 50_000  # distinct keys whose candidates are remembered (cleared when full)
_SKELETON_CACHE = 10_000  # skeletons likewise


def nospace(key: str) -> str:
    return key.replace(" ", "")


# Letters that transliterations of one foreign sound alternate between (g: غ ج ق ك; t: ط ت; s: ص س ث …).
_SKELETON_FOLD = str.maketrans({"غ": "ك", "ج": "ك", "ق": "ك", "ث": "س", "ص": "س", "ذ": "ز", "ظ": "ز", "ض": "د", "ط": "ت"})
_SKELETON_VOWELS = frozenset("اويءه")
MIN_SKELETON = 3


def skeleton(key: str) -> str:
    """The consonants of a key after its first letter's vowels are dropped and sound-alike letters folded.

    Foreign names are spelled many ways (مانشستر/مانشيستر, ناغاساكي/نجاساكي, أوروغواي/الأوروجواي); their
    skeletons agree. Used only as a fallback for mentions something vouches for (see PlaceResolver).
    """
    out = []
    for word in key.split(" "):
        word = word.translate(_SKELETON_FOLD)
        if not word:
            continue
        kept = word[0] + "".join(ch for ch in word[1:] if ch not in _SKELETON_VOWELS)
        out.append("".join(ch for i, ch in enumerate(kept) if i == 0 or ch != kept[i - 1]))
    return "".join(out)


def name_shape(name: str) -> tuple[str, str, bool, str]:
    """(key, proclitics, article, ending) of a name: its key and what the tokeniser split off around it.

    A text mention must carry at least the same proclitics, carry the article exactly when the name does, and
    end the same way, so وان (Van) is not found in أن, the adjective السورية does not match the country سورية,
    and بنها (Banha) is not found in بن.
    """
    pieces = list(Tokeniser().pieces(name))
    key = " ".join(norm for _, _, label, norm, _ in pieces if label in CONTENT_LABELS)
    pre, art = "", False
    for _, _, label, norm, _ in pieces:
        if label == "PRO":
            pre += norm
        elif label == "ART":
            art = True
        else:
            break
    enc = pieces[-1][3] if pieces and pieces[-1][2] == "ENC" else ""
    return key, pre, art, enc


def fit(candidate: "Candidate", text_pre: str, text_art: bool, text_enc: str) -> "Candidate | None":
    """The candidate as read through the names whose shape the text form has, or None when none has it.

    The article must agree both ways: عين (a spring) is not العين (Al Ain), السورية (Syrian) is not سورية. Curated
    status and actor codes come only from the names that fit: رياض (a first name) does not inherit the curated
    reading of الرياض.
    """
    shapes = tuple(sh for sh in candidate.shapes
                   if text_pre.endswith(sh[0]) and sh[1] == text_art and sh[2] == text_enc)
    if not shapes:
        return None
    curated = any(sh[3] for sh in shapes)
    actor = next((sh[4] for sh in shapes if sh[4]), None)
    explicit = any(sh[3] and sh[4] for sh in shapes)
    return replace(candidate, shapes=shapes, curated=curated, actor_code=actor, explicit_actor=explicit)


@dataclass(frozen=True, slots=True)
class Candidate:
    geonameid: int
    name_en: str
    name_ar: str | None
    lat: float | None
    lon: float | None
    feature: str
    kind: str
    population: int
    country: str
    admin1: str
    admin1_en: str
    curated: bool
    actor_code: str | None
    shapes: tuple[tuple[str, bool, str, bool, str | None], ...] = ()  # per matched name: (proclitics, article, ending, curated, actor code)
    explicit_actor: bool = False  # a curated name with its own actor code (واشنطن, الكرملين): a metonym by default

    @property
    def public_id(self) -> int | None:
        return self.geonameid if self.geonameid > 0 else None


class Gazetteer:
    """Opens the artefact read-only and answers key look-ups; raises DataFileError naming a missing/corrupt file."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else data_path("places/gazetteer.sqlite")
        if not self.path.is_file():
            raise DataFileError(f"marsad gazetteer file missing: {self.path} (build it with scripts/build_gazetteer.py)")
        try:
            # immutable=1: no locking or journal checks, the file never changes under us.
            self.db = sqlite3.connect(f"{self.path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False)
            meta = dict(self.db.execute("SELECT k, v FROM meta"))
            self.db.execute("SELECT geonameid FROM places LIMIT 1").fetchall()
            self.db.execute("SELECT key FROM names LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:
            raise DataFileError(f"marsad gazetteer file {self.path} is unreadable or corrupt: {exc}") from exc
        if meta.get("format") != FORMAT:
            raise DataFileError(f"marsad gazetteer file {self.path} has format {meta.get('format')!r}, expected {FORMAT!r}; rebuild it")
        self.meta = meta
        self._load_index()
        self.flag_memo: dict[str, int] = {}  # form -> flags(form) of the forms asked about (read it, never write)
        self._cache: dict[str, list[Candidate]] = {}
        self._skeleton_cache: OrderedDict[str, list[Candidate]] = OrderedDict()

    def _load_index(self) -> None:
        """Every space-free key, and those of multi-word names sorted (for prefix tests by bisection)."""
        try:
            rows = self.db.execute("SELECT nokey, max(instr(key, ' ') > 0) FROM names GROUP BY nokey").fetchall()
        except sqlite3.DatabaseError as exc:
            raise DataFileError(f"marsad gazetteer file {self.path} is unreadable or corrupt: {exc}") from exc
        self._nokeys = frozenset(nokey for nokey, _ in rows)
        self._spaced = frozenset(nokey for nokey, spaced in rows if spaced)
        self._spaced_sorted = sorted(self._spaced)

    def flags(self, form: str) -> int:
        """ONE_PIECE | SPACED | EXTENDS bits of a space-free text form (remembered; no query)."""
        bits = self.flag_memo.get(form)
        if bits is None:
            bits = self.form_flags(form)
            if len(self.flag_memo) >= _FLAGS_CACHE:
                self.flag_memo.clear()
            self.flag_memo[form] = bits
        return bits

    def form_flags(self, form: str) -> int:
        """``flags(form)`` worked out afresh (for callers that remember it themselves)."""
        bits = (ONE_PIECE if form in self._nokeys else 0) | (SPACED if form in self._spaced else 0)
        ordered = self._spaced_sorted
        # the first multi-word key sorting after the form starts with it if any longer one does
        k = bisect_right(ordered, form)
        if k < len(ordered) and ordered[k].startswith(form):
            bits |= EXTENDS
        return bits

    def continuations(self, form: str) -> list[str]:
        """What the multi-word names' space-free keys that start with ``form`` and are longer have after it."""
        ordered = self._spaced_sorted
        out = []
        k = bisect_right(ordered, form)
        while k < len(ordered) and ordered[k].startswith(form):
            out.append(ordered[k][len(form):])
            k += 1
        return out

    def has(self, key: str) -> bool:
        """Would ``lookup([key])`` find any candidate? (answered from the in-memory index)"""
        if not key:
            return False
        if " " in key:
            return nospace(key) in self._spaced
        return key in self._nokeys

    def candidates(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        """``lookup(keys)`` through a cache shared by all documents (cleared when full): one batched query for the
        keys not cached.

        The lists returned are shared with the cache: callers must not change them.
        """
        cache = self._cache
        out: dict[str, list[Candidate]] = {}
        missing = []
        for key in keys:
            if key in out:
                continue
            got = cache.get(key)
            if got is None:
                if not self.has(key):
                    continue
                missing.append(key)
                continue
            if got:
                out[key] = got
        if missing:
            found = self.lookup(missing)
            if len(cache) + len(missing) > _CANDIDATES_CACHE:
                cache.clear()
            for key in missing:
                got = found.get(key, [])
                cache[key] = got
                if got:
                    out[key] = got
        return out

    def lookup(self, keys: Iterable[str]) -> dict[str, list[Candidate]]:
        """Candidates for each key (matched on the spaced key or the space-free key); keys without any are left out."""
        wanted = sorted(set(k for k in keys if k))
        found: dict[str, dict[int, Candidate]] = {}
        by_nospace: dict[str, list[str]] = {}
        for key in wanted:
            by_nospace.setdefault(nospace(key), []).append(key)
        squeezed_all = sorted(by_nospace)
        try:
            # Every spaced key also matches on its space-free form, so one indexed column answers both.
            for i in range(0, len(squeezed_all), _BATCH):
                batch = squeezed_all[i:i + _BATCH]
                rows = self.db.execute(
                    "SELECT n.key, n.pre, n.art, n.enc, n.curated, n.actor_code, p.* FROM names n JOIN places p USING (geonameid) "
                    f"WHERE n.nokey IN ({','.join('?' * len(batch))})",
                    batch,
                ).fetchall()
                for row in rows:
                    row_key, pre, art, enc, curated, actor = row[:6]
                    shape = (pre, bool(art), enc, bool(curated), actor)
                    for target in by_nospace[nospace(row_key)]:
                        if " " in target and " " not in row_key:
                            continue  # a one-word name is not two text words (بي جي ≠ بيجي); البوكمال = البو كمال is fine
                        cands = found.setdefault(target, {})
                        old = cands.get(row[6])
                        explicit = bool(curated) and bool(actor)
                        if old is None:
                            cands[row[6]] = replace(_candidate(row[6:], bool(curated), actor, (shape,)), explicit_actor=explicit)
                        else:
                            cands[row[6]] = replace(old, curated=old.curated or bool(curated), actor_code=old.actor_code or actor,
                                                    shapes=old.shapes + (shape,), explicit_actor=old.explicit_actor or explicit)
        except sqlite3.DatabaseError as exc:
            raise DataFileError(f"marsad gazetteer file {self.path} is unreadable or corrupt: {exc}") from exc
        return {k: list(v.values()) for k, v in found.items()}

    def lookup_skeleton(self, key: str) -> list[Candidate]:
        """Candidates whose name has the same consonant skeleton as ``key`` (a transliteration variant)."""
        skel = skeleton(key)
        if len(skel) < MIN_SKELETON:
            return []
        cache = self._skeleton_cache
        got = cache.get(skel)
        if got is not None:
            cache.move_to_end(skel)
            return list(got)
        got = self._lookup_skeleton(skel)
        cache[skel] = got
        if len(cache) > _SKELETON_CACHE:
            cache.popitem(last=False)
        return list(got)

    def _lookup_skeleton(self, skel: str) -> list[Candidate]:
        try:
            rows = self.db.execute(
                "SELECT n.key, n.pre, n.art, n.enc, n.curated, n.actor_code, p.* FROM names n JOIN places p USING (geonameid) "
                "WHERE n.skel = ?", (skel,)).fetchall()
        except sqlite3.DatabaseError as exc:
            raise DataFileError(f"marsad gazetteer file {self.path} is unreadable or corrupt: {exc}") from exc
        found: dict[int, Candidate] = {}
        for row in rows:
            shape = (row[1], bool(row[2]), row[3], bool(row[4]), row[5])
            old = found.get(row[6])
            found[row[6]] = replace(old, shapes=old.shapes + (shape,)) if old else _candidate(row[6:], bool(row[4]), row[5], (shape,))
        return list(found.values())

    def by_id(self, geonameid: int) -> Candidate | None:
        row = self.db.execute("SELECT * FROM places WHERE geonameid = ?", (geonameid,)).fetchone()
        return _candidate(row, False, None) if row else None

    def close(self) -> None:
        self.db.close()


def _candidate(row: tuple, curated: bool, actor: str | None, shapes: tuple = ()) -> Candidate:
    gid, name_en, name_ar, lat, lon, feature, kind, population, country, admin1, admin1_en = row
    return Candidate(gid, name_en, name_ar, lat, lon, feature or "PPL", kind or "town", population or 0,
                     country or "", admin1 or "", admin1_en or "", curated, actor, shapes)
