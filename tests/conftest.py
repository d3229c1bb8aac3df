"""Shared fixtures: a fresh store per test, hand-built inputs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import reckon

HERE = Path(__file__).parent
SHARED = HERE.parent.parent / "shared"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def r(db_path: Path):
    with reckon.open(db_path) as rk:
        yield rk


@pytest.fixture
def write(tmp_path: Path):
    """write("name.txt", "text" or b"bytes") -> Path"""

    def _write(name: str, content: str | bytes) -> Path:
        p = tmp_path / "in" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, encoding="utf-8")
        return p

    return _write


def postgres_url() -> str | None:
    return os.environ.get("RECKON_TEST_POSTGRES")
