"""Source actors of events coded the way CAMEO coders code them (issue 8): actor-code conventions of the actor
table, generic agents with their CAMEO sector, nationality carried into the code, and the noun phrase chosen as
the source. Entities are built by hand (as in test_events.py) so these tests hold whatever the tagger does."""
from __future__ import annotations

from typing import Any

import pytest

from marsad.document import Document, Provenance, Span
from marsad.entities.actors import default_actor_table
from marsad.eval.scorers import split_code
from marsad.pipeline import Pipeline
from marsad.stages.events import EventsStage

_TEXT = None


def _text_layer() -> Pipeline:
    global _TEXT
    if _TEXT is None:
        _TEXT = Pipeline.from_names(["clean", "sentences", "tokens"])
    return _TEXT


def make_doc(text: str, entities: dict[str, dict[str, Any]] | None = None) -> Document:
    doc = _text_layer()(Document(text=text, published="2008-01-10"))
    prov = Provenance("test")
    spans = []
    for phrase, attrs in (entities or {}).items():
        start = text.find(phrase)
        while start >= 0:
            label = attrs.get("label", "ORG")
            spans.append(Span(start, start + len(phrase), label, {k: v for k, v in attrs.items() if k != "label"}, prov))
            start = text.find(phrase, start + 1)
    spans.sort(key=lambda s: s.start)
    doc.set_layer("entities", spans)
    doc.set_layer("places", [])
    doc.set_layer("times", [])
    return doc


@pytest.fixture(scope="module")
def stage() -> EventsStage:
    return EventsStage()


def source_codes(doc: Document, plover: str) -> list[tuple[str | None, str | None]]:
    """(country, sector) of every source of every event of the category, as the GSR scorer reads them."""
    return [split_code(s["actor_code"]) for e in doc.layer("events") if e.attrs.get("plover") == plover
            for s in e.attrs.get("source") or [] if s.get("actor_code")]


TALIBAN = {"name_en": "Taliban", "actor_code": "IMGREB", "kind": "armed group", "actor_id": "taliban"}


# --- actor-code conventions ---------------------------------------------------------------------------------
def test_taliban_is_a_transnational_militant_group_not_a_state_sector() -> None:
    """CAMEO (and UniversalPetrarch's undated entry, طالبان [IMGREB]) code the Taliban as an international
    militarised group in rebellion, not as a sector of the Afghan state."""
    taliban = default_actor_table().by_id["taliban"]
    assert split_code(taliban.actor_code) == ("IMG", "REB")


# --- generic agents with their CAMEO sector ------------------------------------------------------------------
@pytest.mark.parametrize("text, entities, expected", [
    # fighters, terrorists, officers: CAMEO agents (UniversalPetrarch مقاتل/إرهابي → ~UAF, ضابط → ~MIL)
    ("وأفاد مصدر بأن عسكريين خطفهم مقاتلو الطوارق في شمال البلاد.", {}, (None, "UAF")),
    ("وأكدت انه تم اغتصابها من قبل عدة ضباط عراقيين.", {}, ("IRQ", "MIL")),
    # an unresolved descriptor (no group named in the article) is still an armed actor of no named side
    ("وقتل الارهابيون ثلاثة رهائن.", {"الارهابيون": {"label": "AGENT", "name_en": "the jihadist group",
                                                      "kind": "armed group"}}, (None, "UAF")),
    # weapons carrying a nationality stand for that state's armed forces
    ("وفي بلدة بيت حانون اطلقت دبابة إسرائيلية قذيفة على تجمع للمواطنين.", {}, ("ISR", "MIL")),
    ("وخلال تنقلهم في سيارة اصاب صاروخ اسرائيلي السيارة وقتلهم جميعا.", {}, ("ISR", "MIL")),
])
def test_generic_agents_carry_their_cameo_sector(stage: EventsStage, text: str, entities, expected) -> None:
    doc = stage(make_doc(text, entities))
    assert expected in source_codes(doc, "ASSAULT"), [(e.attrs["trigger_text"], e.attrs["source"]) for e in doc.layer("events")]


