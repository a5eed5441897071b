"""Builds the compiled modules (the times stage's and the text fold); everything else is in pyproject.toml.

- marsad.time._scan (Cython, typed): the stage's passes over the raw text (candidate words, chains, units).
- marsad.text._fold (Cython, typed): matching_form as one pass through a table (the tense test folds a clause for
  every expression it looks at; every stage's look-ups use it too).
- marsad.stages.times, marsad.time.lexicon, marsad.time.calendar: the same Python source compiled by Cython as it
  is (a compiled module is imported before its .py; the .py is what runs when there is none). For marsad.stages.times
  Cython also reads times.pxd beside it, which makes the stage and its context extension types (plain Python never
  reads it).

Every extension is optional: without a C compiler the install still succeeds and the stage runs as plain Python
(same output, slower). After editing one of these .py files, reinstall (make does it: the stamp depends on them)
or the old compiled module keeps being imported; tests/test_times_scan.py fails when one is older than its source.
"""
from Cython.Build import cythonize
from setuptools import Extension, setup

COMPILED = {
    "marsad.time._scan": "src/marsad/time/_scan.pyx",
    "marsad.text._fold": "src/marsad/text/_fold.pyx",
    "marsad.stages.times": "src/marsad/stages/times.py",  # with times.pxd
    "marsad.time.lexicon": "src/marsad/time/lexicon.py",
    "marsad.time.calendar": "src/marsad/time/calendar.py",
}

extensions = cythonize([Extension(name, [path]) for name, path in COMPILED.items()],
                       compiler_directives={"language_level": 3})
for extension in extensions:
    extension.optional = True  # set after cythonize, which does not carry it over to the extensions it returns

setup(ext_modules=extensions)
