import pytest

from marsad import analyse
from marsad.resources import DataFileError
from marsad.stages.clean import CleanStage


def labels(doc):
    return [(s.label, doc.span_text(s)) for s in doc.layer("clean")]


def test_seed_article_dateline_and_boilerplate(bukamal_text, bukamal_expected):
    doc = analyse(bukamal_text)
    found = labels(doc)
    datelines = [s for s in doc.layer("clean") if s.label == "DATELINE"]
    assert len(datelines) == 1 and datelines[0].attrs["place"] == bukamal_expected["dateline"]
    place = datelines[0]
    assert doc.text[place.attrs["place_start"]:place.attrs["place_end"]] == "بيروت"
    boiler = {text for label, text in found if label in ("BOILERPLATE", "CREDIT")}
    assert boiler == set(bukamal_expected["boilerplate"])
    assert ("HEADLINE", bukamal_expected["headline"]) in found
    assert doc.text == bukamal_text  # nothing deleted


@pytest.mark.parametrize("text, place, agency", [
    ("دمشق - (أ ف ب) - قتل عشرة أشخاص في قصف.", "دمشق", "أ ف ب"),
    ("القاهرة (رويترز) - قالت الحكومة إن الاجتماع انتهى.", "القاهرة", "رويترز"),
    ("دير الزور- تقدمت القوات نحو المدينة.", "دير الزور", None),
])
def test_dateline_forms(text, place, agency):
    doc = analyse(text)
    (dateline,) = [s for s in doc.layer("clean") if s.label == "DATELINE"]
    assert dateline.attrs["place"] == place
    assert dateline.attrs.get("agency") == agency


def test_no_dateline_in_plain_sentence():
    doc = analyse("وقال - في تصريح للصحافيين - إن الوضع هادئ.\nسطر آخر.")
    assert not [s for s in doc.layer("clean") if s.label == "DATELINE"]


@pytest.mark.parametrize("ending, credit", [
    ("انتهى الاجتماع دون اتفاق. (أ ف ب)", "(أ ف ب)"),
    ("انتهى الاجتماع دون اتفاق - رويترز", "- رويترز"),
    ("انتهى الاجتماع دون اتفاق.(د ب أ)", "(د ب أ)"),
    ("انتهى الاجتماع دون اتفاق.د-(وكالات)", "د-(وكالات)"),
])
def test_trailing_credits(ending, credit):
    doc = analyse("عنوان الخبر\nنص الخبر الأول هنا. " + ending + "\n")
    credits = [doc.span_text(s) for s in doc.layer("clean") if s.label == "CREDIT"]
    assert credits == [credit]


def test_credit_must_end_the_text():
    doc = analyse("نقلت (أ ف ب) عن مسؤول أن الوضع هادئ وأن المفاوضات مستمرة.")
    assert not [s for s in doc.layer("clean") if s.label == "CREDIT"]


def test_provenance_names_the_rule():
    doc = analyse("نص الخبر. اضافة اعلان")
    (span,) = doc.layer("clean")
    assert (span.provenance.stage, span.provenance.rule) == ("clean", "advert-insert")


def test_missing_or_broken_pattern_file_is_a_clear_error(tmp_path):
    with pytest.raises(DataFileError, match="nope.toml"):
        CleanStage(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[[boilerplate]]\nname='x'\npattern='(['\n[agencies]\nnames=[]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="bad.toml"):
        CleanStage(bad)
