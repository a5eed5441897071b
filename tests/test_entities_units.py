"""Entities stage pieces: lexicon matching, composition, coreference without an antecedent, transliteration,
unresolved mentions, and clear errors for missing or corrupt data files."""
from __future__ import annotations

from pathlib import Path

import pytest

from marsad.document import Document, Span
from marsad.entities.actors import ActorTable, Composition
from marsad.entities.lexicon import default_lexicon
from marsad.entities.recognise import Recogniser
from marsad.entities.tagger import EntityTagger
from marsad.entities.translit import transliterate
from marsad.pipeline import DEFAULT_STAGES, Pipeline
from marsad.resources import DataFileError
from marsad.stages.entities import EntitiesStage

PRE = Pipeline.from_names(["clean", "sentences", "tokens"])


@pytest.fixture(scope="module")
def stage() -> EntitiesStage:
    return EntitiesStage()


def run(stage: EntitiesStage, text: str) -> list[tuple[str, str, dict]]:
    doc = stage(PRE(Document(text)))
    return [(doc.span_text(s), s.label, s.attrs) for s in doc.layer("entities")]


def find(mentions, text: str) -> dict:
    for surface, label, attrs in mentions:
        if surface == text:
            return {"label": label, **attrs}
    raise AssertionError(f"no mention {text!r} in {[m[0] for m in mentions]}")


def test_entities_runs_right_after_tokens() -> None:
    assert DEFAULT_STAGES.index("entities") == DEFAULT_STAGES.index("tokens") + 1


def test_lexicon_matches_clitic_forms_and_takes_the_longest(stage: EntitiesStage) -> None:
    got = run(stage, "وصلت التعزيزات وبالبوكمال اجتمع مجلس الأمن الدولي وللأمم المتحدة موقف.")
    assert find(got, "البوكمال")["name_en"] == "Abu Kamal"
    assert find(got, "مجلس الأمن الدولي")["actor_id"] == "unsc"
    # وللأمم = و + ل + ل (the article's alef dropped) + أمم: the span starts at the stem
    assert find(got, "أمم المتحدة")["actor_id"] == "un"
    assert not [m for m in got if m[0] == "مجلس الأمن"]


def test_punctuation_is_a_barrier(stage: EntitiesStage) -> None:
    got = run(stage, "تحدث عن الأمم، المتحدة في كلمته.")
    assert not [m for m in got if m[2].get("actor_id") == "un"]


def test_words_of_each_sentence_column_by_column() -> None:
    """A word's mention span leaves its proclitics and enclitic out (the article in, unless it is the ل of لل);
    words outside every sentence are left out, and sentences without words give nothing."""
    doc = PRE(Document("مقدمة الخبر. وبالبوكمال قال للمرصد: كتابهم 2017."))
    doc.layers["sentences"] = [Span(2, 4, "SENT"), Span(13, 35, "SENT"), Span(35, 36, "SENT"), Span(36, 48, "SENT")]
    first, second = Recogniser.sentences_of_words(doc)
    assert (first.surfaces, first.stems, first.arts) == (["وبالبوكمال", "قال", "للمرصد", ":"],
                                                         ["بوكمال", "قال", "مرصد", None], [True, False, True, False])
    assert [doc.text[a:b] for a, b in zip(first.starts, first.ends)] == ["البوكمال", "قال", "مرصد", ":"]
    assert [doc.text[a:b] for a, b in zip(second.starts, second.ends)] == ["كتاب", "2017", "."]
    assert (second.stems, len(second)) == (["كتاب", "2017", None], 3)
    del doc.layers["sentences"]  # no sentences: the whole text is one
    assert [words.surfaces for words in Recogniser.sentences_of_words(doc)] == [
        ["مقدمة", "الخبر", ".", "وبالبوكمال", "قال", "للمرصد", ":", "كتابهم", "2017", "."]]


