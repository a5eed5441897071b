"""Exact-match scoring of TIMEX values: the development set (eval/times/dev.jsonl) and the seed article.

A gold expression counts as found exactly when the predicted TIMEX span that overlaps it most has the same
``value`` (lists compared as lists) and, where the gold item says so, the same ``anchored`` and the gold ``flags``.
``best_overlap`` and ``judge`` are that definition, used here for the seed article and by ``marsad eval``'s
time-sentences scorer (marsad.eval.scorers.score_time_sentence), through which ``score_dev`` scores the dev set.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from marsad.document import Document, Span
from marsad.pipeline import Pipeline


@dataclass
class Score:
    total: int = 0
    exact: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.exact / self.total if self.total else 0.0


def best_overlap(spans: Iterable[Span], start: int, end: int) -> Span | None:
    best, best_len = None, 0
    for span in spans:
        overlap = min(end, span.end) - max(start, span.start)
        if overlap > best_len:
            best, best_len = span, overlap
    return best


def judge(gold: dict[str, Any], span: Span | None) -> bool:
    if span is None:
        return False
    attrs = span.attrs
    if attrs.get("value") != gold.get("value"):
        return False
    if "anchored" in gold and attrs.get("anchored") != gold["anchored"]:
        return False
    return all(flag in attrs.get("flags", []) for flag in gold.get("flags", []))


def score_dev(path: str | Path, pipeline: Pipeline) -> Score:
    """A time-sentences gold file (eval/times/dev.jsonl) scored by ``marsad eval``'s reader and scorer: ``exact`` is
    its ``times`` ``value`` count, ``misses`` its mismatches (as ``marsad eval --errors --format json`` gives them)."""
    from marsad.eval.runner import evaluate

    score = Score()
    for report in evaluate([path], layers=["times"], pipeline=pipeline):
        if report.failures:
            raise RuntimeError(f"the pipeline raised on {'; '.join(report.failures)}")
        result = report.layers.get("times")
        if result is not None:
            score.total += result.metrics["value"].total
            score.exact += result.metrics["value"].hits
            score.misses.extend(m.to_dict() for m in result.mismatches)
    return score


def score_seed(text: str, expected: dict[str, Any], pipeline: Pipeline) -> Score:
    """The seed article's expected ``times`` (in document order: each is searched after the previous one)."""
    doc = pipeline(Document(text=text, published=expected.get("published")))
    score = Score()
    cursor = 0
    for gold in expected["times"]:
        start = text.find(gold["text"], cursor)
        if start < 0:
            start = text.find(gold["text"])
        end = start + len(gold["text"])
        cursor = end
        span = best_overlap(doc.layer("times"), start, end)
        score.total += 1
        if judge(gold, span):
            score.exact += 1
        else:
            score.misses.append({**gold, "got_text": doc.span_text(span) if span else None,
                                 "got": span.attrs if span else None})
    return score
