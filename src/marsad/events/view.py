"""A sentence seen the way the events stage reads it: content words with clause numbers, and the actors,
places and times of the earlier layers mapped onto word positions (bisect on offsets, once per sentence).

Each word's form is classed once (:class:`WordKinds`, remembered per distinct form) by the look-ups that can fire
on it (trigger, number, speech verb, clause marker, participant…); a reader asks the view for the positions of
one kind (``SentenceView.where``, read with ``map`` at C speed) and visits only those words."""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import Any

from marsad.document import Document, Span
from marsad.events.lexicon import EventLexicon
from marsad.memo import Memo

# Opening and closing quote marks; a straight quote closes itself.
_QUOTE_RE = re.compile(r"«([^»]{1,600})»|“([^”]{1,600})”|\"([^\"]{1,600})\"")
ACTOR_LABELS = frozenset({"PERSON", "ORG", "AGENT"})


@dataclass(slots=True)
class Word:
    """A content piece (WORD or NUM) of the sentence."""

    i: int
    norm: str
    start: int
    end: int
    pre: tuple[str, ...]  # proclitics attached to the same orthographic word (و ب ل س …)
    art: bool  # carries the article
    clause: int = 0
    num: bool = False
    enc: tuple[str, ...] = ()  # enclitic pronouns on the same orthographic word (شنه → ه)


@dataclass(slots=True)
class Mention:
    """An actor, place or time mention mapped onto word positions [first, last)."""

    first: int
    last: int
    span: Span
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SentenceView:
    index: int
    span: Span
    words: list[Word]
    punct: list[tuple[int, str]]  # (offset, char) of punctuation pieces
    actors: list[Mention]
    places: list[Mention]
    times: list[Mention]
    quotes: list[tuple[int, int]]  # (start, end) offsets of quoted text, marks excluded
    headline: bool = False
    forms: list[str] = field(default_factory=list)  # words[i].norm for every i
    kinds: list[int] = field(default_factory=list)  # WordKinds bits of every word
    marked: list[int] = field(default_factory=list)  # positions of the words of some kind, rising

    def word_at(self, offset: int) -> int:
        """Index of the first word starting at or after ``offset``."""
        return bisect_left(self.words, offset, key=lambda w: w.start)

    def in_quote(self, offset: int) -> bool:
        return bool(self.quotes) and any(a <= offset < b for a, b in self.quotes)

    def norms(self, first: int, last: int) -> tuple[str, ...]:
        return tuple(self.forms[first:last])

    def where(self, kind: int) -> list[int]:
        """Positions of the words of a kind (a WordKinds bit), rising: the only words a look-up of that kind can
        fire on."""
        kinds = self.kinds
        return [i for i in self.marked if kinds[i] & kind]


# WordKinds bits: what a word's form may be (a superset: the readers check the word itself)
TRIGGER = 1  # a single or multi-word trigger starts with it (or with it less a conjunction left on: وترافقت)
QUANTITY = 2  # a number word or a vague amount (and every NUM word, whatever its form)
SPEECH = 4  # a speech verb or participle (or one with a conjunction left on)
SPLIT = 8  # a preposition left on a nominal trigger (بإقفال)
MARKER = 16  # a clause marker starts with it
PARTICIPANT = 32  # a participant noun (or one split as و + noun)
NATIONAL = 64  # a nationality adjective in the plural with a country code
ATTRIBUTION = 128  # an according-to frame starts with it


class WordKinds(Memo):
    """form -> its kind bits, worked out on first sight and remembered; one lexicon's."""

    def __init__(self, lexicon: EventLexicon):
        super().__init__()
        self.lx = lexicon
        self.after_wa = {f[1:] for f in lexicon.participants if f.startswith("و")}

    def compute(self, form: str) -> int:
        lx = self.lx
        single = lx.single
        bits = 0
        if lx.multi.get(form) or single.get(form) or (len(form) > 3 and form[0] in "وف" and single.get(form[1:])):
            bits |= TRIGGER
        if form in lx.numbers or form in lx.vague:
            bits |= QUANTITY
        if form in lx.speech_verbs or form in lx.participles or (
                len(form) > 3 and form[0] in "وف" and form[1:] in lx.speech_verbs):
            bits |= SPEECH
        if len(form) > 4 and form[0] in "بلك" and form not in single:
            rest = single.get(form[1:])
            if rest and all(t.kind != "verb" for t in rest):
                bits |= SPLIT
        if form in lx.clause_markers:
            bits |= MARKER
        if form in lx.participants or form in self.after_wa:
            bits |= PARTICIPANT
        info = lx.nisba.get(form)
        if form[-2:] in ("ين", "ون") and info and info.get("code") and len(info["code"]) == 3:
            bits |= NATIONAL
        if form in lx.attribution:
            bits |= ATTRIBUTION
        return bits

