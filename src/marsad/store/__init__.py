"""The article store: Documents with their layers and provenance in SQLite (default) or any SQLAlchemy database.

    with Store("marsad.db") as store:                  # a bare path is a SQLite file; None → sqlite:///marsad.db
        result = store.add_documents(docs)              # StoreResult(stored=..., skipped=...)
        doc = store.get(docs[0].id[:10])                # a unique id prefix of >= 8 characters works too

Writes are idempotent and transactional per batch: an article whose id (the content hash) is already stored is
skipped, and each batch of articles with all their spans is one transaction. An ingest killed at any moment
(``kill -9`` included) leaves only whole batches behind, and running it again stores exactly the missing articles.

Token spans (layer ``tokens``) are not stored by default: they outnumber every other layer together many times
over (1,255 against 38 on the Bukamal example article) and the tokens stage re-derives them deterministically
from the text alone. The article row records that the layer was left out (``derived_layers``) and
:meth:`Store.get` re-derives it, so a round-trip still gives the Document back whole. Pass ``layers=[...]`` to
:meth:`Store.add_documents` to choose the stored layers explicitly.
docs/store.md has the schema.
"""
from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy import Engine, create_engine, event, func, insert, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from marsad.document import Document, Provenance, Span
from marsad.store.models import Article, Base, IngestRejection, SpanRow

__all__ = [
    "Store",
    "StoreResult",
    "StoredRejection",
    "AmbiguousIdError",
    "DEFAULT_URL",
    "DERIVED_LAYERS",
    "resolve_url",
]

DEFAULT_URL = "sqlite:///marsad.db"

# Layers left out of the store unless asked for, because get() can rebuild them from the text alone.
DERIVED_LAYERS = frozenset({"tokens"})

MIN_PREFIX = 8

# IN (...) lists are kept under SQLite's historical limit of 999 bound parameters.
_IN_CHUNK = 500

# A batch that loses a race with another writer (same article inserted in between) is retried this many times.
_RACE_RETRIES = 3


@dataclass(frozen=True, slots=True)
class StoreResult:
    """What one ``add_documents`` call did: articles newly stored, and articles skipped as already present."""

    stored: int = 0
    skipped: int = 0

    def __add__(self, other: "StoreResult") -> "StoreResult":
        return StoreResult(self.stored + other.stored, self.skipped + other.skipped)


@dataclass(frozen=True, slots=True)
class StoredRejection:
    """A row of ``ingest_rejections``."""

    run_id: str
    origin: str
    reason: str
    rejected_at: datetime


class AmbiguousIdError(LookupError):
    """An id prefix matched more than one stored article."""

    def __init__(self, prefix: str, matches: list[str]):
        self.prefix = prefix
        self.matches = matches
        shown = ", ".join(matches[:5]) + (" …" if len(matches) > 5 else "")
        super().__init__(f"id prefix {prefix!r} matches {len(matches)} articles ({shown}); give more characters")


def resolve_url(url: str | os.PathLike[str] | None) -> str:
    """None → the default SQLite file; a bare path → a SQLite file URL; anything with ``://`` is used as is."""
    if url is None:
        return DEFAULT_URL
    text = os.fspath(url)
    if "://" in text:
        return text
    path = Path(text).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path.resolve()}"


