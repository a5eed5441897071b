"""Scorers: one gold item and the Document the pipeline made of it in, LayerResults out (docs/evaluation.md).

Every scorer reads only the layers of docs/layers.md. A layer the pipeline did not produce scores as if it were
empty (recall 0) and is reported "not produced"; it never raises.
"""
from __future__ import annotations

import json
import re
from typing import Any, Callable

from marsad.document import Document, Span
from marsad.eval.gold import ArticleGold, EventSentenceGold, NerSentenceGold, TimeMLGold, TimeSentenceGold
from marsad.eval.match import Locator, Sentences, as_list, fold, haversine_km, key, overlaps, same_name, same_value
from marsad.eval.scores import PRF, LayerResult
from marsad.time.score import best_overlap, judge

NEAR_KM = 25.0
NER_TYPES = ("PERSON", "ORG", "LOC", "MISC")
# Entity labels of the entities layer read as the gold scheme's types (a generic agent stands for an actor).
ENTITY_TYPE = {"PERSON": "PERSON", "ORG": "ORG", "AGENT": "ORG", "LOC": "LOC"}
QUOTE_MARKS = "\"'«»“”„‘’ :،-–—"
# CAMEO sector (role) codes: a lone three-letter code is a sector when it is one of these, else a country.
SECTORS = frozenset("GOV MIL REB OPP PTY COP JUD SPY IGO MED EDU BUS CRM CVL REF LAB LEG HLH AGR ELI NGO MNC UAF "
                    "INS SEP MOD RAD REL ENV AMN IRC GRP UNO".split())

Results = dict[str, LayerResult]


def _result(results: Results, layer: str, primary: str, doc: Document, produced_by: str) -> LayerResult:
    if layer not in results:
        results[layer] = LayerResult(layer, primary)
    results[layer].produced = results[layer].produced or produced_by in doc.layers
    return results[layer]


