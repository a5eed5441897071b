"""The `marsad` command line: a thin layer over the Python API (marsad.api, marsad.ingest, marsad.store)."""
from __future__ import annotations

import json
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import Iterable, Iterator, Optional

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from marsad.document import Document

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console()
err_console = Console(stderr=True)

DEFAULT_DB = "marsad.db"
DEMO_DB = "marsad-demo.db"


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


# --- analyse --------------------------------------------------------------------------------------------
@app.command()
def analyse(
    file: str = typer.Argument(..., help="An article file (text, HTML) or '-' for standard input."),
    published: Optional[str] = typer.Option(None, help="Publication date (YYYY-MM-DD) that relative times resolve against."),
    output_format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table (readable) or json (the whole Document)."),
) -> None:
    """Analyse one article and print what the pipeline read out of it."""
    from marsad.api import default_pipeline
    from marsad.ingest import Rejection, read_paths

    results = list(read_paths([file], default_published=published))
    rejected = [r for r in results if isinstance(r, Rejection)]
    docs = [r for r in results if isinstance(r, Document)]
    for rejection in rejected:
        err_console.print(f"[red]rejected[/red] {rejection.origin}: {rejection.reason}")
    if not docs:
        raise typer.Exit(1)
    if published:
        for doc in docs:
            doc.published = published
    for doc in default_pipeline().pipe(docs):
        if output_format is OutputFormat.json:
            sys.stdout.write(doc.to_json(indent=1) + "\n")
        else:
            print_document(doc)
    if rejected:
        raise typer.Exit(1)


# --- ingest ---------------------------------------------------------------------------------------------
@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders (read recursively) or '-' for standard input."),
    db: str = typer.Option(DEFAULT_DB, "--db", help="SQLAlchemy URL or SQLite file path."),
    published: Optional[str] = typer.Option(None, help="Publication date for records that carry none."),
    source: Optional[str] = typer.Option(None, help="Source name for records that carry none."),
    batch_size: int = typer.Option(200, help="Articles per transaction."),
) -> None:
    """Analyse articles and store them (idempotent: an article already stored is skipped)."""
    stored, skipped, rejected = run_ingest(paths, db, published=published, source=source, batch_size=batch_size)
    console.print(f"[bold]stored[/bold] {stored}  [bold]skipped[/bold] {skipped} (already stored)  "
                  f"[bold]rejected[/bold] {rejected}  → {db}")
    if rejected:
        raise typer.Exit(1)


def run_ingest(paths: list[str], db: str, *, published: str | None = None, source: str | None = None,
               batch_size: int = 200, quiet: bool = False) -> tuple[int, int, int]:
    from marsad.api import default_pipeline
    from marsad.ingest import Rejection, read_paths
    from marsad.pipeline import batch_gc
    from marsad.store import Store

    pipeline = default_pipeline()
    rejected = 0

    with Store(db) as store, Progress(
        SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, disable=quiet, transient=False,
    ) as progress:
        task = progress.add_task("ingesting", total=None)

        def analysed() -> Iterator[Document]:
            nonlocal rejected
            for item in read_paths(paths, default_published=published, default_source=source):
                progress.advance(task)
                if isinstance(item, Rejection):
                    rejected += 1
                    store.record_rejection(item.origin, item.reason)
                    progress.console.print(f"[red]rejected[/red] {item.origin}: {item.reason}")
                    continue
                if item.id in store:
                    yield item  # the store counts it as skipped without re-analysing
                    continue
                yield pipeline(item)

        with batch_gc():
            result = store.add_documents(analysed(), batch_size=batch_size)
    return result.stored, result.skipped, rejected


# --- show -----------------------------------------------------------------------------------------------
@app.command()
def show(
    article_id: str = typer.Argument(..., metavar="ID", help="Article id (or a unique prefix of at least 8 characters)."),
    db: str = typer.Option(DEFAULT_DB, "--db", help="SQLAlchemy URL or SQLite file path."),
    output_format: OutputFormat = typer.Option(OutputFormat.table, "--format"),
) -> None:
    """Show a stored article with its layers."""
    from marsad.store import Store

    with Store(db) as store:
        doc = store.get(article_id)
    if doc is None:
        err_console.print(f"[red]no article {article_id!r} in {db}[/red]")
        raise typer.Exit(1)
    if output_format is OutputFormat.json:
        sys.stdout.write(doc.to_json(indent=1) + "\n")
    else:
        print_document(doc)


