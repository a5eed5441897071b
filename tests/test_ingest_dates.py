"""Publication dates: the forms corpora and pages use → ISO YYYY-MM-DD, the raw form kept when it changed."""
from __future__ import annotations

import json

import pytest

from marsad.ingest import normalise_date, read_bytes

ARABIC = "قال مسؤول في وزارة الدفاع إن القوات الحكومية سيطرت على مدينة البوكمال بعد معارك عنيفة."


@pytest.mark.parametrize("raw, iso", [
    ("2015-07-21", "2015-07-21"),
    ("2017-05-27T21:37:00+01:00", "2017-05-27"),  # the publisher's local day, not shifted to UTC
    ("2017-05-27T23:59:00-05:00", "2017-05-27"),
    ("2015-07-21 02:51:32", "2015-07-21"),
    ("19/03/2017", "2017-03-19"),
    ("1/3/2017", "2017-03-01"),  # day first, as Arabic and European sources write it
    ("03/19/2017", "2017-03-19"),  # month first only when the second number cannot be a month
    ("19-03-2017", "2017-03-19"),
    ("19.03.2017 10:30", "2017-03-19"),
    ("2017/3/9", "2017-03-09"),
    ("20170309", "2017-03-09"),
    ("Tue, 21 Jul 2015 02:51:32 GMT", "2015-07-21"),
    ("21 July 2015", "2015-07-21"),
    ("July 21, 2015", "2015-07-21"),
    ("١٩/٠٣/٢٠١٧", "2017-03-19"),  # Arabic-Indic digits
    ("19 نوفمبر 2017", "2017-11-19"),
    ("الأحد، 19 نوفمبر 2017", "2017-11-19"),
    ("الأحد 19 تشرين الثاني 2017", "2017-11-19"),
    ("2 كانون الثاني 2016", "2016-01-02"),
    ("12 كانون الأول 2016", "2016-12-12"),
    ("5 جويلية 2016 - 10:30", "2016-07-05"),
    ("15 أغسطس، 2015", "2015-08-15"),
])
def test_recognised_dates(raw, iso):
    assert normalise_date(raw) == iso


@pytest.mark.parametrize("raw", [
    "", "   ", "yesterday", "أمس", "2017", "2017-05", "31/02/2017", "2017-13-01", "19/03/17", "1850-01-01",
    "19 بلابلا 2017", None,
])
def test_unrecognised_dates(raw):
    assert normalise_date(raw) is None


def _doc_with_date(raw):
    line = json.dumps({"text": ARABIC, "published": raw}, ensure_ascii=False).encode("utf-8")
    [doc] = read_bytes(line, "c.jsonl")
    return doc


def test_changed_date_keeps_the_raw_form():
    doc = _doc_with_date("19/03/2017")
    assert doc.published == "2017-03-19" and doc.meta["published_raw"] == "19/03/2017"
    assert "published_error" not in doc.meta


def test_iso_date_is_kept_as_is_without_notes():
    doc = _doc_with_date("2015-07-21")
    assert doc.published == "2015-07-21"
    assert "published_raw" not in doc.meta and "published_error" not in doc.meta


def test_unparseable_date_is_noted_and_left_empty():
    doc = _doc_with_date("قبل ساعتين")
    assert doc.published is None
    assert doc.meta["published_raw"] == "قبل ساعتين"
    assert doc.meta["published_error"] == "unrecognised date format"


def test_date_field_and_both_fields():
    line = json.dumps({"text": ARABIC, "date": "2016-01-02", "published": "03/01/2016"}).encode("utf-8")
    [doc] = read_bytes(line, "c.jsonl")
    assert doc.published == "2016-01-03"  # "published" comes first; "date" stays as metadata
    assert doc.meta["date"] == "2016-01-02"


def test_record_date_under_either_name_wins_over_the_default():
    line = json.dumps({"text": ARABIC, "date": "21/07/2015"}).encode("utf-8")
    [doc] = read_bytes(line, "c.jsonl", published="2020-01-01")
    assert doc.published == "2015-07-21"
    [undated] = read_bytes(json.dumps({"text": ARABIC}).encode("utf-8"), "c.jsonl", published="2020-01-01")
    assert undated.published == "2020-01-01"
