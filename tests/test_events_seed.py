"""Issue-8 targets on developer data (../shared): the seed article and the Arabic event-sentence GSR, scored by
marsad.eval with the pipeline scripts/eval_events.py builds (places included while not yet a default stage)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from marsad.eval.runner import evaluate

_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "eval_events.py"


@pytest.fixture(scope="module")
def pipeline():
    spec = importlib.util.spec_from_file_location("eval_events", _SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.events_pipeline()


@pytest.fixture(scope="module")
def seed(shared_dir: Path, pipeline):
    [report] = evaluate([shared_dir / "examples" / "bukamal.txt"], layers=["events", "quotes", "control"], pipeline=pipeline)
    return report.layers


def test_seed_events_found_with_precision(seed) -> None:
    events = seed["events"]
    assert events.metrics["found"].hits >= 12, events.metrics["found"]
    assert events.value("precision") >= 0.80
    assert events.value("source") >= 0.80 and events.value("reported_by") >= 0.80
    assert events.value("target") >= 0.80


def test_seed_quote_speakers(seed) -> None:
    assert seed["quotes"].metrics["speaker"].hits >= 12


def test_seed_control_claims(seed) -> None:
    assert seed["control"].metrics["found"].hits == 3 and seed["control"].value("precision") == 1.0


def test_event_sentences_found_and_classified(shared_dir: Path, pipeline) -> None:
    [report] = evaluate([shared_dir / "data" / "up-arabic-gsr" / "dev.jsonl"], layers=["events"], pipeline=pipeline)
    events = report.layers["events"]
    assert events.value("detected") >= 0.85 and events.value("category") >= 0.80
