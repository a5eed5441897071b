"""The one error a broken gold file raises: it names the file, the line and the field."""
from __future__ import annotations

from pathlib import Path


class GoldFormatError(ValueError):
    def __init__(self, path: str | Path, message: str, *, line: int | None = None, field: str | None = None):
        self.path = str(path)
        self.line = line
        self.field = field
        self.message = message
        where = self.path if line is None else f"{self.path}:{line}"
        what = f"field {field!r}: " if field else ""
        super().__init__(f"{where}: {what}{message}")
