"""Toponym finding and resolution over the tokens layer.

1. Mentions: longest match of consecutive content pieces (WORD/NUM; clitics and article skipped, as in
   ``matching_key``) against the gazetteer; plus the dateline's place, entities LOC spans and trigger nouns before
   unknown names (kept unresolved). One pass over the pieces' forms against the gazetteer's in-memory index of
   space-free keys (``Gazetteer.flags``: a piece that starts no name costs one dict look-up, read for all pieces at
   once by ``map``); only the keys that do name a place are looked up, in one batched query per article for those
   not already cached, and read through each text form's shape once (``_fitted``, cached).
2. Resolution: every candidate is scored by feature prior, population, the trigger noun, the countries and
   divisions the article names, proximity to the article's other places and curated status; the winner, the
   runners-up and the reasons are recorded. Distances are remembered per pair of places, the other places are
   taken once per place, and mentions of one name read alike are scored once.
3. Roles: dateline, in_name (عملية جنيف), metonym (a capital or seat of government standing for its government).
"""
from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from marsad.document import Document, Provenance, Span
from marsad.memo import Memo
from marsad.places.gazetteer import EXTENDS, ONE_PIECE, SPACED, Candidate, Gazetteer, fit
from marsad.resources import DataFileError, data_path, load_toml
from marsad.text.normalise import matching_form, matching_form_with_map
from marsad.text.tokens import Tokeniser, default_splitter

_CONTENT = frozenset({"WORD", "NUM"})
_CLITIC = frozenset({"PRO", "ART", "ENC"})
_RUNNERS_UP = 3
_TANWEEN = frozenset("\u064b\u064c\u064d")
# (prefix of an unsplit word, proclitics it stands for, article) — longest first
# (ك "like" is left out: كوين is not ك + Wien)
_UNSPLIT_PREFIXES = (("وال", "و", True), ("فال", "ف", True), ("بال", "ب", True), ("لل", "ل", True), ("ال", "", True),
                     ("و", "و", False), ("ف", "ف", False), ("ب", "ب", False), ("ل", "ل", False))
_PREFIX_LETTERS = frozenset(prefix[0] for prefix, _, _ in _UNSPLIT_PREFIXES)
_FITTED_CACHE = 50_000  # (key, proclitics, article, ending) readings remembered across documents (cleared when full)
_KM_CACHE = 200_000  # distances remembered (cleared when full)
_NAME_BITS = ONE_PIECE | SPACED | EXTENDS
_MAY_BE_UNSPLIT = 8  # a rare word starting with a clitic letter: maybe a word the tokeniser left whole (وقم)
_TRIGGER = 16  # a trigger noun (see _unknown_after_triggers)
class _FormInfo(Memo):
    """form -> its gazetteer flags | _MAY_BE_UNSPLIT, computed on a miss and remembered."""

    def __init__(self, flags, freq: dict[str, int], rare: int, triggers: dict[str, str]):
        super().__init__()
        self.flags, self.freq, self.rare, self.triggers = flags, freq, rare, triggers

    def compute(self, form: str) -> int:
        bits = self.flags(form)
        if form[0] in _PREFIX_LETTERS and self.freq.get(form, 0) < self.rare:
            bits |= _MAY_BE_UNSPLIT
        if form in self.triggers:
            bits |= _TRIGGER
        return bits


class _NextLetters(Memo):
    """form -> the first one and two letters of what the multi-word keys starting with it have after it
    (``Gazetteer.continuations``), worked out on a miss and remembered: the next piece's first two letters must be
    among them for the two pieces to start or make a name, so most pairs are turned away without building the
    joined form."""

    def __init__(self, gazetteer: Gazetteer):
        super().__init__()
        self.gazetteer = gazetteer

    def compute(self, form: str) -> frozenset[str]:
        return frozenset(r[:k] for r in self.gazetteer.continuations(form) for k in (1, 2))


@dataclass(slots=True)
class Mention:
    start: int  # offsets into the text
    end: int
    first: int  # index range [first, last] into the content-piece list (−1 when not from pieces)
    last: int
    key: str
    candidates: list[Candidate]
    rule: str
    trigger: str | None = None  # kind announced by a trigger noun
    trigger_text: str | None = None
    role: str | None = None
    vouched: bool = False  # a trigger noun, the dateline or an entities LOC span of exactly this name says it is a place
    text_art: bool = False  # the text form carries the article
    text_enc: str = ""  # the ending the tokeniser split off the text form
    own_country: str | None = None  # what this mention adds to the article context (not counted for itself)
    own_admin1: str | None = None
    set_aside: int = 0  # candidates judged implausible here (reported when none is left)
    scores: dict[int, tuple[float, list[str]]] = field(default_factory=dict)


def _haversine_km(a: Candidate, b: Candidate) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _anchor_pool(winners: dict[int, Candidate], result: list[Mention]) -> list[tuple[int, str, Candidate]]:
    """(mention index, mention key, winner) of the winners that have a point, in the winners' order."""
    return [(k, result[k].key, w) for k, w in winners.items() if w.lat is not None]


