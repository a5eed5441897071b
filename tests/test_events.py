"""The events stage on small documents whose entities, places and times layers are built by hand (docs/layers.md),
so these tests hold whatever the upstream stages do."""
from __future__ import annotations

from typing import Any

import pytest

from marsad.document import Document, Provenance, Span
from marsad.events.lexicon import default_lexicon
from marsad.pipeline import Pipeline
from marsad.stages.events import EventsStage

PUBLISHED = "2017-11-19"
_TEXT_LAYER = None


def _text_layer() -> Pipeline:
    global _TEXT_LAYER
    if _TEXT_LAYER is None:
        _TEXT_LAYER = Pipeline.from_names(["clean", "sentences", "tokens"])
    return _TEXT_LAYER


def _find(text: str, phrase: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase)


ACTORS = {
    "قوات النظام": {"name_en": "Syrian government forces", "actor_code": "SYRMIL", "kind": "state military", "country": "SY"},
    "الجيش": {"name_en": "Syrian government forces", "actor_code": "SYRMIL", "kind": "state military", "country": "SY"},
    "داعش": {"name_en": "Islamic State (ISIS)", "actor_code": "IMGMUSREB", "kind": "armed group"},
    "التنظيم": {"name_en": "Islamic State (ISIS)", "actor_code": "IMGMUSREB", "kind": "armed group"},
    "حزب الله": {"name_en": "Hezbollah", "actor_code": "LBNREB", "kind": "armed group", "country": "LB"},
    "المرصد": {"name_en": "Syrian Observatory for Human Rights", "actor_code": "NGOHRI", "kind": "NGO"},
    "وزارة الخارجية الأميركية": {"name_en": "US Department of State", "actor_code": "USAGOV", "kind": "government", "country": "US"},
    "هيذر نويرت": {"name_en": "Heather Nauert", "actor_code": "USAGOV", "kind": "person", "country": "US"},
    "رامي عبد الرحمن": {"name_en": "Rami Abdel Rahman", "actor_code": "NGOHRI", "kind": "person"},
    "روسيا": {"name_en": "Russia", "actor_code": "RUS", "kind": "country", "country": "RU"},
    "بوتين": {"name_en": "Vladimir Putin", "actor_code": "RUSGOV", "kind": "person", "country": "RU"},
    "ترامب": {"name_en": "Donald Trump", "actor_code": "USAGOV", "kind": "person", "country": "US"},
}
LABELS = {"person": "PERSON", "country": "LOC"}
PLACES = {
    "البوكمال": {"name_en": "Abu Kamal", "geonameid": 174448, "kind": "city", "country": "SY", "resolved": True},
    "محافظة دير الزور": {"name_en": "Deir ez-Zor Governorate", "geonameid": 170792, "kind": "governorate",
                         "country": "SY", "resolved": True},
    "حلب": {"name_en": "Aleppo", "geonameid": 170063, "kind": "city", "country": "SY", "resolved": True},
    "سوتشي": {"name_en": "Sochi", "geonameid": 491422, "kind": "city", "country": "RU", "resolved": True},
}


def make_doc(text: str, entities: list[str] = (), places: list[str] = (), times: dict[str, Any] | None = None,
             published: str | None = PUBLISHED) -> Document:
    """A document with the text layer run and hand-made entities/places/times spans (every occurrence)."""
    doc = _text_layer()(Document(text=text, published=published))
    prov = Provenance("test")
    ents = []
    for phrase in entities:
        start = text.find(phrase)
        while start >= 0:
            attrs = dict(ACTORS[phrase])
            ents.append(Span(start, start + len(phrase), LABELS.get(attrs["kind"], "ORG"), attrs, prov))
            start = text.find(phrase, start + 1)
    doc.set_layer("entities", ents)
    pl = []
    for phrase in places:
        start = text.find(phrase)
        while start >= 0:
            pl.append(Span(start, start + len(phrase), "PLACE", dict(PLACES[phrase]), prov))
            start = text.find(phrase, start + 1)
    doc.set_layer("places", pl)
    tx = []
    for phrase, value in (times or {}).items():
        s, e = _find(text, phrase)
        tx.append(Span(s, e, "TIMEX", {"value": value, "type": "DATE", "flags": []}, prov))
    doc.set_layer("times", tx)
    return doc


