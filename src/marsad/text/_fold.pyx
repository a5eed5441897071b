# cython: language_level=3, boundscheck=False, wraparound=False
"""matching_form (marsad.text.normalise), compiled: one C pass over the code points through a table instead of
str.translate with a dict, which looks each character up as a Python int (about 50 ns a character on Arabic text:
the times stage folds a clause for every tense test). normalise.matching_form_python is the reference twin and
tests/test_times_scan.py checks the two agree on every character of the Basic Multilingual Plane."""
from cpython.mem cimport PyMem_Free, PyMem_Malloc

cdef extern from "Python.h":
    int PyUnicode_KIND(object)
    void* PyUnicode_DATA(object)
    Py_ssize_t PyUnicode_GET_LENGTH(object)
    Py_UCS4 PyUnicode_READ(int kind, void* data, Py_ssize_t index) nogil
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)
    int PyUnicode_4BYTE_KIND

DEF _SIZE = 0x10000  # the table covers the Basic Multilingual Plane; other characters are kept as they are
cdef Py_UCS4 _DELETE = 0xFFFFFFFF
cdef Py_UCS4 _map[_SIZE]
cdef bint _ready = False


def load_table(dict table):
    """Take a str.translate table (code point → one character, or None to delete): the one fold() applies."""
    global _ready
    cdef Py_ssize_t code
    for code in range(_SIZE):
        _map[code] = <Py_UCS4>code
    for key, value in table.items():
        if not 0 <= key < _SIZE or (value is not None and len(value) != 1):
            raise ValueError(f"the compiled fold maps BMP characters to one character or none, not {key!r}: {value!r}")
        _map[key] = _DELETE if value is None else <Py_UCS4>ord(value)
    _ready = True


def fold(str text):
    """text.translate(table).lower() for the table given to load_table."""
    if not _ready:  # imported on its own (a pickled reference to fold): normalise gives the table on import
        from marsad.text import normalise
        if not _ready:
            load_table(normalise._TABLE)
    cdef Py_ssize_t n = PyUnicode_GET_LENGTH(text), i, k = 0
    if n == 0:
        return text.lower()
    cdef int kind = PyUnicode_KIND(text)
    cdef void* data = PyUnicode_DATA(text)
    cdef Py_UCS4* out = <Py_UCS4*>PyMem_Malloc(n * sizeof(Py_UCS4))
    cdef Py_UCS4 c, m
    if out == NULL:
        raise MemoryError()
    try:
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            m = _map[c] if c < _SIZE else c
            if m != _DELETE:
                out[k] = m
                k += 1
        folded = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, out, k)
    finally:
        PyMem_Free(out)
    return folded.lower()
