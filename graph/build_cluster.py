"""The build on a Dask cluster: the stages of ``graph.build``, spread over the workers.

The map (:func:`map_reports`, one task a chunk of reports): a worker reads and extracts each
report and turns its part of the graph into the changes it makes (``graph.build.part_updates``),
each keyed by the node it changes (an edge by its source). The shuffle (dask.bag's task-based
``groupby`` on that key) brings all the changes of a node, from every report, into one
partition, where :func:`resolve_partition` makes them in the order of the reports: each
change reads and writes its node or edge only, so every node and edge is the one the local
build makes. Initiatives are discovered after a second shuffle, by the core of their names
(:func:`discover_partition`, ``graph.discover.discover_core``). No process holds the whole
graph: the client gathers it only for graph.json and GraphML (:func:`build_on_cluster`);
for ``neo4j-admin`` the workers write partitioned CSV files (:func:`export_on_cluster`,
``graph.export_neo4j_parts``), after a third shuffle by each edge's target gives ISSUED_BY
edges and Concepts their reports.

Reports are paths the workers can see, or fsspec URLs (``s3://``, ``hdfs://``, ``file://``).

>>> is_url("s3://bucket/reports"), is_url("reports/a.txt")
(True, False)
"""

from __future__ import annotations

import math
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import networkx as nx

from edukg.errors import EdukgError
from edukg.graph.build import (
    CHUNK,
    BuildResult,
    Failure,
    extract_then,
    part_and,
    part_updates,
    placed_reports,
    sort_mentions,
)
from edukg.graph.discover import candidate_core, discover_core
from edukg.graph.export_extractions import ExtractionFile, to_extraction_file
from edukg.graph.export_neo4j_parts import (
    Row,
    column_samples,
    graph_rows,
    header_tables,
    merge_samples,
    write_headers,
    write_manifest,
    write_parts,
)
from edukg.ingest import find_reports
from edukg.ingest.locate import PlaceOverride
from edukg.ingest.readers import SUPPORTED_SUFFIXES
from edukg.ontology.places import Place

if TYPE_CHECKING:
    from dask.bag import Bag
    from distributed import Client

# Seconds to wait for the scheduler before saying it cannot be reached.
CONNECT_TIMEOUT = 10
# Reports per partition of the shuffle: enough that a partition's tasks cost little beside
# its work, few enough that many partitions spread it over the workers.
SHUFFLE_REPORTS = 64

# One change of the graph, as the map sends it: its node, (report's index, step), the change
# and its arguments (graph.build.Update with the order it is made in).
Record = tuple[str, tuple[int, int], Callable[..., None], tuple[Any, ...]]
# What the partitions of the resolved graph hold: ("node", id, attributes) and
# ("edge", source, target, type, attributes, the source's reports where the edge has none).
Element = tuple[Any, ...]


class ClusterError(EdukgError):
    """A Dask scheduler that cannot be reached, or a cluster that could not finish the build."""


@dataclass(frozen=True, slots=True)
class Chunk:
    """What one map task made: each report's outcome (its failure, or its extraction file
    when one was asked, else None) by its index, and the changes its part makes."""

    outcomes: list[tuple[int, Failure | ExtractionFile | None]]
    records: list[Record]


@dataclass(frozen=True, slots=True)
class ImportResult:
    """A cluster build written as partitioned CSV files: failures, reports read, and the rows
    of each label and relationship type."""

    failures: tuple[Failure, ...]
    read: int
    rows: dict[tuple[str, str], int]
    manifest: Path | None


def is_url(source: str) -> bool:
    """Whether ``source`` is an fsspec URL rather than a path."""
    return "://" in source


def find_sources(paths: Iterable[str]) -> list[tuple[str, str]]:
    """The reports under ``paths``, each as the user sees it (as ``ingest.find_reports`` names
    it) and as the workers are given it: a path made absolute (a worker's folder is not the
    client's), a URL as it is; folders of URLs are listed through fsspec."""
    found: list[tuple[str, str]] = []
    for given in paths:
        if not is_url(given):
            found.extend((str(path), str(path.absolute())) for path in find_reports([given]))
            continue
        import fsspec

        filesystem, root = fsspec.core.url_to_fs(given)
        if not filesystem.isdir(root):
            found.append((given, given))
            continue
        for name in sorted(filesystem.find(root)):
            inside = PurePosixPath(name).relative_to(root)
            if inside.suffix.lower() in SUPPORTED_SUFFIXES and not any(
                p.startswith(".") for p in inside.parts
            ):
                url = filesystem.unstrip_protocol(name)
                found.append((url, url))
    return list(dict.fromkeys(found))  # a report given twice is built once, as find_reports has it


