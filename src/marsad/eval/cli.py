"""``marsad eval``: the lead's cli.py registers ``app.command("eval")(eval_command)``."""
from __future__ import annotations

import json
import shlex
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from marsad.eval.errors import GoldFormatError


class OutputFormat(str, Enum):
    table = "table"
    json = "json"


def eval_command(
    gold: Annotated[list[Path], typer.Argument(help="Gold files or folders: article readings (NAME.txt + NAME.expected.json, or "
                                                   "one a line in JSONL), event-sentence JSONL, time-expression sentence "
                                                   "JSONL (eval/times/dev.jsonl), BIO named-entity corpora, TimeML .tml "
                                                   "files (docs/gold-format.md).")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="table (readable) or json (for scripts).")] = OutputFormat.table,
    layer: Annotated[Optional[list[str]], typer.Option("--layer", "-l", help="Score only this layer (repeatable): "
                                                       "dateline, headline, boilerplate, entities, places, times, events, "
                                                       "quotes, control.")] = None,
    errors: Annotated[bool, typer.Option("--errors", help="List every mismatch with the sentence it came from.")] = False,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="Score only the first N documents or "
                                                 "sentences of each gold set.")] = None,
    every: Annotated[Optional[int], typer.Option("--every", min=1, help="Score only every Nth document or sentence "
                                                 "(the Nth, 2Nth, …): --every 10 on ANERcorp's train.txt is the part "
                                                 "the entity tagger never trains on.")] = None,
) -> None:
    """Score the pipeline against gold files, layer by layer (definitions: docs/evaluation.md)."""
    from marsad.eval.runner import LAYERS, evaluate, print_table, to_json
    from marsad.pipeline import Pipeline, PipelineError
    from marsad.resources import DataFileError

    unknown = sorted(set(layer or []) - set(LAYERS))
    if unknown:
        raise typer.BadParameter(f"unknown layer(s) {', '.join(unknown)}; known: {', '.join(LAYERS)}", param_hint="--layer")
    try:
        pipeline = Pipeline.default()
    except (DataFileError, PipelineError) as exc:
        typer.echo(f"error: the pipeline cannot start: {exc}", err=True)
        raise typer.Exit(1) from None
    try:
        reports = evaluate(gold, layers=layer, limit=limit, pipeline=pipeline, every=every)
    except GoldFormatError as exc:
        typer.echo(f"error: broken gold file: {exc}", err=True)
        raise typer.Exit(2) from None
    if format is OutputFormat.json:
        args = sys.argv[1:]
        if args[:1] == ["eval"]:  # run as ``marsad eval …`` rather than ``python -m marsad.eval …``
            args = args[1:]
        payload = to_json(reports, command=shlex.join(["marsad", "eval", *args]), pipeline=pipeline, errors=errors)
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=1))
    else:
        print_table(reports, errors=errors)
    failed = sum(len(r.failures) for r in reports)
    if failed:
        typer.echo(f"error: the pipeline raised on {failed} document(s); they were scored with the layers made "
                   "before the failure", err=True)
        raise typer.Exit(1)
