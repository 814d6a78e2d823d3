"""``edukg export rdf``: the graph as RDF (Turtle, JSON-LD, N-Triples or RDF/XML)."""

from __future__ import annotations

from pathlib import Path

import click

from edukg.cli.app import graph_option
from edukg.cli.export import export
from edukg.graph.export_json import read_graph
from edukg.graph.export_rdf import DEFAULT_BASE, FORMATS, write_rdf


@export.command("rdf")
@graph_option
@click.option(
    "--format",
    "rdf_format",
    type=click.Choice(tuple(FORMATS)),
    default="turtle",
    show_default=True,
    help="RDF syntax to write.",
)
@click.option(
    "--base",
    default=DEFAULT_BASE,
    show_default=True,
    help="Namespace IRI (ending in / or #) under which node IRIs are minted from node ids.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    help="File to write; a path without a suffix is a folder to write graph.<ext> into. "
    "Default: beside the graph JSON, e.g. out/graph.ttl.",
)
@click.option(
    "--validate",
    is_flag=True,
    help="Check the export against ontology/shapes.ttl; fail if it does not conform.",
)
def rdf(graph_path: Path, rdf_format: str, base: str, out: Path | None, validate: bool) -> None:
    """Write the graph as RDF described by ontology/edukg.ttl, with every fact's evidence.

    Node IRIs are minted from node ids under BASE (never from text); national
    concepts keep their IRIs from ontology/concepts.ttl, whose scheme is included.

    \b
    Example:
      edukg export rdf --graph out/graph.json --format json-ld --out out/graph.jsonld
      edukg export rdf --format turtle --base https://example.org/edukg/ --validate
    """
    suffix = FORMATS[rdf_format][1]
    if out is None:
        out = graph_path.with_suffix(suffix)
    elif not out.suffix:
        out = out / f"graph{suffix}"
    path = write_rdf(read_graph(graph_path), out, rdf_format, base=base, validate=validate)
    click.echo(f"wrote {path}")