@pytest.fixture(scope="module")
def stage() -> EventsStage:
    return EventsStage()


def events(doc: Document) -> list[Span]:
    return doc.layer("events")


def only(doc: Document, cameo_prefix: str = "") -> Span:
    found = [e for e in events(doc) if e.attrs["cameo"].startswith(cameo_prefix)]
    assert len(found) == 1, [(e.label, e.attrs["trigger_text"]) for e in events(doc)]
    return found[0]


def names(actors) -> list[str]:
    return [a["name_en"] for a in actors or []]


# --- the lexicon -------------------------------------------------------------------------------------------
def test_inflected_forms_are_dict_keys_generated_from_stems() -> None:
    lx = default_lexicon()
    for form in ("سيطر", "سيطرت", "سيطروا", "يسيطر", "يسيطرون", "تسيطر"):
        assert lx.single[form][0].cameo == "192", form
    assert lx.single["يستعيد"][0].name == "استعاد"  # the imperfect stem of a hollow verb, given in the data
    assert lx.code_info("0874").plover == "RETREAT"
    assert lx.code_info("010").plover == "STATEMENT" and lx.code_info("020").plover == "APPEAL"


def test_derived_verbs_fire_only_with_their_object(stage: EventsStage) -> None:
    lx = default_lexicon()
    derived = [t for ts in lx.single.values() for t in ts if t.origin == "derived"]
    assert derived and all(t.needs_object and t.objects for t in derived)
    assert "حسب" not in lx.single  # a bare three-letter stem is as often a particle


# --- trigger coding and arguments ----------------------------------------------------------------------
def test_control_verb_codes_occupation_with_actors_place_and_date(stage: EventsStage) -> None:
    text = "سيطرت قوات النظام امس على معظم مدينة البوكمال بعد معارك مع داعش."
    doc = stage(make_doc(text, ["قوات النظام", "داعش"], ["البوكمال"], {"امس": "2017-11-18"}))
    ev = only(doc, "192")
    a = ev.attrs
    assert ev.label == "COERCE" and a["plover"] == "COERCE" and a["mode"] == "seize"
    assert names(a["source"]) == ["Syrian government forces"]
    assert a["place"]["name_en"] == "Abu Kamal" and a["place_precision"] == "exact" and a["place"]["source"] == "clause"
    assert a["date"] == "2017-11-18" and a["date_precision"] == "day" and a["date_source"] == "clause"
    assert a["pattern"].startswith("curated:verb:سيطر") and doc.text[ev.start:ev.end] == "سيطرت"
    assert a["sentence"] == [0, len(text)]
    claim = doc.layer("control")[0].attrs
    assert claim["actor"]["name_en"] == "Syrian government forces" and claim["share"]["en"] == "most"


def test_nominal_event_with_nationality_adjectives_has_several_sources(stage: EventsStage) -> None:
    doc = stage(make_doc("وترافقت المعارك مع غارات سورية وأخرى روسية كثيفة على حلب.", places=["حلب"]))
    ev = [e for e in events(doc) if e.attrs["cameo"] == "195"][0]
    assert names(ev.attrs["source"]) == ["Syria", "Russia"]
    assert ev.attrs["place"]["name_en"] == "Aleppo"


def test_named_allies_are_sources_too(stage: EventsStage) -> None:
    text = "سيطرت قوات النظام مع حلفائها حزب الله على البوكمال."
    doc = stage(make_doc(text, ["قوات النظام", "حزب الله"], ["البوكمال"]))
    assert names(only(doc, "192").attrs["source"]) == ["Syrian government forces", "Hezbollah"]


def test_pro_drop_subject_is_carried_from_the_previous_sentence(stage: EventsStage) -> None:
    text = "وقال المرصد إن قوات النظام تقدمت في البوكمال. ثم سيطرت على المدينة."
    doc = stage(make_doc(text, ["المرصد", "قوات النظام"], ["البوكمال"]))
    assert names(only(doc, "192").attrs["source"]) == ["Syrian government forces"]


