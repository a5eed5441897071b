"""The compiled scans of the times stage (marsad/time/_scan.pyx) against their pure-Python twins.

The compiled module is what keeps the stage cheap next to tokenisation (issue 7); the twins are the reference and
the fallback when no C compiler was there at install. Both must find the same candidates, chains, units and layer.
"""
from __future__ import annotations

import json
import re

import pytest

from marsad.document import Document
from marsad.pipeline import create_stage
from marsad.resources import DataFileError, data_path
from marsad.stages import times
from marsad.stages.times import TimesStage
from marsad.time import lexicon

EDGE_CASES = [
    "", "أمس", "\nأمس\n", "2015", "x", "12345678", "1999x2015", "٢٠١٥ و١٩٩٩ و۱۳۹۰ و3٠١٥",
    "x" * 100 + " أمس", "أمس\u00a0الأول\tالخميس\u2003غدا\u3000اليوم\x1cالسبت",
    "😀 يوم الخميس 12/3/2015 (أمس)",  # a four-byte character: the string's widest storage
    "café الأحد. naïve",  # Latin-1 storage around an Arabic word
    "plain ascii 2015 only", "في حزيران/يونيو 2015", "(تموز) 2016", "/يونيو", "الخميس" + " كلمة" * 50,
    " " * 5 + "اليوم" + " " * 5, "اليوم.الخميس،أمس؛غدا!", "قبل عام، وبعد عام من ذلك", "عام 2015.\r\nيوم",
    "منذ عشرة أيام وخلال الأسبوع الماضي", "و12 آذار", "الـ24 ساعة", "يوما " * 30,
    "أمس" + "ـ" * 60 + " اليوم",  # a word longer than the walk's word limit
    "ب/يونيو و(يوليو) وكلمةطويلةجداجداجداجداجدا/يونيو 5/يونيو x(تموز) حزيران/ يونيو",  # joined names, edge cases
    "حزيران/يونيو2012 ومارس٢٠١١ وإف16 ويوم15 كانون2014",  # words written against numbers
    "في 12يونيو و٣أيام و2015يونيو و12كلمة و12 و12الماضي و۱۲آذار",  # digits against a form, strong or not
    # candidates deep in a chain longer than chain_words each way: the walk goes on from each
    "في حدود 1123 مليون دينار، خلال السبعة اشهر الاولى من السنة الحالية والعام المقبل وقبل عام 2016 و2017 و2018",
]


# tests of the compiled module's own pieces; when it is not built, test_the_compiled_scan_is_built is the failure
needs_scan = pytest.mark.skipif(lexicon._scan is None, reason="marsad.time._scan is not built")


@pytest.fixture(scope="module")
def stage() -> TimesStage:
    return TimesStage()