def test_one_pass_over_an_article_finds_each_sentences_matches() -> None:
    """``matches_of_sentences`` (one automaton pass, runs of unknown words and punctuation squeezed) gives what
    ``matches`` gives sentence by sentence, at each sentence's own word positions; no match crosses sentences."""
    lexicon = default_lexicon()
    stem = Recogniser.sentences_of_words
    doc = PRE(Document("مجلس الأمن الدولي . قال شيء ما هنا ، ثم هنا مجلس الأمن الدولي و الأمم المتحدة وكذلك "
                       "الأمم المتحدة . مجلس الأمن . الدولي الأمم المتحدة"))
    sentences = [words.stems for words in stem(doc)]
    sentences += [[None, None], ["كلمة", "مجهولة", "تماما"], ["الأمم"], ["متحده"], ["امم", "متحده"], []]
    sentences += [sentences[0][-3:] + sentences[0][:3]]  # the end of one sentence, then the start of the next
    expected = [lexicon.matches(lexicon.encode_words(words)) for words in sentences]
    assert sum(map(len, expected)) >= 4
    assert lexicon.matches_of_sentences(sentences) == expected
    assert lexicon.matches_of_sentences(sentences[::-1]) == expected[::-1]
    assert lexicon.matches_of_sentences([]) == []


@pytest.mark.parametrize("text,name_en,code,country", [
    ("أعلنت الشرطة الأردنية اعتقال شخصين.", "Jordanian police", "JORCOP", "JO"),
    ("قالت وزارة الخارجية القطرية في بيان.", "Qatari Ministry of Foreign Affairs", "QATGOV", "QA"),
    ("اشتبكت القوات الحكومية العراقية مع المسلحين.", "Iraqi government forces", "IRQMIL", "IQ"),
    ("انسحبت الميليشيات الإيرانية من المنطقة.", "Iranian militias", "IRNUAF", "IR"),
])
def test_composition_of_sector_and_nationality(stage: EntitiesStage, text, name_en, code, country) -> None:
    got = run(stage, text)
    composed = [attrs for _, label, attrs in got if attrs.get("actor_code") == code]
    assert composed, got
    assert composed[0]["name_en"] == name_en and composed[0]["country"] == country


def test_descriptors_without_an_antecedent_stay_unresolved_agents(stage: EntitiesStage) -> None:
    got = run(stage, "هاجم التنظيم مواقع الجيش قرب النهر.")
    org = find(got, "التنظيم")
    assert org["label"] == "AGENT" and "actor_id" not in org and org["name_en"] == "the jihadist group"
    army = find(got, "الجيش")
    assert army["label"] == "AGENT" and "actor_id" not in army and army["name_en"] == "the army"


def test_descriptor_resolves_to_the_group_the_article_names(stage: EntitiesStage) -> None:
    got = run(stage, "أعلنت حركة الشباب مسؤوليتها عن الهجوم. وقال التنظيم إن مقاتليه انسحبوا.")
    assert find(got, "التنظيم")["actor_id"] == "al-shabaab"
    assert find(got, "التنظيم")["coref"] is True


class FixedTagger:
    """Stands in for the CRF: tags the given words as one name (a person unless told), so the test does not depend
    on the model."""

    def __init__(self, names: list[str], kind: str = "PERS"):
        self.names = names
        self.kind = kind

    def tag_words(self, words, lexicon_tags=None):
        tags = ["O"] * len(words)
        for i, word in enumerate(words):
            if word in self.names:
                tags[i] = ("I-" if i and tags[i - 1] != "O" else "B-") + self.kind
        return tags

    def tag_sentences(self, sentences):
        return [self.tag_words(words, tags) for words, tags in sentences]


def test_unresolved_mention_is_kept_with_its_transliteration() -> None:
    stage = EntitiesStage(use_tagger=False)
    stage.recogniser = Recogniser(default_lexicon(), FixedTagger(["زيدون", "القرطبي"]))  # type: ignore[arg-type]
    got = run(stage, "وقال زيدون القرطبي إن الوضع هادئ.")
    person = find(got, "زيدون القرطبي")
    assert person["label"] == "PERSON" and "actor_id" not in person
    assert person["name_en"] == person["translit"] == transliterate("زيدون القرطبي")
    assert person["name_en"].startswith("Z") and "al-Q" in person["name_en"]


def test_tagger_misc_is_an_entity_but_no_actor_and_wins_over_a_place_inside_it() -> None:
    stage = EntitiesStage(use_tagger=False)
    stage.recogniser = Recogniser(default_lexicon(), FixedTagger(["معرض", "دمشق", "الدولي"], "MISC"))  # type: ignore[arg-type]
    got = run(stage, "افتتح معرض دمشق الدولي أمس.")
    misc = find(got, "معرض دمشق الدولي")
    assert misc["label"] == "MISC" and "actor_id" not in misc and misc["kind"] == "other"
    assert misc["name_en"] == misc["translit"] == transliterate("معرض دمشق الدولي")
    assert not [m for m in got if m[1] == "LOC"]  # دمشق is inside the fair's name


