"""The times lexicon (data/times/lexicon.toml), the candidate prefilter, and the units of the pattern string.

A *unit* is what one character of the pattern string stands for: a word or lexicon phrase with its class, a number,
a punctuation mark, the conjunction و. Units are built only for the short chains of known words around candidates,
with one look-up per word in a surface index that already holds every spelling with its clitics (so no clitic
splitting is needed there), which keeps the stage cheap next to tokenisation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any, Callable, NamedTuple

import ahocorasick

from marsad.resources import DataFileError
from marsad.text.normalise import matching_form
from marsad.text.tokens import Tokeniser

try:  # the compiled scans (setup.py); without a C compiler at install, the pure-Python twins below do the same
    from marsad.time import _scan
except ImportError:  # pragma: no cover - exercised by forcing the fallback in the tests
    _scan = None

ANY, REQUIRED, FORBIDDEN = "any", "required", "forbidden"


@dataclass(frozen=True, slots=True)
class Entry:
    cls: str  # class character
    value: Any
    article: str  # ANY / REQUIRED / FORBIDDEN


class Restriction(NamedTuple):
    """The forms a lexicon section's words may not take (its optional keys; data/times/README.md)."""
    proclitics: frozenset[str] | None  # the proclitic letters allowed (None: all)
    not_spellings: frozenset[str]  # spelling variants that are other words
    not_forms: frozenset[str]  # whole forms, clitics and all, that are other words


_FREE = Restriction(None, frozenset(), frozenset())


