"""``edukg query list | show NAME | run NAME``: the published Cypher query catalogue."""

from __future__ import annotations

import json

import click

from edukg.cli.app import main, out_option, store_options
from edukg.queries.catalogue import DIALECTS, catalogue, load
from edukg.queries.format_result import FORMATS, Result, render, to_table


@main.group()
def query() -> None:
    """The analysts' questions as published Cypher queries, run by name.

    \b
    Example:
      edukg query list
      edukg query run bureau_responsibilities --param bureau=区教育局
    """


@query.command("list")
def list_queries() -> None:
    """List the queries: name, parameters with their defaults, and the question each answers.

    \b
    Example:
      edukg query list
    """
    rows = [
        (
            entry.name,
            ", ".join(f"{p.name}={json.dumps(p.default, ensure_ascii=False)}" for p in entry.parameters),
            f"{entry.question_en} / {entry.question_zh}",
        )
        for entry in catalogue()
    ]
    click.echo(to_table(Result(("name", "parameters", "question"), rows)))


@query.command()
@click.argument("name")
@click.option(
    "--dialect",
    type=click.Choice(("falkordb", *DIALECTS)),
    default="falkordb",
    show_default=True,
    help="Show the file that engine runs (the common file unless the query has its own for it).",
)
def show(name: str, dialect: str) -> None:
    """Print a query's file: its header (title, questions, parameters, columns) and its Cypher.

    The text can be pasted into Neo4j Browser; set its parameters there with :param.

    \b
    Example:
      edukg query show shortest_path --dialect neo4j
    """
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
@store_options
@out_option()
def run(
    name: str,
    params: tuple[str, ...],
    format_: str,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    out: str,
) -> None:
    """Run a query by name; every value is sent as a query parameter, never spliced into the text.

    Parameters not given keep their defaults (see `edukg query list`); a value takes
    the type of its parameter's default, so numbers stay numbers.

    \b
    Example:
      edukg query run bureau_responsibilities --param bureau=区教育局
      edukg query run most_connected -p limit=5 --format csv
      edukg query run shortest_path -p source=区教育局 -p target=教育部 --uri bolt://localhost:7687
    """
    from edukg.graph.load_store import open_store
    from edukg.queries.run_query import run as run_query

    entry = load(name)
    bound = entry.bind(_parse_params(params))
    with open_store(uri, out_dir=out, user=user, password=password, database=database) as store:
        result = run_query(entry, bound, store)
    text = render(result, format_)
    click.echo(text, nl=not text.endswith("\n"))
