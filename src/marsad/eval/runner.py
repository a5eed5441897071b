"""Running the pipeline over gold sets and gathering per-layer results; printing them; checking floors."""
from __future__ import annotations

import json
import os
import platform
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from marsad.document import Document
from marsad.eval import scorers
from marsad.eval.gold import ARTICLE, EVENT_SENTENCES, NER, TIME_SENTENCES, TIMEML, GoldSet, load_gold
from marsad.eval.scores import PRF, LayerResult, Ratio
from marsad.pipeline import Pipeline

LAYERS = scorers.ARTICLE_LAYERS


@dataclass
class Report:
    """The scores of one gold set (one format under one argument)."""

    source: str
    format: str
    documents: int = 0
    layers: dict[str, LayerResult] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # documents on which a stage raised

    def add(self, results: dict[str, LayerResult]) -> None:
        for name, result in results.items():
            if name in self.layers:
                self.layers[name].merge(result)
            else:
                self.layers[name] = result

    def to_dict(self, errors: bool = False) -> dict[str, Any]:
        return {
            "gold": self.source,
            "format": self.format,
            "documents": self.documents,
            "notes": self.notes,
            "failures": self.failures,
            "layers": {name: r.to_dict(errors) for name, r in self.layers.items()},
        }


def _document(item: Any, fmt: str) -> tuple[Document, Any]:
    if fmt == ARTICLE:
        return Document(text=item.text, id=item.name, published=item.published), scorers.score_article
    if fmt == EVENT_SENTENCES:
        return Document(text=item.text, id=item.id), scorers.score_event_sentence
    if fmt == TIME_SENTENCES:
        return Document(text=item.sentence, id=item.id, published=item.published), scorers.score_time_sentence
    if fmt == NER:
        return Document(text=item.text), scorers.score_ner_sentence
    if fmt == TIMEML:
        return Document(text=item.text, id=item.path.stem, published=item.published), scorers.score_timeml
    raise ValueError(fmt)


def evaluate_set(gold: GoldSet, pipeline: Pipeline, layers: set[str] | None = None, limit: int | None = None,
                 every: int | None = None) -> Report:
    """Score one gold set. ``every=N`` keeps the Nth, 2Nth, … item (a held-out part), ``limit`` the first N kept."""
    report = Report(gold.source, gold.format, notes=list(gold.notes))
    items = gold.items
    if every and every > 1:
        items = items[every - 1::every]
        report.notes.append(f"every {every}th item only")
    items = items[:limit] if limit else items
    if gold.format == TIMEML and any(item.published is None for item in items):
        report.notes.append("no document creation time in some files: their relative values stay unanchored")
    for item in items:
        doc, scorer = _document(item, gold.format)
        try:
            doc = pipeline(doc)
        except Exception as exc:  # noqa: BLE001 - one crashing document must not hide the scores of the rest
            # Stages add layers to the document in place, so what ran before the crash is still scored.
            report.failures.append(f"{_item_name(item, gold.format)}: {type(exc).__name__}: {exc}")
        report.add(scorer(item, doc, layers))
        report.documents += 1
    return report


def _item_name(item: Any, fmt: str) -> str:
    if fmt == ARTICLE:
        return item.name if item.json_path == item.text_path else str(item.json_path)  # a JSONL line: file:line
    if fmt == TIMEML:
        return str(item.path)
    return f"{item.path}:{item.line}"


def evaluate(arguments: Iterable[str | Path], layers: Iterable[str] | None = None, limit: int | None = None,
             pipeline: Pipeline | None = None, every: int | None = None) -> list[Report]:
    """Score the pipeline (default: ``Pipeline.default()``) on every gold set under ``arguments``.

    Gold files are all read and checked before the pipeline runs, so a broken file fails fast.
    """
    sets = [s for arg in arguments for s in load_gold(arg)]
    pipeline = pipeline or Pipeline.default()
    wanted = set(layers) if layers else None
    return [evaluate_set(s, pipeline, wanted, limit, every) for s in sets]


