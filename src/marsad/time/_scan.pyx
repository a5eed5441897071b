# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The times stage's passes over the raw text, compiled: candidate words (Prefilter.positions), the chains of known
words around them (TimesStage._chains) and the units of a chain (lexicon.units_from_text_python).

They are the part of the stage that reads text character by character, so they run as C loops over the string's
code points. Each does exactly what its pure-Python twin does (the twins
stay as the reference and the fallback when this module is not built; tests/test_times_scan.py compares them).
"""
from cpython.unicode cimport PyUnicode_GET_LENGTH
from libc.stdint cimport uint8_t, uint16_t, uint32_t

cdef extern from "Python.h":
    int PyUnicode_KIND(object)
    void* PyUnicode_DATA(object)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    bint Py_UNICODE_ISSPACE(Py_UCS4 ch) nogil
    bint Py_UNICODE_ISDECIMAL(Py_UCS4 ch) nogil
    bint Py_UNICODE_ISALPHA(Py_UCS4 ch) nogil

# FNV-1a over code points, then a shift to spread the high bits into the bloom filter's index
cdef unsigned int _BASIS = 2166136261u
cdef unsigned int _PRIME = 16777619u


cdef inline unsigned int _finish(unsigned int h) nogil:
    return h ^ (h >> 15)


cdef inline unsigned int _second(unsigned int h) nogil:
    """The bloom filter's second bit for a word of FNV hash ``h`` (before _finish): another mix of the same hash."""
    h = h * 0x85EBCA6Bu
    return h ^ (h >> 13)


cdef inline bint _in_bloom(const unsigned char* bloom, unsigned int h, unsigned int mask) nogil:
    """Both of the word's bits are set (h: its FNV hash before _finish). Two bits instead of one: most words that
    pass a one-bit filter are not in the set, and each costs a look-up in a large dict whose lines the tokeniser has
    pushed out of the CPU cache; the second bit is read only for the few words whose first bit is set."""
    cdef unsigned int b = _finish(h) & mask
    if not bloom[b >> 3] & (1 << (b & 7)):
        return False
    b = _second(h) & mask
    return bloom[b >> 3] & (1 << (b & 7))


cpdef unsigned int word_hash(str word):
    """The FNV hash the candidate scan computes for a word, before _finish."""
    cdef unsigned int h = _BASIS
    cdef Py_UCS4 c
    for c in word:
        h = (h ^ <unsigned int>c) * _PRIME
    return h


def bloom_bits(str word, unsigned int mask):
    """The two bits of ``word`` in a bloom filter of mask + 1 bits (what bloom_filter sets and the scans test)."""
    cdef unsigned int h = word_hash(word)
    return _finish(h) & mask, _second(h) & mask


def bloom_filter(words, int bits):
    """A bit set of 2**bits bits with two bits per word (bloom_bits): a word with either bit clear is surely not one
    of ``words``."""
    cdef unsigned int mask = (1u << bits) - 1, b, h
    table = bytearray(1 << (bits - 3))
    for word in words:
        h = word_hash(word)
        b = _finish(h) & mask
        table[b >> 3] |= 1 << (b & 7)
        b = _second(h) & mask
        table[b >> 3] |= 1 << (b & 7)
    return table


cdef inline bint _is_digit(Py_UCS4 c) nogil:
    return (48 <= c <= 57) or (0x660 <= c <= 0x669) or (0x6F0 <= c <= 0x6F9)


cdef inline bint _is_year_first(Py_UCS4 c) nogil:
    return c == 49 or c == 50 or c == 0x661 or c == 0x662 or c == 0x6F1 or c == 0x6F2


ctypedef fused code_unit:  # the three storage widths of a str (PEP 393): one loop compiled for each
    uint8_t
    uint16_t
    uint32_t


cdef inline void _word(str text, Py_ssize_t start, Py_ssize_t end, unsigned int h, const unsigned char* bloom,
                       unsigned int mask, dict forms, Py_ssize_t max_length, list strong, list weak):
    """Sorts the word text[start:end] with hash ``h`` into strong or weak candidates, if it is a form."""
    if end - start <= max_length:
        if _in_bloom(bloom, h, mask):
            is_weak = forms.get(text[start:end])
            if is_weak is not None:
                if is_weak:
                    weak.append((start, end))
                else:
                    strong.append(start)


