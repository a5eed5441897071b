"""A bounded memo for per-form facts that stages work out on first sight (a word form's kinds, gazetteer flags…)."""
from __future__ import annotations

from typing import Any


class Memo(dict):
    """key -> ``compute(key)``, worked out on a miss (``__missing__``) and remembered. Emptied when it holds
    ``limit`` keys: memory stays bounded on endless streams, and the common keys are back within a few articles.
    A hit is a plain dict look-up, so hot loops can index it directly."""

    limit = 200_000

    def compute(self, key: Any) -> Any:
        raise NotImplementedError

    def __missing__(self, key: Any) -> Any:
        value = self.compute(key)
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
