import pytest

from marsad import analyse
from marsad.text import matching_form, matching_key, split_sentences
from marsad.text.tokens import Tokeniser, count_words


def pieces(word):
    return [(word[s:e], label) for s, e, label, _, _ in Tokeniser().pieces(word)]


# --- matching forms ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("original, folded", [
    ("أَحْمَد", "احمد"), ("إيران", "ايران"), ("آذار", "اذار"), ("مستشفى", "مستشفي"), ("مدينة", "مدينه"),
    ("حلفاؤها", "حلفاءها"), ("حلفائها", "حلفاءها"), ("الســـلام", "السلام"), ("٢٠١٧", "2017"), ("۱۳۹۶", "1396"),
    ("CNN", "cnn"), ("ک", "ك"),
])
def test_matching_form_folds(original, folded):
    assert matching_form(original) == folded


# --- tokens -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("word, expected", [
    ("وبالبوكمال", [("و", "PRO"), ("ب", "PRO"), ("ال", "ART"), ("بوكمال", "WORD")]),
    ("والجمعة", [("و", "PRO"), ("ال", "ART"), ("جمعة", "WORD")]),
    ("للتنظيم", [("ل", "PRO"), ("ل", "ART"), ("تنظيم", "WORD")]),
    ("وقال", [("و", "PRO"), ("قال", "WORD")]),
    ("سيعقد", [("س", "PRO"), ("يعقد", "WORD")]),
    # و/ف before a future verb whose form with س is rare (يبلغ is common, سيبلغ not)
    ("وسيبلغ", [("و", "PRO"), ("س", "PRO"), ("يبلغ", "WORD")]),
    ("فستكون", [("ف", "PRO"), ("س", "PRO"), ("تكون", "WORD")]),
    ("حكومته", [("حكومت", "WORD"), ("ه", "ENC")]),
    ("عليها", [("علي", "WORD"), ("ها", "ENC")]),
    ("ولا", [("و", "PRO"), ("لا", "WORD")]),
    # words that only look prefixed or suffixed stay whole
    ("وزارة", [("وزارة", "WORD")]), ("وجود", [("وجود", "WORD")]), ("كبير", [("كبير", "WORD")]),
    ("بيروت", [("بيروت", "WORD")]), ("الله", [("الله", "WORD")]), ("الذي", [("الذي", "WORD")]),
    ("دولة", [("دولة", "WORD")]), ("وجه", [("وجه", "WORD")]), ("كان", [("كان", "WORD")]),
    # س + a common word is no future before ا (ساهم is أهم، ساعد أعد, سانت أنت)
    ("ساهم", [("ساهم", "WORD")]), ("ساعد", [("ساعد", "WORD")]), ("سانت", [("سانت", "WORD")]),
    ("وساهم", [("و", "PRO"), ("ساهم", "WORD")]),
])
def test_clitic_splitting(word, expected):
    assert pieces(word) == expected


def test_diacritised_word_keeps_offsets():
    word = "وَالْجَيْشُ"
    got = [(word[s:e], label, norm) for s, e, label, norm, _ in Tokeniser().pieces(word)]
    assert got == [("وَ", "PRO", "و"), ("الْ", "ART", "ال"), ("جَيْشُ", "WORD", "جيش")]


def test_numbers_and_punctuation():
    got = [(label, norm) for _, _, label, norm, _ in Tokeniser().pieces("قتل ٢٥ شخصا (3.5%)")]
    assert got == [("WORD", "قتل"), ("NUM", "25"), ("WORD", "شخصا"), ("PUNCT", "("), ("NUM", "3.5"),
                   ("PUNCT", "%"), ("PUNCT", ")")]


def test_matching_key_ignores_clitics_and_article():
    assert matching_key("والبوكمال") == matching_key("بالبوكمال") == matching_key("البوكمال") == ("بوكمال",)
    assert matching_key("محافظة دير الزور") == ("محافظه", "دير", "زور")


def test_every_token_of_seed_article_round_trips(bukamal_text):
    doc = analyse(bukamal_text)
    assert len(doc.tokens) > 900
    words = {}
    for token in doc.tokens:
        surface = bukamal_text[token.start:token.end]
        assert surface and not surface.isspace()
        assert matching_form(surface) == token.attrs["norm"] or token.label in ("WORD", "NUM")
        words.setdefault(token.attrs["w"], []).append(token)
    # pieces of one word are contiguous and cover it
    for pieces_of_word in words.values():
        for a, b in zip(pieces_of_word, pieces_of_word[1:]):
            assert a.end == b.start
    assert count_words(bukamal_text) == len(words) - sum(1 for p in words.values() if p[0].label == "PUNCT")