def _make_engine(url: str) -> Engine:
    sa_url = make_url(url)
    is_sqlite = sa_url.get_backend_name() == "sqlite"
    kwargs: dict[str, Any] = {
        # Arabic stays readable in the JSON columns (the default serializer escapes it to \uXXXX).
        "json_serializer": lambda obj: json.dumps(obj, ensure_ascii=False),
    }
    if is_sqlite:
        kwargs["connect_args"] = {"timeout": 60}  # seconds to wait for another writer's lock
    engine = create_engine(sa_url, **kwargs)
    if is_sqlite:
        _configure_sqlite(engine)
    return engine


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN away from the sqlite3 module (its legacy mode begins only at the first INSERT, so a batch's
        # duplicate check would run outside the transaction); SQLAlchemy's "begin" hook below emits it instead.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: readers never block the writer and a killed writer's partial transaction is simply ignored on
        # the next open. synchronous=NORMAL is still safe against a killed process (only power loss can lose
        # the last commits, never corrupt the file). In-memory databases answer "memory" and that is fine.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A write batch takes the write lock up front (BEGIN IMMEDIATE) so the "already stored?" check and the
        # inserts see the same database; reads use a plain deferred BEGIN and never wait for a writer.
        if conn.get_execution_options().get("marsad_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


class Store:
    """Articles, their spans and ingest rejections in one database. See the module docstring and docs/store.md."""

    def __init__(self, url: str | os.PathLike[str] | None = None):
        self.url = resolve_url(url)
        self.engine = _make_engine(self.url)
        self._write_engine = self.engine.execution_options(marsad_write=True)
        self._create_schema()
        # Rejections are tagged with the run that met them, so one run's rejects can be listed on their own.
        self.run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
        self._token_stage: Any = None

    def _create_schema(self) -> None:
        # Checked with a plain read first, so opening a store that another process is writing to never waits
        # for the write lock; the creation itself runs under the write lock so two first openers do not race.
        missing = set(Base.metadata.tables) - set(inspect(self.engine).get_table_names())
        if missing:
            with self._write_engine.begin() as conn:
                Base.metadata.create_all(conn)

    # --- context management ---------------------------------------------------------------------------------
    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({make_url(self.url).render_as_string(hide_password=True)!r})"

    # --- writing --------------------------------------------------------------------------------------------
    def add_documents(
        self,
        docs: Iterable[Document],
        *,
        batch_size: int = 200,
        layers: Iterable[str] | None = None,
        on_batch: Callable[[StoreResult], None] | None = None,
    ) -> StoreResult:
        """Store the documents not stored yet, ``batch_size`` articles (with all their spans) per transaction.

        ``layers``: the layer names whose spans are stored; None means every layer except ``tokens`` (rebuilt
        from the text by :meth:`get`). An article whose id is already stored, or repeats an earlier one in the
        same call, is counted as skipped and left untouched (the first copy wins). ``on_batch`` is called with
        each committed batch's counts (for a progress display).
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        wanted = None if layers is None else frozenset(layers)
        total = StoreResult()
        for batch in _batches(docs, batch_size):
            # The batch is fully read before the transaction opens: the docs iterable may itself call back into
            # the store (record_rejection, `in`), which must not happen inside the write transaction.
            result = self._write_batch(batch, wanted)
            total += result
            if on_batch is not None:
                on_batch(result)
        return total

    def add(self, doc: Document, *, layers: Iterable[str] | None = None) -> bool:
        """Store one document; False when it was already there."""
        return self.add_documents([doc], layers=layers).stored == 1

    def _write_batch(self, batch: list[Document], wanted: frozenset[str] | None) -> StoreResult:
        unique: dict[str, Document] = {}
        for doc in batch:
            unique.setdefault(doc.id, doc)
        for attempt in range(_RACE_RETRIES + 1):
            try:
                with Session(self._write_engine) as session, session.begin():
                    present = self._present_ids(session, list(unique))
                    new = [doc for doc_id, doc in unique.items() if doc_id not in present]
                    if new:
                        now = datetime.now(timezone.utc)
                        article_rows, span_rows = [], []
                        for doc in new:
                            article, spans = _rows(doc, wanted, now)
                            article_rows.append(article)
                            span_rows.extend(spans)
                        # Core-level executemany through the session: one statement per table per batch.
                        session.execute(insert(Article.__table__), article_rows)
                        if span_rows:
                            session.execute(insert(SpanRow.__table__), span_rows)
                return StoreResult(stored=len(new), skipped=len(batch) - len(new))
            except IntegrityError:
                # Another writer stored one of these ids between our check and our insert (PostgreSQL, or SQLite
                # over a network mount). The whole batch rolled back; the retry's check will now see those ids.
                if attempt == _RACE_RETRIES:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    def _present_ids(session: Session, ids: list[str]) -> set[str]:
        present: set[str] = set()
        for i in range(0, len(ids), _IN_CHUNK):
            chunk = ids[i:i + _IN_CHUNK]
            present.update(session.scalars(select(Article.id).where(Article.id.in_(chunk))))
        return present

    def record_rejection(self, origin: str, reason: str) -> None:
        """Note an input that ingest refused; committed at once, tagged with this Store's ``run_id``."""
        with Session(self._write_engine) as session, session.begin():
            session.execute(
                insert(IngestRejection.__table__),
                [{"run_id": self.run_id, "origin": str(origin), "reason": str(reason),
                  "rejected_at": datetime.now(timezone.utc)}],
            )

    # --- reading --------------------------------------------------------------------------------------------
    def __contains__(self, doc_id: object) -> bool:
        """Whether an article with exactly this id (or this Document's id) is stored."""
        if isinstance(doc_id, Document):
            doc_id = doc_id.id
        if not isinstance(doc_id, str):
            return False
        with Session(self.engine) as session:
            return session.scalar(select(Article.id).where(Article.id == doc_id)) is not None

    def count(self) -> int:
        with Session(self.engine) as session:
            return int(session.scalar(select(func.count()).select_from(Article)) or 0)

    def ids(self) -> list[str]:
        """Every stored article id, sorted."""
        with Session(self.engine) as session:
            return list(session.scalars(select(Article.id).order_by(Article.id)))

    def resolve_id(self, doc_id: str) -> str | None:
        """The full id for an exact id or a unique prefix of at least 8 characters; None if nothing matches.

        Raises AmbiguousIdError when the prefix matches several articles.
        """
        with Session(self.engine) as session:
            return self._resolve_id(session, doc_id)

    @staticmethod
    def _resolve_id(session: Session, doc_id: str) -> str | None:
        doc_id = doc_id.strip()
        if session.scalar(select(Article.id).where(Article.id == doc_id)) is not None:
            return doc_id
        if len(doc_id) < MIN_PREFIX:
            return None
        # autoescape: a stray % or _ in user input is matched literally, not as a LIKE wildcard.
        matches = list(session.scalars(
            select(Article.id).where(Article.id.startswith(doc_id, autoescape=True)).order_by(Article.id).limit(6)
        ))
        if len(matches) > 1:
            raise AmbiguousIdError(doc_id, matches)
        return matches[0] if matches else None

    def get(self, doc_id: str, *, derive: bool = True) -> Document | None:
        """The stored Document (text, metadata, layers, provenance), by id or unique id prefix (>= 8 characters).

        Layers left out at store time (``tokens``) are re-derived from the text unless ``derive`` is False.
        None when no article matches; AmbiguousIdError when a prefix matches several.
        """
        with Session(self.engine) as session:
            full_id = self._resolve_id(session, doc_id)
            if full_id is None:
                return None
            article = session.get(Article, full_id)
            assert article is not None
            rows = session.execute(
                select(SpanRow.layer, SpanRow.start, SpanRow.end, SpanRow.label, SpanRow.attrs,
                       SpanRow.stage, SpanRow.rule, SpanRow.version)
                .where(SpanRow.article_id == full_id)
                .order_by(SpanRow.layer, SpanRow.seq)
            ).all()
            doc = Document(
                text=article.text, id=article.id, title=article.title, published=article.published,
                source=article.source, url=article.url, language=article.language, meta=dict(article.meta or {}),
            )
            derived = list(article.derived_layers or [])
            layer_order = list(article.layers or [])

        # Keyed in the stored order first, so re-derived layers come back in their original place.
        by_layer: dict[str, list[Span]] = {name: [] for name in layer_order if derive or name not in derived}
        provenances: dict[tuple[str, str | None, str | None], Provenance] = {}
        for layer, start, end, label, attrs, stage, rule, version in rows:
            prov = None
            if stage is not None:
                key = (stage, rule, version)
                prov = provenances.get(key)
                if prov is None:
                    prov = provenances[key] = Provenance(stage, rule or "", version or "")
            by_layer.setdefault(layer, []).append(Span(start, end, label, dict(attrs or {}), prov))
        doc.layers = by_layer
        if derive and "tokens" in derived:
            self._token_stage_instance()(doc)
        return doc

    def _token_stage_instance(self) -> Any:
        if self._token_stage is None:
            from marsad.pipeline import create_stage

            self._token_stage = create_stage("tokens")
        return self._token_stage

    def rejections(self, run_id: str | None = None, *, all_runs: bool = False) -> list[StoredRejection]:
        """Rejections of this Store's run (default), of ``run_id``, or of every run (``all_runs=True``)."""
        query = select(IngestRejection).order_by(IngestRejection.id)
        if not all_runs:
            query = query.where(IngestRejection.run_id == (run_id or self.run_id))
        with Session(self.engine) as session:
            return [StoredRejection(r.run_id, r.origin, r.reason, r.rejected_at) for r in session.scalars(query)]


def _batches(docs: Iterable[Document], size: int) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _rows(doc: Document, wanted: frozenset[str] | None, now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The ``articles`` row and ``spans`` rows of one Document."""
    layer_names, derived_layers = [], []
    versions: dict[str, str] = {}
    span_rows: list[dict[str, Any]] = []
    for name, spans in doc.layers.items():
        seen: set[Provenance] = set()
        for span in spans:
            if span.provenance is not None and span.provenance not in seen:
                seen.add(span.provenance)
                versions[span.provenance.stage] = span.provenance.version
        keep = name not in DERIVED_LAYERS if wanted is None else name in wanted
        if not keep:
            if name in DERIVED_LAYERS:
                layer_names.append(name)
                derived_layers.append(name)
            continue
        layer_names.append(name)
        for seq, span in enumerate(spans):
            prov = span.provenance
            span_rows.append({
                "article_id": doc.id,
                "layer": name,
                "seq": seq,
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "attrs": span.attrs or None,
                "stage": prov.stage if prov else None,
                "rule": prov.rule if prov else None,
                "version": prov.version if prov else None,
            })
    article = {
        "id": doc.id,
        "title": doc.title,
        "published": doc.published,
        "source": doc.source,
        "url": doc.url,
        "language": doc.language,
        "text": doc.text,
        "meta": doc.meta or None,
        "versions": versions or None,
        "layers": layer_names,
        "derived_layers": derived_layers or None,
        "ingested_at": now,
    }
    return article, span_rows
