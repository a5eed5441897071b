"""Shared fixtures. ../shared/ (data for developers and CI, never for users) sits beside the repository."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _shared() -> Path | None:
    candidates = [os.environ.get("MARSAD_SHARED"), REPO.parent / "shared", REPO / ".." / "shared"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "examples" / "bukamal.txt").exists():
            return Path(candidate).resolve()
    return None


SHARED = _shared()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if SHARED is None:
        pytest.skip("../shared/ (developer data) is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def bukamal_text(shared_dir: Path) -> str:
    return (shared_dir / "examples" / "bukamal.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def bukamal_expected(shared_dir: Path) -> dict:
    import json

    return json.loads((shared_dir / "examples" / "bukamal.expected.json").read_text(encoding="utf-8"))
