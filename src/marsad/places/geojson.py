"""GeoJSON export of the places layer: one Feature per resolved PLACE span."""
from __future__ import annotations

from typing import Any, Iterable

from marsad.document import Document

# Span attrs carried into each Feature's properties (coordinates go into the geometry).
_PROPERTIES = ("name_en", "geonameid", "country", "admin1", "admin1_en", "feature", "kind", "role", "actor_code", "reason")


def to_geojson(docs: Document | Iterable[Document]) -> dict[str, Any]:
    """A FeatureCollection of the resolved places of one document or many (unresolved mentions have no point)."""
    if isinstance(docs, Document):
        docs = [docs]
    features = []
    for doc in docs:
        for span in doc.layer("places"):
            attrs = span.attrs
            if not attrs.get("resolved") or attrs.get("lat") is None or attrs.get("lon") is None:
                continue
            properties: dict[str, Any] = {"doc_id": doc.id, "text": doc.span_text(span), "start": span.start, "end": span.end}
            properties.update({k: attrs[k] for k in _PROPERTIES if attrs.get(k) is not None})
            if doc.published:
                properties["published"] = doc.published
            features.append({
                "type": "Feature",
                # GeoJSON (RFC 7946) orders coordinates longitude first.
                "geometry": {"type": "Point", "coordinates": [attrs["lon"], attrs["lat"]]},
                "properties": properties,
            })
    return {"type": "FeatureCollection", "features": features}
