"""`marsad explain`: the rendering of events, quotes and claims, and the typer command on a file."""
from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from typer.testing import CliRunner

from marsad.events.explain import explain_command, render
from marsad.stages.events import EventsStage
from tests.test_events import make_doc


def test_render_shows_trigger_codes_actors_and_pattern() -> None:
    text = 'سيطرت قوات النظام امس على معظم مدينة البوكمال، وفق ما أفاد المرصد. وقال رامي عبد الرحمن "المعارك مستمرة في المدينة".'
    doc = EventsStage()(make_doc(text, ["قوات النظام", "المرصد", "رامي عبد الرحمن"], ["البوكمال"], {"امس": "2017-11-18"}))
    console = Console(record=True, width=160)
    render(doc, console)
    out = console.export_text()
    for expected in ("COERCE", "CAMEO 192 Occupy territory", "take control of", "Syrian government forces [SYRMIL]",
                     "Abu Kamal (exact)", "2017-11-18 (day)", "Syrian Observatory for Human Rights", "curated:verb:سيطر",
                     "Rami Abdel Rahman", "territorial control", "most of Abu Kamal"):
        assert expected in out, expected


def test_explain_command_reads_a_file(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("قتل 25 مدنيا على الأقل في غارات جوية على مدينة حلب امس.\n", encoding="utf-8")
    app = typer.Typer()
    app.command()(explain_command)
    result = CliRunner().invoke(app, [str(article), "--published", "2017-11-19"])
    assert result.exit_code == 0, result.output
    assert "ASSAULT" in result.output and "killed 25+" in result.output
