"""Fixtures shared across the suite."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_reports() -> list[Path]:
    """The five bundled sample reports."""
    return sorted((ROOT / "data" / "reports").glob("*.txt"))


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return ROOT / "tests" / "data" / "gold"