def _extract_source(source: str, then: Callable[[Any], Any], places: Mapping[str, Place] | None) -> Any:
    """:func:`graph.build.extract_then` of a path, or of a URL's file fetched into a temporary
    folder under its own name (the name is the report's ``source``)."""
    if not is_url(source):
        return extract_then(Path(source), then, places)
    import fsspec

    with tempfile.TemporaryDirectory(prefix="edukg-") as folder:
        local = Path(folder) / PurePosixPath(source.rstrip("/")).name
        try:
            with fsspec.open(source, "rb") as remote:
                local.write_bytes(remote.read())
        except (OSError, ValueError) as error:
            return Failure(source, f"cannot be fetched ({type(error).__name__}: {error})")
        outcome = extract_then(local, then, places)
    return Failure(source, outcome.reason) if isinstance(outcome, Failure) else outcome


def map_reports(chunk: Sequence[tuple[int, str]], files: bool, places: Mapping[str, Place] | None) -> Chunk:
    """The map: read and extract each report of ``chunk`` (index, path or URL) and key the
    changes its part makes by node (runs on a worker)."""
    then = partial(part_and, per_report=to_extraction_file if files else None)
    outcomes: list[tuple[int, Failure | ExtractionFile | None]] = []
    records: list[Record] = []
    for index, source in chunk:
        outcome = _extract_source(source, then, places)
        if isinstance(outcome, Failure):
            outcomes.append((index, outcome))
            continue
        part, file = outcome
        outcomes.append((index, file))
        records.extend(
            (node, (index, step), change, arguments)
            for step, (node, change, arguments) in enumerate(part_updates(part))
        )
    return Chunk(outcomes, records)


def _outcomes(chunk: Chunk) -> list[tuple[int, Failure | ExtractionFile | None]]:
    return chunk.outcomes


def _records(chunk: Chunk) -> list[Record]:
    return chunk.records


def _record_node(record: Record) -> str:
    return record[0]


def _record_order(record: Record) -> tuple[int, int]:
    return record[1]


def _elements(graph: nx.MultiDiGraph, candidates: bool) -> list[Element]:
    """A partition's nodes and edges as elements; with ``candidates``, the nodes that may be
    discovered initiatives as ``("candidate", core, id, attributes, out-edges)`` instead, their
    edges with them. Nodes without a label are other partitions' edge targets."""
    elements: list[Element] = []
    moved = set()
    for node, data in graph.nodes(data=True):
        if "label" not in data:
            continue
        core = candidate_core(data) if candidates else ""
        if core:
            edges = [
                (target, key, edge) for _, target, key, edge in graph.out_edges(node, keys=True, data=True)
            ]
            elements.append(("candidate", core, node, data, edges))
            moved.add(node)
        else:
            elements.append(("node", node, data))
    for source, target, key, data in graph.edges(keys=True, data=True):
        if source not in moved:
            reports = None if data.get("reports") else graph.nodes[source].get("reports")
            elements.append(("edge", source, target, key, data, reports))
    return elements


def resolve_partition(groups: Iterable[tuple[str, list[Record]]]) -> list[Element]:
    """After the shuffle: make each node's changes in the order of the reports, then sort
    its mentions; the nodes that may be discovered initiatives go on to :func:`discover_partition`."""
    graph = nx.MultiDiGraph()
    for _, _, change, arguments in sorted((r for _, group in groups for r in group), key=_record_order):
        change(graph, *arguments)
    sort_mentions(graph)
    return _elements(graph, candidates=True)


def _candidate_core(element: Element) -> str:
    return str(element[1])


def discover_partition(groups: Iterable[tuple[str, list[Element]]]) -> list[Element]:
    """After the shuffle by core: the initiatives named in two reports or more become
    instances of a discovered Concept, as ``graph.discover.discover_initiatives`` makes them."""
    graph = nx.MultiDiGraph()
    for core, candidates in groups:
        for _, _, node, data, edges in candidates:
            graph.add_node(node, **data)
            for target, key, edge in edges:
                graph.add_edge(node, target, key=key, **edge)
        discover_core(graph, core, [element[2] for element in candidates])
    return _elements(graph, candidates=False)


def _is_candidate(element: Element) -> bool:
    return bool(element[0] == "candidate")


def _not_candidate(element: Element) -> bool:
    return not _is_candidate(element)


def _row_key(element: Element) -> str:
    """A node by its id, an edge by its target: a Concept then meets all its links, and an
    ISSUED_BY edge the Bureau whose reports it shares."""
    return str(element[1] if element[0] == "node" else element[2])