def test_place_falls_back_to_the_focal_place_for_material_events_only(stage: EventsStage) -> None:
    text = ("قصفت قوات النظام البوكمال امس. وتعرضت البوكمال لقصف عنيف. "
            "ثم اقتحم الجيش المدينة. ورفضت روسيا المقترح.")
    doc = stage(make_doc(text, ["قوات النظام", "الجيش", "روسيا"], ["البوكمال"], {"امس": "2017-11-18"}))
    storm = only(doc, "190").attrs
    assert storm["place"]["name_en"] == "Abu Kamal" and storm["place"]["source"] == "focal"
    reject = only(doc, "12").attrs
    assert reject["place"] is None and reject["place_precision"] == "unknown"


def test_date_comes_from_the_previous_event_and_never_silently_from_publication(stage: EventsStage) -> None:
    doc = stage(make_doc("اقتحم الجيش البوكمال.", ["الجيش"], ["البوكمال"]))
    a = only(doc).attrs
    assert a["date"] is None and a["date_precision"] == "unknown" and a["date_source"] == "unknown"
    text = "اقتحم الجيش البوكمال الخميس. وقصفت قوات النظام المدينة."
    doc = stage(make_doc(text, ["الجيش", "قوات النظام"], ["البوكمال"], {"الخميس": "2017-11-16"}))
    shelling = only(doc, "194").attrs
    assert shelling["date"] == "2017-11-16" and shelling["date_source"] == "previous-event"
    # nor does a range of them
    text = "اقتحم الجيش البوكمال الخميس. وقصفت قوات النظام المدينة من الساعة العاشرة إلى الساعة الثانية."
    doc = stage(make_doc(text, ["الجيش", "قوات النظام"], ["البوكمال"],
                         {"الخميس": "2017-11-16",
                          "من الساعة العاشرة إلى الساعة الثانية": ["XXXX-XX-XXT10:00", "XXXX-XX-XXT14:00"]}))
    shelling = only(doc, "194").attrs
    assert shelling["date"] == "2017-11-16" and shelling["date_source"] == "previous-event"


def test_stage_runs_without_entities_places_or_times(stage: EventsStage) -> None:
    doc = _text_layer()(Document(text="قتل 25 شخصا على الأقل في غارات جوية. وقال مسؤول إن \"الوضع خطير جدا\".",
                                 published=PUBLISHED))
    stage(doc)
    assert events(doc) and doc.layer("quotes") and doc.layer("quantities")
    assert all(e.attrs["place"] is None and e.attrs["date"] is None for e in events(doc))


# --- modality ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("نفى الجيش أنه قصف البوكمال.", "denied"),
    ("لم يقصف الجيش البوكمال.", "negated"),
    ("سيعقد بوتين اجتماعا في سوتشي.", "planned"),
    ("ومن المقرر أن يعقد بوتين اجتماعا في سوتشي.", "planned"),
    ("وحذر من أي هجوم محتمل على البوكمال.", "hypothetical"),
    ("وإذا اقتحم الجيش البوكمال فسيخسر كثيرا.", "conditional"),
    ("اقتحم الجيش البوكمال.", "reported"),
])
def test_modality_cues(stage: EventsStage, text: str, expected: str) -> None:
    doc = stage(make_doc(text, [p for p in ("الجيش", "بوتين") if p in text], [p for p in ("البوكمال", "سوتشي") if p in text]))
    assert [e.attrs["modality"] for e in events(doc)] == [expected]


def test_a_future_date_makes_an_event_planned(stage: EventsStage) -> None:
    doc = stage(make_doc("يعقد بوتين اجتماعا في سوتشي يوم 28 تشرين الثاني.", ["بوتين"], ["سوتشي"],
                         {"يوم 28 تشرين الثاني": "2017-11-28"}))
    assert only(doc).attrs["modality"] == "planned"


# --- attribution ---------------------------------------------------------------------------------------------
def test_according_to_frame_gives_reported_by(stage: EventsStage) -> None:
    text = "سيطرت قوات النظام على البوكمال، وفق ما أفاد المرصد."
    a = only(stage(make_doc(text, ["قوات النظام", "المرصد"], ["البوكمال"])), "192").attrs
    assert a["reported_by"]["name_en"] == "Syrian Observatory for Human Rights"
    assert a["modality"] == "reported" and a["reported_rule"] == "according-to"


