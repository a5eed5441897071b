"""The Python API: ``marsad.analyse(text, published=...)`` and ``marsad.open(db_url)``."""
from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from marsad.document import Document
from marsad.pipeline import Pipeline

if TYPE_CHECKING:
    from marsad.store import Store


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline.default()


def analyse(text: str, published: str | None = None, *, pipeline: Pipeline | None = None, **meta: Any) -> Document:
    """Run the pipeline over one article's text. ``meta`` may carry title, source, url, language, id."""
    known = {k: meta.pop(k) for k in ("title", "source", "url", "language", "id") if k in meta}
    doc = Document(text=text, published=published, meta=meta, **known)
    return (pipeline or default_pipeline())(doc)


def open(db_url: str | None = None) -> "Store":  # noqa: A001
    """Open (creating if needed) the article store at a SQLAlchemy URL or a SQLite file path."""
    from marsad.store import Store

    return Store(db_url)
