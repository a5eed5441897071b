"""The places stage: PLACE spans resolved against the shipped gazetteer (see marsad.places and docs/layers.md)."""
from __future__ import annotations

from pathlib import Path

from marsad.document import Document, Provenance, Span
from marsad.pipeline import register_stage
from marsad.places.gazetteer import Gazetteer
from marsad.places.resolve import PlaceResolver, tokens_of

LAYER = "places"


class PlacesStage:
    name = "places"
    version = "1"

    def __init__(self, gazetteer_file: str | Path | None = None, rules_file: str | Path | None = None):
        self.resolver = PlaceResolver(Gazetteer(gazetteer_file), rules_file)

    def __call__(self, doc: Document) -> Document:
        spans = []
        tokens = tokens_of(doc)
        for mention in self.resolver.resolve(doc, self.resolver.find(doc, tokens)):
            attrs = self.resolver.attrs(doc, tokens, mention)
            spans.append(Span(mention.start, mention.end, "PLACE", attrs, Provenance(self.name, mention.rule, self.version)))
        doc.set_layer(LAYER, spans)
        return doc


@register_stage("places")
def make_places_stage(gazetteer_file: str | None = None, rules_file: str | None = None) -> PlacesStage:
    return PlacesStage(gazetteer_file, rules_file)