def test_a_weapon_without_nationality_is_no_actor(stage: EventsStage) -> None:
    doc = stage(make_doc("واطلقت دبابة قذيفة على المنزل."))
    assert ("None", "MIL") not in source_codes(doc, "ASSAULT")
    assert all(s.get("name_en") != "armed forces" for e in doc.layer("events") for s in e.attrs.get("source") or [])


def test_an_instrument_after_a_killing_verb_is_its_agent_not_its_victim(stage: EventsStage) -> None:
    doc = stage(make_doc("وقتل امس صاروخ اسرائيلي ثلاثة فلسطينيين في غزة."))
    assert ("ISR", "MIL") in source_codes(doc, "ASSAULT")


# --- nationality carried into the code -------------------------------------------------------------------------
@pytest.mark.parametrize("text, expected", [
    ("وخطف مسلحون صوماليون اربعة اوروبيين يعملون في مجال المساعدات.", ("SOM", "UAF")),
    ("وتظاهر طلاب نيباليون امام البرلمان.", ("NPL", "EDU")),
])
def test_nationality_after_a_generic_agent_gives_its_country(stage: EventsStage, text: str, expected) -> None:
    doc = stage(make_doc(text))
    assert expected in source_codes(doc, "ASSAULT") + source_codes(doc, "PROTEST")


# --- the noun phrase chosen as the source ----------------------------------------------------------------------
SYR_ARMY = {"label": "AGENT", "name_en": "Pakistani army", "actor_code": "PAKMIL", "kind": "state military"}


@pytest.mark.parametrize("text, entities, expected", [
    # a perpetration verb whose pronoun resumes the nominal event names its agent
    ("وقتل اول من امس 4 جنود إثيوبيين في هجوم شنه مسلحون صوماليون مجهولون على ثكنة.", {}, ("SOM", "UAF")),
    ("وتأتي الهجمات بعد ضربة جوية نفذها الجيش الباكستاني على قاعدة للمتشددين.",
     {"الجيش الباكستاني": SYR_ARMY}, ("PAK", "MIL")),
    ("وقتل ستة مدنيين في هجوم انتحاري بسيارة مفخخة استهدف موكبا لقوات اجنبية وتبنته حركة طالبان.",
     {"طالبان": TALIBAN}, ("IMG", "REB")),
    # a claim of responsibility before the event
    ("وتبنت حركة طالبان أمس مسؤوليتها عن الهجوم الذي أودى بحياة سبعة أشخاص.", {"طالبان": TALIBAN}, ("IMG", "REB")),
    # a passive attribution after it
    ("وتعرضت قاعدة تابعة للجيش الى هجوم، نسب الى حركة طالبان.",
     {"الجيش": {"label": "AGENT", "name_en": "the army", "actor_code": "MIL", "kind": "state military"},
      "طالبان": TALIBAN}, ("IMG", "REB")),
    # whose fire killed
    ("قتل أحد عناصر الشرطة بنيران مسلحين مجهولين وسط المدينة.", {}, (None, "UAF")),
    # a generic agent of a named group is that group
    ("قالت الشرطة إن مهاجما انتحاريا من حركة طالبان، فجر حافلة في العاصمة أمس.", {"طالبان": TALIBAN}, ("IMG", "REB")),
    # the subject of a reporting verb reports the verbal noun; its agentive genitive does it
    ("أعلنت الشرطة مقتل سبعة أشخاص بتفجير انتحاري بواسطة شاحنة مفخخة.",
     {"الشرطة": {"label": "AGENT", "name_en": "the police", "actor_code": "COP", "kind": "police"}}, (None, "UAF")),
])
def test_the_source_is_the_noun_phrase_that_did_it(stage: EventsStage, text: str, entities, expected) -> None:
    doc = stage(make_doc(text, entities))
    assert expected in source_codes(doc, "ASSAULT"), [(e.attrs["trigger_text"], e.attrs["source_rule"], e.attrs["source"])
                                                      for e in doc.layer("events")]


