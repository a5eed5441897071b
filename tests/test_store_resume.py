"""Resumability: an ingest killed with SIGKILL at any point, then run again, ends with every article exactly once.

A child Python process ingests 3,000 small Arabic articles in batches of 20. It is killed three times — once from
inside, right after a batch's article and span INSERTs ran but before COMMIT (a kill that certainly lands
mid-transaction), and twice from outside once the database holds some rows (wherever the child happens to be) —
and after each kill the file must open, pass SQLite's integrity and foreign-key checks, and hold only whole
articles. A last run completes and must store exactly the missing ones.
"""
from __future__ import annotations

import itertools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from marsad import Document
from marsad.pipeline import Pipeline
from marsad.store import Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")

N_ARTICLES = 3000
BATCH = 20

# Real-world-style news sentences on different subjects; articles are ordered triples of them, so no two
# articles share a text (and so an id).
SENTENCES = [
    "قتل ثلاثة مدنيين وأصيب سبعة آخرون في قصف مدفعي استهدف حيا سكنيا في مدينة حلب مساء الأحد.",
    "أعلنت وزارة الصحة السعودية تسجيل حالات جديدة من فيروس كورونا في منطقة الرياض.",
    "وقال المتحدث باسم الجيش اللبناني إن دورية تعرضت لإطلاق نار قرب الحدود الجنوبية.",
    "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار منظمة أوبك خفض الإنتاج.",
    "تظاهر آلاف الطلاب في العاصمة الأردنية عمان احتجاجا على رفع الرسوم الجامعية.",
    "أفرجت السلطات المصرية عن عشرين معتقلا بموجب عفو رئاسي صدر الأسبوع الماضي.",
    "وأكد وزير الخارجية العراقي أن بلاده ترفض أي تدخل خارجي في شؤونها الداخلية.",
    "سيطرت قوات سوريا الديمقراطية على قرية جديدة في ريف دير الزور الشرقي بعد معارك عنيفة.",
    "افتتح أمير الكويت الدورة الجديدة لمجلس الأمة بخطاب دعا فيه إلى الوحدة الوطنية.",
    "وصل وفد من صندوق النقد الدولي إلى تونس لبحث برنامج الإصلاح الاقتصادي.",
    "أعلنت الشرطة المغربية تفكيك خلية إرهابية تضم خمسة عناصر في مدينة طنجة.",
    "شنت طائرات التحالف غارات على مواقع للحوثيين في محافظة صعدة شمال اليمن.",
    "وقعت السودان وجنوب السودان اتفاقا لتسوية الخلافات الحدودية بين البلدين.",
    "أصيب أربعة فلسطينيين برصاص الجيش الإسرائيلي خلال مواجهات في مدينة الخليل.",
    "قررت الحكومة الجزائرية رفع أسعار الوقود اعتبارا من مطلع العام المقبل.",
    "انطلقت في الدوحة أعمال المؤتمر الدولي للطاقة بمشاركة وزراء من ثلاثين دولة.",
    "وأوضح البيان أن الانفجار نجم عن عبوة ناسفة زرعت على جانب الطريق.",
    "أغلقت السلطات الليبية مطار معيتيقة بعد سقوط قذائف صاروخية على مدرجه.",
    "نفذت الأمم المتحدة حملة تطعيم ضد شلل الأطفال شملت مليون طفل في الصومال.",
    "اعتقلت قوات الأمن البحرينية ثمانية أشخاص بتهمة التخطيط لأعمال شغب.",
    "وطالبت منظمة العفو الدولية بالإفراج عن الصحفيين المحتجزين دون محاكمة.",
    "هطلت أمطار غزيرة على مناطق واسعة من سلطنة عمان وتسببت في سيول جارفة.",
    "استقبل العاهل الأردني الرئيس الفرنسي في قصر الحسينية وبحثا الأوضاع الإقليمية.",
    "ذكرت وكالة الأنباء الرسمية أن الرئيس أصدر مرسوما بتعيين محافظ جديد للبنك المركزي.",
]
DATELINES = ["", "بيروت - (أ ف ب) - ", "دمشق - ", "القاهرة (رويترز) - ", "", "الرياض - "]
CREDITS = ["", " (أ ف ب)", "", " - رويترز"]