def test_descriptive_institution_the_tagger_does_not_name_is_an_agent() -> None:
    stage = EntitiesStage(use_tagger=False)
    stage.recogniser = Recogniser(default_lexicon(), FixedTagger([]))  # type: ignore[arg-type]
    ministry = find(run(stage, "وأعلنت وزارة الخارجية الأميركية أمس."), "وزارة الخارجية الأميركية")
    assert ministry["label"] == "AGENT" and ministry["name_en"] == "US Department of State"


def test_a_place_the_tagger_reads_as_an_organisation_is_one_without_the_place_actor() -> None:
    stage = EntitiesStage(use_tagger=False)
    stage.recogniser = Recogniser(default_lexicon(), FixedTagger(["الشرق", "الأوسط"], "ORG"))  # type: ignore[arg-type]
    paper = find(run(stage, "ونقلت الشرق الأوسط عن مصادر أن الوضع هادئ."), "الشرق الأوسط")
    assert paper["label"] == "ORG" and "actor_id" not in paper and paper["name_en"] == paper["translit"]


def test_a_definite_name_met_indefinite_is_a_description() -> None:
    stage = EntitiesStage(use_tagger=False)
    assert not [m for m in run(stage, "ودعا إلى إقامة دولة إسلامية في المنطقة.") if m[2].get("actor_id") == "isis"]
    assert find(run(stage, "وأعلنت الدولة الإسلامية مسؤوليتها."), "الدولة الإسلامية")["actor_id"] == "isis"


def test_a_family_name_after_a_known_full_name_keeps_the_actor() -> None:
    stage = EntitiesStage(use_tagger=False)
    stage.recogniser = Recogniser(default_lexicon(), FixedTagger(["محمد", "بن", "زايد", "آل", "نهيان"]))  # type: ignore[arg-type]
    person = find(run(stage, "واستقبل الشيخ محمد بن زايد آل نهيان الوزير أمس."), "محمد بن زايد آل نهيان")
    assert person["actor_id"] == "mbz" and person["role"] == "sheikh"


def test_a_title_with_the_article_is_left_out_of_the_name() -> None:
    stage = EntitiesStage(use_tagger=False)
    stage.recogniser = Recogniser(default_lexicon(), FixedTagger(["الإمام", "زيدون", "القرطبي"]))  # type: ignore[arg-type]
    got = run(stage, "وقال الإمام زيدون القرطبي إن الوضع هادئ.")
    assert find(got, "زيدون القرطبي")["label"] == "PERSON"
    assert not [m for m in got if "الإمام" in m[0]]


@pytest.mark.parametrize("content", [None, "الإمام\nوزير الخارجية\n"])  # missing; a line of two words
def test_missing_or_corrupt_name_titles_name_the_file(tmp_path: Path, content: str | None) -> None:
    from marsad.entities.recognise import load_name_titles

    path = tmp_path / "titles.txt"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match="titles.txt"):
        load_name_titles(path)


@pytest.mark.parametrize("text", ["رامي عبد الرحمن", "ءءء", "ـ", "،", "َ", "", " ", "123", "ABC", "ة", "لل", "عع"])
def test_transliteration_is_never_empty(text: str) -> None:
    assert transliterate(text).strip()


def test_transliteration_scheme() -> None:
    assert transliterate("رامي عبد الرحمن") == "Rami Abdel Rahman"
    assert transliterate("البوكمال") == "Al-Bukmal"
    assert transliterate("قوة") == "Qawa"


def test_stage_without_a_tokens_layer_tokenises_privately(stage: EntitiesStage) -> None:
    text = "وقال المرصد السوري لحقوق الإنسان إن داعش انسحب."
    bare = stage(Document(text))
    assert "tokens" not in bare.layers
    full = stage(PRE(Document(text)))
    assert [(s.start, s.end, s.label) for s in bare.layer("entities")] == \
        [(s.start, s.end, s.label) for s in full.layer("entities")]
    assert {s.attrs.get("actor_id") for s in bare.layer("entities")} >= {"sohr", "isis"}