def test_spans_agree_with_pieces_and_the_token_cache(bukamal_text):
    """spans() (cached per token) gives what pieces() gives, on a first and a repeated pass and with a new Tokeniser."""
    from marsad.document import Provenance

    prov = Provenance("tokens", "clitic-splitter", "1")
    text = "  " + bukamal_text + " ١٢,٥ و3 ـــ"  # shifted offsets, a decimal comma, a lone tatweel
    expected = [(s, e, label, {"norm": norm, "w": w}) for s, e, label, norm, w in Tokeniser().pieces(text)]
    for tokeniser in (Tokeniser(), Tokeniser()):
        for _ in range(2):
            got = tokeniser.spans(text, prov)
            assert [(t.start, t.end, t.label, t.attrs) for t in got] == expected
            assert all(t.provenance is prov for t in got)
    # pieces(offset=...) shifts every offset and nothing else
    unshifted = [(s + 5, e + 5, *rest) for s, e, *rest in Tokeniser().pieces(text[2:])]
    assert list(Tokeniser().pieces(text[2:], offset=5)) == unshifted


def test_word_pattern_matches_letters_and_marks_as_before():
    """WORD_PATTERN's runs form matches exactly what one alternation per character matched."""
    import re

    from marsad.text.tokens import _MARKS, WORD_PATTERN

    plain = re.compile(rf"(?:[^\W\d_]|[{_MARKS}])+")
    fast = re.compile(WORD_PATTERN)
    sample = "".join(chr(c) for c in range(0x20, 0x3000)) + "\u200c\u200d" + "وَالْجَيْشُ_٣ abcـــ"
    assert [m.span() for m in fast.finditer(sample)] == [m.span() for m in plain.finditer(sample)]
    for word in ("وَالْجَيْشُ", "abc", "ـــ", "ab1", "a_b", "\u064e"):
        assert bool(fast.fullmatch(word)) == bool(plain.fullmatch(word))


# --- sentences --------------------------------------------------------------------------------------------
def test_glued_full_stop_and_boilerplate_cut():
    text = "سيطرت القوات على المدينة، وفق المرصد السوري لحقوق الانسان.اضافة اعلان\nوتبادل الطرفان السيطرة."
    doc = analyse(text)
    got = [doc.span_text(s) for s in doc.sentences]
    assert got == ["سيطرت القوات على المدينة، وفق المرصد السوري لحقوق الانسان.", "وتبادل الطرفان السيطرة."]


def test_quotes_decimals_abbreviations_and_headlines():
    text = ("عنوان بلا نقطة\n"
            "وقال د. أحمد إن \"الوضع صعب. لكننا صامدون\" في المدينة. ونمت الأسعار 3.5 في المئة! هل ينتهي؟ نعم.")
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == [
        "عنوان بلا نقطة",
        "وقال د. أحمد إن \"الوضع صعب. لكننا صامدون\" في المدينة.",
        "ونمت الأسعار 3.5 في المئة!",
        "هل ينتهي؟",
        "نعم.",
    ]


def test_guillemets_and_parentheses_protect_full_stops():
    text = "قال «انتهى الأمر. سنعود» ثم غادر. وذكر (نقلا عن مصدر. مطلع) أن الهدنة صامدة."
    got = [text[s:e] for s, e in split_sentences(text)]
    assert got == ["قال «انتهى الأمر. سنعود» ثم غادر.", "وذكر (نقلا عن مصدر. مطلع) أن الهدنة صامدة."]


def test_unbalanced_quote_does_not_swallow_the_paragraph():
    text = 'قال "بدأ الهجوم. ' + "وتقدمت القوات في المدينة. " * 30
    assert len(split_sentences(text)) > 20


def test_seed_article_sentences_as_a_reader_splits_them(bukamal_text):
    doc = analyse(bukamal_text)
    sentences = [doc.span_text(s) for s in doc.sentences]
    assert 30 <= len(sentences) <= 36
    assert sentences[0].startswith("الجيش السوري وحلفاؤه") and doc.sentences[0].attrs.get("headline")
    assert sentences[1].startswith("بيروت- سيطرت قوات النظام السوري")
    assert sentences[1].endswith("لحقوق الانسان.")
    assert sentences[2].startswith("وتبادل الطرفان السيطرة")
    assert sentences[-1].endswith("والمعارضة السورية.")
    assert not any("اضافة اعلان" in s or "وكالات" in s for s in sentences)
    assert "صعوبات تواجه التفاهم الروسي الأميركي" in sentences  # the second headline, no full stop
    # quoted speech stays inside the sentence that reports it
    assert any(s.startswith("وقال مدير المرصد رامي عبد الرحمن") and s.endswith("ليل الجمعة\".") for s in sentences)
