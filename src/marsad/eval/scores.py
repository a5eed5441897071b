"""Score containers: counts that add up across documents, and the mismatches behind them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Ratio:
    """hits out of total (accuracy, recall of one kind); ``None`` when nothing was there to count."""

    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += bool(hit)

    def merge(self, other: "Ratio") -> None:
        self.hits += other.hits
        self.total += other.total

    def to_dict(self) -> dict[str, Any]:
        return {"value": _round(self.value), "hits": self.hits, "total": self.total}


@dataclass
class PRF:
    """Precision/recall/F1. Gold items found and produced items right are counted apart: with lenient (overlap)
    matching one produced span may cover two gold ones."""

    gold_found: int = 0
    gold: int = 0
    produced_right: int = 0
    produced: int = 0

    @property
    def precision(self) -> float | None:
        return self.produced_right / self.produced if self.produced else (None if not self.gold else 0.0)

    @property
    def recall(self) -> float | None:
        return self.gold_found / self.gold if self.gold else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def value(self) -> float | None:
        return self.f1

    def merge(self, other: "PRF") -> None:
        self.gold_found += other.gold_found
        self.gold += other.gold
        self.produced_right += other.produced_right
        self.produced += other.produced

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": _round(self.precision), "recall": _round(self.recall), "f1": _round(self.f1),
            "gold_found": self.gold_found, "gold": self.gold, "produced_right": self.produced_right,
            "produced": self.produced,
        }


Metric = Ratio | PRF


@dataclass
class Mismatch:
    kind: str  # "missed", "false alarm", "wrong value", "wrong name", …
    document: str
    expected: Any = None
    got: Any = None
    sentence: str = ""
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class LayerResult:
    """One layer's scores over one gold set. ``produced`` is False when no document got the pipeline layer."""

    layer: str
    primary: str
    metrics: dict[str, Metric] = field(default_factory=dict)
    produced: bool = False
    mismatches: list[Mismatch] = field(default_factory=list)

    def metric(self, name: str, kind: type = Ratio) -> Any:
        if name not in self.metrics:
            self.metrics[name] = kind()
        return self.metrics[name]

    def miss(self, kind: str, document: str, **kw: Any) -> None:
        self.mismatches.append(Mismatch(kind, document, **kw))

    def merge(self, other: "LayerResult") -> None:
        for name, metric in other.metrics.items():
            self.metric(name, type(metric)).merge(metric)
        self.produced = self.produced or other.produced
        self.mismatches.extend(other.mismatches)

    def value(self, name: str | None = None) -> float | None:
        """A metric's headline number: F1 for P/R/F1 metrics, the ratio otherwise. ``precision``/``recall`` of a
        P/R/F1 metric are reachable as ``name.precision``."""
        name = name or self.primary
        base, _, part = name.partition(".")
        metric = self.metrics.get(base)
        if metric is None:
            return None
        if part:
            return getattr(metric, part)
        return metric.value

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "status": "ok" if self.produced else "not produced",
            "primary": self.primary,
            "score": _round(self.value()),
            "metrics": {name: m.to_dict() for name, m in self.metrics.items()},
            "mismatch_count": len(self.mismatches),
        }
        if errors:
            out["mismatches"] = [m.to_dict() for m in self.mismatches]
        return out


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 4)