def test_an_actor_announcing_its_own_action_is_a_claim(stage: EventsStage) -> None:
    text = "وكان الجيش أعلن استعادة البوكمال."
    a = only(stage(make_doc(text, ["الجيش"], ["البوكمال"])), "192").attrs
    assert names(a["source"]) == ["Syrian government forces"]
    assert a["reported_by"]["name_en"] == "Syrian government forces" and a["modality"] == "claimed"


def test_announcement_alone_is_a_statement_event(stage: EventsStage) -> None:
    doc = stage(make_doc("وأعلن بوتين أن القمة ستتناول الأجندة السورية.", ["بوتين"]))
    ev = only(doc)
    assert ev.label == "STATEMENT" and ev.attrs["cameo"] == "010" and ev.attrs["plover"] is None
    assert ev.attrs["modality"] == "planned"


# --- quotes and speakers -------------------------------------------------------------------------------------
def test_direct_quote_speaker_and_bare_verb_continuing_the_last_speaker(stage: EventsStage) -> None:
    text = 'وقال مدير المرصد رامي عبد الرحمن "إن المعارك عنيفة جدا في المدينة". وأضاف "الوضع صعب على المدنيين".'
    doc = stage(make_doc(text, ["المرصد", "رامي عبد الرحمن"]))
    quotes = doc.layer("quotes")
    assert [q.attrs["direct"] for q in quotes] == [True, True]
    assert [q.attrs["speaker"]["name_en"] for q in quotes] == ["Rami Abdel Rahman"] * 2
    assert quotes[1].attrs["speaker_rule"] == "last-speaker"


def test_unnamed_official_of_a_ministry(stage: EventsStage) -> None:
    text = 'وقال مسؤول في وزارة الخارجية الأميركية "قلنا بوضوح أننا لن نعمل مع النظام".'
    speaker = stage(make_doc(text, ["وزارة الخارجية الأميركية"])).layer("quotes")[0].attrs["speaker"]
    assert speaker["unnamed"] is True and speaker["organisation"] == "US Department of State"
    assert speaker["name_en"] == "US Department of State official" and speaker["actor_code"] == "USAGOV"


def test_indirect_speech_and_a_title_resolving_to_the_person_named_before(stage: EventsStage) -> None:
    text = ('وقالت المتحدثة باسم وزارة الخارجية الأميركية هيذر نويرت إن روسيا لم تلتزم بالاتفاق. '
            'وردت المتحدثة على السؤال بقولها "لا أعرف".')
    doc = stage(make_doc(text, ["وزارة الخارجية الأميركية", "هيذر نويرت", "روسيا"]))
    quotes = doc.layer("quotes")
    indirect = [q for q in quotes if not q.attrs["direct"]][0]
    assert doc.span_text(indirect).startswith("إن روسيا") and indirect.attrs["speaker"]["name_en"] == "Heather Nauert"
    direct = [q for q in quotes if q.attrs["direct"]][0]
    assert doc.span_text(direct) == "لا أعرف" and direct.attrs["speaker"]["name_en"] == "Heather Nauert"


def test_a_name_in_quotes_is_not_a_quote(stage: EventsStage) -> None:
    doc = stage(make_doc('تراجع تنظيم "داعش" في البوكمال.', ["داعش"], ["البوكمال"]))
    assert doc.layer("quotes") == []


# --- quantities, casualties and control --------------------------------------------------------------------
@pytest.mark.parametrize("text, attrs", [
    ("أكثر من ثمانين في المائة من المدينة", {"unit": "percent", "value": 80, "low": 80, "high": None, "qualifier": "more_than"}),
    ("25 في المئة من مساحة المحافظة", {"unit": "percent", "value": 25, "low": 25, "high": 25}),
    ("قتل عشرات المدنيين", {"unit": "count", "low": 20, "high": 99}),
    ("خمسة وعشرين شخصا", {"unit": "count", "value": 25}),
    ("نحو 300 مقاتل", {"unit": "count", "value": 300, "qualifier": "about"}),
])
def test_quantities_in_words_and_digits(stage: EventsStage, text: str, attrs: dict) -> None:
    q = stage(make_doc(text)).layer("quantities")[0]
    assert {k: q.attrs.get(k) for k in attrs} == attrs


