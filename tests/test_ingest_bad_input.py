"""Bad input: each problem is one Rejection naming the file (and record), and reading goes on with the rest."""
from __future__ import annotations

import codecs
import csv
import gzip
import json
import os
import time
from pathlib import Path

import pytest

from marsad.document import Document
from marsad.ingest import MIN_ARABIC_RATIO, Rejection, read_bytes, read_paths

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
ARABIC = "قال مسؤول في وزارة الدفاع إن القوات الحكومية سيطرت على مدينة البوكمال بعد معارك عنيفة مع التنظيم."
ENGLISH = "The government forces took control of the city of Albukamal after heavy fighting, an official said."
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def read_one(tmp_path: Path, name: str, data: bytes, **kwargs) -> list:
    """Read a bad file between two good ones: the good ones must come through either way."""
    (tmp_path / "a-good.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / name).write_bytes(data)
    (tmp_path / "z-good.txt").write_text(ARABIC + " وأضاف المصدر.", encoding="utf-8")
    items = list(read_paths([str(tmp_path)], **kwargs))
    docs = [i for i in items if isinstance(i, Document)]
    assert [d.meta["origin"] for d in docs] == [str(tmp_path / "a-good.txt"), str(tmp_path / "z-good.txt")]
    return [i for i in items if isinstance(i, Rejection)]


def test_empty_file(tmp_path):
    assert read_one(tmp_path, "m-empty.txt", b"") == [Rejection(str(tmp_path / "m-empty.txt"), "empty file")]


def test_whitespace_only_file(tmp_path):
    [rejection] = read_one(tmp_path, "m-blank.txt", b" \n\r\n\t \n")
    assert rejection == Rejection(str(tmp_path / "m-blank.txt"), "empty text")


def test_png_image(tmp_path):
    [rejection] = read_one(tmp_path, "m-photo.txt", PNG)
    assert rejection == Rejection(str(tmp_path / "m-photo.txt"), "binary file (PNG image), not text")


def test_nul_bytes(tmp_path):
    data = ARABIC.encode("utf-8")[:40] + b"\x00\x00\x00\x07\x01\x02" + os.urandom(64) + b"\x00"
    [rejection] = read_one(tmp_path, "m-data.bin", data)
    assert rejection.origin == str(tmp_path / "m-data.bin")
    assert rejection.reason == "binary file (contains NUL bytes), not text"


def test_control_bytes_without_nul(tmp_path):
    data = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16]) * 30 + ARABIC.encode("utf-8")
    [rejection] = read_one(tmp_path, "m-dump.dat", data)
    assert rejection.reason == f"binary file (330 control bytes in the first {len(data):,}), not text"


def test_utf16_bom_followed_by_invalid_utf16(tmp_path):
    data = codecs.BOM_UTF16_LE + ARABIC[:20].encode("utf-16-le") + b"\x00\xd8\x41\x00"  # a lone high surrogate
    [rejection] = read_one(tmp_path, "m-broken16.txt", data)
    assert rejection.reason == "undecodable bytes: invalid utf-16-le at byte 42"


def test_binary_inside_gzip(tmp_path):
    [rejection] = read_one(tmp_path, "m-photo.png.gz", gzip.compress(PNG))
    assert rejection.reason == "binary file (PNG image), not text"


def test_undecodable_bytes(tmp_path):
    # Not UTF-8, and as Windows-1256 or ISO-8859-6 it is gibberish full of unassigned and control characters.
    data = bytes(range(0x80, 0x100)) * 4
    [rejection] = read_one(tmp_path, "m-garbled.txt", data)
    assert rejection.origin == str(tmp_path / "m-garbled.txt")
    assert rejection.reason.startswith("undecodable bytes:")


def test_html_page_with_no_article(tmp_path):
    [rejection] = read_one(tmp_path, "m-home.html", (FIXTURES / "navigation-only.html").read_bytes())
    assert rejection == Rejection(
        str(tmp_path / "m-home.html"), "HTML page with no article text (only navigation, links or boilerplate)"
    )


def test_html_section_page_with_only_a_heading_and_links(tmp_path):
    page = (FIXTURES / "navigation-only.html").read_text(encoding="utf-8").replace(
        '<div class="ad-slot">إعلان</div>',
        "<main><h1>أخبار اليوم</h1><ul>"
        '<li><a href="/1">انفجار في بيروت يوقع عشرات الجرحى</a></li>'
        '<li><a href="/2">الحكومة تعلن خطة جديدة لدعم المزارعين</a></li></ul></main>',
    )
    [rejection] = read_one(tmp_path, "m-section.html", page.encode("utf-8"))
    assert rejection.reason == "HTML page with no article text (only navigation, links or boilerplate)"


def test_short_html_news_brief_is_an_article():
    brief = "عاجل: انفجار قوي يهز وسط العاصمة بيروت ويوقع عشرات الجرحى بحسب مصادر أمنية"
    page = f"<html><body><nav><a href='/'>الرئيسية</a></nav><article><h1>انفجار في بيروت</h1><p>{brief}</p></article></body></html>"
    [doc] = read_bytes(page.encode("utf-8"), "brief.html")
    assert brief in doc.text


