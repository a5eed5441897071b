"""``python -m marsad.eval GOLD…``: the eval command without the main CLI."""
import typer

from marsad.eval.cli import eval_command

if __name__ == "__main__":
    typer.run(eval_command)
