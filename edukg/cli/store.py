"""``edukg load``, ``edukg db start|stop|status``, ``edukg export neo4j-import``."""

from __future__ import annotations

from functools import partial

import click

from edukg.cli.app import main, outputs_options, store_options
from edukg.cli.export import export
from edukg.outputs import Outputs


@main.command()
@outputs_options
@store_options
@click.option(
    "--remove",
    "remove",
    default=None,
    metavar="REPORT",
    help="Instead of loading, remove a report (id or source file name).",
)
@click.option(
    "--batch-size",
    default=2000,
    show_default=True,
    type=click.IntRange(1, 5000),
    help="Rows per UNWIND batch.",
)
def load(
    outputs: Outputs,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
    remove: str | None,
    batch_size: int,
) -> None:
    """Load the graph into Neo4j or FalkorDB (the embedded one, data in OUT/db, when no URI is given).

    Loading again gives the same store; a report file whose text changed replaces its
    old facts. --remove deletes what only that report supported.

    \b
    Example:
      edukg load
      NEO4J_PASSWORD=... edukg load --uri bolt://localhost:7687 --user neo4j
      edukg load --remove 002_a69d6ec3abac42da.txt
    """
    from tqdm import tqdm

    from edukg.graph.export_json import read_graph
    from edukg.graph.load_store import load_graph, remove_report
    from edukg.graph.open_store import open_store

    connect = partial(
        open_store, uri, out_dir=outputs.folder, user=user, password=password, database=database
    )
    if remove is not None:
        with connect() as store:
            click.echo(str(remove_report(store, remove)))
        return
    graph = read_graph(outputs.graph)  # before the store starts: a missing graph is the first error
    with connect() as store:
        with tqdm(total=graph.number_of_nodes() + graph.number_of_edges(), unit="row", desc="load") as bar:
            summary = load_graph(
                graph, store, batch_size, progress=lambda statement: bar.update(statement.rows)
            )
        click.echo(str(summary))


@main.group()
def db() -> None:
    """Manage the embedded FalkorDB that `edukg load` uses by default.

    \b
    Example:
      edukg db status --out out
    """


@db.command("start")
@outputs_options
def db_start(outputs: Outputs) -> None:
    """Start the embedded FalkorDB (data under OUT/db), or report the running one.

    \b
    Example:
      edukg db start --out out
    """
    from edukg.graph import embedded

    started = embedded.start(outputs.folder, notify=lambda line: click.echo(line, err=True))
    click.echo(f"running: {started.where}")


@db.command("stop")
@outputs_options
def db_stop(outputs: Outputs) -> None:
    """Stop the embedded FalkorDB after it saved its data.

    \b
    Example:
      edukg db stop --out out
    """
    from edukg.graph import embedded

    stopped = embedded.stop(outputs.folder)
    click.echo(f"stopped: {stopped.where}" if stopped else "not running")


@db.command("status")
@outputs_options
def db_status(outputs: Outputs) -> None:
    """Say whether the embedded FalkorDB runs, and where it listens.

    \b
    Example:
      edukg db status --out out
    """
    from edukg.graph import embedded

    running = embedded.status(outputs.folder)
    progress = embedded.loading(running) if running else None
    state = f" (loading its data: {progress:.0f} % read)" if progress is not None else ""
    click.echo(f"running: {running.where}{state}" if running else "not running")


@export.command("neo4j-import")
@outputs_options
def neo4j_import(outputs: Outputs) -> None:
    """Write CSV files for `neo4j-admin database import full`, and load.cypher for cypher-shell,
    into OUT/neo4j-import/.

    \b
    Example:
      edukg export neo4j-import --out out
    """
    from edukg.graph.export_json import read_graph
    from edukg.graph.export_neo4j_csv import admin_command, write_neo4j_import

    directory = outputs.neo4j_import
    files = write_neo4j_import(read_graph(outputs.graph), directory)
    click.echo(f"wrote {len(files)} files to {directory}; import with:\n{admin_command(files)}")
