"""Places: the shipped gazetteer, toponym resolution and GeoJSON export."""
from marsad.places.gazetteer import Candidate, Gazetteer
from marsad.places.geojson import to_geojson

__all__ = ["Candidate", "Gazetteer", "to_geojson"]
