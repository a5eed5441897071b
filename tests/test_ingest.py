"""Ingest: plain text, HTML, JSON lines / CSV corpora, folders, standard input, gzip, metadata."""
from __future__ import annotations

import gzip
import io
import itertools
import json
import sys
from pathlib import Path

import pytest

from marsad.document import Document
from marsad.ids import content_id
from marsad.ingest import Rejection, read_bytes, read_paths

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"

ARTICLE = (
    "القوات الحكومية تسيطر على البوكمال\n"
    "بيروت - أعلنت القوات الحكومية السورية اليوم سيطرتها الكاملة على مدينة البوكمال في ريف دير الزور الشرقي.\n"
    "وقال مصدر عسكري إن وحدات الجيش دخلت الأحياء الشمالية للمدينة فجرا."
)
SECOND = "قال وزير الخارجية إن المحادثات مع الوفد الزائر تناولت الأوضاع في المنطقة وسبل دعم الاستقرار."


def docs_and_rejections(items):
    items = list(items)
    docs = [i for i in items if isinstance(i, Document)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert len(docs) + len(rejections) == len(items)
    return docs, rejections


# --- plain text -------------------------------------------------------------------------------------------------
def test_plain_text_file(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE + "\n\n", encoding="utf-8")
    [doc] = read_paths([str(path)], default_published="19/11/2017", default_source="الخبر")
    assert doc.text == ARTICLE  # trailing blank lines dropped, nothing else touched
    assert doc.language == "ar"
    assert doc.published == "2017-11-19"
    assert doc.meta["published_raw"] == "19/11/2017"
    assert doc.source == "الخبر"
    assert doc.meta["origin"] == str(path)
    assert doc.meta["encoding"] == "utf-8"
    assert doc.meta["format"] == "text"
    assert doc.id == content_id(ARTICLE)


def test_windows_line_endings_become_newlines(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    [doc] = read_paths([path])
    assert doc.text == ARTICLE


def test_unknown_extension_is_read_as_text(tmp_path):
    path = tmp_path / "article.story"
    path.write_text(ARTICLE, encoding="utf-8")
    [doc] = read_paths([str(path)])
    assert doc.text == ARTICLE and doc.meta["format"] == "text"


def test_defaults_do_not_override_what_an_input_says(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": ARTICLE, "published": "2015-07-21", "source": "aawsat"}) + "\n"
                    + json.dumps({"text": SECOND}) + "\n", encoding="utf-8")
    first, second = read_paths([str(path)], default_published="2020-01-01", default_source="fallback")
    assert (first.published, first.source) == ("2015-07-21", "aawsat")
    assert (second.published, second.source) == ("2020-01-01", "fallback")


# --- HTML -------------------------------------------------------------------------------------------------------
def test_html_article_body_without_site_furniture():
    [doc] = read_paths([str(FIXTURES / "article.html")])
    assert doc.meta["format"] == "html"
    assert doc.title == "القوات الحكومية تسيطر على البوكمال"
    assert doc.published == "2017-11-19"  # from the page's metadata
    assert doc.url == "https://alkhabar.example/news/2017/11/19/albukamal"
    assert doc.source == "جريدة الخبر"
    paragraphs = [
        "بيروت - أعلنت القوات الحكومية السورية اليوم الأحد سيطرتها الكاملة على مدينة البوكمال",
        "وقال مصدر عسكري لوكالة الأنباء الرسمية",
        "وذكر المرصد السوري لحقوق الإنسان",
        "وتعد البوكمال آخر مدينة كبيرة كان التنظيم يسيطر عليها في سوريا",
    ]
    positions = [doc.text.index(p) for p in paragraphs]
    assert positions == sorted(positions)
    furniture = [
        "الرئيسية", "اتصل بنا", "اشترك الآن", "إعلان ممول", "الأكثر قراءة", "ارتفاع أسعار النفط",
        "جميع الحقوق محفوظة", "سياسة الخصوصية", "ملفات تعريف الارتباط", "dataLayer", "نتمنى أن يعود الأمان",
        "عاجل: انقطاع التيار",
    ]
    for piece in furniture:
        assert piece not in doc.text, piece


def test_html_without_a_dated_markup_gets_no_guessed_date():
    page = (FIXTURES / "article.html").read_text(encoding="utf-8")
    page = page.replace('<meta property="article:published_time" content="2017-11-19T10:30:00+03:00">', "")
    page = page.replace("/news/2017/11/19/albukamal", "/news/albukamal")
    assert "© 2017" in page
    [doc] = read_bytes(page.encode("utf-8"), "page.html")
    assert doc.published is None  # not 2017-01-01 from the copyright line
    [dated] = read_bytes(page.encode("utf-8"), "page.html", published="2017-11-19")
    assert dated.published == "2017-11-19"


def test_xhtml_with_xml_declaration():
    page = (FIXTURES / "article.html").read_text(encoding="utf-8").replace("<!DOCTYPE html>", "")
    page = '<?xml version="1.0" encoding="windows-1256"?>\n' + page
    [doc] = read_bytes(page.encode("cp1256"), "page.xhtml")
    assert doc.title == "القوات الحكومية تسيطر على البوكمال" and doc.meta["encoding"] == "cp1256"
    assert "مدينة البوكمال" in doc.text


def test_html_detected_by_content_without_extension(tmp_path):
    path = tmp_path / "download"
    path.write_bytes((FIXTURES / "article.html").read_bytes())
    [doc] = read_paths([str(path)])
    assert doc.meta["format"] == "html"
    assert "جميع الحقوق محفوظة" not in doc.text


def test_html_given_date_is_used_when_the_page_has_none():
    page = ("<html><body><article><p>" + ARTICLE.replace("\n", "</p><p>") + "</p></article></body></html>")
    [doc] = read_bytes(page.encode("utf-8"), "page.html", published="2017-11-19")
    assert doc.published == "2017-11-19"
    assert "مدينة البوكمال" in doc.text


# --- JSON lines ---------------------------------------------------------------------------------------------------
def test_jsonl_records_with_metadata(tmp_path):
    records = [
        {"id": "r1", "title": "عنوان", "published": "2017-05-27T21:37:00+01:00", "source": "Jawhara FM",
         "url": "http://example.com/1", "category": "world", "language": "ar", "text": ARTICLE},
        {"id": "r2", "date": "2015-07-21", "body": SECOND, "author": "كاتب"},
        {"id": "r3", "content": SECOND + " وأضاف أن اللقاء كان مثمرا."},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    docs, rejections = docs_and_rejections(read_paths([str(path)]))
    assert rejections == []
    first, second, third = docs
    assert first.text == ARTICLE and first.title == "عنوان" and first.url == "http://example.com/1"
    assert first.published == "2017-05-27"
    assert first.meta["published_raw"] == "2017-05-27T21:37:00+01:00"
    assert first.source == "Jawhara FM"
    assert first.meta["category"] == "world"
    assert first.meta["record_id"] == "r1"
    assert first.meta["origin"] == f"{path}#line 1"
    assert first.meta["format"] == "jsonl"
    assert "language" not in first.meta and first.language == "ar"
    assert second.text == SECOND and second.published == "2015-07-21"
    assert "published_raw" not in second.meta  # already ISO: nothing changed
    assert second.meta["author"] == "كاتب"
    assert third.text.endswith("كان مثمرا.")
    assert third.meta["origin"] == f"{path}#line 3"


def test_jsonl_gz_is_streamed_record_by_record(tmp_path):
    path = tmp_path / "big.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        for n in range(2000):
            out.write(json.dumps({"id": n, "text": f"{SECOND} رقم {n}"}, ensure_ascii=False) + "\n")
    stream = read_paths([str(path)])
    first_three = list(itertools.islice(stream, 3))
    assert [d.meta["record_id"] for d in first_three] == ["0", "1", "2"]
    assert sum(1 for _ in stream) == 1997


def test_json_array_document(tmp_path):
    path = tmp_path / "records.json"
    path.write_text(json.dumps([{"text": ARTICLE}, {"text": SECOND}], ensure_ascii=False, indent=2),
                    encoding="utf-8")
    docs, rejections = docs_and_rejections(read_paths([str(path)]))
    assert [d.text for d in docs] == [ARTICLE, SECOND] and rejections == []
    assert docs[1].meta["origin"] == f"{path}#record 2"


def test_pretty_printed_json_record(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"title": "عنوان", "text": SECOND}, ensure_ascii=False, indent=2), encoding="utf-8")
    [doc] = read_paths([str(path)])
    assert doc.text == SECOND and doc.title == "عنوان" and doc.meta["origin"] == str(path)


def test_text_that_merely_starts_with_a_brace(tmp_path):
    path = tmp_path / "note"
    path.write_text("{تحديث} " + ARTICLE, encoding="utf-8")
    [doc] = read_paths([str(path)])
    assert doc.text == "{تحديث} " + ARTICLE and doc.meta["format"] == "text"


def test_jsonl_detected_by_content(tmp_path):
    path = tmp_path / "dump"
    path.write_text(json.dumps({"text": SECOND}, ensure_ascii=False) + "\n", encoding="utf-8")
    [doc] = read_paths([str(path)])
    assert doc.text == SECOND and doc.meta["format"] == "json"


# --- CSV -----------------------------------------------------------------------------------------------------------
def test_csv_records_with_metadata_and_quoted_newlines(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text(
        "id,Title,date,source,text,section\n"
        f'a1,عنوان أول,19/03/2017,الخبر,"{ARTICLE}",دولي\n'
        f"a2,عنوان ثان,,,{SECOND},محلي\n",
        encoding="utf-8",
    )
    docs, rejections = docs_and_rejections(read_paths([str(path)], default_source="مصدر"))
    assert rejections == []
    first, second = docs
    assert first.text == ARTICLE  # the quoted field keeps its newlines
    assert first.title == "عنوان أول" and first.published == "2017-03-19"
    assert first.meta["published_raw"] == "19/03/2017"
    assert first.meta["section"] == "دولي" and first.meta["record_id"] == "a1"
    assert first.meta["origin"] == f"{path}#record 1" and first.meta["format"] == "csv"
    assert second.source == "مصدر" and second.published is None
    assert second.meta["origin"] == f"{path}#record 2"


def test_csv_gz_with_capitalised_field_names(tmp_path):
    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(f"Title,Text,Section\nعنوان,{SECOND},Politics\n".encode("utf-8-sig")))
    [doc] = read_paths([str(path)])
    assert doc.text == SECOND and doc.title == "عنوان"
    assert doc.meta["Section"] == "Politics"  # other names keep their spelling
    assert doc.meta["encoding"] == "utf-8-sig"


def test_tsv_and_semicolon_csv(tmp_path):
    tsv = tmp_path / "corpus.tsv"
    tsv.write_text(f"title\tbody\nعنوان\t{SECOND}\n", encoding="utf-8")
    semicolon = tmp_path / "excel.csv"
    semicolon.write_text(f"title;content\nعنوان;{SECOND}\n", encoding="utf-8")
    for path in (tsv, semicolon):
        [doc] = read_paths([str(path)])
        assert doc.text == SECOND and doc.title == "عنوان", path


# --- folders, stdin, gzip ---------------------------------------------------------------------------------------
def test_folder_recursive_sorted_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text(SECOND + " ثلاثة", encoding="utf-8")
    (tmp_path / "a.txt").write_text(SECOND + " واحد", encoding="utf-8")
    (tmp_path / "b" / "a.txt").write_text(SECOND + " اثنان", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text(SECOND + " مخفي", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(SECOND + " مخفي", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(json.dumps({"text": SECOND + " أربعة"}, ensure_ascii=False), encoding="utf-8")
    docs = list(read_paths([str(tmp_path)]))
    assert [d.text.split()[-1] for d in docs] == ["واحد", "اثنان", "ثلاثة", "أربعة"]
    assert [d.meta["origin"] for d in docs] == [
        str(tmp_path / "a.txt"), str(tmp_path / "b" / "a.txt"), str(tmp_path / "b" / "z.txt"),
        f"{tmp_path / 'c.jsonl'}#line 1",
    ]
    assert list(read_paths([str(tmp_path)])) == docs  # deterministic


def test_folder_and_files_mixed_with_missing_path(tmp_path):
    (tmp_path / "one.txt").write_text(SECOND, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    docs, rejections = docs_and_rejections(
        read_paths([str(tmp_path / "nowhere.txt"), str(tmp_path / "one.txt"), str(tmp_path / "empty")])
    )
    assert [d.text for d in docs] == [SECOND]
    assert rejections == [
        Rejection(str(tmp_path / "nowhere.txt"), "no such file or folder"),
        Rejection(str(tmp_path / "empty"), "folder has no files to read (hidden files are skipped)"),
    ]


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_stdin_text(monkeypatch):
    _stdin(monkeypatch, ARTICLE.encode("cp1256"))
    [doc] = read_paths(["-"])
    assert doc.text == ARTICLE
    assert doc.meta["origin"] == "<stdin>" and doc.meta["encoding"] == "cp1256"


def test_stdin_jsonl_corpus(monkeypatch):
    lines = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in (ARTICLE, SECOND))
    _stdin(monkeypatch, lines.encode("utf-8"))
    docs = list(read_paths(["-"]))
    assert [d.text for d in docs] == [ARTICLE, SECOND]
    assert docs[1].meta["origin"] == "<stdin>#line 2"


def test_stdin_empty(monkeypatch):
    _stdin(monkeypatch, b"")
    assert list(read_paths(["-"])) == [Rejection("<stdin>", "empty file")]


def test_stdin_without_bytes_or_missing(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(ARTICLE))
    [doc] = read_paths(["-"])
    assert doc.text == ARTICLE
    monkeypatch.setattr(sys, "stdin", None)
    assert list(read_paths(["-"])) == [Rejection("<stdin>", "no standard input to read")]


def test_gzip_plain_text_and_gzip_by_magic_not_name(tmp_path):
    gz = tmp_path / "article.txt.gz"
    gz.write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    misnamed = tmp_path / "article.txt"
    misnamed.write_bytes(gzip.compress(ARTICLE.encode("utf-8")))
    for path in (gz, misnamed):
        [doc] = read_paths([str(path)])
        assert doc.text == ARTICLE


def test_read_bytes_kind_and_meta():
    data = f"title,text\nعنوان,{SECOND}\n".encode("utf-8")
    [doc] = read_bytes(data, "upload", kind="csv", source="رفع", published="2017-01-02", batch="b7")
    assert doc.text == SECOND and doc.title == "عنوان"
    assert doc.source == "رفع" and doc.published == "2017-01-02" and doc.meta["batch"] == "b7"
    assert doc.meta["origin"] == "upload#record 1"
    [as_text] = read_bytes(data, "upload", kind="text")  # the caller's kind wins over sniffing
    assert as_text.meta["format"] == "text" and as_text.text.startswith("title,text")
    with pytest.raises(ValueError, match="unknown kind 'docx'"):
        read_bytes(data, "upload", kind="docx")  # at the call, not at the first record


def test_read_paths_is_lazy(tmp_path):
    (tmp_path / "a.txt").write_text(SECOND, encoding="utf-8")
    stream = read_paths([str(tmp_path / "a.txt"), str(tmp_path / "later.txt")])
    assert next(stream).text == SECOND
    (tmp_path / "later.txt").write_text(ARTICLE, encoding="utf-8")  # created after reading began
    assert next(stream).text == ARTICLE


# --- real corpora --------------------------------------------------------------------------------------------------
def test_real_ant_records_through_a_small_gz(shared_dir, tmp_path):
    source = shared_dir / "data" / "news" / "ant.jsonl.gz"
    if not source.exists():
        pytest.skip("ant.jsonl.gz is not in ../shared/data/news/")
    with gzip.open(source, "rt", encoding="utf-8") as lines:
        head = list(itertools.islice(lines, 200))
    sample = tmp_path / "ant-200.jsonl.gz"
    sample.write_bytes(gzip.compress("".join(head).encode("utf-8")))
    docs, rejections = docs_and_rejections(read_paths([str(sample)]))
    assert rejections == [] and len(docs) == 200
    for line, doc in zip(head, docs):
        record = json.loads(line)
        assert doc.text == record["text"].strip()
        assert doc.title == record["title"] and doc.url == record["url"] and doc.source == "Jawhara FM"
        assert doc.meta["record_id"] == record["id"] and doc.meta["category"] == record["category"]
        assert doc.published is not None and len(doc.published) == 10
        # Both of the corpus's date styles end up as the same ISO date.
        raw = record["published"]
        if "T" in raw:
            assert doc.published == raw[:10]
        else:
            day, month, year = raw.split("/")
            assert doc.published == f"{year}-{month}-{day}"
        assert doc.meta["published_raw"] == raw


def test_real_saudinewsnet_streams_without_loading_the_corpus(shared_dir):
    corpus = shared_dir / "data" / "news" / "saudinewsnet.jsonl.gz"
    if not corpus.exists():
        pytest.skip("saudinewsnet.jsonl.gz is not in ../shared/data/news/")
    import tracemalloc

    tracemalloc.start()
    try:
        docs = [d for d in itertools.islice(read_paths([str(corpus)]), 300) if isinstance(d, Document)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(docs) > 250
    assert docs[0].meta["record_id"] == "snn-00000" and docs[0].published == "2015-07-21"
    assert peak < 20_000_000  # the whole corpus decompressed is ~100 MB of text
