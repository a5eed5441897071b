"""Stage registry and Pipeline: a list of named stages run in a declared order over one Document.

Modelled on spaCy's ``add_pipe``/``select_pipes``: stages are registered by name, built once (loading their
data files at start-up) and can be switched off or replaced by name.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Any, Callable, Iterable, Iterator, Protocol, runtime_checkable

from marsad.document import Document


@runtime_checkable
class Stage(Protocol):
    name: str
    version: str

    def __call__(self, doc: Document) -> Document: ...


StageFactory = Callable[..., Stage]

_REGISTRY: dict[str, StageFactory] = {}

# The declared order of the full pipeline. Later issues append their stages' names here.
DEFAULT_STAGES: list[str] = ["clean", "sentences", "tokens", "entities", "places", "times", "events"]


class PipelineError(ValueError):
    pass


# Collector thresholds for batch runs (CPython's default is 700, 10, 10). Analysing an article allocates tens of
# thousands of objects with almost no reference cycles; with the default the collector runs several times per
# article and promotes survivors into full collections that walk every stage's cache (measured: about a quarter
# of the pipeline's time on 2,000 articles).
BATCH_GC_THRESHOLD = (10_000, 10, 10)


_batch_depth = 0  # batch_gc blocks in force (they nest: only the outermost one changes the collector)


@contextmanager
def batch_gc() -> Iterator[None]:
    """Garbage-collector settings for a long run of articles, restored on exit.

    Everything loaded before the run (lexicons, models, gazetteer indexes: millions of long-lived objects) is
    moved out of the collector's sight with ``gc.freeze()``, and the young generation is collected less often
    (``BATCH_GC_THRESHOLD``). Cycles are still collected; memory stays bounded (benchmarks/throughput.py measures
    it with these settings, since every batch entry point uses them)."""
    global _batch_depth
    outermost = _batch_depth == 0 and gc.isenabled()
    _batch_depth += 1
    old = gc.get_threshold()
    if outermost:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*BATCH_GC_THRESHOLD)
    try:
        yield
    finally:
        _batch_depth -= 1
        if outermost:
            gc.set_threshold(*old)
            gc.unfreeze()


def register_stage(name: str) -> Callable[[StageFactory], StageFactory]:
    def decorator(factory: StageFactory) -> StageFactory:
        _REGISTRY[name] = factory
        return factory

    return decorator


def registered_stages() -> list[str]:
    _load_builtin_stages()
    return sorted(_REGISTRY)


def create_stage(name: str, **config: Any) -> Stage:
    _load_builtin_stages()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise PipelineError(f"no stage named {name!r}; known stages: {', '.join(sorted(_REGISTRY))}") from None
    return factory(**config)


def _load_builtin_stages() -> None:
    # Importing the stage modules runs their @register_stage decorators.
    import marsad.stages  # noqa: F401


class Pipeline:
    """Runs stages in order. ``Pipeline.default()`` is what ``marsad.analyse`` uses."""

    def __init__(self, stages: Iterable[Stage]):
        self._stages: list[Stage] = list(stages)
        self._disabled: set[str] = set()
        names = [s.name for s in self._stages]
        if len(names) != len(set(names)):
            raise PipelineError(f"duplicate stage names in pipeline: {names}")

    @classmethod
    def from_names(cls, names: Iterable[str], config: dict[str, dict[str, Any]] | None = None) -> "Pipeline":
        config = config or {}
        return cls(create_stage(name, **config.get(name, {})) for name in names)

    @classmethod
    def default(cls, exclude: Iterable[str] = (), config: dict[str, dict[str, Any]] | None = None) -> "Pipeline":
        _load_builtin_stages()
        excluded = set(exclude)
        unknown = excluded - set(DEFAULT_STAGES)
        if unknown:
            raise PipelineError(f"cannot exclude unknown stage(s) {sorted(unknown)}; pipeline is {DEFAULT_STAGES}")
        return cls.from_names([n for n in DEFAULT_STAGES if n not in excluded], config)

    # --- inspection and editing -------------------------------------------------------------------
    @property
    def names(self) -> list[str]:
        return [s.name for s in self._stages]

    @property
    def active_names(self) -> list[str]:
        return [s.name for s in self._stages if s.name not in self._disabled]

    def get(self, name: str) -> Stage:
        for stage in self._stages:
            if stage.name == name:
                return stage
        raise PipelineError(f"pipeline has no stage {name!r}; it has {self.names}")

    def disable(self, name: str) -> None:
        self.get(name)
        self._disabled.add(name)

    def enable(self, name: str) -> None:
        self.get(name)
        self._disabled.discard(name)

    def replace(self, name: str, stage: Stage) -> None:
        """Put ``stage`` where the stage called ``name`` was (the new one may carry another name)."""
        index = self.names.index(self.get(name).name)
        self._stages[index] = stage
        self._disabled.discard(name)

    def add(self, stage: Stage, *, before: str | None = None, after: str | None = None) -> None:
        if stage.name in self.names:
            raise PipelineError(f"pipeline already has a stage {stage.name!r}")
        if before is not None:
            self._stages.insert(self.names.index(self.get(before).name), stage)
        elif after is not None:
            self._stages.insert(self.names.index(self.get(after).name) + 1, stage)
        else:
            self._stages.append(stage)

    def versions(self) -> dict[str, str]:
        return {s.name: s.version for s in self._stages if s.name not in self._disabled}

    # --- running ----------------------------------------------------------------------------------------
    def __call__(self, doc: Document) -> Document:
        for stage in self._stages:
            if stage.name not in self._disabled:
                doc = stage(doc)
        return doc

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        """Analyse many documents, with the collector tuned for a batch (``batch_gc``) while the run lasts."""
        with batch_gc():
            for doc in docs:
                yield self(doc)

    def timed(self, doc: Document, timings: dict[str, float]) -> Document:
        """Run the pipeline adding each stage's wall time (seconds) into ``timings`` (for benchmarks)."""
        from time import perf_counter

        for stage in self._stages:
            if stage.name in self._disabled:
                continue
            t0 = perf_counter()
            doc = stage(doc)
            timings[stage.name] = timings.get(stage.name, 0.0) + perf_counter() - t0
        return doc