def _anchors(pool: list[tuple[int, str, Candidate]], index: int, key: str) -> list[Candidate]:
    """The winners of the other mentions (not of this name) that have a point, one per place, first seen first.

    The mention's own winner is always left out by its key, so the list is the same for every mention of a key.

    (The nearest of them is the first nearest of all such winners: a place met twice is as far both times.)
    """
    seen: set[int] = set()
    out = []
    for k, k_key, w in pool:
        if k != index and k_key != key and w.geonameid not in seen:
            seen.add(w.geonameid)
            out.append(w)
    return out


class PlaceResolver:
    def __init__(self, gazetteer: Gazetteer | None = None, rules_file: str | Path | None = None):
        self.gazetteer = gazetteer or Gazetteer()
        path = Path(rules_file) if rules_file else data_path("places/rules.toml")
        rules = load_toml(path)
        try:
            mf = matching_form
            self.triggers = {mf(k): v for k, v in rules["triggers"].items() if isinstance(v, str)}
            self.span_includes = {mf(w) for w in rules["triggers"]["span_includes"]}
            self.definite_ok = {mf(w) for w in rules["triggers"]["definite_ok"]}
            self.in_name_heads = {mf(w) for w in rules["in_name"]["heads"]}
            self.locative_before = {mf(w) for w in rules["metonym"]["locative_before"]}
            self.locative_proclitics = {mf(w) for w in rules["metonym"]["locative_proclitics"]}
            self.cues_before = {mf(w) for w in rules["metonym"]["cues_before"]}
            self.s = {k: float(v) for k, v in rules["scores"].items()}
            filters = rules["filters"]
            self.minor_population = int(filters["minor_population"])
            self.major_population = int(filters["major_population"])
            self.rare_word_count = int(filters["rare_word_count"])
            self.common_word_count = int(filters["common_word_count"])
            self.article_toggle_count = int(filters["article_toggle_count"])
            words = filters["common_words"] + filters["function_words"]
            self.common_keys = {" ".join(_content_norms(w)) for w in words} | {mf(w) for w in words}
            self.division_triggers = {mf(w) for w in rules["triggers"]["division_words"]}
            # words before a name that _read_trigger acts on (a trigger's article may be split off: العاصمة)
            self.before_name = self.in_name_heads | set(self.triggers) | {t[2:] for t in self.triggers if t.startswith("ال")}
            self.wordlike_count = int(filters["wordlike_count"])
            self.max_pieces = int(filters["max_name_pieces"])
            self.far_km = float(filters["far_km"])
            self.home_countries = frozenset(filters["home_countries"])
        except (KeyError, TypeError, ValueError) as exc:
            raise DataFileError(f"marsad data file {path} lacks or mistypes {exc}") from exc
        self.freq = default_splitter().freq
        self._km_cache: dict[tuple[int, int], float] = {}
        self._form_info = _FormInfo(self.gazetteer.form_flags, self.freq, self.rare_word_count, self.triggers)
        self._next_letters = _NextLetters(self.gazetteer)
        self._fitted_cache: dict[tuple[str, str, bool, str], list[Candidate]] = {}

    def _fitted(self, key: str, found: dict[str, list[Candidate]], pre: str, art: bool, enc: str) -> list[Candidate]:
        """The candidates of ``key`` read through the names whose shape the text form has (see ``fit``); remembered.

        The list is shared with the cache: callers copy it before changing it. (``find`` reads the cache itself
        and calls this on a miss.)
        """
        cache = self._fitted_cache
        ck = (key, pre, art, enc)
        got = cache.get(ck)
        if got is not None:
            return got
        got = [f for c in found.get(key, ()) if (f := fit(c, pre, art, enc))]
        if len(cache) >= _FITTED_CACHE:
            cache.clear()
        cache[ck] = got
        return got

    # --- mentions ---------------------------------------------------------------------------------------
    def find(self, doc: Document, tokens: list[Span]) -> list[Mention]:
        text = doc.text
        where = list(compress(range(len(tokens)), map(_CONTENT.__contains__, map(_label, tokens))))
        pieces: list[Span] = list(itemgetter(*where)(tokens)) if len(where) > 1 else [tokens[k] for k in where]
        norms = list(map(_norm, map(_attrs, pieces)))
        if "" in norms:  # a bare tatweel has no norm: not a piece
            kept = [i for i, norm in enumerate(norms) if norm]
            where, pieces, norms = [where[i] for i in kept], [pieces[i] for i in kept], [norms[i] for i in kept]
        n = len(where)
        words = _Words(tokens, where)  # piece index -> the pieces of its orthographic word, found on demand
        gazetteer, flags, freq, max_pieces = self.gazetteer, self.gazetteer.flags, self.freq, self.max_pieces
        next_letters, before_name = self._next_letters, self.before_name
        known = gazetteer.flag_memo  # form -> flags(form), for the forms met before: one dict look-up
        adjacent: list[bool | None] = [None] * n  # k -> pieces k-1 and k belong to one name (computed on demand)

        def extend(i: int, j: int, form: str, ends: list[int]) -> None:
            """Add to ``ends`` the ends of the longer keys of pieces i..j+1, i..j+2… (``form``: pieces i..j, with
            EXTENDS) that have candidates: consecutive adjacent pieces, at most max_pieces from i."""
            top = min(i + max_pieces, n) - 1
            while j < top:
                joined = adjacent[j + 1]
                if joined is None:
                    a, b = pieces[j], pieces[j + 1]
                    # one space between them (the usual case) is always a join; otherwise ask _adjacent
                    joined = adjacent[j + 1] = text[a.end:b.start] == " " or _adjacent(text, tokens, a, b)
                if not joined:
                    break
                j += 1
                form += norms[j]
                bits = known.get(form)
                if bits is None:
                    bits = flags(form)
                if bits & SPACED:
                    ends.append(j)
                if not bits & EXTENDS:
                    break

        def spans_from(i: int, first: str, first_bits: int) -> list[int]:
            """Ends j of the keys (pieces i..j, the first piece's form replaced by ``first``) that have candidates.

            The keys are those of consecutive adjacent pieces, at most max_pieces of them; a key of one piece matches
            a name's space-free key, a longer one a multi-word name's (a one-word name is not two text words).
            """
            ends = [i] if first_bits & ONE_PIECE else []
            if first_bits & EXTENDS:
                extend(i, i, first, ends)
            return ends

        # Candidate keys: those of pieces i..j, or of the v-th clitic-stripped reading of piece i followed by pieces
        # i+1..j, that the gazetteer has candidates for. Words the tokeniser left whole although they start with a clitic (وقم, للبرتغال: the stem is too rare
        # in its vocabulary to justify a split) get their clitic-stripped readings too.
        variants: dict[int, list[tuple[str, str, bool, str]]] = {}  # (stem, proclitics, article, prefix)
        # i -> (j, v, key) of the keys of pieces i..j that have candidates: v = -1 for the plain key, else the
        # index of the clitic-stripped reading of piece i it starts with
        keys_at: dict[int, list[tuple[int, int, str]]] = {}
        last_token = len(tokens) - 1
        # What each piece's form may start (its flags, and whether it may be a word left whole with a clitic), read
        # for all pieces at C speed; only the pieces that may start something are visited.
        info = list(map(self._form_info.__getitem__, norms))
        trigger_at = []  # pieces that are trigger nouns
        for i in compress(range(n), info):
            norm, bits = norms[i], info[i]
            if bits & _TRIGGER:
                trigger_at.append(i)
            if bits & EXTENDS:
                # spans_from(i, norm, bits) inlined for the first added piece, where most forms stop
                ends = [i] if bits & ONE_PIECE else []
                # the next piece can add to the name only if some multi-word key goes on with its first letters
                if i + 1 < n and max_pieces > 1 and norms[i + 1][:2] in next_letters[norm]:
                    joined = adjacent[i + 1]
                    if joined is None:
                        a, b = pieces[i], pieces[i + 1]
                        joined = adjacent[i + 1] = text[a.end:b.start] == " " or _adjacent(text, tokens, a, b)
                    if joined:
                        form = norm + norms[i + 1]
                        more = known.get(form)
                        if more is None:
                            more = flags(form)
                        if more & SPACED:
                            ends.append(i + 1)
                        if more & EXTENDS:
                            extend(i, i + 1, form, ends)
                if ends:
                    keys_at[i] = [(j, -1, norm if j == i else " ".join(norms[i:j + 1])) for j in ends]
            elif bits & ONE_PIECE:
                keys_at[i] = [(i, -1, norm)]
            if not bits & _MAY_BE_UNSPLIT or pieces[i].label != "WORD":
                continue  # فرقة is a word, not ف + الرقة
            k, w = where[i], pieces[i].attrs["w"]
            if (k > 0 and tokens[k - 1].attrs["w"] == w) or (k < last_token and tokens[k + 1].attrs["w"] == w):
                continue  # not a word left whole
            readings = variants[i] = [(norm[len(prefix):], pre, art, prefix) for prefix, pre, art in _UNSPLIT_PREFIXES
                                      if norm.startswith(prefix) and len(norm) - len(prefix) >= 2]
            # و/ب/ف/ل + stem only for a word the vocabulary has never seen (ولحج, وقم): وجده (he found it) and
            # وجيزة (brief) are words, not و + جدة / الجيزة; article readings (للبرتغال) may be a little known
            unseen = freq.get(norm, 0) == 0
            for v, (stem, _, art, _) in enumerate(readings):
                if not (art or unseen):
                    continue
                bits = flags(stem)
                if bits:
                    for j in spans_from(i, stem, bits):
                        keys_at.setdefault(i, []).append((j, v, stem if j == i else " ".join([stem] + norms[i + 1:j + 1])))
        extra = self._extra_spans(doc)
        extra_keys = {}
        for s in extra:
            lo = hi = bisect_left(pieces, s.start, key=_start)
            while hi < n and pieces[hi].end <= s.end:  # pieces do not overlap: their ends rise with their starts
                hi += 1
            extra_keys[id(s)] = " ".join(norms[lo:hi])
        wanted = [key for at_i in keys_at.values() for _, _, key in at_i]
        found = gazetteer.candidates(wanted + list(extra_keys.values()))

        mentions: list[Mention] = []
        free = 0  # the first piece no mention has taken
        fitted, fitted_cache = self._fitted, self._fitted_cache
        for i, at_i in keys_at.items():  # in rising i
            if i < free:
                continue
            taken = None
            k = where[i]
            if k == 0 or tokens[k - 1].attrs["w"] != pieces[i].attrs["w"]:
                text_pre, text_art = "", False  # nothing before the piece in its word (words.shape, at once)
            else:
                text_pre, text_art = words.shape(i)
            if len(at_i) > 1:
                # longest first; at one end the plain key first, then the clitic-stripped readings in order
                at_i = sorted(at_i, key=lambda e: (-e[0], e[1]))
            ending_of = -1
            for j, v, key in at_i:
                if j != ending_of:
                    k = where[j]
                    if k == last_token or tokens[k + 1].attrs["w"] != pieces[j].attrs["w"]:
                        ending_of, text_enc = j, ""  # nothing after the piece in its word (words.ending, at once)
                    else:
                        ending_of, text_enc = j, words.ending(j)
                if v < 0:
                    cands = fitted_cache.get((key, text_pre, text_art, text_enc))
                    if cands is None:
                        cands = fitted(key, found, text_pre, text_art, text_enc)
                    if cands:
                        taken = (j, key, cands, 0)
                        break
                else:
                    _, pre, art, prefix = variants[i][v]
                    cands = fitted(key, found, pre, art, text_enc)
                    if cands:
                        # the span starts after the conjunction/preposition (and after لل, as the tokeniser would)
                        skip = len(prefix) if prefix == "لل" else len(pre)
                        taken = (j, key, cands, skip)
                        break
            if taken is None:
                continue
            j, key, cands, skip = taken
            start = words.word_start(i)
            if skip:
                _, index_map = matching_form_with_map(text[pieces[i].start:pieces[i].end])
                start = pieces[i].start + index_map[skip]
            if not _TANWEEN.isdisjoint(text[pieces[i].start:pieces[j].end]):
                free = j + 1  # دوماً (always) is an adverb: names take no tanween
                continue
            # the ending belongs to the name when it matched (أبها, not أب + ها): the span keeps it
            end = max(p.end for p in words.of(j)) if text_enc else pieces[j].end
            mention = Mention(start, end, i, j, key, list(cands), "gazetteer", text_art=text_art, text_enc=text_enc)
            if i > 0 and norms[i - 1] in before_name:  # else _read_trigger has nothing to read
                self._read_trigger(doc, tokens, pieces, words, mention)
            mentions.append(mention)
            free = j + 1

        mentions += self._unknown_after_triggers(doc, tokens, pieces, words, mentions, found, norms, trigger_at)
        # the mentions found so far by start (with the longest one's length, to bound a backward scan), and those
        # the extra spans add below
        ordered = sorted(mentions, key=_start)
        ordered_starts = [m.start for m in ordered]
        longest = max((m.end - m.start for m in ordered), default=0)
        added: list[Mention] = []
        for span in extra:
            overlapping = [m for m in added if m.start < span.end and span.start < m.end]
            k = bisect_left(ordered_starts, span.end) - 1  # ordered[:k + 1] start before the span ends
            while k >= 0 and ordered_starts[k] + longest > span.start:
                if span.start < ordered[k].end:
                    overlapping.append(ordered[k])
                k -= 1
            if overlapping:
                lo = bisect_left(tokens, span.start, key=_start)
                hi = bisect_left(tokens, span.end, lo=lo, key=_start)
                last_word = max((t.attrs["w"] for t in tokens[lo:hi]), default=None)
                for m in overlapping:
                    if span.label == "DATELINE":
                        m.role, m.vouched = "dateline", True
                    elif m.first >= 0 and pieces[m.last].attrs["w"] == last_word and m.start <= span.start + 2:
                        # the LOC span is this name (give or take a proclitic): it vouches for it; a name inside a
                        # longer LOC (جامع ابن طولون, الاتحاد السوفييتي) is not vouched for as a place of its own
                        m.vouched = True
                continue
            key = extra_keys[id(span)]
            rule = "dateline" if span.label == "DATELINE" else "entities-LOC"
            cands = list(found.get(key, ()))
            if not cands and key:
                # a vouched-for name the gazetteer spells otherwise: its transliteration variants, notable ones only
                variants_found = sorted((c for c in self.gazetteer.lookup_skeleton(key) if not self._minor(c)),
                                        key=lambda c: -c.population)
                # only a clear variant: two comparable places behind one skeleton would make it a guess
                clear = len(variants_found) == 1 or (
                    len(variants_found) > 1 and variants_found[0].population >= 3 * variants_found[1].population)
                cands = variants_found[:1] if clear else []
                rule += "+spelling-variant" if cands else ""
            m = Mention(span.start, span.end, -1, -1, key, cands, rule, vouched=True)
            if span.label == "DATELINE":
                m.role, m.vouched = "dateline", True
            mentions.append(m)
            added.append(m)
        mentions.sort(key=lambda m: m.start)
        return mentions

    def _extra_spans(self, doc: Document) -> list[Span]:
        """The dateline's place and entities LOC spans, as spans over the place name."""
        spans = []
        for s in doc.layer("clean"):
            if s.label == "DATELINE" and "place_start" in s.attrs:
                place = doc.text[int(s.attrs["place_start"]):int(s.attrs["place_end"])]
                if len(place.split()) > 3 or place.startswith("و "):
                    continue  # not a place name (و تضم اللجنة): the dateline pattern caught a sentence start
                spans.append(Span(int(s.attrs["place_start"]), int(s.attrs["place_end"]), "DATELINE"))
        spans += [s for s in doc.layer("entities") if s.label == "LOC"]
        return spans

    def _read_trigger(self, doc: Document, tokens: list[Span], pieces: list[Span], words: "_Words", m: Mention) -> None:
        if m.first <= 0:
            return
        prev = pieces[m.first - 1]
        norm = prev.attrs["norm"]
        if norm not in self.before_name:
            return  # neither a name head nor a trigger noun, with or without the article: nothing to read
        if not _adjacent(doc.text, tokens, prev, pieces[m.first]):
            return
        definite = any(p.label == "ART" for p in words.of(m.first - 1))
        if norm in self.in_name_heads and not definite:
            m.role = "in_name"
            return
        candidates = {norm, "ال" + norm} if definite else {norm}
        kind = next((self.triggers[c] for c in candidates if c in self.triggers and (not definite or c in self.definite_ok)), None)
        if kind is None:
            return
        m.trigger, m.trigger_text, m.vouched = kind, doc.text[prev.start:prev.end], True
        if norm in self.span_includes:
            m.start = _word_start(words.of(m.first - 1), prev)

    def _unknown_after_triggers(self, doc, tokens, pieces, words, mentions, found, norms, at) -> list[Mention]:
        """A trigger noun before a name the gazetteer lacks: a PLACE mention left unresolved (never guessed).

        ``at``: the indexes of the pieces that are trigger nouns, rising."""
        if not at:
            return []
        covered = set()
        for m in mentions:
            covered.update(range(m.first, m.last + 1))
        out = []
        for i in at:
            if i + 1 >= len(pieces):
                break
            piece, norm = pieces[i], norms[i]
            nxt = pieces[i + 1]
            if i + 1 in covered or i in covered:
                continue
            if any(p.label == "ART" for p in words.of(i)) and ("ال" + norm) not in self.definite_ok:
                continue
            if not _adjacent(doc.text, tokens, piece, nxt) or nxt.label != "WORD":
                continue
            if any(p.label == "ENC" for p in words.of(i)) or any(p.label == "PRO" for p in words.of(i + 1)):
                continue  # ولايته (his term), قرية واحدة: not a trigger before a name
            first_norm = nxt.attrs["norm"]
            nxt_definite = any(p.label == "ART" for p in words.of(i + 1))
            if self.freq.get(first_norm, 0) >= self.rare_word_count or not _arabic(first_norm) \
                    or (not nxt_definite and first_norm.endswith("يه")) or first_norm in self.common_keys:
                continue  # an ordinary word or adjective (مدينة كبيرة, عاصمة خليجية), not a name
            last = i + 1
            if i + 2 < len(pieces) and _adjacent(doc.text, tokens, nxt, pieces[i + 2]) \
                    and pieces[i + 2].label == "WORD" and self.freq.get(pieces[i + 2].attrs["norm"], 0) < self.rare_word_count \
                    and any(p.label == "ART" for p in words.of(i + 2)) and i + 2 not in covered:
                last = i + 2  # a two-word name: دير حافر, كفر النبل
            start = _word_start(words.of(i), piece) if norm in self.span_includes else _word_start(words.of(i + 1), nxt)
            key = " ".join(p.attrs["norm"] for p in pieces[i + 1:last + 1])
            m = Mention(start, pieces[last].end, i + 1, last, key, list(found.get(key, ())), "trigger-unknown-name",
                        trigger=self.triggers[norm], trigger_text=doc.text[piece.start:piece.end], vouched=True)
            out.append(m)
            covered.update(range(i + 1, last + 1))
        return out

    # --- resolution -------------------------------------------------------------------------------------
    def _minor(self, c: Candidate) -> bool:
        return not c.curated and c.kind not in ("country", "governorate", "continent") \
            and c.population < self.minor_population and not (c.feature == "PPLC" and c.country in self.home_countries)

    def _prior(self, c: Candidate) -> float:
        s = self.s
        if c.kind == "country":
            base = s["country"]
        elif c.kind == "governorate":
            base = s["governorate"]
        elif c.feature == "PPLC":
            base = s["capital"]
        elif c.feature == "PPLA":
            base = s["admin_seat"]
        elif c.feature in ("PPLA2", "PPLA3"):
            base = s["district_seat"]
        elif c.geonameid < 0:
            base = s["curated_place"]
        else:
            base = s["populated"]
        return base + (s["curated"] if c.curated else 0.0) + s["population_weight"] * math.log10(c.population + 1)

    def resolve(self, doc: Document, mentions: list[Mention]) -> list[Mention]:
        # Function words and the listed common nouns are never places on their own, not after a trigger noun
        # (بلدة كان على, ريف مدينة الرقاب) nor when the entities stage tags them LOC (the anaphoric المدينة).
        # (a name the tokeniser split an ending off is not that word: أبها = اب + ها is Abha, آب is August)
        mentions = [m for m in mentions if m.key not in self.common_keys or m.text_enc]
        # Article context comes from mentions that are places whatever else they match: countries, divisions,
        # curated names, and mentions a trigger noun, the dateline or an entities LOC span vouch for.
        countries: dict[str, int] = {}
        admin1s: dict[str, int] = {}
        for m in mentions:
            reliable = [c for c in m.candidates if c.kind in ("country", "governorate", "continent") or c.curated or
                        c.population >= self.major_population or (m.vouched and not self._minor(c))
                        or (c.country in self.home_countries and not self._minor(c))]
            codes = {c.country for c in reliable if c.country}
            if len(codes) == 1:
                m.own_country = codes.pop()
                countries[m.own_country] = countries.get(m.own_country, 0) + 1
            admins = {c.admin1 for c in reliable if c.admin1 and c.kind == "governorate"}
            if len(admins) == 1:
                m.own_admin1 = admins.pop()
                admin1s[m.own_admin1] = admin1s.get(m.own_admin1, 0) + 1

        result = []
        for m in mentions:
            before = len(m.candidates)
            m.candidates = [c for c in m.candidates if self._admissible(m, c, countries)]
            m.set_aside = before - len(m.candidates)
            if not m.candidates and not m.vouched:
                continue  # a common word that only names far-away places: not a place mention here
            result.append(m)
        # Two rounds: the second adds proximity to the first round's winners of the other mentions.
        winners: dict[int, Candidate] = {}
        scored: dict[tuple, tuple[float, list[str]]] = {}  # the candidates stay alive meanwhile: id() is theirs
        for round_ in (0, 1):
            new_winners = {}
            pool = _anchor_pool(winners, result)
            by_key: dict[str, list[Candidate]] = {}  # a mention's anchors depend only on its key (see _anchors)
            for index, m in enumerate(result):
                anchors = by_key.get(m.key) if round_ else []
                if anchors is None:
                    anchors = by_key[m.key] = _anchors(pool, index, m.key)
                # mentions of one name read alike score alike: each (round, name, reading, candidate) scored once
                scores = {}
                for c in m.candidates:
                    ck = (round_, m.key, m.trigger, m.trigger_text, m.role, m.own_country, m.own_admin1, id(c))
                    got = scored.get(ck)
                    if got is None:
                        got = scored[ck] = self._score(m, c, countries, admin1s, anchors, round_)
                    scores[c.geonameid] = got
                m.scores = scores
                if m.scores:
                    new_winners[index] = max(m.candidates, key=lambda c: (m.scores[c.geonameid][0], c.population))
            winners = new_winners
        # Never a far-away guess: a small place chosen in a country the article does not name, far from every
        # other place it names (قرية العقبة near Nablus is not the Yemeni hamlet), is set aside.
        pool: list | None = None
        by_key = {}
        for index, m in enumerate(result):
            while index in winners:
                best = winners[index]
                named = countries.get(best.country, 0) - (best.country == m.own_country) > 0
                if not self._minor(best) or best.lat is None or named:
                    break
                anchors = by_key.get(m.key)
                if anchors is None:
                    if pool is None:
                        pool = _anchor_pool(winners, result)  # again after a winner changed
                    anchors = by_key[m.key] = _anchors(pool, index, m.key)
                if not anchors or min(self._km(a, best) for a in anchors) <= self.far_km:
                    break
                m.candidates = [c for c in m.candidates if c.geonameid != best.geonameid]
                m.set_aside += 1
                pool, by_key = None, {}
                if m.candidates:
                    winners[index] = max(m.candidates, key=lambda c: (m.scores[c.geonameid][0], c.population))
                else:
                    del winners[index]
        return result

    def _admissible(self, m: Mention, c: Candidate, countries: dict[str, int]) -> bool:
        """Is ``c`` a reading worth scoring at all? Keeps namesakes of common words and far-away places out."""
        if c.kind in ("country", "continent", "sea", "region", "building") or (c.feature == "PPLC" and c.curated):
            return True
        in_context = countries.get(c.country, 0) - (c.country == m.own_country) > 0
        if not m.vouched and " " not in m.key and self._common_word(m):
            return False  # صور (pictures), السلطات, نساء (women = Nassau): a word first, a place only when vouched for
        if c.curated:
            return True  # a deliberate reading, once it is not an ordinary word here (الميادين, the squares)
        if c.kind == "governorate":
            # محافظة الأنبار / منطقة حائل carry their own trigger; a bare الجوف needs its country in the article
            own_trigger = m.key.split(" ")[0] in self.division_triggers and not m.text_art
            return own_trigger or m.vouched or in_context
        home = c.country in self.home_countries
        if (c.feature == "PPLC" and (home or c.population >= self.minor_population)) or c.population >= self.major_population:
            return True  # a capital (not of a micro-state: دوغلاس is a surname first) or a large city
        if not m.vouched and " " not in m.key and self._wordlike(m) and not in_context:
            return False  # معسكر (a camp), سعيدة (happy): a place of that name only where the article is about its country
        if self._minor(c):
            # Small places only with a trigger noun, the dateline or an entities LOC span, and near home.
            return m.vouched and (in_context or home or c.feature in ("PPLA", "PPLA2"))  # البندقية: a seat
        if m.vouched:
            return True
        # Mid-sized places: Arabic names of places in Arabic-speaking countries are native; elsewhere they are
        # transliterations that collide with Arabic words (كان = Caen), so the article must name that country.
        return home or in_context

    def _wordlike(self, m: Mention) -> bool:
        """Does the mention's word occur in ordinary text at all (with or without the article)?"""
        own = ("ال" if m.text_art else "") + m.key
        toggled = m.key if m.text_art else "ال" + m.key
        return self.freq.get(own, 0) + self.freq.get(toggled, 0) >= self.wordlike_count

    def _common_word(self, m: Mention) -> bool:
        """Is the mention's one word frequent as it stands, or common with/without the article (صور/الصور)?"""
        own = ("ال" if m.text_art else "") + m.key
        toggled = m.key if m.text_art else "ال" + m.key
        return self.freq.get(own, 0) >= self.common_word_count or self.freq.get(toggled, 0) >= self.article_toggle_count

    def _km(self, a: Candidate, b: Candidate) -> float:
        """``_haversine_km(a, b)``, remembered per pair of places (a place's point is the same in every reading)."""
        key = (a.geonameid, b.geonameid)
        got = self._km_cache.get(key)
        if got is None:
            if len(self._km_cache) >= _KM_CACHE:
                self._km_cache.clear()
            got = self._km_cache[key] = _haversine_km(a, b)
        return got

    def _score(self, m: Mention, c: Candidate, countries, admin1s, anchors: list[Candidate], round_: int) -> tuple[float, list[str]]:
        s = self.s
        score = self._prior(c)
        why = [f"{c.feature} prior" + (", curated alias" if c.curated else "") + (f", population {c.population}" if c.population else "")]
        if m.trigger:
            if _kind_fits(m.trigger, c):
                score += s["trigger_match"]
                why.append(f"trigger «{m.trigger_text}» → {m.trigger}")
            else:
                score += s["trigger_mismatch"]
        if m.role == "dateline" and c.kind in ("city", "town"):
            score += s["dateline_city"]
            why.append("dateline: a city")
        if countries.get(c.country, 0) - (c.country == m.own_country) > 0:
            score += s["context_country"]
            why.append(f"article names {c.country}")
        if admin1s.get(c.admin1, 0) - (c.admin1 == m.own_admin1) > 0:
            score += s["context_admin1"]
            why.append(f"in {c.admin1_en or c.admin1}, named in the article")
        if round_ and anchors and c.lat is not None:
            nearest, km = None, math.inf
            known, cid = self._km_cache, c.geonameid
            for a in anchors:  # the first nearest, as min() would pick
                d = known.get((a.geonameid, cid))
                if d is None:
                    d = self._km(a, c)
                if d < km:
                    nearest, km = a, d
            bonus = s["near_50km"] if km <= 50 else s["near_200km"] if km <= 200 else s["near_500km"] if km <= 500 else 0.0
            if bonus:
                score += bonus
                why.append(f"{km:.0f} km from {nearest.name_en}")
        return round(score, 2), why

    # --- output ---------------------------------------------------------------------------------------------
    def attrs(self, doc: Document, tokens: list[Span], m: Mention) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        ranked = sorted(m.candidates, key=lambda c: (-m.scores[c.geonameid][0], -c.population)) if m.candidates else []
        if not ranked:
            attrs["resolved"] = False  # no name_en, id or point: nothing is guessed
            attrs["reason"] = (f"{m.set_aside} gazetteer namesake(s) set aside: far from the article's countries or a "
                               "common word here" if m.set_aside else "no gazetteer candidate")
            if m.trigger:
                attrs["kind"] = m.trigger
            if m.role:
                attrs["role"] = m.role
            return attrs
        best = ranked[0]
        score, why = m.scores[best.geonameid]
        attrs.update({
            "name_en": best.name_en, "resolved": True, "country": best.country or None, "admin1": best.admin1 or None,
            "admin1_en": best.admin1_en or None, "feature": best.feature, "kind": best.kind,
        })
        if best.public_id is not None:
            attrs["geonameid"] = best.public_id
        if best.lat is not None:
            attrs["lat"], attrs["lon"] = round(best.lat, 5), round(best.lon, 5)
        if m.trigger == "countryside" and best.kind != "governorate":
            attrs["kind"] = "countryside"
            attrs["name_en"] = f"{best.name_en} countryside"
        attrs["reason"] = "; ".join(why) + f" (score {score})"
        attrs["candidates"] = [
            {"geonameid": c.public_id, "name_en": c.name_en, "country": c.country or None, "score": m.scores[c.geonameid][0]}
            for c in ranked[1:1 + _RUNNERS_UP]
        ]
        role = m.role
        if role is None and best.actor_code and self._is_metonym(tokens, m, best):
            role = "metonym"
        if role == "metonym":
            attrs["actor_code"] = best.actor_code
        if role:
            attrs["role"] = role
        return {k: v for k, v in attrs.items() if v is not None}

    def _is_metonym(self, tokens: list[Span], m: Mention, c: Candidate) -> bool:
        if m.trigger or m.first < 0:
            return False
        first_piece_index = _token_index(tokens, m.start)
        own_word = tokens[first_piece_index].attrs["w"] if first_piece_index is not None else None
        # proclitics of the mention's own word (بواشنطن: a location)
        k = first_piece_index
        while k is not None and k < len(tokens) and tokens[k].attrs.get("w") == own_word and tokens[k].label in _CLITIC:
            if tokens[k].attrs["norm"] in self.locative_proclitics:
                return False
            k += 1
        prev = _previous_word_norm(tokens, first_piece_index)
        if prev in self.locative_before:
            return False
        if c.explicit_actor:
            return True
        return prev in self.cues_before


