"""The article store: round-trips, idempotency, id prefixes, rejections, URLs, per-batch transactions."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

import marsad
from marsad import Document, Provenance, Span, analyse
from marsad.store import DEFAULT_URL, AmbiguousIdError, Store, StoreResult, resolve_url
from marsad.store.models import SpanRow

ARTICLE = (
    "مقتل 12 عنصرا من داعش بغارات على البوكمال\n"
    "بيروت - (أ ف ب) - قتل 12 عنصرا على الأقل من تنظيم الدولة الإسلامية في غارات جوية استهدفت مدينة البوكمال "
    "في محافظة دير الزور شرق سوريا، وفق ما أفاد المرصد السوري لحقوق الإنسان الأحد. "
    "وقال مدير المرصد رامي عبد الرحمن إن الغارات استهدفت مقرات للتنظيم في وسط المدينة.\n"
    "اضافة اعلان\n"
    "وتأتي هذه الغارات بعد يومين من استعادة قوات النظام السيطرة على أجزاء من المدينة. (أ ف ب)"
)

OTHER_TEXTS = [
    "أعلنت وزارة الصحة في الأردن تسجيل ثلاث إصابات جديدة بالحمى في مدينة الزرقاء.",
    "افتتح رئيس الوزراء المصري مصنعا جديدا للأسمدة في محافظة أسيوط صباح الثلاثاء.",
    "وقعت الحكومة التونسية اتفاقا مع الاتحاد العام للشغل لرفع الأجور في القطاع العام.",
]


def _rich_document() -> Document:
    """A Document exercising everything a layer can carry: Arabic and nested attrs, floats, bools, None."""
    doc = analyse(ARTICLE, published="2017-11-19", title="البوكمال", source="الغد", url="https://example.org/a/1",
                  language="ar", encoding="utf-8", origin={"file": "غد/١.txt", "line": 3, "tags": ["سوريا", None]})
    place_start = ARTICLE.index("البوكمال", 60)
    doc.layers["places"] = [
        Span(place_start, place_start + len("البوكمال"), "PLACE", {
            "name_en": "Abu Kamal", "geonameid": 171451, "lat": 34.4506, "lon": 40.9171, "resolved": True,
            "admin1_en": "دير الزور", "role": None,
            "candidates": [{"geonameid": 1, "name_en": "البوكمال القديمة", "score": 0.25},
                           {"geonameid": 2, "name_en": "x", "score": 1e-9, "flags": [[], {}]}],
        }, Provenance("places", "gazetteer+population", "3")),
        # A span without provenance and without attrs.
        Span(0, 4, "PLACE"),
    ]
    doc.layers["empty"] = []  # a stage that found nothing still leaves its (empty) layer
    return doc


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "store.db") as s:
        yield s


# --- round-trips ------------------------------------------------------------------------------------------
def test_document_round_trips_through_the_store(store: Store):
    doc = _rich_document()
    assert store.add_documents([doc]) == StoreResult(stored=1, skipped=0)
    again = store.get(doc.id)
    assert again is not None
    assert again.to_dict() == doc.to_dict()
    assert again.text == ARTICLE
    assert list(again.layers) == list(doc.layers)  # layer order kept, the empty layer included
    place = again.layers["places"][0]
    assert place.attrs["candidates"][1] == {"geonameid": 2, "name_en": "x", "score": 1e-9, "flags": [[], {}]}
    assert place.attrs["admin1_en"] == "دير الزور" and place.attrs["role"] is None
    assert place.provenance == Provenance("places", "gazetteer+population", "3")
    assert again.layers["places"][1].provenance is None and again.layers["places"][1].attrs == {}
    assert again.meta["origin"] == {"file": "غد/١.txt", "line": 3, "tags": ["سوريا", None]}
    # The JSON round-trip of the stored document is lossless as well.
    assert Document.from_json(again.to_json()).to_dict() == doc.to_dict()


def test_tokens_are_not_stored_but_rederived_on_read(store: Store, tmp_path: Path):
    doc = analyse(ARTICLE, published="2017-11-19")
    assert len(doc.tokens) > 50
    store.add_documents([doc])
    with sqlite3.connect(tmp_path / "store.db") as raw:
        layers = {row[0] for row in raw.execute("SELECT DISTINCT layer FROM spans")}
        derived, versions = raw.execute("SELECT derived_layers, versions FROM articles").fetchone()
    assert layers == {name for name, spans in doc.layers.items() if spans and name != "tokens"}
    assert "tokens" not in layers
    assert derived == '["tokens"]'
    assert '"tokens"' in versions and '"clean"' in versions  # the tokens stage's version is still recorded
    again = store.get(doc.id)
    assert again.to_dict() == doc.to_dict()  # tokens rebuilt identically, offsets and provenance included
    assert "tokens" not in store.get(doc.id, derive=False).layers


def test_explicit_layers_choose_what_is_stored(store: Store, tmp_path: Path):
    doc = analyse(ARTICLE)
    store.add_documents([doc], layers=["sentences", "tokens"])
    with sqlite3.connect(tmp_path / "store.db") as raw:
        per_layer = dict(raw.execute("SELECT layer, count(*) FROM spans GROUP BY layer").fetchall())
    assert per_layer == {"sentences": len(doc.sentences), "tokens": len(doc.tokens)}
    again = store.get(doc.id)
    assert set(again.layers) == {"sentences", "tokens"}
    assert [s.to_dict() for s in again.tokens] == [s.to_dict() for s in doc.tokens]


def test_arabic_is_readable_in_the_database_file(store: Store, tmp_path: Path):
    store.add_documents([_rich_document()])
    with sqlite3.connect(tmp_path / "store.db") as raw:
        attrs = raw.execute("SELECT attrs FROM spans WHERE layer = 'places' AND attrs IS NOT NULL").fetchone()[0]
        no_attrs = raw.execute("SELECT count(*) FROM spans WHERE layer = 'places' AND attrs IS NULL").fetchone()[0]
    assert "دير الزور" in attrs and "\\u" not in attrs
    assert no_attrs == 1  # an empty attrs dict is SQL NULL, not the JSON text 'null' or '{}'


# --- idempotency ----------------------------------------------------------------------------------------------
def test_adding_the_same_articles_again_skips_them(store: Store, tmp_path: Path):
    docs = [analyse(t) for t in OTHER_TEXTS]
    assert store.add_documents(docs) == StoreResult(3, 0)
    with sqlite3.connect(tmp_path / "store.db") as raw:
        spans_before = raw.execute("SELECT count(*) FROM spans").fetchone()[0]
    # Same texts analysed again (fresh objects, same content-hash ids), plus one new article.
    again = [analyse(t) for t in OTHER_TEXTS] + [analyse(ARTICLE)]
    assert store.add_documents(again, batch_size=2) == StoreResult(1, 3)
    assert store.count() == 4
    with sqlite3.connect(tmp_path / "store.db") as raw:
        spans_after = raw.execute("SELECT count(*) FROM spans").fetchone()[0]
        assert raw.execute("SELECT count(DISTINCT id) FROM articles").fetchone()[0] == 4
    assert spans_after == spans_before + sum(len(spans) for n, spans in again[3].layers.items() if n != "tokens")


def test_duplicates_within_one_batch_are_stored_once_first_copy_wins(store: Store):
    first = analyse(OTHER_TEXTS[0], title="الأولى")
    # Re-wrapped whitespace gives the same content id: the same article from another file.
    second = analyse(OTHER_TEXTS[0].replace(" ", "\n", 2), title="الثانية")
    assert first.id == second.id
    assert store.add_documents([first, second, first]) == StoreResult(1, 2)
    assert store.count() == 1
    assert store.get(first.id).title == "الأولى"
    assert store.add(second) is False and store.add(analyse(OTHER_TEXTS[1])) is True


def test_on_batch_reports_each_committed_batch(store: Store):
    docs = [analyse(t) for t in OTHER_TEXTS + [ARTICLE]]
    seen: list[tuple[StoreResult, int]] = []
    total = store.add_documents(docs + docs[:1], batch_size=2, on_batch=lambda r: seen.append((r, store.count())))
    assert total == StoreResult(4, 1)
    assert seen == [(StoreResult(2, 0), 2), (StoreResult(2, 0), 4), (StoreResult(0, 1), 4)]
    with pytest.raises(ValueError, match="batch_size"):
        store.add_documents(docs, batch_size=0)


# --- transactions -------------------------------------------------------------------------------------------------
def test_a_failing_batch_leaves_nothing_of_itself_and_keeps_earlier_batches(store: Store, tmp_path: Path):
    good = [analyse(t) for t in OTHER_TEXTS]
    bad = analyse(ARTICLE)
    bad.layers["broken"] = [Span(0, 1, "X", {"value": object()})]  # not JSON: the spans insert fails
    # Batch 1 = good[0], good[1]; batch 2 = good[2] (its article row is written first) and the bad one.
    with pytest.raises(StatementError):
        store.add_documents(good + [bad], batch_size=2)
    assert store.ids() == sorted(d.id for d in good[:2])
    with sqlite3.connect(tmp_path / "store.db") as raw:
        orphans = raw.execute("SELECT count(*) FROM spans WHERE article_id NOT IN (SELECT id FROM articles)")
        assert orphans.fetchone()[0] == 0
        assert raw.execute("SELECT count(*) FROM spans WHERE article_id = ?", (good[2].id,)).fetchone()[0] == 0
    del bad.layers["broken"]
    assert store.add_documents(good + [bad], batch_size=2) == StoreResult(2, 2)
    assert store.count() == 4


def test_foreign_keys_are_enforced(store: Store):
    with pytest.raises(IntegrityError):
        with Session(store.engine) as session, session.begin():
            session.execute(insert(SpanRow), [{"article_id": "no-such-article", "layer": "x", "seq": 0,
                                               "start": 0, "end": 1, "label": "X"}])


# --- ids ------------------------------------------------------------------------------------------------------------
def test_get_by_prefix_and_contains(store: Store):
    docs = [analyse(t) for t in OTHER_TEXTS]
    store.add_documents(docs)
    doc = docs[0]
    assert store.get(doc.id[:8]).id == doc.id
    assert store.get(doc.id[:12].upper().lower()).text == doc.text
    assert store.get(doc.id[:7]) is None  # too short to be taken as a prefix
    assert store.get("0" * 32) is None
    assert store.get(doc.id[:8] + "%") is None  # LIKE wildcards in input are literal
    assert doc.id in store and doc in store
    assert doc.id[:8] not in store  # `in` wants the exact id
    assert analyse(ARTICLE).id not in store and 42 not in store
    assert store.ids() == sorted(d.id for d in docs) and store.count() == 3


def test_ambiguous_prefix_is_an_error_naming_the_matches(store: Store):
    a = Document("الخبر الأول عن الانتخابات.", id="abcdef01" + "1" * 24)
    b = Document("الخبر الثاني عن الانتخابات.", id="abcdef01" + "2" * 24)
    store.add_documents([a, b])
    with pytest.raises(AmbiguousIdError, match="matches 2 articles") as info:
        store.get("abcdef01")
    assert info.value.matches == sorted([a.id, b.id])
    assert store.get("abcdef012").id == b.id
    assert store.resolve_id("abcdef011") == a.id


# --- rejections -------------------------------------------------------------------------------------------------
def test_rejections_are_recorded_per_run_and_queryable(tmp_path: Path):
    path = tmp_path / "r.db"
    with Store(path) as first:
        first.record_rejection("corpus.csv:17", "missing column 'text'")
        first.record_rejection(Path("empty.txt"), "empty input")
        assert [(r.origin, r.reason) for r in first.rejections()] == [
            ("corpus.csv:17", "missing column 'text'"), ("empty.txt", "empty input")]
        first_run = first.run_id
    with Store(path) as second:
        assert second.run_id != first_run
        second.record_rejection("page.html", "no article text found")
        assert [r.origin for r in second.rejections()] == ["page.html"]
        assert len(second.rejections(first_run)) == 2
        assert len(second.rejections(all_runs=True)) == 3
    with sqlite3.connect(path) as raw:
        rows = raw.execute("SELECT run_id, count(*) FROM ingest_rejections GROUP BY run_id ORDER BY 2").fetchall()
    assert [n for _, n in rows] == [1, 2]


# --- URLs -------------------------------------------------------------------------------------------------------------
def test_a_bare_path_is_a_sqlite_file_in_wal_mode(tmp_path: Path):
    path = tmp_path / "nested" / "dir" / "m.db"
    with marsad.open(str(path)) as s:
        s.add_documents([analyse(OTHER_TEXTS[0])])
    assert path.exists()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with Store(f"sqlite:///{path}") as s:  # the same file through its URL
        assert s.count() == 1


def test_in_memory_url_keeps_data_for_the_store_lifetime():
    with Store("sqlite://") as s:
        s.add_documents([analyse(t) for t in OTHER_TEXTS])
        s.record_rejection("x", "y")
        assert s.count() == 3 and len(s.rejections()) == 1
        assert s.get(s.ids()[0]) is not None
    with Store("sqlite://") as fresh:
        assert fresh.count() == 0


def test_default_url_is_marsad_db_in_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_url(None) == DEFAULT_URL
    with Store() as s:
        s.add_documents([analyse(OTHER_TEXTS[1])])
    assert (tmp_path / "marsad.db").exists()
    assert resolve_url("postgresql+psycopg://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert resolve_url("x.db") == f"sqlite:///{tmp_path / 'x.db'}"


def test_reopening_keeps_everything(tmp_path: Path):
    doc = _rich_document()
    with Store(tmp_path / "k.db") as s:
        s.add_documents([doc])
    with Store(tmp_path / "k.db") as s:
        assert s.get(doc.id).to_dict() == doc.to_dict()
        assert s.add_documents([doc]) == StoreResult(0, 1)