cdef inline void _glued(const code_unit* s, Py_ssize_t start, Py_ssize_t end, str text, const unsigned char* bloom,
                        unsigned int mask, dict forms, Py_ssize_t max_length, list strong):
    """A word that begins with digits (s[start] is one) and goes on in letters, 12يونيو or 3أيام: when those letters
    are a strong form, the word is a strong candidate (the unit builder splits the number off)."""
    cdef Py_ssize_t k = start + 1
    cdef unsigned int h = _BASIS
    while k < end and _is_digit(s[k]):
        k += 1
    if k == end or end - k > max_length:
        return
    for i in range(k, end):
        h = (h ^ <unsigned int>s[i]) * _PRIME
    if _in_bloom(bloom, h, mask) and forms.get(text[k:end]) is False:
        strong.append(start)


cdef inline void _joined(const code_unit* s, Py_ssize_t n, Py_ssize_t i, list out):
    """At a slash or an opening bracket: JOINED_REGEX matches there when an Arabic letter (U+0621–U+064A) follows;
    with a letter before it too (str.isalpha), the word before is a candidate (حزيران/يونيو, تموز (يوليو)). Its
    start: after the last space within the 20 characters before, else 20 characters back (Prefilter's rule)."""
    cdef Py_ssize_t k, lo
    if i + 1 < n and 0x621 <= s[i + 1] <= 0x64A and i > 0 and Py_UNICODE_ISALPHA(s[i - 1]):
        lo = i - 20 if i > 20 else 0
        k = i - 1
        while k >= lo and s[k] != 32:
            k -= 1
        out.append(k + 1 if k >= lo else lo)


cdef void _scan_words(const code_unit* s, Py_ssize_t n, str text, const unsigned char* boundary, Py_ssize_t limit,
                      const unsigned char* bloom, unsigned int mask, dict forms, Py_ssize_t max_length,
                      list strong, list weak, list years, list joined):
    cdef Py_ssize_t i, start = -1, next_year = 0 if years is not None else n
    cdef unsigned int h = _BASIS
    cdef Py_UCS4 c
    for i in range(n):
        c = s[i]
        if c >= limit or not boundary[c]:
            if start < 0:
                start = i
                h = _BASIS
            h = (h ^ <unsigned int>c) * _PRIME
            if i >= next_year and _is_year_first(c) and i + 3 < n and _is_digit(s[i + 1]) and _is_digit(s[i + 2]) \
                    and _is_digit(s[i + 3]) and (i == 0 or not _is_digit(s[i - 1])) \
                    and (i + 4 == n or not _is_digit(s[i + 4])):
                years.append(i)
                next_year = i + 4
        else:
            if start >= 0:
                _word(text, start, i, h, bloom, mask, forms, max_length, strong, weak)
                if _is_digit(s[start]):
                    _glued(s, start, i, text, bloom, mask, forms, max_length, strong)
                start = -1
            if joined is not None and (c == 47 or c == 40):  # / (
                _joined(s, n, i, joined)
    if start >= 0:
        _word(text, start, n, h, bloom, mask, forms, max_length, strong, weak)
        if _is_digit(s[start]):
            _glued(s, start, n, text, bloom, mask, forms, max_length, strong)


# the joined-name regex and marks _joined implements (the prefilter tries the data file's own when they differ)
JOINED_REGEX = r"[/(](?=[\u0621-\u064a])"
JOINED_MARKS = ("/", "(")
# the year regex the scan's year test implements (the prefilter uses the data file's own regex when it differs)
YEAR_REGEX = "(?<![0-9٠-٩۰-۹])[12١٢۱۲][0-9٠-٩۰-۹]{3}(?![0-9٠-٩۰-۹])"


def candidates(str text, const unsigned char[::1] boundary, const unsigned char[::1] bloom, unsigned int mask,
               dict forms, Py_ssize_t max_length, bint find_years=True, bint find_joined=False):
    """(strong, weak, years, joined): start offsets of the words of ``text`` that are strong forms, (start, end) of
    those that are weak forms, starts of four-digit years (None without ``find_years``) and starts of the words
    before a slash or bracket that joins a month name (None without ``find_joined``; see _joined). The slash and
    the bracket must be boundary characters.

    A word is a maximal run of characters whose ``boundary`` entry is 0 (code points past the table are letters);
    it is looked up in ``forms`` (form → weak?) only when its bloom bit is set. Years are what YEAR_REGEX finds
    scanning left to right (non-overlapping)."""
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef list strong = [], weak = []
    cdef list years = [] if find_years else None
    cdef list joined = [] if find_joined else None
    if find_joined and (boundary.shape[0] <= 47 or not boundary[47] or not boundary[40]):
        raise ValueError("the joined-name test needs / and ( to be boundary characters")
    if boundary.shape[0] == 0 or bloom.shape[0] == 0:
        raise ValueError("empty boundary table or bloom filter")
    if kind == 1:
        _scan_words(<const uint8_t*>data, n, text, &boundary[0], boundary.shape[0], &bloom[0], mask, forms,
                    max_length, strong, weak, years, joined)
    elif kind == 2:
        _scan_words(<const uint16_t*>data, n, text, &boundary[0], boundary.shape[0], &bloom[0], mask, forms,
                    max_length, strong, weak, years, joined)
    else:
        _scan_words(<const uint32_t*>data, n, text, &boundary[0], boundary.shape[0], &bloom[0], mask, forms,
                    max_length, strong, weak, years, joined)
    return strong, weak, years, joined


