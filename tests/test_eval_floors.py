"""CI's accuracy ratchet: the gold sets must score at least eval/floors.json.

The seed article(s) of ../shared/examples/ and the corpora of ../shared/data/ are skipped without ../shared; the
times development set is in the repository (eval/times/dev.jsonl), so its floor always runs.
"""
from __future__ import annotations

from pathlib import Path

from marsad.eval import check_floors, evaluate
from marsad.eval.runner import load_floors

REPO = Path(__file__).resolve().parents[1]
FLOORS = REPO / "eval" / "floors.json"


def test_every_layer_holds_its_floor_on_the_examples(shared_dir: Path) -> None:
    floors = load_floors(FLOORS, "examples")
    reports = evaluate([shared_dir / "examples"])
    failures = check_floors(reports, floors)
    assert not failures, "accuracy fell below eval/floors.json:\n" + "\n".join(failures)


def test_floors_name_every_scored_layer(shared_dir: Path) -> None:
    # A layer the seed article is scored on but that has no floor could drop unnoticed.
    floors = load_floors(FLOORS, "examples")
    scored = {name for report in evaluate([shared_dir / "examples"]) for name in report.layers}
    assert scored <= set(floors), f"layers without a floor: {sorted(scored - set(floors))}"


def test_event_sentences_hold_their_floor(shared_dir: Path) -> None:
    floors = load_floors(FLOORS, "gsr-dev")
    reports = evaluate([shared_dir / "data" / "up-arabic-gsr" / "dev.jsonl"], layers=["events"])
    failures = check_floors(reports, floors)
    assert not failures, "accuracy fell below eval/floors.json:\n" + "\n".join(failures)


def test_anercorp_held_out_part_holds_its_floor(shared_dir: Path) -> None:
    # every 10th sentence of train.txt: the part the tagger is never trained on (scripts/train_tagger.py)
    floors = load_floors(FLOORS, "anercorp-dev")
    reports = evaluate([shared_dir / "data" / "ner" / "anercorp" / "train.txt"], layers=["entities"], every=10)
    failures = check_floors(reports, floors)
    assert not failures, "accuracy fell below eval/floors.json:\n" + "\n".join(failures)


def test_times_dev_set_holds_its_floor() -> None:
    # no shared_dir: this gold set is checked in, so the floor holds even where ../shared is absent
    floors = load_floors(FLOORS, "times-dev")
    reports = evaluate([REPO / "eval" / "times" / "dev.jsonl"], layers=["times"])
    assert [r.format for r in reports] == ["time-sentences"] and reports[0].documents >= 300
    failures = check_floors(reports, floors)
    assert not failures, "accuracy fell below eval/floors.json:\n" + "\n".join(failures)
