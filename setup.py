"""Builds the one compiled module, marsad.time._scan (the times stage's scans over the raw text; see its docstring).

Everything else is in pyproject.toml. The extension is optional: without a C compiler the install still succeeds and
the stage runs its pure-Python twins of the same scans (same output, slower).
"""
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(ext_modules=cythonize([Extension("marsad.time._scan", ["src/marsad/time/_scan.pyx"], optional=True)],
                            compiler_directives={"language_level": 3}))