# --- chains ------------------------------------------------------------------------------------------------------
# ``stops`` tables (TimesStage's): 1 for a line stop, 2 for a sentence stop, by code point
cdef inline bint _is_line_stop(Py_UCS4 c, const unsigned char[::1] stops):
    return c < <Py_UCS4>stops.shape[0] and stops[c] == 1


cdef inline bint _is_sentence_stop(Py_UCS4 c, const unsigned char[::1] stops):
    return c < <Py_UCS4>stops.shape[0] and stops[c] == 2


cdef Py_ssize_t _find(int kind, void* data, Py_UCS4 ch, Py_ssize_t lo, Py_ssize_t hi, Py_ssize_t n) nogil:
    """str.find(ch, lo, hi) with hi clamped to n."""
    cdef Py_ssize_t k
    if hi > n:
        hi = n
    for k in range(lo, hi):
        if PyUnicode_READ(kind, data, k) == ch:
            return k
    return -1


cdef Py_ssize_t _rfind(int kind, void* data, Py_UCS4 ch, Py_ssize_t lo, Py_ssize_t hi) nogil:
    """str.rfind(ch, lo, hi) for 0 <= lo, hi <= len."""
    cdef Py_ssize_t k = hi - 1
    while k >= lo:
        if PyUnicode_READ(kind, data, k) == ch:
            return k
        k -= 1
    return -1


cdef inline Py_ssize_t _word_end(int kind, void* data, Py_ssize_t j, Py_ssize_t max_word, Py_ssize_t n) nogil:
    """Where the word at ``j`` ends: the next space within max_word characters (else there), never past a line
    break (bounded, so that text with other spaces does not make one word of a paragraph)."""
    cdef Py_ssize_t e = _find(kind, data, 32, j, j + max_word, n), nl
    if e < 0:
        e = n if n < j + max_word else j + max_word
    nl = _find(kind, data, 10, j, e, n)
    return e if nl < 0 else nl


cdef int _known(str text, int kind, void* data, Py_ssize_t lo, Py_ssize_t hi, dict known_words, known,
                dict surface, const unsigned char[::1] bloom, unsigned int mask, frozenset chain_end):
    """Is the word text[lo:hi] known (TimesStage._known: 0 no, 1 yes, 2 a word that ends a chain, one of
    ``chain_end``)? A word of letters only (str.isalpha, no tatweel), most
    of what the walk meets, is known when it is و or in ``surface`` (TimesStage._is_known's first test): decided
    here, and when the surface filter ``bloom`` does not hold it, without making its string or looking it up. Any
    other word goes through the stage's memo ``known_words`` and ``known``, which fills it."""
    cdef unsigned int h = _BASIS
    cdef Py_UCS4 c
    cdef Py_ssize_t k
    cdef bint letters = hi > lo
    for k in range(lo, hi):
        c = PyUnicode_READ(kind, data, k)
        if c == 0x640 or not Py_UNICODE_ISALPHA(c):
            letters = False
            break
        h = (h ^ <unsigned int>c) * _PRIME
    if letters:
        if hi - lo == 1 and PyUnicode_READ(kind, data, lo) == 0x648:
            return 1
        if bloom.shape[0] and not _in_bloom(&bloom[0], h, mask):
            return 0
        word = text[lo:hi]
        if word in surface:
            return 2 if word in chain_end else 1
        return 0
    word = text[lo:hi]
    is_known = known_words.get(word)
    return is_known if is_known is not None else known(word)