# --- demo -----------------------------------------------------------------------------------------------
@app.command()
def demo(db: str = typer.Option(DEMO_DB, "--db", help="Where the demo store goes.")) -> None:
    """Run the bundled sample articles through the pipeline into a SQLite store and summarise them."""
    from marsad.resources import data_path
    from marsad.store import Store

    samples = data_path("samples/ant_samples.jsonl")
    stored, skipped, rejected = run_ingest([str(samples)], db)
    with Store(db) as store:
        docs = [store.get(doc_id) for doc_id in store.ids()]
    # Short headers and no borders so the summary fits an 80-column terminal.
    table = Table(title=f"marsad demo: {len(docs)} articles in {db}", box=box.SIMPLE, pad_edge=False)
    table.add_column("id", style="dim", no_wrap=True, min_width=8)
    table.add_column("published", no_wrap=True, min_width=10)
    table.add_column("title", justify="right", no_wrap=True, overflow="ellipsis", max_width=20)
    for header in ("sent", "ent", "plc", "time", "evt"):
        table.add_column(header, justify="right", no_wrap=True, min_width=len(header))
    totals: Counter[str] = Counter()
    for doc in docs:
        assert doc is not None
        counts = {name: len(doc.layer(name)) for name in ("sentences", "entities", "places", "times", "events")}
        totals.update(counts)
        table.add_row(doc.id[:8], (doc.published or "")[:10], doc.title or "",
                      *(str(counts[n]) for n in ("sentences", "entities", "places", "times", "events")))
    console.print(table)
    console.print(f"stored {stored}, skipped {skipped}, rejected {rejected}; totals: "
                  + ", ".join(f"{k} {v}" for k, v in totals.items()))
    console.print(f"Look at one: [bold]marsad show {docs[0].id[:10]} --db {db}[/bold]" if docs else "")
    if rejected:
        raise typer.Exit(1)


# --- export ---------------------------------------------------------------------------------------------
class ExportFormat(str, Enum):
    geojson = "geojson"
    jsonl = "jsonl"


@app.command()
def export(
    db: str = typer.Option(DEFAULT_DB, "--db", help="SQLAlchemy URL or SQLite file path."),
    output_format: ExportFormat = typer.Option(ExportFormat.geojson, "--format", help="geojson (places) or jsonl (whole documents)."),
    ids: Optional[list[str]] = typer.Option(None, "--id", help="Article id or prefix; repeat for several. Default: every article."),
    since: Optional[str] = typer.Option(None, help="Only articles published on or after this date (YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, help="Only articles published on or before this date (YYYY-MM-DD)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write here instead of standard output."),
) -> None:
    """Export stored articles: their places as a GeoJSON FeatureCollection, or the documents as JSON lines."""
    from marsad.places.geojson import to_geojson
    from marsad.store import Store

    with Store(db) as store:
        wanted = ids or store.ids()
        docs = []
        for doc_id in wanted:
            doc = store.get(doc_id, derive=output_format is ExportFormat.jsonl)
            if doc is None:
                err_console.print(f"[red]no article {doc_id!r} in {db}[/red]")
                raise typer.Exit(1)
            day = (doc.published or "")[:10]
            if (since and (not day or day < since)) or (until and (not day or day > until)):
                continue
            docs.append(doc)
    if output_format is ExportFormat.geojson:
        payload = json.dumps(to_geojson(docs), ensure_ascii=False, indent=1) + "\n"
    else:
        payload = "".join(doc.to_json() + "\n" for doc in docs)
    if out:
        out.write_text(payload, encoding="utf-8")
        err_console.print(f"wrote {len(docs)} article(s) to {out}")
    else:
        sys.stdout.write(payload)


# --- rendering --------------------------------------------------------------------------------------------
_LAYER_ORDER = ("clean", "entities", "places", "times", "events", "quotes")


def print_document(doc: Document) -> None:
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    for key in ("id", "title", "published", "source", "url", "language"):
        value = getattr(doc, key)
        if value:
            head.add_row(key, str(value))
    if doc.meta.get("encoding"):
        head.add_row("encoding", str(doc.meta["encoding"]))
    counts = ", ".join(f"{name} {len(spans)}" for name, spans in doc.layers.items())
    head.add_row("layers", counts)
    console.print(head)
    for name in list(_LAYER_ORDER) + [n for n in doc.layers if n not in _LAYER_ORDER and n not in ("sentences", "tokens")]:
        spans = doc.layer(name)
        if not spans:
            continue
        table = Table(title=name, title_justify="left")
        table.add_column("span", justify="right", style="dim")
        table.add_column("label")
        table.add_column("text", justify="right")  # Arabic reads right to left
        table.add_column("attributes")
        table.add_column("rule", style="dim")
        for span in spans:
            attrs = {k: v for k, v in span.attrs.items() if k not in ("candidates",)}
            table.add_row(f"{span.start}:{span.end}", span.label, doc.span_text(span),
                          json.dumps(attrs, ensure_ascii=False)[:120],
                          span.provenance.rule if span.provenance else "")
        console.print(table)
    sentences = doc.layer("sentences")
    if sentences:
        console.print(f"[bold]sentences[/bold] ({len(sentences)}):")
        for i, sentence in enumerate(sentences, 1):
            console.print(f"  {i:>3}  {doc.span_text(sentence)}")


def _register_optional_commands() -> None:
    # Sub-commands that live beside their own package are attached here so this file stays thin.
    from marsad.eval.cli import eval_command
    from marsad.events.explain import explain_command

    app.command("eval")(eval_command)
    app.command("explain")(explain_command)


_register_optional_commands()


def main(argv: Iterable[str] | None = None) -> None:
    app(args=list(argv) if argv is not None else None)


if __name__ == "__main__":
    main()
