"""The same store on PostgreSQL.

The server is $MARSAD_TEST_POSTGRES_URL when set; otherwise, where Debian's PostgreSQL binaries are installed
(/usr/lib/postgresql/*/bin), a throw-away cluster is started for the session on a Unix socket in a temporary
folder (no TCP port, trust auth, deleted afterwards); with neither, the tests skip.

Each test works in a fresh schema of its own (dropped afterwards), so pointing the URL at a real database
never touches its tables. Needs the optional `postgres` extra (psycopg).
"""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from marsad import Document, Provenance, Span, analyse
from marsad.store import AmbiguousIdError, Store, StoreResult

psycopg = pytest.importorskip("psycopg")

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402


@pytest.fixture(scope="session")
def server_url():
    if os.environ.get("MARSAD_TEST_POSTGRES_URL"):
        yield os.environ["MARSAD_TEST_POSTGRES_URL"]
        return
    initdbs = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not initdbs:
        pytest.skip("no PostgreSQL: set MARSAD_TEST_POSTGRES_URL or install Debian's postgresql package")
    bindir = Path(initdbs[-1]).parent
    base = Path(tempfile.mkdtemp(prefix="marsad-pg-"))
    base.chmod(0o755)
    # initdb refuses to run as root: the cluster belongs to the postgres user when we are root.
    run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if run_as:
        shutil.chown(base, "postgres")
    data, log = base / "data", base / "server.log"
    try:
        subprocess.run(run_as + [str(bindir / "initdb"), "-D", str(data), "-U", "marsad", "--auth=trust", "-E", "UTF8",
                                 "--locale=C.UTF-8"], check=True, capture_output=True, timeout=120)
        subprocess.run(run_as + [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o",
                                 f"-k {base} -c listen_addresses= -p 5439", "start"],
                       check=True, capture_output=True, timeout=90)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"could not start a throw-away PostgreSQL: {exc}")
    try:
        yield f"postgresql+psycopg://marsad@/postgres?host={base}&port=5439"
    finally:
        subprocess.run(run_as + [str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)

TEXTS = [
    "قتل ثلاثة مدنيين في قصف استهدف حيا سكنيا في مدينة حلب مساء الأحد.",
    "بيروت - (أ ف ب) - أعلن الجيش اللبناني توقيف خمسة أشخاص قرب الحدود. (أ ف ب)",
    "ارتفعت أسعار النفط بعد قرار منظمة أوبك خفض الإنتاج.",
]


@pytest.fixture
def pg_url(server_url: str):
    admin = create_engine(make_url(server_url).update_query_dict({"connect_timeout": "2"}))
    schema = f"marsad_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no server, no such role/database: nothing to test against
        admin.dispose()
        pytest.skip(f"no PostgreSQL at {make_url(server_url).render_as_string(hide_password=True)}: {type(exc).__name__}")
    yield make_url(server_url).update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_round_trip_idempotency_and_prefixes_on_postgresql(pg_url: str):
    docs = [analyse(t, published="2017-11-19", source="اختبار", origin={"ملف": ["أ", 1, None]}) for t in TEXTS]
    docs[0].layers["places"] = [Span(46, 49, "PLACE", {"name_en": "Aleppo", "lat": 36.2, "candidates": [
        {"name_en": "حلب", "score": 0.5}], "role": None}, Provenance("places", "gazetteer", "2")), Span(0, 3, "X")]
    docs[0].layers["empty"] = []
    with Store(pg_url) as store:
        assert store.engine.dialect.name == "postgresql"
        assert store.add_documents(docs + docs[:1], batch_size=2) == StoreResult(3, 1)
        assert store.add_documents(docs) == StoreResult(0, 3)
        assert store.count() == 3 and store.ids() == sorted(d.id for d in docs)
        for doc in docs:
            assert store.get(doc.id[:9]).to_dict() == doc.to_dict()
        assert docs[1].id in store and docs[1].id[:8] not in store
        store.record_rejection("bad.csv:3", "missing column 'text'")
        assert [r.origin for r in store.rejections()] == ["bad.csv:3"]
        with store.engine.connect() as conn:
            tables = set(conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
                         .scalars())
            assert conn.execute(text("SELECT current_schema()")).scalar().startswith("marsad_test_")
            assert tables == {"articles", "spans", "ingest_rejections"}
            assert conn.execute(text("SELECT count(*) FROM spans WHERE layer = 'tokens'")).scalar() == 0


def test_ambiguous_prefix_and_failed_batch_on_postgresql(pg_url: str):
    a = Document("الخبر الأول.", id="abcdef01" + "1" * 24)
    b = Document("الخبر الثاني.", id="abcdef01" + "2" * 24)
    with Store(pg_url) as store:
        store.add_documents([a, b])
        with pytest.raises(AmbiguousIdError):
            store.get("abcdef01")
        bad = analyse(TEXTS[2])
        bad.layers["broken"] = [Span(0, 1, "X", {"v": object()})]
        with pytest.raises(Exception):
            store.add_documents([analyse(TEXTS[0]), bad])
        assert store.count() == 2  # the failed batch left nothing
