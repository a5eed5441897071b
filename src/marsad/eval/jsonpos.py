"""JSON parsing that remembers the line each value starts on, so a gold-file error can name its line.

The standard ``json`` module drops positions; this walker parses containers itself and hands scalars to
``json``'s own decoder, so what it accepts is exactly JSON.
"""
from __future__ import annotations

import json
from typing import Any

_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


def loads_with_lines(text: str) -> tuple[Any, dict[str, int]]:
    """Parse ``text``; return the value and a map from field path (``events[3].cameo``) to 1-based line."""
    lines: dict[str, int] = {}
    newlines = [i for i, ch in enumerate(text) if ch == "\n"]

    def line_of(pos: int) -> int:
        from bisect import bisect_left

        return bisect_left(newlines, pos) + 1

    def skip(pos: int) -> int:
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        return pos

    def fail(msg: str, pos: int) -> None:
        raise json.JSONDecodeError(msg, text, pos)

    def value(pos: int, path: str) -> tuple[Any, int]:
        pos = skip(pos)
        lines[path] = line_of(pos)
        if pos >= len(text):
            fail("Expecting value", pos)
        ch = text[pos]
        if ch == "{":
            out: dict[str, Any] = {}
            pos = skip(pos + 1)
            if pos < len(text) and text[pos] == "}":
                return out, pos + 1
            while True:
                pos = skip(pos)
                if pos >= len(text) or text[pos] != '"':
                    fail("Expecting property name enclosed in double quotes", pos)
                key, pos = _DECODER.raw_decode(text, pos)
                pos = skip(pos)
                if pos >= len(text) or text[pos] != ":":
                    fail("Expecting ':' delimiter", pos)
                out[key], pos = value(pos + 1, f"{path}.{key}" if path else key)
                pos = skip(pos)
                if pos < len(text) and text[pos] == ",":
                    pos += 1
                    continue
                if pos < len(text) and text[pos] == "}":
                    return out, pos + 1
                fail("Expecting ',' delimiter", pos)
        if ch == "[":
            items: list[Any] = []
            pos = skip(pos + 1)
            if pos < len(text) and text[pos] == "]":
                return items, pos + 1
            while True:
                item, pos = value(pos, f"{path}[{len(items)}]")
                items.append(item)
                pos = skip(pos)
                if pos < len(text) and text[pos] == ",":
                    pos += 1
                    continue
                if pos < len(text) and text[pos] == "]":
                    return items, pos + 1
                fail("Expecting ',' delimiter", pos)
        try:
            return _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError:
            raise
        except ValueError as exc:  # raw_decode raises StopIteration-derived errors on junk
            fail(str(exc) or "Expecting value", pos)
        raise AssertionError("unreachable")

    result, end = value(0, "")
    end = skip(end)
    if end != len(text):
        fail("Extra data", end)
    return result, lines