_norm_of = attrgetter("norm")


def word_kinds(lexicon: EventLexicon) -> WordKinds:
    """The lexicon's WordKinds, made once (kept on the lexicon)."""
    kinds = getattr(lexicon, "_word_kinds", None)
    if kinds is None:
        kinds = lexicon._word_kinds = WordKinds(lexicon)
    return kinds


def actor_record(span: Span, text: str) -> dict[str, Any]:
    a = span.attrs
    out = {"name_en": a.get("name_en") or text, "text": text, "start": span.start, "end": span.end}
    for key in ("actor_id", "actor_code", "kind", "country", "role", "affiliation"):
        if a.get(key):
            out[key] = a[key]
    return out


def build_views(doc: Document, lexicon: EventLexicon) -> list[SentenceView]:
    tokens = doc.tokens
    starts = [t.start for t in tokens]
    entities = [s for s in doc.layer("entities") if s.label in ACTOR_LABELS
                or (s.label == "LOC" and s.attrs.get("kind") == "country" and s.attrs.get("actor_code"))]
    # places acting for a government (metonyms: واشنطن، الكرملين) are actors when no entity covers them
    metonyms = [p for p in doc.layer("places") if p.attrs.get("role") == "metonym" and p.attrs.get("actor_code")]
    # places inside names count only after a locative head word ("منتجع سوتشي", not "عملية جنيف")
    places = [p for p in doc.layer("places") if p.attrs.get("role") not in ("dateline", "metonym")]
    times = [t for t in doc.layer("times") if t.label == "TIMEX"]
    entity_starts, metonym_starts = [s.start for s in entities], [s.start for s in metonyms]
    place_starts, time_starts = [s.start for s in places], [s.start for s in times]
    text = doc.text
    views = []
    markers = lexicon.clause_markers
    kinds_of = word_kinds(lexicon)
    for index, sent in enumerate(doc.sentences):
        lo = bisect_left(starts, sent.start)
        hi = bisect_left(starts, sent.end, lo)
        words: list[Word] = []
        punct: list[tuple[int, str]] = []
        num_at: list[int] = []  # positions of the NUM words
        pending_pre: list[str] = []
        art = False
        last_w = None
        word_w = None
        clause = 0
        add_word, add_punct = words.append, punct.append
        clause_punct = lexicon.clause_punct
        for tok in tokens[lo:hi]:
            label = tok.label
            attrs = tok.attrs
            w = attrs["w"]
            if w != last_w:
                pending_pre, art, last_w = (), False, w
            if label == "WORD":
                add_word(Word(len(words), attrs["norm"], tok.start, tok.end, pending_pre, art, clause))
                word_w = w
            elif label == "NUM":
                num_at.append(len(words))
                add_word(Word(len(words), attrs["norm"], tok.start, tok.end, pending_pre, art, clause, True))
                word_w = w
            elif label == "PRO":
                pending_pre = pending_pre + (attrs["norm"],)
            elif label == "ENC":
                if words and word_w == w:
                    words[-1].enc = words[-1].enc + (attrs["norm"],)
            elif label == "ART":
                art = True
            elif label == "PUNCT":
                norm = attrs["norm"]
                add_punct((tok.start, norm))
                if norm in clause_punct:
                    clause += 1
        # a preposition the tokeniser left on a verbal noun ("بإقفال" kept whole): split it off when only the rest
        # is a nominal trigger, so the noun is found and its ب still marks "قام X بـ…" and prepositional phrases
        forms = list(map(_norm_of, words))
        kinds = list(map(kinds_of.__getitem__, forms))
        marked = list(compress(range(len(words)), kinds))
        split = False
        for i in [i for i in marked if kinds[i] & SPLIT]:
            wd = words[i]
            if not wd.pre and not wd.art:
                wd.pre, wd.norm = (wd.norm[0],), wd.norm[1:]
                forms[i] = wd.norm
                kinds[i] = kinds_of[wd.norm]
                split = True
        for i in num_at:
            kinds[i] |= QUANTITY
        if split or num_at:
            marked = list(compress(range(len(words)), kinds))
        # clause-opening words (multi-word markers such as قبل ان) start a new clause: a word's clause rises by the
        # number of markers matched at or before it (the other words of a matched marker are not read as markers)
        bumps = []
        skip = 0
        for i in [i for i in marked if kinds[i] & MARKER]:
            if i < skip:
                continue
            matched = 0
            for key in markers[forms[i]] or ():
                if tuple(forms[i:i + len(key)]) == key:
                    matched = len(key)
                    break
            if matched:
                bumps.append(i)
                skip = i + matched
        for bump, i in enumerate(bumps, 1):
            for wd in words[i:bumps[bump] if bump < len(bumps) else len(words)]:
                wd.clause += bump
        # the offsets of words for bisect
        wstarts = [w.start for w in words]

        def mentions(spans: list[Span]) -> list[Mention]:
            out = []
            for s in spans:
                if s.start >= sent.end or s.end <= sent.start:
                    continue
                first = bisect_left(wstarts, s.start)
                last = bisect_left(wstarts, s.end)
                if last > first:
                    out.append(Mention(first, last, s))
            return out

        actor_mentions = mentions(_within(entities, entity_starts, sent))
        for m in actor_mentions:
            m.data = actor_record(m.span, text[m.span.start:m.span.end])
            code = m.data.get("actor_code", "")
            nxt = words[m.last] if m.last < len(words) else None
            if len(code) == 3 and code.isalpha() and code.isupper() and nxt is not None and not nxt.pre \
                    and nxt.art == words[m.first].art and m.span.label == "AGENT" and m.data.get("kind") != "country":
                # "الحكومة الصومالية": a sector noun the entities stage left without a country, followed by a
                # nationality adjective it does not list — the adjective's country completes the CAMEO code
                nisba = lexicon.nisba.get(nxt.norm)
                if nisba and len(nisba.get("code", "")) == 3:
                    m.data["actor_code"] = nisba["code"] + code
                    m.data["country"] = nisba.get("iso2", "")
                    m.last += 1
                    m.data["end"] = nxt.end
            if not m.data.get("actor_code") and m.last - m.first == 1:
                info = lexicon.participants.get(words[m.first].norm)
                if info and not info.get("needs_nationality"):  # an entity the actor table could not code: the participant's sector
                    m.data["actor_code"] = info["code"]
        covered = {(m.first, m.last) for m in actor_mentions}
        for m in mentions(_within(metonyms, metonym_starts, sent)):
            if not any(a.first <= m.first < a.last for a in actor_mentions) and (m.first, m.last) not in covered:
                m.data = actor_record(m.span, text[m.span.start:m.span.end])
                actor_mentions.append(m)
        # generic participants (المتظاهرون، مسلحون) the entities layer left untagged
        taken = {j for m in actor_mentions for j in range(m.first, m.last)}
        for w in [words[i] for i in marked if kinds[i] & PARTICIPANT]:
            info = lexicon.participants.get(w.norm)
            if info is None and "و" in w.pre:
                # "وحدة إسرائيلية" split as و + حدة: a noun that needs a nationality, and has one, keeps its و
                info = lexicon.participants.get("و" + w.norm)
                if info is not None and not info.get("needs_nationality"):
                    info = None
            if info is None or w.i in taken:
                continue
            code, last, en = info["code"], w.i + 1, info["en"]
            nxt = words[last] if last < len(words) else None
            nisba = lexicon.nisba.get(nxt.norm) if nxt is not None and not nxt.pre else None
            if nisba and nisba.get("code"):
                code, last = nisba["code"] + code, last + 1
                # "جنود أميركيين": the adjective is part of this actor, not a country acting on its own
                actor_mentions = [m for m in actor_mentions if not (m.first == last - 1 and m.last == last)]
            elif info.get("needs_nationality"):
                continue  # "دبابة" alone is a tank, "دبابة إسرائيلية" is Israel's armed forces at work
            elif "PROTEST" in info.get("acts", ()) and nxt is not None and last + 1 < len(words):
                # people of a country: "المتظاهرون من المانيا", "متظاهرون من فلسطينيين", "طلبة المدارس العراقية"
                after, origin = words[last + 1], None
                if nxt.norm in lexicon.coming and after.norm == "من" and last + 2 < len(words):
                    # "المتظاهرين القادمين من …": the participle of coming stands between the group and its origin
                    last, nxt, after = last + 1, after, words[last + 2]
                if nxt.norm == "من":
                    country = next((m for m in actor_mentions if m.first == last + 1 and m.span.label == "LOC"
                                    and m.data.get("kind") == "country" and len(m.data.get("actor_code", "")) == 3), None)
                    n2 = lexicon.nisba.get(after.norm) if not after.pre and after.norm[-2:] in ("ين", "ون") else None
                    if country is not None:
                        end = country.last
                        # "من المانيا وسويسرا وفرنسا": the countries they come from, not actors of their own
                        while (more := next((m for m in actor_mentions if m.first == end and m.span.label == "LOC"
                                             and m.data.get("kind") == "country" and "و" in words[end].pre), None)):
                            end = more.last
                        origin = (country.data["actor_code"], end)
                    elif n2 and n2.get("code"):
                        origin = (n2["code"], last + 2)
                    elif not after.art and not after.num and last + 2 < len(words):
                        # "من ولايات أميركية", "من قرى فلسطينية": places named by their country's adjective
                        n3 = lexicon.nisba.get(words[last + 2].norm)
                        if n3 and n3.get("code") and not words[last + 2].art and not words[last + 2].pre:
                            origin = (n3["code"], last + 3)
                elif nxt.art and not nxt.pre and after.art and not after.pre:
                    n2 = lexicon.nisba.get(after.norm)
                    if n2 and n2.get("code"):
                        origin = (n2["code"], last + 2)
                if origin is not None:
                    code, end = origin[0] + code, origin[1]
                    actor_mentions = [m for m in actor_mentions if not (last <= m.first < end)]
                    last = end
                elif nxt.norm in lexicon.opposition_adjectives and nxt.art == w.art and not nxt.pre:
                    # "المتظاهرين المعارضين": anti-government people are the opposition (UniversalPetrarch
                    # ناشط ضد حكومة, طالب ضد حكومة → ~OPP): the role code replaces the people's sector
                    code, last, en = "OPP", last + 1, "opposition " + en
            fake = Span(w.start, words[last - 1].end, "AGENT", {}, None)
            actor_mentions.append(Mention(w.i, last, fake, {
                "name_en": en, "actor_code": code, "kind": "participants", "participant": True,
                "acts": info.get("acts", []), "recode": info.get("recode", {}),
                **({"instrument": True} if info.get("instrument") else {}),
                "text": text[w.start:words[last - 1].end], "start": w.start, "end": words[last - 1].end}))
        # nationals counted as people ("الآلاف من النيباليين", "مئات المصريين"): the country's people, who protest
        # and demand; coded with the country alone, as the composition table codes الروس or المصريين
        taken = {j for m in actor_mentions for j in range(m.first, m.last)}
        for w in [words[i] for i in marked if kinds[i] & NATIONAL]:
            if w.i in taken or not w.art or w.i == 0 or w.norm[-2:] not in ("ين", "ون"):
                continue
            info = lexicon.nisba.get(w.norm)
            if not info or not info.get("code") or len(info["code"]) != 3:
                continue
            prev = words[w.i - 1]
            counted = prev.num or prev.norm in lexicon.partitive or prev.norm in lexicon.numbers or (
                prev.norm == "من" and w.i > 1 and (words[w.i - 2].norm in lexicon.partitive or words[w.i - 2].num))
            if not counted:
                continue
            fake = Span(w.start, w.end, "AGENT", {}, None)
            actor_mentions.append(Mention(w.i, w.i + 1, fake, {
                "name_en": info["name_en"], "actor_code": info["code"], "country": info.get("iso2", ""),
                "kind": "nationals", "participant": True, "acts": ["PROTEST", "REQUEST"],
                "text": text[w.start:w.end], "start": w.start, "end": w.end}))
        actor_mentions.sort(key=lambda m: m.first)
        quotes = []
        for qm in _QUOTE_RE.finditer(text, sent.start, sent.end):
            g = next(k for k in (1, 2, 3) if qm.group(k) is not None)
            quotes.append((qm.start(g), qm.end(g)))
        # "المدينة" alone is "the city" (an anaphor the focal place resolves), whatever a gazetteer says
        place_mentions = [m for m in mentions(_within(places, place_starts, sent))
                          if (m.span.attrs.get("role") != "in_name"
                              or (m.first > 0 and words[m.first - 1].norm in lexicon.locative_heads))
                          and not all(w.norm in lexicon.locative_heads for w in words[m.first:m.last])]
        views.append(SentenceView(index, sent, words, punct, actor_mentions, place_mentions,
                                  mentions(_within(times, time_starts, sent)), quotes, bool(sent.attrs.get("headline")),
                                  forms, kinds, marked))
    return views


def _within(spans: list[Span], starts: list[int], sent: Span) -> list[Span]:
    lo = bisect_left(starts, sent.start)
    hi = bisect_left(starts, sent.end, lo)
    return spans[lo:hi]
