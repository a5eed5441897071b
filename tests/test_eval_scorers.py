"""Scorers on small hand-made gold/prediction pairs whose right scores are worked out by hand."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from marsad.document import Document, Span
from marsad.eval.gold import read_article, read_event_sentences, read_ner, read_time_sentences, read_timeml
from marsad.eval.runner import Report, check_floors
from marsad.eval.scorers import (
    score_article, score_event_sentence, score_ner_sentence, score_time_sentence, score_timeml, split_code,
)

TEXT = (
    "دمشق- قال فلاديمير بوتين في موسكو إن روسيا ستدعم الحكومة السورية.\n"
    "وسيطرت قوات النظام السوري امس على مدينة البوكمال بعد هجوم على تنظيم داعش.\n"
    "وقال المرصد السوري لحقوق الانسان \"إن القوات تتقدم ببطء\" يوم الجمعة.\n"
)


def article(tmp_path: Path, gold: dict, text: str = TEXT, name: str = "a"):
    (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / f"{name}.expected.json").write_text(json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    return read_article(tmp_path / f"{name}.expected.json")


def span(text: str, phrase: str, label: str, nth: int = 0, **attrs) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return Span(start, start + len(phrase), label, attrs)


def doc_with(text: str = TEXT, **layers: list[Span]) -> Document:
    doc = Document(text=text)
    for name, spans in layers.items():
        doc.set_layer(name, spans)
    return doc


# --- entities -------------------------------------------------------------------------------------------
ENTITY_GOLD = {
    "people": [{"text": "فلاديمير بوتين", "name_en": "Vladimir Putin"}],
    "organisations": [
        {"text": "المرصد السوري لحقوق الانسان", "name_en": "Syrian Observatory for Human Rights"},
        {"text": "داعش", "name_en": "Islamic State (ISIS)"},
    ],
    "places": [{"text": "موسكو", "name_en": "Moscow", "country": "RU", "lat": 55.75222, "lon": 37.61556}],
}


def test_entities_partial_span_is_lenient_not_strict(tmp_path):
    gold = article(tmp_path, ENTITY_GOLD)
    doc = doc_with(entities=[
        span(TEXT, "بوتين", "PERSON", name_en="Putin"),  # part of the gold name: lenient only
        span(TEXT, "موسكو", "LOC", name_en="Moscow"),
        span(TEXT, "داعش", "ORG", name_en="Islamic State (ISIS)"),
        span(TEXT, "الحكومة السورية", "ORG", name_en="Syrian government"),  # not in gold: a false alarm
    ])
    r = score_article(gold, doc)["entities"]
    strict, lenient = r.metrics["strict"], r.metrics["lenient"]
    # gold forms: بوتين-full, المرصد…, داعش, موسكو = 4; produced distinct forms = 4
    assert (strict.gold_found, strict.gold, strict.produced_right, strict.produced) == (2, 4, 2, 4)
    assert strict.f1 == pytest.approx(0.5)
    assert (lenient.gold_found, lenient.produced_right) == (3, 3)
    assert lenient.f1 == pytest.approx(0.75)
    assert r.metrics["strict/PERSON"].recall == 0.0
    assert r.metrics["lenient/PERSON"].recall == 1.0
    # named: 3 people/organisation forms, only داعش found with its name
    assert (r.metrics["named"].hits, r.metrics["named"].total) == (1, 3)
    kinds = sorted(m.kind for m in r.mismatches)
    assert kinds == ["false alarm", "false alarm", "missed", "missed"]
    missed = next(m for m in r.mismatches if m.expected == "PERSON فلاديمير بوتين")
    assert "بوتين (PERSON)" in missed.got and missed.sentence.startswith("دمشق- قال فلاديمير")


def test_entities_unlisted_short_form_resolved_to_a_gold_actor_is_right(tmp_path):
    text = "قال فلاديمير بوتين إن روسيا مستعدة. واضاف بوتين ان الحوار مستمر مع كيري."
    gold = article(tmp_path, {"people": [{"text": "فلاديمير بوتين", "name_en": "Vladimir Putin"}]}, text=text)
    doc = doc_with(text, entities=[
        span(text, "فلاديمير بوتين", "PERSON", name_en="Vladimir Putin"),
        span(text, "بوتين", "PERSON", nth=1, name_en="Vladimir Putin"),  # short form, right actor
        span(text, "كيري", "PERSON", name_en="John Kerry"),  # not in the gold: a false alarm
    ])
    strict = score_article(gold, doc)["entities"].metrics["strict"]
    assert (strict.gold_found, strict.gold, strict.produced_right, strict.produced) == (1, 1, 2, 3)


def test_entities_clitic_prefixed_mention_is_strict_match(tmp_path):
    text = "وصلت القوات الى البوكمال ثم غادرت والبوكمال هادئة."
    gold = article(tmp_path, {"places": [{"text": "البوكمال", "country": "SY"}]}, text=text)
    # the tagger marks the second mention without its conjunction
    doc = doc_with(text, entities=[span(text, "البوكمال", "LOC", nth=1)])
    assert score_article(gold, doc)["entities"].metrics["strict"].f1 == 1.0


def test_entities_empty_prediction_and_absent_layer(tmp_path):
    gold = article(tmp_path, ENTITY_GOLD)
    empty = score_article(gold, doc_with(entities=[]))["entities"]
    assert empty.produced and empty.value() == 0.0 and empty.metrics["strict"].recall == 0.0
    absent = score_article(gold, doc_with())["entities"]
    assert not absent.produced and absent.value() == 0.0
    assert absent.to_dict()["status"] == "not produced"


def test_entities_empty_gold_counts_false_alarms(tmp_path):
    gold = article(tmp_path, {"people": []})
    r = score_article(gold, doc_with(entities=[span(TEXT, "بوتين", "PERSON")]))["entities"]
    assert r.metrics["strict"].precision == 0.0 and r.metrics["strict"].recall is None
    nothing = score_article(gold, doc_with(entities=[]))["entities"]
    assert nothing.metrics["strict"].f1 is None and nothing.mismatches == []


def test_place_tagged_as_person_is_reported(tmp_path):
    gold = article(tmp_path, ENTITY_GOLD)
    r = score_article(gold, doc_with(entities=[span(TEXT, "موسكو", "PERSON")]))["entities"]
    assert r.metrics["no_place_as_person"].value == 0.0
    assert any(m.kind == "place tagged as person" for m in r.mismatches)


# --- places ---------------------------------------------------------------------------------------------
PLACE_GOLD = {
    "dateline": "دمشق",
    "places": [
        {"text": "البوكمال", "name_en": "Abu Kamal", "geonameid": 174448, "country": "SY", "admin1": "SY.07",
         "lat": 34.45226, "lon": 40.91854},
        {"text": "موسكو", "name_en": "Moscow", "country": "RU", "lat": 55.75222, "lon": 37.61556},
        {"text": "روسيا", "name_en": "Russia", "country": "RU"},
        {"text": "دمشق", "name_en": "Damascus", "country": "SY", "lat": 33.5102, "lon": 36.29128},
    ],
}


def test_places_id_distance_country_admin1(tmp_path):
    gold = article(tmp_path, PLACE_GOLD)
    doc = doc_with(places=[
        span(TEXT, "البوكمال", "PLACE", geonameid=174448, country="SY", admin1="SY.07"),  # same id
        span(TEXT, "موسكو", "PLACE", lat=55.9, lon=37.8, country="RU"),  # ≈ 20 km off: within 25 km
        span(TEXT, "روسيا", "PLACE", country="RU"),  # a country: the right country is enough
        span(TEXT, "دمشق", "PLACE", lat=33.9, lon=36.29, country="SY"),  # ≈ 43 km off; dateline role missing
        span(TEXT, "الحكومة", "PLACE"),  # not a place of the gold
    ])
    r = score_article(gold, doc)["places"]
    assert (r.metrics["resolved"].hits, r.metrics["resolved"].total) == (3, 4)
    assert r.metrics["country"].value == 1.0
    assert (r.metrics["admin1"].hits, r.metrics["admin1"].total) == (1, 1)
    assert (r.metrics["found"].gold_found, r.metrics["found"].produced_right, r.metrics["found"].produced) == (4, 4, 5)
    assert r.metrics["dateline_role"].value == 0.0
    wrong = next(m for m in r.mismatches if m.kind == "wrong place")
    assert "Damascus" in wrong.expected and "km away" in wrong.detail


def test_places_every_mention_must_be_right(tmp_path):
    text = "قصفت الطائرات البوكمال. ثم عادت الى البوكمال."
    gold = article(tmp_path, {"places": [{"text": "البوكمال", "geonameid": 174448, "lat": 34.45, "lon": 40.92}]}, text=text)
    doc = doc_with(text, places=[span(text, "البوكمال", "PLACE", geonameid=174448),
                                 span(text, "البوكمال", "PLACE", nth=1, geonameid=1, lat=10.0, lon=10.0)])
    assert score_article(gold, doc)["places"].metrics["resolved"].value == 0.0


# --- times ----------------------------------------------------------------------------------------------
def test_times_values_lists_and_nested_gold_strings(tmp_path):
    text = "التقيا الخميس والجمعة، ثم ردت الجمعة بقولها، وكان ذلك امس."
    gold = article(tmp_path, {"published": "2017-11-19", "times": [
        {"text": "الخميس والجمعة", "value": ["2017-11-16", "2017-11-17"]},
        {"text": "الجمعة", "value": "2017-11-17"},  # the bare one, not the one inside the pair
        {"text": "امس", "value": "2017-11-18"},
    ]}, text=text)
    doc = doc_with(text, times=[
        span(text, "الخميس والجمعة", "TIMEX", value=["2017-11-16", "2017-11-17"]),
        span(text, "الجمعة", "TIMEX", nth=1, value=["2017-11-17"]),  # one-item list equals the string
        span(text, "امس", "TIMEX", value="2017-11-19"),  # wrong value
    ])
    r = score_article(gold, doc)["times"]
    assert (r.metrics["value"].hits, r.metrics["value"].total) == (2, 3)
    assert r.metrics["found"].f1 == 1.0 and r.metrics["exact_span"].value == 1.0
    assert [m.kind for m in r.mismatches] == ["wrong value"]


def test_times_bare_weekday_inside_pair_does_not_count(tmp_path):
    text = "التقيا الخميس والجمعة، ثم ردت الجمعة بقولها."
    gold = article(tmp_path, {"times": [{"text": "الخميس والجمعة", "value": ["2017-11-16", "2017-11-17"]},
                                        {"text": "الجمعة", "value": "2017-11-17"}]}, text=text)
    # only the pair is tagged, and it carries the weekday's value too: the bare الجمعة is still missed
    doc = doc_with(text, times=[span(text, "الخميس والجمعة", "TIMEX", value="2017-11-17")])
    r = score_article(gold, doc)["times"]
    assert r.metrics["found"].gold_found == 1 and r.metrics["value"].hits == 0


# --- events, quotes, control ----------------------------------------------------------------------------
EVENT_GOLD = {
    "places": [{"text": "البوكمال", "name_en": "Abu Kamal", "geonameid": 174448, "lat": 34.45226, "lon": 40.91854}],
    "events": [
        {"sentence_starts": "وسيطرت قوات النظام", "cameo": ["192"], "plover": ["COERCE"],
         "source_actor": "Syrian government forces", "target_actor": "Islamic State (ISIS)", "place": "Abu Kamal",
         "date": "2017-11-18", "reported_by": "Syrian Observatory for Human Rights", "modality": "reported"},
        {"sentence_starts": "دمشق- قال", "cameo": ["010"], "plover": [None], "source_actor": "Vladimir Putin"},
    ],
}


def test_events_found_by_category_place_date_and_attributes(tmp_path):
    gold = article(tmp_path, EVENT_GOLD)
    doc = doc_with(events=[
        span(TEXT, "وسيطرت", "EVENT", cameo="190", plover="COERCE", date="2017-11-18",
             place={"name_en": "Albu Kamal", "geonameid": 174448},  # other spelling, same id
             source=[{"name_en": "Syrian government forces"}], target="Islamic State (ISIS)",
             reported_by="Syrian Observatory for Human Rights", modality="claimed"),
        span(TEXT, "قال", "EVENT", cameo="012", plover=None, source="Vladimir Putin"),  # CAMEO 01 root
        # labelled by its PLOVER category rather than EVENT: still an event
        span(TEXT, "هجوم", "ASSAULT", cameo="190", plover="ASSAULT", date="2017-11-18"),  # no such gold event
    ])
    r = score_article(gold, doc)["events"]
    assert (r.metrics["found"].hits, r.metrics["found"].total) == (2, 2)
    assert (r.metrics["precision"].hits, r.metrics["precision"].total) == (2, 3)
    assert r.metrics["source"].value == 1.0 and r.metrics["target"].value == 1.0
    assert r.metrics["reported_by"].value == 1.0
    assert r.metrics["modality"].value == 0.0
    assert {m.kind for m in r.mismatches} == {"wrong modality", "false alarm"}


def test_events_arguments_given_as_references_to_other_layers(tmp_path):
    gold = article(tmp_path, EVENT_GOLD)
    place = span(TEXT, "البوكمال", "PLACE", geonameid=174448, name_en="Abu Kamal")
    timex = span(TEXT, "امس", "TIMEX", value="2017-11-18")
    actor = span(TEXT, "قوات النظام السوري", "ORG", name_en="Syrian government forces")
    ref = lambda s: {"start": s.start, "end": s.end}  # noqa: E731
    doc = doc_with(places=[place], times=[timex], entities=[actor], events=[
        span(TEXT, "وسيطرت", "EVENT", plover="COERCE", place=ref(place), date=ref(timex), source=[ref(actor)])])
    r = score_article(gold, doc)["events"]
    assert r.metrics["found"].hits == 1 and r.metrics["source"].value == 1.0


def test_events_matched_in_their_own_sentence_first(tmp_path):
    gold = article(tmp_path, {"events": [
        {"sentence_starts": "دمشق- قال", "plover": ["ACCUSE"], "source_actor": "Vladimir Putin"},
        {"sentence_starts": "وقال المرصد", "plover": ["ACCUSE"], "source_actor": "Syrian Observatory for Human Rights"},
    ]})
    # one accusation produced, in the second sentence: it belongs to the second gold event, not the first listed
    doc = doc_with(sentences=[span(TEXT, TEXT.split("\n")[i], "SENT") for i in range(3)],
                   events=[span(TEXT, "وقال", "EVENT", plover="ACCUSE", source="Syrian Observatory for Human Rights")])
    r = score_article(gold, doc)["events"]
    assert (r.metrics["found"].hits, r.metrics["found"].total) == (1, 2)
    assert r.metrics["source"].value == 1.0
    (missed,) = [m for m in r.mismatches if m.kind == "missed"]
    assert missed.sentence.startswith("دمشق- قال")


def test_events_wrong_date_or_place_is_not_found(tmp_path):
    gold = article(tmp_path, EVENT_GOLD)
    doc = doc_with(events=[
        span(TEXT, "وسيطرت", "EVENT", plover="COERCE", date="2017-11-17", place="Abu Kamal"),
        span(TEXT, "قال", "EVENT", cameo="036", plover="AGREE"),  # 03 is not a root that matches 010
    ])
    r = score_article(gold, doc)["events"]
    assert r.metrics["found"].hits == 0 and r.metrics["precision"].hits == 0
    missed = [m for m in r.mismatches if m.kind == "missed"]
    assert len(missed) == 2 and missed[0].sentence.startswith("وسيطرت قوات النظام") and missed[0].got


def test_events_empty_gold_and_empty_prediction(tmp_path):
    gold = article(tmp_path, {"events": []})
    r = score_article(gold, doc_with(events=[span(TEXT, "هجوم", "EVENT", plover="ASSAULT")]))["events"]
    assert r.metrics["found"].value is None and r.metrics["precision"].value == 0.0
    gold2 = article(tmp_path, EVENT_GOLD, name="b")
    r2 = score_article(gold2, doc_with(events=[]))["events"]
    assert r2.produced and r2.value() == 0.0 and r2.metrics["precision"].value is None


def test_quotes_start_and_speaker(tmp_path):
    gold = article(tmp_path, {"quotes": [
        {"speaker": "Syrian Observatory for Human Rights", "starts": "إن القوات تتقدم", "direct": True},
        {"speaker": "Vladimir Putin", "starts": "روسيا ستدعم", "direct": False},
    ]})
    doc = doc_with(quotes=[
        span(TEXT, "\"إن القوات تتقدم ببطء\"", "QUOTE", speaker={"name_en": "Syrian Observatory for Human Rights"}, direct=True),
        span(TEXT, "روسيا ستدعم الحكومة السورية", "QUOTE", speaker="Russia", direct=False),
    ])
    r = score_article(gold, doc)["quotes"]
    assert r.metrics["found"].value == 1.0
    assert (r.metrics["speaker"].hits, r.metrics["speaker"].total) == (1, 2)
    assert r.metrics["direct"].value == 1.0 and r.metrics["precision"].value == 1.0
    assert [m.kind for m in r.mismatches] == ["wrong speaker"]


def test_quote_start_ignores_a_leading_complementiser(tmp_path):
    text = 'وقال باحوط ان "الاميركيين يقولون إن الروس التزموا". وقال عبد الرحمن ان قوات النظام تتقدم.'
    gold = article(tmp_path, {"quotes": [{"speaker": "Joseph Bahout", "starts": "الاميركيين يقولون"},
                                         {"speaker": "Rami Abdel Rahman", "starts": "ان قوات النظام تتقدم"}]}, text=text)
    doc = doc_with(text, quotes=[span(text, 'ان "الاميركيين يقولون إن الروس التزموا"', "QUOTE", speaker="Joseph Bahout"),
                                 span(text, "قوات النظام تتقدم", "QUOTE", speaker="Rami Abdel Rahman"),
                                 span(text, "الروس التزموا", "QUOTE", speaker="Joseph Bahout")])
    r = score_article(gold, doc)["quotes"]
    assert r.metrics["speaker"].value == 1.0
    assert (r.metrics["precision"].hits, r.metrics["precision"].total) == (2, 3)


def test_control_claims(tmp_path):
    gold = article(tmp_path, {
        "places": EVENT_GOLD["places"],
        "control": [{"place": "Abu Kamal", "actor": "Syrian government forces", "share": "most", "date": "2017-11-18"},
                    {"place": "Abu Kamal", "actor": "Islamic State (ISIS)"}],
    })
    doc = doc_with(control=[span(TEXT, "وسيطرت", "CONTROL", place={"geonameid": 174448}, actor="Syrian government forces",
                                 date="2017-11-18")])
    r = score_article(gold, doc)["control"]
    assert (r.metrics["found"].hits, r.metrics["found"].total) == (1, 2)
    assert r.metrics["date"].value == 1.0 and r.metrics["precision"].value == 1.0


# --- clean layer on real pipeline output ----------------------------------------------------------------
def test_dateline_headline_boilerplate_from_the_clean_stage(tmp_path):
    from marsad.pipeline import Pipeline

    text = "عنوان الخبر هنا\n\nبيروت- قال مسؤول إن المعارك مستمرة.اضافة اعلان\nوتابع المسؤول حديثه.د-(وكالات)"
    gold = article(tmp_path, {"dateline": "بيروت", "headline": "عنوان الخبر هنا",
                              "boilerplate": ["اضافة اعلان", "د-(وكالات)", "وتابع المسؤول"]}, text=text)
    doc = Pipeline.from_names(["clean", "sentences"])(Document(text=text))
    results = score_article(gold, doc)
    assert results["dateline"].value() == 1.0 and results["headline"].value() == 1.0
    bp = results["boilerplate"].metrics["strings"]
    assert (bp.gold_found, bp.gold, bp.produced_right, bp.produced) == (2, 3, 2, 2)
    wrong = score_article(article(tmp_path, {"dateline": "المسؤول"}, text=text, name="b"), doc)["dateline"]
    assert wrong.value() == 0.0 and wrong.mismatches[0].got == "بيروت"


def test_layer_filter(tmp_path):
    gold = article(tmp_path, {**ENTITY_GOLD, "dateline": "دمشق"})
    assert set(score_article(gold, doc_with(), {"dateline"})) == {"dateline"}


# --- NER corpora ----------------------------------------------------------------------------------------
def test_ner_token_mapping_strict_and_lenient(tmp_path):
    bio = tmp_path / "corpus.txt"
    bio.write_text("قال O\nرامي B-PERS\nعبد I-PERS\nالرحمن I-PERS\nفي O\nوالبوكمال B-LOC\nمن O\nالمرصد B-ORG\n. O\n\n"
                   "زار O\nالمتحف B-MISC\n\n", encoding="utf-8")
    sentences, tagset = read_ner(bio)
    assert tagset.startswith("ANERcorp") and len(sentences) == 2
    s = sentences[0]
    assert s.entities == [(1, 4, "PERSON"), (5, 6, "LOC"), (7, 8, "ORG")]
    text = s.text
    doc = doc_with(text, entities=[
        span(text, "عبد الرحمن", "PERSON"),  # partial: lenient only
        span(text, "البوكمال", "LOC"),  # inside the token والبوكمال: maps to the whole token
        span(text, "المرصد", "PERSON"),  # wrong type
        span(text, "قال", "AGENT"),  # not a type of the NER scheme: ignored
    ])
    r = score_ner_sentence(s, doc)["entities"]
    strict, lenient = r.metrics["strict"], r.metrics["lenient"]
    assert (strict.gold_found, strict.gold, strict.produced_right, strict.produced) == (1, 3, 1, 3)
    assert (lenient.gold_found, lenient.produced_right) == (2, 2)
    assert r.metrics["strict/LOC"].f1 == 1.0 and r.metrics["strict/ORG"].recall == 0.0
    misc = score_ner_sentence(sentences[1], doc_with(sentences[1].text, entities=[]))["entities"]
    assert misc.metrics["strict/MISC"].gold == 1 and misc.metrics["strict"].gold == 1  # MISC counts in overall
    misc_doc = doc_with(sentences[1].text, entities=[span(sentences[1].text, "المتحف", "MISC")])
    assert score_ner_sentence(sentences[1], misc_doc)["entities"].metrics["strict"].f1 == 1.0


def test_ner_tag_sets_map_to_one_scheme(tmp_path):
    aqmar = tmp_path / "aqmar.txt"
    aqmar.write_text("زار O\nأوباما B-PER\nجامعة B-ORG\nالقاهرة I-ORG\nفي O\nمصر B-LOC\nأتوموس B-MIS\n", encoding="utf-8")
    sentences, tagset = read_ner(aqmar)
    assert tagset.startswith("AQMAR")
    assert [t for _, _, t in sentences[0].entities] == ["PERSON", "ORG", "LOC", "MISC"]
    wojood = tmp_path / "wojood.txt"
    wojood.write_text("سكرتير B-OCC\nاللجنة I-OCC B-ORG\nالقومية I-OCC I-ORG\nفي I-OCC\nنابلس I-OCC B-GPE\n"
                      "يوم B-DATE\n. O\n$#$ O\n", encoding="utf-8")
    sentences, tagset = read_ner(wojood)
    assert tagset.startswith("Wojood")
    # OCC and DATE are no entity types of the scheme; the nested ORG and GPE come out; $#$ is no token
    assert sentences[0].entities == [(1, 3, "ORG"), (4, 5, "LOC")]
    assert sentences[0].tokens[-1] == "."


def test_wojood_nested_same_scheme_keeps_outermost(tmp_path):
    f = tmp_path / "w.txt"
    f.write_text("مجلس B-ORG\nالأمن I-ORG\nضد I-ORG\nالأسد I-ORG B-PERS\nو O\n", encoding="utf-8")
    assert read_ner(f)[0][0].entities == [(0, 4, "ORG")]


# --- TimeML ---------------------------------------------------------------------------------------------
def test_timeml_spans_values_and_creation_time(tmp_path):
    tml = tmp_path / "d.tml"
    tml.write_text('<?xml version="1.0"?>\n<TimeML>\n<DCT><TIMEX3 tid="t0" type="DATE" value="2015-12-24" '
                   'functionInDocument="CREATION_TIME">2015-12-24</TIMEX3></DCT>\n'
                   'يفتتح <TIMEX3 tid="t1" type="DATE" value="2015-12-22">الثلاثاء</TIMEX3> المعرض '
                   '<TIMEX3 tid="t2" type="DURATION" value="P1Y">لمدة عام</TIMEX3> كاملا.\n</TimeML>\n', encoding="utf-8")
    gold = read_timeml(tml)
    assert gold.published == "2015-12-24" and "2015-12-24" not in gold.text
    assert [gold.text[t.start:t.end] for t in gold.timexes] == ["الثلاثاء", "لمدة عام"]
    text = gold.text
    doc = doc_with(text, times=[span(text, "الثلاثاء", "TIMEX", value="2015-12-22", type="DATE"),
                                span(text, "عام", "TIMEX", value="P1Y", type="DURATION"),
                                span(text, "كاملا", "TIMEX", value="PAST_REF", type="DATE")])
    r = score_timeml(gold, doc)["times"]
    assert (r.metrics["strict"].gold_found, r.metrics["strict"].produced_right, r.metrics["strict"].produced) == (1, 1, 3)
    assert (r.metrics["lenient"].gold_found, r.metrics["lenient"].produced_right) == (2, 2)
    assert r.metrics["value"].value == 1.0 and r.metrics["type"].value == 1.0


# --- time-expression sentences ---------------------------------------------------------------------------
def time_sentence(tmp_path: Path, **record):
    rec = {"id": "t1", "category": "weekday", "published": "2017-11-19", "sentence": "وقال الوزير الخميس الماضي إن",
           "text": "الخميس الماضي", "value": "2017-11-16", **record}
    f = tmp_path / "dev.jsonl"
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    return read_time_sentences(f)[0]


def test_time_sentence_right_and_wrong_value(tmp_path):
    gold = time_sentence(tmp_path)
    text = gold.sentence
    right = score_time_sentence(gold, doc_with(text, times=[span(text, "الخميس الماضي", "TIMEX", value="2017-11-16")]))["times"]
    assert right.value() == 1.0 and right.metrics["found"].value == 1.0 and right.metrics["exact_span"].value == 1.0
    assert right.metrics["value/weekday"].hits == 1 and not right.mismatches
    # the TIMEX overlapping the expression most decides: a shorter span with the right value does not rescue it
    wrong = score_time_sentence(gold, doc_with(text, times=[span(text, "الخميس الماضي", "TIMEX", value="2017-11-23"),
                                                             span(text, "الخميس", "TIMEX", value="2017-11-16")]))["times"]
    assert wrong.value() == 0.0 and wrong.metrics["found"].value == 1.0 and wrong.metrics["value/weekday"].hits == 0
    (miss,) = wrong.mismatches
    assert (miss.kind, miss.expected, miss.got) == ("wrong value", "الخميس الماضي = 2017-11-16", "الخميس الماضي = 2017-11-23")
    assert miss.document == "dev.jsonl:1 t1" and miss.sentence == text and miss.detail == "weekday"
    partial = score_time_sentence(gold, doc_with(text, times=[span(text, "الخميس", "TIMEX", value="2017-11-16")]))["times"]
    assert partial.value() == 1.0 and partial.metrics["exact_span"].value == 0.0
    missed = score_time_sentence(gold, doc_with(text))["times"]
    assert not missed.produced and missed.metrics["found"].value == 0.0 and missed.mismatches[0].kind == "missed"
    assert score_time_sentence(gold, doc_with(text), layers={"events"}) == {}


def test_time_sentence_anchored_flags_and_lists(tmp_path):
    gold = time_sentence(tmp_path, published=None, value="XXXX-WXX-4", anchored=False, flags=["no-anchor"],
                         sentence="وقال الوزير الخميس إن", text="الخميس")
    text = gold.sentence
    good = span(text, "الخميس", "TIMEX", value="XXXX-WXX-4", anchored=False, flags=["no-anchor", "before"])
    assert score_time_sentence(gold, doc_with(text, times=[good]))["times"].value() == 1.0
    unflagged = span(text, "الخميس", "TIMEX", value="XXXX-WXX-4", anchored=False, flags=[])
    r = score_time_sentence(gold, doc_with(text, times=[unflagged]))["times"]
    assert r.value() == 0.0 and r.mismatches[0].got == 'الخميس = XXXX-WXX-4, anchored false, flags []'
    pair = time_sentence(tmp_path, sentence="يزور الخميس والجمعة", text="الخميس والجمعة", value=["2017-11-23", "2017-11-24"])
    listed = span(pair.sentence, "الخميس والجمعة", "TIMEX", value=["2017-11-23", "2017-11-24"])
    assert score_time_sentence(pair, doc_with(pair.sentence, times=[listed]))["times"].value() == 1.0


def test_time_sentences_through_the_pipeline_agree_with_score_dev(tmp_path):
    from marsad.eval import evaluate
    from marsad.pipeline import Pipeline
    from marsad.time.score import score_dev

    records = [{"id": "a", "published": "2017-11-19", "sentence": "وصل الوفد امس الى دمشق.", "text": "امس",
                "value": "2017-11-18"},
               {"id": "b", "published": "2017-11-19", "sentence": "وصل الوفد امس الى دمشق.", "text": "امس",
                "value": "2017-11-17"}]
    f = tmp_path / "dev.jsonl"
    f.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    pipeline = Pipeline.from_names(["clean", "sentences", "tokens", "times"])
    (report,) = evaluate([f], pipeline=pipeline)
    value = report.layers["times"].metrics["value"]
    score = score_dev(f, pipeline)
    assert (value.hits, value.total) == (score.exact, score.total) == (1, 2)
    assert score.misses[0]["document"] == "dev.jsonl:2 b"


# --- event sentences ------------------------------------------------------------------------------------
def test_event_sentence_category_trigger_and_actor_codes(tmp_path):
    f = tmp_path / "gsr.jsonl"
    rec = {"id": "x", "text": "تظاهر مئات الطلاب في بغداد ضد الحكومة", "event_text": "تظاهر", "source_text": "الطلاب",
           "target_text": "الحكومة", "plover": "PROTEST", "source_code": "None EDU", "target_code": "IRQ GOV"}
    f.write_text(json.dumps(rec, ensure_ascii=False) + "\n", encoding="utf-8")
    gold = read_event_sentences(f)[0]
    text = gold.text
    doc = doc_with(text, events=[span(text, "تظاهر", "EVENT", plover="PROTEST", source={"actor_code": "EDU"},
                                      target={"actor_code": "IRQMIL"})])
    r = score_event_sentence(gold, doc)["events"]
    assert r.metrics["detected"].value == 1.0 and r.metrics["category"].value == 1.0
    assert r.metrics["trigger"].value == 1.0
    assert r.metrics["source_code"].value == 1.0 and r.metrics["target_code"].value == 0.0
    wrong = score_event_sentence(gold, doc_with(text, events=[span(text, "تظاهر", "EVENT", plover="ASSAULT")]))["events"]
    assert wrong.metrics["detected"].value == 1.0 and wrong.metrics["category"].value == 0.0
    none = score_event_sentence(gold, doc_with(text))["events"]
    assert not none.produced and none.value() == 0.0


def test_split_code():
    assert split_code("SYRMIL") == ("SYR", "MIL")
    assert split_code("CVL") == (None, "CVL")
    assert split_code("IRQ") == ("IRQ", None)


# --- floors ---------------------------------------------------------------------------------------------
def test_check_floors_reports_a_drop(tmp_path):
    gold = article(tmp_path, {"dateline": "دمشق", "times": [{"text": "امس", "value": "2017-11-18"}]})
    report = Report("x", "article-readings")
    report.add(score_article(gold, doc_with(clean=[])))
    failures = check_floors([report], {"dateline": {"correct": 1.0}, "times": {"value": 0.0}, "quotes": {"speaker": 0.0}})
    assert len(failures) == 2
    assert failures[0].startswith("dateline.correct = 0.000 is below its floor 1.0")
    assert failures[1].startswith("quotes: no score")


def test_locator_finds_whole_words_and_numbers_only():
    from marsad.eval.match import Locator

    text = "في 25 تشرين الثاني قال الخامس إن والبوكمال والسورية هادئة، وذكر للتنظيم أن سورية بخير."
    loc = Locator(text)
    assert loc.find("2") == [] and len(loc.find("25 تشرين الثاني")) == 1
    assert loc.find("امس") == []  # not inside الخامس
    (s, e), = loc.find("البوكمال")
    assert text[s:e] == "البوكمال"  # the conjunction stays outside
    assert [text[s:e] for s, e in loc.find("سورية")] == ["سورية"]  # not the adjective السورية
    (s, e), = loc.find("التنظيم")
    assert text[s - 1:e] == "للتنظيم"
