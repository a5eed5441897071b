"""Mentions from the lexicon and the tagger, resolved to actors, with coreference and titles inside one article."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marsad.document import Document
from marsad.entities.actors import Actor, Composition, Nationality, Sector
from marsad.entities.corpus import spans_of
from marsad.entities.lexicon import Entry, Lexicon
from marsad.entities.tagger import EntityTagger
from marsad.entities.translit import transliterate
from marsad.resources import DataFileError, data_path
from marsad.text.tokens import ARTICLE, NUMBER, PUNCT, WORD, matching_key

_ARABIC_LETTER = re.compile("[\u0621-\u064a\u0671-\u06d3]")
# MISC (ANERcorp's events, products, competitions, works, nationalities used as names…) is an entity but no actor:
# the events stage reads PERSON/ORG/AGENT (and LOC) only.
TAGGER_LABELS = {"PERS": "PERSON", "ORG": "ORG", "LOC": "LOC", "MISC": "MISC"}
# Words that may stand between a title and the name it introduces (السفيرة الأميركية لدى الأمم المتحدة نيكي هايلي).
TITLE_LINKS = frozenset("لدي في باسم عن الرسمي رسمي السابق سابق العام عام الخاص خاص الاعلي اعلي الاول اول ل".split())


def load_name_titles(path: Path | None = None) -> frozenset[str]:
    """Stems of the titles that stand before a person's name and are not part of it (data/ner/name_titles.txt)."""
    path = path or data_path("ner/name_titles.txt")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable or corrupt: {exc}") from exc
    stems = set()
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            key = matching_key(line)
            if len(key) != 1:
                raise DataFileError(f"marsad data file {path}: {line!r} is not one word")
            stems.add(key[0])
    return frozenset(stems)


@dataclass(slots=True)
class Words:
    """The words of one sentence, one list per attribute (word ``k`` is ``stems[k]``, ``starts[k]``…): an article's
    ~400 words are gathered column by column, with no object per word."""

    starts: list[int]  # the span a mention starting at the word takes: after proclitics, article included
    ends: list[int]  # before any enclitic
    stems: list[str | None]  # None for punctuation
    surfaces: list[str]
    arts: list[bool]  # the word carries the article

    def __len__(self) -> int:
        return len(self.stems)


@dataclass(slots=True)
class Mention:
    first: int  # word indices into the sentence, end exclusive
    last: int
    label: str
    rule: str
    key: tuple[str, ...] = ()
    actor: Actor | None = None
    sector: Sector | None = None
    nationality: Nationality | None = None
    descriptor: Any = None
    attrs: dict[str, Any] = field(default_factory=dict)
    sentence: int = 0


