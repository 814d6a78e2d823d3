"""``edukg view``: interactive HTML views of a built graph."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from edukg.cli.app import graph_option, main, out_option
from edukg.graph.export_json import read_graph
from edukg.graph.render_html import write_views


@main.command()
@graph_option
@out_option("out/views")
def view(graph_path: Path, out: str) -> None:
    """Write self-contained, offline HTML views of the graph, then open index.html in a browser.

    graph.html is the whole graph (its most connected nodes when it is large),
    cities.html the jurisdictions and the national initiatives they share, and
    report-<id>.html one report's bureau, initiatives, parts and metrics.

    \b
    Example:
      edukg view --graph out/graph.json --out out/views
    """
    graph = read_graph(graph_path)
    written = write_views(
        graph,
        out,
        progress=lambda views: tqdm(views, desc="view", unit="page", disable=None, file=sys.stderr),
    )
    click.echo(f"{len(written)} pages -> {Path(out) / 'index.html'}")