def rows_partition(groups: Iterable[tuple[str, list[Element]]]) -> list[Row]:
    """After the shuffle by edge target: the rows of the partition's nodes and edges."""
    graph = nx.MultiDiGraph()
    own = []
    edges = []
    for _, elements in groups:
        for element in elements:
            if element[0] == "node":
                graph.add_node(element[1], **element[2])
                own.append(element[1])
            else:
                edges.append(element)
    for _, source, target, key, data, reports in edges:
        if reports is not None and "label" not in graph.nodes.get(source, {}):
            # Another partition's node: only its reports are needed (the ends' shared ones).
            graph.add_node(source, reports=reports)
        graph.add_edge(source, target, key=key, **data)
    return graph_rows(graph, own)


def _samples(rows: list[Row]) -> list[Any]:
    return [column_samples(rows)]


def _chunks(sources: Sequence[str]) -> list[list[tuple[int, str]]]:
    indexed = list(enumerate(sources))
    return [indexed[at : at + CHUNK] for at in range(0, len(indexed), CHUNK)]


def scheduler_arguments(scheduler_file: Path) -> list[str]:
    """``dask`` arguments of a scheduler on 127.0.0.1, on a free port that it writes with its
    address into ``scheduler_file``: how the tests and ``bench/bench_cluster.py`` start one."""
    return [
        *("scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-address", "127.0.0.1:0"),
        *("--scheduler-file", str(scheduler_file)),
    ]


def worker_arguments(scheduler_file: Path, name: str) -> list[str]:
    """``dask`` arguments of a one-thread worker on 127.0.0.1, a process of its own (no nanny:
    its pid is the worker's), that ends a minute after its scheduler is gone."""
    return [
        *("worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--no-nanny"),
        *("--no-dashboard", "--death-timeout", "60", "--host", "127.0.0.1", "--name", name),
    ]


@contextmanager
def connect(address: str) -> Iterator[Client]:
    """A client of the scheduler at ``address``; ClusterError, naming it, if it cannot be reached."""
    try:
        from distributed import Client
    except ImportError:
        raise ClusterError(
            "a build on a cluster needs Dask: pip install 'edukg[cluster]' (dask and distributed)"
        ) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as error:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {error}") from None
    try:
        # Current: bags made of the client's futures find their client so.
        with client.as_current():
            yield client
    finally:
        client.close()


@dataclass
class _Map:
    """The map submitted to the cluster, and the changes it makes as a bag for the shuffle."""

    outcomes: list[Any]  # futures of each chunk's outcomes
    records: Bag
    # The futures the bag is made of: held until the graph is gathered or written, for the
    # scheduler cancels what no client holds, though a computation still needs it.
    held: list[Any]


def _submit_map(
    client: Client, sources: Sequence[str], files: bool, places: Mapping[str, Place] | None
) -> _Map:
    import dask.bag as db

    chunks = _chunks(sources)
    mapped = [client.submit(map_reports, chunk, files, places, pure=False) for chunk in chunks]
    outcomes = [client.submit(_outcomes, future) for future in mapped]
    held = [client.submit(_records, future) for future in mapped]
    partitions = max(1, min(len(chunks), math.ceil(len(sources) / SHUFFLE_REPORTS)))
    return _Map(outcomes, db.from_delayed(held).repartition(partitions), held)


def _resolved(records: Bag) -> Bag:
    """The graph's nodes and edges, as elements: the shuffle by node, then by core."""
    import dask.bag as db

    resolved = records.groupby(_record_node, shuffle="tasks").map_partitions(resolve_partition)
    discovered = (
        resolved.filter(_is_candidate)
        .groupby(_candidate_core, shuffle="tasks")
        .map_partitions(discover_partition)
    )
    return db.concat([resolved.filter(_not_candidate), discovered])


def _given(sources: Sequence[str], given: Sequence[str]) -> Callable[[int, Failure], Failure]:
    """A failure named by the path as the user gave it (the workers had it made absolute)."""

    def named(index: int, failure: Failure) -> Failure:
        return Failure(given[index], failure.reason) if failure.path == sources[index] else failure

    return named


def _arrivals(futures: list[Any]) -> Iterator[tuple[Any, Any]]:
    """Each future with its result as it completes; a cancelled or failed one raises."""
    from distributed import as_completed

    for future, result in as_completed(futures, with_results=True):
        if isinstance(result, BaseException):
            raise result
        yield future, result


