"""Sentence splitting for real Arabic newsprint.

Handles what news text actually does: a full stop glued to the next word (``الانسان.اضافة``), headlines and
datelines on lines of their own without a full stop, full stops inside quotes and parentheses (the quoted
speech stays in the sentence that reports it), decimals (``3.5``) and abbreviations (``د.`` for Dr.,
``أ.ف.ب``). Regions marked as boilerplate by the clean stage are cut out of the sentences around them.
"""
from __future__ import annotations

import re
from typing import Iterable

_ENDERS = ".!?؟…"
_CLOSERS = "\"'»”’)]}"
# A boundary candidate: sentence-final punctuation (repeated), then any closing quotes/brackets.
_BOUNDARY_RE = re.compile(rf"[{re.escape(_ENDERS)}]+[{re.escape(_CLOSERS)}]*")
_PARAGRAPH_RE = re.compile(r"[^\n\r\u2029]+")
# Pairs whose inside is never split; longer stretches are treated as unbalanced and ignored.
_PAIRS = {"«": "»", "“": "”", "(": ")", "[": "]"}
_MAX_PROTECTED = 400


def _protected_regions(paragraph: str) -> list[tuple[int, int]]:
    """Stretches inside quotes or brackets (start, end) within one paragraph."""
    regions: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    straight_open: int | None = None
    for i, ch in enumerate(paragraph):
        if ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                if i - straight_open <= _MAX_PROTECTED:
                    regions.append((straight_open, i))
                straight_open = None
        elif ch in _PAIRS:
            stack.append((ch, i))
        elif stack and ch == _PAIRS[stack[-1][0]]:
            _, start = stack.pop()
            if i - start <= _MAX_PROTECTED:
                regions.append((start, i))
    return regions


def _is_abbreviation(paragraph: str, dot: int) -> bool:
    """A lone letter before the dot (د. or أ.ف.ب) is an abbreviation, not a sentence end."""
    if paragraph[dot] != ".":
        return False
    before = paragraph[dot - 1] if dot >= 1 else " "
    before2 = paragraph[dot - 2] if dot >= 2 else " "
    return before.isalpha() and not before2.isalpha()


def _split_paragraph(paragraph: str, offset: int) -> Iterable[tuple[int, int]]:
    regions = _protected_regions(paragraph)
    start = 0
    for match in _BOUNDARY_RE.finditer(paragraph):
        end = match.end()
        dot = match.start()
        if any(a < dot < b for a, b in regions):
            continue
        next_char = paragraph[end:end + 1]
        if not next_char:
            continue  # paragraph end closes the sentence anyway
        if paragraph[dot] == "." and dot > 0 and paragraph[dot - 1].isdigit() and next_char.isdigit():
            continue  # decimal 3.5
        if match.group() == "." and _is_abbreviation(paragraph, dot):
            continue
        yield offset + start, offset + end
        start = end
    yield offset + start, offset + len(paragraph)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_sentences(text: str, excluded: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; ``excluded`` regions (boilerplate) belong to none."""
    cuts = sorted(excluded)
    pieces: list[tuple[int, int]] = []
    # The text between excluded regions is split on its own.
    position = 0
    segments: list[tuple[int, int]] = []
    for a, b in cuts:
        if a > position:
            segments.append((position, a))
        position = max(position, b)
    segments.append((position, len(text)))
    for seg_start, seg_end in segments:
        segment = text[seg_start:seg_end]
        for para in _PARAGRAPH_RE.finditer(segment):
            for s, e in _split_paragraph(para.group(), seg_start + para.start()):
                s, e = _trim(text, s, e)
                if e > s and any(ch.isalnum() for ch in text[s:e]):
                    pieces.append((s, e))
    return pieces
