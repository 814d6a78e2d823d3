"""``edukg query list | show NAME | run NAME``: the published query catalogue, Cypher and SPARQL."""

from __future__ import annotations

import json
import shutil

import click

from edukg.cli.app import main, outputs_options, store_options
from edukg.errors import EdukgError
from edukg.outputs import Outputs
from edukg.queries.catalogue import (
    DIALECTS,
    ENGINES,
    Query,
    UnknownQueryError,
    catalogue,
    load,
    load_sparql,
    sparql_catalogue,
)
from edukg.queries.format_result import FORMATS, render, wrap

LIST_WIDTH = (60, 100)  # `query list` fits the terminal within these widths
INDENT = "    "


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


def _entries() -> dict[str, dict[str, Query]]:
    """Query name -> engine -> its catalogue entry."""
    entries: dict[str, dict[str, Query]] = {}
    for entry in catalogue():
        entries.setdefault(entry.name, {})["cypher"] = entry
    for sparql in sparql_catalogue():
        entries.setdefault(sparql.query.name, {})["sparql"] = sparql.query
    return dict(sorted(entries.items()))


def _engine_of(name: str, engine: str | None) -> str:
    """The engine asked for, else Cypher when the query has it, else SPARQL."""
    engines = _entries().get(name)
    if engines is None:
        raise UnknownQueryError(name, list(_entries()))
    chosen = engine or next(known for known in ENGINES if known in engines)
    if chosen not in engines:
        raise EdukgError(f"query {name!r} has no {chosen} form; it has: {', '.join(engines)}")
    return chosen


def listing(width: int) -> str:
    """Each query as a line of name, engines and parameters, then its questions indented,
    every line at most ``width`` terminal cells."""
    lines = []
    for name, engines in _entries().items():
        entry = next(iter(engines.values()))
        parameters = " ".join(
            f"{p.name}={json.dumps(p.default, ensure_ascii=False)}" for p in entry.parameters
        )
        head = f"{name}  [{', '.join(engines)}]" + (f"  {parameters}" if parameters else "")
        lines += wrap(head, width)
        for question in (entry.question_en, entry.question_zh):
            lines += [INDENT + line for line in wrap(question, width - len(INDENT))]
    lines.append(f"({len(_entries())} queries)")
    return "\n".join(lines)


@query.command("list")
def list_queries() -> None:
    """List the queries: name, engines (cypher, sparql), parameters with their defaults,
    and the question each answers, in English and Chinese.

    \b
    Example:
      edukg query list
    """
    columns = shutil.get_terminal_size((88, 24)).columns
    click.echo(listing(min(max(columns, LIST_WIDTH[0]), LIST_WIDTH[1])))


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
    if _engine_of(name, engine) == "sparql":
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
@click.option("--format", "format_", type=click.Choice(FORMATS), default="table", show_default=True)
@engine_option
@store_options
@outputs_options
def run(
    name: str,
    params: tuple[str, ...],
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
    default, so numbers stay numbers.

    \b
    Example:
      edukg query run bureau_responsibilities --param bureau=区教育局
      edukg query run most_connected -p limit=5 --format csv
      edukg query run shared_initiatives --engine sparql --out out
      edukg query run shortest_path -p source=区教育局 -p target=教育部 --uri bolt://localhost:7687
    """
    values = _parse_params(params)
    if _engine_of(name, engine) == "sparql":
        from edukg.graph.export_json import read_graph
        from edukg.graph.export_rdf import to_rdf
        from edukg.queries.run_query import sparql_result

        load_sparql(name).query.bind(values)  # a bad parameter fails before the graph is read
        result = sparql_result(to_rdf(read_graph(outputs.graph)), name, values)
    else:
        from edukg.graph.load_store import open_store
        from edukg.queries.run_query import run as run_query

        entry = load(name)
        bound = entry.bind(values)
        with open_store(
            uri, out_dir=outputs.folder, user=user, password=password, database=database
        ) as store:
            result = run_query(entry, bound, store)
    text = render(result, format_)
    click.echo(text, nl=not text.endswith("\n"))