def test_fire_of_a_killing_is_not_the_agent_of_a_clash_beside_it(stage: EventsStage) -> None:
    """"مواجهات بين الشرطة والمتظاهرين … على مقتل فتى برصاص الشرطة": the police shot the boy; the clash is a riot."""
    doc = stage(make_doc("مواجهات جديدة بين الشرطة والمتظاهرين المحتجين على مقتل فتى برصاص الشرطة قبل أسبوعين.",
                         {"الشرطة": {"label": "AGENT", "name_en": "the police", "actor_code": "COP", "kind": "police"}}))
    clash = [e for e in doc.layer("events") if e.attrs["trigger_text"] == "مواجهات"]
    assert clash and all(s.get("name_en") != "the police" for s in clash[0].attrs["source"] or [])


def test_a_responding_subject_is_still_the_agent_of_its_verbal_noun(stage: EventsStage) -> None:
    """Only reporting verbs hand the verbal noun to its genitive: "رد الأميركيون عبر تشجيع السعودية" is the US's."""
    doc = stage(make_doc("رد الأميركيون عبر تشجيع السعودية على عقد اجتماع للمعارضة.",
                         {"الأميركيون": {"label": "AGENT", "name_en": "United States", "actor_code": "USA", "kind": "state"},
                          "السعودية": {"label": "LOC", "name_en": "Saudi Arabia", "actor_code": "SAU", "kind": "country"}}))
    ev = [e for e in doc.layer("events") if e.attrs["trigger_text"] == "تشجيع"]
    assert ev and [s["name_en"] for s in ev[0].attrs["source"]] == ["United States"]


@pytest.mark.parametrize("text, entities, expected, plover", [
    # a relative clause after "X و Y" has the named X among its subjects
    ("واستخدمت الشرطة الغاز المسيل للدموع لفض مئات من المتظاهرين ورماة الحجارة، الذين كانوا يهتفون «نريد الحرية».",
     {"الشرطة": {"label": "AGENT", "name_en": "the police", "actor_code": "COP", "kind": "police"}}, (None, "CVL"), "PROTEST"),
    # forces or weapons with a pronoun are the possessor's
    ("قال الجيش التركي في بيان نشر على موقعه امس ان طائراته قصفت مجموعة من المتمردين الاكراد في شمال العراق.",
     {"الجيش التركي": {"label": "AGENT", "name_en": "Turkish armed forces", "actor_code": "TURMIL", "kind": "state military"},
      "المتمردين": {"label": "AGENT", "name_en": "rebels", "actor_code": "REB", "kind": "armed groups"}}, ("TUR", "MIL"), "ASSAULT"),
    # SVO: a subject opening the clause right before the verb; the counted group after it is the object
    ("إسرائيل تغتال 5 من جيش الإسلام في غزة.",
     {"إسرائيل": {"label": "LOC", "name_en": "Israel", "actor_code": "ISR", "kind": "country"},
      "جيش الإسلام": {"name_en": "Jaysh al-Islam", "actor_code": "SYRREBMUS", "kind": "armed group"}}, ("ISR", None), "ASSAULT"),
])
def test_subjects_the_clause_structure_names(stage: EventsStage, text: str, entities, expected, plover) -> None:
    doc = stage(make_doc(text, entities))
    assert expected in source_codes(doc, plover), [(e.attrs["trigger_text"], e.attrs["source_rule"], e.attrs["source"])
                                                   for e in doc.layer("events")]


def test_a_verb_subject_after_counts_still_wins_without_a_clause_opening_subject(stage: EventsStage) -> None:
    """VSO with a count before the subject ("تجمع نحو مئة متظاهر") is untouched by the SVO rule."""
    doc = stage(make_doc("وفي المدينة تجمع نحو مئة متظاهر امام البرلمان."))
    assert (None, "CVL") in source_codes(doc, "PROTEST")


GERMANY = {"label": "LOC", "name_en": "Germany", "actor_code": "DEU", "kind": "country", "country": "DE"}


