"""Quantities in words and digits: counts, percentages and vague amounts (عشرات) with low/high bounds."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marsad.events.lexicon import EventLexicon
from marsad.events.view import QUANTITY, SentenceView

_PERCENT_WORDS = ("ماءه", "مءه")


@dataclass(slots=True)
class Quantity:
    first: int  # word positions [first, last) including qualifier and unit
    last: int
    start: int
    end: int
    attrs: dict[str, Any]


def _number(lexicon: EventLexicon, view: SentenceView, i: int) -> tuple[float | None, int]:
    """The number starting at word i (digits, or number words joined by و: خمسة وعشرين) and the words it used."""
    words = view.words
    w = words[i]
    if w.num:
        try:
            return float(w.norm), 1
        except ValueError:
            return None, 0
    value = lexicon.numbers.get(w.norm)
    if value is None:
        return None, 0
    total, used = float(value), 1
    # "ثلاثة آلاف", "خمسة وعشرين", "مئتا"
    while i + used < len(words):
        nxt = words[i + used]
        nv = lexicon.numbers.get(nxt.norm)
        if nv is None:
            if nxt.norm in ("الاف", "الف") and total < 1000:
                total *= 1000
                used += 1
                continue
            break
        if "و" in nxt.pre and nv < 100:
            total += nv
        elif nv >= 100 and total < nv:
            total *= nv
        else:
            break
        used += 1
    return total, used


def find_quantities(lexicon: EventLexicon, view: SentenceView, time_words: set[int]) -> list[Quantity]:
    words = view.words
    out: list[Quantity] = []
    start = 0  # the first word not yet read
    n = len(words)
    for i in view.where(QUANTITY):  # no quantity starts at the other words
        if i < start or i in time_words:
            continue
        w = words[i]
        value, used = _number(lexicon, view, i)
        vague = lexicon.vague.get(w.norm) if value is None else None
        if value is None and vague is None:
            continue
        if value is not None and not w.num and value in (1, 2) and used == 1:
            continue  # واحد / اثنين alone are rarely the figure of a report
        first, last = i, i + (used or 1)
        attrs: dict[str, Any] = {"unit": "count"}
        if vague:
            attrs.update(low=vague[0], high=vague[1], vague=True)
        else:
            value = int(value) if float(value).is_integer() else value  # 25, not 25.0, in JSON and displays
            attrs.update(value=value, low=value, high=value)
        # qualifier before: أكثر من / نحو / ما لا يقل عن
        for back in (4, 3, 2, 1):
            if first - back < 0:
                continue
            key = view.norms(first - back, first)
            if key in lexicon.qualifier_value:
                attrs["qualifier"] = lexicon.qualifier_value[key]
                first -= back
                break
        # percent after: في المائة, بالمئة, %
        if last < n and words[last].norm in _PERCENT_WORDS and ("ب" in words[last].pre or
                                                                (last > 0 and words[last - 1].norm == "في")):
            attrs["unit"] = "percent"
            last += 1
        elif last + 1 < n and words[last].norm == "في" and words[last + 1].norm in _PERCENT_WORDS:
            attrs["unit"] = "percent"
            last += 2
        elif any(words[last - 1].end <= off <= words[last - 1].end + 1 and ch in "%٪" for off, ch in view.punct):
            attrs["unit"] = "percent"
        # qualifier after the number or after its noun: 25 على الأقل / 25 مدنيا على الأقل
        for skip in (0, 1):
            key = view.norms(last + skip, last + skip + 2)
            if key in lexicon.qualifier_value:
                attrs["qualifier"] = lexicon.qualifier_value[key]
                if skip == 0:
                    last += 2
                break
        q = attrs.get("qualifier")
        if q == "more_than" or q == "at_least":
            attrs["high"] = None if not vague else attrs["high"]
        elif q == "less_than":
            attrs["low"] = 0
        if last < n:
            attrs["noun"] = words[last].norm
        out.append(Quantity(first, last, words[first].start, words[last - 1].end, attrs))
        start = last
    return out
