"""The command line, driven as a user would (typer's CliRunner runs the real commands in-process)."""
import json

import pytest
from typer.testing import CliRunner

from marsad.cli import app
from marsad.store import Store

runner = CliRunner()
ARTICLE = ("عنوان: القوات تسيطر على المدينة\n"
           "دمشق - (أ ف ب) - سيطرت القوات على المدينة امس بعد معارك عنيفة، وفق ما أفاد المرصد. "
           "وقال مدير المرصد \"انتهت المعارك\".\n")


@pytest.fixture()
def article_file(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_analyse_json_output_is_a_document(article_file):
    result = runner.invoke(app, ["analyse", str(article_file), "--published", "2017-11-19", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["published"] == "2017-11-19"
    assert doc["text"] == ARTICLE.strip()  # ingest trims only the surrounding whitespace
    assert {s["label"] for s in doc["layers"]["clean"]} >= {"DATELINE"}


def test_analyse_table_and_stdin():
    result = runner.invoke(app, ["analyse", "-"], input=ARTICLE)
    assert result.exit_code == 0, result.output
    assert "DATELINE" in result.stdout and "دمشق" in result.stdout


def test_analyse_rejects_non_arabic(tmp_path):
    path = tmp_path / "english.txt"
    path.write_text("The army took the city yesterday, the observatory said. " * 5, encoding="utf-8")
    result = runner.invoke(app, ["analyse", str(path)])
    assert result.exit_code == 1
    assert "english.txt" in result.output


def test_ingest_counts_stored_skipped_rejected_and_show(tmp_path, article_file):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "b.txt").write_bytes(ARTICLE.replace("المدينة", "البلدة").encode("cp1256"))
    (folder / "empty.txt").write_bytes(b"")
    db = tmp_path / "store.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(db)])
    assert result.exit_code == 1  # something was rejected
    assert "stored 2" in result.stdout and "rejected 1" in result.stdout
    assert "empty.txt" in result.output
    again = runner.invoke(app, ["ingest", str(folder / "a.txt"), str(folder / "b.txt"), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "stored 0" in again.stdout and "skipped 2" in again.stdout
    with Store(str(db)) as store:
        assert store.count() == 2
        doc_id = store.ids()[0]
    shown = runner.invoke(app, ["show", doc_id[:10], "--db", str(db), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    assert json.loads(shown.stdout)["id"] == doc_id
    missing = runner.invoke(app, ["show", "ffffffffffff", "--db", str(db)])
    assert missing.exit_code == 1


def test_demo_stores_the_bundled_samples(tmp_path):
    db = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    with Store(str(db)) as store:
        assert store.count() == 8
    rerun = runner.invoke(app, ["demo", "--db", str(db)])
    assert rerun.exit_code == 0 and "stored 0, skipped 8" in rerun.stdout


def test_export_geojson_and_jsonl(tmp_path):
    db = tmp_path / "demo.db"
    assert runner.invoke(app, ["demo", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "geojson"])
    assert result.exit_code == 0, result.output
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection" and collection["features"]
    for feature in collection["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert feature["properties"]["name_en"]
    with Store(str(db)) as store:
        first = store.ids()[0]
    out = tmp_path / "one.jsonl"
    result = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--id", first[:10], "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["id"] == first
    none = runner.invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--since", "2030-01-01"])
    assert none.exit_code == 0 and none.stdout == ""


def test_explain_prints_events(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("بيروت- سيطرت قوات النظام السوري امس على مدينة البوكمال، وفق ما أفاد المرصد السوري لحقوق الانسان.",
                    encoding="utf-8")
    result = runner.invoke(app, ["explain", str(path), "--published", "2017-11-19"])
    assert result.exit_code == 0, result.output
    assert "البوكمال" in result.stdout
