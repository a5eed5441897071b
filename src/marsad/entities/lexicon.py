"""Longest-match look-up of actor names, sector nouns and descriptors over a sentence's words (Aho-Corasick).

Each distinct word stem (the matching forms of a word's content pieces, clitics and article dropped — the same key
``marsad.text.matching_key`` gives) is interned as one character, so a sentence becomes a short string with one
character per word and pyahocorasick finds every entry in one C pass: entries can only match on word boundaries,
and punctuation is a barrier no entry crosses.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

import ahocorasick

from marsad.entities.actors import Actor, ActorTable, Composition, Descriptor, Sector, default_actor_table, default_composition
from marsad.resources import DataFileError

BARRIER = "\x01"  # punctuation: nothing matches across it
UNKNOWN = "\x02"  # a word that no entry contains
_SQUEEZABLE = re.compile(f"[{BARRIER}{UNKNOWN}]{{2,}}")  # runs that the automaton reads as one barrier


@dataclass(frozen=True, slots=True)
class Entry:
    """What a key stands for: an actor of the table, a sector noun (composable) or a descriptor (coreferent)."""

    label: str  # PERSON ORG LOC AGENT
    actor: Actor | None = None
    sector: Sector | None = None
    descriptor: Descriptor | None = None


def _code_char(i: int) -> str:
    cp = 0x100 + i
    if cp >= 0xD800:  # skip the surrogate block
        cp += 0x800
    return chr(cp)


class Lexicon:
    def __init__(self, table: ActorTable, composition: Composition):
        self.table = table
        self.composition = composition
        self.codes: dict[str, str] = {}
        by_key: dict[tuple[str, ...], list[tuple[int, Entry]]] = {}

        def put(key: tuple[str, ...], priority: int, entry: Entry) -> None:
            if key:
                by_key.setdefault(key, []).append((priority, entry))

        from marsad.text.normalise import matching_form
        from marsad.text.tokens import matching_key

        # Whether an actor's variants are written with the article (سورية vs السورية share a key): the statuses seen.
        self.article_variant: dict[tuple[str, ...], tuple[bool, ...]] = {}
        for actor in table.actors:
            # Curated entries first, then sector nouns and descriptors, then the broader derived table.
            priority = 0 if actor.source == "curated" else 3
            for variant in actor.variants:
                key = matching_key(variant)
                if len(key) == 1 and " " not in variant.strip():
                    form = matching_form(variant.strip())
                    if key[0] not in (form, form[2:] if form.startswith("ال") else form):
                        # The clitic splitter cut a name into a common word (سانا → س + انا "I", إرنا → ار + نا):
                        # alone it would match that word everywhere.
                        continue
                put(key, priority, Entry(actor.label, actor=actor))
                status = matching_form(variant).startswith("ال")
                seen = self.article_variant.get(key, ())
                if status not in seen:
                    self.article_variant[key] = (*seen, status)
        for key, sector in composition.sectors.items():
            put(key, 1, Entry("AGENT", sector=sector))
        for key, desc in composition.descriptors.items():
            put(key, 2, Entry("AGENT", descriptor=desc))

        self.automaton = ahocorasick.Automaton()
        self.entries: dict[tuple[str, ...], tuple[Entry, ...]] = {}
        for key, items in by_key.items():
            items.sort(key=lambda item: item[0])
            entries = tuple(e for _, e in items)
            self.entries[key] = entries
            self.automaton.add_word(self.encode_key(key), (len(key), key, entries))
        if not self.entries:
            raise DataFileError("marsad actor lexicon is empty: check data/actors/actors.tsv")
        self.automaton.make_automaton()

    def encode_key(self, key: tuple[str, ...]) -> str:
        codes = self.codes
        out = []
        for norm in key:
            ch = codes.get(norm)
            if ch is None:
                ch = codes[norm] = _code_char(len(codes))
            out.append(ch)
        return "".join(out)

    def encode_words(self, stems: Sequence[str | None]) -> str:
        """One character per word; ``None`` marks punctuation."""
        get = self.codes.get
        return "".join(BARRIER if s is None else get(s, UNKNOWN) for s in stems)

    def matches(self, encoded: str) -> list[tuple[int, int, tuple[str, ...], tuple[Entry, ...]]]:
        """Leftmost-longest non-overlapping matches as (first word, end word exclusive, key, entries)."""
        out = []
        for end, (length, key, entries) in self.automaton.iter_long(encoded):
            out.append((end - length + 1, end + 1, key, entries))
        return out

    def matches_of_sentences(self, sentences: Sequence[Sequence[str | None]]) -> list[list[tuple]]:
        """``matches`` of each sentence (its words' stems), found in one automaton pass over all of them.

        The automaton's cost is per character, and most words are in no entry: the sentences are encoded as one
        string with a barrier after each, every run of barriers and unknown words is squeezed into one barrier
        (after any of them the automaton is back at its root, so the matches are the same), and the matches'
        positions are mapped back to words.
        """
        stems: list[str | None] = []
        for words in sentences:
            stems += words
            stems.append(None)
        encoded = self.encode_words(stems)
        squeezed = _SQUEEZABLE.sub(BARRIER, encoded)
        # where, in the squeezed string, each squeezed run ends, and how many characters were taken out up to there
        ends, removed = [0], [0]
        for run in _SQUEEZABLE.finditer(encoded):
            removed.append(removed[-1] + run.end() - run.start() - 1)
            ends.append(run.end() - removed[-1])
        out: list[list[tuple]] = [[] for _ in sentences]
        si, offset, stop = 0, 0, len(sentences[0]) if sentences else 0
        for end, (length, key, entries) in self.automaton.iter_long(squeezed):
            end += removed[bisect_right(ends, end) - 1]  # no match spans a squeezed run
            first = end - length + 1
            while first >= stop:  # matches come in order: on to the sentence this one is in
                offset = stop + 1
                si += 1
                stop = offset + len(sentences[si])
            out[si].append((first - offset, end + 1 - offset, key, entries))
        return out

    def word_tags(self, words: Sequence[str]) -> list[str]:
        """BIO tags of lexicon matches over surface words (used to build the tagger's features)."""
        from marsad.entities.tagger import default_featuriser

        featuriser = default_featuriser()
        stems = []
        for w in words:
            info = featuriser.word(w)
            stems.append(None if info[6] else info[5])
        return self.tags_for(self.encode_words(stems), len(words))

    def tags_for(self, encoded: str, n: int) -> list[str]:
        return self.tags_of_matches(self.matches(encoded), n)

    @staticmethod
    def tags_of_matches(matches, n: int) -> list[str]:
        """BIO tags of ``n`` words from their lexicon matches (the tagger's lexicon feature)."""
        tags = [""] * n
        for start, end, _, entries in matches:
            label = entries[0].label
            tags[start] = "B-" + label
            for i in range(start + 1, end):
                tags[i] = "I-" + label
        return tags


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    return Lexicon(default_actor_table(), default_composition())
