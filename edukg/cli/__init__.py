"""The command line: each module registers its commands on the ``edukg`` group.

The CLI only parses arguments and calls the library.
"""

from edukg.cli import (  # noqa: F401  (registers commands)
    evaluate,
    export_rdf,
    pipeline,
    query,
    store,
    view,
)
from edukg.cli.app import main

__all__ = ["main"]
