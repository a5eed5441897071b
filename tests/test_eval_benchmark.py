"""benchmarks/throughput.py runs end to end on a few real articles and writes every figure the README needs."""
from __future__ import annotations

import gzip
import importlib
import json
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_throughput_smoke_run_writes_all_figures(shared_dir: Path, tmp_path: Path, monkeypatch) -> None:
    # Imported by name from a path on sys.path: spawned workers re-import it to find their functions.
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    bench = importlib.import_module("throughput")
    out = tmp_path / "t.json"
    news = shared_dir / "data" / "news"
    figures = bench.main(["--limit", "30", "--processes", "1", "--corpus", str(news / "saudinewsnet.jsonl.gz"),
                          "--corpus", str(news / "ant.jsonl.gz"), "--json", str(out)])
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(figures, ensure_ascii=False))
    assert written["articles"] == 30 and written["words"] > 1000
    assert written["command"].startswith("python benchmarks/throughput.py --limit 30")
    assert written["machine"]["cores"] >= 1 and written["machine"]["cpu"]
    one = written["single_process"]
    assert set(one["stage_seconds"]) == set(written["stages"]) and {"clean", "tokens"} <= set(one["bare_stage_seconds"])
    assert written["full_over_bare"] > 0 and written["multi_process"][0]["processes"] == 1
    assert written["multi_process"][0]["articles"] == 30
    assert 0 < written["peak_rss_worker_mb"] < one["peak_rss_mb"] * 10
    for goal in written["goals"].values():
        assert goal["verdict"].startswith(("meets", "not measured")) or "goal" in goal["verdict"]
    # the articles alternate between the two corpora
    articles = bench.load_articles([news / "saudinewsnet.jsonl.gz", news / "ant.jsonl.gz"], 4)
    with gzip.open(news / "ant.jsonl.gz", "rt", encoding="utf-8") as ant:
        first_ant = json.loads(ant.readline())["text"]
    assert articles[1][0].strip() == first_ant.strip()


def test_times_overhead_steps_are_timed_where_the_stage_runs_them(monkeypatch) -> None:
    """benchmarks/times_overhead.py --pipeline-parts wraps the times stage's steps by name; if the stage stopped
    calling them by those names the breakdown would silently read zero. Its layer must stay the plain stage's."""
    from marsad.document import Document
    from marsad.pipeline import create_stage
    monkeypatch.syspath_prepend(str(REPO / "benchmarks"))
    bench = importlib.import_module("times_overhead")
    text = "قال الوزير أمس إن الاجتماع سيعقد الخميس المقبل في 12 حزيران/يونيو 2017، بعد ثلاثة أيام من زيارته."
    layers = []
    for stage in (bench.StepTimedTimesStage(), create_stage("times")):
        doc = Document(text=text, published="2017-06-01")
        for name in bench.TEXT_LAYER:
            doc = create_stage(name)(doc)
        layers.append([(s.start, s.end, s.attrs) for s in stage(doc).layer("times")])
        if isinstance(stage, bench.StepTimedTimesStage):
            assert all(stage.calls[step] > 0 for step in stage.STEPS), stage.calls
            assert all(seconds > 0 for seconds in stage.seconds.values())
    assert layers[0] == layers[1] and len(layers[0]) >= 4
