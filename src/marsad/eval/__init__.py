"""Scoring the pipeline against gold data: readers for five gold formats, per-layer scorers, floors.

``evaluate(paths)`` returns one Report per gold set; docs/evaluation.md defines every score.
"""
from marsad.eval.errors import GoldFormatError
from marsad.eval.runner import Report, check_floors, evaluate

__all__ = ["GoldFormatError", "Report", "check_floors", "evaluate"]