def sample_texts() -> list[str]:
    with data_path("samples/ant_samples.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line)["text"] for line in handle] + EDGE_CASES


def test_the_compiled_scan_is_built(stage):
    # make's install builds it (setup.py); a silent fallback would keep the output but lose the speed
    assert lexicon._scan is not None and stage.prefilter.compiled is lexicon._scan


def test_every_blanked_character_is_inside_the_boundary_table():
    assert all(ord(ch) < lexicon._BOUNDARY_LIMIT for ch in (" ", *lexicon._CLINGING, *lexicon._LINE_BREAKS))
    assert not [hex(c) for c in range(lexicon._BOUNDARY_LIMIT, 0x110000) if lexicon._RARE_SPACE.match(chr(c))]


@pytest.mark.parametrize("text", sample_texts())
def test_candidates_and_chains_match_the_python_twins(stage, text):
    compiled, python = sorted(stage.prefilter.positions(text)), sorted(stage.prefilter.positions_python(text))
    assert compiled == python
    walked = stage._chains_python(text, python)
    assert stage._chains(text, compiled) == stage._trimmed(text, walked)
    # the compiled walk's own chains, before the edge marks are taken off
    assert stage.prefilter.compiled is None or stage.prefilter.compiled.chains(
        text, compiled, stage._known_words, stage._known, stage.surface, stage.chain_words, times._MAX_WORD,
        times._STOPS_TABLE, stage._surface_bloom, times._SURFACE_BLOOM_MASK, stage._chain_end) == walked


def test_the_scan_finds_forms_years_and_weak_words_in_context(stage):
    text = "وصل أمس، وفي عام 2015 و١٩٩٩ قبل عام وعام جديد"
    found = sorted(stage.prefilter.positions(text))
    starts = [m.start() for m in re.finditer(r"\S+", text)]
    words = dict(zip(starts, text.split()))
    assert [words.get(p, text[p:p + 4]) for p in found] == ["أمس،", "عام", "2015", "١٩٩٩", "عام"]


@pytest.mark.parametrize("compiled", [pytest.param(True, marks=needs_scan), False])
def test_four_digits_inside_a_longer_number_are_no_year(stage, compiled):
    # a telephone number, a five-digit count, a year in a date and a year after a decimal point
    text = "هاتف 3601116664 و12015 و2015 و21/7/٢٠١٦ و1.1999"
    found = sorted(stage.prefilter.positions(text) if compiled else stage.prefilter.positions_python(text))
    assert [text[p:p + 4] for p in found] == ["2015", "٢٠١٦", "1999"]


@needs_scan
def test_the_bloom_filter_holds_every_form(stage):
    pre = stage.prefilter
    for form in pre.forms:
        for b in lexicon._scan.bloom_bits(form, pre._bloom_mask):
            assert pre._bloom[b >> 3] & (1 << (b & 7)), form


@needs_scan
def test_the_surface_filter_never_stops_a_walk_at_a_known_word(stage):
    """The chain walk takes a letters-only word whose bit is clear in the surface filter as unknown without looking
    it up: every spelling of the surface index, walked into from both sides, gives the chains of the look-up."""
    from marsad.stages import times as module
    scan = lexicon._scan
    words = sorted(stage.surface)
    text = "\n".join(f"زرع {word} أمس {word} حصاد" for word in words + ["و", "كلمةمجهولة", "ـأمس", "أَمس"])
    positions = stage.prefilter.positions(text)

    def walk(bloom: bytes, mask: int) -> list:
        return scan.chains(text, sorted(positions), {}, stage._known, stage.surface, stage.chain_words,
                           module._MAX_WORD, module._STOPS_TABLE, bloom, mask, stage._chain_end)

    with_filter = walk(stage._surface_bloom, module._SURFACE_BLOOM_MASK)
    assert with_filter == walk(b"", 0) == stage._chains_python(text, positions)
    assert len(with_filter) >= len(words)


def test_the_fallback_gives_the_same_layer():
    compiled, fallback = create_stage("times"), create_stage("times")
    fallback.prefilter.compiled = None
    for text in sample_texts():
        for published in ("2017-11-19", None):
            a = compiled(Document(text=text, published=published)).layer("times")
            b = fallback(Document(text=text, published=published)).layer("times")
            assert [(s.start, s.end, s.attrs) for s in a] == [(s.start, s.end, s.attrs) for s in b]


def test_compiled_modules_are_built_from_the_current_sources():
    """setup.py compiles the stage's modules; a compiled module is imported before its .py, so one older than its
    source would run old code. `make` rebuilds when a source changes; run `pip install -e .` after editing."""
    import importlib
    from importlib.machinery import EXTENSION_SUFFIXES
    from pathlib import Path
    setup_py = Path(__file__).resolve().parents[1] / "setup.py"
    names = re.findall(r'"(marsad\.[\w.]+)": "(src/[\w/]+\.pyx?)"', setup_py.read_text(encoding="utf-8"))
    assert len(names) == 5
    for name, path in names:
        module = importlib.import_module(name)
        built = Path(module.__file__)
        assert built.name.endswith(tuple(EXTENSION_SUFFIXES)), f"{name} is not compiled: run `pip install -e .`"
        origin = setup_py.parent / path
        # a .pxd beside the source (declarations Cython reads with it) is a source of the module too
        for source in (origin, origin.with_suffix(".pxd")):
            if source.exists():
                assert built.stat().st_mtime >= source.stat().st_mtime, \
                    f"{built} is older than {source}: run `pip install -e .`"


@needs_scan
def test_the_compiled_piece_split_is_the_piece_regex_for_every_character():
    """units_from_text's C piece split reimplements lexicon._PIECE (\\d, \\s and the punctuation class): each
    character of the Basic Multilingual Plane, alone and between digits and letters, splits as the regex does."""
    from marsad.time.lexicon import _PIECE
    samples = []
    for code in range(0x10000):
        ch = chr(code)
        if 0xD800 <= code <= 0xDFFF:
            continue
        samples.append(f"{ch} 12{ch}5 x{ch}y{ch}{ch}٣")
    text = "\n".join(samples)
    assert lexicon._scan.pieces(text, 0, len(text)) == [(m.start(), m.group()) for m in _PIECE.finditer(text)]
    for lo, hi in ((-3, 5), (4, 2), (10, 10 ** 9)):
        assert lexicon._scan.pieces(text, lo, hi) == [(m.start(), m.group()) for m in _PIECE.finditer(text, lo, hi)]


@needs_scan
def test_a_year_regex_other_than_the_scan_s_is_used_as_written():
    """The data file's year_regex decides: when it is not the one the compiled scan implements, its matches are
    the years (here: only years written in Western digits)."""
    from marsad.resources import data_path, load_toml
    spec = load_toml(data_path("times/patterns.toml"))
    spec["prefilter"]["year_regex"] = "[12][0-9]{3}"
    stage = TimesStage()
    pre = lexicon.Prefilter(stage.lexicon, spec["prefilter"])
    text = "في 2015 و١٩٩٩"
    assert not pre._scan_years
    assert sorted(pre.positions(text)) == sorted(pre.positions_python(text)) == [3]
    assert stage.prefilter._scan_years and sorted(stage.prefilter.positions(text)) == [3, 9]


@needs_scan
def test_a_joined_name_rule_other_than_the_scan_s_is_used_as_written():
    """The scan finds the words before a joined month name only for the joined_regex and joined_marks it
    implements; other ones are tried as written (here: only a slash)."""
    from marsad.resources import data_path, load_toml
    spec = load_toml(data_path("times/patterns.toml"))
    spec["prefilter"]["joined_marks"] = ["/"]
    stage = TimesStage()
    pre = lexicon.Prefilter(stage.lexicon, spec["prefilter"])
    text = "قال كانون/يناير وتموز(يوليو)"
    assert not pre._scan_joined and stage.prefilter._scan_joined
    ours = stage.prefilter
    assert ours.compiled.candidates(text, ours._boundary, ours._bloom, ours._bloom_mask, ours.forms, ours._max_length,
                                    True, True)[3] == [4, 16]
    assert sorted(pre.positions(text)) == sorted(pre.positions_python(text))
    assert sorted(ours.positions(text)) == sorted(ours.positions_python(text))


def test_the_compiled_fold_is_the_python_fold_on_every_character():
    """marsad.text._fold (the clause fold of the tense test, and every matching_form) against str.translate."""
    from marsad.text import normalise
    if normalise._fold is None:
        pytest.skip("marsad.text._fold is not built")
    fold, reference = normalise._fold.fold, normalise.matching_form_python
    for code in range(0x110000):
        if not 0xD800 <= code < 0xE000:
            ch = chr(code)
            assert fold(ch) == reference(ch), hex(code)
    for text in [*EDGE_CASES, *sample_texts(), "ΟΔΟΣ Σ", "İstanbul أَحْمَد", "\u200fإِلى\u0640ـى ۱۲"]:
        assert fold(text) == reference(text)
        assert type(fold(text)) is str


def test_pattern_requirements_never_skip_a_match(stage):
    """_candidates skips a pattern when the class string lacks one of the character sets read from its regex; a
    set wrongly read would skip matches. The reading on small regexes, then the same candidates with and without
    the pruning on the sample articles' chains."""
    from marsad.stages.times import required_characters
    assert required_characters(re.compile("a[bc]d?(?=e)|f")) == (frozenset("abcef"),)
    assert required_characters(re.compile("x[^y]")) == (frozenset("x"),)
    assert required_characters(re.compile("(?i)ab")) == ()
    assert required_characters(re.compile("(?i:a)b")) == (frozenset("b"),)
    assert required_characters(re.compile("a\\db+")) == (frozenset("a"), frozenset("b"))
    fresh = create_stage("times")
    fresh.requirements = tuple(() for _ in fresh.patterns)
    fresh.patterns_by_class = {ch: list(range(len(fresh.patterns))) for ch in fresh.classes.values()}
    pruned = create_stage("times")
    checked = 0
    for text in sample_texts():
        for lo, hi in pruned._chains(text, pruned.prefilter.positions(text)):
            checked += bool(fresh._analyse_chain(text[lo:hi])[2])
            assert pruned._analyse_chain(text[lo:hi])[2] == fresh._analyse_chain(text[lo:hi])[2]
    assert checked > 40
    # the patterns kept for a set of classes are cached by the set: a class string with the same classes in
    # another order or number gets the same patterns tried
    assert len(pruned._orders_by_classes) < len(pruned._by_chars)


def test_cue_words_rule_out_only_clauses_the_regexes_cannot_match(stage):
    """The tense test skips the cue regex search when may_match says no; that must never hide a match."""
    from marsad.stages.times import cue_words, may_match
    words = cue_words([r"(?<!\S)(?:من )?ال(?:مقرر|مزمع)(?:ه)?(?!\S)", r"(?<!\S)[وف]?س?يعقد(?!\S)"])
    assert words is not None and set(words) == {"المقرر", "المقرره", "المزمع", "المزمعه", "يعقد", "سيعقد",
                                                  "ويعقد", "فيعقد", "وسيعقد", "فسيعقد"}
    assert frozenset({"من", "المقرر"}) in words["المقرر"]
    # anything not a whole-word regex over a finite language: no shortcut
    assert cue_words([r"(?<!\S)ا+(?!\S)"]) is None
    assert cue_words([r"(?<!\S)a(?!\S)|b"]) is None
    assert cue_words([r"(?i)(?<!\S)a(?!\S)"]) is None
    assert may_match(None, "anything")
    regex = stage.future_cue
    texts = [w for t in sample_texts() for w in t.split("\n")] + ["من المقرر ان", "المقرر", "سيعقد\u00a0غدا", ""]
    from marsad.text.normalise import matching_form
    matched = ruled_out = 0
    for text in texts:
        folded = matching_form(text)
        if regex.search(folded):
            matched += 1
            assert may_match(stage.future_cue_words, folded), folded
        elif not may_match(stage.future_cue_words, folded):
            ruled_out += 1
        if stage.future_before.search(folded):
            assert may_match(stage.future_before_words, folded), folded
    assert matched >= 3 and ruled_out >= 10  # both sides of the test were exercised


def test_a_chain_end_word_ends_a_chain_after_a_candidate_and_is_not_taken_before_one(stage):
    text = "وصل إلى 1080 دولارا في الأسبوع الماضي وبلغ مليون دولار خلال العام"
    assert "دولارا" in stage._chain_end and "دولار" in stage._chain_end and "مليون" in stage._chain_end
    positions = stage.prefilter.positions(text)
    chains = [text[lo:hi] for lo, hi in stage._chains(text, positions)]
    assert chains == ["إلى 1080 دولارا", "في الأسبوع الماضي", "خلال العام"]
    assert stage._chains_python(text, positions) == stage._chains(text, positions)


def test_chain_end_classes_must_be_classes(tmp_path):
    text = data_path("times/patterns.toml").read_text(encoding="utf-8")
    assert 'chain_end_classes = ["MEASURE"]' in text
    patterns = tmp_path / "patterns.toml"
    patterns.write_text(text.replace('chain_end_classes = ["MEASURE"]', 'chain_end_classes = ["NO_SUCH"]'),
                        encoding="utf-8")
    with pytest.raises(DataFileError, match="chain_end_classes"):
        TimesStage(patterns_file=patterns)