def tokens_of(doc: Document) -> list[Span]:
    """The tokens layer; when a user switched the tokens stage off, the same pieces made here (not stored)."""
    if "tokens" in doc.layers:
        return doc.tokens
    return Tokeniser().spans(doc.text, Provenance("places", "own-tokens", "1"))


def _kind_fits(trigger: str, c: Candidate) -> bool:
    if trigger == "governorate":
        return c.kind == "governorate"
    if trigger == "country":
        return c.kind == "country"
    if trigger == "region":
        return c.kind in ("governorate", "country", "region")
    if trigger == "sea":
        return c.kind == "sea"
    if trigger == "countryside":
        return c.kind in ("city", "town", "governorate")
    if trigger == "city":
        return c.kind in ("city", "town")
    return c.kind in ("town", "village", "city") and c.feature not in ("PPLC", "PPLA")


def _content_norms(phrase: str) -> tuple[str, ...]:
    from marsad.text.tokens import matching_key

    return matching_key(phrase)


def _arabic(norm: str) -> bool:
    return all("\u0621" <= ch <= "\u064a" for ch in norm)


_start = attrgetter("start")  # of a span or a mention
_label = attrgetter("label")
_attrs = attrgetter("attrs")
_norm = itemgetter("norm")


class _Words:
    """Piece index -> the tokens of that piece's orthographic word, in order (a word's tokens are consecutive in
    the tokens layer): found on demand from the piece's token index, so only the words asked about are collected."""

    __slots__ = ("tokens", "where", "cache")

    def __init__(self, tokens: list[Span], where: list[int]):
        self.tokens = tokens
        self.where = where  # piece index -> token index
        self.cache: dict[int, list[Span]] = {}

    def _alone_before(self, k: int) -> bool:
        return k == 0 or self.tokens[k - 1].attrs["w"] != self.tokens[k].attrs["w"]

    def _alone_after(self, k: int) -> bool:
        return k + 1 == len(self.tokens) or self.tokens[k + 1].attrs["w"] != self.tokens[k].attrs["w"]

    def shape(self, i: int) -> tuple[str, bool]:
        """``_shape`` of piece i (nothing before it in its word: no proclitics, no article)."""
        k = self.where[i]
        return ("", False) if self._alone_before(k) else _shape(self.of(i), self.tokens[k])

    def ending(self, i: int) -> str:
        """``_ending`` of piece i."""
        k = self.where[i]
        return "" if self._alone_after(k) else _ending(self.of(i), self.tokens[k])

    def word_start(self, i: int) -> int:
        """``_word_start`` of piece i."""
        k = self.where[i]
        return self.tokens[k].start if self._alone_before(k) else _word_start(self.of(i), self.tokens[k])

    def of(self, i: int) -> list[Span]:
        got = self.cache.get(i)
        if got is None:
            tokens, k = self.tokens, self.where[i]
            w = tokens[k].attrs["w"]
            lo, hi = k, k + 1
            while lo > 0 and tokens[lo - 1].attrs["w"] == w:
                lo -= 1
            while hi < len(tokens) and tokens[hi].attrs["w"] == w:
                hi += 1
            got = self.cache[i] = tokens[lo:hi]
        return got