@pytest.mark.parametrize("text, entities, expected", [
    # people from a country are its nationals
    ("وتجمع المتظاهرون من فلسطينيين ودعاة سلام اجانب في قرية بلعين.", {}, ("PSE", "CVL")),
    ("وتجمع المتظاهرون من المانيا امام مقر المجلس.", {"المانيا": GERMANY}, ("DEU", "CVL")),
    # the nationality of a group's genitive is the group's
    ("الى ذلك، تظاهر مئات من طلبة المدارس العراقية، أمس، وسط حي العامرية.", {}, ("IRQ", "EDU")),
    # nationals counted as people
    ("وكان الآلاف من النيباليين قد خرجوا في مسيرات في العاصمة.", {}, ("NPL", None)),
])
def test_nationality_of_protesting_people(stage: EventsStage, text: str, entities, expected) -> None:
    doc = stage(make_doc(text, entities))
    assert expected in source_codes(doc, "PROTEST"), [(e.attrs["trigger_text"], e.attrs["source_rule"], e.attrs["source"])
                                                      for e in doc.layer("events")]


def test_counted_nationals_after_a_killing_are_its_victims(stage: EventsStage) -> None:
    doc = stage(make_doc("وقتل امس العشرات من الفلسطينيين في غارات على غزة."))
    assert ("PSE", None) not in source_codes(doc, "ASSAULT")


def test_a_sector_noun_takes_the_country_of_a_nationality_the_entities_stage_does_not_list(stage: EventsStage) -> None:
    """"الحكومة الصومالية": the entities stage tags الحكومة (GOV) alone; the adjective completes the code."""
    doc = stage(make_doc("ونظمت الحكومة الصومالية أمس مظاهرة حاشدة تأييدا للقرار.",
                         {"الحكومة": {"label": "AGENT", "name_en": "the government", "actor_code": "GOV",
                                      "kind": "government"}}))
    assert ("SOM", "GOV") in source_codes(doc, "PROTEST"), [(e.attrs["trigger_text"], e.attrs["source"])
                                                           for e in doc.layer("events")]


def test_anti_government_people_are_the_opposition(stage: EventsStage) -> None:
    """"المتظاهرين المعارضين": UniversalPetrarch's agents code anti-government activists and students ~OPP."""
    doc = stage(make_doc("وأقدم حوالي 60 شخصا من المتظاهرين المعارضين على الدخول في طريق فرعية وعمدوا الى رشق المارة بالحجارة."))
    codes = source_codes(doc, "PROTEST") + source_codes(doc, "ASSAULT")
    assert (None, "OPP") in codes and (None, "CVL") not in codes, codes


def test_country_codes_are_current_iso_alpha3_as_cameo_uses() -> None:
    """CLDR's aliases also list withdrawn alpha-3 codes (FXX metropolitan France, ZAR, TMP); CAMEO codes France FRA."""
    table = default_actor_table()
    assert table.by_id["country-fr"].actor_code == "FRA"
    withdrawn = {"FXX", "ZAR", "TMP", "DDR", "YMD", "BUR", "YUG", "SCG", "CSK", "SUN"}
    assert not [a.id for a in table.actors if a.actor_code[:3] in withdrawn]


def test_the_countries_protesters_come_from_are_not_actors_of_their_own(stage: EventsStage) -> None:
    doc = stage(make_doc("وجاء المتظاهرون من المانيا وسويسرا وفرنسا مطالبين اللجنة بنشر تقريرها.",
                         {"المانيا": GERMANY,
                          "سويسرا": {"label": "LOC", "name_en": "Switzerland", "actor_code": "CHE", "kind": "country"},
                          "فرنسا": {"label": "LOC", "name_en": "France", "actor_code": "FRA", "kind": "country"}}))
    codes = source_codes(doc, "PROTEST")
    assert ("DEU", "CVL") in codes and ("FRA", None) not in codes, codes


