"""Events, quotes, quantities and territorial-control claims out of one analysed article.

Per sentence: trigger look-up on word norms (dicts), then arguments from the layers of the earlier stages —
actors (entities), place (places: in the clause, else the section's focal place for material events), date
(times: in the clause, else the previous event's) — then attribution and modality from cue words. Across the
article: pro-drop subjects and speakers carry over; restatements and anaphoric mentions merge into the event
they repeat; the headline is read last and merged into the body's events.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marsad.document import Document
from marsad.events.lexicon import EventLexicon, Trigger
from marsad.events.quantities import Quantity, find_quantities
from marsad.events.quotes import QuoteRecord, Speech, SpeakerMemory, find_quotes, find_speech
from marsad.events.view import ATTRIBUTION, TRIGGER, Mention, SentenceView, Word, build_views



@dataclass(slots=True)
class Hit:
    first: int
    last: int
    trigger: Trigger
    cameo: str
    object_word: str = ""
    agent: Mention | None = None  # named later in the sentence: "هجوم شنه مسلحون", "تبنت X مسؤوليتها عن الهجوم"


@dataclass(slots=True)
class Event:
    start: int
    end: int
    attrs: dict[str, Any]
    sentence: int
    clause: int
    hit: Hit
    section: int
    place_key: str = ""
    own_date: bool = False
    definite: bool = False
    claim: "Claim | None" = None
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class Claim:
    start: int
    end: int
    attrs: dict[str, Any]


@dataclass
class ArticleReading:
    events: list[Event]
    quotes: list[tuple[QuoteRecord, int]]  # with sentence index
    quantities: list[tuple[Quantity, int]]
    claims: list[Claim]
    views: list[SentenceView]


def _actor_key(actor: dict[str, Any] | None) -> str:
    if not actor:
        return ""
    return actor.get("actor_id") or actor.get("name_en", "")


def _place_record(m: Mention, source: str, precision: str) -> dict[str, Any]:
    a = m.span.attrs
    out = {"name_en": a.get("name_en", ""), "start": m.span.start, "end": m.span.end, "source": source}
    for key in ("geonameid", "lat", "lon", "country", "admin1", "kind"):
        if a.get(key) is not None:
            out[key] = a[key]
    return out


def _date_precision(value: Any, flags: list[str]) -> str:
    if isinstance(value, list):
        return "range"
    v = str(value)
    if "approximate" in flags:
        return "approximate"
    if len(v) == 10 and v[4] == "-" and v[7] == "-":
        return "day"
    if len(v) == 16 and v[4] == "-" and v[7] == "-" and v[10] == "T" and v[:4].isdigit():
        return "time"
    if len(v) == 7 and v[4] == "-" and v[5:].isdigit():
        return "month"
    if "-W" in v:
        return "week"
    if len(v) == 7 and v[5:] in ("SU", "WI", "SP", "FA", "AU"):
        return "season"
    if len(v) == 7 and v[5] in "QH" and v[6].isdigit():
        return "quarter" if v[5] == "Q" else "half"
    if len(v) == 4 and v.isdigit():
        return "year"
    return "vague"


def _iso_day(published: str | None) -> str | None:
    """The publication day as YYYY-MM-DD, or None when the document's date is not in ISO form."""
    day = (published or "")[:10]
    return day if len(day) == 10 and day[4] == "-" and day[7] == "-" and day[:4].isdigit() else None


def _first_day(value: Any) -> str:
    v = value[0] if isinstance(value, list) and value else value
    return str(v or "")