def chains(str text, list positions, dict known_words, known, dict surface, int chain_words, Py_ssize_t max_word,
           const unsigned char[::1] stops, const unsigned char[::1] surface_bloom=b"", unsigned int surface_mask=0,
           frozenset chain_end=frozenset()):
    """TimesStage._chains over sorted ``positions``, each word tested by _known: ``known_words`` is the stage's
    word → known? memo and ``known`` the function that fills it for a word not in it. ``stops`` is a table over code
    points of the line (1) and sentence (2) stops. ``surface_bloom`` (bits ``surface_mask``, built by bloom_filter
    over ``surface``'s keys) lets a letters-only word whose bit is clear be unknown at once; empty, letters-only
    words are looked up in ``surface``. A word of ``chain_end`` (a subset of its keys) ends a chain: taken after a
    candidate, never before one."""
    if surface_bloom.shape[0] and surface_mask >= <unsigned int>surface_bloom.shape[0] * 8:
        raise ValueError("surface_mask reaches past the surface filter")
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_ssize_t pos, e, nl, core_hi, core_lo, j, space, start, end_ = -1, chain_lo = -1
    cdef int step
    cdef bint inside
    cdef int known_here
    cdef list out = []
    cdef bint cut = False, cut_here  # the walk that reached end_ stopped after chain_words words (Python twin)
    for pos in positions:
        inside = pos < end_  # in the chain so far: only the walk forwards is done again, and only after a cut walk
        if inside and not cut:
            continue
        core_hi = _word_end(kind, data, pos, max_word, n)
        core_lo = pos
        for step in range(0 if inside else chain_words):  # backwards
            j = core_lo - 1
            while j >= 0 and PyUnicode_READ(kind, data, j) == 32:
                j -= 1
            if j < 0 or _is_line_stop(PyUnicode_READ(kind, data, j), stops):
                break
            space = _rfind(kind, data, 32, j - max_word if j > max_word else 0, j)
            if space < 0 and j >= max_word:
                break
            nl = _rfind(kind, data, 10, space + 1, j)
            start = (nl if nl > space else space) + 1
            if _is_sentence_stop(PyUnicode_READ(kind, data, j), stops):
                break
            if _known(text, kind, data, start, j + 1, known_words, known, surface, surface_bloom, surface_mask,
                      chain_end) != 1:
                break
            core_lo = start
        # text[core_hi - 1] as Python reads it (core_hi == 0: the last character)
        cut_here = False
        if not _is_sentence_stop(PyUnicode_READ(kind, data, core_hi - 1 if core_hi > 0 else n - 1), stops):
            for step in range(chain_words):  # forwards
                j = core_hi
                while j < n and PyUnicode_READ(kind, data, j) == 32:
                    j += 1
                if j >= n or _is_line_stop(PyUnicode_READ(kind, data, j), stops):
                    break
                e = _word_end(kind, data, j, max_word, n)
                known_here = _known(text, kind, data, j, e, known_words, known, surface, surface_bloom, surface_mask,
                                    chain_end)
                if not known_here:
                    break
                core_hi = e
                if known_here == 2 or _is_sentence_stop(PyUnicode_READ(kind, data, e - 1), stops):
                    break
            else:
                cut_here = True
        if core_hi <= core_lo:
            continue
        if chain_lo >= 0 and core_lo <= end_:  # touches the chain before: one chain
            if core_hi > end_:
                end_ = core_hi
                cut = cut_here
            elif core_hi == end_:
                cut = cut and cut_here
        else:
            if chain_lo >= 0:
                out.append((chain_lo, end_))
            chain_lo, end_ = core_lo, core_hi
            cut = cut_here
    if chain_lo >= 0:
        out.append((chain_lo, end_))
    return out


# --- units ------------------------------------------------------------------------------------------------------
cdef object _lexicon_module = None


cdef inline bint _is_piece_punct(Py_UCS4 c) nogil:
    # the characters lexicon._PIECE splits off as pieces of their own: / ( ) ، , . ؛ ; : ! ? ؟ " « » “ ” - – —
    return c in (0x2F, 0x28, 0x29, 0x60C, 0x2C, 0x2E, 0x61B, 0x3B, 0x3A, 0x21, 0x3F, 0x61F, 0x22, 0xAB, 0xBB,
                 0x201C, 0x201D, 0x2D, 0x2013, 0x2014)


cdef inline bint _is_decimal_separator(Py_UCS4 c) nogil:
    return c == 0x2E or c == 0x2C or c == 0x66B  # . , ٫