def _shape(word: list[Span], piece: Span) -> tuple[str, bool]:
    """Proclitics and article the tokeniser split off before ``piece`` in its word."""
    pre, art = "", False
    for p in word:
        if p.start >= piece.start:
            break
        if p.label == "PRO":
            pre += p.attrs["norm"]
        elif p.label == "ART":
            art = True
    return pre, art


def _ending(word: list[Span], piece: Span) -> str:
    """The pronoun suffix the tokeniser split off after ``piece`` in its word ('' if none)."""
    return next((p.attrs["norm"] for p in word if p.label == "ENC" and p.start >= piece.end), "")


def _word_start(word: list[Span], piece: Span) -> int:
    """Start of the piece's name part: the piece itself, or the article ال before it (clitics و ب ل stay out)."""
    start = piece.start
    for p in word:
        if p.label == "ART" and p.end == piece.start:
            start = p.start
    return start


def _adjacent(text: str, tokens: list[Span], a: Span, b: Span) -> bool:
    """Two content pieces belong to one name only if nothing but spaces and clitic pieces lies between them."""
    if b.attrs["w"] - a.attrs["w"] > 1:
        return False
    gap = text[a.end:b.start]
    got = _GAPS.get(gap)
    if got is None:
        got = "\n" not in gap and all(ch.isspace() or ch.isalpha() or "\u064b" <= ch <= "\u065f" for ch in gap)
        if len(_GAPS) >= 10_000:
            _GAPS.clear()
        _GAPS[gap] = got
    return got


_GAPS: dict[str, bool] = {" ": True}  # gap text -> may it lie inside a name (clitics, spaces), remembered


def _token_index(tokens: list[Span], start: int) -> int | None:
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].start < start:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(tokens):
        # step back to the first piece of this orthographic word
        w = tokens[lo].attrs["w"]
        while lo > 0 and tokens[lo - 1].attrs["w"] == w:
            lo -= 1
        return lo
    return None


def _previous_word_norm(tokens: list[Span], index: int | None) -> str | None:
    """The stem of the orthographic word before the one at ``index`` (None across punctuation)."""
    if index is None or index == 0:
        return None
    k = index - 1
    w = tokens[k].attrs["w"]
    if tokens[k].label == "PUNCT":
        return None
    stem = None
    while k >= 0 and tokens[k].attrs["w"] == w:
        if tokens[k].label in _CONTENT:
            stem = tokens[k].attrs["norm"]
        k -= 1
    return stem
