"""The one data model: a Document over the untouched original text, with layers of Spans.

Every later stage reads earlier layers and adds its own; nothing ever edits ``Document.text``.
Offsets are Python string indices (code points) into that text, end exclusive.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Iterator

from marsad.memo import Memo

_START, _END = attrgetter("start"), attrgetter("end")

SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who made a span: the stage, the rule or model inside it, and that stage's version."""

    stage: str
    rule: str = ""
    version: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"stage": self.stage, "rule": self.rule, "version": self.version}

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> "Provenance":
        return cls(data["stage"], data.get("rule", ""), data.get("version", ""))


class ProvenanceByRule(Memo):
    """rule -> a stage's Provenance for it: Provenance is immutable, so one object per rule serves every span the
    stage makes (fewer objects per article than one per span)."""

    def __init__(self, stage: str, version: str):
        super().__init__()
        self.stage, self.version = stage, version

    def compute(self, rule: str) -> Provenance:
        return Provenance(self.stage, rule, self.version)


@dataclass(slots=True)
class Span:
    """A labelled stretch ``text[start:end]`` of the document's original text."""

    start: int
    end: int
    label: str
    attrs: dict[str, Any] = field(default_factory=dict)
    provenance: Provenance | None = None

    def text_in(self, doc_text: str) -> str:
        return doc_text[self.start:self.end]

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: "Span") -> bool:
        return self.start <= other.start and other.end <= self.end

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": self.start, "end": self.end, "label": self.label}
        if self.attrs:
            out["attrs"] = self.attrs
        if self.provenance is not None:
            out["provenance"] = self.provenance.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Span":
        prov = data.get("provenance")
        return cls(
            int(data["start"]),
            int(data["end"]),
            data["label"],
            dict(data.get("attrs") or {}),
            Provenance.from_dict(prov) if prov else None,
        )


@dataclass(slots=True)
class Document:
    """An article: original text, metadata, and named layers of spans added by pipeline stages."""

    text: str
    id: str = ""
    title: str | None = None
    published: str | None = None  # ISO date (YYYY-MM-DD) or datetime, as the source gave it once parsed
    source: str | None = None
    url: str | None = None
    language: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)  # everything else: encoding, origin, category…
    layers: dict[str, list[Span]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            from marsad.ids import content_id

            self.id = content_id(self.text)

    # --- layers -----------------------------------------------------------------------------------
    def layer(self, name: str) -> list[Span]:
        """The spans of a layer (empty if no stage has produced it)."""
        return self.layers.get(name, [])

    def set_layer(self, name: str, spans: list[Span]) -> None:
        # by start, then longest first (two stable sorts on attributes: no key tuple built per span)
        spans.sort(key=_END, reverse=True)
        spans.sort(key=_START)
        for span in spans:
            if not (0 <= span.start <= span.end <= len(self.text)):
                raise ValueError(
                    f"span {span.label!r} [{span.start}:{span.end}] of layer {name!r} lies outside "
                    f"the text (length {len(self.text)})"
                )
        self.layers[name] = spans

    def span_text(self, span: Span) -> str:
        return self.text[span.start:span.end]

    def spans_within(self, name: str, outer: Span) -> Iterator[Span]:
        for span in self.layer(name):
            if span.start >= outer.end:
                break
            if outer.start <= span.start and span.end <= outer.end:
                yield span

    @property
    def sentences(self) -> list[Span]:
        return self.layer("sentences")

    @property
    def tokens(self) -> list[Span]:
        return self.layer("tokens")

    # --- serialisation ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_VERSION,
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "source": self.source,
            "url": self.url,
            "language": self.language,
            "meta": self.meta,
            "text": self.text,
            "layers": {name: [s.to_dict() for s in spans] for name, spans in self.layers.items()},
        }

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Document":
        doc = cls(
            text=data["text"],
            id=data.get("id") or "",
            title=data.get("title"),
            published=data.get("published"),
            source=data.get("source"),
            url=data.get("url"),
            language=data.get("language"),
            meta=dict(data.get("meta") or {}),
        )
        for name, spans in (data.get("layers") or {}).items():
            doc.layers[name] = [Span.from_dict(s) for s in spans]
        return doc

    @classmethod
    def from_json(cls, payload: str) -> "Document":
        return cls.from_dict(json.loads(payload))