cdef Py_ssize_t _piece_end(int kind, void* data, Py_ssize_t i, Py_ssize_t hi) nogil:
    """The end of the piece lexicon._PIECE matches at ``i`` (a character that is not whitespace, or a line break):
    \\n | \\d+(?:[.,٫]\\d+)+ | [^\\s and the punctuation]+ | one character. The regex's \\d and \\s are
    Py_UNICODE_ISDECIMAL and Py_UNICODE_ISSPACE."""
    cdef Py_UCS4 c = PyUnicode_READ(kind, data, i)
    cdef Py_ssize_t k, end = -1
    if c == 10:
        return i + 1
    if Py_UNICODE_ISDECIMAL(c):
        k = i + 1
        while k < hi and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, k)):
            k += 1
        while k + 1 < hi and _is_decimal_separator(PyUnicode_READ(kind, data, k)) \
                and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, k + 1)):
            k += 2
            while k < hi and Py_UNICODE_ISDECIMAL(PyUnicode_READ(kind, data, k)):
                k += 1
            end = k
        if end > 0:
            return end
    if _is_piece_punct(c):
        return i + 1
    k = i + 1
    while k < hi:
        c = PyUnicode_READ(kind, data, k)
        if Py_UNICODE_ISSPACE(c) or _is_piece_punct(c):
            break
        k += 1
    return k


cdef list _pieces(str text, Py_ssize_t lo, Py_ssize_t hi):
    cdef Py_ssize_t length = PyUnicode_GET_LENGTH(text), i, end
    # finditer(text, lo, hi) clamps its bounds like this
    if hi > length:
        hi = length
    if lo < 0:
        lo = 0
    i = lo
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    cdef list out = []
    while i < hi:
        c = PyUnicode_READ(kind, data, i)
        if c != 10 and Py_UNICODE_ISSPACE(c):
            i += 1
            continue
        end = _piece_end(kind, data, i, hi)
        out.append((i, text[i:end]))
        i = end
    return out


cdef bint _no_phrase_after(str stem, list pieces, Py_ssize_t k, dict index, frozenset phrase_starts):
    """lexicon.no_phrase_after, compiled (the diacritics tested by a loop instead of the regex)."""
    cdef Py_UCS4 c
    if k >= len(pieces):
        return True
    nxt = (<tuple>pieces[k])[1]
    hit = index.get(nxt)
    if hit is None:
        for c in <str>nxt:
            if 0x64B <= c <= 0x652 or c == 0x670 or c == 0x640:
                return False
        return True
    return (stem, (<tuple>hit)[0]) not in phrase_starts


def pieces(str text, Py_ssize_t lo, Py_ssize_t hi):
    """[(m.start(), m.group()) for m in lexicon._PIECE.finditer(text, lo, hi)], by a C loop."""
    return _pieces(text, lo, hi)


def units_from_text(str text, Py_ssize_t lo, Py_ssize_t hi, lexicon, dict index, units=None,
                    bint first_break=True):
    """lexicon.units_from_text_python, compiled: the same units (see its docstring). The pieces are split by a C
    loop and the memo's units appended here; a piece the memo does not hold goes to lexicon.add_piece_units, which
    the Python twin calls too."""
    global _lexicon_module
    if _lexicon_module is None:  # imported here: lexicon imports this module
        from marsad.time import lexicon as module
        _lexicon_module = module
    L = _lexicon_module
    if units is None:
        units = L.Units([], [], [], [], [], [])
    cdef list chars = units.chars, starts = units.starts, ends = units.ends, values = units.values
    cdef list norms = units.norms, articles = units.articles
    if chars and first_break:
        chars.append(lexicon.classes["BREAK"]); starts.append(lo); ends.append(lo); values.append(None)
        norms.append(""); articles.append(False)
    cdef list pieces = _pieces(text, lo, hi)
    cdef Py_ssize_t start, j, n
    cdef dict memo = lexicon.piece_units
    if len(memo) > L._PIECE_MEMO_SIZE:
        memo.clear()
    conj_cls = lexicon.classes["AND"]
    add_piece_units = L.add_piece_units
    cdef dict starters = lexicon.starter_units
    cdef frozenset phrase_starts = lexicon.phrase_starts
    cdef tuple known, item
    n = len(pieces)
    j = 0
    while j < n:
        item = <tuple>pieces[j]
        piece = item[1]
        found = memo.get(piece)
        if found is None:
            starter = starters.get(piece)
            if starter is None or not _no_phrase_after((<tuple>starter)[1], pieces, j + 1, index, phrase_starts):
                j = add_piece_units(pieces, j, lexicon, index, units)
                continue
            found = (<tuple>starter)[0]
        # most pieces: seen before, and their unit depends on nothing else (or, for a word that may begin a phrase,
        # on nothing else when the next piece begins none with it)
        j += 1
        start = item[0]
        known = <tuple>found
        if known[0]:
            chars.append(conj_cls); starts.append(start); ends.append(start + 1); values.append(None)
            norms.append("و"); articles.append(False)
        chars.append(known[2]); starts.append(start + <Py_ssize_t>known[1]); ends.append(start + len(piece))
        values.append(known[3]); norms.append(known[4]); articles.append(known[5])
    return units