def test_casualties_with_ranges_and_side(stage: EventsStage) -> None:
    doc = stage(make_doc("قتل 25 مدنيا على الأقل في غارات على حلب.", places=["حلب"]))
    ev = only(doc)
    assert ev.attrs["cameo"] == "195"  # the air strike absorbs the killing of its clause
    assert ev.attrs["casualties"] == {"killed": {"low": 25, "high": None, "side": "civilians"}}
    doc = stage(make_doc("أسفر القصف عن مقتل عشرات من عناصر حزب الله.", ["حزب الله"]))
    killed = [e for e in events(doc) if "casualties" in e.attrs][0].attrs["casualties"]["killed"]
    assert killed == {"low": 20, "high": 99, "side": "Hezbollah"}


def test_present_tense_control_is_a_claim_dated_by_publication_not_an_event(stage: EventsStage) -> None:
    text = "وتشكل البوكمال آخر معقل لداعش، حيث لا يزال يسيطر على 25 في المئة من مساحة محافظة دير الزور."
    doc = stage(make_doc(text, ["داعش"], ["البوكمال", "محافظة دير الزور"]))
    assert not [e for e in events(doc) if e.attrs["cameo"] == "192"]
    claim = doc.layer("control")[0].attrs
    assert claim["actor"]["name_en"] == "Islamic State (ISIS)" and claim["place"]["name_en"] == "Deir ez-Zor Governorate"
    assert claim["share"]["percent"] == 25 and claim["date"] == PUBLISHED and claim["date_source"] == "present-tense-publication"


def test_retreat_to_parts_of_a_place_is_a_control_claim(stage: EventsStage) -> None:
    text = "ودفعت قوات النظام التنظيم إلى التراجع إلى القسمين الشمالي الشرقي والشمالي من البوكمال."
    doc = stage(make_doc(text, ["قوات النظام", "التنظيم"], ["البوكمال"]))
    retreat = only(doc, "0874")
    assert names(retreat.attrs["source"]) == ["Islamic State (ISIS)"]
    claim = doc.layer("control")[0].attrs
    assert claim["actor"]["name_en"] == "Islamic State (ISIS)" and claim["share"]["en"] == "the north-east and north two parts"


def test_territory_is_taken_from_its_last_holder(stage: EventsStage) -> None:
    text = "سيطرت قوات النظام على البوكمال امس. وبعد ساعات استعاد داعش البوكمال."
    doc = stage(make_doc(text, ["قوات النظام", "داعش"], ["البوكمال"], {"امس": "2017-11-18"}))
    retake = [e for e in events(doc) if e.attrs["trigger_text"] == "استعاد"][0]
    assert names(retake.attrs["source"]) == ["Islamic State (ISIS)"]
    assert names(retake.attrs["target"]) == ["Syrian government forces"]


def test_claimed_only_when_the_reporter_is_the_actor(stage: EventsStage) -> None:
    text = "وقال الجيش إن قوات النظام اقتحمت البوكمال."
    a = only(stage(make_doc(text, ["الجيش", "قوات النظام"], ["البوكمال"]))).attrs
    # the same actor (both resolve to the Syrian forces) reporting its own action claims it
    assert a["modality"] == "claimed"
    text = "وقال المرصد إن قوات النظام اقتحمت البوكمال."
    assert only(stage(make_doc(text, ["المرصد", "قوات النظام"], ["البوكمال"]))).attrs["modality"] == "reported"


def test_an_everyday_verb_without_any_actor_is_no_event_and_inferred_sources_are_not_carried(stage: EventsStage) -> None:
    # "تجمع البراءة مع الألم": the picture brings together innocence and pain
    doc = stage(make_doc("هي صورة تجمع البراءة مع الألم. ثم اندلعت معركة في حلب.", places=["حلب"]))
    assert [e.attrs["cameo"] for e in events(doc)] == ["190"]
    assert events(doc)[0].attrs["source"] == []
    doc = stage(make_doc("اندلعت تظاهرة في حلب. ثم اندلعت معركة في حلب.", places=["حلب"]))
    protest, battle = events(doc)
    assert protest.attrs["source"][0]["inferred"] is True and protest.attrs["source_rule"] == "category-default"
    assert battle.attrs["source"] == []


