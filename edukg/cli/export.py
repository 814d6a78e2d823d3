"""``edukg export FORMAT``: write the graph in another format. Each sink's module adds its command."""

from __future__ import annotations

from edukg.cli.app import main


@main.group()
def export() -> None:
    """Export the graph built by ``edukg build`` (read from its graph.json).

    \b
    Example:
      edukg export rdf --graph out/graph.json --format turtle --out out/rdf
    """
