"""``edukg export rdf``: the graph as RDF (Turtle, JSON-LD, N-Triples or RDF/XML)."""

from __future__ import annotations

import click

from edukg.cli.app import outputs_options
from edukg.cli.export import export
from edukg.graph.export_rdf import DEFAULT_BASE, FORMATS, write_rdf
from edukg.outputs import Outputs


@export.command("rdf")
@outputs_options
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
    "--validate",
    is_flag=True,
    help="Check the export against ontology/shapes.ttl as it is written (node by node, in bounded memory); "
    "write nothing if it does not conform.",
)
def rdf(outputs: Outputs, rdf_format: str, base: str, validate: bool) -> None:
    """Write the graph as RDF described by ontology/edukg.ttl into OUT/graph.<ext> (graph.ttl, …).

    The graph.json is read and the RDF written node by node (RDF/XML is made whole).
    Every fact carries its evidence. Node IRIs are minted from node ids under BASE (never from text); national
    concepts keep their IRIs from ontology/concepts.ttl, whose scheme is included.

    \b
    Example:
      edukg export rdf --out out --format json-ld     (writes out/graph.jsonld)
      edukg export rdf --format turtle --base https://example.org/edukg/ --validate
    """
    out = outputs.rdf(FORMATS[rdf_format][1])
    path = write_rdf(outputs.graph, out, rdf_format, base=base, validate=validate)
    click.echo(f"wrote {path}")
