"""The sentences and tokens stages: the Arabic text layer every later stage reads."""
from __future__ import annotations

from marsad.document import Document, Provenance, Span
from marsad.pipeline import register_stage
from marsad.text.sentences import split_sentences
from marsad.text.tokens import Tokeniser

# Clean-layer spans that are not part of any sentence.
_EXCLUDED_FROM_SENTENCES = frozenset({"BOILERPLATE", "CREDIT"})


class SentenceStage:
    name = "sentences"
    version = "1"

    def __call__(self, doc: Document) -> Document:
        excluded = [(s.start, s.end) for s in doc.layer("clean") if s.label in _EXCLUDED_FROM_SENTENCES]
        headline = next((s for s in doc.layer("clean") if s.label == "HEADLINE"), None)
        prov = Provenance(self.name, "punctuation-and-lines", self.version)
        spans = []
        for start, end in split_sentences(doc.text, excluded):
            attrs = {"headline": True} if headline and start == headline.start else {}
            spans.append(Span(start, end, "SENT", attrs, prov))
        doc.set_layer("sentences", spans)
        return doc


class TokenStage:
    name = "tokens"

    def __init__(self) -> None:
        self.tokeniser = Tokeniser()
        self.version = self.tokeniser.version

    def __call__(self, doc: Document) -> Document:
        prov = Provenance(self.name, "clitic-splitter", self.version)
        doc.layers["tokens"] = self.tokeniser.spans(doc.text, prov)  # already in order and in bounds
        return doc


@register_stage("sentences")
def make_sentence_stage() -> SentenceStage:
    return SentenceStage()


@register_stage("tokens")
def make_token_stage() -> TokenStage:
    return TokenStage()
