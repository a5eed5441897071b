"""The places stage: gazetteer look-ups, resolution, roles, unresolved mentions, bad gazetteer files, GeoJSON."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from marsad.document import Document, Provenance, Span
from marsad.pipeline import DEFAULT_STAGES, Pipeline, create_stage
from marsad.places import Gazetteer, to_geojson
from marsad.places.aliases import read_aliases
from marsad.places.gazetteer import skeleton
from marsad.resources import DataFileError, data_path

ABU_KAMAL, ALEPPO_CITY, ALEPPO_GOVERNORATE, DEIR_EZ_ZOR_CITY, DEIR_EZ_ZOR_GOVERNORATE = 174448, 170063, 170062, 170794, 170792


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline.from_names(["clean", "sentences", "tokens", "places"])


def places(pipeline: Pipeline, text: str, entities: list[tuple[str, str]] = ()) -> list[tuple[str, dict]]:
    doc = Document(text)
    if entities:
        spans = []
        for surface, label in entities:
            start = text.index(surface)
            spans.append(Span(start, start + len(surface), label, {}, Provenance("test", "given", "1")))
        doc.set_layer("entities", spans)
    doc = pipeline(doc)
    return [(doc.span_text(s), s.attrs) for s in doc.layer("places")]


def only(found: list[tuple[str, dict]], surface: str) -> dict:
    matches = [attrs for text, attrs in found if text == surface]
    assert len(matches) == 1, f"{surface!r} found {len(matches)} times in {[t for t, _ in found]}"
    return matches[0]


# --- the seed article ---------------------------------------------------------------------------------------
def test_seed_article_places_match_the_analyst(pipeline: Pipeline, bukamal_text: str, bukamal_expected: dict):
    doc = pipeline(Document(bukamal_text))
    spans = doc.layer("places")
    for place in bukamal_expected["places"]:
        found = [s for s in spans if doc.span_text(s) == place["text"]]
        assert found, f"{place['text']} not found"
        attrs = found[0].attrs
        assert attrs["resolved"] is True
        if "geonameid" in place:
            assert attrs["geonameid"] == place["geonameid"]
        if place.get("country"):
            assert attrs["country"] == place["country"], place["text"]
        if place["kind"] in ("city", "governorate"):
            assert abs(attrs["lat"] - place["lat"]) < 0.2 and abs(attrs["lon"] - place["lon"]) < 0.2, place["text"]
    beirut = [s for s in spans if doc.span_text(s) == "بيروت"]
    assert [s.attrs.get("role") for s in beirut] == ["dateline"]
    assert doc.text[beirut[0].start - 0:beirut[0].end + 1] == "بيروت-"
    # the anaphoric المدينة (the city) and the adjective السوري are not places
    assert not [s for s in spans if doc.span_text(s) in ("المدينة", "السوري", "السورية", "الروسي")]


def test_seed_places_carry_reasons_and_runners_up(pipeline: Pipeline, bukamal_text: str):
    doc = pipeline(Document(bukamal_text))
    governorate = next(s for s in doc.layer("places") if doc.span_text(s) == "محافظة دير الزور")
    assert governorate.attrs["geonameid"] == DEIR_EZ_ZOR_GOVERNORATE and governorate.attrs["kind"] == "governorate"
    assert governorate.attrs["admin1"] == "SY.07"
    moscow = next(s for s in doc.layer("places") if doc.span_text(s) == "موسكو")
    assert "curated alias" in moscow.attrs["reason"] and "article names RU" in moscow.attrs["reason"]
    [runner_up] = moscow.attrs["candidates"]  # Mesquite, Texas, also spelled موسكو in GeoNames
    assert runner_up["country"] == "US" and runner_up["score"] < float(moscow.attrs["reason"].rsplit(" ", 1)[1].rstrip(")"))
    assert moscow.provenance.stage == "places" and moscow.provenance.rule == "gazetteer"


# --- clitics and spelling ------------------------------------------------------------------------------------
@pytest.mark.parametrize("form", ["البوكمال", "بالبوكمال", "والبوكمال", "وبالبوكمال", "للبوكمال", "أبو كمال"])
def test_clitic_forms_find_abu_kamal(pipeline: Pipeline, form: str):
    found = places(pipeline, f"سيطرت القوات السورية على مواقع {form} أمس.")
    assert [a["geonameid"] for _, a in found] == [ABU_KAMAL]
    assert found[0][0] in ("البوكمال", "بوكمال", "أبو كمال")  # the clitics stay outside the span


def test_a_name_ending_like_a_pronoun_keeps_its_ending(pipeline: Pipeline):
    # أبها splits like اب + ها; آب (August) has the same stem and is no place
    found = places(pipeline, "وصل الوفد في 3 آب الماضي إلى مدينة أبها.")
    assert [(t, a["name_en"], a["country"]) for t, a in found] == [("أبها", "Abha", "SA")]


def test_adjective_is_not_the_country(pipeline: Pipeline):
    found = places(pipeline, "وقالت الحكومة السورية إن الجيش السوري تقدم في سورية.")
    assert [(t, a["name_en"]) for t, a in found] == [("سورية", "Syria")]


def test_common_words_and_namesakes_are_not_places(pipeline: Pipeline):
    # كان (Caen), إن (Van), التي, كيف (Kyiv), صور (Tyre, pictures) and السلطات are words here
    text = "وقال إن السلطات التي كان عليها أن تنشر صور المعارك لم تفعل، فكيف يحدث ذلك؟"
    assert places(pipeline, text) == []


# --- trigger nouns --------------------------------------------------------------------------------------------
def test_trigger_nouns_choose_the_kind(pipeline: Pipeline):
    found = places(pipeline, "قصفت الطائرات مدينة حلب ومناطق في محافظة حلب وفي ريف حلب الشمالي.")
    city, countryside = [a for t, a in found if t == "حلب"]
    assert city["geonameid"] == ALEPPO_CITY and "مدينة" in city["reason"]
    governorate = only(found, "محافظة حلب")
    assert governorate["geonameid"] == ALEPPO_GOVERNORATE and governorate["kind"] == "governorate"
    assert (countryside["kind"], countryside["name_en"], countryside["country"]) == ("countryside", "Aleppo countryside", "SY")


def test_bare_name_is_the_city_and_the_governorate_needs_its_noun(pipeline: Pipeline):
    found = places(pipeline, "وصلت التعزيزات إلى دير الزور بعد معارك في محافظة دير الزور.")
    assert only(found, "دير الزور")["geonameid"] == DEIR_EZ_ZOR_CITY
    assert only(found, "محافظة دير الزور")["geonameid"] == DEIR_EZ_ZOR_GOVERNORATE


def test_capital_of_x_names_a_division(pipeline: Pipeline):
    found = places(pipeline, "قصفت الطائرات مواقع في مدينة الحزم عاصمة محافظة الجوف اليمنية.")
    assert only(found, "محافظة الجوف")["country"] == "YE"


# --- roles ------------------------------------------------------------------------------------------------------
def test_capitals_as_governments_are_metonyms(pipeline: Pipeline):
    found = places(pipeline, "تدهورت العلاقات بين واشنطن وموسكو، وأعلن الكرملين رفضه.")
    washington, moscow, kremlin = only(found, "واشنطن"), only(found, "موسكو"), only(found, "الكرملين")
    assert (washington["role"], washington["actor_code"], washington["geonameid"]) == ("metonym", "USAGOV", 4140963)
    assert (moscow["role"], moscow["actor_code"]) == ("metonym", "RUSGOV")
    assert (kremlin["role"], kremlin["actor_code"], kremlin["country"]) == ("metonym", "RUSGOV", "RU")


def test_a_capital_as_a_location_is_no_metonym(pipeline: Pipeline):
    found = places(pipeline, "قال الباحث في معهد كارنيغي في واشنطن إن الاجتماع عقد بموسكو.")
    for surface in ("واشنطن", "موسكو"):
        attrs = only(found, surface)
        assert "role" not in attrs and "actor_code" not in attrs and attrs["resolved"]


def test_places_inside_names_still_resolve(pipeline: Pipeline):
    found = places(pipeline, "أيد الطرفان عملية جنيف ودعا إلى قمة في منتجع سوتشي على البحر الأسود.")
    geneva, sochi = only(found, "جنيف"), only(found, "سوتشي")
    assert (geneva["role"], geneva["geonameid"]) == ("in_name", 2660646)
    assert (sochi["role"], sochi["geonameid"]) == ("in_name", 491422)
    sea = only(found, "البحر الأسود")
    assert sea["kind"] == "sea" and sea["resolved"] and "geonameid" not in sea


# --- unresolved mentions ------------------------------------------------------------------------------------------
def test_unknown_name_after_a_trigger_stays_unresolved(pipeline: Pipeline):
    found = places(pipeline, "قتل ثلاثة مدنيين في قرية زعفرونة الصغيرة قرب حماة.")
    village = only(found, "زعفرونة")
    assert village["resolved"] is False and village["kind"] == "village"
    assert "lat" not in village and "lon" not in village and "geonameid" not in village
    assert "no gazetteer candidate" in village["reason"]
    assert only(found, "حماة")["country"] == "SY"


def test_a_village_far_from_the_article_is_set_aside_not_guessed(pipeline: Pipeline):
    # GeoNames has no العقبة near Nablus; its namesakes in Yemen and Jordan are hundreds of km away
    found = places(pipeline, "هدمت الجرافات منشآت في قرية العقبة قرب نابلس.")
    village = only(found, "العقبة")
    assert village["resolved"] is False and "lat" not in village and "set aside" in village["reason"]
    assert only(found, "نابلس")["country"] == "PS"


def test_entities_loc_without_candidate_is_unresolved_and_never_a_far_guess(pipeline: Pipeline):
    text = "وصل الوفد إلى كفرنبودة صباح اليوم."
    found = places(pipeline, text, [("كفرنبودة", "LOC")])
    assert [(t, a["resolved"]) for t, a in found] == [("كفرنبودة", False)]
    assert places(pipeline, text) == []  # without the entities layer nothing marks it as a place


def test_entities_loc_does_not_make_a_common_noun_a_place(pipeline: Pipeline):
    # the entities stage tags the anaphoric المدينة (the city) LOC; it is not Medina
    text = "دخلت القوات مدينة البوكمال ثم انسحبت من المدينة أمس."
    found = places(pipeline, text, [("المدينة", "LOC")])
    assert [(t, a.get("geonameid")) for t, a in found] == [("البوكمال", ABU_KAMAL)]


def test_entities_loc_admits_a_spelling_variant(pipeline: Pipeline):
    # GeoNames spells it مانشستر; the LOC span vouches for a place, the consonant skeleton finds it
    found = places(pipeline, "اعتقلت الشرطة 12 شخصا في مانشيستر أمس.", [("مانشيستر", "LOC")])
    assert only(found, "مانشيستر")["geonameid"] == 2643123
    assert skeleton("مانشيستر") == skeleton("مانشستر")


def test_dateline_place_unknown_to_the_gazetteer_is_still_a_dateline(pipeline: Pipeline):
    found = places(pipeline, "زعفرونة - (أ ف ب) - قتل ثلاثة مدنيين في قصف على المنطقة.\nوقال شهود إن القصف استمر.")
    assert [(t, a.get("role"), a["resolved"]) for t, a in found] == [("زعفرونة", "dateline", False)]


# --- the gazetteer file ---------------------------------------------------------------------------------------------
def test_missing_gazetteer_names_the_file(tmp_path: Path):
    missing = tmp_path / "no-such-gazetteer.sqlite"
    with pytest.raises(DataFileError, match="no-such-gazetteer.sqlite"):
        Gazetteer(missing)
    with pytest.raises(DataFileError, match="no-such-gazetteer.sqlite"):
        create_stage("places", gazetteer_file=str(missing))


def test_corrupt_gazetteer_names_the_file(tmp_path: Path):
    corrupt = tmp_path / "corrupt.sqlite"
    corrupt.write_bytes(b"this is not an sqlite database" * 100)
    with pytest.raises(DataFileError, match=r"corrupt\.sqlite.*(unreadable|corrupt)"):
        Gazetteer(corrupt)


def test_gazetteer_of_another_format_is_refused(tmp_path: Path):
    old = tmp_path / "old.sqlite"
    with sqlite3.connect(old) as db:
        db.executescript("CREATE TABLE meta (k TEXT, v TEXT); INSERT INTO meta VALUES ('format', '0');"
                         "CREATE TABLE places (geonameid INTEGER); CREATE TABLE names (key TEXT);")
    with pytest.raises(DataFileError, match="old.sqlite.*format"):
        Gazetteer(old)


def test_lookups_use_the_index_not_a_scan():
    gazetteer = Gazetteer()
    plan = " ".join(row[-1] for row in gazetteer.db.execute(
        "EXPLAIN QUERY PLAN SELECT n.key FROM names n JOIN places p USING (geonameid) WHERE n.nokey IN (?, ?)",
        ("بوكمال", "حلب")))
    assert "SEARCH n USING" in plan and "SCAN n" not in plan, plan
    plan = " ".join(row[-1] for row in gazetteer.db.execute(
        "EXPLAIN QUERY PLAN SELECT n.key FROM names n WHERE n.skel = ?", ("منشستر",)))
    assert "names_skel" in plan, plan


def test_gazetteer_holds_countries_divisions_and_attribution():
    gazetteer = Gazetteer()
    assert "GeoNames" in gazetteer.meta["attribution"]
    count = dict(gazetteer.db.execute("SELECT kind, count(*) FROM places GROUP BY kind"))
    assert count["country"] >= 240 and count["governorate"] >= 3500 and count["city"] > 10000
    syria = gazetteer.by_id(163843)
    assert syria.kind == "country" and syria.lat is not None
    governorates_without_point = gazetteer.db.execute(
        "SELECT count(*) FROM places WHERE kind = 'governorate' AND lat IS NULL").fetchone()[0]
    # divisions with no seat, populated place or namesake town in GeoNames keep no point: 4% today
    assert governorates_without_point < count["governorate"] * 0.05
    assert Path(gazetteer.path).stat().st_size < 50 * 1024 * 1024


def test_alias_file_errors_name_file_and_line(tmp_path: Path):
    bad = tmp_path / "aliases.tsv"
    bad.write_text("# comment\nالبحر الأسود\t\tBlack Sea\tnorth\t34.3\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"aliases.tsv:2"):
        read_aliases(bad)
    bad.write_text("بحر\t\tSome Sea\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"aliases.tsv:1: a place without a geonameid"):
        read_aliases(bad)
    rows = read_aliases(data_path("places/aliases.tsv"))
    assert any(r.name == "البوكمال" and r.geonameid == ABU_KAMAL for r in rows)


# --- pipeline and export -----------------------------------------------------------------------------------------------
def test_places_runs_after_tokens_in_the_default_pipeline():
    assert "places" in DEFAULT_STAGES
    assert DEFAULT_STAGES.index("tokens") < DEFAULT_STAGES.index("places")
    if "entities" in DEFAULT_STAGES:
        assert DEFAULT_STAGES.index("entities") < DEFAULT_STAGES.index("places")


def test_places_without_the_tokens_layer_tokenises_for_itself(pipeline: Pipeline):
    pipe = Pipeline.from_names(["clean", "sentences", "places"])
    doc = pipe(Document("سيطرت القوات على البوكمال."))
    assert "tokens" not in doc.layers
    assert [s.attrs["geonameid"] for s in doc.layer("places")] == [ABU_KAMAL]


def test_geojson_has_resolved_points_only(pipeline: Pipeline):
    doc = pipeline(Document("قتل مدنيون في قرية زعفرونة وفي مدينة البوكمال."))
    collection = to_geojson([doc])
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [40.91854, 34.45226]}  # lon, lat
    assert feature["properties"]["geonameid"] == ABU_KAMAL and feature["properties"]["doc_id"] == doc.id
    assert feature["properties"]["text"] == "البوكمال"
    assert to_geojson(doc) == collection


def test_next_letters_never_turn_away_a_pair_that_starts_a_name():
    """The pair filter of PlaceResolver.find is only a shortcut: whenever two pieces' joined form starts or is a
    multi-word key (Gazetteer.flags), the next piece's first letters are among the first form's continuations."""
    from marsad.places.gazetteer import EXTENDS, SPACED
    from marsad.places.resolve import _NextLetters

    gazetteer = Gazetteer()
    letters = _NextLetters(gazetteer)
    keys = sorted(gazetteer._spaced)[::97]
    assert keys
    for key in keys:
        for cut in range(1, len(key)):
            first, rest = key[:cut], key[cut:]
            if not gazetteer.flags(first) & EXTENDS:
                continue
            for tail in {rest[:1], rest[:2], rest}:
                assert gazetteer.flags(first + tail) & (SPACED | EXTENDS)
                assert tail[:2] in letters[first], (first, tail)
