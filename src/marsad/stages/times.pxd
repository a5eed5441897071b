# Declarations for the compiled build of times.py (Cython reads this file beside the .py; plain Python never does):
# the stage and the handlers' context as extension types, so that the hot path reads their attributes as C struct
# fields instead of looking them up in instance and type dictionaries.

cimport cython


cdef class TimesStage:
    cdef public dict classes
    cdef public object c
    cdef public list patterns
    cdef public object future_cue, future_before, future_cue_words, future_before_words
    cdef public frozenset future_proclitics, _chain_end
    cdef public Py_ssize_t window_before, window_after, chain_words
    cdef public tuple window_stops
    cdef public str edge_marks, _edge
    cdef public object window_stop
    cdef public object lexicon, prefilter, _provenance
    cdef public bytes _surface_bloom
    cdef public dict surface, patterns_by_class, _analysed, _resolved, _known_words, _by_chars, _orders_by_classes
    cdef public frozenset day_adjectives, today_names, season_not_before, day_followers, _demotable, night_deictics
    cdef public tuple requirements, _to
    cdef public Py_ssize_t _resolved_size
    cdef public dict _class_bits
    cdef public object _pattern_masks

    # the set of classes in a class string as 64 bits (the stage refuses a patterns file with more classes)
    @cython.locals(bits=cython.ulonglong, ch=str)
    cpdef tuple _candidates(self, str chars)
    @cython.locals(needs=cython.ulonglong, one_of=cython.ulonglong, order=Py_ssize_t)
    cpdef tuple _orders_for(self, unsigned long long bits)


cdef class _Context:
    cdef public TimesStage stage
    cdef public object units, text, _anchor, tokens
    cdef public Py_ssize_t base
    cdef public bint used_clause, used_anchor


cdef class Result:
    cdef public object value, type, flags, anchored, range, kind, info


cdef class Found:
    cdef public object first, last, rule, result
