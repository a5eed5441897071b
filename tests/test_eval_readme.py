"""scripts/update_readme.py: the README's generated sections come from the eval and benchmark JSON, nothing else."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _script():
    spec = importlib.util.spec_from_file_location("update_readme", REPO / "scripts" / "update_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


README = """# x

## Accuracy

<!-- accuracy:start -->
old accuracy
<!-- accuracy:end -->

## Speed

<!-- speed:start -->
old speed
<!-- speed:end -->

## After
kept as is
"""

EVAL = {
    "date": "2026-11-24T23:00:00+00:00",
    "command": "marsad eval /home/me/shared/examples/ --format json",
    "machine": {"cores": 2, "cpu": "Test CPU", "python": "3.11.7"},
    "pipeline": {"clean": "1", "sentences": "1", "tokens": "1"},
    "reports": [{"gold": "/home/me/shared/examples", "format": "article-readings", "documents": 1, "notes": [],
                 "layers": {"dateline": {"status": "ok", "primary": "correct", "score": 1.0,
                                         "metrics": {"correct": {"value": 1.0, "hits": 1, "total": 1}}},
                            "events": {"status": "not produced", "primary": "found", "score": 0.0,
                                       "metrics": {"found": {"value": 0.0, "hits": 0, "total": 15},
                                                   "precision": {"value": None, "hits": 0, "total": 0}}}}}],
}


def test_accuracy_and_speed_sections(tmp_path):
    mod = _script()
    readme = tmp_path / "README.md"
    readme.write_text(README, encoding="utf-8")
    (tmp_path / "eval.json").write_text(json.dumps(EVAL), encoding="utf-8")
    speed = {
        "date": "2026-11-24T23:10:00+00:00", "command": "python benchmarks/throughput.py --json /tmp/t.json",
        "machine": {"cores": 2, "cpu": "Test CPU", "python": "3.11.7"}, "stages": ["clean", "sentences", "tokens"],
        "corpora": ["saudinewsnet.jsonl.gz", "ant.jsonl.gz"], "articles": 10000, "words": 3000000,
        "single_process": {"full_seconds": 20.0, "words_per_s": 150000, "stage_seconds": {"tokens": 15.0, "clean": 1.0}},
        "multi_process": [{"processes": 2, "articles_per_s_per_core": 300.0, "words_per_s_per_core": 90000,
                           "peak_rss_total_mb": 120.0}],
        "full_over_bare": 1.2, "peak_rss_worker_mb": 50.0,
        "goals": {"words_per_s_per_core": {"goal": 50000, "verdict": "meets the goal"},
                  "full_over_bare": {"goal": 10.0, "verdict": "meets the goal"},
                  "peak_rss_mb": {"goal": 500.0, "verdict": "meets the goal"}},
    }
    (tmp_path / "speed.json").write_text(json.dumps(speed), encoding="utf-8")
    args = ["--eval", str(tmp_path / "eval.json"), "--speed", str(tmp_path / "speed.json"), "--readme", str(readme)]
    assert mod.main(args) == 0
    text = readme.read_text(encoding="utf-8")
    assert "old accuracy" not in text and "old speed" not in text and "kept as is" in text
    assert "`marsad eval ../shared/examples/ --format json` — 2026-11-24, 2 cores, Test CPU" in text
    assert "| dateline | correct 1.000 |" in text and "found 0.000 (not produced)" in text
    assert "| words/s per core (1 process) | 150,000 | ≥ 50,000 | meets the goal |" in text
    assert "| tokens | 15.00 | 75.0 % |" in text
    assert mod.main([*args, "--check"]) == 0  # now up to date
    readme.write_text(README, encoding="utf-8")
    assert mod.main([*args, "--check"]) == 1


def test_missing_markers_or_bad_json_fail_clearly(tmp_path, capsys):
    mod = _script()
    readme = tmp_path / "README.md"
    readme.write_text("# no markers\n", encoding="utf-8")
    (tmp_path / "eval.json").write_text(json.dumps(EVAL), encoding="utf-8")
    assert mod.main(["--eval", str(tmp_path / "eval.json"), "--readme", str(readme)]) == 2
    assert "accuracy:start" in capsys.readouterr().err
    readme.write_text(README, encoding="utf-8")
    (tmp_path / "bad.json").write_text(json.dumps({"reports": []}), encoding="utf-8")
    assert mod.main(["--eval", str(tmp_path / "bad.json"), "--readme", str(readme)]) == 2
    assert "lacks 'date'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        mod.main(["--readme", str(readme)])
