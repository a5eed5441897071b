"""marsad — an Arabic-native news event coder: articles in, a geolocated, time-stamped, attributed event store out."""
from marsad.document import Document, Provenance, Span
from marsad.pipeline import Pipeline, register_stage
from marsad.api import analyse, open  # noqa: A004 - `marsad.open(url)` mirrors sqlite3.connect's spirit

__version__ = "0.1.0"
__all__ = ["Document", "Span", "Provenance", "Pipeline", "register_stage", "analyse", "open", "__version__"]