def test_support_verb_partitive_and_protesters_who_attack_riot(stage: EventsStage) -> None:
    doc = stage(make_doc("وقام المتظاهرون بإحراق الإطارات في حلب.", places=["حلب"]))
    ev = only(doc)
    assert ev.label == "PROTEST" and ev.attrs["source_rule"] == "support-verb"
    assert ev.attrs["source"][0]["actor_code"] == "CVL"
    doc = stage(make_doc("تجمع العشرات من المتظاهرين الفلسطينيين في حلب.", places=["حلب"]))
    assert only(doc).attrs["source"][0]["actor_code"] == "PSECVL"
    doc = stage(make_doc("وهاجم المتظاهرون مركزا للشرطة في حلب.", places=["حلب"]))
    ev = only(doc)
    assert ev.attrs["cameo"] == "145" and ev.label == "PROTEST"


def test_the_speaker_is_not_an_actor_of_the_events_he_reports(stage: EventsStage) -> None:
    text = 'وقال رامي عبد الرحمن إن «تظاهرة انطلقت اليوم في حلب احتجاجا على القصف».'
    doc = stage(make_doc(text, ["رامي عبد الرحمن"], ["حلب"]))
    protest = [e for e in events(doc) if e.label == "PROTEST"][0]
    assert "Rami Abdel Rahman" not in names(protest.attrs["source"])
    assert protest.attrs["reported_by"]["name_en"] == "Rami Abdel Rahman"


def test_protesters_named_in_the_clause_are_the_protest_source_and_concessive_an_is_no_speech(stage: EventsStage) -> None:
    doc = stage(make_doc("وسلم المتظاهرون رامي عبد الرحمن مذكرة احتجاج في حلب.", ["رامي عبد الرحمن"], ["حلب"]))
    assert only(doc).attrs["source"][0]["name_en"] == "protesters"
    doc = stage(make_doc("لكن روسيا ردت عبر اغتيال القائد مع أنها لم تعلن ذلك.", ["روسيا"]))
    assert names(only(doc, "186").attrs["source"]) == ["Russia"]


def test_passive_agent_unit_nouns_and_state_strikes(stage: EventsStage) -> None:
    doc = stage(make_doc("خطف الموظف من منزله على يد عناصر من داعش في حلب.", ["داعش"], ["حلب"]))
    assert names(only(doc).attrs["source"]) == ["Islamic State (ISIS)"]
    assert only(doc).attrs["source_rule"] == "agent-marker"
    doc = stage(make_doc("وقصفت قوة من حزب الله مواقع في حلب.", ["حزب الله"], ["حلب"]))
    assert names(only(doc).attrs["source"]) == ["Hezbollah"]
    doc = stage(make_doc("وأدت ضربة جوية أميركية إلى تدمير منزلين في حلب.", places=["حلب"]))
    assert only(doc).attrs["source"][0]["actor_code"] == "USAMIL"


def test_the_genitive_of_a_transitive_verbal_noun_is_its_target(stage: EventsStage) -> None:
    doc = stage(make_doc("وتستند الخطة إلى استهداف قوات النظام في حلب.", ["قوات النظام"], ["حلب"]))
    a = only(doc).attrs
    assert "Syrian government forces" not in names(a["source"])
    assert names(a["target"]) == ["Syrian government forces"]
    doc = stage(make_doc("أدى هجوم داعش إلى مقتل عشرة في حلب.", ["داعش"], ["حلب"]))
    assert names(only(doc, "190").attrs["source"]) == ["Islamic State (ISIS)"]