def _drain(
    client: Client,
    work: _Map,
    name: Callable[[int, Failure], Failure],
    progress: Callable[[], object] | None,
    on_report: Callable[[ExtractionFile], object] | None,
) -> tuple[list[Failure], int]:
    """Take each chunk's outcomes as it arrives: progress, failures, and extraction files
    handed to ``on_report`` in the order of the reports."""

    failures: list[tuple[int, Failure]] = []
    files: dict[int, ExtractionFile | None] = {}
    next_file = 0
    read = 0
    for future, outcomes in _arrivals(work.outcomes):
        for index, outcome in outcomes:
            if isinstance(outcome, Failure):
                failures.append((index, name(index, outcome)))
                files[index] = None
            else:
                read += 1
                files[index] = outcome
            if progress:
                progress()
        future.release()
        while next_file in files:
            file = files.pop(next_file)
            if on_report and file is not None:
                on_report(file)
            next_file += 1
    return [failure for _, failure in sorted(failures, key=lambda pair: pair[0])], read


def _prepare(
    paths: Iterable[str | Path], places: Mapping[str, PlaceOverride] | None
) -> tuple[list[str], list[str], dict[str, Place]]:
    """The reports as the workers get them and as the user gave them, and the places given."""
    placed = placed_reports(places or {})
    found = find_sources(str(path) for path in paths)
    return [source for _, source in found], [shown for shown, _ in found], placed


def build_on_cluster(
    paths: Iterable[str | Path],
    address: str,
    progress: Callable[[], object] | None = None,
    on_report: Callable[[ExtractionFile], object] | None = None,
    places: Mapping[str, PlaceOverride] | None = None,
) -> BuildResult:
    """``graph.build.build_from_paths`` on the cluster of the scheduler at ``address``: the same
    graph and failures; ``on_report`` takes each report's extraction file, in the order of the
    reports. The client gathers the graph, one partition at a time."""

    sources, given, placed = _prepare(paths, places)
    graph = nx.MultiDiGraph()
    if not sources:  # nothing to send: the caller says there is no report
        return BuildResult(graph, (), 0)
    with connect(address) as client, _cluster_errors():
        work = _submit_map(client, sources, on_report is not None, placed)
        partitions = client.compute(_resolved(work.records).to_delayed())
        failures, read = _drain(client, work, _given(sources, given), progress, on_report)
        edges = []
        for future, elements in _arrivals(partitions):
            for element in elements:
                if element[0] == "node":
                    graph.add_node(element[1], **element[2])
                else:
                    edges.append(element)
            future.release()
        # Edges after all nodes: the graph's nodes are then in the partitions' order only.
        for _, source, target, key, data, _ in edges:
            graph.add_edge(source, target, key=key, **data)
    return BuildResult(graph, tuple(failures), read)


def export_on_cluster(
    paths: Iterable[str | Path],
    address: str,
    folder: Path,
    progress: Callable[[], object] | None = None,
    places: Mapping[str, PlaceOverride] | None = None,
) -> ImportResult:
    """Build on the cluster and have the workers write the graph into ``folder`` as partitioned
    CSV files for ``neo4j-admin`` (``graph.export_neo4j_parts``), with ``manifest.json``; the
    client holds only the failures, the tables' headers and the files' names. ``folder`` must
    be one the workers can write (a shared file system)."""
    from dask import delayed

    sources, given, placed = _prepare(paths, places)
    folder = folder.absolute()
    if not sources:
        return ImportResult((), 0, {}, None)
    with connect(address) as client, _cluster_errors():
        work = _submit_map(client, sources, False, placed)
        rows = _resolved(work.records).groupby(_row_key, shuffle="tasks").map_partitions(rows_partition)
        rows = client.persist(rows)
        samples = client.compute(rows.map_partitions(_samples))
        failures, read = _drain(client, work, _given(sources, given), progress, None)
        if not read:
            return ImportResult(tuple(failures), 0, {}, None)
        headers = header_tables(merge_samples(samples.result()))
        write_headers(headers, folder)
        writes = [
            delayed(write_parts)(part, headers, number, folder)
            for number, part in enumerate(rows.to_delayed())
        ]
        counts: dict[str, int] = {}
        for written in client.gather(client.compute(writes)):
            counts.update(written)
        manifest = write_manifest(headers, counts, folder)
    totals: dict[tuple[str, str], int] = {}
    for table in headers:
        prefix = table.name.removesuffix(".header.csv")
        totals[table.kind, table.label] = sum(
            n for name, n in counts.items() if name.split(".part-")[0] == prefix
        )
    return ImportResult(tuple(failures), read, totals, manifest)


@contextmanager
def _cluster_errors() -> Iterator[None]:
    """A cluster that could not finish (a task failed on every worker it was tried on,
    the scheduler went away) as one ClusterError."""
    try:
        yield
    except EdukgError:
        raise
    except Exception as error:
        raise ClusterError(f"the build on the cluster failed: {type(error).__name__}: {error}") from error
