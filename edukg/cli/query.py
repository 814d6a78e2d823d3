"""``edukg query list | show NAME | run NAME``: the published query catalogue, Cypher and SPARQL."""

from __future__ import annotations

import shutil

import click

from edukg.cli.app import main, outputs_options, store_options
from edukg.outputs import Outputs
from edukg.queries.catalogue import (
    ALL_ROWS,
    DIALECTS,
    ENGINES,
    LIMIT,
    by_name,
    engine_of,
    load,
    load_sparql,
)
from edukg.queries.format_result import FORMATS, render, to_listing

LIST_WIDTH = (60, 100)  # `query list` fits the terminal within these widths


@main.group()
def query() -> None:
    """The analysts' questions as published queries, run by name: Cypher on the graph store,
    SPARQL on the RDF export.

    \b
    Example:
      edukg query list
      edukg query run bureau_responsibilities --param bureau=区教育局
      edukg query run shared_initiatives --engine sparql
    """


@query.command("list")
def list_queries() -> None:
    """List the queries: name, engines (cypher, sparql), parameters with their defaults,
    and the question each answers, in English and Chinese.

    \b
    Example:
      edukg query list
    """
    columns = shutil.get_terminal_size((88, 24)).columns
    click.echo(to_listing(by_name(), min(max(columns, LIST_WIDTH[0]), LIST_WIDTH[1])))


engine_option = click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default=None,
    help="cypher (the graph store) or sparql (the RDF export) [default: cypher when the query has it].",
)


@query.command()
@click.argument("name")
@engine_option
@click.option(
    "--dialect",
    type=click.Choice(("falkordb", *DIALECTS)),
    default="falkordb",
    show_default=True,
    help="For Cypher, show the file that engine runs (the common file unless the query has its own).",
)
def show(name: str, engine: str | None, dialect: str) -> None:
    """Print a query's file: its header (title, questions, parameters, columns) and its query.

    Cypher can be pasted into Neo4j Browser (set its parameters there with :param);
    SPARQL into any SPARQL engine (give each parameter a VALUES clause).

    \b
    Example:
      edukg query show shortest_path --dialect neo4j
      edukg query show shared_initiatives --engine sparql
    """
    if engine_of(name, engine) == "sparql":
        click.echo(load_sparql(name).query.text, nl=False)
    else:
        click.echo(load(name).cypher(dialect), nl=False)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    parsed = {}
    for value in values:
        key, equals, text = value.partition("=")
        if not equals or not key:
            raise click.BadParameter(f"expected KEY=VALUE, got {value!r}", param_hint="--param")
        parsed[key.strip()] = text
    return parsed


@query.command()
@click.argument("name")
@click.option(
    "--param", "-p", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable)."
)
@click.option(
    "--limit",
    type=click.IntRange(1, ALL_ROWS),
    default=None,
    help="The most rows to return [default: the query's own limit, see `edukg query list`].",
)
@click.option("--all", "all_rows", is_flag=True, help="Return every row (no limit).")
@click.option("--format", "format_", type=click.Choice(FORMATS), default="table", show_default=True)
@engine_option
@store_options
@outputs_options
def run(
    name: str,
    params: tuple[str, ...],
    limit: int | None,
    all_rows: bool,
    format_: str,
    engine: str | None,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    outputs: Outputs,
) -> None:
    """Run a query by name; every value is sent as a query parameter, never spliced into the text.

    Cypher runs on the graph store (the embedded FalkorDB of OUT/db unless --uri names
    another); SPARQL runs on the RDF export of OUT/graph.json. Parameters not given keep
    their defaults (see `edukg query list`); a value takes the type of its parameter's
    default, so numbers stay numbers. Every query stops at its default row limit (its
    parameter limit); --limit N sets another, --all returns every row.

    \b
    Example:
      edukg query run bureau_responsibilities --param bureau=区教育局
      edukg query run most_connected --limit 5 --format csv
      edukg query run find_entity -p name=教育局 --all
      edukg query run shared_initiatives --engine sparql --out out
      edukg query run shortest_path -p source=区教育局 -p target=教育部 --uri bolt://localhost:7687
    """
    values = _parse_params(params)
    chosen = [option for option, given in (("--limit", limit is not None), ("--all", all_rows)) if given]
    if len(chosen) > 1 or (chosen and LIMIT in values):
        raise click.UsageError(f"give the row limit once: {', '.join([*chosen, '--param limit'][:2])}")
    if chosen:
        values[LIMIT] = str(ALL_ROWS if all_rows else limit)
    if engine_of(name, engine) == "sparql":
        from edukg.graph.export_json import read_graph
        from edukg.graph.export_rdf import to_rdf
        from edukg.queries.run_query import sparql_result

        load_sparql(name).query.bind(values)  # a bad parameter fails before the graph is read
        result = sparql_result(to_rdf(read_graph(outputs.graph)), name, values)
    else:
        from edukg.graph.open_store import open_store
        from edukg.queries.run_query import run as run_query

        entry = load(name)
        bound = entry.bind(values)
        with open_store(
            uri, out_dir=outputs.folder, user=user, password=password, database=database
        ) as store:
            result = run_query(entry, bound, store)
    text = render(result, format_)
    click.echo(text, nl=not text.endswith("\n"))
