"""The clean stage: marks boilerplate, agency credits, the headline and the dateline (never deletes text)."""
from __future__ import annotations

import re
from pathlib import Path

from marsad.document import Document, Provenance, Span
from marsad.pipeline import register_stage
from marsad.resources import DataFileError, data_path, load_toml

LAYER = "clean"


class CleanStage:
    name = "clean"
    version = "1"

    def __init__(self, patterns_file: str | Path | None = None):
        path = Path(patterns_file) if patterns_file else data_path("clean/patterns.toml")
        spec = load_toml(path)
        try:
            agency = "|".join(spec["agencies"]["names"])
            self.boilerplate = [(e["name"], self._compile(e["pattern"], agency, path)) for e in spec.get("boilerplate", [])]
            self.credits = [(e["name"], self._compile(e["pattern"], agency, path)) for e in spec.get("credit", [])]
            dateline = spec["dateline"]
            self.dateline_rule = dateline["name"]
            self.dateline = self._compile(dateline["pattern"], agency, path)
            self.not_places = frozenset(dateline.get("not_places", []))
            self.dateline_lines = int(dateline.get("search_lines", 2))
            self.headline_max = int(spec["headline"]["max_chars"])
        except KeyError as exc:
            raise DataFileError(f"marsad data file {path} lacks the key {exc}") from exc

    @staticmethod
    def _compile(pattern: str, agency: str, path: Path) -> re.Pattern[str]:
        try:
            return re.compile(pattern.replace("{agency}", agency))
        except re.error as exc:
            raise DataFileError(f"marsad data file {path}: bad pattern {pattern!r}: {exc}") from exc

    def _prov(self, rule: str) -> Provenance:
        return Provenance(self.name, rule, self.version)

    def __call__(self, doc: Document) -> Document:
        text = doc.text
        spans: list[Span] = []
        for rule, regex in self.boilerplate:
            for m in regex.finditer(text):
                s, e = _strip(text, m.start(), m.end())
                if e > s:
                    spans.append(Span(s, e, "BOILERPLATE", {}, self._prov(rule)))
        credit = self._trailing_credit(text)
        if credit:
            spans.append(credit)
        lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n\r]+", text) if text[m.start():m.end()].strip()]
        body_first = 0
        if len(lines) > 1:
            s, e = _strip(text, *lines[0])
            first = text[s:e]
            if len(first) <= self.headline_max and first[-1:] not in ".!؟?:" and self.dateline.match(first) is None:
                spans.append(Span(s, e, "HEADLINE", {}, self._prov("first-short-line")))
                body_first = 1
        for line_start, line_end in lines[body_first:body_first + self.dateline_lines]:
            dateline = self._dateline(text, line_start, line_end)
            if dateline:
                spans.append(dateline)
                break
        doc.set_layer(LAYER, spans)
        return doc

    def _trailing_credit(self, text: str) -> Span | None:
        tail_start = max(0, len(text) - 200)
        tail = text[tail_start:]
        best: Span | None = None
        for rule, regex in self.credits:
            for m in regex.finditer(tail):
                s, e = _strip(text, tail_start + m.start(), tail_start + m.end())
                if text[e:].strip():
                    continue  # only what ends the text
                if best is None or s < best.start:
                    best = Span(s, e, "CREDIT", {}, self._prov(rule))
        return best

    def _dateline(self, text: str, line_start: int, line_end: int) -> Span | None:
        line = text[line_start:line_end]
        stripped = len(line) - len(line.lstrip())
        m = self.dateline.match(line, stripped)
        if not m:
            return None
        place = m.group("place")
        if place.split()[0] in self.not_places or len(m.group()) > 60:
            return None
        # The rest of the line must carry on with text: "بيروت-" alone on a line is fine, a bare dash is not.
        place_start = line_start + m.start("place")
        attrs = {"place": place, "place_start": place_start, "place_end": place_start + len(place)}
        agency = m.group("agency") or m.group("agency2")
        if agency:
            attrs["agency"] = agency
        s, e = _strip(text, line_start + m.start(), line_start + m.end())
        return Span(s, e, "DATELINE", attrs, self._prov(self.dateline_rule))


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


@register_stage("clean")
def make_clean_stage(patterns_file: str | None = None) -> CleanStage:
    return CleanStage(patterns_file)
