"""Data that ships inside the package: the sample reports (``reports/``).

The clone's ``data/reports`` is a link to this folder, so the README's commands and
an installed wheel read the same five files.

>>> sorted(path.suffix for path in sample_reports().iterdir())[:1]
['.txt']
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def sample_reports() -> Path:
    """The folder of the sample reports installed with edukg."""
    return Path(str(resources.files(__package__).joinpath("reports")))
