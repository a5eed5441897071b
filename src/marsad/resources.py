"""Locating and loading the data files shipped inside the package (lexicons, patterns, models)."""
from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any


class DataFileError(RuntimeError):
    """A data file the pipeline needs is missing or unreadable: start-up stops with the file's name."""


def data_path(relative: str) -> Path:
    path = Path(str(resources.files("marsad") / "data" / relative))
    if not path.exists():
        raise DataFileError(f"marsad data file missing: {path} (reinstall the package or rebuild the artefact)")
    return path


def load_toml(relative_or_path: str | Path) -> dict[str, Any]:
    path = Path(relative_or_path) if isinstance(relative_or_path, Path) else data_path(relative_or_path)
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable: {exc}") from exc


def load_word_list(relative_or_path: str | Path) -> list[str]:
    """One entry a line; blank lines and lines starting with '#' are ignored."""
    path = Path(relative_or_path) if isinstance(relative_or_path, Path) else data_path(relative_or_path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"marsad data file {path} is unreadable: {exc}") from exc
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