class ArticleAnalyser:
    def __init__(self, lexicon: EventLexicon):
        self.lx = lexicon

    # --- triggers ---------------------------------------------------------------------------------------
    def triggers(self, view: SentenceView) -> list[Hit]:
        lx = self.lx
        words = view.words
        hits: list[Hit] = []
        start = 0  # the first word not yet read
        n = len(words)
        # words inside a name are not triggers; a one-word generic AGENT (تجمع) may still be one
        actor_words = {j for m in view.actors if m.last - m.first > 1 or m.span.label != "AGENT"
                       for j in range(m.first, m.last)}
        for i in view.where(TRIGGER):  # the words no trigger starts with are passed over
            if i < start:
                continue
            w = words[i]
            if i in actor_words:
                continue  # a word inside a name ("مجلس الأمن") is not a trigger
            found = None
            for key, trig in lx.multi.get(w.norm, ()):
                if view.norms(i, i + len(key)) == key:
                    found = (i, i + len(key), trig)
                    break
            if found is None:
                cands = lx.single.get(w.norm)
                if cands is None and len(w.norm) > 3 and w.norm[0] in "وف" and not w.pre:
                    cands = lx.single.get(w.norm[1:])  # a conjunction the tokeniser left on (وترافقت)
                if cands:
                    found = (i, i + 1, cands[0])
                    # a verb entry and a noun entry on one form: the noun reading wins after the article
                    if w.art:
                        nouns = [c for c in cands if c.kind != "verb"]
                        if nouns:
                            found = (i, i + 1, nouns[0])
                        elif cands[0].kind == "verb":
                            found = None
            if found is None:
                continue
            first, last, trig = found
            if trig.kind != "verb" and first > 0 and words[first - 1].norm in lx.blocked_after:
                start = last  # قواعد الاشتباك، مستوى التهديد: a rule or a level, not an event
                continue
            if trig.not_objects and any(w2.norm in trig.not_objects for w2 in words[last:last + 2]):
                start = last
                continue
            cameo = trig.cameo
            obj = ""
            if trig.objects:
                # PETRARCH's patterns want their object at hand; curated object words are specific enough to be
                # looked for further on
                reach = 14 if trig.origin == "curated" else 3
                for j in range(last, min(n, last + reach)):
                    code = trig.objects.get(words[j].norm)
                    if code:
                        cameo, obj = code, words[j].norm
                        break
                if not obj and trig.needs_object:
                    continue
            hits.append(Hit(first, last, trig, cameo, obj))
            start = last
        return hits

    # --- arguments ----------------------------------------------------------------------------------------
    def _prep_before(self, view: SentenceView, first: int) -> bool:
        w = view.words[first]
        if "ب" in w.pre or "ل" in w.pre or "ك" in w.pre:
            return True
        if first > 0 and view.words[first - 1].norm == "من" and first > 1 and (
                view.words[first - 2].norm in self.lx.partitive or view.words[first - 2].num
                or view.words[first - 2].norm in self.lx.unit_nouns):
            return False  # partitive: "العشرات من المتظاهرين" are the people themselves
        return first > 0 and view.words[first - 1].norm in self.lx.prepositions

    def _relative_antecedent(self, view: SentenceView, hit: Hit, actors: list[Mention]) -> Mention | None:
        """"ضد المتظاهرين الذين كانوا يهتفون": the verb of a relative clause has the antecedent as subject."""
        words = view.words
        for j in range(hit.first - 1, max(-1, hit.first - 3), -1):
            if words[j].norm in self.lx.relatives:
                m = next((m for m in actors if m.last == j), None)
                if m is None:
                    # "المتظاهرين ورماة الحجارة، الذين": the relative follows a coordination; its named part acts
                    m = next((m for m in reversed(actors) if j - 3 <= m.last < j and (
                        "و" in words[m.last].pre or words[m.last].norm.startswith("و"))), None)
                return m
        return None

    def _count_after(self, view: SentenceView, m: Mention) -> bool:
        """"قتل أربعة انتحاريين بريطانيين 52 شخصا": a second count after the counted group is the killing's
        object, so the group is its subject."""
        words = view.words
        for j in range(m.last, min(len(words), m.last + 3)):
            w = words[j]
            if w.num or w.norm in self.lx.numbers:
                return True
            if w.pre or w.norm in self.lx.prepositions or w.clause != words[m.first].clause:
                return False  # "قتل 5 مسلحين في …", "… وجرح 3": the count belongs to another phrase
        return False

    def _possessed_forces(self, view: SentenceView, hit: Hit) -> Mention | None:
        """"قال الجيش التركي … ان طائراته قصفت": forces or weapons with a pronoun right before the verb are the
        possessor's, the latest actor before them that stands outside a prepositional phrase."""
        words = view.words
        j = hit.first - 1
        if j < 0 or words[j].clause != words[hit.first].clause or words[j].norm not in self.lx.possessed_forces \
                or not any(e in ("ه", "ها", "هم") for e in words[j].enc):
            return None
        owners = [m for m in view.actors if m.last <= j and not self._prep_before(view, m.first)
                  and m.span.label != "LOC" and not m.data.get("participant")]
        return owners[-1] if owners else None

    def _marked_agent(self, view: SentenceView, hit: Hit, actors: list[Mention]) -> Mention | None:
        """"خطف على يد مسلحين", "التفخيخ من قبل داعش": the passive agent named in the clause."""
        words = view.words
        clause = words[hit.first].clause
        for j in range(len(words)):
            if words[j].clause != clause:
                continue
            for key in self.lx.agent_markers.get(words[j].norm, ()):
                end = j + len(key)
                if view.norms(j, end) == key:
                    after = [m for m in actors if end <= m.first <= end + 2]
                    if after:
                        return after[0]
            w = words[j]
            if not hit.trigger.casualty or not hit.last <= j <= hit.last + 5:
                continue  # whose fire killed or wounded: said right after the killing, not of a clash beside it
            if ("ب" in w.pre and w.norm in self.lx.fire_markers) or (
                    w.norm[:1] == "ب" and w.norm[1:] in self.lx.fire_markers):
                # "بنيران مسلحين", "برصاص قناصة": the genitive right after is whose fire it was
                after = [m for m in actors if m.first == j + 1]
                if after:
                    return after[0]
        return None

    def resume_agents(self, view: SentenceView, hits: list[Hit]) -> None:
        """Agents named after a nominal event: a perpetration verb whose pronoun resumes it ("هجوم شنه مسلحون",
        "الهجوم الذي نفذته طالبان", "اعتداء … وقد تبناه التنظيم"), a passive attribution ("نسب الى المتمردين"),
        or a claim of responsibility before it ("تبنت حركة طالبان مسؤوليتها عن الهجوم")."""
        lx = self.lx
        words = view.words
        nominal = [h for h in hits if h.trigger.kind != "verb"]
        if not nominal:
            return
        time_words = {j for t in view.times for j in range(t.first, t.last)}
        by_first = {}
        for m in view.actors:
            by_first.setdefault(m.first, m)
        for j, w in enumerate(words):
            start, attributed = None, False
            if w.norm in lx.resumptive_whole or (w.norm in lx.resumptive_verbs and any(
                    e in ("ه", "ها", "هم", "هما") for e in w.enc)):
                start = j + 1
            else:
                for key in lx.attributed.get(w.norm, ()):
                    if view.norms(j, j + len(key)) == key:
                        start, attributed = j + len(key), True
                        break
            if start is None:
                continue
            k = start
            while k < len(words) and k in time_words and k < start + 3:
                k += 1
            agent = by_first.get(k)
            if agent is None and k + 1 < len(words) and words[k].norm not in lx.prepositions \
                    and not words[k].pre:
                agent = by_first.get(k + 1)  # a head noun the name left out: "تبنته حركة «طالبان»"
            if agent is None or (agent.span.label == "LOC" and agent.data.get("kind") != "country") \
                    or (not attributed and self._prep_before(view, agent.first)):
                continue
            before = [h for h in nominal if h.last <= j]
            if not before:
                continue
            # the pronoun resumes the attack, not the deaths it caused ("اعتداء أسفر عن مقتل …، وقد تبناه")
            main = [h for h in before if not h.trigger.casualty]
            host = (main or before)[-1]
            if host.agent is None:
                host.agent = agent
        for h in nominal:
            if h.agent is not None or h.first < 2 or words[h.first - 1].norm != "عن" \
                    or words[h.first - 2].norm not in lx.responsibility:
                continue
            claim = h.first - 2
            claimants = [m for m in view.actors if m.last <= claim and words[m.first].clause == words[claim].clause
                         and not self._prep_before(view, m.first) and m.span.label != "LOC"]
            if claimants:
                h.agent = claimants[-1]

    def _support_verb_agent(self, view: SentenceView, hit: Hit, actors: list[Mention]) -> Mention | None:
        """"قام المتظاهرون بإحراق" / "قيام مجموعة من المتظاهرين بالتجمع": the agent of the ب-noun."""
        words = view.words
        if "ب" not in words[hit.first].pre:
            return None
        for j in range(hit.first - 1, max(-1, hit.first - 14), -1):
            if words[j].norm in self.lx.support_verbs:
                between = [m for m in actors if j < m.first and m.last <= hit.first
                           and not self._prep_before(view, m.first)]
                return between[0] if between else None
        return None

    def _nisba_sources(self, view: SentenceView, after: int) -> list[dict[str, Any]]:
        """'غارات سورية وأخرى روسية': nationality adjectives right after a nominal trigger name its sources."""
        out = []
        j = after
        words = view.words
        while j < len(words) and j <= after + 4:
            info = self.lx.nisba.get(words[j].norm)
            if info and info.get("code") and not words[j].art:
                out.append({"name_en": info["name_en"], "actor_code": info["code"], "country": info.get("iso2", ""),
                            "text": words[j].norm, "start": words[j].start, "end": words[j].end, "nisba": True})
                j += 1
                continue
            if out and words[j].norm in ("اخري", "اخر", "اخرين") and "و" in words[j].pre:
                j += 1
                continue
            break
        return out

    def _coordinated(self, view: SentenceView, primary: Mention) -> tuple[list[dict[str, Any]], bool]:
        """Actors joined to the primary one: 'X وحلفاؤها', 'X مع حلفائها A وB وC', 'X وY'."""
        words = view.words
        out: list[dict[str, Any]] = []
        j = primary.last
        allies_seen = False
        by_first = {m.first: m for m in view.actors}
        while j < len(words) and j <= primary.last + 12:
            w = words[j]
            if w.norm.startswith(self.lx.allies):
                allies_seen = True
                j += 1
                continue
            if w.norm in self.lx.comitative and not out:
                j += 1
                continue
            m = by_first.get(j)
            if m is not None and (allies_seen or "و" in w.pre or (j > 0 and words[j - 1].norm in self.lx.comitative)):
                if _actor_key(m.data) != _actor_key(primary.data):
                    out.append(m.data)
                j = m.last
                continue
            break
        if allies_seen and not out:
            return out, True  # "X وحلفاؤها" with no ally named: flagged on the event, not invented
        return out, False

    def _role_people(self, view: SentenceView, i: int, people: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
        """'الرئيسان الأميركي والروسي' → the presidents named earlier in the article with those nationalities."""
        words = view.words
        out = []
        for j in range(i, min(len(words), i + 5)):
            info = self.lx.nisba.get(words[j].norm)
            if info and info.get("iso2") and info["iso2"] in people:
                out.append(people[info["iso2"]])
            elif j > i and not info:
                break
        return out

    def _clause_role_people(self, view: SentenceView, clause: int, upto: int, people) -> list[dict[str, Any]]:
        for j in range(0, upto):
            w = view.words[j]
            if w.clause == clause and w.norm in self.lx.role_nouns:
                found = self._role_people(view, j + 1, people)
                if found:
                    return found
        return []

    def source_target(self, view: SentenceView, hit: Hit, carried: dict[str, Any] | None, speaker: dict | None,
                      people: dict[str, dict[str, Any]], reporter_keys: set[str], floor: int | None = None):
        words = view.words
        clause = words[hit.first].clause
        plover = self.lx.code_info(hit.cameo).plover
        # the reporter may be the actor too (claims); generic groups act only in their categories (civilians
        # protest, they do not kill: "قتل 5 مدنيين" names the victims)
        actors = [m for m in view.actors if not m.data.get("participant") or plover in m.data.get("acts", ())]
        # inside reported words ("قال X إن «تظاهرة انطلقت…»") the speaker before them is not an actor of the event
        if floor is not None:
            actors = [m for m in actors if m.first > floor]
        primary: Mention | None = None
        sources: list[dict[str, Any]] = []
        rule = ""
        patient: Mention | None = None
        verbal = hit.trigger.kind == "verb"
        if hit.trigger.speech_act and speaker:
            sources, rule = [speaker], "speaker"
        elif verbal:
            in_clause = [m for m in actors if words[m.first].clause == clause and not self._prep_before(view, m.first)]
            time_words = {j for t in view.times for j in range(t.first, t.last)}
            # counts and partitives stand between a verb and its subject too ("تجمع نحو مئة متظاهر")
            time_words |= {j for j in range(hit.last, min(len(words), hit.last + 4))
                           if words[j].num or words[j].norm in self.lx.partitive or words[j].norm in self.lx.numbers
                           or words[j].norm in self.lx.unit_nouns or words[j].norm == "من"}
            # VSO: the subject right after the verb (a time expression may stand between)
            post = [m for m in in_clause if hit.last <= m.first and all(
                j in time_words for j in range(hit.last, m.first)) and m.first <= hit.last + 4]
            pre = [m for m in in_clause if m.last <= hit.first]
            post_far = [m for m in in_clause if m.first >= hit.last and m.span.label != "LOC"]
            marked = self._marked_agent(view, hit, actors)
            if post and hit.trigger.casualty and post[0].data.get("participant") and post[0].first > hit.last \
                    and not post[0].data.get("instrument") and not self._count_after(view, post[0]):
                # "قتل العشرات من المسلحين", "قتل 5 مسلحين": a counted group after a killing verb is its victims
                patient, post = post[0], []
            antecedent = self._relative_antecedent(view, hit, actors)
            possessor = self._possessed_forces(view, hit) if not (pre and pre[-1].last == hit.first) else None
            if post and post[0].first > hit.last and pre and pre[-1].last == hit.first and (
                    pre[-1].first == 0 or words[pre[-1].first - 1].clause != clause
                    or words[pre[-1].first - 1].norm in self.lx.complementizers):
                # SVO with the subject opening the clause right before the verb ("إسرائيل تغتال 5 من …",
                # "أن الشرطة اعتقلت عشرات من المتظاهرين"): the counted group after the verb is its object
                post = []
            if marked is not None:
                primary, rule = marked, "agent-marker"
            elif possessor is not None:
                primary, rule = possessor, "possessor-of-forces"
            elif post:
                primary, rule = post[0], "subject-after-verb"
            elif pre:
                # SVO: the clause opens with its subject, unless و opens a second one ("X يسيطرون … و"داعش" يتقهقر")
                last = pre[-1]
                joined = "و" in words[last.first].pre or (last.first > 0 and words[last.first - 1].norm == "و")
                primary, rule = (last if len(pre) > 1 and joined else pre[0]), "subject-before-verb"
            elif hit.last < len(words) and words[hit.last].norm in self.lx.role_nouns:
                sources, rule = self._role_people(view, hit.last + 1, people), "role-nationality"
            elif antecedent is not None:
                primary, rule = antecedent, "relative-antecedent"
            elif post_far and not (hit.trigger.casualty and post_far[0].data.get("participant")
                                   and not post_far[0].data.get("instrument")):
                primary, rule = post_far[0], "subject-after-adverbials"
            if primary is None and not sources:
                # pro-drop: the pronoun subject is the latest actor of the sentence before the verb
                earlier = [m for m in actors if m.last <= hit.first and not view.in_quote(m.span.start)
                           and m.span.label != "LOC" and _actor_key(m.data) not in reporter_keys]
                # the pronoun's antecedent is a subject or object, rarely what follows ضد / على
                direct = [m for m in earlier if not self._prep_before(view, m.first)]
                if direct:
                    primary, rule = direct[0], "pro-drop-in-sentence"  # the main clause's subject
                elif earlier:
                    primary, rule = earlier[-1], "pro-drop-in-sentence"
        elif hit.agent is not None and hit.agent in actors:
            primary, rule = hit.agent, "resumed-agent"
        elif (agent := self._marked_agent(view, hit, actors)) is not None:
            primary, rule = agent, "agent-marker"
        elif (agent := self._support_verb_agent(view, hit, actors)) is not None:
            primary, rule = agent, "support-verb"
        else:
            nisba = self._nisba_sources(view, hit.last) if not words[hit.first].art or hit.trigger.kind == "phrase" else []
            genitive = [m for m in actors if m.first == hit.last and not self._prep_before(view, m.first)]
            if genitive and hit.trigger.genitive_patient:
                # the noun of a transitive verb: its genitive is what is acted on (استهداف قوات الجيش)
                patient, genitive = genitive[0], []
            pre = [m for m in actors if m.last <= hit.first and words[m.first].clause == clause
                   and not self._prep_before(view, m.first)]
            pre_any = [m for m in actors if m.last <= hit.first and words[m.first].clause == clause]
            coordinated_noun = "و" in words[hit.first].pre and genitive
            if nisba:
                sources, rule = nisba, "nationality-adjective"
                if self.lx.code_info(hit.cameo).context == "military":
                    # "غارات سورية", "ضربة جوية أميركية": a state's strikes are its armed forces'
                    sources = [dict(x, actor_code=x["actor_code"] + "MIL") for x in sources]
            elif coordinated_noun:
                # "سيطرة قوات النظام … وانسحاب مقاتلي المعارضة": a verbal noun joined by و has its own genitive agent
                primary, rule = genitive[0], "genitive"
            elif pre and genitive and pre[-1].first > 0 and words[pre[-1].first - 1].norm in self.lx.report_verbs:
                # "أعلنت الشرطة مقتل … بتفجير انتحاري": the subject of a reporting verb reports the verbal noun,
                # its agentive genitive does it
                primary, rule = genitive[0], "genitive"
            elif pre:
                # the subject of the clause's verb does the verbal noun; its genitive is then the patient
                primary, rule = pre[-1], "clause-subject"
                patient = genitive[0] if genitive else patient
            elif genitive:
                primary, rule = genitive[0], "genitive"
            elif pre_any:
                primary, rule = pre_any[-1], "agent-before-noun"
            else:
                sources = self._clause_role_people(view, clause, hit.first, people)
                rule = "role-nationality" if sources else ""
                if not sources:
                    # the participants the sentence names (التظاهرة التي شارك فيها مئات المتظاهرين)
                    part = [m for m in actors if m.data.get("participant")]
                    if part:
                        primary = min(part, key=lambda m: abs(m.first - hit.first))
                        rule = "participants-in-sentence"
        unnamed_allies = False
        if plover == "PROTEST" and not (primary is not None and primary.data.get("participant")):
            # protesters protest: a group that acts in this category, named in the clause, beats other actors
            group = [m for m in actors if m.data.get("participant") and words[m.first].clause == clause]
            if group:
                primary, sources, rule = min(group, key=lambda m: abs(m.first - hit.first)), [], "participants-in-clause"
        if primary is not None and primary.last - primary.first == 1 and words[primary.first].norm in self.lx.unit_nouns \
                and primary.last < len(words) and words[primary.last].norm == "من":
            owner = next((m for m in actors if primary.last < m.first <= primary.last + 2), None)
            if owner is not None:
                primary = owner  # "قوة من الشرطة العراقية": the force is the police's
        elif primary is not None and primary.data.get("participant") and not primary.data.get("instrument"):
            # "مهاجما انتحاريا من حركة طالبان", "مسلحون من حزب الله": a generic agent of a named group is that group
            k = primary.last
            while (nxt := next((m for m in view.actors if m.first == k and m.data.get("participant")), None)) is not None:
                k = nxt.last  # "مهاجما انتحاريا": one agent in two generic words
            owner = None
            if k < len(words) and words[k].norm == "من":
                owner = next((m for m in view.actors if k < m.first <= k + 2), None)
            if owner is not None and not owner.data.get("participant") and owner.span.label != "LOC" \
                    and owner.data.get("actor_code"):
                recode = primary.data.get("recode")
                # the group acts through these people: protesters of a party who block a road still protest
                primary = Mention(owner.first, owner.last, owner.span, dict(owner.data, recode=recode)) if recode else owner
        if primary is not None:
            allies, unnamed_allies = self._coordinated(view, primary)
            sources = [primary.data] + allies
        if not sources and carried and _actor_key(carried) not in reporter_keys:
            sources, rule = [carried], "carried-subject"
        if not sources and plover in self.lx.default_source and not hit.trigger.needs_source:
            d = self.lx.default_source[plover]
            sources, rule = [{"name_en": d["en"], "actor_code": d["code"], "inferred": True}], "category-default"
        # the target: the next actor after the trigger that is not a source or the reporter
        skip = {_actor_key(s) for s in sources} | reporter_keys
        taken = {(s.get("start"), s.get("end")) for s in sources if s.get("nisba")}
        chosen: Mention | None = None
        if patient is not None and _actor_key(patient.data) not in skip:
            chosen = patient
        elif hit.trigger.speech_act:
            before = [m for m in actors if m.last <= hit.first and _actor_key(m.data) not in skip]
            chosen = before[-1] if before else None
        else:
            reach = clause + 1 if verbal else clause
            for m in actors:
                if m.first >= hit.last and _actor_key(m.data) not in skip and words[m.first].clause <= reach \
                        and not any(a is not None and a <= m.span.start < b for a, b in taken):
                    chosen = m
                    break
        targets: list[dict[str, Any]] = []
        if chosen is not None:
            targets = [chosen.data] + self._coordinated(view, chosen)[0]
            # "رئيسي تركيا وإيران": the office-holders of those countries, when the article names them
            if chosen.first > 0 and words[chosen.first - 1].norm in self.lx.role_nouns:
                held = [people.get(t.get("country", "")) for t in targets]
                if all(held):
                    targets = held
        return sources, targets, rule, unnamed_allies

    def place_for(self, view: SentenceView, hit: Hit, used: set[int], focal: Mention | None, plover: str):
        words = view.words
        clause = words[hit.first].clause
        lx = self.lx
        candidates = [m for m in view.places if words[m.first].clause == clause and m.first not in used
                      and not self._acting_place(view, m)]
        if candidates:
            rank = {"exact": 0, "near": 1, "region": 2, "country": 3}

            def score(m: Mention):
                level = lx.place_precision.get(m.span.attrs.get("kind", ""), "region")
                return (rank.get(level, 2), 0 if m.first >= hit.last else 1, abs(m.first - hit.first))

            best = min(candidates, key=score)
            level = lx.place_precision.get(best.span.attrs.get("kind", ""), "region")
            return _place_record(best, "clause", level), level, _place_key(best)
        if focal is not None and plover in lx.focal_categories:
            level = lx.place_precision.get(focal.span.attrs.get("kind", ""), "region")
            return _place_record(focal, "focal", level), level, _place_key(focal)
        return None, "unknown", ""

    def _acting_place(self, view: SentenceView, m: Mention) -> bool:
        """A country named without a preposition acts (استخدام روسيا) and a nationality-shaped name right after
        a noun is an adjective (غارات سورية): neither says where something happened."""
        words = view.words
        w = words[m.first]
        k = m.first
        while k > 0 and words[k - 1].norm in self.lx.compass_words and not self._prep_before(view, k):
            k -= 1
        located = self._prep_before(view, k) or (k > 0 and words[k - 1].norm in self.lx.locative_heads)
        if located:
            return False
        if m.span.attrs.get("kind") == "country":
            return True
        return m.last - m.first == 1 and w.norm in self.lx.nisba and not w.art

    def date_for(self, view: SentenceView, hit: Hit):
        words = view.words
        clause = words[hit.first].clause
        best = None
        for m in view.times:
            if words[m.first].clause != clause or m.span.attrs.get("type") == "DURATION":
                continue
            value = m.span.attrs.get("value")
            if not value or (isinstance(value, str) and value.endswith("_REF") and value != "PAST_REF"):
                continue
            if _first_day(value).startswith("XXXX-XX-XXT"):
                continue  # a clock time (or range of them) of an unknown day (الساعة العاشرة صباحا) dates nothing
            d = (0 if m.first >= hit.last else 1, abs(m.first - hit.first))
            if best is None or d < best[0]:
                best = (d, m)
        return best[1] if best else None

    def modality(self, view: SentenceView, hit: Hit, date_value: Any, published: str | None) -> str:
        lx = self.lx
        words = view.words
        clause = words[hit.first].clause
        w = words[hit.first]
        verbal = hit.trigger.kind == "verb"
        # negation right before the trigger (قد may stand between)
        k = hit.first - 1
        if k >= 0 and words[k].norm == "قد":
            k -= 1
        if k >= 0 and words[k].clause == clause:
            if verbal and words[k].norm in lx.negation_verbal:
                return "negated"
            if not verbal and words[k].norm in lx.negation_nominal:
                return "negated"
        if any(words[j].norm in lx.denial for j in range(0, hit.first)):
            return "denied"
        lo = max(0, hit.first - lx.modality_window)

        def cue(index: dict[str, list[tuple[str, ...]]], lo: int, hi: int) -> bool:
            for j in range(lo, hi):
                if words[j].clause != clause:
                    continue
                for key in index.get(words[j].norm, ()):
                    if view.norms(j, j + len(key)) == key:
                        return True
            return False

        if cue(lx.conditional, 0, hit.first):
            return "conditional"
        if cue(lx.hypothetical, lo, min(len(words), hit.last + 2)):
            return "hypothetical"
        if "س" in w.pre or lx.is_future(w.norm) or cue(lx.planned, lo, hit.first):
            return "planned"
        if not verbal and any(words[j].norm in lx.plan_nouns for j in range(hit.first)):
            return "planned"  # "خطة واشنطن … تستند إلى … استهداف قوات الجيش": what a plan foresees
        if hit.trigger.statement and any("س" in x.pre or self.lx.is_future(x.norm) for x in words[hit.last:]):
            return "planned"
        published = _iso_day(published)
        if published and date_value:
            day = _first_day(date_value)
            if len(day) == 10 and day > published:
                return "planned"
        return "reported"

    def is_state(self, view: SentenceView, hit: Hit) -> bool:
        words = view.words
        for back in (1, 2, 3):
            j = hit.first - back
            if j < 0:
                break
            for key in self.lx.state.get(words[j].norm, ()):
                if view.norms(j, j + len(key)) == key and j + len(key) == hit.first:
                    return True
        return False

    def casualties(self, view: SentenceView, hit: Hit, quantities: list[Quantity]) -> dict[str, Any] | None:
        words = view.words
        clause = words[hit.first].clause
        near = [q for q in quantities if words[q.first].clause == clause and q.attrs["unit"] == "count"
                and (hit.last <= q.first <= hit.last + 3 or hit.first - 4 <= q.last <= hit.first)]
        if not near:
            return None
        q = min(near, key=lambda q: abs(q.first - hit.first))
        record: dict[str, Any] = {"low": q.attrs.get("low"), "high": q.attrs.get("high")}
        side = ""
        noun = q.attrs.get("noun", "")
        if noun in self.lx.people:
            side = self.lx.people[noun]
        for m in view.actors:
            if q.last <= m.first <= q.last + 3:
                side = m.data.get("name_en", side)
                break
        if side:
            record["side"] = side
        return record

    # --- the article ---------------------------------------------------------------------------------------
    def read(self, doc: Document) -> ArticleReading:
        lx = self.lx
        views = build_views(doc, lx)
        sections = self._sections(doc, views)
        focal = self._focal_places(views, sections)
        people = {}  # ISO2 → first PERSON of that country (for "الرئيسان الأميركي والروسي")
        for v in views:
            for m in v.actors:
                if m.span.label == "PERSON" and m.data.get("country") and m.data["country"] not in people:
                    people[m.data["country"]] = m.data
        memory = SpeakerMemory()
        self._holders: dict[str, dict[str, Any]] = {}  # place → the actor last said to hold it
        events: list[Event] = []
        quotes: list[tuple[QuoteRecord, int]] = []
        quantities: list[tuple[Quantity, int]] = []
        claims: list[Claim] = []
        last_date: dict[int, tuple[Any, str]] = {}
        # the headline is read last: it restates the body
        order = [v for v in views if not v.headline] + [v for v in views if v.headline]
        for view in order:
            if not view.words:
                continue
            section = sections[view.index]
            time_words = {j for m in view.times for j in range(m.first, m.last)}
            qs = find_quantities(lx, view, time_words)
            quantities.extend((q, view.index) for q in qs)
            speech = find_speech(lx, view, memory)
            for record in find_quotes(lx, view, speech, memory, doc.text):
                quotes.append((record, view.index))
            reporter, reporter_rule = self._attribution(view, speech)
            reporter_keys = {_actor_key(reporter)} if reporter else set()
            speaker = next((s.speaker for s in speech if s.speaker), None)
            sentence_events: list[Event] = []
            carried = memory.last_subject
            hits = self.triggers(view)
            self.resume_agents(view, hits)
            for hit in hits:
                ev, claim = self._event(doc, view, hit, section, carried, speaker, speech, people, reporter,
                                        reporter_rule, reporter_keys, focal.get(section), qs, last_date)
                if claim is not None:
                    claims.append(claim)
                if ev is not None:
                    ev.claim = claim
                    sentence_events.append(ev)
                    if ev.own_date:
                        last_date[section] = (ev.attrs["date"], ev.attrs["date_precision"])
                    if ev.attrs["source"] and not ev.attrs["source"][0].get("inferred"):
                        carried = ev.attrs["source"][0]
            sentence_events = self._within_sentence(sentence_events)
            for ev in sentence_events:
                prior = self._merge_into(events, ev, view.headline)
                if prior is None:
                    events.append(ev)
                elif ev.claim is not None and ev.claim.attrs["date_source"] != "clause" and prior.attrs.get("date"):
                    # a restated gain ("سيطرت … على أكثر من ثمانين في المائة") is dated like the event it restates
                    ev.claim.attrs["date"] = prior.attrs["date"]
                    ev.claim.attrs["date_source"] = "restated-event"
            # what the next sentence's pro-drop subject and bare speech verbs refer to
            if speech and speech[-1].speaker:
                memory.last_speaker = speech[-1].speaker
            # the next pro-drop subject: the actor of this sentence's last event, else the subject of what was
            # reported (قال X إن Y …: Y), else the sentence's first actor
            with_source = [e for e in sentence_events if e.attrs.get("source") and not e.attrs["source"][0].get("inferred")]
            subject = with_source[-1].attrs["source"][0] if with_source else self._reported_subject(view, speech)
            subject = subject or self._sentence_subject(view)
            if subject is not None:
                memory.last_subject = subject
        claims = self._merge_claims(claims)
        events.sort(key=lambda e: e.start)
        return ArticleReading(events, quotes, quantities, claims, views)

    def _reported_subject(self, view: SentenceView, speech: list[Speech]) -> dict[str, Any] | None:
        for s in speech:
            if s.complement is not None:
                for m in view.actors:
                    if m.first > s.complement and not self._prep_before(view, m.first):
                        return m.data
        return None

    def _sentence_subject(self, view: SentenceView) -> dict[str, Any] | None:
        """The actor the sentence is about: the first actor not after a preposition, outside quotes."""
        for m in view.actors:
            if view.in_quote(m.span.start):
                continue
            if not self._prep_before(view, m.first) and m.first <= 6:
                return m.data
        return None

    def _attribution(self, view: SentenceView, speech: list[Speech]):
        words = view.words
        for i in view.where(ATTRIBUTION):  # the other words start no according-to frame
            w = words[i]
            for key in self.lx.attribution.get(w.norm, ()):
                if view.norms(i, i + len(key)) == key:
                    for m in view.actors:
                        if i + len(key) <= m.first <= i + len(key) + 3:
                            return m.data, "according-to"
                    # "وفق ما يقول X" is handled by the speech verb after the frame
        return None, ""

    def _event(self, doc, view, hit, section, carried, speaker, speech, people, reporter, reporter_rule,
               reporter_keys, focal, quantities, last_date):
        lx = self.lx
        words = view.words
        info = lx.code_info(hit.cameo)
        plover = info.plover or ""
        state = hit.trigger.control == "gain" and self.is_state(view, hit)
        # who reports it: a speaker whose words hold the trigger, else an according-to frame
        reported_by, reported_rule = None, ""
        in_quote = view.in_quote(words[hit.first].start)
        governing = [s for s in speech if s.verb < hit.first and s.speaker]
        if in_quote or governing:
            src = governing[-1] if governing else next((s for s in speech if s.speaker), None)
            if src is not None:
                reported_by, reported_rule = src.speaker, "speaker"
        if reported_by is None and reporter is not None:
            reported_by, reported_rule = reporter, reporter_rule
        rkeys = {_actor_key(reported_by)} if reported_by else set()
        if hit.trigger.speech_act:
            rkeys = set()
        floor = None
        if governing and not hit.trigger.speech_act:
            s0 = governing[-1]
            floor = s0.complement
            if floor is None and in_quote:
                floor = next((w.i - 1 for w in words if view.in_quote(w.start) and w.i <= hit.first
                              and w.start > words[s0.verb].start), s0.verb)
        sources, target, source_rule, unnamed_allies = self.source_target(view, hit, carried, speaker, people, rkeys, floor)
        if hit.trigger.needs_source and not sources:
            return None, None
        recode = sources[0].get("recode", {}).get(plover) if sources else None
        if recode:
            # protesters who attack or clash are rioting (CAMEO 145); their demands are a demonstration (141)
            hit = Hit(hit.first, hit.last, hit.trigger, recode, hit.object_word)
            info = lx.code_info(hit.cameo)
            plover = info.plover or ""
        if hit.trigger.source_kinds:
            kind = (sources[0].get("kind", "") if sources else "").lower()
            if not any(k in kind for k in hit.trigger.source_kinds):
                return None, None
        used = {m.first for m in view.actors if any(_actor_key(m.data) == _actor_key(s) for s in sources + target if s)}
        nisba_starts = {s.get("start") for s in sources if s.get("nisba")}
        if nisba_starts:
            used |= {w.i for w in words if w.start in nisba_starts}
        # a place word consumed as a nationality adjective or acting as an actor is not where it happened
        place_used = {m.first for m in view.places if any(a.first <= m.first < a.last for a in view.actors
                                                          if a.first in used)}
        place_used |= {m.first for m in view.places if any(s.get("nisba") and s.get("start") == m.span.start for s in sources)}
        place, precision, place_key = self.place_for(view, hit, place_used, focal, plover)
        timex = self.date_for(view, hit)
        date_value, date_precision, date_source = None, "unknown", ""
        if timex is not None:
            date_value = timex.span.attrs.get("value")
            date_precision = _date_precision(date_value, timex.span.attrs.get("flags", []))
            date_source = "clause"
        elif state and _iso_day(doc.published):
            date_value, date_precision, date_source = _iso_day(doc.published), "day", "present-tense-publication"
        elif section in last_date and not view.headline:
            date_value, date_precision = last_date[section]
            date_source = "previous-event"
        modality = self.modality(view, hit, date_value if date_source == "clause" else None, doc.published)
        if modality == "reported" and reported_by and sources:
            rk = _actor_key(reported_by)
            party = [s for s in sources + target if s]
            # a party announcing its own action claims it; a speaker's own words (speech acts) are reported
            if not hit.trigger.speech_act and any(_actor_key(s) == rk for s in party):
                modality = "claimed"
        clause = words[hit.first].clause
        quantity = next((q for q in quantities if words[q.first].clause == clause and q.first >= hit.last), None)
        claim = None
        if hit.trigger.control and modality in ("reported", "claimed") and sources and place is not None:
            holder = self._holders.get(place_key)
            # territory is taken from whoever the article last said held it
            if hit.trigger.control == "gain" and not target and holder and _actor_key(holder) != _actor_key(sources[0]):
                target = [holder]
            claim = self._claim(view, hit, sources[0], place, date_value, date_source, reported_by, quantity)
            if hit.trigger.control in ("gain", "hold") or claim.attrs.get("share"):
                self._holders[place_key] = sources[0]
        if state:
            return None, claim
        trig_start, trig_end = words[hit.first].start, words[hit.last - 1].end
        attrs: dict[str, Any] = {
            "cameo": hit.cameo,
            "plover": info.plover if info.plover not in ("STATEMENT", "APPEAL") else None,
            "mode": info.mode or None,
            "context": info.context or None,
            "cameo_name": info.name,
            "trigger": [trig_start, trig_end],
            "trigger_text": doc.text[trig_start:trig_end],
            "source": sources,
            "source_rule": source_rule,
            "unnamed_allies": unnamed_allies,
            "target": target,
            "place": place,
            "place_precision": precision,
            "date": date_value,
            "date_precision": date_precision,
            "date_source": date_source or "unknown",
            "modality": modality,
            "reported_by": reported_by,
            "reported_rule": reported_rule,
            "sentence": [view.span.start, view.span.end],
            "pattern": hit.trigger.pattern + (f"+{hit.object_word}" if hit.object_word else ""),
            "gloss": hit.trigger.gloss,
        }
        if quantity is not None:
            attrs["quantity"] = {"text": doc.text[quantity.start:quantity.end], **quantity.attrs}
        if hit.trigger.casualty:
            record = self.casualties(view, hit, quantities)
            if record:
                attrs["casualties"] = {hit.trigger.casualty: record}
        if view.headline:
            attrs["headline"] = True
        return Event(trig_start, trig_end, attrs, view.index, clause, hit, section, place_key,
                     date_source == "clause", words[hit.first].art), claim

    def _claim(self, view, hit, actor, place, date_value, date_source, reported_by, quantity) -> Claim:
        words = view.words
        clause = words[hit.first].clause
        share: dict[str, Any] | None = None
        if quantity is not None and quantity.attrs.get("unit") == "percent":
            share = {"text": "", "percent": quantity.attrs.get("value"), "qualifier": quantity.attrs.get("qualifier"),
                     "en": f"{'more than ' if quantity.attrs.get('qualifier') == 'more_than' else ''}{quantity.attrs.get('value'):g}%"}
            share["text"] = " ".join(w.norm for w in words[quantity.first:quantity.last])
        else:
            for j in range(hit.last, min(len(words), hit.last + 5)):
                if words[j].clause != clause:
                    break
                entry = self.lx.share.get(words[j].norm)
                if entry:
                    parts = [self.lx.compass[x.norm] for x in words[j + 1:j + 6] if x.norm in self.lx.compass]
                    en = entry["en"] if not parts else f"the {' and '.join(_compass_groups(words, j + 1, self.lx))} {entry['en']}"
                    share = {"text": words[j].norm, "en": en}
                    if "fraction" in entry:
                        share["fraction"] = entry["fraction"]
                    break
        kind = {"gain": "holds", "retreat": "holds" if share else "lost", "hold": "holds"}.get(hit.trigger.control, "holds")
        attrs = {"place": place, "actor": actor, "share": share, "date": date_value,
                 "date_source": date_source or "unknown", "reported_by": reported_by,
                 "claim": kind, "sentence": [view.span.start, view.span.end],
                 "pattern": hit.trigger.pattern}
        start, end = words[hit.first].start, words[hit.last - 1].end
        return Claim(start, end, attrs)

    # --- merging -----------------------------------------------------------------------------------------------
    def _within_sentence(self, evs: list[Event]) -> list[Event]:
        """Statements give way to the events they announce; an attack absorbs the killings of its clause."""
        if len(evs) > 1:
            evs = [e for e in evs if not e.hit.trigger.statement]
        out: list[Event] = []
        for ev in evs:
            merged = False
            for k, o in enumerate(out):
                if o.clause != ev.clause:
                    continue
                for host, guest in ((o, ev), (ev, o)):
                    absorb = self.lx.subsume.get(host.attrs["plover"] or "", frozenset())
                    same_kind = (guest.attrs["plover"] or "") == (host.attrs["plover"] or "")
                    if (guest.attrs["plover"] or "") not in absorb:
                        continue
                    # within one category only a casualty trigger (قتل) gives way, to the attack it reports
                    if same_kind and not (guest.hit.trigger.casualty and not host.hit.trigger.casualty):
                        continue
                    if guest.attrs["source"] and host.attrs["source"] and \
                            _actor_key(guest.attrs["source"][0]) != _actor_key(host.attrs["source"][0]):
                        continue
                    if guest.attrs.get("casualties"):
                        host.attrs.setdefault("casualties", {}).update(guest.attrs["casualties"])
                    if not host.attrs["source"] and guest.attrs["source"]:
                        host.attrs["source"] = guest.attrs["source"]
                    host.mentions.append((guest.start, guest.end))
                    out[k] = host
                    merged = True
                    break
                if merged:
                    break
            if not merged:
                out.append(ev)
        return out

    def _merge_into(self, events: list[Event], ev: Event, headline: bool) -> Event | None:
        """Merge a mention that repeats an earlier event into it: the headline's summary, a definite anaphor
        (المعارك، القصف) with no date of its own, or a restatement (same trigger, actor and place)."""
        a = ev.attrs
        src = _actor_key(a["source"][0]) if a["source"] else ""
        definite_anaphor = ev.hit.trigger.anaphoric and ev.hit.trigger.kind != "verb" and ev.definite
        candidates = events if headline else list(reversed(events))
        for prior in candidates:
            p = prior.attrs
            if prior.section != ev.section and not headline:
                continue
            if p["modality"] != a["modality"] and not headline:
                continue
            same_place = prior.place_key == ev.place_key or not ev.place_key
            if headline:
                if p["plover"] == a["plover"] and same_place:
                    prior.mentions.append((ev.start, ev.end))
                    return prior
                continue
            if definite_anaphor and not ev.own_date and same_place and p["plover"] == a["plover"]:
                prior.mentions.append((ev.start, ev.end))
                return prior
            psrc = _actor_key(p["source"][0]) if p["source"] else ""
            if prior.hit.trigger.name == ev.hit.trigger.name and src and src == psrc and same_place \
                    and (not ev.own_date or a["date"] == p["date"]):
                prior.mentions.append((ev.start, ev.end))
                if a.get("quantity") and not p.get("quantity"):
                    p["quantity"] = a["quantity"]
                return prior
        return None

    @staticmethod
    def _merge_claims(claims: list[Claim]) -> list[Claim]:
        """One claim per actor, place and day: restatements merge, claims of other days stay (a timeline)."""
        out: list[Claim] = []

        def key(c: Claim) -> tuple[str, Any]:
            return _actor_key(c.attrs["actor"]), c.attrs["place"].get("geonameid") or c.attrs["place"].get("name_en")

        for c in claims:
            day = _first_day(c.attrs.get("date"))
            prior = next((o for o in out if key(o) == key(c) and (not day or not _first_day(o.attrs.get("date"))
                                                                  or _first_day(o.attrs.get("date")) == day)), None)
            if prior is None:
                c.attrs["mentions"] = []
                out.append(c)
                continue
            prior.attrs["mentions"].append([c.start, c.end])
            ps, cs = prior.attrs.get("share"), c.attrs.get("share")
            if cs and (not ps or ("percent" in cs and "percent" not in ps)):
                if ps:
                    cs["also"] = ps.get("en")
                prior.attrs["share"] = cs
            for k in ("date", "reported_by"):
                if not prior.attrs.get(k) and c.attrs.get(k):
                    prior.attrs[k] = c.attrs[k]
        return out

    # --- sections and focal places ---------------------------------------------------------------------------
    @staticmethod
    def _sections(doc: Document, views: list[SentenceView]) -> dict[int, int]:
        """A short line with no final punctuation inside the body (a subheading) starts a new section."""
        sections: dict[int, int] = {}
        current = 0
        text = doc.text
        for v in views:
            s = v.span
            line_start = text.rfind("\n", 0, s.start) + 1
            line_end = text.find("\n", s.end)
            line_end = len(text) if line_end < 0 else line_end
            whole_line = not text[line_start:s.start].strip() and not text[s.end:line_end].strip()
            if not v.headline and whole_line and len(v.words) <= 10 and text[s.end - 1:s.end] not in ".!؟?:»\"”" and v.index > 1:
                current += 1
            sections[v.index] = current
        return sections

    def _focal_places(self, views: list[SentenceView], sections: dict[int, int]) -> dict[int, Mention]:
        """Per section, the most mentioned town-level place (region-level only when named twice)."""
        counts: dict[int, dict[str, list[Mention]]] = {}
        for v in views:
            for m in v.places:
                key = _place_key(m)
                counts.setdefault(sections[v.index], {}).setdefault(key, []).append(m)
        focal: dict[int, Mention] = {}
        for section, places in counts.items():
            best = None
            for key, ms in places.items():
                level = self.lx.place_precision.get(ms[0].span.attrs.get("kind", ""), "region")
                if level in ("exact", "near"):
                    rank = (0, -len(ms), ms[0].span.start)
                elif level == "region" and len(ms) >= 2:
                    rank = (1, -len(ms), ms[0].span.start)
                else:
                    continue
                if best is None or rank < best[0]:
                    best = (rank, ms[0])
            if best:
                focal[section] = best[1]
        return focal


def _place_key(m: Mention) -> str:
    a = m.span.attrs
    return str(a.get("geonameid") or a.get("name_en") or m.span.start)


def _compass_groups(words: list[Word], start: int, lx: EventLexicon) -> list[str]:
    """'الشمالي الشرقي والشمالي' → ['north-east', 'north']."""
    groups: list[list[str]] = []
    for w in words[start:start + 6]:
        en = lx.compass.get(w.norm)
        if en is None:
            break
        if "و" in w.pre or not groups:
            groups.append([en])
        else:
            groups[-1].append(en)
    return ["-".join(g) for g in groups]