CHILD = textwrap.dedent("""
    import json, os, signal, sys
    from sqlalchemy import event
    from marsad.document import Document
    from marsad.store import Store

    corpus, db, batch = sys.argv[1], sys.argv[2], int(sys.argv[3])
    die_at = int(os.environ.get("DIE_AT_SPANS_INSERT", "0"))

    def documents():
        with open(corpus, encoding="utf-8") as fh:
            for line in fh:
                yield Document.from_json(line)

    with Store(db) as store:
        if die_at:
            inserts = 0

            @event.listens_for(store.engine, "after_cursor_execute")
            def die_inside_the_transaction(conn, cursor, statement, *args):
                # The batch's articles and spans have been sent to SQLite, COMMIT has not: die right here.
                global inserts
                if statement.startswith("INSERT INTO spans"):
                    inserts += 1
                    if inserts == die_at:
                        os.kill(os.getpid(), signal.SIGKILL)

        result = store.add_documents(documents(), batch_size=batch)
    print(json.dumps({"stored": result.stored, "skipped": result.skipped}))
""")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int], list[Document]]:
    """The articles as JSONL (full pipeline output, tokens included) and each id's expected stored span count."""
    pipeline = Pipeline.default()
    triples = list(itertools.permutations(range(len(SENTENCES)), 3))
    random.Random(20171119).shuffle(triples)
    docs = []
    for i, (a, b, c) in enumerate(triples[:N_ARTICLES]):
        text = (DATELINES[i % len(DATELINES)] + SENTENCES[a] + " " + SENTENCES[b] + "\n" + SENTENCES[c]
                + CREDITS[i % len(CREDITS)])
        docs.append(pipeline(Document(text=text, published=f"2017-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                      source="اختبار", meta={"n": i})))
    expected = {d.id: sum(len(spans) for name, spans in d.layers.items() if name != "tokens") for d in docs}
    assert len(expected) == N_ARTICLES, "synthetic articles must all differ"
    assert sum(1 for d in docs if d.layer("clean")) > N_ARTICLES // 2  # datelines and credits were marked
    path = tmp_path_factory.mktemp("corpus") / "articles.jsonl"
    path.write_text("".join(d.to_json() + "\n" for d in docs), encoding="utf-8")
    return path, expected, docs


def _start_child(tmp: Path, corpus_path: Path, db: Path, env_extra: dict[str, str] | None = None) -> subprocess.Popen:
    script = tmp / "child.py"
    if not script.exists():
        script.write_text(CHILD, encoding="utf-8")
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.Popen([sys.executable, str(script), str(corpus_path), str(db), str(BATCH)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def _article_count(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(db, timeout=30) as raw:
        try:
            return raw.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:  # the child has not created the schema yet
            return 0


def _kill_when_rows(child: subprocess.Popen, db: Path, threshold: int) -> int:
    """SIGKILL the child as soon as the database holds ``threshold`` articles; the count seen at that moment."""
    deadline = time.monotonic() + 60
    raw = None
    try:
        while time.monotonic() < deadline:
            if child.poll() is not None:
                out, err = child.communicate()
                pytest.fail(f"the child ended (rc {child.returncode}) before reaching {threshold} rows: {out}{err}")
            if raw is None and db.exists():
                raw = sqlite3.connect(db, timeout=30, isolation_level=None)
            if raw is not None:
                try:
                    seen = raw.execute("SELECT count(*) FROM articles").fetchone()[0]
                except sqlite3.OperationalError:
                    seen = 0
                if seen >= threshold:
                    child.send_signal(signal.SIGKILL)
                    child.wait(timeout=30)
                    return seen
            time.sleep(0.002)
    finally:
        if raw is not None:
            raw.close()
    child.kill()
    pytest.fail(f"the child never reached {threshold} rows")


def _assert_consistent(db: Path, expected: dict[str, int]) -> int:
    """The file opens cleanly and holds only whole articles: every stored one has exactly its spans."""
    with sqlite3.connect(db) as raw:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        ids = [row[0] for row in raw.execute("SELECT id FROM articles")]
        spans = dict(raw.execute("SELECT article_id, count(*) FROM spans GROUP BY article_id").fetchall())
        assert raw.execute("SELECT count(*) FROM spans WHERE layer = 'tokens'").fetchone()[0] == 0
    assert len(ids) == len(set(ids))
    assert set(ids) <= set(expected)
    half_written = {i: (spans.get(i, 0), expected[i]) for i in ids if spans.get(i, 0) != expected[i]}
    assert not half_written, f"articles with missing or extra spans: {list(half_written.items())[:5]}"
    assert set(spans) <= set(ids)
    with Store(db) as store:  # the store itself opens it and agrees
        assert store.count() == len(ids)
    return len(ids)


def test_ingest_killed_three_times_then_resumed_stores_every_article_exactly_once(corpus, tmp_path: Path):
    corpus_path, expected, docs = corpus
    db = tmp_path / "resume.db"

    # 1. Killed from inside, after the 15th batch's INSERTs and before its COMMIT: exactly 14 batches survive.
    child = _start_child(tmp_path, corpus_path, db, {"DIE_AT_SPANS_INSERT": "15"})
    child.wait(timeout=120)
    assert child.returncode == -signal.SIGKILL, child.stderr.read()
    assert _assert_consistent(db, expected) == 14 * BATCH

    # 2 and 3. Killed from outside at two later points, wherever the child is at that moment.
    counts = []
    for threshold in (800 + random.randrange(300), 1700 + random.randrange(300)):
        child = _start_child(tmp_path, corpus_path, db)
        seen = _kill_when_rows(child, db, threshold)
        assert child.returncode == -signal.SIGKILL
        after = _assert_consistent(db, expected)
        assert seen <= after < N_ARTICLES, f"killed at {threshold}+ rows, {after} stored: the kill came too late"
        counts.append(after)
    assert counts[0] < counts[1]

    # 4. Run to completion: only the missing articles are stored.
    child = _start_child(tmp_path, corpus_path, db)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    result = json.loads(out)
    assert result == {"stored": N_ARTICLES - counts[1], "skipped": counts[1]}
    assert _assert_consistent(db, expected) == N_ARTICLES
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT count(*) FROM spans").fetchone()[0] == sum(expected.values())
    with Store(db) as store:
        assert sorted(store.ids()) == sorted(expected)
        for doc in docs[::250]:  # whole Documents come back, re-derived tokens included
            assert store.get(doc.id).to_dict() == doc.to_dict()


def test_two_concurrent_ingests_of_the_same_corpus_store_each_article_once(corpus, tmp_path: Path):
    corpus_path, expected, _ = corpus
    db = tmp_path / "concurrent.db"
    Store(db).close()  # schema first, so both children start writing at once
    children = [_start_child(tmp_path, corpus_path, db) for _ in range(2)]
    results = []
    for child in children:
        out, err = child.communicate(timeout=120)
        assert child.returncode == 0, err
        results.append(json.loads(out))
    assert sum(r["stored"] for r in results) == N_ARTICLES
    assert all(r["stored"] + r["skipped"] == N_ARTICLES for r in results)
    assert _assert_consistent(db, expected) == N_ARTICLES