def _short(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- reading produced attributes (tolerant of a value given as a string, a dict or a list) ------------------
def _entity_at(doc: Document, start: int, end: int) -> Span | None:
    return _span_at(doc, "entities", start, end)


def names_of(value: Any, doc: Document) -> list[str]:
    """English names from an actor-valued attribute: "Russia", {"name_en": …}, {"start", "end"} of an entity, lists."""
    out = []
    for v in as_list(value):
        if isinstance(v, str):
            out.append(v)
        elif isinstance(v, dict):
            name = v.get("name_en") or v.get("name")
            if not name and "start" in v and "end" in v:
                ent = _entity_at(doc, v["start"], v["end"])
                name = ent.attrs.get("name_en") if ent else None
            if name:
                out.append(name)
    return out


def codes_of(value: Any, doc: Document) -> list[str]:
    out = []
    for v in as_list(value):
        if isinstance(v, dict):
            code = v.get("actor_code") or v.get("code")
            if not code and "start" in v and "end" in v:
                ent = _entity_at(doc, v["start"], v["end"])
                code = ent.attrs.get("actor_code") if ent else None
            if code:
                out.append(code)
        elif isinstance(v, str):
            out.extend(e.attrs["actor_code"] for e in doc.layer("entities")
                       if e.attrs.get("actor_code") and same_name(e.attrs.get("name_en"), v))
    return out


def _attr(span: Span, *names: str) -> Any:
    for name in names:
        if name in span.attrs and span.attrs[name] not in (None, "", []):
            return span.attrs[name]
    return None


def event_sources(span: Span) -> Any:
    return _attr(span, "source", "sources", "source_actor", "source_actors")


def event_targets(span: Span) -> Any:
    return _attr(span, "target", "targets", "target_actor", "target_actors")


def _span_at(doc: Document, layer: str, start: Any, end: Any) -> Span | None:
    for span in doc.layer(layer):
        if span.start == start and span.end == end:
            return span
    return None


def time_value(value: Any, doc: Document | None = None) -> Any:
    """A date attribute as a TIMEX3 value: the value itself, {"value": …}, or {"start", "end"} of a TIMEX span."""
    if isinstance(value, dict):
        if "value" in value:
            return value["value"]
        if doc is not None and "start" in value and "end" in value:
            timex = _span_at(doc, "times", value["start"], value["end"])
            return timex.attrs.get("value") if timex else None
        return None
    return value


def place_of(value: Any, doc: Document) -> Any:
    """A place attribute with {"start", "end"} references replaced by the attrs of that PLACE span."""
    out = []
    for v in as_list(value):
        if isinstance(v, dict) and "start" in v and "end" in v and not ({"name_en", "geonameid", "lat"} & set(v)):
            place = _span_at(doc, "places", v["start"], v["end"])
            v = dict(place.attrs) if place else v
        out.append(v)
    return out


def same_set_of_names(gold: Any, produced: list[str]) -> bool:
    g = {" ".join(x.casefold().split()) for x in as_list(gold)}
    return bool(g) and g == {" ".join(x.casefold().split()) for x in produced}


def split_code(code: str) -> tuple[str | None, str | None]:
    """A CAMEO actor code as (country, sector): SYRMIL → (SYR, MIL), CVL → (None, CVL), IRQ → (IRQ, None)."""
    code = code.replace(" ", "").upper()
    if len(code) >= 6:
        return code[:3], code[3:6]
    if code in SECTORS:
        return None, code
    return (code or None), None


def gold_code(code: str | None) -> tuple[str | None, str | None] | None:
    if not code:
        return None
    country, _, sector = code.partition(" ")
    parts = (None if country == "None" else country, None if sector in ("None", "") else sector)
    return None if parts == (None, None) else parts


# --- places ---------------------------------------------------------------------------------------------
class GoldPlaces:
    """The article's gold places by English name, so an event's or claim's place can be judged by id or distance."""

    def __init__(self, places: list[dict]):
        self.by_name = {" ".join(p["name_en"].casefold().split()): p for p in places if p.get("name_en")}

    def same_place(self, gold_name: str, produced: Any) -> bool:
        for value in as_list(produced):
            if isinstance(value, str):
                if same_name(gold_name, value):
                    return True
            elif isinstance(value, dict):
                if same_name(gold_name, value.get("name_en")):
                    return True
                ref = self.by_name.get(" ".join(gold_name.casefold().split()))
                if ref and resolved_right(ref, value)[0]:
                    return True
        return False


def resolved_right(gold: dict, attrs: dict) -> tuple[bool, str]:
    """Is a produced place (its attrs) the gold place? Returns the verdict and the reason, for error listings."""
    gid = attrs.get("geonameid")
    if gold.get("geonameid") is not None and gid is not None and int(gid) == gold["geonameid"]:
        return True, "same geonameid"
    if "lat" in gold and attrs.get("lat") is not None and attrs.get("lon") is not None:
        d = haversine_km(gold["lat"], gold["lon"], float(attrs["lat"]), float(attrs["lon"]))
        return d <= NEAR_KM, f"{d:.0f} km away"
    if gold.get("geonameid") is not None or "lat" in gold:
        return False, "no matching geonameid or coordinates"
    if gold.get("country"):
        return attrs.get("country") == gold["country"], f"country {attrs.get('country')}"
    return same_name(gold.get("name_en"), attrs.get("name_en")), f"name {attrs.get('name_en')!r}"


# --- article readings -----------------------------------------------------------------------------------
def score_article(gold: ArticleGold, doc: Document, layers: set[str] | None = None) -> Results:
    results: Results = {}
    ctx = _ArticleContext(gold, doc)
    for layer, scorer in _ARTICLE_SCORERS.items():
        if layers is None or layer in layers:
            scorer(ctx, results)
    return results


class _ArticleContext:
    def __init__(self, gold: ArticleGold, doc: Document):
        self.gold, self.data, self.doc, self.name = gold, gold.data, doc, gold.name
        self.locator = Locator(doc.text)
        self.sentences = Sentences(doc)
        self.places = GoldPlaces(self.data.get("places", []))

    def sentence_of(self, phrase: str) -> str:
        occ = self.locator.find(phrase)
        return _short(self.sentences.of(occ[0])) if occ else ""

    def span_sentence(self, span: Span) -> str:
        return _short(self.sentences.of(span))


def _score_dateline(ctx: _ArticleContext, results: Results) -> None:
    if "dateline" not in ctx.data:
        return
    r = _result(results, "dateline", "correct", ctx.doc, "clean")
    spans = [s for s in ctx.doc.layer("clean") if s.label == "DATELINE"]
    got = spans[0].attrs.get("place") if spans else None
    right = got is not None and fold(got) == fold(ctx.data["dateline"])
    r.metric("correct").add(right)
    if not right:
        r.miss("wrong dateline" if got else "missed", ctx.name, expected=ctx.data["dateline"], got=got,
               sentence=ctx.sentence_of(ctx.data["dateline"]))


def _score_headline(ctx: _ArticleContext, results: Results) -> None:
    if "headline" not in ctx.data:
        return
    r = _result(results, "headline", "correct", ctx.doc, "clean")
    spans = [s for s in ctx.doc.layer("clean") if s.label == "HEADLINE"]
    got = ctx.doc.span_text(spans[0]) if spans else None
    right = got is not None and fold(got) == fold(ctx.data["headline"])
    r.metric("correct").add(right)
    if not right:
        r.miss("wrong headline" if got else "missed", ctx.name, expected=ctx.data["headline"], got=got)


def _score_boilerplate(ctx: _ArticleContext, results: Results) -> None:
    if "boilerplate" not in ctx.data:
        return
    r = _result(results, "boilerplate", "strings", ctx.doc, "clean")
    m = r.metric("strings", PRF)
    produced = [s for s in ctx.doc.layer("clean") if s.label in ("BOILERPLATE", "CREDIT")]
    gold = {fold(g): g for g in ctx.data["boilerplate"]}
    got = {fold(ctx.doc.span_text(s)): s for s in produced}
    m.gold += len(gold)
    m.gold_found += sum(1 for g in gold if g in got)
    m.produced += len(got)
    m.produced_right += sum(1 for g in got if g in gold)
    for g, text in gold.items():
        if g not in got:
            r.miss("missed", ctx.name, expected=text, sentence=_short(ctx.sentences.at(ctx.doc.text.find(text))))
    for g, span in got.items():
        if g not in gold:
            r.miss("false alarm", ctx.name, got=ctx.doc.span_text(span), sentence=ctx.span_sentence(span))


def _score_entities(ctx: _ArticleContext, results: Results) -> None:
    # gold forms by type: (surface form, English name or None)
    forms: dict[str, list[tuple[str, str | None]]] = {}
    for key_name, typ in (("people", "PERSON"), ("organisations", "ORG"), ("places", "LOC")):
        if key_name not in ctx.data:
            continue
        forms[typ] = []
        for item in ctx.data[key_name]:
            forms[typ].append((item["text"], item.get("name_en")))
            forms[typ].extend((also, item.get("name_en")) for also in item.get("also", []))
    if not forms:
        return
    r = _result(results, "entities", "strict", ctx.doc, "entities")
    for overall in ("strict", "lenient"):
        r.metric(overall, PRF)
    if "PERSON" in forms or "ORG" in forms:
        r.metric("named")
    produced: dict[str, dict[tuple[str, ...], list[Span]]] = {t: {} for t in forms}
    for span in ctx.doc.layer("entities"):
        typ = ENTITY_TYPE.get(span.label)
        if typ in produced:
            produced[typ].setdefault(key(ctx.doc.span_text(span)), []).append(span)
    for typ, gold_forms in forms.items():
        occurrences = ctx.locator.find_all(f for f, _ in gold_forms)
        gold_keys = {key(f) for f, _ in gold_forms}
        gold_names = {" ".join(n.casefold().split()) for _, n in gold_forms if n}
        all_occ = [o for f, _ in gold_forms for o in occurrences[f]]

        def same_actor(spans: list[Span]) -> bool:
            # A short form the gold did not list (ترامب for دونالد ترامب) is right when resolved to a gold actor.
            return any(" ".join(str(s.attrs.get("name_en", "")).casefold().split()) in gold_names for s in spans)
        for mode in ("strict", "lenient"):
            for name in (mode, f"{mode}/{typ}"):
                m = r.metric(name, PRF)
                seen: set[tuple[str, ...]] = set()
                for form, _ in gold_forms:
                    if key(form) in seen:
                        continue
                    seen.add(key(form))
                    m.gold += 1
                    if mode == "strict":
                        m.gold_found += key(form) in produced[typ]
                    else:
                        m.gold_found += any(overlaps((s.start, s.end), o) for o in occurrences[form]
                                            for spans in produced[typ].values() for s in spans)
                for k, spans in produced[typ].items():
                    m.produced += 1
                    if mode == "strict":
                        m.produced_right += k in gold_keys or same_actor(spans)
                    else:
                        m.produced_right += same_actor(spans) or any(overlaps((s.start, s.end), o) for s in spans for o in all_occ)
        if typ in ("PERSON", "ORG"):
            for form, name_en in gold_forms:
                spans = produced[typ].get(key(form), [])
                right = any(same_name(s.attrs.get("name_en"), name_en) for s in spans)
                r.metric("named").add(right)
                r.metric(f"named/{typ}").add(right)
                if not spans:
                    near = [ctx.doc.span_text(s) + f" ({s.label})" for s in ctx.doc.layer("entities")
                            if any(overlaps((s.start, s.end), o) for o in occurrences[form])]
                    r.miss("missed", ctx.name, expected=f"{typ} {form}", got=", ".join(near) or None,
                           sentence=_short(ctx.sentences.of(occurrences[form][0])) if occurrences[form] else "")
                elif not right:
                    r.miss("wrong name", ctx.name, expected=f"{form} = {name_en}",
                           got=sorted({str(s.attrs.get("name_en")) for s in spans}), sentence=ctx.span_sentence(spans[0]))
        elif typ == "LOC":
            for form, _ in gold_forms:
                if key(form) not in produced["LOC"]:
                    r.miss("missed", ctx.name, expected=f"LOC {form}", sentence=ctx.sentence_of(form))
        for k, spans in produced[typ].items():
            if k not in gold_keys and not same_actor(spans):
                r.miss("false alarm", ctx.name, got=f"{typ} {ctx.doc.span_text(spans[0])}", sentence=ctx.span_sentence(spans[0]))
    if "places" in ctx.data:
        person_spans = [s for s in ctx.doc.layer("entities") if s.label == "PERSON"]
        occurrences = ctx.locator.find_all(p["text"] for p in ctx.data["places"])
        for place in ctx.data["places"]:
            hit = [s for s in person_spans if any(overlaps((s.start, s.end), o) for o in occurrences[place["text"]])]
            r.metric("no_place_as_person").add(not hit)
            if hit:
                r.miss("place tagged as person", ctx.name, expected=place["text"], got=ctx.doc.span_text(hit[0]),
                       sentence=ctx.span_sentence(hit[0]))


def _score_places(ctx: _ArticleContext, results: Results) -> None:
    if "places" not in ctx.data:
        return
    r = _result(results, "places", "resolved", ctx.doc, "places")
    spans = list(ctx.doc.layer("places"))
    occurrences = ctx.locator.find_all(p["text"] for p in ctx.data["places"])
    all_occ = [o for occ in occurrences.values() for o in occ]
    found = r.metric("found", PRF)
    for place in ctx.data["places"]:
        occ = occurrences[place["text"]]
        mentions = [s for s in spans if any(overlaps((s.start, s.end), o) for o in occ)]
        found.gold += 1
        found.gold_found += bool(mentions)
        if not mentions:
            r.metric("resolved").add(False)
            for k in ("country", "admin1"):
                if place.get(k):
                    r.metric(k).add(False)
            r.miss("missed", ctx.name, expected=place["text"], sentence=ctx.sentence_of(place["text"]))
            continue
        verdicts = [(s, *resolved_right(place, s.attrs)) for s in mentions]
        wrong = [(s, why) for s, ok, why in verdicts if not ok]
        r.metric("resolved").add(not wrong)
        for s, why in wrong[:1]:
            r.miss("wrong place", ctx.name, expected=f"{place['text']} = {place.get('name_en')} {place.get('geonameid', '')}".strip(),
                   got=f"{s.attrs.get('name_en')} {s.attrs.get('geonameid', '')}".strip(), detail=why, sentence=ctx.span_sentence(s))
        for k in ("country", "admin1"):
            if place.get(k):
                ok = all(s.attrs.get(k) == place[k] for s in mentions)
                r.metric(k).add(ok)
                if not ok:
                    r.miss(f"wrong {k}", ctx.name, expected=f"{place['text']}: {place[k]}",
                           got=sorted({str(s.attrs.get(k)) for s in mentions}), sentence=ctx.span_sentence(mentions[0]))
    distinct: dict[tuple[str, ...], list[Span]] = {}
    for s in spans:
        distinct.setdefault(key(ctx.doc.span_text(s)), []).append(s)
    for k, group in distinct.items():
        found.produced += 1
        right = any(overlaps((s.start, s.end), o) for s in group for o in all_occ)
        found.produced_right += right
        if not right:
            r.miss("false alarm", ctx.name, got=ctx.doc.span_text(group[0]), sentence=ctx.span_sentence(group[0]))
    if "dateline" in ctx.data:
        occ = ctx.locator.find(ctx.data["dateline"])[:1]
        marked = any(s.attrs.get("role") == "dateline" for s in spans for o in occ if overlaps((s.start, s.end), o))
        r.metric("dateline_role").add(marked)
        if not marked:
            r.miss("dateline place not marked", ctx.name, expected=ctx.data["dateline"], sentence=ctx.sentence_of(ctx.data["dateline"]))


def _score_times(ctx: _ArticleContext, results: Results) -> None:
    if "times" not in ctx.data:
        return
    r = _result(results, "times", "value", ctx.doc, "times")
    spans = [s for s in ctx.doc.layer("times")]
    occurrences = ctx.locator.find_all(t["text"] for t in ctx.data["times"])
    all_occ = [o for occ in occurrences.values() for o in occ]
    found = r.metric("found", PRF)
    for t in ctx.data["times"]:
        occ = occurrences[t["text"]]
        cands = [s for s in spans if any(overlaps((s.start, s.end), o) for o in occ)]
        found.gold += 1
        found.gold_found += bool(cands)
        exact = any((s.start, s.end) in occ for s in cands)
        r.metric("exact_span").add(exact)
        right = any(same_value(t["value"], s.attrs.get("value")) for s in cands)
        r.metric("value").add(right)
        if not cands:
            r.miss("missed", ctx.name, expected=f"{t['text']} = {t['value']}", sentence=ctx.sentence_of(t["text"]))
        elif not right:
            r.miss("wrong value", ctx.name, expected=f"{t['text']} = {t['value']}",
                   got=[f"{ctx.doc.span_text(s)} = {s.attrs.get('value')}" for s in cands], sentence=ctx.span_sentence(cands[0]))
    for s in spans:
        found.produced += 1
        right = any(overlaps((s.start, s.end), o) for o in all_occ)
        found.produced_right += right
        if not right:
            r.miss("false alarm", ctx.name, got=f"{ctx.doc.span_text(s)} = {s.attrs.get('value')}", sentence=ctx.span_sentence(s))


def produced_events(doc: Document) -> list[Span]:
    # An event span may be labelled EVENT or by its PLOVER category; either way it carries its codes.
    return [s for s in doc.layer("events") if s.label == "EVENT" or "plover" in s.attrs or "cameo" in s.attrs]


def event_category_matches(gold: dict, span: Span) -> bool:
    """A PLOVER category of the gold event's CAMEO codes, or for CAMEO 01/02 (no PLOVER category) the same root."""
    plover = {p for p in as_list(gold.get("plover")) if p}
    cameo = [str(c) for c in as_list(gold.get("cameo"))]
    roots = {c[:2] for c in cameo if c[:2] in ("01", "02")}
    got_plover = {str(p) for p in as_list(span.attrs.get("plover")) if p}
    got_cameo = [str(c) for c in as_list(span.attrs.get("cameo"))]
    if plover & got_plover:
        return True
    if any(c[:2] in roots for c in got_cameo):
        return True
    return not got_plover and bool(set(cameo) & set(got_cameo))


def _event_summary(doc: Document, span: Span) -> str:
    a = span.attrs
    return (f"{doc.span_text(span)}: {a.get('plover')}/{a.get('cameo')} place={names_of(a.get('place'), doc) or a.get('place')} "
            f"date={time_value(a.get('date'), doc)}")


def _score_events(ctx: _ArticleContext, results: Results) -> None:
    if "events" not in ctx.data:
        return
    r = _result(results, "events", "found", ctx.doc, "events")
    r.metric("found")
    r.metric("precision")
    produced = produced_events(ctx.doc)

    def matches(g: dict, s: Span) -> bool:
        if not event_category_matches(g, s):
            return False
        if "place" in g and not ctx.places.same_place(g["place"], place_of(s.attrs.get("place"), ctx.doc)):
            return False
        return "date" not in g or same_value(g["date"], time_value(s.attrs.get("date"), ctx.doc))

    sentences: list[tuple[int, str]] = []  # (start offset or -1, text) of each gold event's sentence
    for g in ctx.data["events"]:
        occ = ctx.locator.find(g["sentence_starts"])[:1] if "sentence_starts" in g else []
        sent = ctx.sentences.of(occ[0]) if occ else ""
        sentences.append((ctx.doc.text.find(sent) if sent else -1, sent))

    def in_sentence(i: int, span: Span) -> bool:
        start, sent = sentences[i]
        return start >= 0 and start <= span.start < start + len(sent)

    # Two passes so that the order of the gold list does not decide: first every gold event takes a matching
    # produced event from its own sentence, then the rest take any matching produced event left.
    chosen: dict[int, int] = {}
    used: set[int] = set()
    for same_sentence in (True, False):
        for gi, g in enumerate(ctx.data["events"]):
            if gi in chosen:
                continue
            for pi, span in enumerate(produced):
                if pi not in used and (not same_sentence or in_sentence(gi, span)) and matches(g, span):
                    chosen[gi] = pi
                    used.add(pi)
                    break
    for gi, g in enumerate(ctx.data["events"]):
        r.metric("found").add(gi in chosen)
        if gi not in chosen:
            expected = f"{g.get('what', '')} [{'/'.join(str(p) for p in as_list(g.get('plover')))}; {g.get('place', '-')}; {g.get('date', '-')}]"
            near = [_event_summary(ctx.doc, s) for s in produced if in_sentence(gi, s)]
            r.miss("missed", ctx.name, expected=expected, got=near or None, sentence=_short(sentences[gi][1]))
            continue
        span = produced[chosen[gi]]
        checks = (
            ("source", "source_actor", lambda: names_of(event_sources(span), ctx.doc)),
            ("target", "target_actor", lambda: names_of(event_targets(span), ctx.doc)),
            ("reported_by", "reported_by", lambda: names_of(span.attrs.get("reported_by"), ctx.doc)),
        )
        for metric, gold_key, getter in checks:
            if gold_key in g:
                got = getter()
                ok = same_set_of_names(g[gold_key], got)
                r.metric(metric).add(ok)
                if not ok:
                    r.miss(f"wrong {metric}", ctx.name, expected=g[gold_key], got=got or None, detail=g.get("what", ""),
                           sentence=ctx.span_sentence(span))
        if "modality" in g:
            ok = span.attrs.get("modality") == g["modality"]
            r.metric("modality").add(ok)
            if not ok:
                r.miss("wrong modality", ctx.name, expected=g["modality"], got=span.attrs.get("modality"),
                       detail=g.get("what", ""), sentence=ctx.span_sentence(span))
    for s in produced:
        right = any(matches(g, s) for g in ctx.data["events"])
        r.metric("precision").add(right)
        if not right:
            r.miss("false alarm", ctx.name, got=_event_summary(ctx.doc, s), sentence=ctx.span_sentence(s))


# A complementiser before reported words (قال إن "…", أعلن أن …) is not part of what was said: whether a quote span or
# a gold start includes it is a convention, not a difference.
_COMPLEMENTISER = re.compile(r"^(?:ب|ل)?(?:ان|انه|انها)\s+")


def _quote_start(text: str) -> str:
    folded = fold(text).lstrip(QUOTE_MARKS)
    return _COMPLEMENTISER.sub("", folded, count=1).lstrip(QUOTE_MARKS)


def quote_starts_with(doc: Document, span: Span, starts: str) -> bool:
    gold = _quote_start(starts)
    return bool(gold) and _quote_start(doc.span_text(span)).startswith(gold)


def _score_quotes(ctx: _ArticleContext, results: Results) -> None:
    if "quotes" not in ctx.data:
        return
    r = _result(results, "quotes", "speaker", ctx.doc, "quotes")
    for name in ("found", "speaker", "precision"):
        r.metric(name)
    layer = ctx.doc.layer("quotes")
    produced = [s for s in layer if s.label == "QUOTE"] or list(layer)
    for q in ctx.data["quotes"]:
        cands = [s for s in produced if quote_starts_with(ctx.doc, s, q["starts"])]
        r.metric("found").add(bool(cands))
        right = [s for s in cands if same_set_of_names(q["speaker"], names_of(s.attrs.get("speaker"), ctx.doc))]
        r.metric("speaker").add(bool(right))
        if "direct" in q and cands:
            r.metric("direct").add(any(s.attrs.get("direct") == q["direct"] for s in cands))
        if not cands:
            r.miss("missed", ctx.name, expected=f"{q['speaker']}: {q['starts']}…", sentence=ctx.sentence_of(q["starts"]))
        elif not right:
            r.miss("wrong speaker", ctx.name, expected=q["speaker"],
                   got=[names_of(s.attrs.get("speaker"), ctx.doc) for s in cands], sentence=ctx.span_sentence(cands[0]))
    for s in produced:
        right = any(quote_starts_with(ctx.doc, s, q["starts"]) for q in ctx.data["quotes"])
        r.metric("precision").add(right)
        if not right:
            r.miss("false alarm", ctx.name, got=_short(ctx.doc.span_text(s), 120), sentence=ctx.span_sentence(s))


def _score_control(ctx: _ArticleContext, results: Results) -> None:
    if "control" not in ctx.data:
        return
    r = _result(results, "control", "found", ctx.doc, "control")
    r.metric("found")
    r.metric("precision")
    produced = list(ctx.doc.layer("control"))

    def matches(c: dict, s: Span) -> bool:
        return ctx.places.same_place(c["place"], place_of(s.attrs.get("place"), ctx.doc)) and same_set_of_names(
            c["actor"], names_of(s.attrs.get("actor"), ctx.doc))

    used: set[int] = set()
    for c in ctx.data["control"]:
        cands = [i for i, s in enumerate(produced) if i not in used and matches(c, s)]
        r.metric("found").add(bool(cands))
        if not cands:
            r.miss("missed", ctx.name, expected=f"{c['actor']} holds {c.get('share', '?')} of {c['place']}")
            continue
        used.add(cands[0])
        span = produced[cands[0]]
        if "date" in c:
            ok = same_value(c["date"], time_value(span.attrs.get("date"), ctx.doc))
            r.metric("date").add(ok)
            if not ok:
                r.miss("wrong date", ctx.name, expected=c["date"], got=time_value(span.attrs.get("date"), ctx.doc),
                       sentence=ctx.span_sentence(span))
        if "reported_by" in c:
            ok = same_set_of_names(c["reported_by"], names_of(span.attrs.get("reported_by"), ctx.doc))
            r.metric("reported_by").add(ok)
            if not ok:
                r.miss("wrong reported_by", ctx.name, expected=c["reported_by"],
                       got=names_of(span.attrs.get("reported_by"), ctx.doc) or None, sentence=ctx.span_sentence(span))
    for s in produced:
        right = any(matches(c, s) for c in ctx.data["control"])
        r.metric("precision").add(right)
        if not right:
            share = s.attrs.get("share")
            share = share.get("en") or share.get("text") if isinstance(share, dict) else share
            place = [p.get("name_en") if isinstance(p, dict) else p for p in place_of(s.attrs.get("place"), ctx.doc)]
            r.miss("false alarm", ctx.name, got=f"{names_of(s.attrs.get('actor'), ctx.doc)} holds {share} of {place}",
                   sentence=ctx.span_sentence(s))


_ARTICLE_SCORERS: dict[str, Callable[[_ArticleContext, Results], None]] = {
    "dateline": _score_dateline,
    "headline": _score_headline,
    "boilerplate": _score_boilerplate,
    "entities": _score_entities,
    "places": _score_places,
    "times": _score_times,
    "events": _score_events,
    "quotes": _score_quotes,
    "control": _score_control,
}
ARTICLE_LAYERS = tuple(_ARTICLE_SCORERS)


# --- event sentences ------------------------------------------------------------------------------------
def score_event_sentence(gold: EventSentenceGold, doc: Document, layers: set[str] | None = None) -> Results:
    results: Results = {}
    if layers is not None and "events" not in layers:
        return results
    r = _result(results, "events", "category", doc, "events")
    name = f"{gold.path.name}:{gold.line}"
    sentence = _short(gold.text)
    produced = produced_events(doc)
    right = [s for s in produced if gold.plover in {str(p) for p in as_list(s.attrs.get("plover"))}]
    r.metric("detected").add(bool(produced))
    r.metric("category").add(bool(right))
    if not produced:
        r.miss("missed", name, expected=f"{gold.plover} ({gold.event_text})", sentence=sentence)
    elif not right:
        r.miss("wrong category", name, expected=f"{gold.plover} ({gold.event_text})",
               got=[_event_summary(doc, s) for s in produced], sentence=sentence)
    if gold.event_text:
        occ = Locator(doc.text).find(gold.event_text)
        r.metric("trigger").add(any(overlaps((s.start, s.end), o) for s in right for o in occ))
    for metric, code, getter in (("source_code", gold.source_code, event_sources), ("target_code", gold.target_code, event_targets)):
        expected = gold_code(code)
        if expected is None:
            continue
        got = [split_code(c) for s in right for c in codes_of(getter(s), doc)]
        ok = expected in got
        r.metric(metric).add(ok)
        if right and not ok:
            r.miss(f"wrong {metric}", name, expected=code, got=[" ".join(str(x) for x in g) for g in got] or None, sentence=sentence)
    return results


# --- NER corpora ----------------------------------------------------------------------------------------
def predicted_token_spans(gold: NerSentenceGold, doc: Document) -> list[tuple[int, int, str]]:
    """Entity spans of the entities layer as gold token ranges: every token a span touches belongs to it."""
    offsets = gold.token_offsets()
    out = set()
    for span in doc.layer("entities"):
        if span.label not in NER_TYPES:
            continue
        touched = [i for i, (s, e) in enumerate(offsets) if s < span.end and span.start < e]
        if touched:
            out.add((touched[0], touched[-1] + 1, span.label))
    return sorted(out)


def score_ner_sentence(gold: NerSentenceGold, doc: Document, layers: set[str] | None = None) -> Results:
    results: Results = {}
    if layers is not None and "entities" not in layers:
        return results
    r = _result(results, "entities", "strict", doc, "entities")
    for mode in ("strict", "lenient"):
        r.metric(mode, PRF)
    for typ in NER_TYPES:
        for mode in ("strict", "lenient"):
            r.metric(f"{mode}/{typ}", PRF)
    produced = predicted_token_spans(gold, doc)
    gold_spans = gold.entities
    for typ in NER_TYPES:
        g = [x for x in gold_spans if x[2] == typ]
        p = [x for x in produced if x[2] == typ]
        for mode in ("strict", "lenient"):
            names = [f"{mode}/{typ}", mode]
            def hit(a: tuple[int, int, str], others: list[tuple[int, int, str]]) -> bool:
                return a in others if mode == "strict" else any(a[0] < o[1] and o[0] < a[1] for o in others)
            for name in names:
                m = r.metric(name, PRF)
                m.gold += len(g)
                m.gold_found += sum(hit(x, p) for x in g)
                m.produced += len(p)
                m.produced_right += sum(hit(x, g) for x in p)
    name = f"{gold.path.name}:{gold.line}"
    text = _short(gold.text)
    for s, e, t in gold_spans:
        if (s, e, t) not in produced:
            got = [f"{' '.join(gold.tokens[ps:pe])} ({pt})" for ps, pe, pt in produced if ps < e and s < pe]
            r.miss("missed", name, expected=f"{' '.join(gold.tokens[s:e])} ({t})", got=got or None, sentence=text)
    for s, e, t in produced:
        if (s, e, t) not in gold_spans and not any(gs < e and s < ge and gt == t for gs, ge, gt in gold_spans):
            r.miss("false alarm", name, got=f"{' '.join(gold.tokens[s:e])} ({t})", sentence=text)
    return results


# --- TimeML ---------------------------------------------------------------------------------------------
def score_timeml(gold: TimeMLGold, doc: Document, layers: set[str] | None = None) -> Results:
    results: Results = {}
    if layers is not None and "times" not in layers:
        return results
    r = _result(results, "times", "value", doc, "times")
    produced = list(doc.layer("times"))
    sentences = Sentences(doc)
    gold_spans = [(t.start, t.end) for t in gold.timexes]
    strict, lenient = r.metric("strict", PRF), r.metric("lenient", PRF)
    for t in gold.timexes:
        cands = [s for s in produced if overlaps((s.start, s.end), (t.start, t.end))]
        strict.gold += 1
        lenient.gold += 1
        strict.gold_found += any((s.start, s.end) == (t.start, t.end) for s in cands)
        lenient.gold_found += bool(cands)
        right = any(same_value(t.value, s.attrs.get("value")) for s in cands)
        r.metric("value").add(right)
        if cands:
            r.metric("type").add(any(s.attrs.get("type") == t.type for s in cands))
        where = f"{gold.path.name}:{t.line}"
        text = doc.text[t.start:t.end]
        if not cands:
            r.miss("missed", where, expected=f"{text} = {t.value}", sentence=_short(sentences.at(t.start)))
        elif not right:
            r.miss("wrong value", where, expected=f"{text} = {t.value}",
                   got=[f"{doc.span_text(s)} = {s.attrs.get('value')}" for s in cands], sentence=_short(sentences.at(t.start)))
    for s in produced:
        strict.produced += 1
        lenient.produced += 1
        strict.produced_right += (s.start, s.end) in gold_spans
        right = any(overlaps((s.start, s.end), g) for g in gold_spans)
        lenient.produced_right += right
        if not right:
            r.miss("false alarm", gold.path.name, got=f"{doc.span_text(s)} = {s.attrs.get('value')}", sentence=_short(sentences.of(s)))
    return results


# --- time-expression sentences --------------------------------------------------------------------------
def score_time_sentence(gold: TimeSentenceGold, doc: Document, layers: set[str] | None = None) -> Results:
    """One expression in its sentence. ``value`` is marsad.time.score's exact match (the TIMEX overlapping the
    expression most has the gold value, and the gold ``anchored`` and ``flags`` where given): the figure
    scripts/eval_times.py prints for the development set."""
    results: Results = {}
    if layers is not None and "times" not in layers:
        return results
    r = _result(results, "times", "value", doc, "times")
    for name in ("value", "found", "exact_span"):
        r.metric(name)
    where = (gold.start, gold.end)
    produced = list(doc.layer("times"))
    cands = [s for s in produced if overlaps((s.start, s.end), where)]
    best = best_overlap(produced, *where)
    right = judge(gold.data, best)
    r.metric("value").add(right)
    r.metric("found").add(bool(cands))
    r.metric("exact_span").add(any((s.start, s.end) == where for s in cands))
    if gold.category:
        r.metric(f"value/{gold.category}").add(right)
    if not right:
        checked = [k for k in ("anchored", "flags") if k in gold.data]
        expected = f"{gold.text} = {_timex_value(gold.data['value'])}" + "".join(
            f", {k} {json.dumps(gold.data[k], ensure_ascii=False)}" for k in checked)
        got = None if best is None else f"{doc.span_text(best)} = {_timex_value(best.attrs.get('value'))}" + "".join(
            f", {k} {json.dumps(best.attrs.get(k), ensure_ascii=False)}" for k in checked)
        r.miss("missed" if best is None else "wrong value", f"{gold.path.name}:{gold.line} {gold.id}", expected=expected,
               got=got, sentence=_short(gold.sentence), detail=gold.category or "")
    return results


def _timex_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