@pytest.mark.parametrize("text, expected, plover", [
    # the origin may follow a participle of coming and be named by a country's adjective
    ("تجمع آلاف المتظاهرين القادمين من ولايات أميركية متباعدة بالقرب من مبنى الوزارة.", ("USA", "CVL"), "PROTEST"),
    # "وحدة" that the tokeniser splits as و + حدة is still a unit when a nationality follows
    ("قالت مصادر فلسطينية إن وحدة اسرائيلية خاصة اغتالت امس ناشطا في بلدة قباطية.", ("ISR", "MIL"), "ASSAULT"),
])
def test_origin_and_unit_forms(stage: EventsStage, text: str, expected, plover) -> None:
    doc = stage(make_doc(text))
    assert expected in source_codes(doc, plover), [(e.attrs["trigger_text"], e.attrs["source_rule"], e.attrs["source"])
                                                   for e in doc.layer("events")]


def test_a_plane_with_a_nationality_is_no_military_actor(stage: EventsStage) -> None:
    """"طائرة روسية" is as often an airliner (UniversalPetrarch: طائرة → ~CVL): it names no armed forces."""
    doc = stage(make_doc("ورجح المحققون أن يكون انفجار قنبلة وراء سقوط طائرة روسية فوق سيناء."))
    assert all(s.get("actor_code") != "RUSMIL" for e in doc.layer("events") for s in e.attrs.get("source") or [])


def test_a_counted_group_before_the_killings_object_count_is_the_killer(stage: EventsStage) -> None:
    """"قتل أربعة انتحاريين بريطانيين 52 شخصا": the second count is the object; the bombers killed."""
    doc = stage(make_doc("وفي عام 2005 قتل أربعة انتحاريين بريطانيين اسلاميين 52 شخصا في لندن."))
    shown = [(e.attrs["trigger_text"], e.attrs["source"], e.attrs["target"]) for e in doc.layer("events")]
    assert ("GBR", "UAF") in source_codes(doc, "ASSAULT"), shown
    assert all(t.get("name_en") != "suicide bombers" for e in doc.layer("events") for t in e.attrs["target"] or []), shown
    doc = stage(make_doc("وقتل امس خمسة مسلحين في اشتباكات مع الجيش."))
    killing = [e for e in doc.layer("events") if e.attrs["trigger_text"] == "قتل"]
    assert not killing or all(s.get("name_en") != "gunmen" for s in killing[0].attrs["source"] or [])


def test_people_of_a_named_group_keep_acting_as_the_people_they_are(stage: EventsStage) -> None:
    """"حاصر متظاهرون من انصار «حزب الله» المطار": the source is the group, the blockade still a protest (144)."""
    doc = stage(make_doc("وحاصر متظاهرون من انصار «حزب الله» مطار بيروت وشوارع العاصمة.",
                         {"حزب الله": {"name_en": "Hezbollah", "actor_code": "LBNREB", "kind": "armed group"}}))
    ev = [e for e in doc.layer("events") if e.attrs["trigger_text"] == "حاصر"]
    assert ev and ev[0].attrs["plover"] == "PROTEST", [(e.attrs["trigger_text"], e.attrs["plover"]) for e in doc.layer("events")]
    assert [s["name_en"] for s in ev[0].attrs["source"]] == ["Hezbollah"]


def test_a_preposition_left_on_a_verbal_noun_is_split_off(stage: EventsStage) -> None:
    """"مع قيام عدد من شبان العشائر بإقفال طريق": the tokeniser may keep بإقفال whole; the noun is still a
    trigger and its ب still ties it to the agent of قيام."""
    doc = stage(make_doc("وانطلقت التحركات مع قيام عدد من شبان العشائر العربية بإقفال طريق البقاع الغربي."))
    ev = [e for e in doc.layer("events") if e.attrs["cameo"].startswith("144")]
    assert ev and ev[0].attrs["source_rule"] == "support-verb" and (None, "CVL") in source_codes(doc, "PROTEST"), \
        [(e.attrs["trigger_text"], e.attrs["cameo"], e.attrs["source_rule"], e.attrs["source"]) for e in doc.layer("events")]
