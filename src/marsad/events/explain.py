"""``marsad explain ARTICLE``: every event, quote and control claim with its sentence, the trigger highlighted,
English glosses of the codes and actors, and the pattern that fired. The lead's cli.py registers it with
``app.command("explain")(explain_command)``."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from marsad.document import Document


def _actor(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "—"
    code = actor.get("actor_code")
    return f"{actor.get('name_en') or actor.get('text', '?')}" + (f" [{code}]" if code else "")


def _actors(actors: list[dict[str, Any]] | dict[str, Any] | None) -> str:
    if not actors:
        return "—"
    if isinstance(actors, dict):
        actors = [actors]
    return ", ".join(_actor(a) for a in actors)


def _sentence_with(doc: Document, sentence: list[int], marks: list[tuple[int, int, str]]) -> Text:
    """The sentence with the given (start, end, style) stretches highlighted."""
    start, end = sentence
    text = Text(doc.text[start:end])
    for s, e, style in marks:
        if start <= s < e <= end:
            text.stylize(style, s - start, e - start)
    return text


def _place(place: dict[str, Any] | None, precision: str) -> str:
    if not place:
        return "unknown"
    where = place.get("name_en", "?")
    how = place.get("source", "")
    return f"{where} ({precision}{', ' + how if how and how != 'clause' else ''})"


def _date(attrs: dict[str, Any]) -> str:
    value = attrs.get("date")
    if not value:
        return "unknown"
    value = "–".join(value) if isinstance(value, list) else str(value)
    source = attrs.get("date_source", "")
    return f"{value} ({attrs.get('date_precision', '')}{', ' + source if source and source != 'clause' else ''})"


def render(doc: Document, console: Console) -> None:
    events = doc.layer("events")
    quotes = doc.layer("quotes")
    claims = doc.layer("control")
    title = doc.title or doc.id
    console.print(Panel(f"[bold]{title}[/bold]\npublished: {doc.published or 'unknown'} · {len(events)} events · "
                        f"{len(quotes)} quotes · {len(claims)} control claims", expand=False))
    for n, ev in enumerate(events, 1):
        a = ev.attrs
        marks = [(ev.start, ev.end, "bold reverse yellow")]
        marks += [(m[0], m[1], "yellow") for m in a.get("mentions", [])]
        code = f"CAMEO {a['cameo']} {a.get('cameo_name', '')}".strip()
        head = f"[bold]{n}. {ev.label}[/bold] · {code}"
        if a.get("mode") or a.get("context"):
            head += f" · mode {a.get('mode') or '—'}, context {a.get('context') or '—'}"
        table = Table.grid(padding=(0, 2))
        table.add_column(style="dim")
        table.add_column()
        table.add_row("trigger", f"{a.get('trigger_text')} — {a.get('gloss') or ''}")
        table.add_row("source", _actors(a.get("source")) + (" (+ unnamed allies)" if a.get("unnamed_allies") else "")
                      + f"  [dim]{a.get('source_rule', '')}[/dim]")
        table.add_row("target", _actors(a.get("target")))
        table.add_row("place", _place(a.get("place"), a.get("place_precision", "")))
        table.add_row("date", _date(a))
        table.add_row("modality", str(a.get("modality")))
        table.add_row("reported by", _actor(a.get("reported_by")))
        if a.get("quantity"):
            table.add_row("quantity", str(a["quantity"].get("text")))
        if a.get("casualties"):
            table.add_row("casualties", "; ".join(
                f"{kind} {c.get('low')}" + (f"–{c.get('high')}" if c.get("high") not in (None, c.get("low")) else
                                            ("+" if c.get("high") is None else "")) + (f" ({c['side']})" if c.get("side") else "")
                for kind, c in a["casualties"].items()))
        table.add_row("pattern", f"[cyan]{ev.provenance.rule if ev.provenance else a.get('pattern')}[/cyan]")
        console.print(head)
        console.print(_sentence_with(doc, a["sentence"], marks), justify="right")
        console.print(table)
        console.print()
    if quotes:
        console.rule("quotes")
        for q in quotes:
            a = q.attrs
            kind = "direct" if a.get("direct") else "indirect"
            console.print(f"[bold]{_actor(a.get('speaker'))}[/bold] ({kind}, {a.get('speaker_rule')}"
                          f"{', verb ' + a['verb'] if a.get('verb') else ''})")
            console.print(_sentence_with(doc, a["sentence"], [(q.start, q.end, "green")]), justify="right")
    if claims:
        console.rule("territorial control")
        for c in claims:
            a = c.attrs
            share = a.get("share") or {}
            console.print(f"[bold]{_actor(a.get('actor'))}[/bold] {a.get('claim', 'holds')} "
                          f"{share.get('en', 'part') if share else 'part'} of {_place(a.get('place'), '')} · "
                          f"date {a.get('date') or 'unknown'} ({a.get('date_source')}) · reported by "
                          f"{_actor(a.get('reported_by'))} · [cyan]{a.get('pattern')}[/cyan]")
            console.print(_sentence_with(doc, a["sentence"], [(c.start, c.end, "bold reverse magenta")]), justify="right")


def _read(file: str, published: Optional[str]) -> list[Document]:
    try:
        from marsad.ingest import Rejection, read_paths
    except ImportError:  # the ingest package is optional here: plain text is enough to explain
        text = Path(file).read_text(encoding="utf-8") if file != "-" else typer.get_text_stream("stdin").read()
        return [Document(text=text, published=published)]
    docs = []
    for item in read_paths([file], default_published=published):
        if isinstance(item, Rejection):
            Console(stderr=True).print(f"[red]rejected[/red] {item.origin}: {item.reason}")
        else:
            docs.append(item)
    return docs


def explain_command(
    file: str = typer.Argument(..., help="An article file (text, HTML) or '-' for standard input."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) that relative times resolve against."),
) -> None:
    """Explain what the events stage read out of one article: events, quotes and control claims, with why."""
    from marsad.api import default_pipeline

    docs = _read(file, published)
    if not docs:
        raise typer.Exit(1)
    console = Console()
    pipeline = default_pipeline()
    for doc in docs:
        if published:
            doc.published = published
        render(pipeline(doc), console)
