"""A readable, deterministic romanisation of Arabic names for entities with no canonical English name.

Scheme (news-style, no diacritics, documented so analysts can read it back):
- the article ال at a word's start → ``al-`` (sun letters are not assimilated: ``al-Shams``);
- consonants: ب b, ت t, ث th, ج j, ح h, خ kh, د d, ذ dh, ر r, ز z, س s, ش sh, ص s, ض d, ط t, ظ z, ع ' (dropped
  word-initially), غ gh, ف f, ق q, ك k, ل l, م m, ن n, ه h, ء/أ/ؤ/ئ ' (dropped word-initially, where أ إ آ give a/i/a),
  گ g, پ p, چ ch, ڤ v;
- long vowels: ا a, ى a, ة a (word-final), و u between consonants or at the end, otherwise w; ي i between
  consonants or at the end, otherwise y;
- unwritten short vowels: an ``a`` after a word-initial consonant followed by another, and inside a run of three
  consonants (كمال → Kamal, رحمن → Rahman, حسن → Hasn); لل at a word's start → ``lil-``;
- each word is capitalised; ``عبد`` joined to a following ``ال`` word becomes ``Abdel`` (عبد الرحمن → Abdel Rahman);
- common name words take their conventional spelling from data/actors/name_spellings.tsv (محمد → Mohammed,
  بن → bin), with or without the article (الحسين → al-Hussein).
Latin-script and digit text passes through. The result is never empty: text with no letters is returned as is.
"""
from __future__ import annotations

import re
from functools import lru_cache

from marsad.text.normalise import matching_form

_CONSONANTS = {
    "ب": "b", "ت": "t", "ث": "th", "ج": "j", "ح": "h", "خ": "kh", "د": "d", "ذ": "dh", "ر": "r", "ز": "z",
    "س": "s", "ش": "sh", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "'", "غ": "gh", "ف": "f", "ق": "q",
    "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "ء": "'", "گ": "g", "پ": "p", "چ": "ch", "ڤ": "v",
    "ژ": "zh",
}
_VOWEL_LETTERS = {"ا", "ى", "و", "ي", "ة"}
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")
_DIACRITICS = re.compile(r"[\u064b-\u065f\u0670\u0640]")


def _word(word: str) -> str:
    # Keep the initial hamza seat's vowel before folding: إ is i, أ and آ are a.
    first = word[:1]
    initial = {"إ": "i", "أ": "a", "آ": "a"}.get(first)
    w = matching_form(word)
    if not w:
        return ""
    if word.endswith("ة"):  # the folded form turned ة into ه: it is read as a
        w = w[:-1] + "ة"
    prefix = ""
    if w.startswith("ال") and len(w) > 3:
        prefix, w = "al-", w[2:]
        initial = None
    elif w.startswith("لل") and len(w) > 4:
        prefix, w = "lil-", w[2:]
        initial = None
    out: list[str] = []
    kinds: list[str] = []  # "c" consonant or "v" vowel, per output unit
    n = len(w)
    for i, ch in enumerate(w):
        prev_c = i > 0 and w[i - 1] not in _VOWEL_LETTERS
        nxt = w[i + 1] if i + 1 < n else ""
        if i == 0 and initial:
            out.append(initial)
            kinds.append("v")
            continue
        if ch == "ا":
            out.append("a"); kinds.append("v")
        elif ch in ("ى", "ة"):
            out.append("a"); kinds.append("v")
        elif ch == "و":
            if i > 0 and prev_c and (not nxt or nxt not in _VOWEL_LETTERS):
                out.append("u"); kinds.append("v")
            else:
                out.append("w"); kinds.append("c")
        elif ch == "ي":
            if i > 0 and prev_c and (not nxt or nxt not in _VOWEL_LETTERS):
                out.append("i"); kinds.append("v")
            else:
                out.append("y"); kinds.append("c")
        elif ch in _CONSONANTS:
            if i == 0 and ch in "عء":
                out.append("a"); kinds.append("v")
                continue
            out.append(_CONSONANTS[ch]); kinds.append("c")
        elif ch.isalnum():
            out.append(ch); kinds.append("c")
    # Unwritten short vowels: an a after a word-initial consonant or inside a run of three consonants.
    text = ""
    last_vowel = False  # was the unit before the previous one a vowel (written or inserted)?
    for k, (piece, kind) in enumerate(zip(out, kinds)):
        if k > 0 and kind == "c" and kinds[k - 1] == "c" and (k == 1 or not last_vowel):
            text += "a"
            last_vowel = True
        else:
            last_vowel = k > 0 and kinds[k - 1] == "v"
        text += piece
    text = text.strip("'") or text
    return prefix + text


@lru_cache(maxsize=1)
def name_spellings() -> dict[str, str]:
    """Conventional spellings of common name words (data/actors/name_spellings.tsv), keyed by matching form."""
    from marsad.resources import DataFileError, data_path

    path = data_path("actors/name_spellings.tsv")
    spellings: dict[str, str] = {}
    try:
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.startswith("#"):
                continue
            arabic, sep, english = line.partition("\t")
            if not sep or not english.strip():
                raise DataFileError(f"marsad data file {path}:{n} is corrupt: {line[:60]!r}")
            spellings[matching_form(arabic.strip())] = english.strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable: {exc}") from exc
    return spellings


@lru_cache(maxsize=100_000)
def transliterate(arabic: str) -> str:
    """Romanise ``arabic`` (see the module doc for the scheme). Never returns an empty string."""
    text = _DIACRITICS.sub("", arabic).strip()
    if not _ARABIC.search(text):
        return text or "?"
    words = re.findall(r"[^\s]+", text)
    spellings = name_spellings()
    parts: list[str] = []
    skip_next_article = False
    skip_word = -1
    for i, word in enumerate(words):
        if i == skip_word:
            continue
        core = re.sub(r"^[^\w]+|[^\w]+$", "", word)
        if not core:
            continue
        if _ARABIC.search(core) is None:
            parts.append(core)
            continue
        folded = matching_form(core)
        if folded == "عبد" and i + 1 < len(words) and matching_form(words[i + 1]) == "الله":
            parts.append("Abdullah")  # عبد الله is written as one name in English
            skip_word = i + 1
            continue
        if folded == "عبد" and i + 1 < len(words) and matching_form(words[i + 1]).startswith("ال"):
            parts.append("Abdel")
            skip_next_article = True
            continue
        known = spellings.get(folded)
        if known is None and folded.startswith("ال") and folded[2:] in spellings:
            known = "al-" + spellings[folded[2:]]
        if known is not None:
            if skip_next_article and known.startswith("al-"):
                known = known[3:]
            skip_next_article = False
            parts.append(known if parts or not known.startswith("al-") else "A" + known[1:])
            continue
        roman = _word(core)
        if skip_next_article and roman.startswith("al-"):
            roman = roman[3:]
        skip_next_article = False
        if not roman:
            continue
        if roman.startswith("al-"):
            roman = "al-" + roman[3:4].upper() + roman[4:]
            if not parts:
                roman = "A" + roman[1:]
        else:
            roman = roman[:1].upper() + roman[1:]
        parts.append(roman)
    return " ".join(parts) or text or "?"