def test_english_text(tmp_path):
    [rejection] = read_one(tmp_path, "m-english.txt", (ENGLISH + " بيروت").encode("utf-8"))
    assert MIN_ARABIC_RATIO == 0.3
    assert rejection == Rejection(
        str(tmp_path / "m-english.txt"), "not Arabic text (6% Arabic letters; at least 30% are needed)"
    )


def test_arabic_article_with_latin_names_is_accepted():
    text = ARABIC + " وقال جون سميث John Smith من منظمة Human Rights Watch إن الوضع خطير."
    [doc] = read_bytes(text.encode("utf-8"), "mixed.txt")
    assert doc.language == "ar"


def test_digits_only(tmp_path):
    [rejection] = read_one(tmp_path, "m-numbers.txt", b"12 34 56\n78 90\n")
    assert rejection.reason == "not a text: it has no letters"


def test_file_larger_than_max_bytes(tmp_path):
    big = tmp_path / "m-huge.txt"
    chunk = (ARABIC + "\n").encode("utf-8")
    with open(big, "wb") as out:
        out.write(chunk * (50_000_000 // len(chunk) + 1))
    assert big.stat().st_size > 50_000_000
    (tmp_path / "a-good.txt").write_text(ARABIC, encoding="utf-8")
    started = time.perf_counter()
    items = list(read_paths([str(tmp_path)]))
    assert time.perf_counter() - started < 5  # rejected from its size, not read whole
    size = big.stat().st_size
    assert items[1] == Rejection(str(big), f"file too large: {size:,} bytes (the limit is 10,000,000)")
    assert isinstance(items[0], Document)


def test_gzip_that_decompresses_beyond_max_bytes(tmp_path):
    bomb = gzip.compress(("ا" * 2_000_000).encode("utf-8"))  # 4 MB of text in a few KB
    [rejection] = read_one(tmp_path, "m-bomb.txt.gz", bomb, max_bytes=1_000_000)
    assert rejection.reason == "file too large: the decompressed text exceeds the limit of 1,000,000 bytes"


def test_corpus_record_larger_than_max_bytes(tmp_path):
    lines = [{"text": ARABIC}, {"text": ARABIC * 500}, {"text": ARABIC + " وأضاف."}]
    data = "\n".join(json.dumps(r, ensure_ascii=False) for r in lines).encode("utf-8")
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(data)
    items = list(read_paths([str(path)], max_bytes=10_000))
    assert [type(i).__name__ for i in items] == ["Document", "Rejection", "Document"]
    assert items[1] == Rejection(f"{path}#line 2", "record larger than the limit of 10,000 characters")


def test_csv_record_larger_than_max_bytes(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text(f"text\n{ARABIC}\n{ARABIC * 50}\n{ARABIC} وأضاف.\n", encoding="utf-8")
    items = list(read_paths([str(path)], max_bytes=2_000))
    assert [type(i).__name__ for i in items] == ["Document", "Rejection", "Document"]
    assert items[1] == Rejection(f"{path}#record 2", "record larger than the limit of 2,000 characters")


def test_csv_field_beyond_the_csv_module_limit(tmp_path):
    previous = csv.field_size_limit(131_072)  # the module's default; the limit is process-wide
    try:
        path = tmp_path / "corpus.csv"
        path.write_text(f"text\n{ARABIC}\n{'ب' * 200_000}\n{ARABIC} وأضاف.\n", encoding="utf-8")
        items = list(read_paths([str(path)], max_bytes=1_000))
    finally:
        csv.field_size_limit(previous)
    assert [type(i).__name__ for i in items] == ["Document", "Rejection", "Document"]
    assert items[1].origin == f"{path}#record 2"
    assert items[1].reason.startswith("malformed CSV record (field larger than field limit")


def test_csv_without_text_column(tmp_path):
    data = f"id,title,published\n1,{ARABIC},2017-01-01\n".encode("utf-8")
    [rejection] = read_one(tmp_path, "m-table.csv", data)
    assert rejection == Rejection(
        str(tmp_path / "m-table.csv"),
        "CSV has no text column: expected a column named text or body or content, found 'id', 'title', 'published'",
    )


def test_csv_record_with_empty_text_and_extra_fields(tmp_path):
    path = tmp_path / "corpus.csv"
    path.write_text(f"title,text\nأول,{ARABIC}\nثان,\nثالث,{ARABIC},زائد\nرابع,{ARABIC} وأضاف.\n", encoding="utf-8")
    items = list(read_paths([str(path)]))
    assert [getattr(i, "title", None) for i in items] == ["أول", None, None, "رابع"]
    assert items[1] == Rejection(f"{path}#record 2", "empty text")
    assert items[2] == Rejection(f"{path}#record 3", "record has 3 fields but the header names 2 (line 4)")


def test_malformed_json_line(tmp_path):
    path = tmp_path / "corpus.jsonl"
    good = [json.dumps({"text": ARABIC + f" رقم {n}"}, ensure_ascii=False) for n in range(3)]
    path.write_text("\n".join([good[0], '{"text": "قال", "title": }', good[1], "", "[1, 2]", good[2]]) + "\n",
                    encoding="utf-8")
    items = list(read_paths([str(path)]))
    assert [i.text[-1] for i in items if isinstance(i, Document)] == ["0", "1", "2"]
    assert [i for i in items if isinstance(i, Rejection)] == [
        Rejection(f"{path}#line 2", "malformed JSON: Expecting value (column 26)"),
        Rejection(f"{path}#line 5", "not a JSON object but a list"),
    ]
    assert [i.meta["origin"] for i in items if isinstance(i, Document)][-1] == f"{path}#line 6"


def test_malformed_first_json_line_costs_only_that_line(tmp_path):
    path = tmp_path / "corpus.jsonl"
    path.write_text('{"text": "قال"\n' + json.dumps({"text": ARABIC}, ensure_ascii=False) + "\n", encoding="utf-8")
    first, second = read_paths([str(path)])
    assert first == Rejection(f"{path}#line 1", "malformed JSON: Expecting ',' delimiter (column 15)")
    assert second.text == ARABIC


def test_oversized_first_json_line(tmp_path):
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps({"text": ARABIC * 100}, ensure_ascii=False) + "\n"
                    + json.dumps({"text": ARABIC}, ensure_ascii=False) + "\n", encoding="utf-8")
    first, second = read_paths([str(path)], max_bytes=1_000)
    assert first == Rejection(f"{path}#line 1", "record larger than the limit of 1,000 characters")
    assert second.text == ARABIC


def test_malformed_json_document(tmp_path):
    [rejection] = read_one(tmp_path, "m-broken.json", b'[\n  {"text": "\xd9\x82\xd8\xa7\xd9\x84"},\n  {"text": \n')
    assert rejection.origin == str(tmp_path / "m-broken.json")
    assert rejection.reason == "malformed JSON: Expecting value (line 4, column 1)"


def test_jsonl_record_problems(tmp_path):
    path = tmp_path / "corpus.jsonl"
    records = [{"title": "بلا نص"}, {"text": "   "}, {"text": 42}, {"text": ENGLISH}, {"body": ARABIC}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    items = list(read_paths([str(path)]))
    assert items[:4] == [
        Rejection(f"{path}#line 1", "no text field (expected one of: text, body, content)"),
        Rejection(f"{path}#line 2", "empty text"),
        Rejection(f"{path}#line 3", "the text is a int, not a string"),
        Rejection(f"{path}#line 4", "not Arabic text (0% Arabic letters; at least 30% are needed)"),
    ]
    assert isinstance(items[4], Document) and items[4].text == ARABIC


def test_truncated_gzip_keeps_the_records_before_the_damage(tmp_path):
    lines = "".join(json.dumps({"text": f"{ARABIC} {n}"}, ensure_ascii=False) + "\n" for n in range(5000))
    compressed = gzip.compress(lines.encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    items = list(read_paths([str(path), str(tmp_path / "cut.jsonl.gz")]))
    docs = [i for i in items if isinstance(i, Document)]
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert 0 < len(docs) < 2 * 5000
    assert len(rejections) == 2 and all(r.origin == str(path) for r in rejections)
    assert rejections[0].reason.startswith("corrupt or truncated gzip data")


def test_corrupt_gzip_header(tmp_path):
    data = b"\x1f\x8b\x08\x00" + os.urandom(32)
    [rejection] = read_one(tmp_path, "m-broken.gz", data)
    assert rejection.reason.startswith("corrupt or truncated gzip data")


def test_unreadable_file(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read a file without read permission")
    path = tmp_path / "locked.txt"
    path.write_text(ARABIC, encoding="utf-8")
    path.chmod(0)
    [rejection] = list(read_paths([str(path)]))
    assert rejection.origin == str(path) and rejection.reason == "cannot read file: Permission denied"


def test_read_error_while_reading():
    # Linux refuses to read a process's memory at address 0 (an I/O error), whoever asks, root included.
    if not Path("/proc/self/mem").exists():
        pytest.skip("no /proc/self/mem on this system")
    assert list(read_paths(["/proc/self/mem"])) == [
        Rejection("/proc/self/mem", "cannot read file: Input/output error")
    ]


def test_folder_skips_what_is_not_a_regular_file(tmp_path):
    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    os.mkfifo(tmp_path / "b-pipe")  # opening it would wait for a writer for ever
    (tmp_path / "c-link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "d-loop").symlink_to(tmp_path)  # a folder link that would recurse for ever
    items = list(read_paths([str(tmp_path)]))
    assert [i.meta["origin"] for i in items] == [str(tmp_path / "a.txt"), str(tmp_path / "c-link.txt")]


def test_rejection_names_stdin(monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(PNG)))
    assert list(read_paths(["-"])) == [Rejection("<stdin>", "binary file (PNG image), not text")]
