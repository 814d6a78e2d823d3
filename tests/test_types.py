"""mypy checks the package, as installed: the design card's folders mapped into ``edukg``.

mypy does not read setuptools' ``package-dir``, so the check runs on a tree of links
that lays the folders out as the installed package (``edukg/graph`` -> ``graph/``…).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def package_tree(into: Path) -> Path:
    """Links that make the package's layout under ``into``, from pyproject's package-dir."""
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-dir"
    ]
    top = into / "edukg"
    top.mkdir()
    for entry in (ROOT / mapping["edukg"]).iterdir():
        if entry.name != "__pycache__":
            (top / entry.name).symlink_to(entry)
    for package, folder in mapping.items():
        if package != "edukg":
            (into / package.replace(".", "/")).symlink_to(ROOT / folder)
    return top


@pytest.mark.slow
def test_mypy_passes_on_the_package(tmp_path: Path) -> None:
    package_tree(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "-p",
            "edukg",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stdout + result.stderr