def test_relative_clause_subject_and_counted_victims(stage: EventsStage) -> None:
    doc = stage(make_doc("واستخدمت الشرطة الغاز ضد المتظاهرين الذين كانوا يهتفون في حلب.", places=["حلب"]))
    chant = [e for e in events(doc) if e.attrs["trigger_text"] == "يهتفون"][0]
    assert chant.attrs["source"][0]["name_en"] == "protesters" and chant.attrs["source_rule"] == "relative-antecedent"
    doc = stage(make_doc("وقال المرصد إن الجيش نجح في قتل العشرات من المسلحين في حلب.", ["المرصد", "الجيش"], ["حلب"]))
    killing = only(doc).attrs
    assert names(killing["source"]) == ["Syrian government forces"] and names(killing["target"]) == ["gunmen"]


def test_coordinated_clauses_and_control_claims_per_day(stage: EventsStage) -> None:
    text = ('قوات النظام تسيطر على معظم البوكمال و"داعش" يتقهقر\n'
            'سيطرت قوات النظام امس على معظم مدينة البوكمال. وكان داعش استعاد البوكمال الخميس.')
    doc = stage(make_doc(text, ["قوات النظام", "داعش"], ["البوكمال"], {"امس": "2017-11-18", "الخميس": "2017-11-16"}))
    retreat = [e for e in events(doc) if e.attrs["cameo"] == "0874"][0]
    assert names(retreat.attrs["source"]) == ["Islamic State (ISIS)"]
    claims = [(c.attrs["actor"]["name_en"], c.attrs["date"]) for c in doc.layer("control")]
    # the headline's claim merges into the body's; each actor's claims stay apart by day (a timeline)
    assert ("Syrian government forces", "2017-11-18") in claims and ("Islamic State (ISIS)", "2017-11-16") in claims
    assert len([c for c in claims if c[0] == "Syrian government forces"]) == 1


def test_word_kinds_mark_every_form_a_look_up_can_fire_on() -> None:
    """The readers visit only the words of their kind (SentenceView.where): every lexicon form they look up must
    carry its bit, with a conjunction left on where the readers strip one."""
    from marsad.events.view import ATTRIBUTION, MARKER, PARTICIPANT, QUANTITY, SPEECH, TRIGGER, word_kinds

    lx = default_lexicon()
    kinds = word_kinds(lx)
    for form in list(lx.single)[::7] + list(lx.multi):
        if lx.single.get(form) or lx.multi.get(form):
            assert kinds[form] & TRIGGER, form
            if lx.single.get(form) and len(form) > 2:
                assert kinds["و" + form] & TRIGGER, form
    for form in list(lx.numbers) + list(lx.vague):
        assert kinds[form] & QUANTITY, form
    for form in lx.speech_verbs:
        assert kinds[form] & SPEECH and (len(form) < 3 or kinds["ف" + form] & SPEECH), form
    for form in lx.participles:
        assert kinds[form] & SPEECH, form
    for form in lx.clause_markers:
        assert kinds[form] & MARKER, form
    for form in lx.participants:
        assert kinds[form] & PARTICIPANT, form
    for form in lx.attribution:
        assert kinds[form] & ATTRIBUTION, form
    assert kinds["الطاولة"] == 0


@pytest.mark.parametrize("value, precision", [
    ("2017-11-18", "day"), ("2017-11-18T20:00", "time"), ("2017-11", "month"), ("2017-W46", "week"), ("2017-SU", "season"), ("2017", "year"),
    ("2017-Q1", "quarter"), ("2017-H2", "half"), ("PAST_REF", "vague"), (["2017-11-16", "2017-11-18"], "range"),
])
def test_date_precision_names_each_kind_of_times_value(value, precision) -> None:
    from marsad.events.extract import _date_precision
    assert _date_precision(value, []) == precision


def test_a_clock_time_of_no_day_dates_no_event(stage: EventsStage) -> None:
    text = "اقتحم الجيش البوكمال الخميس. وقصفت قوات النظام المدينة عند الساعة العاشرة صباحا."
    doc = stage(make_doc(text, ["الجيش", "قوات النظام"], ["البوكمال"],
                         {"الخميس": "2017-11-16", "الساعة العاشرة صباحا": "XXXX-XX-XXT10:00"}))
    shelling = only(doc, "194").attrs
    assert shelling["date"] == "2017-11-16" and shelling["date_source"] == "previous-event"
