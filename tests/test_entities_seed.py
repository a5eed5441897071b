"""The entities stage on the seed article: people, organisations, their short forms, titles and composition."""
from __future__ import annotations

import pytest

from marsad.document import Document
from marsad.pipeline import Pipeline
from marsad.text import matching_key


@pytest.fixture(scope="module")
def seed_doc(bukamal_text: str) -> Document:
    import marsad.stages.entities  # noqa: F401  (registers the stage even before the pipeline lists it)

    return Pipeline.from_names(["clean", "sentences", "tokens", "entities"])(Document(bukamal_text))


def _mentions(doc: Document) -> list[tuple[tuple[str, ...], str, dict]]:
    return [(matching_key(doc.span_text(s)), s.label, s.attrs) for s in doc.layer("entities")]


def _found(doc: Document, form: str, name_en: str, labels: set[str]) -> bool:
    key = matching_key(form)
    return any(k == key and label in labels and attrs.get("name_en") == name_en for k, label, attrs in _mentions(doc))


def test_seed_recall_of_people_and_organisations(seed_doc: Document, bukamal_expected: dict) -> None:
    wanted: list[tuple[str, str, set[str]]] = []
    for person in bukamal_expected["people"]:
        wanted.append((person["text"], person["name_en"], {"PERSON"}))
    for org in bukamal_expected["organisations"]:
        for form in [org["text"], *org.get("also", [])]:
            wanted.append((form, org["name_en"], {"ORG", "AGENT"}))
    missed = [(form, name) for form, name, labels in wanted if not _found(seed_doc, form, name, labels)]
    recall = 1 - len(missed) / len(wanted)
    assert recall >= 0.95, f"recall {recall:.3f}; missed {missed}"


def test_no_place_is_tagged_person(seed_doc: Document, bukamal_expected: dict) -> None:
    place_keys = {matching_key(p["text"]) for p in bukamal_expected["places"]}
    people = [seed_doc.span_text(s) for s in seed_doc.layer("entities") if s.label == "PERSON"]
    assert not [p for p in people if matching_key(p) in place_keys]
    # and the places themselves come out as LOC
    locs = {matching_key(seed_doc.span_text(s)) for s in seed_doc.layer("entities") if s.label == "LOC"}
    assert {matching_key("البوكمال"), matching_key("سورية"), matching_key("موسكو")} <= locs


def test_every_entity_has_an_english_label_and_provenance(seed_doc: Document) -> None:
    spans = seed_doc.layer("entities")
    assert len(spans) > 50
    for span in spans:
        assert span.label in {"PERSON", "ORG", "LOC", "AGENT"}
        assert span.attrs["name_en"].strip()
        assert span.attrs["translit"].strip()
        assert span.provenance.stage == "entities"
    # a mention leaves out the proclitics of its first word (والحرس → الحرس) but keeps the article
    texts = {seed_doc.span_text(s) for s in spans}
    assert {"الحرس الثوري الإيراني", "الميليشيات العراقية", "دونالد ترامب", "الكرملين"} <= texts
    assert not texts & {"والحرس الثوري الإيراني", "والميليشيات العراقية", "ودونالد ترامب"}


def test_composition_nationality_and_sector(seed_doc: Document) -> None:
    by_text = {seed_doc.span_text(s): s.attrs for s in seed_doc.layer("entities")}
    militias = by_text["الميليشيات العراقية"]
    assert militias["name_en"] == "Iraqi militias"
    assert militias["actor_code"] == "IRQUAF" and militias["country"] == "IQ"
    forces = by_text["قوات النظام السوري"]
    assert forces["actor_code"] == "SYRMIL" and forces["name_en"] == "Syrian government forces"
    assert by_text["وزارة الخارجية الأميركية"]["name_en"] == "US Department of State"
    assert by_text["الدبلوماسية الأميركية"]["name_en"] == "US Department of State"
    assert by_text["الرئيس السوري"]["name_en"] == "Syrian president"


def test_coreference_to_the_actor_named_in_the_article(seed_doc: Document) -> None:
    spans = seed_doc.layer("entities")
    coref = {matching_key(seed_doc.span_text(s)): s.attrs for s in spans if s.attrs.get("coref")}
    for form in ("التنظيم", "الجهاديين", "المتطرفين", "التنظيم الارهابي"):
        assert coref[matching_key(form)]["actor_id"] == "isis", form
    for form in ("قوات النظام", "الجيش"):
        assert coref[matching_key(form)]["actor_id"] == "syria-gov-forces", form
    states = {matching_key(seed_doc.span_text(s)): s.attrs.get("actor_code") for s in spans}
    assert states[matching_key("الروس")] == "RUS" and states[matching_key("الأميركيين")] == "USA"


def test_titles_give_role_and_affiliation(seed_doc: Document) -> None:
    people = {seed_doc.span_text(s): s.attrs for s in seed_doc.layer("entities") if s.label == "PERSON"}
    rami = people["رامي عبد الرحمن"]
    assert rami["role"] == "director" and rami["affiliation"] == "Syrian Observatory for Human Rights"
    haley = people["نيكي هايلي"]
    assert haley["role"] == "US ambassador" and haley["affiliation"] == "United Nations"
    assert people["هيذر نويرت"]["affiliation"] == "US Department of State"
    assert people["سيرغي لافروف"]["role"] == "Russian foreign minister"
    assert people["جوزف باحوط"]["affiliation"] == "Carnegie Endowment for International Peace"
    # a short later form is the same person, with the role carried over
    short = people["عبد الرحمن"]
    assert short["name_en"] == "Rami Abdel Rahman" and short["coref"] is True and short["role"] == "director"
