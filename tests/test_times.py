"""The times stage: TIMEX spans and TIMEX3 values against the publication date (issue 7)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from marsad.document import Document
from marsad.pipeline import DEFAULT_STAGES, Pipeline, create_stage
from marsad.resources import DataFileError
from marsad.stages.times import TimesStage
from marsad.time.score import score_dev, score_seed

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "eval" / "times" / "dev.jsonl"


@pytest.fixture(scope="module")
def stage() -> TimesStage:
    return TimesStage()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_names(["clean", "sentences", "tokens", "times"])


def timex(pipeline: Pipeline, text: str, published: str | None) -> list[tuple[str, dict]]:
    doc = pipeline(Document(text=text, published=published))
    return [(doc.span_text(s), s.attrs) for s in doc.layer("times")]


def value_of(pipeline: Pipeline, text: str, published: str | None, expression: str):
    for surface, attrs in timex(pipeline, text, published):
        if expression in surface or surface in expression:
            return attrs
    raise AssertionError(f"no TIMEX for {expression!r} in {timex(pipeline, text, published)}")


# --- the layer contract ---------------------------------------------------------------------------------
def test_registered_in_order_after_tokens():
    assert "times" in DEFAULT_STAGES
    assert DEFAULT_STAGES.index("times") > DEFAULT_STAGES.index("tokens")
    assert isinstance(create_stage("times"), TimesStage)


def test_spans_follow_layers_contract(pipeline):
    doc = pipeline(Document(text="وقال الوزير أمس إن الاجتماع يعقد في 28 تشرين الثاني(نوفمبر).", published="2017-11-19"))
    spans = doc.layer("times")
    assert [doc.span_text(s) for s in spans] == ["أمس", "28 تشرين الثاني(نوفمبر)"]
    for span in spans:
        assert span.label == "TIMEX"
        assert set(span.attrs) == {"value", "type", "range", "anchored", "flags"}
        assert span.provenance.stage == "times" and span.provenance.rule and span.provenance.version
    assert spans[0].attrs == {"value": "2017-11-18", "type": "DATE", "range": False, "anchored": True, "flags": []}


def test_works_without_earlier_layers(stage):
    doc = stage(Document(text="وصل الوفد امس الى العاصمة.", published="2016-03-10"))
    assert [(doc.span_text(s), s.attrs["value"]) for s in doc.layer("times")] == [("امس", "2016-03-09")]


def test_find_reports_offsets_and_attrs(stage):
    text = "وصل الوفد امس الى العاصمة."
    ((start, end, attrs),) = stage.find(text, "2016-03-10")
    assert text[start:end] == "امس" and attrs["value"] == "2016-03-09"


def test_text_without_times_gives_empty_layer(stage):
    doc = stage(Document(text="قال الرئيس إن بلاده ترحب بالمبادرة.", published="2016-03-10"))
    assert doc.layers["times"] == []


# --- targets -----------------------------------------------------------------------------------------------
def test_seed_article_at_least_14_of_15(pipeline, bukamal_text, bukamal_expected):
    score = score_seed(bukamal_text, bukamal_expected, pipeline)
    assert score.total == 15
    assert score.exact >= 14, score.misses


def test_dev_set_size_and_accuracy(pipeline):
    lines = [line for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) >= 300
    assert sum('"source": "article"' in line for line in lines) >= 30
    score = score_dev(DEV, pipeline)
    assert score.accuracy >= 0.95, score.misses


# --- behaviour by bullet of the issue ------------------------------------------------------------------------
@pytest.mark.parametrize("text, expression, value", [
    ("قال المتحدث اليوم إن المفاوضات متعثرة.", "اليوم", "2017-11-19"),
    ("وكان الرئيس قد التقى السفير أمس الأول في قصره.", "أمس الأول", "2017-11-17"),
    ("ويصل المبعوث غداً إلى صنعاء.", "غداً", "2017-11-20"),
    ("يعقد المجلس جلسة طارئة الليلة لبحث التطورات.", "الليلة", "2017-11-19"),
    ("وسمع دوي انفجارات ليل أمس في أنحاء المدينة.", "ليل أمس", "2017-11-18"),
    ("بدأ الهجوم فجر الجمعة على المدينة.", "فجر الجمعة", "2017-11-17"),
])
def test_deictic_days_and_parts_of_day(pipeline, text, expression, value):
    assert value_of(pipeline, text, "2017-11-19", expression)["value"] == value


@pytest.mark.parametrize("text, expression, value", [
    ("وقال وزير الخارجية الخميس إن بلاده لن تتراجع.", "الخميس", "2017-11-16"),  # past narration: the last one
    ("ومن المقرر أن يعقد مجلس الأمن جلسة الخميس.", "الخميس", "2017-11-23"),  # future clause: the next one
    ("وسيزور الرئيس بيروت الأربعاء.", "الأربعاء", "2017-11-22"),
    ("والتقى الرئيس نظيره الأحد الماضي.", "الأحد الماضي", "2017-11-12"),  # published on a Sunday: a week back
    ("وتجرى الانتخابات الأحد المقبل.", "الأحد المقبل", "2017-11-26"),
    ("ويعود اللاعبون الثلاثاء القادم.", "الثلاثاء القادم", "2017-11-21"),
])
def test_weekdays_by_tense(pipeline, text, expression, value):
    assert value_of(pipeline, text, "2017-11-19", expression)["value"] == value


@pytest.mark.parametrize("text, expression, value", [
    ("اندلعت المعارك في 3 شباط 2014.", "3 شباط 2014", "2014-02-03"),
    ("صدر القرار في 3 فبراير 2014.", "3 فبراير 2014", "2014-02-03"),
    ("تم التوقيع يوم 3 فيفري 2014 بتونس.", "3 فيفري 2014", "2014-02-03"),
    ("وكان الجيش أعلن في التاسع من تشرين الثاني/نوفمبر استعادة المدينة.", "التاسع من تشرين الثاني/نوفمبر", "2017-11-09"),
    ("ونشر الرئيسان في 11 تشرين الثاني(نوفمبر) بيانا.", "11 تشرين الثاني(نوفمبر)", "2017-11-11"),
    ("وجرت الانتخابات في الحادي والعشرين من أيلول 2012.", "الحادي والعشرين من أيلول 2012", "2012-09-21"),
    ("وعقد الاجتماع في ١٢ تشرين الأول ٢٠١٧.", "١٢ تشرين الأول ٢٠١٧", "2017-10-12"),
    ("وصدر البيان في ۱۵ يونيو ۲۰۱۵.", "۱۵ يونيو ۲۰۱۵", "2015-06-15"),
    ("ويبدأ العام الدراسي في 5 ذو القعدة 1436 هـ.", "5 ذو القعدة 1436 هـ", "2015-08-20"),
    ("وصدر التعميم بتاريخ 27/9/1436هـ.", "27/9/1436هـ", "2015-07-14"),
])
def test_month_systems_and_day_numbers(pipeline, text, expression, value):
    assert value_of(pipeline, text, "2017-11-19", expression)["value"] == value


def test_hijri_month_is_its_gregorian_interval(pipeline):
    attrs = value_of(pipeline, "ونفذت الجمعية برامج خلال شهر رمضان.", "2015-07-21", "شهر رمضان")
    assert attrs["value"] == ["2015-06-18", "2015-07-16"] and attrs["range"] is True


@pytest.mark.parametrize("text, published, expression, value", [
    ("وكانت القوات قد دخلت المدينة في 3 تشرين الثاني.", "2017-11-19", "3 تشرين الثاني", "2017-11-03"),
    ("وتعقد الجولة المقبلة في 10 كانون الثاني.", "2017-11-19", "10 كانون الثاني", "2018-01-10"),
    ("وأعلن الحزب في 28 ديسمبر عن مرشحه.", "2018-01-05", "28 ديسمبر", "2017-12-28"),
    ("وشهدت المنطقة معارك في تموز الماضي.", "2017-11-19", "تموز الماضي", "2017-07"),
    ("وتبدأ المرحلة في شباط المقبل.", "2017-11-19", "شباط المقبل", "2018-02"),
    ("وكان الاتفاق قد وقع في ديسمبر الماضي.", "2015-07-21", "ديسمبر الماضي", "2014-12"),
])
def test_yearless_dates_take_the_sensible_year(pipeline, text, published, expression, value):
    assert value_of(pipeline, text, published, expression)["value"] == value


@pytest.mark.parametrize("text, expression, value, type_", [
    ("وتمكن التنظيم من استعادة المدينة قبل أسبوع.", "قبل أسبوع", "2017-11-12", "DATE"),
    ("وكانت الطائرة قد اختفت قبل يومين.", "قبل يومين", "2017-11-17", "DATE"),
    ("وقتل الرهائن قبل ثلاثة أيام.", "قبل ثلاثة أيام", "2017-11-16", "DATE"),
    ("وكسب الحلفاء الحرب قبل سنتين.", "قبل سنتين", "2015", "DATE"),
    ("وتسيطر المعارضة على الحي منذ ثلاث سنوات.", "منذ ثلاث سنوات", "P3Y", "DURATION"),
    ("وتراجعت المعارك خلال الأسبوع الماضي.", "الأسبوع الماضي", "2017-W45", "DATE"),
    ("وتراجعت البطالة في الأشهر الأخيرة.", "في الأشهر الأخيرة", "PAST_REF", "DATE"),
    ("وسجلت 15 وفاة خلال الـ24 ساعة الماضية.", "الـ24 ساعة الماضية", "PT24H", "DURATION"),
    ("وقبل أسبوع من الانتخابات انسحب المرشح.", "قبل أسبوع", "P1W", "DURATION"),  # measured from an event
    ("وتأسست الحركة قبل خمسة وتسعين عاما.", "قبل خمسة وتسعين عاما", "1922", "DATE"),
    ("واحتجز الرهائن ستة وعشرين يوما.", "ستة وعشرين يوما", "P26D", "DURATION"),
])

def test_durations_and_offsets(pipeline, text, expression, value, type_):
    attrs = value_of(pipeline, text, "2017-11-19", expression)
    assert (attrs["value"], attrs["type"]) == (value, type_)


@pytest.mark.parametrize("text, value, flag", [
    ("تسلمت مصر اليوم (الاثنين) أول الطائرات.", "2015-07-20", "weekday-preferred"),  # written Monday, dated Tuesday
    ("وقال الوزير أمس الجمعة إن المحادثات مستمرة.", "2015-07-17", "weekday-preferred"),  # collected four days late
])
def test_deixis_next_to_a_weekday(pipeline, text, value, flag):
    (_, attrs), = timex(pipeline, text, "2015-07-21")
    assert attrs["value"] == value and flag in attrs["flags"]


@pytest.mark.parametrize("text, expression, value, is_range", [
    ("واستخدمت روسيا حق النقض الخميس والجمعة.", "الخميس والجمعة", ["2017-11-16", "2017-11-17"], False),
    ("وشجعت واشنطن الرياض على عقد اجتماع من الأربعاء إلى الجمعة.", "من الأربعاء إلى الجمعة",
     ["2017-11-22", "2017-11-24"], True),
    ("وتجرى الامتحانات بين 10 و12 آذار 2018.", "بين 10 و12 آذار 2018", ["2018-03-10", "2018-03-12"], True),
    ("وتعقد الدورة بين عامي 2011 و2015.", "بين عامي 2011 و2015", ["2011", "2015"], True),
    ("وتراجعت الأسعار بين يناير ومارس 2017.", "يناير ومارس 2017", ["2017-01", "2017-03"], True),
    ("ويعقد الملتقى يومي 10 و 11 ابريل 2018.", "10 و 11 ابريل 2018", ["2018-04-10", "2018-04-11"], False),
    ("وزار كاليفورنيا بين العامين 1910 و 1912.", "بين العامين 1910 و 1912", ["1910", "1912"], True),
])
def test_ranges_and_lists(pipeline, text, expression, value, is_range):
    attrs = value_of(pipeline, text, "2017-11-19", expression)
    assert attrs["value"] == value and attrs["range"] is is_range


@pytest.mark.parametrize("text, expression, value", [
    ("وأقر وقف إطلاق النار في الصيف.", "في الصيف", "2017-SU"),
    ("وتضررت المحاصيل في الشتاء الماضي.", "الشتاء الماضي", "2016-WI"),
    ("وتأسست الجمعية عام 2015.", "عام 2015", "2015"),
    ("وشهد العراق حصارا في التسعينيات.", "التسعينيات", "199"),
    ("وهاجر والده في ستينيات القرن الماضي.", "ستينيات القرن الماضي", "196"),
    ("وبني القصر في القرن التاسع عشر.", "القرن التاسع عشر", "18"),
    ("ومن أفلامه شمشون ودليلة (1949) والوصايا العشر.", "1949", "1949"),
    ("وسجلت الصادرات تراجعا في مارس.", "مارس", "2017-03"),
])
def test_seasons_years_decades_centuries(pipeline, text, expression, value):
    assert value_of(pipeline, text, "2017-11-19", expression)["value"] == value


# --- bad input ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expression, value", [
    ("وتعقد الجولة المقبلة في 28 تشرين الثاني(نوفمبر).", "28 تشرين الثاني(نوفمبر)", "XXXX-11-28"),
    ("وقال الوزير الخميس إن المفاوضات مستمرة.", "الخميس", "XXXX-WXX-4"),
    ("واستعاد التنظيم المدينة قبل أسبوع.", "قبل أسبوع", "P1W"),
    ("وأعلن الجيش أمس السيطرة على المدينة.", "أمس", "P1D"),
])
def test_no_publication_date_leaves_values_relative(pipeline, text, expression, value):
    attrs = value_of(pipeline, text, None, expression)
    assert attrs["value"] == value
    assert attrs["anchored"] is False and "no-anchor" in attrs["flags"]


def test_no_publication_date_keeps_absolute_dates(pipeline):
    attrs = value_of(pipeline, "ووقعت الاتفاقية في 12 آذار 2014.", None, "12 آذار 2014")
    assert attrs == {"value": "2014-03-12", "type": "DATE", "range": False, "anchored": True, "flags": []}


@pytest.mark.parametrize("text, expression", [
    ("وزعم البيان أن الاجتماع عقد في 31 شباط.", "31 شباط"),
    ("وصدر القرار في 29 فبراير 2017.", "29 فبراير 2017"),
    ("وأشار إلى أن الحادث وقع في 31 نيسان 2015.", "31 نيسان 2015"),
])
def test_impossible_dates_are_kept_and_flagged(pipeline, text, expression):
    found = timex(pipeline, text, "2017-11-19")
    assert [surface for surface, _ in found] == [expression]
    assert found[0][1]["value"] is None and "impossible-date" in found[0][1]["flags"]


# --- false alarms -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "عين اليوم – جدة أعرب معالي الأمين العام عن شكره.",
    "واندلعت ثورات الربيع العربي في المنطقة.",
    "حقق طراز من نيسان سنترا المركز الأول.",
    "يبحثون عن مخرج بين الاثنين، وهو العزلة.",
    "وفي اليوم التالي للهجوم خرج المتظاهرون.",
    "يدفع ثمنا أعظم من جرمه، يوما بعد يوم.",
    "قال الأمين العام إن الرأي العام منقسم.",
    "وقتل أحد المسلحين في الاشتباك.",
    "قال إنه مارس الضغط على الحكومة.",
    "ويسعى الشباب إلى غد أفضل.",
    "وتحرص الحكومة على الارتقاء من خلال عقد مثل هذه اللقاءات.",
])
def test_no_false_alarms(pipeline, text):
    assert timex(pipeline, text, "2015-07-21") == []


# --- caches must not leak one document's context into another ------------------------------------------------
def test_same_words_different_anchor_or_clause(stage):
    past = stage(Document(text="وقال الوزير الخميس إن بلاده لن تتراجع.", published="2017-11-19"))
    future = stage(Document(text="وسيلتقي الوزير نظيره الخميس في عمان.", published="2017-11-19"))
    other_day = stage(Document(text="وقال الوزير الخميس إن بلاده لن تتراجع.", published="2015-07-21"))
    assert [s.attrs["value"] for s in past.layer("times")] == ["2017-11-16"]
    assert [s.attrs["value"] for s in future.layer("times")] == ["2017-11-23"]
    assert [s.attrs["value"] for s in other_day.layer("times")] == ["2015-07-16"]
    # one chain (الخميس في) in two clauses: only the verb outside it tells past from future
    for text, value in (("وسيعقد الاجتماع الخميس في عمان.", "2017-11-23"), ("وعقد الاجتماع الخميس في عمان.", "2017-11-16"),
                        ("وسيعقد الاجتماع الخميس في عمان.", "2017-11-23")):
        assert [s.attrs["value"] for s in stage(Document(text=text, published="2017-11-19")).layer("times")] == [value]
    past.layer("times")[0].attrs["flags"].append("edited")
    again = stage(Document(text="وقال الوزير الخميس إن بلاده لن تتراجع.", published="2017-11-19"))
    assert again.layer("times")[0].attrs["flags"] == []


def test_values_that_read_no_anchor_are_shared_by_all_anchors():
    # a full date and a duration read no publication date: one resolution serves every anchor, none included;
    # أمس reads it, so each anchor (and no anchor) gets its own value
    stage = TimesStage()
    texts = {"وقال في 23 مارس 2011 إن الوفد وصل.": "2011-03-23", "واستمر خلال 5 سنوات قال": "P5Y"}
    for published in ("2017-11-19", "2015-07-21", None):
        for text, value in texts.items():
            assert [attrs["value"] for _, _, attrs in stage.find(text, published)] == [value]
    shared = [entry[3] for entry in stage._analysed.values() if entry[2]]
    assert len(shared) == 2 and all(shared)
    for published, value in (("2017-11-19", "2017-11-18"), ("2015-07-21", "2015-07-20"), (None, "P1D")):
        assert [attrs["value"] for _, _, attrs in stage.find("وصل الوفد أمس إلى عمان.", published)] == [value]
    assert [entry[3] for entry in stage._analysed.values() if entry[2]].count(None) == 1


@pytest.mark.parametrize("text, published, value", [
    ("وقال اليوم (الاثنين) إن", "2017-11-21", "2017-11-20"),  # dated a day late
    ("بمناسبة عيد الفطر، اليوم السبت، قال", "2015-07-21", "2015-07-18"),  # collected three days late
    ("صلاة الجنازة اليوم الأحد", "2015-07-24", "2015-07-19"),  # five days
    ("قالت مصادر أمنية أمس الثلاثاء إن", "2015-07-21", "2015-07-21"),  # dated the day before it was written
    ("وقال اليوم الثلاثاء إن", "2015-07-21", "2015-07-21"),  # no disagreement
])
def test_a_weekday_beside_today_or_yesterday_wins(stage, text, published, value):
    attrs = stage.find(text, published)[-1][2]  # the last TIMEX (بمناسبة عيد الفطر is one too)
    assert attrs["value"] == value
    assert ("weekday-preferred" in attrs["flags"]) == (value != published or "أمس" in text)


@pytest.mark.parametrize("published, value", [
    ("2017-11-19", "2017-11-18"), ("2017-11-19T09:30:00+03:00", "2017-11-18"), ("19/11/2017", "2017-11-18"),
    ("not a date", "P1D"),
])
def test_publication_date_formats(stage, published, value):
    doc = stage(Document(text="وأعلن الجيش أمس السيطرة على المدينة.", published=published))
    assert doc.layer("times")[0].attrs["value"] == value


@pytest.mark.parametrize("text, expected", [
    ("وصلت السفن إلى باب المندب أمس", [("أمس", "2015-06-30")]),  # باب: a door, a strait, not ب + آب
    ("وفي باب «مسارات» مقالات", []),
    ("قتل ثلاثة في إب وسط اليمن", []),  # إب: the city Ibb, not آب
    ("فهو يحتاج إلى أب يكون معه", []),  # أب: a father
    ("بدأت الحملة في آب", [("آب", "2015-08")]),
    ("وفي اب 2014 عاد", [("اب 2014", "2014-08")]),
    ("فآب الماضي كان حارا", [("آب الماضي", "2014-08")]),
    ("وتأجل الاجتماع لآب 2016", [("آب 2016", "2016-08")]),  # with the madda ل + آب is the month
    ("وصل 800 أب إلى المدرسة", []),  # fathers
    ("نحن اليوم بأمس الحاجة إليه", [("اليوم", "2015-07-01")]),  # inside a chain: بأمس is still no yesterday
    ("قتل ثلاثة في إب أمس", [("أمس", "2015-06-30")]),
    ("تعود أحداثه لمارس 1976", [("مارس 1976", "1976-03")]),  # the other ambiguous names keep ب ل ك
    ("بعد أن لامس الذهب أعلى مستوى", []),  # لامس "touched", not ل + أمس
    ("وصل بالأمس إلى الرياض", [("الأمس", "2015-06-30")]),
    ("نحن بأمس الحاجة إلى الدعم", []),  # بأمس: "most in need"
    ("ولليلة أمس حكاية", [("ليلة أمس", "2015-06-30")]),
    ("كان ذلك حتى الأمس القريب ممنوعا", []),  # "until recently", not yesterday  # ليلة keeps its clitics (part_of_day lists it freely)
])
def test_month_names_that_clitics_or_spellings_make_other_words(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("وسكنوها منذ نحو عام 1830. وفي", [("عام 1830", "1830")]),  # the year, not "about a year"
    ("قبل نحو عام 2010 كان", [("عام 2010", "2010")]),
    ("منذ نحو عام تغير كل شيء", [("منذ نحو عام", "P1Y")]),
    ("قبل نحو عام من الانتخابات", [("قبل نحو عام", "P1Y")]),
    ("تراجعت منذ عقد من الزمن", [("منذ عقد", "P1DE")]),  # for a decade
    ("يعاني منذ أكثر من عقد.", [("منذ أكثر من عقد", "P1DE")]),
    ("وهو أول لقاء منذ عقد مؤتمر جنيف", []),  # since holding the Geneva conference
    ("منذ عقد الاجتماع الأول", []),
    ("منذ عقد السبعينات", [("السبعينات", "197")]),  # since the seventies
    ("دعا خلال عقد اجتماع طارئ", []),  # through holding a meeting
    ("ضد قنصليتها في حزيران/يونيو2012، مرتبطا", [("حزيران/يونيو2012", "2012-06")]),  # a month against its year
    ("منذ مارس2011 قتل", [("مارس2011", "2011-03")]),
    ("طائرات إف16 أمس", [("أمس", "2015-06-30")]),  # letters against a number that are no lexicon word
])
def test_a_year_word_before_a_year_number_is_that_year(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a bare four-digit number before what news counts or measures is a quantity
    ("وأن تنخفض إلى 1080 دولارا بعد إقرار البرنامج", []),
    ("إذ وصل سعره إلى 1600 ريال، في حين", []),
    ("تم الفصل في 1621 قضية حق عام", []),
    ("على ان يصل هذا الرقم الى 1757 مليون دينار", []),
    ("على بعد 1785 كيلومترا شرق كوالالمبور", []),
    ("فقد أعيد توطين بين 1800 و2000 لاجئ في الولاية", []),
    ("في الأسواق العالمية ما بين 1050-1140 دولار للطن", []),
    ("حتى نهاية النصف الأول من عام 2015 إلى 1209 مليون ريال", [("نهاية النصف الأول من عام 2015", "2015-H1")]),
    ("خلال سنة 2016 و1870 مليون دينار خلال سنة 2017", [("سنة 2016", "2016"), ("سنة 2017", "2017")]),
    # a year stays a year before anything else, and a year with عام or a month whatever follows it
    ("ولد حبري في 1942 في فايا لارجو", [("1942", "1942")]),
    ("منذ 2006 تتضمن عقوبات", [("2006", "2006")]),
    ("وفي عام 2015 مليون زائر", [("عام 2015", "2015")]),
    ("بين 2010 و2014 شهدت البلاد أزمات", [("بين 2010 و2014", ["2010", "2014"])]),
    ("خلال 2015 طالب بها الطرف النقابي", [("2015", "2015")]),  # طالب: demanded
    ("ارتفع عدد المصابين إلى 1054 حالة", []),
    ("إلى 1500 درجة مئوية", []),
    ("في 2015 لكم أن تتخيلوا", [("2015", "2015")]),  # لكم: to you, not ل + كم
    ("في 2015 وحدة سكنية", [("2015", "2015")]),
])
def test_a_bare_number_before_a_measure_is_a_quantity(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("وقع الحادث في 12يونيو الماضي", [("12يونيو الماضي", "2015-06-12")]),
    ("منذ حادثة 14جويلية الارهابية", [("14جويلية", "2015-07-14")]),
    ("سيعلن عن ذلك خلال ٢٤ساعة.", [("٢٤ساعة", "PT24H")]),
    ("في شارع 12كلمة وسط المدينة", []),  # digits against a word that is no form
    ("انتهت المباراة 2صفر لصالح الفريق", []),  # a score (two–nil), not 2 Safar: [not_after_digits]
    ("حفل معايدة (10شوال)، لمثقفي", [("10شوال", "2015-07-26")]),  # other Hijri months join their day
])
def test_digits_written_against_a_form_make_a_candidate(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("ارتفعت الأرباح في الربع الأول من العام الجاري", [("الربع الأول من العام الجاري", "2015-Q1")]),
    ("خلال الربع الثاني من عام 2014 مقارنة", [("الربع الثاني من عام 2014", "2014-Q2")]),
    ("تراجعت الصادرات في النصف الأول من 2015", [("النصف الأول من 2015", "2015-H1")]),
    ("مقارنة مع النصف الأول من السنة الماضية", [("النصف الأول من السنة الماضية", "2014-H1")]),
    ("في الربع الأخير من العام المقبل", [("الربع الأخير من العام المقبل", "2016-Q4")]),
    ("خلال النصف الثاني من هذا العام", [("النصف الثاني من هذا العام", "2015-H2")]),
    ("بنهاية الربع الثالث لعام 2014", [("نهاية الربع الثالث لعام 2014", "2014-Q3")]),
    # no year: a match's quarter or half as much as a year's
    ("سجل هدفا في الربع الأول من المباراة", []),
    ("خلال النصف الثاني تحسن أداء الفريق", []),
    ("في الربع الخامس من عام 2015", [("عام 2015", "2015")]),  # no fifth quarter
    ("النصف الأول من عام 1436هـ", [("عام 1436هـ", ["2014-10-25", "2015-10-13"])]),  # no TIMEX3 half of a Hijri year
    # a Hijri year has no TIMEX3 quarters: the year named after العام الحالي is the expression, its Hijri interval
    ("الربع الثالث للعام الحالي 1436 هـ", [("لعام الحالي 1436 هـ", ["2014-10-25", "2015-10-13"])]),
    ("الربع الثالث من العام الحالي 1436", [("العام الحالي 1436", ["2014-10-25", "2015-10-13"])]),
    ("للنصف الأول من هذا العام 2015 مقارنة", [("لنصف الأول من هذا العام 2015", "2015-H1")]),
])
def test_quarters_and_halves_of_a_year(stage, text, expected):
    assert found_in(stage, text) == expected


def test_a_quarter_without_a_publication_date_is_left_relative(stage):
    [(surface, attrs)] = timex(stage, "في الربع الأول من العام الجاري", None)
    assert attrs["value"] == "XXXX-Q1" and not attrs["anchored"] and "no-anchor" in attrs["flags"]


@pytest.mark.parametrize("text, expected", [
    # a clock time with its day: one TIME
    ("تنطلق في تمام الساعة السابعة من مساء غد فعاليات الندوة", [("الساعة السابعة من مساء غد", "2015-07-02T19:00")]),
    ("قتل شخصان عند الساعة الثالثة فجر اليوم", [("الساعة الثالثة فجر اليوم", "2015-07-01T03:00")]),
    ("تلقت بلاغا عند الساعة 9:31 من صباح أمس", [("الساعة 9:31 من صباح أمس", "2015-06-30T09:31")]),
    ("وقع الحادث عند الساعة 12:58 صباح اليوم", [("الساعة 12:58 صباح اليوم", "2015-07-01T00:58")]),
    ("وصل الوفد صباح اليوم الساعة العاشرة", [("صباح اليوم الساعة العاشرة", "2015-07-01T10:00")]),
    ("يبدأ الإضراب يوم الاثنين في الساعة الرابعة صباحا", [("يوم الاثنين في الساعة الرابعة صباحا", "2015-07-06T04:00")]),
    ("وقع في الساعة ١٨:١٣ مساء اليوم", [("الساعة ١٨:١٣ مساء اليوم", "2015-07-01T18:13")]),
    ("تلقت أمس الساعة الـ11.30 بلاغا", [("أمس الساعة الـ11.30", "2015-06-30T11:30")]),
    # no day beside it: the time of an unknown day
    ("وقع الانفجار عند الساعة 10:30 صباحا", [("الساعة 10:30 صباحا", "XXXX-XX-XXT10:30")]),
    ("تبدأ المباراة في الساعة الثامنة والنصف مساء", [("الساعة الثامنة والنصف مساء", "XXXX-XX-XXT20:30")]),
    ("انتهى الاجتماع الساعة الحادية عشرة ليلا", [("الساعة الحادية عشرة ليلا", "XXXX-XX-XXT23:00")]),
    ("يفتح المتحف الساعة الرابعة عصرا", [("الساعة الرابعة عصرا", "XXXX-XX-XXT16:00")]),
    ("يفتح في الساعة الثانية عشرة ظهرا", [("الساعة الثانية عشرة ظهرا", "XXXX-XX-XXT12:00")]),
    # a part of the day with يوم, an adverb before the day, minutes after و or with دقيقة, مساءا
    ("وصل مساء يوم الأحد الساعة العاشرة", [("مساء يوم الأحد الساعة العاشرة", "2015-06-28T22:00")]),
    ("الساعة الواحدة والنصف ظهر يوم الأربعاء", [("الساعة الواحدة والنصف ظهر يوم الأربعاء", "2015-07-01T13:30")]),
    ("وقع الساعة العاشرة صباحا أمس", [("الساعة العاشرة صباحا أمس", "2015-06-30T10:00")]),
    ("الساعة الخامسة و10 دقائق مساء أمس", [("الساعة الخامسة و10 دقائق مساء أمس", "2015-06-30T17:10")]),
    ("الساعة 8:20 دقيقة مساء", [("الساعة 8:20 دقيقة مساء", "XXXX-XX-XXT20:20")]),
    ("الساعة السابعة مساءا", [("الساعة السابعة مساءا", "XXXX-XX-XXT19:00")]),
    ("ووصل في الساعة 8,17 دقيقة صباحا", [("الساعة 8,17 دقيقة صباحا", "XXXX-XX-XXT08:17")]),  # no PT8.17M
    # not clock times
    ("في الساعة الأولى من المعركة", []),  # the first hour
    ("خلال 24 ساعة فقط", [("24 ساعة", "PT24H")]),
    ("الخدمة متاحة على مدار الساعة 7 أيام", [("7 أيام", "P7D")]),  # round the clock
    ("الساعة الثالثة مساء أيام الجمعة", [("الساعة الثالثة مساء", "XXXX-XX-XXT15:00"), ("الجمعة", "2015-06-26")]),
    # عند، في تمام between the day and its clock time
    ("وصل يوم الخميس في تمام الساعة العاشرة صباحا", [("يوم الخميس في تمام الساعة العاشرة صباحا", "2015-06-25T10:00")]),
    ("تنطلق غداً عند الساعة الثانية ظهراً", [("غداً عند الساعة الثانية ظهراً", "2015-07-02T14:00")]),
    # ranges of clock times: an end with no half of the day written placed by the other, or by the day after them
    ("يفتح من الساعة الثامنة صباحا إلى الساعة الثانية ظهرا",
     [("من الساعة الثامنة صباحا إلى الساعة الثانية ظهرا", ["XXXX-XX-XXT08:00", "XXXX-XX-XXT14:00"])]),
    ("على مدى 3 ساعات من الساعة 7 وحتى الساعة 10 مساء",
     [("3 ساعات", "PT3H"), ("من الساعة 7 وحتى الساعة 10 مساء", ["XXXX-XX-XXT19:00", "XXXX-XX-XXT22:00"])]),
    ("الحضانة من الساعة 8.30 إلى الساعة 5.30", [("من الساعة 8.30 إلى الساعة 5.30", ["XXXX-XX-XXT08:30", "XXXX-XX-XXT17:30"])]),
    ("من الساعة 9 حتى الساعة 5 مساء", [("من الساعة 9 حتى الساعة 5 مساء", ["XXXX-XX-XXT09:00", "XXXX-XX-XXT17:00"])]),
    ("بين الساعة العاشرة والساعة الحادية عشرة",
     [("بين الساعة العاشرة والساعة الحادية عشرة", ["XXXX-XX-XXT10:00", "XXXX-XX-XXT11:00"])]),
    ("من الساعة الثامنة حتى الساعة العاشرة من مساء أمس",
     [("من الساعة الثامنة حتى الساعة العاشرة من مساء أمس", ["2015-06-30T20:00", "2015-06-30T22:00"])]),
    ("يوم الخميس من الساعة 7 وحتى الساعة 10 مساء",
     [("يوم الخميس من الساعة 7 وحتى الساعة 10 مساء", ["2015-06-25T19:00", "2015-06-25T22:00"])]),
    # overnight: the end stays as written
    ("من الساعة 10 مساء حتى الساعة 6", [("من الساعة 10 مساء حتى الساعة 6", ["XXXX-XX-XXT22:00", "XXXX-XX-XXT06:00"])]),
    ("من الساعة 17 حتى الساعة 5", [("من الساعة 17 حتى الساعة 5", ["XXXX-XX-XXT17:00", "XXXX-XX-XXT05:00"])]),
    # the day's half of the day places the ends only so far as the range still runs forwards
    ("صباح الخميس من الساعة 10 إلى الساعة 2",
     [("صباح الخميس من الساعة 10 إلى الساعة 2", ["2015-06-25T10:00", "2015-06-25T14:00"])]),
    ("صباح أمس من الساعة 9 إلى الساعة 12", [("صباح أمس من الساعة 9 إلى الساعة 12", ["2015-06-30T09:00", "2015-06-30T12:00"])]),
    ("من الساعة 10 إلى الساعة 2 من مساء أمس",
     [("من الساعة 10 إلى الساعة 2 من مساء أمس", ["2015-06-30T10:00", "2015-06-30T14:00"])]),
    # a clock's ونصف before اليوم: today, not half the day
    ("وصل الوفد الساعة الثامنة ونصف اليوم", [("الساعة الثامنة ونصف اليوم", "2015-07-01T08:30")]),
    # a third past the hour; a quarter or minutes before it (إلا), the hour before then placed by its half of the day
    ("انطلق الحفل الساعة الثامنة والثلث مساء", [("الساعة الثامنة والثلث مساء", "XXXX-XX-XXT20:20")]),
    ("وصل الساعة الثامنة إلا ربعا من مساء أمس", [("الساعة الثامنة إلا ربعا من مساء أمس", "2015-06-30T19:45")]),
    ("تبدأ الساعة العاشرة الا عشر دقائق", [("الساعة العاشرة الا عشر دقائق", "XXXX-XX-XXT09:50")]),
    ("الساعة الواحدة إلا ربع ظهرا", [("الساعة الواحدة إلا ربع ظهرا", "XXXX-XX-XXT12:45")]),
    ("الساعة الحادية عشرة إلا ربع ليلا", [("الساعة الحادية عشرة إلا ربع ليلا", "XXXX-XX-XXT22:45")]),
    ("لا يبقى إلا يومان", [("يومان", "P2D")]),  # إلا with no clock before it: no part of a time
    # minutes after و: the teen ordinal never takes و (الثامنة وعشر is no eighteenth); the tens with a minute word
    ("الساعة الثامنة وعشر دقائق صباحا", [("الساعة الثامنة وعشر دقائق صباحا", "XXXX-XX-XXT08:10")]),
    ("الساعة الثامنة وعشرين دقيقة مساء", [("الساعة الثامنة وعشرين دقيقة مساء", "XXXX-XX-XXT20:20")]),
    # a teen ordinal is the 24-hour clock
    ("الساعة الثالثة عشرة بتوقيت غرينتش", [("الساعة الثالثة عشرة", "XXXX-XX-XXT13:00")]),
    # على between a day and its clock time (the Maghrebi "at"); a night's deictic places the hour at night
    ("تنطلق اليوم على الساعة العاشرة صباحا", [("اليوم على الساعة العاشرة صباحا", "2015-07-01T10:00")]),
    ("يوم 15 ماي 2015 على الساعة الرابعة بعد الزوال",
     [("يوم 15 ماي 2015 على الساعة الرابعة بعد الزوال", "2015-05-15T16:00")]),
    ("انقطاع الماء الليلة على الساعة التاسعة", [("الليلة على الساعة التاسعة", "2015-07-01T21:00")]),
    ("الليلة الماضية عند الساعة العاشرة", [("الليلة الماضية عند الساعة العاشرة", "2015-06-30T22:00")]),
    ("قبل أسبوع على الحادث", [("قبل أسبوع", "P1W")]),  # على after an offset: from the event, as before
])
def test_clock_times(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, expected", [
    # a half or quarter in words after a counted unit, the unit again or not
    ("منذ ثلاثة أعوام ونصف", [("منذ ثلاثة أعوام ونصف", "P3Y6M")]),
    ("استمرت الجلسة لمدة 3 ساعات ونصف", [("3 ساعات ونصف", "PT3H30M")]),
    ("قضت بالسجن عامين ونصف العام على شاب", [("عامين ونصف العام", "P2Y6M")]),
    ("وسجل طلب خلال ساعة وربع الساعة فقط", [("ساعة وربع الساعة", "PT1H15M")]),
    ("منذ عقد ونصف", [("منذ عقد ونصف", "P15Y")]),  # منذ عقد alone is mostly "since holding"
    ("لمدة ثلاثة أيام ونصف اليوم", [("ثلاثة أيام ونصف اليوم", "P3DT12H")]),  # اليوم there is no today
    ("بقي سبعة أسابيع ونصف الأسبوع", [("سبعة أسابيع ونصف الأسبوع", "P7.5W")]),
    ("خلال شهر ونصف الشهر", [("شهر ونصف الشهر", "P1M15D")]),
    # before a unit
    ("منذ أكثر من نصف قرن", [("منذ أكثر من نصف قرن", "P50Y")]),
    ("لمدة ربع ساعة", [("ربع ساعة", "PT15M")]),
    ("إعلانات في برنامجه (نصف دقيقة)", [("نصف دقيقة", "PT30S")]),
    # offsets: counted in the next smaller unit, given at the unit's grain; from an event, a duration
    ("قبل أكثر من عام ونصف", [("قبل أكثر من عام ونصف", "2014")]),  # 18 months before July 2015
    ("قبل 1.5 سنة", [("قبل 1.5 سنة", "2014")]),
    ("قبل ثلاثة أشهر ونصف", [("قبل ثلاثة أشهر ونصف", "2015-03")]),  # 105 days before 1 July
    ("بعد شهر ونصف من الانتخابات", [("بعد شهر ونصف", "P1M15D")]),
    # a decimal in digits stays as written
    ("متوسط العمر 79.5 عام", [("79.5 عام", "P79.5Y")]),
    # not a half of a unit: a million and a half a year, the middle of Ramadan, half of the last century
    ("بمليون ريال ونصف للسنة الواحدة", []),
    ("تجهز المنزل منذ نصف شهر رمضان", [("شهر رمضان", ["2015-06-18", "2015-07-16"])]),
    ("أمضت نصف القرن الماضي", [("القرن الماضي", "19")]),
    ("نصف مليون لاجئ", []),
    ("فر خلال ثلاثة أيام ونصف مليون شخص", [("ثلاثة أيام", "P3D")]),  # half a million people
    ("منذ نصف عام 2014", [("عام 2014", "2014")]),  # half of the year 2014
    # ونصف starts a search after a unit that does not (قرن is no trigger word, عاما only in context)
    ("منذ قرن ونصف", [("منذ قرن ونصف", "P150Y")]),
    ("عاش عاما ونصف في المدينة", [("عاما ونصف", "P1Y6M")]),
    ("بدأ القصف الساعة الثامنة ونصف مساء", [("الساعة الثامنة ونصف مساء", "XXXX-XX-XXT20:30")]),  # a clock's half
    # thirds: whole in the next smaller unit where they can be, else three decimals
    ("استغرقت الرحلة ساعة وثلث", [("ساعة وثلث", "PT1H20M")]),
    ("منذ ثلث قرن", [("منذ ثلث قرن", "P33Y4M")]),
    ("عاش عاما وثلث في المدينة", [("عاما وثلث", "P1Y4M")]),
    ("بقي أسبوعا وثلث", [("أسبوعا وثلث", "P1.333W")]),
    ("الثلث الأول من العام الجاري", [("العام الجاري", "2015")]),  # TIMEX3 has no thirds of a year
    # a teen's عشر never takes و: eight to ten years, not eighteen
    ("ما بين ثماني وعشر سنوات", [("ما بين ثماني وعشر سنوات", ["P8Y", "P10Y"])]),
    ("منذ ثمانية عشر عاما", [("منذ ثمانية عشر عاما", "P18Y")]),
])
def test_halves_quarters_and_thirds_in_words(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, published, expected", [
    # a deictic day before a full date is part of it (the agencies' style); the date as written is the value, and a
    # deictic that disagrees with it is flagged
    ("تنطلق اليوم الأحد 26 فيفري 2017 فعاليات", "2017-02-26", [("اليوم الأحد 26 فيفري 2017", "2017-02-26", [])]),
    ("صباح اليوم الخميس 11 فيفري 2016", "2016-02-11", [("صباح اليوم الخميس 11 فيفري 2016", "2016-02-11", [])]),
    ("وفاة الصحفي يوم أمس 11 ديسمبر في مستشفى", "2016-12-12", [("يوم أمس 11 ديسمبر", "2016-12-11", [])]),
    ("تبدأ اليوم 20 يوليو", "2015-07-21", [("اليوم 20 يوليو", "2015-07-20", ["deictic-mismatch"])]),
    # not before a day in words: اليوم العشرين، الليلة الثانية والعشرون are "the day", "the night"
    ("جاءت في اليوم العشرين من رمضان", "2015-07-21", [("اليوم العشرين من رمضان", "2015-07-07", [])]),
    ("الليلة الثانية والعشرون من رمضان 1436هـ", "2015-07-21",
     [("الليلة الثانية والعشرون من رمضان 1436هـ", "2015-07-09", [])]),
    ("تصل الأسعار إلى 2300 ريال في الليلة الواحدة", "2015-07-21", []),  # per night
    ("تقام الحفلة هذه الليلة في المسرح", "2015-07-21", [("هذه الليلة", "2015-07-21", [])]),  # tonight, هذه with it
    # من شهر between the day and the month
    ("يوم الثالث عشر من شهر يونيو (حزيران) 2014", "2015-07-21",
     [("يوم الثالث عشر من شهر يونيو (حزيران) 2014", "2014-06-13", [])]),
    ("في 13 من شهر يونيو الماضي", "2015-07-21", [("13 من شهر يونيو الماضي", "2015-06-13", [])]),
    # a day in words after a unit, a fraction or a count is no day: a week, a half, days of the month
    ("خلال الأسبوع الأول من شهر رمضان", "2015-07-21", [("شهر رمضان", ["2015-06-18", "2015-07-16"], [])]),
    ("في النصف الثاني من مايو الماضي", "2015-07-21", [("مايو الماضي", "2015-05", [])]),
    ("وتتواصل أيام 9 و10 جوان", "2015-07-21", [("9 و10 جوان", ["2015-06-09", "2015-06-10"], [])]),  # digits may
    # a qualifier before a bare year, موفى (Tunisian "end of") among them; not before a measure
    ("حتى نهاية 2015 يبلغ العدد", "2015-07-21", [("نهاية 2015", "2015", ["mod:END"])]),
    # a year named after a relative one is part of it; below 1600 a Hijri year
    ("تراجع الإنتاج العام الماضي 2014 إلى", "2015-07-21", [("العام الماضي 2014", "2014", [])]),
    ("في العام الماضي 1435 سجل", "2015-07-21", [("العام الماضي 1435", ["2013-11-04", "2014-10-24"], [])]),
    ("بلغت نسبة التغطية إلى موفى أكتوبر 2015 نحو", "2015-11-21", [("موفى أكتوبر 2015", "2015-10", ["mod:END"])]),
    ("بين نهاية 2015 ومطلع 2016", "2015-07-21", [("بين نهاية 2015 ومطلع 2016", ["2015", "2016"], ["mod:END", "mod:START"])]),
    ("في نهاية 2015 دولار", "2015-07-21", []),
    # من a day إلى a month: a range
    ("من الأول من يناير 2015 وحتى نهاية شهر يونيو الماضي", "2015-07-21",
     [("من الأول من يناير 2015 وحتى نهاية شهر يونيو الماضي", ["2015-01-01", "2015-06"], ["mod:END"])]),
])
def test_what_stands_around_a_full_date(stage, text, published, expected):
    assert [(t, a["value"], a["flags"]) for t, a in timex(stage, text, published)] == expected


def test_a_future_verb_after_wa_puts_a_bare_weekday_ahead(pipeline):
    """وسيبلغ: the tokeniser splits و and the future س (يبلغ is common, سيبلغ rare), and the tense test reads it."""
    assert value_of(pipeline, "وسيبلغ أوجه يوم الأحد", "2017-05-09", "يوم الأحد")["value"] == "2017-05-14"
    assert value_of(pipeline, "وبلغ أوجه يوم الأحد", "2017-05-09", "يوم الأحد")["value"] == "2017-05-07"


@pytest.mark.parametrize("text, expected", [
    # a range of counts of one unit, the unit said once after the second count
    ("تتراوح أعمارهم بين 17 و23 عاما", [("بين 17 و23 عاما", ["P17Y", "P23Y"])]),
    ("قضت بسجنه من ثلاث إلى خمس سنوات", [("من ثلاث إلى خمس سنوات", ["P3Y", "P5Y"])]),
    ("تعطى لمدة 3 – 5 أيام", [("3 – 5 أيام", ["P3D", "P5D"])]),
    ("خلال الـ10 إلى 15 سنة المقبلة", [("الـ10 إلى 15 سنة المقبلة", ["P10Y", "P15Y"])]),
    ("يستمر ما بين أربع إلى ثمان ساعات", [("ما بين أربع إلى ثمان ساعات", ["PT4H", "PT8H"])]),
    # not ranges: و without من/بين (a list as often), a descending pair, a year's number, no unit of time
    ("أعمار 5 و10 سنوات", [("10 سنوات", "P10Y")]),
    ("من 5 إلى 3 سنوات", [("3 سنوات", "P3Y")]),
    ("زادت من 9500 سيارة خلال عام 2012 إلى 21700 عام 2014", [("عام 2012", "2012"), ("عام 2014", "2014")]),
    ("بين 1800 و2000 لاجئ", []),
])
def test_ranges_of_durations(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, expected", [
    # two durations said one after the other, the second in smaller units: one duration
    ("ستصل ساعات الصوم إلى 23 ساعة و5 دقائق", [("23 ساعة و5 دقائق", "PT23H5M")]),
    ("حكم عليه بالسجن ثلاث سنوات وستة أشهر", [("ثلاث سنوات وستة أشهر", "P3Y6M")]),
    ("منذ 5 سنوات و4 أشهر", [("منذ 5 سنوات و4 أشهر", "P5Y4M")]),
    ("خلال 3 أيام و4 ساعات", [("3 أيام و4 ساعات", "P3DT4H")]),
    # not when the second is as large or larger, or in weeks
    ("3 ساعات و3 أيام", [("3 ساعات", "PT3H"), ("3 أيام", "P3D")]),
    ("أسبوعين و3 أيام", [("أسبوعين", "P2W"), ("3 أيام", "P3D")]),
])
def test_compound_durations(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("خلال الفترة من 28 يونيو وحتى 2 يوليو", [("من 28 يونيو وحتى 2 يوليو", ["2015-06-28", "2015-07-02"])]),
    ("من عام 1996 وحتى عام 2011", [("من عام 1996 وحتى عام 2011", ["1996", "2011"])]),
    ("يمتد من جوان وحتى سبتمبر", [("من جوان وحتى سبتمبر", ["2015-06", "2015-09"])]),
    ("من الأحد وإلى الخميس", [("من الأحد وإلى الخميس", ["2015-06-28", "2015-07-02"])]),
])
def test_a_range_may_end_with_wa_hatta(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, published, expected", [
    # two names of one month side by side, the news agencies' style: one expression
    ("قبل التصويت عليه في سبتمبر أيلول المقبل", "2015-07-22", [("سبتمبر أيلول المقبل", "2015-09")]),
    ("في يونيو حزيران 2014", "2015-07-22", [("يونيو حزيران 2014", "2014-06")]),
    ("الموعد النهائي 26 أكتوبر تشرين الأول القادم", "2015-07-22", [("26 أكتوبر تشرين الأول القادم", "2015-10-26")]),
    ("منذ ديسمبر كانون الاول من عام 2013", "2015-07-22", [("ديسمبر كانون الاول من عام 2013", "2013-12")]),
    ("من مايو أيار إلى يوليو تموز", "2015-07-22", [("من مايو أيار إلى يوليو تموز", ["2015-05", "2015-07"])]),
    ("منذ مارس آذار", "2015-07-22", [("مارس آذار", "2015-03")]),  # مارس alone needs a preposition: the pair holds
    # two different months side by side are no such pair
    ("في يناير فبراير", "2015-07-22", [("يناير", "2015-01")]),
])
def test_a_month_may_be_named_twice_after_a_space(stage, text, published, expected):
    assert found_in(stage, text, published) == expected



@pytest.mark.parametrize("text, expected", [
    # a Hijri day with الجاري (this Hijri year), الماضي/المقبل (the last/next one), the modifier in the span
    ("صدر القرار في 10 شوال الجاري", [("10 شوال الجاري", "2015-07-26")]),
    ("يفتتح السوق في 27 شوال المقبل", [("27 شوال المقبل", "2015-08-12")]),
    ("توفي في 4 رمضان الماضي", [("4 رمضان الماضي", "2015-06-21")]),
    ("تبدأ من يوم 29 شعبان الجاري", [("يوم 29 شعبان الجاري", "2015-06-16")]),
    # a qualifier before a doubled month name
    ("منذ بدء المعارك في اواخر مارس (اذار)", [("اواخر مارس (اذار)", "2015-03")]),
])
def test_modifiers_and_qualifiers_belong_to_the_expression(stage, text, expected):
    assert found_in(stage, text, "2015-07-22") == expected


def test_a_hijri_range_runs_forwards(stage):
    # published in Shawwal 1436: Dhu al-Qa'dah 1436 is near, the nearest Muharram (1436) lies behind it; the end,
    # farther from the publication date, moves to Muharram 1437
    assert found_in(stage, "لخدمة الحجاج من 15 ذي القعدة وحتى 15 محرم", "2015-07-22") == [
        ("من 15 ذي القعدة وحتى 15 محرم", ["2015-08-30", "2015-10-28"])]
    # already in order: left alone
    assert found_in(stage, "من 10 رمضان إلى 20 رمضان", "2015-07-22") == [
        ("من 10 رمضان إلى 20 رمضان", ["2015-06-27", "2015-07-07"])]


def test_hijri_dates_before_the_umm_al_qura_tables_use_the_tabular_calendar(stage):
    """Before 1343 AH hijridate has no Umm al-Qura tables: the arithmetical calendar gives the date, flagged. 5 Shawwal
    1319 is the day Riyadh was taken, 15 January 1902; after 1500 AH there is still no value."""
    [(_, attrs)] = timex(stage, "في الخامس من شوال عام 1319 للهجرة بدأ الملك المؤسس", "2015-07-22")
    assert attrs["value"] == "1902-01-15" and attrs["flags"] == ["tabular-calendar"]
    [(_, attrs)] = timex(stage, "الذي بني في عام 1273هـ", "2015-07-22")
    assert attrs["value"] == ["1856-09-01", "1857-08-21"] and attrs["flags"] == ["tabular-calendar"]
    [(_, attrs)] = timex(stage, "في محرم 1320هـ", "2015-07-22")
    assert attrs["value"] == ["1902-04-10", "1902-05-09"] and "tabular-calendar" in attrs["flags"]
    [(_, attrs)] = timex(stage, "في رمضان 1436هـ", "2015-07-22")  # the tables
    assert attrs["value"] == ["2015-06-18", "2015-07-16"] and attrs["flags"] == []
    [(_, attrs)] = timex(stage, "منذ انطلاق شهر رمضان 1587 زيارة", "2015-07-22")
    assert attrs["value"] is None and attrs["flags"] == ["out-of-calendar-range"]


def test_the_tabular_hijri_calendar_keeps_within_two_days_of_umm_al_qura():
    """Where both calendars have a year, the first days of their months differ by at most two days (a check that the
    epoch and leap years are right)."""
    from hijridate import Hijri
    from marsad.time import calendar as cal
    for year in range(1343, 1501, 7):
        for month in range(1, 13):
            g = Hijri(year, month, 1).to_gregorian()
            tabular = cal._tabular_month_start(year, month)
            assert abs((tabular - date(g.year, g.month, g.day)).days) <= 2, (year, month)
    assert sum(cal._tabular_month_length(1319, m) for m in range(1, 13)) == 355  # 1319 is a leap year of the cycle


def test_a_clock_range_with_an_inferred_half_of_the_day_keeps_the_12_hour_flag(stage):
    [(_, attrs)] = timex(stage, "من الساعة 8.30 إلى الساعة 5.30", "2015-07-01")
    assert attrs["type"] == "TIME" and attrs["range"] and "12-hour" in attrs["flags"]
    [(_, attrs)] = timex(stage, "من الساعة الثامنة صباحا إلى الساعة الثانية ظهرا", "2015-07-01")
    assert attrs["flags"] == ["no-date"]


def test_a_clock_time_says_when_it_is_undated_or_may_be_pm(stage):
    [(_, attrs)] = timex(stage, "اندلع الحريق نحو الساعة الثالثة", "2015-07-01")
    assert attrs["type"] == "TIME" and attrs["value"] == "XXXX-XX-XXT03:00" and not attrs["anchored"]
    assert attrs["flags"] == ["no-date", "approximate", "12-hour"]
    [(_, attrs)] = timex(stage, "وصل الساعة الثالثة من مساء أمس", "2015-07-01")
    assert attrs["type"] == "TIME" and attrs["anchored"] and attrs["flags"] == []
    # an hour written with a leading zero is the 24-hour clock's: no am/pm doubt
    [(_, attrs)] = timex(stage, "وقعت الهزة في الساعة 06:51 بالتوقيت المحلي", "2017-02-06")
    assert attrs["value"] == "XXXX-XX-XXT06:51" and attrs["flags"] == ["no-date"]


@pytest.mark.parametrize("text, published, expected", [
    # the year is the one named after the month, not the nearest March
    ("في مارس من العام الماضي", "2015-07-01", [("مارس من العام الماضي", "2014-03")]),
    ("سافر في يناير (كانون الثاني) من العام الماضي", "2015-07-01", [("يناير (كانون الثاني) من العام الماضي", "2014-01")]),
    ("مقارنة بشهر فيفري من السنة المنقضية", "2017-03-10", [("شهر فيفري من السنة المنقضية", "2016-02")]),
    ("في غضون شهر جويلية من السنة القادمة", "2017-03-10", [("شهر جويلية من السنة القادمة", "2018-07")]),
    ("مطلع فيفري من العام الماضي", "2017-01-12", [("مطلع فيفري من العام الماضي", "2016-02")]),
    ("لشهر مارس من هذه السنة", "2017-04-10", [("شهر مارس من هذه السنة", "2017-03")]),
    ("في مارس من العام الماضي", None, [("مارس من العام الماضي", "XXXX-03")]),
    # غرة: the first of the month
    ("ابتداء من غرة جانفي 2017", "2016-12-20", [("غرة جانفي 2017", "2017-01-01")]),
    ("غدا الثلاثاء غرة نوفمبر إضرابا", "2016-10-31", [("غدا الثلاثاء غرة نوفمبر", "2016-11-01")]),
])
def test_months_of_a_named_year_and_the_first_of_a_month(stage, text, published, expected):
    assert found_in(stage, text, published) == expected


@pytest.mark.parametrize("text, published, expected", [
    ("احتفل المسلمون بعيد الفطر المبارك", "2015-07-21", [("عيد الفطر", "2015-07-17")]),  # 1 Shawwal 1436
    ("ثاني أيام عيد الفطر", "2015-07-21", [("ثاني أيام عيد الفطر", "2015-07-18")]),
    ("أول أيام عيد الفطر المبارك", "2015-07-21", [("أول أيام عيد الفطر", "2015-07-17")]),
    ("سيبدأ الدوام بعد إجازة عيد الأضحى", "2015-07-21", [("عيد الأضحى", "2015-09-23")]),  # the coming one
    # no tense cue: the nearest (the coming one within half a year): 164 days ahead, not 201 back
    ("في رأس السنة الميلادية", "2015-07-21", [("رأس السنة الميلادية", "2016-01-01")]),
    ("احتفالات المولد النبوي الشريف", "2015-07-21", [("المولد النبوي", "2015-12-23")]),
    ("احتفالات المولد النبوي الشريف", "2015-06-01", [("المولد النبوي", "2015-01-03")]),  # 149 back, 205 ahead
    ("عيد الفطر", None, [("عيد الفطر", "XXXX-XX-XX")]),
    # not feasts, and today stays today before an ordinal without the article
    ("زكاة الفطر في المسجد النبوي", "2015-07-21", []),
    ("احتفل بعيد ميلاده الخمسين", "2015-07-21", []),
    ("يذكر أن اليوم ثاني أيام العزاء", "2015-07-22", [("اليوم", "2015-07-22")]),
    ("سرايا عاشوراء", "2015-07-21", []),  # a militia's name
    # a modifier or a year after it; a qualifier before أيام; a future verb does not send it a year ahead
    ("غداة عيد الأضحى الفارط", "2017-06-05", [("عيد الأضحى الفارط", "2016-09-11")]),
    ("عيد الأضحى المقبل", "2015-09-28", [("عيد الأضحى المقبل", "2016-09-11")]),  # five days after one
    ("عيد الفطر الماضي", "2015-07-10", [("عيد الفطر الماضي", "2014-07-28")]),
    ("خلال عيد الفطر عام 2014", "2015-07-21", [("عيد الفطر عام 2014", "2014-07-28")]),
    ("عيد الأضحى لعام 1435 هـ", "2015-07-21", [("عيد الأضحى لعام 1435 هـ", "2014-10-04")]),
    ("آخر أيام عيد الأضحى", "2015-07-21", [("آخر أيام عيد الأضحى", "2015-09-23")]),
    ("التخفيضات المقررة مباشرة بعد عيد الفطر", "2016-08-03", [("عيد الفطر", "2016-07-06")]),
])
def test_feasts_by_name(stage, text, published, expected):
    assert found_in(stage, text, published) == expected


def test_a_candidate_deep_in_a_long_chain_still_reaches_the_words_after_it(stage):
    # the walk from أمس stops chain_words (8) words on, at السنة (a candidate: الحالية follows it); the walk from
    # السنة must go on to الحالية (without it the chain ends at السنة, which alone is no time)
    text = "وقال أمس في 12 من 13 و 14 من السنة الحالية"
    assert stage.chain_words == 8
    assert found_in(stage, text) == [("أمس", "2015-06-30"), ("السنة الحالية", "2015")]
    text = "سجلت استقرارا في حدود 1123 مليون دينار، خلال السبعة اشهر الاولى من السنة الحالية. وتراجعت"
    assert found_in(stage, text) == [("السبعة اشهر", "P7M"), ("السنة الحالية", "2015")]


@pytest.mark.parametrize("text, expected", [
    ("وكشف تفاصيل هذا العقد الذي وقعه اللاعب", []),  # a contract
    ("وينطبق هذا العقد على الجميع", []),
    ("وتضاعف العدد خلال هذا العقد", [("هذا العقد", "201")]),  # the decade
    ("حدث ذلك خلال العقد الماضي", [("العقد الماضي", "200")]),  # past and next decades need no preposition
    ("يتوقع نموه في العقد المقبل", [("العقد المقبل", "202")]),
    ("بنهاية العقد الحالي", [("نهاية العقد الحالي", "201")]),
    ("بحلول نهاية هذا العقد ستصل الصادرات", [("نهاية هذا العقد", "201")]),
])
def test_this_decade_needs_a_preposition_of_time(stage, text, expected):
    assert found_in(stage, text) == expected


@pytest.mark.parametrize("text, expected", [
    ("في عام 2015 لم يشهد السوق", [("عام 2015", "2015")]),  # لم "did not", not ل + م (Gregorian)
    ("منذ عام 1435 له دور", [("عام 1435", "1435")]),  # له, not ل + هـ (Hijri)
    ("في عام 2015 به", [("عام 2015", "2015")]),
    ("يمتد الطريق 1550 كم تقريبا", []),  # كم (km), not ك + م
    ("عام 1436هـ", [("عام 1436هـ", ["2014-10-25", "2015-10-13"])]),
    ("في عام 2015 م", [("عام 2015 م", "2015")]),
    ("سنة 1436 للهجرة", [("سنة 1436 للهجرة", ["2014-10-25", "2015-10-13"])]),  # ل + الهجرة marks a Hijri year
    ("عام 1963 للميلاد", [("عام 1963 للميلاد", "1963")]),
    ("منذ عام 2015 الهجرة غير الشرعية", [("عام 2015", "2015")]),  # الهجرة alone is migration
])
def test_calendar_markers_take_no_clitic(stage, text, expected):
    assert found_in(stage, text) == expected


def test_proclitics_and_not_spellings_shape_the_forms(stage, tmp_path):
    forms, surface = stage.prefilter.forms, stage.surface
    assert "باب" not in forms and "لاب" not in forms and "إب" not in forms and "أب" not in forms
    assert "باب" not in surface and "وباب" not in surface and "إب" not in surface
    assert "آب" in forms and "وآب" in forms and "فاب" in forms and "اب" in surface and "فآب" in surface
    assert "بمارس" in forms and "لمارس" in surface
    from marsad.resources import data_path
    text = data_path("times/lexicon.toml").read_text(encoding="utf-8")
    bad = tmp_path / "lexicon.toml"
    assert 'proclitics = ["و", "ف", "ب"]' in text
    bad.write_text(text.replace('proclitics = ["و", "ف", "ب"]', 'proclitics = ["و", "س"]', 1), encoding="utf-8")
    with pytest.raises(DataFileError, match="proclitics"):
        TimesStage(lexicon_file=bad)
    # a word also listed without a restriction keeps every form
    both = tmp_path / "both.toml"
    both.write_text(text.replace('8 = ["أوت", "اوت"]', '8 = ["أوت", "اوت", "آب"]', 1), encoding="utf-8")
    assert "باب" in TimesStage(lexicon_file=both).surface


# --- data files ---------------------------------------------------------------------------------------------------
def test_missing_pattern_key_names_the_file(tmp_path):
    bad = tmp_path / "patterns.toml"
    bad.write_text('[classes]\nMONTH = "M"\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="patterns.toml"):
        TimesStage(patterns_file=bad)


def test_unknown_class_in_lexicon_names_the_file(tmp_path):
    bad = tmp_path / "lexicon.toml"
    bad.write_text('[month]\nclass = "MONTHS"\nwords = ["يناير"]\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="MONTHS"):
        TimesStage(lexicon_file=bad)


def found_in(stage: TimesStage, text: str, published: str = "2015-07-01") -> list[tuple[str, object]]:
    """(text, value) of every TIMEX the stage finds in ``text``."""
    return [(surface, attrs["value"]) for surface, attrs in timex(stage, text, published)]


def _patterns_with(tmp_path, old: str, new: str) -> Path:
    from marsad.resources import data_path
    text = data_path("times/patterns.toml").read_text(encoding="utf-8")
    assert old in text
    changed = tmp_path / "patterns.toml"
    changed.write_text(text.replace(old, new, 1), encoding="utf-8")
    return changed


def test_edge_marks_a_pattern_reads_are_refused(tmp_path):
    """A mark whose class some lookaround reads (the bracketed year reads ( and )) cannot be taken off chains."""
    with pytest.raises(DataFileError, match="'year-bracketed' may read"):
        TimesStage(patterns_file=_patterns_with(tmp_path, 'edge_marks = "', 'edge_marks = "('))


@pytest.mark.parametrize("old, new", [
    # a match that may end on a quotation mark: «عام 2004» would lose its closing mark
    ('regex = "(?P<qual>{QUALIFIER})?{YEAR_WORD}(?P<year>{YEARNUM})', 'regex = "{QUOTE}?(?P<qual>{QUALIFIER})?{YEAR_WORD}(?P<year>{YEARNUM})'),
    # a word boundary tells OTHER (a word character) from a comma
    ('regex = "(?P<qual>{QUALIFIER})?{YEAR_WORD}(?P<year>{YEARNUM})', 'regex = "\\\\b(?P<qual>{QUALIFIER})?{YEAR_WORD}(?P<year>{YEARNUM})'),
    # context that reads OTHER, the unit that takes a trimmed mark's place
    ('regex = "(?P<qual>{QUALIFIER})?{YEAR_WORD}(?P<year>{YEARNUM})', 'regex = "(?<!{OTHER})(?P<qual>{QUALIFIER})?{YEAR_WORD}(?P<year>{YEARNUM})'),
])
def test_patterns_that_could_see_a_trimmed_mark_are_refused(tmp_path, old, new):
    with pytest.raises(DataFileError, match="'year-word' may read"):
        TimesStage(patterns_file=_patterns_with(tmp_path, old, new))


def test_taking_edge_marks_off_changes_no_span(tmp_path):
    """The stage with edge marks and without them give the same layer (values, spans, provenance) on the bundled
    sample articles, with and without a publication date: what the start-up check cannot see (the handlers) too."""
    import json
    from marsad.resources import data_path
    trimming = TimesStage()
    whole = TimesStage(patterns_file=_patterns_with(tmp_path, 'edge_marks = "', 'edge_marks = "" # '))
    assert trimming._edge and not whole._edge
    with data_path("samples/ant_samples.jsonl").open(encoding="utf-8") as handle:
        texts = [json.loads(line)["text"] for line in handle]
    texts += ["«في عام 2004». و«أمس»، «الخميس والجمعة»؛ «28 تشرين الثاني (نوفمبر)»! (2015). «منذ 3 أيام»؟"]
    pipeline = Pipeline.from_names(["clean", "sentences", "tokens"])
    differs = 0
    for text in texts:
        for published in ("2017-11-19", None):
            doc = pipeline(Document(text=text, published=published))
            assert trimming(doc).layer("times") == whole(doc).layer("times")
        differs += trimming._chains(text, trimming.prefilter.positions(text)) != whole._chains(
            text, whole.prefilter.positions(text))
    assert differs  # the samples have chains with marks at their ends


def test_edge_marks_must_be_pieces_of_their_own(tmp_path):
    """' clings to its word (it is no piece of its own): taking it off would change the word's unit."""
    with pytest.raises(DataFileError, match="no punctuation piece"):
        TimesStage(patterns_file=_patterns_with(tmp_path, 'edge_marks = "', 'edge_marks = "\''))


def test_punctuation_at_a_chains_ends_changes_nothing_but_the_cache():
    stage = TimesStage()
    bare = stage.find("وقع الانفجار في عام 2004 قرب المدينة", "2017-11-19")
    assert [attrs["value"] for _, _, attrs in bare] == ["2004"]
    count = stage.cached_chains()
    for text in ("وقع الانفجار في عام 2004، قرب المدينة", "وقع الانفجار «في عام 2004». قرب المدينة",
                 "وقع الانفجار: في عام 2004 ، قرب المدينة"):
        found = stage.find(text, "2017-11-19")
        assert [(text[s:e], attrs) for s, e, attrs in found] == [("عام 2004", bare[0][2])]
    assert stage.cached_chains() == count  # one chain for all four
    # punctuation inside a chain stays
    text = "وتجري الجولة «في 28 تشرين الثاني (نوفمبر)». وفي الخميس والجمعة، قتل"
    assert [(text[s:e], attrs["value"]) for s, e, attrs in stage.find(text, "2017-11-19")] == [
        ("28 تشرين الثاني (نوفمبر)", "2017-11-28"), ("الخميس والجمعة", ["2017-11-16", "2017-11-17"])]


def test_lookaround_characters():
    import re
    from marsad.stages.times import lookaround_characters
    assert lookaround_characters(re.compile("(?<=[ab])c(?!d)e")) == set("abd")
    assert lookaround_characters(re.compile("(?:x(?=y))+z")) == {"y"}
    assert lookaround_characters(re.compile("abc")) == set()
    assert lookaround_characters(re.compile("a(?![^b])")) is None  # a negated set: anything but b
    assert lookaround_characters(re.compile("a(?=.)")) is None
    assert lookaround_characters(re.compile("ab\\b")) is None  # \b reads the characters around it
    assert lookaround_characters(re.compile("(f)?(?(1)Y(?!,)|y)")) is None  # a conditional's branches
    assert lookaround_characters(re.compile("(?=(?i:m))x")) is None  # m and M
    assert lookaround_characters(re.compile("(a)b\\1")) == set()  # a backreference outside any lookaround


def test_match_end_characters():
    import re
    from marsad.stages.times import match_end_characters
    assert match_end_characters(re.compile("x?(?:ab|c)*d?")) == (set("xacd"), set("xbcd"))
    assert match_end_characters(re.compile("(?<=p)a(?:,)?(?!q)")) == ({"a"}, {"a", ","})
    assert match_end_characters(re.compile("^a[bc]$")) == ({"a"}, {"b", "c"})
    assert match_end_characters(re.compile("(a)b\\1")) is None  # what a backreference matches is not read
    assert match_end_characters(re.compile("a\\b")) is None
    assert match_end_characters(re.compile("[^a]b")) is None


# --- the prefilter's shortcuts must find what the plain scans find ----------------------------------------------
def test_rare_spaces_are_unprintable():
    """Prefilter.positions skips the rare-space scan for printable text: every rare space must be unprintable."""
    from marsad.time.lexicon import _RARE_SPACE
    assert not [hex(c) for c in range(0x110000) if _RARE_SPACE.match(chr(c)) and chr(c).isprintable()]


def test_joined_regex_only_matches_at_its_marks(stage):
    import re
    pre = stage.prefilter
    text = "في حزيران/يونيو و(تموز) أو تشرين الثاني(نوفمبر) a/b 3/4"
    found = sorted(m.start() for m in pre.joined.finditer(text))
    assert found and found == sorted(i for i, ch in enumerate(text) if ch in pre.joined_marks and pre.joined.match(text, i))
    assert re.match(r"\[[^]]*\]", pre.joined.pattern).group()[1:-1] == "".join(pre.joined_marks)


@pytest.mark.parametrize("space", ["\xa0", "\t", "\u2009", "\u202f"])
def test_rare_spaces_separate_words(stage, space):
    found = stage.find(f"وأعلن الجيش{space}أمس{space}السيطرة على المدينة.", "2017-11-19")
    assert [attrs["value"] for _, _, attrs in found] == ["2017-11-18"]


@pytest.mark.parametrize("compiled", [True, False])
def test_piece_memo_gives_the_units_of_the_full_path(compiled):
    """units_from_text remembers the unit of a piece that depends on nothing around it, and of a piece that may
    begin a phrase (يوم، على، كانون) for when the next piece begins none with it; warm memos must give what the
    full path gives (marks stripped, clitics, punctuation, the conjunction, phrases, numbers)."""
    from marsad.time import lexicon as lexicon_module
    from marsad.time.lexicon import Units, units_from_text_python
    if compiled and lexicon_module._scan is None:
        pytest.skip("marsad.time._scan is not built")
    build = lexicon_module._scan.units_from_text if compiled else units_from_text_python
    texts = ["'ً عام", "وً 12 يوليو", "غداً", "يوماً بعد يوم", "الـ24 ساعة", "و12 مايو", "2015م", "١٢ مارس ٢٠١٥",
             "أمس الأول", "تشرين الثاني/نوفمبر", "ذو الحجة", "الحادي والعشرين من يناير", "خمسة وعشرين عاما",
             "' و ً", "وفي يوم الخميس 30 أبريل (نيسان) المقبل، وبعد أسبوعين",
             # words that may begin a phrase, before a piece that goes on with them or not (a number, an unknown
             # word, a word with diacritics, nothing)
             "يوم 12 يونيو", "يوم عرفة", "يوم عَرفة", "يوم", "يوم كلمة", "يومَ عرفة", "على مدى عامين", "على 12",
             "كانون الثاني", "كانون 2015", "كانون", "بعد غد", "بعد 12 عاما", "وبعد غد", "ما بين 12 و13", "ما 12",
             "عيد الفطر", "عيد 2015", "أول أمس", "أول 2015", "ثلاثة أيام", "ثلاثة 12"]

    def units(stage: TimesStage, text: str) -> tuple:
        out = Units([], [], [], [], [], [])
        build(text, 0, len(text), stage.lexicon, stage.surface, out, first_break=False)
        return tuple(out)

    warm_stage = TimesStage()
    memos = (warm_stage.lexicon.piece_units, warm_stage.lexicon.pair_units, warm_stage.lexicon.starter_units)
    cold = []
    for t in texts:  # empty memos each time: the full path for the first of each piece
        for memo in memos:
            memo.clear()
        cold.append(units(warm_stage, t))
    for t in texts:
        units(warm_stage, t)
    assert all(memos)
    assert [units(warm_stage, t) for t in texts] == cold
    assert [units(warm_stage, t) for t in reversed(texts)] == cold[::-1]


def test_letters_only_words_are_known_as_the_full_test_says(stage):
    """_is_known answers a word of letters only from the surface index alone; for every such word (lexicon words
    with clitics, unknown words, و, Latin) that must be what the full test (marks, digits, punctuation) says."""
    words = ["أمس", "وأمس", "بالأمس", "الأسبوع", "للأسبوع", "يناير", "و", "في", "من", "السيارة", "وزارة", "الرياض",
             "Reuters", "ماي", "الثلاثاء", "خلال"] + sorted(stage.surface)[::97]
    letters_only = [w for w in words if w.isalpha() and "ـ" not in w]
    assert len(letters_only) > 400
    assert any(stage._is_known(w) for w in letters_only) and not all(stage._is_known(w) for w in letters_only)
    assert [stage._is_known(w) for w in letters_only] == [stage._is_known_in_full(w) for w in letters_only]
    # words outside the shortcut still take the full test
    assert stage._is_known("غداً") and stage._is_known("الـ24") and stage._is_known("12") and stage._is_known("(أمس)")


def test_one_candidate_resolves_as_overlapping_candidates_do(stage):
    """A chain with one pattern match takes a short path in _resolve; it must give what the general path gives
    (a value, a handler's refusal, no anchor, a value that read the clause)."""
    from marsad.stages.times import _Context
    from marsad.time import calendar as cal
    texts = ["وصل الوفد أمس.", "في عام 1892.", "يعقد الاجتماع الخميس", "خلال العام", "منذ 29 يونيو",
             "ولد عام 1500", "يوما بعد يوم", "خلال عقد اجتماع"]
    seen, refused = 0, 0
    for published in ("2017-11-19", None):
        anchor = cal.parse_anchor(published)
        for text in texts:
            positions = stage.prefilter.positions(text)
            for lo, hi in stage._chains(text, positions):
                units, chars, candidates, _ = stage._analyse_chain(text[lo:hi])
                if len(candidates) != 1:
                    continue
                seen += 1
                one = stage._resolve(chars, candidates, _Context(stage, units, text, anchor, [], lo))
                general = stage._resolve_overlapping(chars, candidates, _Context(stage, units, text, anchor, [], lo))
                assert [(f.first, f.last, f.rule, f.result) for f in one] == \
                    [(f.first, f.last, f.rule, f.result) for f in general], text
                refused += not one
    assert seen == 16 and refused == 6


def test_a_date_the_clause_cannot_change_is_cached_with_its_anchor():
    """A yearless date, month or feast reads the clause's tense only when the tenses would give different years;
    a value that did not read it is cached per chain and anchor, so it is not worked out again."""
    from datetime import date
    stage = TimesStage()
    stage.find("احتفل المسلمون بعيد الفطر المبارك", "2015-07-21")  # days after it: the same Eid in any tense
    stage.find("يعقد الاجتماع في 25 نوفمبر", "2015-11-20")  # five days on (a week's slack): 2015 in any tense
    stage.find("وقع الهجوم في 12 مارس", "2015-11-20")  # past or no cue: March 2015; future: March 2016
    cached = stage._resolved[date(2015, 7, 21)].keys() | stage._resolved[date(2015, 11, 20)].keys()
    assert any("الفطر" in chain for chain in cached) and any("نوفمبر" in chain for chain in cached)
    assert not any("مارس" in chain for chain in cached)
