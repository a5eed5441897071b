"""Encodings seen in Arabic news: each is written with Python's own codecs and must read back equal."""
from __future__ import annotations

import codecs
import gzip
import json

import pytest

from marsad.ingest import Rejection, detect_encoding, read_bytes, read_paths
from marsad.ingest.encoding import count_arabic_letters
from marsad.text.normalise import ARABIC_LETTERS

# Hamza forms, ta marbuta, alef maqsura, Arabic comma and question mark, quotes and digits: letters and marks
# that sit at different bytes in the two code pages (ISO-8859-6 has no «», so plain quotes).
ARTICLE = (
    "دمشق - (أ ف ب) - قال مسؤول في وزارة الدفاع إن القوات سيطرت على مدينة البوكمال، بعد معارك عنيفة.\n"
    'وأضاف: "هل انتهت المعركة؟ لا، ما زالت الاشتباكات مستمرة في 3 أحياء على الأقل".\n'
    "وذكرت وكالة رويترز أن مئات المدنيين نزحوا إلى مؤسسات الإيواء في دير الزور."
)

ENCODINGS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16-le"),  # Python writes a BOM and the machine's (little-endian) order
    ("utf-16-be", "utf-16-be"),
    ("cp1256", "cp1256"),
    ("iso8859_6", "iso8859-6"),
    ("utf-32", "utf-32-le"),
]


def _bytes(codec: str, text: str) -> bytes:
    if codec == "utf-16-be":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(codec)


@pytest.mark.parametrize("codec, label", ENCODINGS)
def test_text_file_in_each_encoding(tmp_path, codec, label):
    path = tmp_path / f"article-{codec}.txt"
    path.write_bytes(_bytes(codec, ARTICLE))
    [doc] = read_paths([str(path)])
    assert doc.text == ARTICLE
    assert doc.meta["encoding"] == label


@pytest.mark.parametrize("codec, label", ENCODINGS)
def test_short_headline_in_each_encoding(codec, label):
    # A few words give the detector little to go on; the most-Arabic decoding must still win.
    text = "انفجار في بيروت"
    [doc] = read_bytes(_bytes(codec, text), "headline.txt")
    assert doc.text == text and doc.meta["encoding"] == label


@pytest.mark.parametrize("codec, label", ENCODINGS)
def test_jsonl_corpus_in_each_encoding(tmp_path, codec, label):
    lines = "".join(json.dumps({"title": "عنوان", "text": t}, ensure_ascii=False) + "\n" for t in (ARTICLE, ARTICLE[:60]))
    path = tmp_path / "corpus.jsonl.gz"
    path.write_bytes(gzip.compress(_bytes(codec, lines)))
    docs = list(read_paths([str(path)]))
    assert [d.text for d in docs] == [ARTICLE, ARTICLE[:60].strip()]
    assert all(d.title == "عنوان" and d.meta["encoding"] == label for d in docs)


@pytest.mark.parametrize("codec, label", ENCODINGS)
def test_csv_corpus_in_each_encoding(tmp_path, codec, label):
    quoted = ARTICLE.replace('"', '""')
    table = f'title,text\r\nعنوان,"{quoted}"\r\n'
    path = tmp_path / "corpus.csv"
    path.write_bytes(_bytes(codec, table))
    [doc] = read_paths([str(path)])
    assert doc.text == ARTICLE and doc.meta["encoding"] == label


@pytest.mark.parametrize("codec, charset, label", [
    ("cp1256", "windows-1256", "cp1256"), ("iso8859_6", "iso-8859-6", "iso8859-6"), ("utf-16", "utf-16", "utf-16-le"),
])
def test_html_in_legacy_encodings(codec, charset, label):
    paragraphs = "".join(f"<p>{line}</p>" for line in ARTICLE.split("\n"))
    page = f'<html><head><meta charset="{charset}"><title>خبر</title></head><body><article>{paragraphs}</article></body></html>'
    [doc] = read_bytes(page.encode(codec), "page.html")
    assert doc.text == ARTICLE and doc.title == "خبر"
    assert doc.meta["encoding"] == label


def test_utf16_without_bom(tmp_path):
    for codec in ("utf-16-le", "utf-16-be"):
        [doc] = read_bytes(ARTICLE.encode(codec), "nobom.txt")
        assert doc.text == ARTICLE and doc.meta["encoding"] == codec


def test_detect_encoding_of_a_stream_head_cut_inside_a_character():
    data = ARTICLE.encode("utf-8")
    cut = data[: len("دمش".encode("utf-8")) + 1]  # the 4th letter's second byte is missing
    with pytest.raises(UnicodeDecodeError):
        cut.decode("utf-8")
    assert detect_encoding(cut, final=False).label == "utf-8"


def test_undecodable_byte_in_a_later_utf8_record_rejects_only_that_record(tmp_path):
    good = json.dumps({"text": ARTICLE}, ensure_ascii=False).encode("utf-8") + b"\n"
    bad = good.replace("مدينة".encode("utf-8"), b"\xff\xfe\xfd")
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(good * 3000 + bad + good)  # the bad line lies far beyond the sniffed head
    items = list(read_paths([str(path)]))
    rejections = [i for i in items if isinstance(i, Rejection)]
    assert len(items) == 3002
    assert rejections == [Rejection(f"{path}#line 3001", "undecodable bytes in this line (the file reads as utf-8)")]


def test_arabic_letter_count_matches_the_text_layer_alphabet():
    every_char = "".join(chr(c) for c in range(0x0500, 0x0800)) + "abc 123"
    assert count_arabic_letters(every_char) == len(ARABIC_LETTERS)
