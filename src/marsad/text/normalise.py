"""Matching forms: the folded spelling every lexicon look-up uses (the original text is what users see).

Folding: diacritics, Quranic marks and tatweel removed; أ إ آ ٱ → ا; ؤ ئ → ء (so حلفاؤها, حلفائها, حلفاء
meet); ى → ي; ة → ه; Persian ک ی → ك ي; Arabic-Indic and Persian digits → ASCII; Latin lower-cased.
Only deletions change the length, which ``matching_form_with_map`` accounts for.
"""
from __future__ import annotations

_DELETED = (
    [chr(c) for c in range(0x0610, 0x061B)]  # Quranic honorifics and small marks
    + [chr(c) for c in range(0x064B, 0x0660)]  # tanween, harakat, shadda, sukun, maddah/hamza marks
    + ["\u0670", "\u0640"]  # superscript alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06EE)]  # Quranic annotation signs
    + ["\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff"]  # joiners and direction marks
)

_FOLDED = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "ء", "ئ": "ء",
    "ى": "ي", "ی": "ي", "ې": "ي", "ة": "ه", "ۀ": "ه", "ہ": "ه", "ک": "ك", "گ": "ك",
    **{chr(0x0660 + d): str(d) for d in range(10)},
    **{chr(0x06F0 + d): str(d) for d in range(10)},
}

_TABLE = str.maketrans({**{ch: None for ch in _DELETED}, **_FOLDED})
_DELETED_SET = frozenset(_DELETED)


def matching_form_python(text: str) -> str:
    """The folded form of ``text`` used for every look-up."""
    return text.translate(_TABLE).lower()


try:  # the compiled twin (setup.py builds it; the same result, checked for every BMP character in the tests)
    from marsad.text import _fold
except ImportError:  # not built (no C compiler at install): the Python twin
    _fold = None
if _fold is not None:
    _fold.load_table(_TABLE)
    matching_form = _fold.fold
else:
    matching_form = matching_form_python


def matching_form_with_map(text: str) -> tuple[str, list[int]]:
    """The matching form and, for each of its characters, the index of the original character it came from."""
    folded = matching_form(text)
    if len(folded) == len(text):
        return folded, list(range(len(text)))
    index_map = [i for i, ch in enumerate(text) if ch not in _DELETED_SET]
    return folded, index_map


ARABIC_LETTERS = frozenset(chr(c) for c in range(0x0621, 0x064B)) | frozenset(chr(c) for c in range(0x0671, 0x06D4))


def arabic_ratio(text: str) -> float:
    """Share of Arabic letters among all letters (0 when there are no letters)."""
    letters = arabic = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if ch in ARABIC_LETTERS:
                arabic += 1
    return arabic / letters if letters else 0.0
