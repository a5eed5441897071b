"""Speech: who speaks in a sentence (speech verbs, unnamed officials, titles, pro-drop) and the quotes they say."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsad.events.lexicon import EventLexicon
from marsad.events.view import SPEECH, SentenceView


@dataclass(slots=True)
class Speech:
    """A speech verb in a sentence and the speaker resolved for it."""

    verb: int  # word position
    speaker: dict[str, Any] | None
    rule: str
    complement: int | None = None  # word position of إن/أن when indirect speech follows


@dataclass(slots=True)
class QuoteRecord:
    start: int
    end: int
    direct: bool
    speaker: dict[str, Any] | None
    rule: str
    verb: str = ""


@dataclass
class SpeakerMemory:
    """What earlier sentences said about who speaks: the last speaker and titles seen before names."""

    last_speaker: dict[str, Any] | None = None
    last_subject: dict[str, Any] | None = None
    titles: dict[str, dict[str, Any]] = field(default_factory=dict)


def _preceded_by_preposition(lexicon: EventLexicon, view: SentenceView, first: int) -> bool:
    w = view.words[first]
    if "ب" in w.pre or "ل" in w.pre or "ك" in w.pre:
        return True
    return first > 0 and view.words[first - 1].norm in lexicon.prepositions


def _unnamed(lexicon: EventLexicon, view: SentenceView, i: int, stop: int) -> dict[str, Any] | None:
    """'مسؤول في وزارة الخارجية الأميركية' → an unnamed official of that ministry; 'دبلوماسيون غربيون'."""
    words = view.words
    head = lexicon.anonymous.get(words[i].norm)
    if head is None:
        return None
    adjectives = []
    org = None
    j = i + 1
    while j < min(stop, i + 6):
        nisba = lexicon.nisba.get(words[j].norm)
        if nisba and not words[j].pre:
            adjectives.append(nisba.get("adj", ""))
            j += 1
            continue
        if words[j].norm in ("في", "من", "ب", "لدي") or "ب" in words[j].pre:
            for m in view.actors:
                if j <= m.first <= j + 1:
                    org = m.data
                    break
        break
    name = " ".join(a for a in adjectives if a) + (" " if adjectives else "") + head
    speaker: dict[str, Any] = {"name_en": name.strip(), "unnamed": True,
                               "text": " ".join(w.norm for w in words[i:j])}
    if org:
        speaker["name_en"] = f"{org['name_en']} {head}"
        speaker["organisation"] = org["name_en"]
        for key in ("actor_code", "country", "actor_id"):
            if org.get(key):
                speaker[key] = org[key]
    elif adjectives:
        codes = [lexicon.nisba[w.norm]["code"] for w in words[i + 1:j] if lexicon.nisba.get(w.norm, {}).get("code")]
        if codes:
            speaker["actor_code"] = codes[0]
    return speaker


def find_speech(lexicon: EventLexicon, view: SentenceView, memory: SpeakerMemory) -> list[Speech]:
    words = view.words
    out: list[Speech] = []
    for i in view.where(SPEECH):  # the other words are no speech verbs
        w = words[i]
        norm = w.norm
        if norm not in lexicon.speech_verbs and norm not in lexicon.participles:
            # a conjunction the tokeniser left on the verb (واضاف)
            if len(norm) > 3 and norm[0] in "وف" and not w.pre and norm[1:] in lexicon.speech_verbs:
                norm = norm[1:]
            else:
                continue
        if view.in_quote(w.start):
            continue
        # where the speaker phrase ends: a complementiser, a quote, or the clause end (8 words at most)
        stop = i + 1
        complement = None
        while stop < len(words) and stop <= i + 8:
            nxt = words[stop]
            if view.in_quote(nxt.start) or nxt.clause != w.clause:
                break
            if nxt.norm in lexicon.complementizers:
                if words[stop - 1].norm not in lexicon.not_complement_after:
                    complement = stop
                break
            if any(q[0] - 1 <= nxt.start <= q[0] for q in view.quotes):
                break
            stop += 1
        if complement is None and stop < len(words) and words[stop].norm in lexicon.complementizers \
                and not view.in_quote(words[stop].start) and words[stop - 1].norm not in lexicon.not_complement_after:
            complement = stop
        speaker, rule = None, ""
        after = [m for m in view.actors if i < m.first < stop]
        if norm in lexicon.participles:
            previous = [s for s in out if s.speaker]
            if previous:
                speaker, rule = previous[-1].speaker, "participle"
        people = [m for m in after if m.span.label == "PERSON"]
        if speaker is None and people:
            chosen = people[0]
            speaker, rule = chosen.data, "after-verb"
            # remember the title that stood before the name: a later bare title refers to this person
            for t in words[i + 1:chosen.first]:
                if t.norm in lexicon.titles:
                    memory.titles[t.norm] = chosen.data
                    break
        if speaker is None and i + 1 < stop and words[i + 1].norm in lexicon.titles and words[i + 1].norm in memory.titles:
            speaker, rule = memory.titles[words[i + 1].norm], "title"
        if speaker is None and i + 1 < stop:
            unnamed = _unnamed(lexicon, view, i + 1, stop)
            if unnamed:
                speaker, rule = unnamed, "unnamed"
        if speaker is None and after:
            chosen = next((m for m in after if not _preceded_by_preposition(lexicon, view, m.first)), None)
            if chosen is not None:
                speaker, rule = chosen.data, "after-verb"
        if speaker is None and i > 0 and words[i - 1].norm in lexicon.relatives:
            before = [m for m in view.actors if m.last <= i - 1]
            if before:
                speaker, rule = before[-1].data, "relative"
        if speaker is None:
            before = [m for m in view.actors if m.last <= i and words[m.first].clause == w.clause
                      and not _preceded_by_preposition(lexicon, view, m.first)]
            if before and before[-1].last >= i - 3:
                speaker, rule = before[-1].data, "before-verb"
        if speaker is None:
            previous = [s for s in out if s.speaker]
            if previous:
                speaker, rule = previous[-1].speaker, "same-sentence"
            elif memory.last_speaker and norm in lexicon.continuing:
                speaker, rule = memory.last_speaker, "last-speaker"
            elif memory.last_subject:
                speaker, rule = memory.last_subject, "previous-subject"
            elif memory.last_speaker:
                speaker, rule = memory.last_speaker, "last-speaker"
        out.append(Speech(i, speaker, rule, complement))
    return out


def find_quotes(lexicon: EventLexicon, view: SentenceView, speech: list[Speech], memory: SpeakerMemory,
                text: str) -> list[QuoteRecord]:
    words = view.words
    records: list[QuoteRecord] = []
    entity_texts = {(m.span.start, m.span.end) for m in view.actors}
    for qs, qe in view.quotes:
        inner = [w for w in words if qs <= w.start < qe]
        if not inner:
            continue
        if (qs, qe) in entity_texts or any(m.span.start <= qs and qe <= m.span.end for m in view.actors):
            continue  # a name in quotes ("داعش"), not speech
        first = inner[0].i
        near_verb = [s for s in speech if s.verb < first and (first - s.verb <= 2 or
                     (s.complement is not None and first - s.complement <= 3))]
        if len(inner) < lexicon.min_quote_words and not near_verb:
            continue
        before = [s for s in speech if s.verb < first and s.speaker]
        after = [s for s in speech if s.verb >= first and s.speaker and words[s.verb].start >= qe]
        if before:
            s = before[-1]
            records.append(QuoteRecord(qs, qe, True, s.speaker, s.rule, words[s.verb].norm))
        elif after:
            s = after[0]
            records.append(QuoteRecord(qs, qe, True, s.speaker, s.rule, words[s.verb].norm))
        elif memory.last_speaker:
            records.append(QuoteRecord(qs, qe, True, memory.last_speaker, "fragment-last-speaker"))
    # indirect speech: from the complementiser to the end of the sentence (or the next quote / speech verb)
    for s in speech:
        if s.complement is None or s.speaker is None:
            continue
        c = s.complement
        following = [q for q in view.quotes if q[0] > words[c].start]
        before_quote = sum(1 for w in words[c + 1:] if following and w.start < following[0][0])
        if following and before_quote <= 2:
            continue  # the direct quote right after إن (روسيا "…") carries the words
        end = view.span.end
        nxt = [t.verb for t in speech if t.verb > c]
        if nxt:
            # what is said stops where the next speech verb's clause begins (… ، فيما أعرب)
            k = nxt[0]
            while k > c + 1 and words[k - 1].clause == words[nxt[0]].clause:
                k -= 1
            end = words[k].start
        if following and following[0][0] < end and any(w.start < following[0][0] for w in words[c + 1:]):
            end = min(end, following[0][0] - 1)
        while end > words[c].start and (text[end - 1].isspace() or text[end - 1] in ".،,\"«“"):
            end -= 1
        if end - words[c].start < 4:
            continue
        records.append(QuoteRecord(words[c].start, end, False, s.speaker, s.rule, words[s.verb].norm))
    records.sort(key=lambda r: r.start)
    return records