class Lexicon:
    """Phrase key (tuple of stems) → entries; indexed by first stem for the one-look-up-per-word fast path."""

    def __init__(self, spec: dict[str, Any], classes: dict[str, str], path: str = "lexicon.toml"):
        self.classes = classes
        self.entries: dict[tuple[str, ...], list[Entry]] = {}
        self.surface: dict[str, list[str]] = {}  # class character → phrases as written (for the prefilter)
        self._tokeniser = Tokeniser()
        # written word → its section's `proclitics`, `not_spellings` and `not_forms` (آب: باب is a door, إب a
        # city, أب a father; بأمس الحاجة is "most in need"); a word absent here takes every form
        self.restrictions: dict[str, Restriction] = {}
        unrestricted: set[str] = set()
        for section, body in spec.items():
            if not isinstance(body, dict) or "class" not in body:
                continue
            cls_name = body["class"]
            if cls_name not in classes:
                raise DataFileError(f"marsad data file {path}: [{section}] names unknown class {cls_name!r}")
            article = body.get("article", ANY)
            words_of = [(_value(value), words) for value, words in body.get("values", {}).items()]
            words_of.append((None, body.get("words", [])))
            proclitics = body.get("proclitics")
            if proclitics is not None and not set(proclitics) <= set(_PROCLITIC_LETTERS):
                raise DataFileError(f"marsad data file {path}: [{section}] proclitics must be among "
                                    f"{' '.join(_PROCLITIC_LETTERS)}")
            restriction = Restriction(None if proclitics is None else frozenset(proclitics),
                                      frozenset(body.get("not_spellings", [])), frozenset(body.get("not_forms", [])))
            for value, words in words_of:
                for phrase in words:
                    self.add(phrase, classes[cls_name], value, article)
                    for word in phrase.replace("ـ", "").split():  # the forms are made word by word
                        if restriction == _FREE:
                            unrestricted.add(word)
                        else:
                            self.restrictions[word] = restriction
        for word in unrestricted:  # also in a phrase without a restriction: that reading keeps every form
            self.restrictions.pop(word, None)
        self._compose_numbers(spec)
        # context word lists for the stage's rules (it keys them by the stems its unit builder produces)
        self.context_lists = {name: list(spec.get(name, {}).get("words", []))
                              for name in ("season_not_before", "today_names", "day_adjectives", "night_deictics")}
        # words whose units a number written against them does not take (2صفر is a score, not 2 Safar)
        self.not_after_digits = frozenset(self.key_of(w)[0][0] for w in spec.get("not_after_digits", {}).get("words", []))
        self.by_first: dict[str, list[tuple[tuple[str, ...], list[Entry]]]] = {}
        for key, entries in self.entries.items():
            self.by_first.setdefault(key[0], []).append((key, entries))
        for options in self.by_first.values():
            options.sort(key=lambda item: -len(item[0]))
        self.max_len = max(len(k) for k in self.entries)
        self.punct_classes = {k: classes[v] for k, v in _PUNCT_CLASS.items()}
        self.multi_first = frozenset(k[0] for k in self.entries if len(k) > 1)
        self._single: dict[tuple[str, bool], Entry | None] = {}
        # piece → (و first?, offset of the unit, class, value, norm, article) for the pieces whose unit depends on
        # nothing around them (units_from_text; for the surface index built from this lexicon)
        self.piece_units: dict[str, tuple[bool, int, str, Any, str, bool]] = {}
        # the same for a piece and the one after it (None at the end) when the first may begin a phrase but the two
        # begin none: the first two stems of every phrase
        self.pair_units: dict[tuple[str, str | None], tuple[bool, int, str, Any, str, bool]] = {}
        self.phrase_starts = frozenset(key[:2] for key in self.entries if len(key) > 1)
        # piece → (its unit when no phrase goes on with the next piece, its stem) for the pieces that may begin a
        # phrase (يوم، على، كانون): units_from_text needs only the next piece's stem to use it (no_phrase_after),
        # where pair_units needs the very same next piece (يوم 12، يوم 13… are all different pairs)
        self.starter_units: dict[str, tuple[tuple[bool, int, str, Any, str, bool], str]] = {}

    def spellings(self, word: str) -> set[str]:
        """spelling_variants of a listed word, less its `not_spellings`."""
        return spelling_variants(word) - self.restrictions.get(word.replace("ـ", ""), _FREE).not_spellings

    def takes(self, word: str, prefix: str, form: str = "") -> bool:
        """May ``word`` carry the proclitics ``prefix`` (و، ب، فل…), written as ``form``? Its section's
        `proclitics` and `not_forms` say."""
        rule = self.restrictions.get(word.replace("ـ", ""), _FREE)
        if rule.proclitics is not None and not all(letter in rule.proclitics for letter in prefix):
            return False
        return form not in rule.not_forms

    def single(self, stem: str, has_article: bool) -> "Entry | None":
        """The one-word entry for a stem (memoised: the same few hundred stems come up again and again)."""
        key = (stem, has_article)
        if key in self._single:
            return self._single[key]
        hit = self.lookup([stem], 0, has_article)
        entry = self._single[key] = hit[1] if hit and hit[0] == 1 else None
        return entry

    def key_of(self, phrase: str) -> tuple[tuple[str, ...], bool]:
        """Stems of a phrase's content pieces, and whether its first word carries the article."""
        stems: list[str] = []
        first_has_article = False
        for _, _, label, norm, _ in self._tokeniser.pieces(phrase):
            if label == "ART" and not stems:
                first_has_article = True
            if label in ("WORD", "NUM"):
                if norm == "ال" and not stems:  # الـ written with tatweel
                    first_has_article = True
                    continue
                if stems and norm.startswith("و") and len(norm) > 3:
                    norm = norm[1:]  # وتسعين left whole by the tokeniser: the unit builder sees و + تسعين
                stems.append(norm)
        return tuple(stems), first_has_article

    def add(self, phrase: str, cls: str, value: Any, article: str) -> None:
        key, has_article = self.key_of(phrase)
        if not key:
            return
        if article == ANY and has_article:
            article = REQUIRED  # a listed ال-form (اليوم) only matches with the article
        self.surface.setdefault(cls, []).append(phrase)
        entry = Entry(cls, value, article)
        bucket = self.entries.setdefault(key, [])
        if entry not in bucket:
            bucket.append(entry)

    def _compose_numbers(self, spec: dict[str, Any]) -> None:
        ordinal, cardinal = self.classes["ORDINAL"], self.classes["CARDINAL"]
        tens = {int(v): words for v, words in spec.get("tens", {}).items()}
        ord_units = {int(v): words for v, words in spec["ordinal"]["values"].items() if int(v) < 10}
        card_units = {int(v): words for v, words in spec["cardinal"]["values"].items() if int(v) < 10}
        teen_first = {int(v): words for v, words in spec.get("teen_units", {}).items()}
        ten_words = ["عشر", "عشرة"]
        # a teen's عشر never takes و: الثامنة وعشر دقائق is eight and ten minutes, not the eighteenth
        self.teen_tens = frozenset(matching_form(w) for w in ten_words)
        for value, words in tens.items():
            for word in words:
                self.add(word, cardinal, value, ANY)
        for unit, words in ord_units.items():  # الحادي عشر … التاسع عشر; الحادي والعشرين … التاسع والتسعين
            for word in words:
                for ten in ten_words:
                    self.add(f"{word} {ten}", ordinal, 10 + unit, ANY)
                for value, tens_words in tens.items():
                    for tw in tens_words:
                        self.add(f"{word} وال{tw}", ordinal, value + unit, ANY)
        for unit, words in card_units.items():  # ثلاثة عشر; خمسة وعشرين
            for word in words:
                if unit >= 3:
                    for ten in ten_words:
                        self.add(f"{word} {ten}", cardinal, 10 + unit, ANY)
                for value, tens_words in tens.items():
                    for tw in tens_words:
                        self.add(f"{word} و{tw}", cardinal, value + unit, ANY)
        for value, words in teen_first.items():
            for word in words:
                for ten in ten_words:
                    self.add(f"{word} {ten}", cardinal, value, ANY)

    def lookup(self, stems: list[str], j: int, has_article: bool) -> tuple[int, Entry] | None:
        """Longest lexicon phrase starting at word ``j``: (number of words, entry)."""
        options = self.by_first.get(stems[j])
        if not options:
            return None
        n = len(stems)
        for key, entries in options:
            k = len(key)
            if j + k > n or (k > 1 and tuple(stems[j:j + k]) != key):  # None (not a lexicon word) never matches
                continue
            best = None
            for entry in entries:
                if entry.article == REQUIRED and not has_article:
                    continue
                if entry.article == FORBIDDEN and has_article:
                    continue
                # an entry that names the article state explicitly beats one that accepts either
                if best is None or (best.article == ANY and entry.article != ANY):
                    best = entry
            if best is not None:
                return k, best
        return None


