"""The events stage: events (CAMEO/PLOVER), quotes, quantities and territorial-control claims (docs/layers.md)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from marsad.document import Document, ProvenanceByRule, Span
from marsad.events.extract import ArticleAnalyser
from marsad.events.lexicon import EventLexicon, default_lexicon
from marsad.pipeline import register_stage


class EventsStage:
    name = "events"

    def __init__(self, data_dir: str | Path | None = None):
        self.lexicon = EventLexicon(Path(data_dir)) if data_dir else default_lexicon()
        self.analyser = ArticleAnalyser(self.lexicon)
        self.version = self.lexicon.version
        self._p = ProvenanceByRule(self.name, self.version).__getitem__

    def __call__(self, doc: Document) -> Document:
        reading = self.analyser.read(doc)
        events = []
        for ev in reading.events:
            attrs: dict[str, Any] = dict(ev.attrs)
            if ev.mentions:
                attrs["mentions"] = [list(m) for m in ev.mentions]
            label = attrs["plover"] or self.lexicon.code_info(attrs["cameo"]).plover or "EVENT"
            events.append(Span(ev.start, ev.end, label, attrs, self._p(attrs["pattern"])))
        quotes = []
        for q, sentence in reading.quotes:
            view = reading.views[sentence]
            attrs = {"direct": q.direct, "speaker": q.speaker, "speaker_rule": q.rule, "verb": q.verb,
                     "sentence": [view.span.start, view.span.end]}
            quotes.append(Span(q.start, q.end, "QUOTE", attrs, self._p("direct" if q.direct else "indirect")))
        quantities = []
        for q, _sentence in reading.quantities:
            attrs = {k: v for k, v in q.attrs.items()}
            label = "PERCENT" if attrs["unit"] == "percent" else "COUNT"
            quantities.append(Span(q.start, q.end, label, attrs, self._p("number-words" if not attrs.get("vague") else "vague")))
        control = [Span(c.start, c.end, "CONTROL", c.attrs, self._p(c.attrs["pattern"])) for c in reading.claims]
        doc.set_layer("events", events)
        doc.set_layer("quotes", quotes)
        doc.set_layer("quantities", quantities)
        doc.set_layer("control", control)
        return doc


@register_stage("events")
def make_events_stage(data_dir: str | None = None) -> EventsStage:
    return EventsStage(data_dir)
