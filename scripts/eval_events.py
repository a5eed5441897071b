"""Score the events stage with ``marsad.eval`` on the seed article and the Arabic event-sentence GSR.

    python scripts/eval_events.py [--shared ../shared] [--errors]

Uses the default pipeline; while the places stage is registered but not yet in ``DEFAULT_STAGES`` it is put
after entities, since event places come from it. The issue-8 targets are printed beside the figures.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from marsad.eval.runner import evaluate, print_table  # noqa: E402
from marsad.pipeline import DEFAULT_STAGES, Pipeline, registered_stages  # noqa: E402

TARGETS = {
    "examples": {"events": {"found": 12 / 15, "precision": 0.80, "source": 0.80, "target": 0.80, "reported_by": 0.80},
                 "quotes": {"speaker": 12 / 14}, "control": {"found": 1.0}},
    "gsr": {"events": {"detected": 0.85, "category": 0.80, "source_code": 0.70}},
}


def events_pipeline() -> Pipeline:
    names = list(DEFAULT_STAGES)
    if "places" not in names and "places" in registered_stages():
        names.insert(names.index("entities") + 1 if "entities" in names else names.index("events"), "places")
    return Pipeline.from_names(names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", default=str(Path(__file__).resolve().parents[2] / "shared"))
    parser.add_argument("--errors", action="store_true", help="list every mismatch")
    args = parser.parse_args()
    shared = Path(args.shared)
    pipeline = events_pipeline()
    print("pipeline:", " → ".join(pipeline.names))
    for name, path in (("examples", shared / "examples" / "bukamal.txt"),
                       ("gsr", shared / "data" / "up-arabic-gsr" / "dev.jsonl")):
        reports = evaluate([path], layers=["events", "quotes", "control"], pipeline=pipeline)
        print_table(reports, errors=args.errors)
        for report in reports:
            for layer, metrics in TARGETS[name].items():
                result = report.layers.get(layer)
                for metric, target in metrics.items():
                    value = result.value(metric) if result else None
                    verdict = "meets" if value is not None and value >= target - 1e-9 else "BELOW"
                    shown = "n/a" if value is None else f"{value:.3f}"
                    print(f"  target {layer}.{metric} ≥ {target:.3f}: {shown} {verdict}")


if __name__ == "__main__":
    main()
