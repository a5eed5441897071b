"""The event lexicon: triggers, cue words and code tables, loaded once and indexed by matching form.

Every look-up the stage makes is a dict access on a token's ``norm`` (or a short tuple of norms): inflected
verb forms are generated here, at load time, from the stems in ``curated.toml`` / ``verbs.tsv`` and the affixes
in ``inflection.toml``, so no entry list is ever scanned per token.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from marsad.resources import DataFileError, data_path, load_toml
from marsad.text.normalise import matching_form
from marsad.text.tokens import matching_key


@dataclass(slots=True)
class Trigger:
    """One trigger entry (a verb, a noun or a phrase) with what it codes."""

    name: str  # the entry's lemma or phrase as written in the data file (provenance)
    cameo: str
    kind: str  # "verb", "noun" or "phrase"
    origin: str  # "curated" or "derived"
    objects: dict[str, str] = field(default_factory=dict)
    needs_object: bool = False
    source_kinds: frozenset[str] = frozenset()
    control: str = ""
    casualty: str = ""
    speech_act: bool = False
    statement: bool = False
    anaphoric: bool = False
    needs_source: bool = False
    genitive_patient: bool = False
    not_objects: frozenset[str] = frozenset()
    gloss: str = ""

    @property
    def pattern(self) -> str:
        return f"{self.origin}:{self.kind}:{self.name}"


@dataclass(slots=True)
class CodeInfo:
    cameo: str
    plover: str
    mode: str
    context: str
    name: str


def _keys(words: list[str] | str) -> list[tuple[str, ...]]:
    items = words.split() if isinstance(words, str) and " " not in words.strip() else ([words] if isinstance(words, str) else words)
    out = []
    for item in items:
        key = matching_key(item)
        if key:
            out.append(key)
    return out


def _norms(words) -> frozenset[str]:
    """Single-word cue lists: the content norm of each word (clitics dropped, as tokens are)."""
    out = set()
    for word in words:
        key = matching_key(word)
        if len(key) == 1:
            out.add(key[0])
        out.add(matching_form(word))
    return frozenset(out)


def _phrases(words) -> dict[str, list[tuple[str, ...]]]:
    """Multi-word cues indexed by their first word: {first norm: [full key, ...]} longest first."""
    index: dict[str, list[tuple[str, ...]]] = {}
    for word in words:
        key = matching_key(word)
        if key:
            index.setdefault(key[0], []).append(key)
    for keys in index.values():
        keys.sort(key=len, reverse=True)
    return index


class EventLexicon:
    version = "1"

    def __init__(self, directory: Path | None = None):
        base = directory or data_path("events")
        self.base = base
        self.inflection = load_toml(base / "inflection.toml")
        self.cues = load_toml(base / "cues.toml")
        self.words = load_toml(base / "words.toml")
        curated = load_toml(base / "curated.toml")
        # single-word triggers keyed by norm; multi-word triggers keyed by their first norm
        self.single: dict[str, list[Trigger]] = {}
        self.multi: dict[str, list[tuple[tuple[str, ...], Trigger]]] = {}
        self._load_curated(curated, base / "curated.toml")
        derived = curated.get("derived", {})
        self._load_derived(base / "verbs.tsv", frozenset(matching_form(w) for w in derived.get("drop", [])))
        for entries in self.multi.values():
            entries.sort(key=lambda e: len(e[0]), reverse=True)
        self.codes = self._load_codes(base / "cameo_plover.tsv")
        self.no_plover = {k: v for k, v in self.cues.get("no_plover", {}).items()}
        self._load_cues()

    # --- triggers ---------------------------------------------------------------------------------------
    def verb_forms(self, stem: str, imperfect: str | None = None) -> set[str]:
        stem = matching_form(stem)
        perf = self.inflection["perfect"]
        imp = self.inflection["imperfect"]
        forms = {stem + s for s in perf["suffixes"]}
        if stem[-1:] in perf.get("weak_final", []):
            forms |= {stem[:-1] + s for s in perf["suffixes"] if s}
        imp_stem = matching_form(imperfect) if imperfect else (stem[1:] if stem.startswith("ا") and len(stem) > 3 else stem)
        forms |= {p + imp_stem + s for p in imp["prefixes"] for s in imp["suffixes"]}
        return forms

    def _add_single(self, norm: str, trigger: Trigger) -> None:
        bucket = self.single.setdefault(norm, [])
        # curated entries come first and shadow derived ones with the same code
        if not any(t.cameo == trigger.cameo and t.name == trigger.name and t.kind == trigger.kind for t in bucket):
            bucket.append(trigger)

    def _add_phrase(self, key: tuple[str, ...], trigger: Trigger) -> None:
        if len(key) == 1:
            self._add_single(key[0], trigger)
        elif key:
            self.multi.setdefault(key[0], []).append((key, trigger))

    def _load_curated(self, spec: dict[str, Any], path: Path) -> None:
        for entry in spec.get("trigger", []):
            try:
                cameo = str(entry["cameo"])
            except KeyError as exc:
                raise DataFileError(f"marsad data file {path}: a [[trigger]] lacks {exc}") from exc
            common = dict(
                cameo=cameo,
                origin="curated",
                objects={matching_key(k)[0] if matching_key(k) else matching_form(k): str(v)
                         for k, v in entry.get("objects", {}).items()},
                needs_object=bool(entry.get("needs_object", False)),
                source_kinds=frozenset(entry.get("source_kinds", [])),
                control=entry.get("control", ""),
                casualty=entry.get("casualty", ""),
                speech_act=bool(entry.get("speech_act", False)),
                statement=bool(entry.get("statement", False)),
                anaphoric=bool(entry.get("anaphoric", False)),
                needs_source=bool(entry.get("needs_source", False)),
                genitive_patient=bool(entry.get("genitive_patient", False)),
                not_objects=frozenset(matching_form(w) for w in entry.get("not_objects", [])),
                gloss=entry.get("gloss", ""),
            )
            name = entry.get("verb") or (entry.get("forms") or entry.get("nouns") or entry.get("phrase"))[0]
            verb_forms: set[str] = set()
            if "verb" in entry:
                verb_forms |= self.verb_forms(entry["verb"], entry.get("imperfect"))
            verb_forms |= {matching_form(f) for f in entry.get("forms", [])}
            if verb_forms:
                trigger = Trigger(name=name, kind="verb", **common)
                for form in verb_forms:
                    self._add_single(form, trigger)
            if entry.get("nouns"):
                trigger = Trigger(name=entry["nouns"][0], kind="noun", **common)
                for noun in entry["nouns"]:
                    self._add_phrase(matching_key(noun), trigger)
            for phrase in entry.get("phrase", []):
                self._add_phrase(matching_key(phrase), Trigger(name=phrase, kind="phrase", **common))

    def _load_derived(self, path: Path, drop: frozenset[str]) -> None:
        """verbs.tsv rows with an object word become object-gated verb triggers (one per verb form)."""
        by_verb: dict[str, dict[str, str]] = {}
        try:
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("#") or not line.strip():
                        continue
                    verb, _particle, obj, cameo, _block = line.rstrip("\n").split("\t")
                    if not obj or verb in drop or len(verb) < 3:
                        continue
                    by_verb.setdefault(verb, {}).setdefault(obj, cameo)
        except (OSError, ValueError) as exc:
            raise DataFileError(f"marsad data file {path} is unreadable: {exc}") from exc
        for verb, objects in by_verb.items():
            trigger = Trigger(name=verb, cameo=next(iter(objects.values())), kind="verb", origin="derived",
                              objects=objects, needs_object=True)
            for form in self.verb_forms(verb):
                # a bare three-letter stem is as often a noun or particle (حسب، دعم، عبر) as the verb
                if form == verb and len(verb) <= 3:
                    continue
                if form not in self.single:  # curated forms win outright
                    self.single[form] = [trigger]

    @staticmethod
    def _load_codes(path: Path) -> dict[str, CodeInfo]:
        codes: dict[str, CodeInfo] = {}
        try:
            with path.open(encoding="utf-8") as handle:
                for line in handle:
                    if line.startswith("#") or not line.strip():
                        continue
                    cameo, plover, mode, context, name = (line.rstrip("\n").split("\t") + [""] * 5)[:5]
                    codes.setdefault(cameo, CodeInfo(cameo, plover, mode, context, name))
        except OSError as exc:
            raise DataFileError(f"marsad data file {path} is unreadable: {exc}") from exc
        return codes

    def code_info(self, cameo: str) -> CodeInfo:
        info = self.codes.get(cameo)
        if info:
            return info
        label = self.no_plover.get(cameo[:2])
        if label:
            return CodeInfo(cameo, label, "", "", label.lower())
        # a more specific code than the table lists falls back to its parent
        for cut in range(len(cameo) - 1, 2, -1):
            if cameo[:cut] in self.codes:
                parent = self.codes[cameo[:cut]]
                return CodeInfo(cameo, parent.plover, parent.mode, parent.context, parent.name)
        return CodeInfo(cameo, "", "", "", "")

    # --- cue words --------------------------------------------------------------------------------------
    def _load_cues(self) -> None:
        c, w = self.cues, self.words
        self.clause_punct = frozenset(c["clause"]["punct"])
        self.clause_markers = _phrases(c["clause"]["markers"])
        sp = c["speech"]
        self.speech_verbs = _norms(sp["verbs"])
        self.participles = _norms(sp["participles"])
        self.continuing = _norms(sp["continuing"])
        self.complementizers = _norms(sp["complementizers"])
        self.not_complement_after = _norms(sp.get("not_complement_after", []))
        self.min_quote_words = int(sp.get("min_quote_words", 3))
        self.relatives = _norms(sp["relatives"])
        at = c["attribution"]
        self.attribution = _phrases(at["frames"])
        self.denial = _norms(at["denial"])
        mo = c["modality"]
        self.modality_window = int(mo.get("window", 4))
        self.planned = _phrases(mo["planned"])
        self.plan_nouns = _norms(mo.get("plan_nouns", []))
        self.hypothetical = _phrases(mo["hypothetical"])
        self.conditional = _phrases(mo["conditional"])
        self.negation_verbal = _norms(mo["negation_verbal"])
        self.negation_nominal = _norms(mo["negation_nominal"])
        self.state = _phrases(mo["state"])
        self.blocked_after = _norms(mo.get("blocked_after", []))
        ac = c["actors"]
        self.allies = tuple(sorted(_norms(ac["allies"]), key=len, reverse=True))
        self.prepositions = _norms(ac["prepositions"])
        self.comitative = _norms(ac["with"])
        self.compass_words = _norms(ac.get("compass", []))
        self.support_verbs = _norms(ac.get("support_verbs", []))
        self.agent_markers = _phrases(ac.get("agent_markers", []))
        self.unit_nouns = _norms(ac.get("unit_nouns", []))
        self.fire_markers = _norms(ac.get("fire_markers", []))
        self.resumptive_verbs = _norms(ac.get("resumptive_verbs", []))
        self.resumptive_whole = _norms(ac.get("resumptive_whole", []))
        self.attributed = _phrases(ac.get("attributed", []))
        self.responsibility = _norms(ac.get("responsibility", []))
        self.report_verbs = _norms(ac.get("report_verbs", []))
        self.possessed_forces = _norms(ac.get("possessed_forces", []))
        self.role_nouns = _norms(ac["role_nouns"])
        pl = c["places"]
        self.place_precision = {kind: level for level in ("exact", "near", "region", "country") for kind in pl[level]}
        self.focal_categories = frozenset(pl["focal_categories"])
        self.locative_heads = _norms(pl.get("locative_heads", []))
        self.subsume = {k: frozenset(v) for k, v in c.get("subsume", {}).items()}

        self.nisba: dict[str, dict[str, str]] = {}
        for forms, info in w["nisba"].items():
            for form in forms.split():
                for key in {matching_form(form), *(matching_key(form) or ())}:
                    self.nisba[key] = dict(info)
        self.anonymous = {matching_form(f): en for forms, en in w["anonymous"].items() for f in forms.split()}
        self.titles = _norms(w["titles"]["words"])
        self.share = {matching_form(k): v for k, v in w["share"].items()}
        self.compass = {matching_form(f): en for forms, en in w["compass"].items() for f in forms.split()}
        self.numbers = {matching_form(f): int(v) for forms, v in w["numbers"].items() for f in forms.split()}
        self.vague = {matching_form(f): (int(v[0]), int(v[1])) for forms, v in w["vague"].items() for f in forms.split()}
        self.qualifiers = _phrases(list(w["qualifiers"]))
        self.qualifier_value = {matching_key(k): v for k, v in w["qualifiers"].items()}
        self.participants = {matching_form(f): dict(info) for forms, info in w.get("participants", {}).items()
                             for f in forms.split()}
        self.default_source = {k: dict(v) for k, v in w.get("default_source", {}).items()}
        self.partitive = _norms(w.get("partitive", {}).get("words", []))
        self.opposition_adjectives = _norms(w.get("opposition_adjectives", {}).get("words", []))
        self.coming = _norms(w.get("coming", {}).get("words", []))
        self.people = {matching_form(f): side for forms, side in w["people"].items() for f in forms.split()}

    def is_future(self, norm: str) -> bool:
        """سيتناول / ستعقد left whole by the tokeniser: the future س when the rest is a known word and the
        whole is not (سيطرت and سيارة are words of their own)."""
        if len(norm) < 5 or norm[0] != "س" or norm[1] not in "يتنا":
            return False
        from marsad.text.tokens import default_splitter

        freq = default_splitter().freq
        rest = freq.get(norm[1:], 0)
        if norm[1] == "ت":  # ستتناول: the masculine يتناول may be the attested form
            rest = max(rest, freq.get("ي" + norm[2:], 0))
        return rest > 0 and rest >= freq.get(norm, 0)


@lru_cache(maxsize=1)
def default_lexicon() -> EventLexicon:
    return EventLexicon()