# --- output ---------------------------------------------------------------------------------------------
def _fmt(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def describe(metric: Ratio | PRF) -> str:
    if isinstance(metric, PRF):
        return (f"P {_fmt(metric.precision)} R {_fmt(metric.recall)} F1 {_fmt(metric.f1)} "
                f"({metric.gold_found}/{metric.gold} gold, {metric.produced_right}/{metric.produced} produced)")
    return f"{_fmt(metric.value)} ({metric.hits}/{metric.total})"


def machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def to_json(reports: list[Report], command: str, pipeline: Pipeline | None = None, errors: bool = False) -> dict[str, Any]:
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "command": command,
        "machine": machine(),
        "pipeline": pipeline.versions() if pipeline is not None else None,
        "reports": [r.to_dict(errors) for r in reports],
    }


def print_table(reports: list[Report], errors: bool = False, console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table

    if console is None:
        console = Console()
        if not console.is_terminal:  # piped to a file or a pager: do not squeeze the table into 80 columns
            console = Console(width=140)
    for report in reports:
        table = Table(title=f"{report.source} — {report.format}, {report.documents} documents", title_justify="left")
        for column in ("layer", "status", "metric", "value", "counts"):
            table.add_column(column)
        for name, result in report.layers.items():
            status = "ok" if result.produced else "[yellow]not produced[/yellow]"
            for i, (metric_name, metric) in enumerate(result.metrics.items()):
                label = f"[bold]{metric_name}[/bold]" if metric_name == result.primary else metric_name
                if isinstance(metric, PRF):
                    value = f"P {_fmt(metric.precision)} R {_fmt(metric.recall)} F1 {_fmt(metric.f1)}"
                    counts = f"{metric.gold_found}/{metric.gold} gold, {metric.produced_right}/{metric.produced} produced"
                else:
                    value, counts = _fmt(metric.value), f"{metric.hits}/{metric.total}"
                table.add_row(name if i == 0 else "", status if i == 0 else "", label, value, counts,
                              end_section=i == len(result.metrics) - 1)
        console.print(table)
        for note in report.notes:
            console.print(f"  note: {note}", markup=False)
        for failure in report.failures:
            console.print(f"  [red]pipeline failed[/red] on {failure}", highlight=False)
        if errors:
            for name, result in report.layers.items():
                if not result.mismatches:
                    continue
                if not result.produced:
                    console.print(f"[bold]{name}[/bold]: layer not produced ({len(result.mismatches)} gold items missed)")
                    continue
                console.print(f"[bold]{name}[/bold]: {len(result.mismatches)} mismatches")
                for m in result.mismatches:
                    parts = [f"  [{m.kind}] {m.document}"]
                    if m.expected is not None:
                        parts.append(f"expected: {m.expected}")
                    if m.got is not None:
                        parts.append(f"got: {m.got}")
                    if m.detail:
                        parts.append(f"({m.detail})")
                    console.print(" | ".join(str(p) for p in parts), markup=False)
                    if m.sentence:
                        console.print(f"      « {m.sentence} »", markup=False)


# --- floors ---------------------------------------------------------------------------------------------
def check_floors(reports: list[Report], floors: dict[str, dict[str, float]]) -> list[str]:
    """Every layer metric below its floor, as readable lines (empty when all hold).

    ``floors`` maps a layer to {metric: floor}; a metric name may reach into a P/R/F1 (``strict.precision``).
    Layers are merged over all reports first.
    """
    merged: dict[str, LayerResult] = {}
    for report in reports:
        for name, result in report.layers.items():
            if name not in merged:
                merged[name] = LayerResult(name, result.primary)
            merged[name].merge(result)
    failures = []
    for layer, metrics in floors.items():
        for metric, floor in metrics.items():
            if layer not in merged:
                failures.append(f"{layer}: no score at all (floor {metric} {floor})")
                continue
            value = merged[layer].value(metric)
            if value is None or value < floor - 1e-9:
                failures.append(f"{layer}.{metric} = {_fmt(value)} is below its floor {floor}")
    return failures


def load_floors(path: str | Path, gold_set: str) -> dict[str, dict[str, float]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["floors"][gold_set]
