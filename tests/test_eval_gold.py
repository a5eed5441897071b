"""Gold readers: format detection by content, and broken gold named by file, line and field."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from marsad.eval import GoldFormatError
from marsad.eval.cli import eval_command
from marsad.eval.gold import ARTICLE, EVENT_SENTENCES, NER, TIME_SENTENCES, TIMEML, load_gold, sniff
from marsad.eval.jsonpos import loads_with_lines

TEXT = "بيروت- قال مدير المرصد رامي عبد الرحمن إن القوات سيطرت امس على البوكمال.\n"


def write(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def pair(tmp_path: Path, gold_json: str, name: str = "a") -> Path:
    write(tmp_path / f"{name}.txt", TEXT)
    return write(tmp_path / f"{name}.expected.json", gold_json)


def error_of(path: Path) -> GoldFormatError:
    with pytest.raises(GoldFormatError) as info:
        load_gold(path)
    return info.value


def test_formats_detected_by_content_not_name(tmp_path):
    write(tmp_path / "x.data", '{"id": 1, "text": "تظاهر الطلاب", "plover": "PROTEST", "event_text": "تظاهر"}\n')
    write(tmp_path / "y.data", "تظاهر O\nالطلاب O\nفي O\nبغداد B-LOC\n")
    write(tmp_path / "z.data", '<?xml version="1.0"?>\n<TimeML>امس <TIMEX3 tid="t1" type="DATE" value="PAST_REF">'
                               'مؤخرا</TIMEX3></TimeML>\n')
    write(tmp_path / "w.data", json.dumps({"dateline": "بيروت"}))
    write(tmp_path / "notes.data", "just some prose\nwith lines\n")
    assert sniff(tmp_path / "x.data") == EVENT_SENTENCES
    assert sniff(tmp_path / "y.data") == NER
    assert sniff(tmp_path / "z.data") == TIMEML
    assert sniff(tmp_path / "w.data") == ARTICLE
    assert sniff(tmp_path / "notes.data") is None


def test_folder_groups_by_format_and_skips_other_files(tmp_path):
    pair(tmp_path, json.dumps({"dateline": "بيروت"}, ensure_ascii=False))
    write(tmp_path / "README.md", "# gold\n")
    write(tmp_path / "c1.txt", "بغداد B-LOC\nامس O\n")
    sets = load_gold(tmp_path)
    assert sorted(s.format for s in sets) == [ARTICLE, NER]
    article = next(s for s in sets if s.format == ARTICLE)
    assert [a.name for a in article.items] == ["a"] and article.items[0].text == TEXT
    assert any("README.md" in note for s in sets for note in s.notes)


def test_text_file_given_alone_finds_its_reading(tmp_path):
    pair(tmp_path, json.dumps({"published": "2017-11-19"}))
    (article,) = load_gold(tmp_path / "a.txt")
    assert article.format == ARTICLE and article.items[0].published == "2017-11-19"


def test_unknown_file_given_explicitly_is_an_error(tmp_path):
    err = error_of(write(tmp_path / "notes.md", "just prose\nand more\n"))
    assert "notes.md" in str(err) and "not a gold file" in str(err)
    assert "no such file" in str(error_of(tmp_path / "missing.jsonl"))


def test_broken_json_names_its_line(tmp_path):
    err = error_of(pair(tmp_path, '{\n "published": "2017-11-19",\n "dateline": "بيروت"\n "places": []\n}'))
    assert err.path.endswith("a.expected.json") and err.line == 4
    assert "a.expected.json:4" in str(err)


def test_wrong_field_type_names_line_and_field(tmp_path):
    gold = {"published": "2017-11-19", "places": [{"text": "البوكمال", "geonameid": "174448"}]}
    err = error_of(pair(tmp_path, json.dumps(gold, ensure_ascii=False, indent=1)))
    assert err.field == "places[0].geonameid" and err.line == 6
    assert "a.expected.json:6: field 'places[0].geonameid'" in str(err)


def test_bad_date_modality_and_missing_keys(tmp_path):
    cases = [
        ({"published": "19/11/2017"}, "published", "ISO date"),
        ({"events": [{"cameo": ["192"], "modality": "rumoured"}]}, "events[0].modality", "not one of"),
        ({"events": [{"cameo": ["19x"]}]}, "events[0].cameo[0]", "CAMEO code"),
        ({"events": [{"what": "x"}]}, "events[0]", "needs 'cameo' or 'plover'"),
        ({"quotes": [{"speaker": "Rami Abdel Rahman"}]}, "quotes[0]", "required key 'starts'"),
        ({"organizations": []}, "organizations", "unknown key"),
        ({"people": [{"text": "رامي عبد الرحمن", "nmae_en": "x"}]}, "people[0].nmae_en", "unknown key"),
        ({"times": [{"text": "امس", "value": []}]}, "times[0].value", "empty list"),
    ]
    for i, (gold, field, words) in enumerate(cases):
        err = error_of(pair(tmp_path / "", json.dumps(gold, ensure_ascii=False, indent=1), name=f"c{i}"))
        assert err.field == field, (gold, str(err))
        assert words in err.message and err.line is not None, str(err)


def test_surface_string_not_in_article_is_an_error(tmp_path):
    err = error_of(pair(tmp_path, json.dumps({"people": [{"text": "رامي عبدالرحمن"}]}, ensure_ascii=False, indent=1)))
    assert err.field == "people[0].text" and "does not occur in a.txt" in str(err)
    # a clitic before the word is fine: البوكمال stands in على البوكمال, التنظيم in للتنظيم
    ok = tmp_path / "ok"
    ok.mkdir()
    write(ok / "b.txt", "سيطر على والبوكمال وتصدى للتنظيم الارهابي")
    write(ok / "b.expected.json", json.dumps({"places": [{"text": "البوكمال"}],
                                              "organisations": [{"text": "التنظيم الارهابي"}]}, ensure_ascii=False))
    assert load_gold(ok)[0].items[0].name == "b"


def test_reading_without_its_text(tmp_path):
    write(tmp_path / "lonely.expected.json", "{}")
    assert "lonely.txt is not beside it" in str(error_of(tmp_path / "lonely.expected.json"))


def test_event_sentences_errors_name_line_and_field(tmp_path):
    good = json.dumps({"text": "تظاهر الطلاب", "plover": "PROTEST", "event_text": "تظاهر"}, ensure_ascii=False)
    err = error_of(write(tmp_path / "g.jsonl", good + "\n" + good[:-5] + "\n"))
    assert err.line == 2 and "broken JSON" in err.message
    err = error_of(write(tmp_path / "h.jsonl", good + "\n\n" + json.dumps({"text": "x", "plover": "", "event_text": ""}) + "\n"))
    assert (err.line, err.field) == (3, "plover")
    err = error_of(write(tmp_path / "i.jsonl", json.dumps({"text": "x", "plover": "ASSAULT", "event_text": "x",
                                                           "source_code": "SYRMIL"}) + "\n"))
    assert (err.line, err.field) == (1, "source_code")


def test_bio_errors_name_line_and_field(tmp_path):
    err = error_of(write(tmp_path / "a.txt", "بغداد B-LOC\nامس O\n\nقال O\nعمر B-PERSONA\n"))
    assert (err.line, err.field) == (5, "tag") and "PERSONA" in err.message
    err = error_of(write(tmp_path / "b.txt", "بغداد B-LOC\nامس O\nقال O\nعمر X-PER\nزار O\n"))
    assert (err.line, err.field) == (4, "tag")
    err = error_of(write(tmp_path / "c.txt", "بغداد B-LOC\nامس O\nقال O\nعمر B-PER\nزار O\nو\n"))
    assert (err.line, err.field) == (6, "tag") and "no tag" in err.message


def test_timeml_errors_name_line_and_field(tmp_path):
    err = error_of(write(tmp_path / "a.tml", '<?xml version="1.0"?>\n<TimeML>\nامس\n<TIMEX3 tid="t1" type="DATE">'
                                             "غدا</TIMEX3>\n</TimeML>\n"))
    assert (err.line, err.field) == (4, "TIMEX3.value")
    err = error_of(write(tmp_path / "b.tml", '<?xml version="1.0"?>\n<TimeML>\n<TIMEX3 tid="t1" type="DATE" value="x">'
                                             "غدا\n</TimeML>\n"))
    assert err.line is not None and "broken XML" in err.message
    err = error_of(write(tmp_path / "c.tml", '<TimeML><TIMEX3 type="WHEN" value="2015">عام 2015</TIMEX3></TimeML>'))
    assert err.field == "TIMEX3.type"


def test_json_lines_of_nested_fields():
    value, lines = loads_with_lines('{\n "a": [\n  {"b": 1},\n  {"b": [2,\n 3]}\n ]\n}')
    assert value == {"a": [{"b": 1}, {"b": [2, 3]}]}
    assert lines["a"] == 2 and lines["a[0].b"] == 3 and lines["a[1].b[1]"] == 5


# --- the command ----------------------------------------------------------------------------------------
def _app() -> typer.Typer:
    app = typer.Typer()
    app.command("eval")(eval_command)
    app.command("noop")(lambda: None)  # two commands, so "eval" is named on the command line as in marsad's CLI
    return app


def test_eval_command_json_and_errors(tmp_path):
    pair(tmp_path, json.dumps({"dateline": "بيروت", "times": [{"text": "امس", "value": "2017-11-18"}]}, ensure_ascii=False))
    result = CliRunner().invoke(_app(), ["eval", str(tmp_path), "--format", "json", "--errors"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    layers = payload["reports"][0]["layers"]
    assert layers["dateline"]["score"] == 1.0
    assert set(layers) == {"dateline", "times"}
    assert payload["command"].startswith("marsad eval")
    only = CliRunner().invoke(_app(), ["eval", str(tmp_path), "--layer", "times", "-f", "json"])
    assert set(json.loads(only.output)["reports"][0]["layers"]) == {"times"}


def test_eval_command_table_lists_mismatches_with_sentences(tmp_path):
    pair(tmp_path, json.dumps({"dateline": "المرصد"}, ensure_ascii=False))
    result = CliRunner().invoke(_app(), ["eval", str(tmp_path), "--errors"])
    assert result.exit_code == 0, result.output
    assert "wrong dateline" in result.output and "بيروت" in result.output


def test_eval_command_broken_gold_exits_2(tmp_path):
    pair(tmp_path, '{"published": 2017}')
    result = CliRunner().invoke(_app(), ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "a.expected.json:1: field 'published'" in result.output
    bad_layer = CliRunner().invoke(_app(), ["eval", str(tmp_path), "--layer", "sentiment"])
    assert bad_layer.exit_code != 0 and "sentiment" in bad_layer.output


def test_the_example_in_docs_gold_format_is_valid_gold(tmp_path):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "gold-format.md").read_text(encoding="utf-8")
    section = doc.split("### A minimal example", 1)[1]
    blocks = section.split("```")
    text, reading = blocks[1].split("\n", 1)[1], blocks[3].split("\n", 1)[1]
    write(tmp_path / "beirut1.txt", text)
    write(tmp_path / "beirut1.expected.json", reading)
    (gold,) = load_gold(tmp_path)
    assert gold.items[0].published == "2017-11-19" and len(gold.items[0].data["places"]) == 2


def test_a_stage_that_raises_is_reported_and_the_rest_still_scored(tmp_path):
    from marsad.eval import evaluate
    from marsad.pipeline import Pipeline

    class Exploding:
        name, version = "explodes", "0"

        def __call__(self, doc):
            if "امس" in doc.text:
                raise RuntimeError("boom")
            return doc

    pair(tmp_path, json.dumps({"dateline": "بيروت"}, ensure_ascii=False))
    pipeline = Pipeline.from_names(["clean", "sentences"])
    pipeline.add(Exploding())
    (report,) = evaluate([tmp_path], pipeline=pipeline)
    assert report.failures and "a.expected.json: RuntimeError: boom" in report.failures[0]
    assert report.layers["dateline"].value() == 1.0  # the clean layer was made before the crash


def test_article_readings_one_a_line(tmp_path):
    from marsad.eval import evaluate
    from marsad.pipeline import Pipeline

    lines = [{"text": "وصل الوفد امس الى دمشق.", "published": "2017-11-19", "times": [{"text": "امس", "value": "2017-11-18"}]},
             {"id": "s2", "text": "يعقد الاجتماع غدا.", "published": "2017-11-19", "times": [{"text": "غدا", "value": "2017-11-20"}]}]
    f = write(tmp_path / "times.jsonl", "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n")
    (gold,) = load_gold(f)
    assert gold.format == ARTICLE and [a.name for a in gold.items] == ["times.jsonl:1", "s2"]
    assert gold.items[1].published == "2017-11-19" and gold.items[1].text == "يعقد الاجتماع غدا."
    (report,) = evaluate([f], pipeline=Pipeline.from_names(["clean", "sentences", "tokens"]))
    assert report.documents == 2 and report.layers["times"].metrics["value"].total == 2

    bad = dict(lines[1], times=[{"text": "بعد غد", "value": "2017-11-21"}])
    f2 = write(tmp_path / "bad.jsonl", json.dumps(lines[0], ensure_ascii=False) + "\n" + json.dumps(bad, ensure_ascii=False) + "\n")
    err = error_of(f2)
    assert (err.line, err.field) == (2, "times[0].text") and "does not occur" in err.message


def test_eval_command_when_the_pipeline_cannot_start(tmp_path, monkeypatch):
    from marsad.pipeline import Pipeline
    from marsad.resources import DataFileError

    def broken(*args, **kwargs):
        raise DataFileError("marsad data file missing: places/gazetteer.sqlite")

    monkeypatch.setattr(Pipeline, "default", classmethod(lambda cls, *a, **k: broken()))
    pair(tmp_path, json.dumps({"dateline": "بيروت"}, ensure_ascii=False))
    result = CliRunner().invoke(_app(), ["eval", str(tmp_path)])
    assert result.exit_code == 1 and "gazetteer.sqlite" in result.output


def test_every_nth_sentence_is_the_held_out_part(tmp_path):
    from marsad.eval import evaluate
    from marsad.pipeline import Pipeline

    corpus = "".join(f"كلمة{i} O\nبغداد B-LOC\n\n" for i in range(1, 26))
    f = write(tmp_path / "c.txt", corpus)
    (report,) = evaluate([f], pipeline=Pipeline.from_names(["clean"]), every=10)
    assert report.documents == 2  # sentences 10 and 20
    assert report.layers["entities"].metrics["strict"].gold == 2
    result = CliRunner().invoke(_app(), ["eval", str(f), "--every", "10", "--limit", "1", "-f", "json"])
    assert json.loads(result.output)["reports"][0]["documents"] == 1


# --- time-expression sentences ----------------------------------------------------------------------------
TIME_LINE = {"id": "t1", "category": "deictic", "published": "2017-11-19", "sentence": "وصل الوفد امس الى دمشق.",
             "text": "امس", "value": "2017-11-18", "type": "DATE", "source": "constructed"}


def time_lines(tmp_path: Path, *records: dict, name: str = "dev.jsonl") -> Path:
    return write(tmp_path / name, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def test_time_sentences_sniffed_and_read(tmp_path):
    f = time_lines(tmp_path, TIME_LINE, dict(TIME_LINE, id="t2", published=None, value=["2017-11-18", "2017-11-19"],
                                             anchored=False, flags=["no-anchor"], range=True, note="x"))
    assert sniff(f) == TIME_SENTENCES
    (gold,) = load_gold(f)
    assert gold.format == TIME_SENTENCES and [i.id for i in gold.items] == ["t1", "t2"]
    first = gold.items[0]
    assert (first.line, first.category, first.published) == (1, "deictic", "2017-11-19")
    assert first.sentence[first.start:first.end] == "امس"
    assert gold.items[1].published is None and gold.items[1].data["anchored"] is False


def test_the_checked_in_times_dev_set_is_time_sentences():
    (gold,) = load_gold(Path(__file__).resolve().parents[1] / "eval" / "times" / "dev.jsonl")
    assert gold.format == TIME_SENTENCES and len(gold.items) >= 300


@pytest.mark.parametrize("change, line_field, words", [
    ({"text": "غدا"}, "text", "does not occur in its sentence"),
    ({"published": "2017-02-30"}, "published", "bad publication date \"2017-02-30\""),
    ({"published": "19 Nov 2017"}, "published", "bad publication date"),
    ({"value": ""}, "value", "expected a TIMEX3 value"),
    ({"value": []}, "value", "expected a TIMEX3 value"),
    ({"type": "DAY"}, "type", "not one of DATE"),
    ({"anchored": "no"}, "anchored", "expected true or false"),
    ({"flags": "no-anchor"}, "flags", "list of flag names"),
    ({"categroy": "deictic"}, "categroy", "unknown key"),
    ({"id": "t1"}, "id", "duplicate id 't1' (first on line 1)"),
])
def test_time_sentences_errors_name_line_and_field(tmp_path, change, line_field, words):
    f = time_lines(tmp_path, TIME_LINE, {**TIME_LINE, "id": "t2", **change})
    err = error_of(f)
    assert (err.line, err.field) == (2, line_field) and words in err.message, str(err)


def test_time_sentences_broken_line_and_missing_value(tmp_path):
    f = write(tmp_path / "dev.jsonl", json.dumps(TIME_LINE, ensure_ascii=False) + "\n{\"sentence\": \"x\",\n")
    err = error_of(f)
    assert err.line == 2 and "broken JSON" in err.message
    missing = {k: v for k, v in TIME_LINE.items() if k != "value"}
    err = error_of(time_lines(tmp_path, TIME_LINE, missing, name="m.jsonl"))
    assert err.line == 2 and "lacks the required key 'value'" in err.message


def test_eval_command_scores_time_sentences(tmp_path):
    f = time_lines(tmp_path, TIME_LINE, dict(TIME_LINE, id="t2", value="2017-11-17"))
    result = CliRunner().invoke(_app(), ["eval", str(f), "--layer", "times", "--format", "json", "--errors"])
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.output)["reports"]
    times = report["layers"]["times"]
    assert report["format"] == TIME_SENTENCES and report["documents"] == 2
    assert times["primary"] == "value" and times["metrics"]["value"]["hits"] == 1
    assert times["metrics"]["value/deictic"]["total"] == 2
    (miss,) = times["mismatches"]
    assert miss["document"] == "dev.jsonl:2 t2" and miss["expected"] == "امس = 2017-11-17"
    assert miss["got"] == "امس = 2017-11-18" and miss["sentence"] == TIME_LINE["sentence"]
    table = CliRunner().invoke(_app(), ["eval", str(f), "--errors"])
    assert table.exit_code == 0 and "wrong value" in table.output and "value/deictic" in table.output
    broken = CliRunner().invoke(_app(), ["eval", str(time_lines(tmp_path, dict(TIME_LINE, text="غدا"), name="b.jsonl"))])
    assert broken.exit_code == 2 and "b.jsonl:1: field 'text'" in broken.output


def test_the_time_sentence_example_in_docs_gold_format_is_valid_gold(tmp_path):
    doc = (Path(__file__).resolve().parents[1] / "docs" / "gold-format.md").read_text(encoding="utf-8")
    example = doc.split("## Time-expression sentences", 1)[1].split("```")[1].split("\n", 1)[1]
    (gold,) = load_gold(write(tmp_path / "dev.jsonl", example))
    assert gold.format == TIME_SENTENCES and gold.items[0].id == "t003"