def test_missing_model_names_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.crfsuite"
    with pytest.raises(DataFileError, match="nowhere.crfsuite"):
        EntitiesStage(model_file=str(missing))


def test_corrupt_model_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.crfsuite"
    bad.write_bytes(b"this is not a CRFsuite model")
    with pytest.raises(DataFileError, match="broken.crfsuite"):
        EntityTagger(bad)


def test_missing_or_corrupt_actor_table_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="no_actors.tsv"):
        ActorTable.load(tmp_path / "no_actors.tsv")
    bad = tmp_path / "actors.tsv"
    bad.write_text("id\tlabel\tname_en\tactor_code\tkind\tcountry\tsource\tvariants\nisis\tORG\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="actors.tsv:2"):
        ActorTable.load(bad)
    headless = tmp_path / "headless.tsv"
    headless.write_text("isis\tORG\tIS\tIMG\tarmed group\t\tcurated\tداعش\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="headless.tsv"):
        ActorTable.load(headless)
    with pytest.raises(DataFileError, match="headless.tsv"):
        EntitiesStage(actors_file=str(headless))


def test_corrupt_composition_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "composition.toml"
    bad.write_text("[nationality.SY\niso3 = ", encoding="utf-8")
    with pytest.raises(DataFileError, match="composition.toml"):
        Composition.load(bad)
    incomplete = tmp_path / "incomplete.toml"
    incomplete.write_text('[nationality.SY]\niso3 = "SYR"\n', encoding="utf-8")
    with pytest.raises(DataFileError, match="incomplete.toml"):
        Composition.load(incomplete)


def test_administrative_noun_joins_the_place(stage: EntitiesStage) -> None:
    got = run(stage, "اشتدت المعارك في محافظة دير الزور وفي مدينة البوكمال.")
    gov = find(got, "محافظة دير الزور")
    assert gov["label"] == "LOC" and gov["name_en"] == "Deir ez-Zor Governorate" and gov["kind"] == "governorate"
    assert find(got, "البوكمال")["name_en"] == "Abu Kamal"  # مدينة stays outside the name


def test_name_without_article_does_not_match_the_common_word(stage: EntitiesStage) -> None:
    got = run(stage, "استقبل الجمهور الفريق بالحماس المعتاد.")
    assert not [m for m in got if m[2].get("actor_id") == "hamas"]
    got = run(stage, "قالت حماس إن الهدنة صامدة.")
    assert find(got, "حماس")["actor_id"] == "hamas"


def test_corrupt_tagger_side_files_name_the_file(tmp_path: Path) -> None:
    from marsad.entities.tagger import load_contexts, load_names

    bad = tmp_path / "contexts.tsv"
    bad.write_text("# header\nonly-one-column\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="contexts.tsv"):
        load_contexts(bad)
    names = tmp_path / "names.tsv"
    names.write_bytes(b"\xff\xfe\x00broken")
    with pytest.raises(DataFileError, match="names.tsv"):
        load_names(names)
    with pytest.raises(DataFileError, match="missing.tsv"):
        load_contexts(tmp_path / "missing.tsv")


def test_nationals_stand_for_their_state_as_agents(stage: EntitiesStage) -> None:
    got = run(stage, "وقال إن الروس والأميركيين اتفقوا.")
    russians = find(got, "الروس")
    assert russians["label"] == "AGENT" and russians["actor_code"] == "RUS" and russians["name_en"] == "Russia"
    assert find(got, "الأميركيين")["country"] == "US"


def test_transliteration_uses_conventional_name_spellings() -> None:
    assert transliterate("محمد بن سلمان") == "Mohammed bin Salman"
    assert transliterate("علي عبد الله صالح") == "Ali Abdullah Saleh"
    assert transliterate("بهاء الدين") == "Baha al-Din"


def test_odd_input_never_crashes_and_latin_runs_are_not_guessed(stage: EntitiesStage) -> None:
    assert run(stage, " ") == [] and run(stage, "...!!") == []
    got = run(stage, "Hello world from the newsroom in town. وقال بوتين إن الوضع مستقر.")
    assert [m[0] for m in got] == ["بوتين"]
    assert run(stage, "قال " * 2000) == []  # one very long sentence
