"""SQLAlchemy 2 declarative models of the article store: ``articles``, ``spans``, ``ingest_rejections``.

The schema is meant to be read by people (``sqlite3 marsad.db .schema``): one row per article, one row per span,
provenance as three plain columns. Only portable types are used (``JSON``, ``Text``, ``String``, ``Integer``,
``DateTime``) so the same models serve SQLite and PostgreSQL. docs/store.md describes every column.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# SQLite only auto-numbers an INTEGER PRIMARY KEY (the rowid alias); PostgreSQL gets a 64-bit identity.
_ROW_ID = BigInteger().with_variant(Integer(), "sqlite")

# none_as_null: an absent value is SQL NULL, not the JSON text 'null', so `attrs IS NULL` finds span rows without attrs.
_JSON = JSON(none_as_null=True)


class Base(DeclarativeBase):
    pass


class Article(Base):
    """One article: the Document's metadata and untouched text. ``id`` is the content hash (marsad.ids)."""

    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40), index=True)  # ISO date/datetime as the Document has it
    source: Mapped[str | None] = mapped_column(String(200), index=True)
    url: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text, nullable=False)
    meta: Mapped[dict[str, Any] | None] = mapped_column(_JSON)
    # {stage name: version} of every stage whose spans the Document carried when stored (stored or not).
    versions: Mapped[dict[str, str] | None] = mapped_column(_JSON)
    # The Document's layer names in its order (so an empty layer survives a round-trip), derived ones included.
    layers: Mapped[list[str] | None] = mapped_column(_JSON)
    # Those of `layers` that have no span rows because they are re-derived from the text on read ("tokens").
    derived_layers: Mapped[list[str] | None] = mapped_column(_JSON)
    ingested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class SpanRow(Base):
    """One span of one layer of one article; ``seq`` is its position in the layer (the read order)."""

    __tablename__ = "spans"

    id: Mapped[int] = mapped_column(_ROW_ID, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(String(64), ForeignKey("articles.id", ondelete="CASCADE"), nullable=False)
    layer: Mapped[str] = mapped_column(String(40), nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    start: Mapped[int] = mapped_column(Integer, nullable=False)
    end: Mapped[int] = mapped_column(Integer, nullable=False)
    label: Mapped[str] = mapped_column(String(40), nullable=False)
    attrs: Mapped[dict[str, Any] | None] = mapped_column(_JSON)
    # Provenance: NULL stage means the span carried no provenance.
    stage: Mapped[str | None] = mapped_column(String(40))
    rule: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        # Reading an article back fetches its spans by article; layer/label serve queries such as "every PLACE".
        Index("ix_spans_article_layer", "article_id", "layer", "seq"),
        Index("ix_spans_layer_label", "layer", "label"),
    )


class IngestRejection(Base):
    """An input that ingest refused (empty, binary, undecodable, not Arabic…), with the run that met it."""

    __tablename__ = "ingest_rejections"

    id: Mapped[int] = mapped_column(_ROW_ID, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(String(40), nullable=False, index=True)
    origin: Mapped[str] = mapped_column(Text, nullable=False)  # file path, "file.csv:17" for a record, "<stdin>"
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    rejected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
