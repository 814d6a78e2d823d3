"""The ``edukg`` command group and the options its commands share."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from edukg.errors import EdukgError
from edukg.outputs import DEFAULT_FOLDER, Outputs

F = TypeVar("F", bound=Callable[..., Any])


def one_line(message: object) -> str:
    """``message`` on one line: a driver's multi-line reason, or a file name with a line break.

    >>> one_line("cannot reach: refused\\nFailed to connect")
    'cannot reach: refused Failed to connect'
    """
    return " ".join(line.strip() for line in str(message).splitlines() if line.strip())


class EdukgGroup(click.Group):
    """Turns edukg's own errors, and files it cannot write, into one clear line and exit code 1,
    never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except EdukgError as error:
            click.echo(f"edukg: error: {one_line(error)}", err=True)
            sys.exit(1)
        except OSError as error:  # a folder or file in the way, no permission, a full disk
            where = f"{error.filename}: " if error.filename else ""
            click.echo(f"edukg: error: {one_line(where + (error.strerror or str(error)))}", err=True)
            sys.exit(1)


@click.group(cls=EdukgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="edukg")
def main() -> None:
    """Build knowledge graphs from Chinese education-bureau reports.

    \b
    Example:
      edukg build data/reports --out out

    A build's outputs live in one folder (--out, default out/): graph.json,
    graph.graphml, extractions/, and what later commands add there: views/,
    graph.ttl, neo4j-import/, db/ (the embedded FalkorDB).
    """


def out_option(function: F) -> F:
    """``--out``: the folder a build writes into (``edukg build``, ``edukg extract``)."""
    return click.option(
        "--out",
        "out",
        type=click.Path(file_okay=False),
        default=DEFAULT_FOLDER,
        show_default=True,
        help="Output folder: graph.json, graph.graphml and extractions/ go here.",
    )(function)


def outputs_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """``--out`` and ``--graph``, given to the command as one ``outputs: Outputs``.

    Every command after ``edukg build`` finds the build's files this one way (see
    ``edukg.outputs``): from ``--out``, else from the folder of ``--graph``, else ``out/``.
    """

    @functools.wraps(function)
    def command(*args: Any, out: str | None, graph_path: str | None, **kwargs: Any) -> Any:
        return function(*args, outputs=Outputs.find(out, graph_path), **kwargs)

    command = click.option(
        "--graph",
        "graph_path",
        type=click.Path(dir_okay=False),
        default=None,
        help="The graph written by `edukg build` [default: OUT/graph.json].",
    )(command)
    return click.option(
        "--out",
        "out",
        type=click.Path(file_okay=False),
        default=None,
        help="The build's output folder, where this command reads and writes "
        f"[default: the folder of --graph, else {DEFAULT_FOLDER}].",
    )(command)


def store_options(function: F) -> F:
    """``--uri``, ``--user``, ``--password``, ``--database``: which graph store to use."""
    options = [
        click.option(
            "--uri",
            default=None,
            help="bolt://, neo4j://, neo4j+s:// (Neo4j) or falkordb://HOST:PORT; "
            "default NEO4J_URI, else the embedded FalkorDB under --out.",
        ),
        click.option("--user", default=None, help="User name (default NEO4J_USER, or neo4j)."),
        click.option(
            "--password",
            default=None,
            help="Password; prefer NEO4J_PASSWORD / FALKORDB_PASSWORD in the environment.",
        ),
        click.option(
            "--database",
            default=None,
            help="Neo4j database, or FalkorDB graph name (default NEO4J_DATABASE, or edukg for FalkorDB).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function
