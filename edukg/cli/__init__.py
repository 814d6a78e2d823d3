"""The command line: each module registers its commands on the ``edukg`` group.

The CLI only parses arguments and calls the library.
"""

from edukg.cli import evaluate, export_rdf, pipeline, query  # noqa: F401  (registers commands)
from edukg.cli import store  # noqa: F401  (edukg load, edukg db)
from edukg.cli.app import main

__all__ = ["main"]