_ALEFS = "اأإآ"
_PROCLITIC_LETTERS = ("و", "ف", "ب", "ل", "ك")
_PREFIXES = ("", "و", "ف", "ب", "ل", "وب", "ول", "فب")
# Punctuation that may cling to a word; it is blanked (one character for one, so offsets hold) before splitting.
_CLINGING = ("،", ".", ",", "(", ")", '"', ":", "؛", "«", "»", "/", "؟", "!")
# Whitespace other than the space (str.split() splits on all of it): the line breaks are blanked by replace, the
# rare rest only when this finds one.
_LINE_BREAKS = ("\n", "\r")
_RARE_SPACE = re.compile("[\t\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_BOUNDARY_LIMIT = 0x3001  # every character blanked is below it (tests/test_times_scan.py checks)
_BLOOM_BITS = 19


def spelling_variants(word: str) -> set[str]:
    """Surface spellings a writer may use: hamza or not on alef (not the article's), ة/ه and ى/ي at the end,
    final tanween on alef (غداً)."""
    forms = {""}
    for i, ch in enumerate(word):
        if ch in _ALEFS and not (i == 0 and word.startswith("ال")):
            options = _ALEFS
        elif i == len(word) - 1 and ch in "ةه":
            options = "ةه"
        elif i == len(word) - 1 and ch in "ىي":
            options = "ىي"
        else:
            options = ch
        forms = {f + o for f in forms for o in options}
    forms |= {f + "\u064b" for f in forms if f.endswith("ا")}
    forms |= {f[:-1] + "\u064b" + "ا" for f in forms if f.endswith("ا")}
    return forms


class Prefilter:
    """Finds candidate positions with C-speed string operations only (split, set intersection, str.find): the
    stage's cost must stay a small fraction of tokenisation, which a per-token Python loop would already exceed."""

    def __init__(self, lexicon: "Lexicon", spec: dict[str, Any]):
        classes = lexicon.classes
        not_triggers = {matching_form(w) for w in spec.get("not_triggers", [])}
        self.forms: dict[str, bool] = {}  # surface form with clitics/punctuation → weak?
        for names, weak in ((spec["trigger_classes"], False), (spec["weak_classes"], True)):
            for name in names:
                for phrase in lexicon.surface.get(classes[name], []):
                    for word in phrase.split():
                        if matching_form(word) in not_triggers:
                            continue
                        for variant in lexicon.spellings(word):
                            self._add(variant, weak, partial(lexicon.takes, word))
        for word in spec.get("extra_triggers", []):
            for variant in spelling_variants(word):
                self._add(variant, False)
        for word in spec.get("extra_weak", []):
            for variant in spelling_variants(word):
                self._add(variant, True)
        self.joined = re.compile(spec["joined_regex"])
        # the characters joined_regex can match at: it is tried at each of them (str.find) instead of over the text
        self.joined_marks = tuple(spec["joined_marks"])
        self.weak_left = re.compile(spec["weak_left"])
        self.weak_right = re.compile(spec["weak_right"])
        self.year = re.compile(spec["year_regex"])
        self.compiled = _scan
        if _scan is not None:
            # what the compiled scan splits words at: the blanked characters (punctuation, line breaks, every
            # space _RARE_SPACE knows, all below U+3001), as a table over code points; and a bloom filter of the
            # forms (2**19 bits, 64 KB, two bits a form: one word in ~350 is looked up in vain)
            boundary = bytearray(_BOUNDARY_LIMIT)
            for ch in (" ", *_CLINGING, *_LINE_BREAKS):
                boundary[ord(ch)] = 1
            for code in range(_BOUNDARY_LIMIT):
                if _RARE_SPACE.match(chr(code)):
                    boundary[code] = 1
            self._boundary = bytes(boundary)
            self._bloom = bytes(_scan.bloom_filter(self.forms, _BLOOM_BITS))
            self._bloom_mask = (1 << _BLOOM_BITS) - 1
            self._max_length = max(map(len, self.forms), default=0)
            # the scan finds years itself when the data file's year_regex is the one it implements
            self._scan_years = self.year.pattern == _scan.YEAR_REGEX
            # and the words before a joined month name, when joined_regex and joined_marks are the ones it implements
            self._scan_joined = self.joined.pattern == _scan.JOINED_REGEX and self.joined_marks == _scan.JOINED_MARKS

    def _add(self, word: str, weak: bool, takes: Callable[[str, str], bool] | None = None) -> None:
        """The forms of one spelling with its clitics (those ``takes`` allows: see Lexicon.takes)."""
        if word.startswith("ال"):  # listed with the article: only with it (الأحد, never أحد "one")
            stems = {word: _PREFIXES, "لل" + word[2:]: ("", "و", "ف")}  # للأسبوع = ل + ال
        else:
            stems = {word: _PREFIXES, "ال" + word: _PREFIXES, "لل" + word: ("", "و", "ف")}
        for stem, prefixes in stems.items():
            for prefix in prefixes:
                form = prefix + stem
                if takes is not None and not takes(prefix + "ل" if stem.startswith("لل") else prefix, form):
                    continue
                # a strong reading of a form wins over a weak one
                self.forms[form] = self.forms.get(form, True) and weak

    def positions(self, text: str) -> list[int]:
        """Start offsets of candidate words and years in ``text``, in no particular order."""
        if self.compiled is None:
            return self.positions_python(text)
        out, weak, years, joined = self.compiled.candidates(text, self._boundary, self._bloom, self._bloom_mask,
                                                            self.forms, self._max_length, self._scan_years,
                                                            self._scan_joined)
        weak_left, weak_right = self.weak_left, self.weak_right
        for start, end in weak:
            if weak_right.match(text[end:end + 24]) or weak_left.search(text, max(0, start - 16), start):
                out.append(start)
        if years is None:
            years = [m.start() for m in self.year.finditer(text)]
        out.extend(years)
        if joined is None:
            self._joined_positions(text, out)
        else:
            out.extend(joined)
        return out

    @cached_property
    def automaton(self) -> ahocorasick.Automaton:
        """positions_python's automaton (built on first use: with the compiled scan it is never needed)."""
        # One C pass finds every whole-word form, over the text reversed, with punctuation and all whitespace
        # blanked to spaces. The keys are the forms no other form ends with (أمس, not وأمس or الأمس: 781 keys
        # instead of 13,825), reversed, after a space: a hit is a word that ends with one, and the word is a
        # candidate when the whole of it is a form. Reversed, the space comes first, so the automaton idles at its
        # root inside words; and it is small (76 KB instead of 1.7 MB), so less of it falls out of the CPU cache
        # while the tokeniser runs between two articles (in the pipeline the large one scanned ~1.8 times slower).
        automaton = ahocorasick.Automaton()
        for form in self.forms:
            if not any(form[k:] in self.forms for k in range(1, len(form))):
                automaton.add_word(" " + form[::-1], len(form))
        automaton.make_automaton()
        return automaton

    def positions_python(self, text: str) -> list[int]:
        """positions() without the compiled scan: one Aho–Corasick pass (C) over the text reversed, a Python loop
        over its hits, the year regex."""
        # Blanking is one character for one, so offsets in ``blanked`` are offsets in ``text``.
        blanked = text
        for ch in _CLINGING:
            if ch in blanked:
                blanked = blanked.replace(ch, " ")
        for ch in _LINE_BREAKS:
            if ch in blanked:
                blanked = blanked.replace(ch, " ")
        # every rare space is unprintable, and most texts are printable once line breaks are blanked: one C test
        if not blanked.isprintable() and _RARE_SPACE.search(blanked):
            blanked = _RARE_SPACE.sub(" ", blanked)
        out = []
        weak_left, weak_right, forms = self.weak_left, self.weak_right, self.forms
        backwards = f" {blanked} "[::-1]
        find, edge = backwards.find, len(text) + 1
        # a key (space, reversed ending) ending at ``end`` of ``backwards``: the word runs back from end - length + 1
        # to the next space; a word ending at offset e of ``backwards`` starts at text offset len(text) + 1 - e
        for end, length in self.automaton.iter(backwards):
            first = end - length + 1
            last = find(" ", first)
            word = backwards[first:last][::-1]
            weak = forms.get(word)
            if weak is None:  # only ends like a form (كتاب: اب)
                if word[0] in _SCAN_DIGITS:  # digits against a strong form (12يونيو، 3أيام): _scan._glued's rule
                    glued = word.lstrip(_SCAN_DIGITS)
                    if glued and forms.get(glued) is False:
                        out.append(edge - last)
                continue
            pos = edge - last
            if not weak or weak_right.match(text[pos + last - first:pos + last - first + 24]) \
                    or weak_left.search(text, max(0, pos - 16), pos):
                out.append(pos)
        out.extend(m.start() for m in self.year.finditer(text))
        self._joined_positions(text, out)
        return out

    def _joined_positions(self, text: str, out: list[int]) -> None:
        """Adds the starts of the words before a slash or bracket that joins a month name (حزيران/يونيو)."""
        joined, find = self.joined.match, text.find
        for mark in self.joined_marks:
            i = find(mark)
            while i >= 0:
                if joined(text, i) and text[i - 1:i].isalpha():  # the word before the slash or bracket
                    space = text.rfind(" ", max(0, i - 20), i)
                    out.append(space + 1 if space >= 0 else max(0, i - 20))
                i = find(mark, i + 1)


def _value(raw: str) -> Any:
    try:
        return int(raw)
    except ValueError:
        return raw


class Units(NamedTuple):
    """Parallel sequences, one item per unit; ``chars`` joined is the pattern string. Built as lists, cached as
    tuples."""

    chars: list[str]
    starts: list[int]
    ends: list[int]
    values: list[Any]
    norms: list[str]
    articles: list[bool]


_PUNCT_CLASS = {"/": "SLASH", "(": "OPEN", ")": "CLOSE", "-": "DASH", "–": "DASH", "—": "DASH", "،": "COMMA",
                ",": "COMMA", "؛": "COMMA", ";": "COMMA", ".": "STOP", "!": "STOP", "?": "STOP", "؟": "STOP",
                ":": "COMMA", '"': "QUOTE", "«": "QUOTE", "»": "QUOTE", "“": "QUOTE", "”": "QUOTE", "'": "QUOTE"}


def number_class(norm: str) -> tuple[str, Any]:
    """Class name and value of a number piece (ASCII digits, maybe with / : . inside)."""
    if norm.isdigit():
        v = int(norm)
        if len(norm) <= 2 and 1 <= v <= 31:
            return "DAYNUM", v
        if len(norm) == 4 and 1000 <= v <= 2199:
            return "YEARNUM", v
        return "NUMBER", v
    if "/" in norm:
        parts = norm.split("/")
        if len(parts) == 3 and all(p.isdigit() for p in parts):
            a, b, c = (int(p) for p in parts)
            if len(parts[0]) == 4 and 1 <= b <= 12 and 1 <= c <= 31:
                return "NUMDATE", (a, b, c)
            if len(parts[2]) == 4 and 1 <= b <= 12 and 1 <= a <= 31:
                return "NUMDATE", (c, b, a)
    try:
        return "NUMBER", float(norm)
    except ValueError:
        return "NUMBER", None


_SEPARATE = "/()،,.؛;:!?؟\"«»“”-–—"
_SCAN_DIGITS = "0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹"  # the digits of the compiled scan's _is_digit
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹,٫", "01234567890123456789..")
_CLITIC_PREFIXES = ("", "و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك")


def surface_index(lexicon: Lexicon) -> dict[str, tuple[str, bool, bool, int]]:
    """Every spelling of every lexicon word with its clitics: surface → (stem matching form, article?, و?, offset
    of the stem or article). Looking words up in it replaces clitic splitting inside the small candidate windows."""
    index: dict[str, tuple[str, bool, bool, int]] = {}
    words = {w for phrases in lexicon.surface.values() for phrase in phrases for w in phrase.split()}
    # composed numbers are listed with their و (الحادي والعشرين): index the bare word, the loop adds و back
    words = {w[1:] if w.startswith("و") and (w[1:] in words or w.startswith("وال")) else w for w in words}
    for word in sorted(words):
        bare = word.replace("ـ", "")
        for variant in lexicon.spellings(bare):
            core = variant[2:] if variant.startswith("ال") and len(variant) > 3 else variant
            stem = matching_form(core)
            forms: list[tuple[str, bool, str]] = []
            for prefix in _CLITIC_PREFIXES:
                forms.append((prefix, False, prefix + core))
                forms.append((prefix, True, prefix + "ال" + core))
            for prefix in ("", "و", "ف"):
                forms.append((prefix + "ل", True, prefix + "لل" + core))  # للأسبوع: ل + ال, alef dropped
            for prefix, art, form in forms:
                if not lexicon.takes(bare, prefix, form):
                    continue
                conj = prefix.startswith("و")
                # the unit starts after و/ف/ب/ل/ك, at the article when there is one
                index.setdefault(form, (stem, art, conj, len(prefix)))
    return index


_MARK = re.compile("[\u064b-\u0652\u0670\u0640]")  # diacritics and tatweel (هـ)
_PIECE_MEMO_SIZE = 200_000
# a decimal number (2.5، 2,5، ٢٫٥) stays one piece; otherwise . and , are punctuation
_PIECE = re.compile(r"\n|\d+(?:[.,٫]\d+)+|[^\s/()،,.؛;:!?؟\"«»“”\-–—]+|[^\s]")


def units_from_text_python(text: str, lo: int, hi: int, lexicon: Lexicon, index: dict, units: Units | None = None,
                           first_break: bool = True) -> Units:
    """Units for ``text[lo:hi]`` (whole words): punctuation split off, words looked up in the surface index.
    With ``units``, appends to them after a break (stretches of one document are searched together).
    This loop runs for every word near a candidate, so it is kept lean: one dict look-up per piece."""
    if units is None:
        units = Units([], [], [], [], [], [])
    chars, starts, ends, values, norms, articles = units
    if chars and first_break:
        chars.append(lexicon.classes["BREAK"]); starts.append(lo); ends.append(lo); values.append(None)
        norms.append(""); articles.append(False)
    pieces = [(m.start(), m.group()) for m in _PIECE.finditer(text, lo, hi)]
    memo = lexicon.piece_units
    if len(memo) > _PIECE_MEMO_SIZE:
        memo.clear()
    conj_cls = lexicon.classes["AND"]
    j, n = 0, len(pieces)
    starters, phrase_starts = lexicon.starter_units, lexicon.phrase_starts
    while j < n:
        start, piece = pieces[j]
        known = memo.get(piece)
        if known is None:
            starter = starters.get(piece)
            if starter is None or not no_phrase_after(starter[1], pieces, j + 1, index, phrase_starts):
                j = add_piece_units(pieces, j, lexicon, index, units)
                continue
            known = starter[0]
        # most pieces: seen before, and their unit depends on nothing else (or, for a word that may begin a phrase,
        # on nothing else when the next piece begins none with it)
        j += 1
        _add_remembered(units, start, len(piece), known, conj_cls)
    return units


def no_phrase_after(stem: str, pieces: list[tuple[int, str]], k: int, index: dict, phrase_starts: frozenset) -> bool:
    """Does no lexicon phrase begin with ``stem`` followed by pieces[k] (None past the end)? When pieces[k] is no
    indexed word but has diacritics (which add_piece_units takes off before looking it up again), this cannot say:
    False."""
    if k >= len(pieces):
        return True
    nxt = pieces[k][1]
    hit = index.get(nxt)
    if hit is None:
        return not _MARK.search(nxt)  # not a lexicon word: no phrase goes on with it
    return (stem, hit[0]) not in phrase_starts


def _add_remembered(units: Units, start: int, width: int, known: tuple, conj_cls: str) -> None:
    """Appends a remembered unit (piece_units, pair_units) of the piece of ``width`` characters at ``start``."""
    conj, lead, ch, value, norm, art = known
    if conj:
        units.chars.append(conj_cls); units.starts.append(start); units.ends.append(start + 1)
        units.values.append(None); units.norms.append("و"); units.articles.append(False)
    units.chars.append(ch); units.starts.append(start + lead); units.ends.append(start + width)
    units.values.append(value); units.norms.append(norm); units.articles.append(art)


def add_piece_units(pieces: list[tuple[int, str]], j: int, lexicon: Lexicon, index: dict, units: Units) -> int:
    """The units of ``pieces[j]``, a piece lexicon.piece_units does not hold (both units_from_text twins call it),
    remembered there when they depend on nothing around it; returns the index of the next piece (a phrase takes
    the pieces after its first)."""
    cls = lexicon.classes
    other, brk, conj_cls = cls["OTHER"], cls["BREAK"], cls["AND"]
    punct_cls = lexicon.punct_classes
    chars, starts, ends, values, norms, articles = units
    memo, get, single = lexicon.piece_units, index.get, lexicon.single
    start, piece = pieces[j]
    width = len(piece)  # in the text (diacritics included)
    j += 1
    # a word that may begin a phrase (على، بعد، كانون) but, with the piece after it, does not
    pair = (piece, pieces[j][1] if j < len(pieces) else None)
    known = lexicon.pair_units.get(pair)
    if known is not None:
        _add_remembered(units, start, width, known, conj_cls)
        return j
    written = piece
    hit = get(piece)
    if hit is None and piece not in punct_cls and _MARK.search(piece):  # غدٍ، يوماً: the bare letters
        piece = _MARK.sub("", piece)
        hit = get(piece)
    if hit is None:
        if piece in punct_cls:
            ch, value, norm, end, art = punct_cls[piece], None, piece, start + 1, False
            if width == 1:  # (not "'" with a mark stripped: the unit is narrower than the piece)
                memo[written] = (False, 0, ch, value, norm, art)
        elif piece == "و":  # the conjunction written apart (10 و 11)
            ch, value, norm, end, art = conj_cls, None, "و", start + 1, False
            if width == 1:
                memo[written] = (False, 0, ch, value, norm, art)
        elif piece == "\n":
            if not chars or chars[-1] == brk:
                return j
            ch, value, norm, end, art = brk, None, "", start, False
        else:
            core = piece
            if core[:1] == "و" and core[1:2].isdigit():  # و12: the conjunction on a number
                chars.append(conj_cls); starts.append(start); ends.append(start + 1); values.append(None)
                norms.append("و"); articles.append(False)
                core, start, width = core[1:], start + 1, width - 1
            art = core.startswith("ال") and core[2:3].isdigit()  # الـ24
            if art:
                core = core[2:]
            if core[:1].isdigit():
                k = 1
                while k < len(core) and (core[k].isdigit() or core[k] in ".,٫" and core[k + 1:k + 2].isdigit()):
                    k += 1
                digits = core[:k].translate(_DIGITS)
                name, value = number_class(digits)
                suffix = core[k:]
                end = start + width - len(suffix)
                if not suffix and core == written:  # a plain number (2015، 24): its unit depends on nothing else
                    memo[written] = (False, 0, cls[name], value, digits, False)
                chars.append(cls[name]); starts.append(start); ends.append(end); values.append(value)
                norms.append(digits); articles.append(art)
                s_hit = get(suffix) if suffix else None
                if s_hit is None:
                    return j
                entry = single(s_hit[0], False)
                if entry is None or s_hit[0] in lexicon.not_after_digits:
                    return j
                ch, value, norm, start, end, art = entry.cls, entry.value, s_hit[0], end, start + width, False
            else:
                split = len(core)
                while split and core[split - 1].isdigit():
                    split -= 1
                if 1 < split < len(core) and piece == written and core[:split].isalpha() and get(core[:split]):
                    # a word written against a number (يونيو2012، حزيران/يونيو2012): the word's units, then the
                    # number's, as if a space were there (not remembered: rare)
                    glued = [(start, core[:split]), (start + split, core[split:])]
                    k = 0
                    while k < len(glued):
                        k = add_piece_units(glued, k, lexicon, index, units)
                    return j
                # the article matters to context rules (اليوم التالي)
                ch, value, norm, end, art = other, None, "", start + width, piece.startswith("ال")
                memo[written] = (False, 0, ch, value, norm, art)
    else:
        stem, art, conj, lead = hit
        if conj:
            chars.append(conj_cls); starts.append(start); ends.append(start + 1); values.append(None)
            norms.append("و"); articles.append(False)
        end = start + width
        start += lead
        ch, value, norm = other, None, stem
        if stem not in lexicon.multi_first:  # the common case: a one-word entry, or no entry
            if stem in lexicon.by_first:
                entry = single(stem, art)
                if entry is not None:
                    ch, value = entry.cls, entry.value
            memo[written] = (conj, lead, ch, value, norm, art)
        else:  # may begin a phrase: the pieces after it decide
            if written == piece:  # its unit when no phrase goes on (see starter_units)
                one = lexicon.lookup([stem], 0, art)
                lexicon.starter_units[written] = ((conj, lead, other if one is None else one[1].cls,
                                                   None if one is None else one[1].value, stem, art), stem)
            stems = [stem]
            for _, nxt in pieces[j:j + lexicon.max_len - 1]:
                nh = get(nxt)
                if nh is None and _MARK.search(nxt):
                    nh = get(_MARK.sub("", nxt))
                if nh is None or nh[2] and nh[0] in lexicon.teen_tens:
                    break
                stems.append(nh[0])
            found = lexicon.lookup(stems, 0, art)
            if found is not None:
                k, entry = found
                if k > 1:
                    last_start, last_piece = pieces[j + k - 2]
                    end = last_start + len(last_piece)
                    norm = " ".join(stems[:k])
                    j += k - 1
                ch, value = entry.cls, entry.value
            if tuple(stems[:2]) not in lexicon.phrase_starts:  # no phrase goes on with the next piece
                if len(lexicon.pair_units) > _PIECE_MEMO_SIZE:
                    lexicon.pair_units.clear()
                lexicon.pair_units[pair] = (conj, lead, ch, value, norm, art)
    chars.append(ch); starts.append(start); ends.append(end); values.append(value); norms.append(norm)
    articles.append(art)
    return j


# the compiled twin when it is built (marsad.time._scan.units_from_text: the same units)
units_from_text = units_from_text_python if _scan is None else _scan.units_from_text
