"""The entities stage: PERSON / ORG / LOC / AGENT mentions resolved to canonical actors (see docs/layers.md)."""
from __future__ import annotations

from pathlib import Path

from marsad.document import Document, Provenance, ProvenanceByRule, Span
from marsad.entities.actors import ActorTable, Composition
from marsad.entities.lexicon import Lexicon, default_lexicon
from marsad.entities.recognise import Recogniser
from marsad.entities.tagger import EntityTagger
from marsad.pipeline import register_stage

LAYER = "entities"


class EntitiesStage:
    name = "entities"

    def __init__(self, actors_file: str | Path | None = None, composition_file: str | Path | None = None,
                 model_file: str | Path | None = None, use_tagger: bool = True):
        if actors_file or composition_file:
            lexicon = Lexicon(ActorTable.load(actors_file), Composition.load(composition_file))
        else:
            lexicon = default_lexicon()
        tagger = EntityTagger(model_file) if use_tagger else None
        self.recogniser = Recogniser(lexicon, tagger)
        self.version = "1" + ("+crf" if use_tagger else "")
        self._provenance = ProvenanceByRule(self.name, self.version).__getitem__

    def __call__(self, doc: Document) -> Document:
        tokens = None
        if "tokens" not in doc.layers and doc.text:
            # The tokens stage was switched off: tokenise privately, without adding its layer to the document.
            from marsad.text.tokens import Tokeniser

            tokeniser = Tokeniser()
            tokens = tokeniser.spans(doc.text, Provenance("tokens", "clitic-splitter", tokeniser.version))
        sentences, mentions = self.recogniser.mentions(doc, tokens)
        text = doc.text
        spans = []
        for m in mentions:
            words = sentences[m.sentence]
            start, end = words.starts[m.first], words.ends[m.last - 1]
            attrs = self.recogniser.attributes(m, text[start:end])
            rule = m.rule if not attrs.get("coref") else f"{m.rule}+coref"
            spans.append(Span(start, end, m.label, attrs, self._provenance(rule)))
        doc.set_layer(LAYER, spans)
        return doc


@register_stage("entities")
def make_entities_stage(actors_file: str | None = None, composition_file: str | None = None,
                        model_file: str | None = None, use_tagger: bool = True) -> EntitiesStage:
    return EntitiesStage(actors_file, composition_file, model_file, use_tagger)
