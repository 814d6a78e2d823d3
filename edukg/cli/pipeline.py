"""``edukg extract`` and ``edukg build``: the main job."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path

import click
from tqdm import tqdm

from edukg.cli.app import main, one_line, out_option, store_options
from edukg.data import sample_reports
from edukg.errors import EdukgError
from edukg.graph.build import BuildResult, Failure, build_from_paths, iter_extractions
from edukg.graph.build_cluster import build_on_cluster, export_on_cluster, find_sources
from edukg.graph.export_extractions import ExtractionFile, ExtractionWriter, to_extraction_file
from edukg.graph.export_graphml import write_graph_files
from edukg.ingest import find_reports
from edukg.ingest.locate import PlaceOverride, read_places
from edukg.ingest.readers import SUPPORTED_SUFFIXES
from edukg.outputs import Outputs, writing_into


class NothingReadError(EdukgError):
    """A build or extraction that read no report: there is nothing to write."""

    def __init__(self, paths: list[str], found: int) -> None:
        where = ", ".join(paths)
        if found:
            super().__init__(f"none of the {found} report(s) under {where} could be read (see above)")
        else:
            kinds = ", ".join(SUPPORTED_SUFFIXES)
            super().__init__(f"no report found under {where} (edukg reads {kinds} files)")


def _waiting(line: str) -> None:
    click.echo(f"edukg: {line}", err=True)


def _report_failures(failures: list[Failure] | tuple[Failure, ...]) -> None:
    for failure in failures:
        click.echo(f"edukg: skipped {one_line(failure)}", err=True)


def _progress(total: int, what: str) -> tqdm:
    return tqdm(total=total, desc=what, unit="report", disable=None, file=sys.stderr)


@main.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(readable=False))
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False),
    default=str(Outputs.find(None).extractions),
    show_default=True,
    help="Folder the JSON files go into (scorers read it as it is: edukg eval GOLD --pred OUT).",
)
@click.option("--workers", default=1, show_default=True, help="Extract in this many processes.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any report fails.")
def extract(reports: tuple[str, ...], out: str, workers: int, strict: bool) -> None:
    """Extract entities and relations, one JSON file per report (the annotation guide's format),
    into the folder OUT itself (not a subfolder: a scorer reads it as a folder of predictions).
    It holds the folder's build lock while it writes (that of the build folder when OUT is
    one's extractions/), so a build or another extraction into it waits its turn.

    \b
    Example:
      edukg extract data/reports/*.txt --out out/one
      edukg eval tests/data/gold --pred out/one
    """
    paths = find_reports(reports)
    folder = Path(out)
    writer = ExtractionWriter(folder)
    extracted, failures = 0, []
    with (
        writing_into(Outputs.owning(folder), notify=_waiting),
        _progress(len(paths), "extract") as bar,
    ):
        for outcome in iter_extractions(paths, workers, then=to_extraction_file):
            if isinstance(outcome, Failure):
                failures.append(outcome)
            elif isinstance(outcome, ExtractionFile):
                writer(outcome)
                extracted += 1
            bar.update()
    _report_failures(failures)
    if not extracted:
        raise NothingReadError(list(reports), len(paths))
    click.echo(f"{extracted} extracted, {len(failures)} failed -> {folder}")
    if strict and failures:
        sys.exit(1)


def summary(result: BuildResult) -> str:
    """Reports read and failed, entities by type and relations by type."""
    graph = result.graph
    labels = Counter(data["label"] for _, data in graph.nodes(data=True))
    kinds = Counter(kind for _, _, kind in graph.edges(keys=True))
    return counts_summary(result.read, result.failures, labels, kinds)


def counts_summary(
    read: int, failures: tuple[Failure, ...], labels: Mapping[str, int], kinds: Mapping[str, int]
) -> str:
    """:func:`summary` from the counts: reports read and failed, nodes by label, edges by type."""
    lines = [f"reports: {read} read, {len(failures)} failed"]
    lines += [f"  failed: {one_line(failure)}" for failure in failures]
    lines.append("nodes:  " + ", ".join(f"{label} {count}" for label, count in sorted(labels.items())))
    lines.append("edges:  " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    return "\n".join(lines)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@out_option
@click.option(
    "--workers",
    default=1,
    show_default=True,
    help="Extract in this many processes (and, with 2 or more, write the two graph files at once).",
)
@click.option("--strict", is_flag=True, help="Exit non-zero if any report fails.")
@click.option(
    "--scheduler",
    envvar="DASK_SCHEDULER_ADDRESS",
    default=None,
    help="Build on the Dask cluster of this scheduler (tcp://HOST:PORT; default "
    "DASK_SCHEDULER_ADDRESS): its workers read PATHs (paths they see, or fsspec URLs) and build.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["graph", "neo4j-import"]),
    default="graph",
    show_default=True,
    help="graph: graph.json, graph.graphml, extractions/. neo4j-import (with --scheduler): the "
    "workers write OUT/neo4j-import/ as partitioned CSV files and manifest.json for neo4j-admin.",
)
@click.option(
    "--load", "load_store", is_flag=True, help="Also load the graph into the store (see edukg load)."
)
@click.option(
    "--places",
    "places_file",
    type=click.Path(dir_okay=False),
    help="A CSV file placing reports by file name, over what their text names (format above).",
)
@store_options
def build(
    paths: tuple[str, ...],
    out: str,
    workers: int,
    strict: bool,
    scheduler: str | None,
    output_format: str,
    load_store: bool,
    places_file: str | None,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
) -> None:
    """Read reports, extract, resolve and write the graph (graph.json, graph.graphml, extractions/).

    With no PATH, builds the sample reports installed with edukg. A build that reads
    no report is an error and writes nothing. With --load, also loads the graph
    into the embedded FalkorDB under --out (or the store --uri names).

    With --places, a CSV file gives reports their place: a line per report with its
    file name, then its province, city and county as the gazetteer names them (full
    or short, any may be empty), or its file name and a six-digit adcode. A first
    line starting with "file" is a header.

    With --scheduler, the build runs on a Dask cluster and gives the same graph; with
    --format neo4j-import its workers write the graph as CSV files for neo4j-admin, and
    no process holds the whole graph (README: "A build on a cluster").

    \b
    Example:
      edukg build data/reports --out out --workers 2
      edukg build --load
      edukg build reports --places places.csv
      edukg build reports --scheduler tcp://127.0.0.1:8786 --format neo4j-import

    \b
    places.csv:
      file,province,city,county
      report-11.txt,山东省,聊城市,阳谷县
      report-16.txt,140423
    """
    places = read_places(places_file) if places_file else None
    inputs = list(paths) or [str(sample_reports())]
    if output_format == "neo4j-import":
        if not scheduler:
            raise click.UsageError("--format neo4j-import is the cluster build's: give --scheduler")
        if load_store:
            raise click.UsageError("--load needs the graph, which --format neo4j-import never gathers")
        _build_neo4j_import(inputs, scheduler, Outputs.find(out), places, strict)
        return
    outputs = Outputs.find(out)
    with outputs.staged(notify=_waiting) as staging:
        files = [] if scheduler else find_reports(inputs)
        total = len(find_sources(inputs)) if scheduler else len(files)
        with _progress(total, "build") as bar:

            def advance() -> None:
                bar.update()

            writer = ExtractionWriter(staging.extractions)
            if scheduler:
                result = build_on_cluster(inputs, scheduler, advance, writer, places)
            else:
                result = build_from_paths(
                    files,
                    workers=workers,
                    progress=advance,
                    per_report=to_extraction_file,
                    on_report=writer,
                    places=places,
                )
        _report_failures(result.failures)
        if not result.read:
            raise NothingReadError(inputs, total)
        write_graph_files(result.graph, staging.graph, staging.graphml, processes=workers)
    click.echo(summary(result))
    click.echo(f"written: {outputs.graph}, {outputs.graphml}, {outputs.extractions}/")
    if load_store:
        from edukg.graph.load_store import load_graph
        from edukg.graph.open_store import open_store

        with open_store(uri, out_dir=out, user=user, password=password, database=database) as store:
            click.echo(str(load_graph(result.graph, store)))
    if strict and result.failures:
        sys.exit(1)


def _build_neo4j_import(
    inputs: list[str],
    scheduler: str,
    outputs: Outputs,
    places: Mapping[str, PlaceOverride] | None,
    strict: bool,
) -> None:
    with outputs.staged(notify=_waiting) as staging:
        with _progress(len(find_sources(inputs)), "build") as bar:
            result = export_on_cluster(inputs, scheduler, staging.neo4j_import, bar.update, places)
        _report_failures(result.failures)
        if not result.read:
            raise NothingReadError(inputs, len(result.failures))
    labels = {label: rows for (kind, label), rows in result.rows.items() if kind == "nodes"}
    kinds = {kind: rows for (table, kind), rows in result.rows.items() if table == "relationships"}
    click.echo(counts_summary(result.read, result.failures, labels, kinds))
    click.echo(f"written: {outputs.neo4j_import}/ (manifest.json holds the neo4j-admin command)")
    if strict and result.failures:
        sys.exit(1)