class Recogniser:
    def __init__(self, lexicon: Lexicon, tagger: EntityTagger | None, name_titles: frozenset[str] | None = None):
        self.lexicon = lexicon
        self.composition: Composition = lexicon.composition
        self.tagger = tagger
        self.table = lexicon.table
        self.adjectives = self.composition.adjectives
        self.titles = self.composition.titles
        # One-word titles, with the article, are left out of a person's name (الإمام الخميني → الخميني).
        self.name_titles = (load_name_titles() if name_titles is None else name_titles) \
            | {key[0] for key in self.titles if len(key) == 1}
        # Curated actors standing for a sector noun in some country (SY:army -> syria-gov-forces), by group.
        self.group_of_actor: dict[str, str] = {}
        for pair, actor_id in self.composition.overrides.items():
            _, _, sector_id = pair.partition(":")
            sector = self.composition.sector_by_id.get(sector_id)
            if sector is not None:
                self.group_of_actor.setdefault(actor_id, sector.group)

    # --- words -----------------------------------------------------------------------------------------------
    @staticmethod
    def sentences_of_words(doc: Document, tokens: list | None = None) -> list[Words]:
        """The words of each sentence that has any (tokens outside every sentence, such as boilerplate, are left
        out)."""
        tokens = doc.tokens if tokens is None else tokens
        text = doc.text
        if not tokens:
            return []
        ws = [t.attrs["w"] for t in tokens]
        n = len(ws)
        # first token of each word; most words are one token, which takes the fast path below
        firsts = [0, *[i for i in range(1, n) if ws[i] != ws[i - 1]], n]
        word_starts: list[int] = []  # where each word's first token starts: the sentence it is in
        starts: list[int] = []
        ends: list[int] = []
        stems: list[str | None] = []
        arts: list[bool] = []
        for a, b in zip(firsts, firsts[1:]):
            tok = tokens[a]
            word_starts.append(tok.start)
            if b - a == 1:
                starts.append(tok.start)
                ends.append(tok.end)
                stems.append(None if tok.label == PUNCT else tok.attrs["norm"])
                arts.append(False)
                continue
            stem_parts = []
            m_start = m_end = -1
            art = False
            for t in tokens[a:b]:
                label = t.label
                if label == WORD or label == NUMBER:
                    stem_parts.append(t.attrs["norm"])
                    if m_start < 0:
                        m_start = t.start
                    m_end = t.end
                elif label == ARTICLE and m_start < 0:
                    art = True
                    # the ل of لل is no whole article: the mention starts at the stem then
                    if t.attrs["norm"] == "ال":
                        m_start = t.start
            if m_start < 0:
                m_start, m_end = tok.start, tokens[b - 1].end
            starts.append(m_start)
            ends.append(m_end)
            stems.append("".join(stem_parts) or None)
            arts.append(art)
        surfaces = [text[start:tokens[b - 1].end] for start, b in zip(word_starts, firsts[1:])]
        out: list[Words] = []
        # each sentence takes the words starting inside it and after the previous sentence's
        hi = 0
        for sentence_start, sentence_end in [(s.start, s.end) for s in doc.sentences] or [(0, len(text))]:
            lo = max(bisect_left(word_starts, sentence_start), hi)
            hi = max(bisect_left(word_starts, sentence_end), lo)
            if hi > lo:
                out.append(Words(starts[lo:hi], ends[lo:hi], stems[lo:hi], surfaces[lo:hi], arts[lo:hi]))
        return out

    # --- the whole article -----------------------------------------------------------------------------------
    def mentions(self, doc: Document, tokens: list | None = None) -> tuple[list[Words], list[Mention]]:
        sentences = self.sentences_of_words(doc, tokens)
        mentions: list[Mention] = []
        search, text = _ARABIC_LETTER.search, doc.text
        lexicon = self.lexicon
        matches = lexicon.matches_of_sentences([words.stems for words in sentences])
        predicted: list[list[str] | None] = [None] * len(sentences)
        if self.tagger is not None:
            # The tagger was trained on Arabic only and its spans without an Arabic word are dropped: a sentence
            # without any Arabic letter is not tagged at all. The others are tagged together (one numpy batch).
            tagged = [si for si, words in enumerate(sentences)
                      if search(text, words.starts[0], words.ends[-1]) is not None]
            batch = [(sentences[si].surfaces, lexicon.tags_of_matches(matches[si], len(sentences[si])))
                     for si in tagged]
            for si, labels in zip(tagged, self.tagger.tag_sentences(batch)):
                predicted[si] = labels
        for si, words in enumerate(sentences):
            for m in self._sentence_mentions(words, matches[si], predicted[si]):
                m.sentence = si
                mentions.append(m)
        self._coreference(mentions)
        self._titles(mentions, sentences)
        return sentences, mentions

    def _sentence_mentions(self, words: Words, lex, predicted: list[str] | None) -> list[Mention]:
        """Mentions of one sentence from its lexicon matches and the tagger's labels (None: not tagged)."""
        n = len(words)
        found: list[Mention] = []
        covered = [False] * n
        for first, last, key, entries in lex:
            m = self._from_entries(first, last, key, entries, words)
            if m is None:
                continue
            self._drop_title(m, words)  # before the tagger's spans are weighed against it
            found.append(m)
            for k in range(m.first, m.last):
                covered[k] = True
        if predicted is not None:
            owner = {k: m for m in found for k in range(m.first, m.last)}
            for m in found:
                # An institution named by a noun and a nationality adjective (الخارجية الأميركية, وكالة الأنباء
                # القطرية, البرلمان الهندي, a composed وزارة الخارجية الروسية) or headed by a sector noun (جيش
                # الاحتلال, قوات الاحتلال) that the tagger does not take for a name is a description, like a sector
                # noun with a nationality (الجيش السوري): AGENT, actor kept.
                if m.label == "ORG" and self._descriptive(m) and all(t == "O" for t in predicted[m.first:m.last]):
                    m.label = "AGENT"
            for first, last, kind in (spans_of(predicted) if predicted.count("O") != n else ()):
                label = TAGGER_LABELS.get(kind)
                if label is None:
                    continue
                inside = {id(o): o for k in range(first, last) if (o := owner.get(k)) is not None}
                if label == "PERSON" and inside and all(o.label == "PERSON" and first <= o.first and o.last <= last
                                                        for o in inside.values()) \
                        and any(o.last - o.first < last - first for o in inside.values()):
                    # A longer name than the lexicon's is another person (أحمد بن محمد بن راشد آل مكتوم is not
                    # محمد بن راشد آل مكتوم; دلال عبد العزيز is not عبد العزيز): the tagger's name, unresolved —
                    # unless it only adds a family name after a full known one (محمد بن زايد آل نهيان: actor kept).
                    for o in inside.values():
                        found.remove(o)
                    key = tuple(filter(None, words.stems[first:last]))
                    same = next(iter(inside.values())) if len(inside) == 1 else None
                    if same is not None and same.first == first and same.actor is not None and len(same.key) >= 3:
                        found.append(Mention(first, last, label, "lexicon", key, actor=same.actor))
                    else:
                        found.append(Mention(first, last, label, "tagger", key))
                    for k in range(first, last):
                        covered[k] = True
                    continue
                if label in ("MISC", "ORG", "LOC") and inside and all(
                        (o.label == "LOC" or (o.rule == "sector" and o.actor is None and label != "LOC"))
                        and first <= o.first and o.last <= last and o.last - o.first < last - first
                        for o in inside.values()):
                    # A place or a bare sector noun inside the name of an event, a fair, a club, a company (حرب
                    # الخليج, معرض طهران الدولي للكتاب, بطولة الشرطة العربية, جامعة البلقاء), or a place inside a
                    # longer place name (نيو جيرسي, الخليج الفارسي): the name is the entity, unresolved (the places
                    # stage still finds the place in it).
                    for o in inside.values():
                        found.remove(o)
                    key = tuple(filter(None, words.stems[first:last]))
                    found.append(Mention(first, last, label, "tagger", key))
                    continue
                if any(covered[first:last]):
                    lex_m = owner.get(first)
                    if lex_m is not None and lex_m.rule == "lexicon" and (lex_m.first, lex_m.last) == (first, last) \
                            and label == "ORG" and lex_m.label in ("PERSON", "LOC"):
                        # The same words read as an organisation in this sentence: a newspaper or a team named after
                        # a place (الشرق الأوسط, قطر: no longer the place's actor), or an organisation the actor
                        # table files as a person (إيساف, تيار المستقبل: actor kept).
                        if lex_m.label == "LOC":
                            lex_m.actor = None
                        lex_m.label = "ORG"
                        continue
                    # The tagger leaves a descriptive head out of the name (حركة طالبان → طالبان, قطاع غزة → غزة,
                    # وكالة الأناضول → الأناضول), whatever name type but a person's it gives the rest (حكومة
                    # السنيورة is a government): take its extent, keep the lexicon's label and actor.
                    if lex_m is not None and (lex_m.label == label or (lex_m.label == "ORG" and label != "PERSON")) \
                            and lex_m.first < first \
                            and last == lex_m.last and lex_m.rule == "lexicon":
                        lex_m.first = first
                    continue
                key = tuple(filter(None, words.stems[first:last]))
                if not key or not any("\u0621" <= k[0] <= "\u06ff" for k in key):
                    continue  # trained on Arabic only: its guesses on Latin-script runs are noise
                if label == "PERSON" and "LOC" in self._gazetteer_classes(key):
                    label = "LOC"  # a known place name is never a person
                found.append(Mention(first, last, label, "tagger", key))
        for m in found:
            self._drop_title(m, words)
        prefixes = self.composition.place_prefixes
        taken = {k for m in found for k in range(m.first, m.last)}
        for m in found:
            if m.label == "LOC" and m.first > 0 and words.stems[m.first - 1] in prefixes and (m.first - 1) not in taken:
                m.first -= 1  # محافظة دير الزور: the governorate is the place named
                m.attrs["_prefix"] = words.stems[m.first]
        found.sort(key=lambda m: m.first)
        return found

    def _drop_title(self, m: Mention, words: Words) -> None:
        if m.label == "PERSON" and m.last - m.first > 1 and words.arts[m.first] and words.stems[m.first] in self.name_titles:
            m.first += 1  # the title is a role (read by _titles), not part of the name
            m.key = tuple(filter(None, words.stems[m.first:m.last]))

    def _descriptive(self, m: Mention) -> bool:
        """Composed, or a lexicon name of a noun and a nationality adjective or headed by a sector noun."""
        if m.rule == "composition":
            return True
        return m.rule == "lexicon" and len(m.key) > 1 and (m.key[-1:] in self.adjectives
                                                          or m.key[:1] in self.composition.sectors)

    def _gazetteer_classes(self, key: tuple[str, ...]) -> set[str]:
        entries = self.lexicon.entries.get(key)
        return {e.label for e in entries} if entries else set()

    def _from_entries(self, first: int, last: int, key, entries: tuple[Entry, ...], words: Words) -> Mention | None:
        entry = entries[0]
        if entry.actor is None and key in self.composition.article_keys and not words.arts[first]:
            return None
        if entry.actor is not None:
            if len(key) == 1 and words.arts[first] not in self.lexicon.article_variant.get(key, (True, False)):
                # One word must agree with its entry on the article: الحماس (zeal) is not حماس, أسد (a lion) is
                # not الأسد, السورية (Syrian) is not سورية, سعودية (Saudi) is not السعودية.
                return None
            if len(key) > 1 and not words.arts[first] and self.lexicon.article_variant.get(key) == (True,):
                # A name always written definite, met indefinite, is a description: دولة إسلامية (an Islamic state)
                # is not الدولة الإسلامية, حزب إسلامي is not الحزب الإسلامي.
                return None
            label = entry.label
            head = self.composition.sectors.get(key[:-1]) if len(key) > 1 and key[-1:] in self.adjectives else None
            if head is not None:
                label = head.label  # الجيش الإسرائيلي names its actor through a generic noun: an AGENT
            m = Mention(first, last, label, "lexicon", key, actor=entry.actor)
            nat = self._adjective_at(words, last)
            if nat is not None and entry.label == "ORG" and nat.iso2 == entry.actor.country:
                m.last = last + 1  # حزب الله اللبناني: the adjective repeats the actor's country
            return m
        if entry.sector is not None:
            sector = entry.sector
            nat = self._adjective_at(words, last)
            if nat is None:
                if sector.needs_adjective:
                    return None
                return Mention(first, last, "AGENT", "sector", key, sector=sector)
            end = last + 1
            if end < len(words) and words.stems[end] and (words.stems[end],) in sector.trailing:
                end += 1
            # A sector noun with a nationality is still a generic agent (الحكومة المغربية, الجيش السوري), whether or
            # not a curated actor stands for it; institutions with a proper name (وزارة الخارجية) are ORG.
            m = Mention(first, end, sector.label, "composition", key, sector=sector, nationality=nat)
            override = self.composition.overrides.get(f"{nat.iso2}:{sector.id}")
            if override and override in self.table.by_id:
                m.actor = self.table.by_id[override]
            return m
        if entry.descriptor is not None:
            return Mention(first, last, "AGENT", "descriptor", key, descriptor=entry.descriptor)
        return None

    def _adjective_at(self, words: Words, i: int) -> Nationality | None:
        if i < len(words) and words.stems[i]:
            return self.adjectives.get((words.stems[i],))
        return None

    # --- coreference -----------------------------------------------------------------------------------------
    def _coreference(self, mentions: list[Mention]) -> None:
        present = {m.actor.id for m in mentions if m.actor is not None and m.rule != "descriptor"}
        # For each sector group (gov-forces, police…), the actor the article names most often through it.
        counts: Counter = Counter()
        for m in mentions:
            if m.actor is not None and m.rule != "sector":
                group = self.group_of_actor.get(m.actor.id)
                if group:
                    counts[(group, m.actor.id)] += 1
        group_actor: dict[str, Actor] = {}
        for (group, actor_id), _ in counts.most_common():
            group_actor.setdefault(group, self.table.by_id[actor_id])
        composed_by_group: dict[str, Mention] = {}
        for m in mentions:
            if m.sector is not None and m.nationality is not None and m.actor is None:
                composed_by_group.setdefault(m.sector.group, m)
        people = [m for m in mentions if m.label == "PERSON"]
        for m in mentions:
            if m.rule == "descriptor":
                for cand in m.descriptor.candidates:
                    if cand in present:
                        m.actor = self.table.by_id[cand]
                        m.attrs["coref"] = True
                        break
            elif m.rule == "sector":
                group = m.sector.group
                if group in group_actor:
                    m.actor = group_actor[group]
                    m.attrs["coref"] = True
                elif group in composed_by_group:
                    src = composed_by_group[group]
                    m.nationality, m.attrs["coref"] = src.nationality, True
            elif m.rule == "tagger" and m.label == "PERSON":
                # A later short form of a name already given in full: عبد الرحمن, باحوط.
                for other in people:
                    if other is m or len(other.key) <= len(m.key):
                        continue
                    if other.key[-len(m.key):] == m.key or (len(m.key) == 1 and m.key[0] in other.key):
                        m.actor = other.actor
                        m.attrs["coref"] = True
                        m.attrs["_name_from"] = other
                        break

    # --- titles ----------------------------------------------------------------------------------------------
    def _title_at(self, words: Words, i: int, limit: int) -> tuple[int, str] | None:
        for size in range(min(self.composition.max_title_len, limit - i), 0, -1):
            key = tuple(words.stems[i:i + size])
            if None in key:
                continue
            role = self.titles.get(key)  # type: ignore[arg-type]
            if role:
                return size, role
        return None

    def _titles(self, mentions: list[Mention], sentences: list[Words]) -> None:
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        absorbed: set[int] = set()
        for si, ms in by_sentence.items():
            words = sentences[si]
            owner = {}
            for m in ms:
                for k in range(m.first, m.last):
                    owner[k] = m
            for m in ms:
                if m.label != "PERSON":
                    continue
                # Leftwards: title, then nationality adjectives, linking words and organisations up to the name.
                k = m.first - 1
                best = None
                inside: list[Mention] = []
                nat = None
                while k >= 0 and m.first - k <= 10:
                    stem = words.stems[k]
                    if stem is None:
                        break
                    t = self._title_at(words, k, m.first)
                    if t is not None:
                        best = (k, t[1])
                    other = owner.get(k)
                    if other is not None and other.label != "PERSON":
                        if other not in inside:
                            inside.append(other)
                        t = self._title_at(words, other.first, m.first)
                        if t is not None:
                            best = (other.first, t[1])
                        k = other.first - 1
                        continue
                    if t is None and (stem,) not in self.adjectives and stem not in TITLE_LINKS \
                            and not any(self._title_at(words, j, m.first) for j in range(max(0, k - 2), k)):
                        break
                    if (stem,) in self.adjectives and best is None:
                        nat = self.adjectives[(stem,)]
                    k -= 1
                if best is not None:
                    start, role = best
                    inside = [o for o in inside if o.first >= start]
                    # nationality adjective right after the title word(s)
                    for j in range(start, m.first):
                        holder = owner.get(j)
                        if words.stems[j] and (words.stems[j],) in self.adjectives and (holder is None or holder.label == "AGENT"):
                            nat = self.adjectives[(words.stems[j],)]
                            break
                    else:
                        nat = None
                    m.attrs["role"] = f"{nat.adj_en} {role}" if nat else role
                    orgs = [o for o in sorted(inside, key=lambda o: o.first)
                            if o.label == "ORG" or (o.actor is not None and o.actor.label == "ORG")]
                    if orgs:
                        m.attrs["_affiliation"] = orgs
                    elif nat is not None:
                        m.attrs["affiliation"] = nat.country_en
                    for o in inside:
                        if (o.label == "AGENT" and (o.actor is None or o.actor.label == "AGENT")) or \
                                (o.rule == "composition" and o.actor is None):
                            absorbed.add(id(o))  # وزير الخارجية الروسي: part of the title, not a ministry
                    continue
                # Rightwards apposition: جوزف باحوط الباحث في معهد كارنيغي
                j = m.last
                t = self._title_at(words, j, len(words)) if j < len(words) else None
                if t is not None:
                    m.attrs["role"] = t[1]
                    j += t[0]
                    while j < len(words) and words.stems[j] in TITLE_LINKS:
                        j += 1
                    other = owner.get(j)
                    if other is not None and other.label in ("ORG", "AGENT"):
                        m.attrs["_affiliation"] = [other]
        if absorbed:
            mentions[:] = [m for m in mentions if id(m) not in absorbed]
        # One person, one role: later mentions of the same actor or name inherit it.
        roles: dict[Any, dict[str, Any]] = {}
        for m in mentions:
            if m.label == "PERSON" and "role" in m.attrs:
                roles.setdefault(self._person_key(m), m.attrs)
        for m in mentions:
            if m.label == "PERSON" and "role" not in m.attrs:
                src = roles.get(self._person_key(m))
                if src is not None:
                    for name in ("role", "affiliation", "_affiliation"):
                        if name in src:
                            m.attrs[name] = src[name]

    @staticmethod
    def _person_key(m: Mention):
        if m.actor is not None:
            return m.actor.id
        origin = m.attrs.get("_name_from")
        return origin.key if origin is not None else m.key

    # --- output attributes -----------------------------------------------------------------------------------
    @staticmethod
    def _english(m: Mention) -> str:
        if m.actor is not None:
            return m.actor.name_en
        if m.sector is not None:
            if m.nationality is not None:
                return m.sector.en.format(adj=m.nationality.adj_en, country=m.nationality.country_en)
            return m.sector.generic_en
        if m.descriptor is not None:
            return m.descriptor.generic_en
        return m.attrs.get("_name_en", "")

    def attributes(self, m: Mention, surface: str) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        translit = transliterate(surface)
        actor = m.actor
        if actor is not None:
            attrs["name_en"] = actor.name_en
            attrs["actor_id"] = actor.id
            if actor.actor_code:
                attrs["actor_code"] = actor.actor_code
            attrs["kind"] = actor.kind
            if actor.country:
                attrs["country"] = actor.country
        elif m.sector is not None:
            sector, nat = m.sector, m.nationality
            if nat is not None:
                attrs["name_en"] = sector.en.format(adj=nat.adj_en, country=nat.country_en)
                attrs["actor_code"] = nat.iso3 + sector.code
                attrs["country"] = nat.iso2
            else:
                attrs["name_en"] = sector.generic_en
                attrs["actor_code"] = sector.code
            attrs["kind"] = sector.kind
        elif m.descriptor is not None:
            attrs["name_en"] = m.descriptor.generic_en
            attrs["kind"] = m.descriptor.kind
        else:
            origin = m.attrs.get("_name_from")
            attrs["name_en"] = origin.attrs.get("_name_en", translit) if origin is not None else translit
            attrs["kind"] = {"PERSON": "person", "LOC": "place", "ORG": "organisation", "MISC": "other"}.get(m.label, "actor")
        if m.attrs.get("_prefix") == "محافظه" and actor is not None:
            attrs["name_en"] = actor.name_en + " Governorate"  # the governorate, not the city it is named after
            attrs["kind"] = "governorate"
        if not attrs.get("name_en"):
            attrs["name_en"] = translit
        attrs["translit"] = translit
        for name in ("role", "affiliation", "coref"):
            if name in m.attrs:
                attrs[name] = m.attrs[name]
        if "_affiliation" in m.attrs:
            names = [self._english(o) for o in m.attrs["_affiliation"]]
            if names:
                attrs["affiliation"] = " / ".join(dict.fromkeys(names))
        if m.label == "PERSON" and "country" not in attrs and m.attrs.get("_country"):
            attrs["country"] = m.attrs["_country"]
        m.attrs["_name_en"] = attrs["name_en"]
        return attrs
