"""``edukg view``: interactive HTML views of a built graph."""

from __future__ import annotations

import sys

import click
from tqdm import tqdm

from edukg.cli.app import main, outputs_options
from edukg.graph.export_json import read_graph
from edukg.graph.render_html import write_views
from edukg.outputs import Outputs


@main.command()
@outputs_options
def view(outputs: Outputs) -> None:
    """Write offline HTML pages of the graph into OUT/views/ (with the scripts they share).

    It writes files and opens nothing: open OUT/views/index.html in a browser.
    graph.html is the whole graph (a cut of it when it is large), cities.html the
    jurisdictions and the national initiatives they share, and report-<id>.html one
    report's entities with its sentences as evidence.

    \b
    Example:
      edukg view --out out
      edukg view --graph builds/2024/graph.json    (writes builds/2024/views/)
    """
    graph = read_graph(outputs.graph)
    written = write_views(
        graph,
        outputs.views,
        progress=lambda views: tqdm(views, desc="view", unit="page", disable=None, file=sys.stderr),
    )
    click.echo(f"{len(written)} pages -> {outputs.views / 'index.html'}")
