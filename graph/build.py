"""Extractions to one networkx MultiDiGraph, and the whole main job from paths.

>>> result = build_from_paths([])
>>> result.graph.number_of_nodes(), result.failures
(0, ())
"""

from __future__ import annotations

import gc
import sys
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from edukg.errors import InputError
from edukg.graph import resolve
from edukg.graph.discover import discover_initiatives
from edukg.graph.extract import extract
from edukg.graph.indicators import metric_properties, report_year
from edukg.graph.link import link_concepts
from edukg.ingest import read_report
from edukg.ingest.locate import PlaceOverride, location_of, with_place
from edukg.ontology.concepts import Concept, concept_by_id
from edukg.ontology.places import Place, level_of, place_by_code
from edukg.records import Entity, Evidence, Extraction, Report
from edukg.text import strip_quotes

T = TypeVar("T")
LOCATED = {"Bureau", "Institution"}
# Reports a worker takes at a time: a tenth of a second of work, so at the end no worker
# waits long for the other's last chunk, and the messages cost next to nothing.
CHUNK = 4


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class BuildResult:
    graph: nx.MultiDiGraph
    failures: tuple[Failure, ...]
    read: int = 0  # reports read and extracted


class _EvidenceRows:
    """One report's evidence rows, one dict per span: the many facts a sentence states share
    its row and its text, which keeps a graph of thousands of reports small. Rows are read-only."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.rows: dict[tuple[int, int, int, str], dict[str, Any]] = {}

    def row(self, evidence: Evidence) -> dict[str, Any]:
        key = (evidence.sentence, evidence.start, evidence.end, evidence.status)
        if key not in self.rows:
            self.rows[key] = {
                "report": evidence.report,
                "sentence": evidence.sentence,
                "start": evidence.start,
                "end": evidence.end,
                "text": self.report.text[evidence.start : evidence.end],
                "status": evidence.status,
            }
        return self.rows[key]


def _evidence_key(row: dict[str, Any]) -> tuple[str, int, int]:
    return row["report"], row["start"], row["end"]


def _add_node(graph: nx.MultiDiGraph, node: str, report_id: str | None, **attributes: Any) -> None:
    if node not in graph:
        graph.add_node(node, **attributes, **({"reports": [report_id]} if report_id else {}))
    elif report_id:
        _insert_report(graph.nodes[node]["reports"], report_id)


def _fitted(items: list[T]) -> list[T]:
    """A copy of ``items`` with room for them only: a list that grew (by insert, append or a
    comprehension) keeps room for more, which for the graph's millions of short lists was
    about 50 MB at 10,000 reports."""
    return items.copy()


def _insert_report(reports: list[str], report_id: str) -> None:
    """Keep ``reports`` sorted and unique; bisection keeps a node of every report linear to build."""
    at = bisect_left(reports, report_id)
    if at == len(reports) or reports[at] != report_id:
        reports.insert(at, report_id)


def _add_edge(
    graph: nx.MultiDiGraph, source: str, target: str, kind: str, evidence: list[dict[str, Any]]
) -> None:
    """Add evidence to the edge, kept sorted by (report, start, end) and unique on that key."""
    new = not graph.has_edge(source, target, key=kind)
    if new:
        graph.add_edge(source, target, key=kind, type=kind, reports=[], evidence=[], status="planned")
    data = graph.edges[source, target, kind]
    rows = data["evidence"]
    for row in evidence:
        key = _evidence_key(row)
        at = bisect_left(rows, key, key=_evidence_key)
        if at < len(rows) and _evidence_key(rows[at]) == key:
            continue
        rows.insert(at, row)
        _insert_report(data["reports"], row["report"])
        if row["status"] == "reported":
            data["status"] = "reported"
    if new:
        data["reports"], data["evidence"] = _fitted(data["reports"]), _fitted(rows)


def _initiative(entity: Entity) -> str:
    """The initiative concept the entity is an instance of, or ``""``. A national body
    (教育部) is named by its concept but is no instance of it: it is the one node of
    that body, so only initiatives get an INSTANCE_OF edge."""
    return entity.concept if entity.concept and concept_by_id(entity.concept).kind == "initiative" else ""


def _entity_attributes(entity: Entity, report: Report) -> dict[str, Any]:
    national = resolve.is_national(entity)
    attributes: dict[str, Any] = {
        "label": entity.type,
        "name": entity.name,
        "aliases": sorted(entity.aliases),
        "scope": "national" if national else "local",
        "jurisdiction": "" if national else resolve.jurisdiction_name(report),
        "status": entity.status,
        "concept": resolve.concept_node_id(concept) if (concept := _initiative(entity)) else "",
        "mentions": [
            {"report": m.report, "start": m.start, "end": m.end, "sentence": m.sentence}
            for m in entity.mentions
        ],
    }
    if entity.metric is not None:
        attributes.update(entity.metric.properties())
    return attributes


Node = tuple[str, dict[str, Any]]  # node id, attributes
Edge = tuple[str, str, str, list[dict[str, Any]]]  # source, target, type, evidence rows


@dataclass(frozen=True, slots=True)
class ReportPart:
    """What one report adds to the graph, in plain values: its nodes with their attributes and
    its edges with their evidence rows, before they are merged with other reports'.

    A worker process makes it and sends it back: plain values pickle several times faster
    than the records they are made from, which showed in builds with ``--workers``.
    """

    report: str  # report id
    report_node: Node
    place_node: Node
    places_above: list[Node]  # the named divisions above the report's own, nearest first
    entities: list[Node]  # one per extracted entity, in extraction order (two may share a node)
    concepts: list[Node]
    edges: list[Edge]


def _concept_node(concept: Concept, written: set[str]) -> Node:
    """A Concept node; its aliases are the scheme's variants and the mentions reports write
    of it (全市双减工作, 义务教育优质均衡发展县创建), so an analyst sees both."""
    return (
        resolve.concept_node_id(concept.id),
        {
            "label": "Concept",
            "name": concept.name,
            "name_en": concept.name_en,
            "kind": concept.kind,
            "domain": concept.domain,
            "aliases": sorted(written.union(concept.variants) - {concept.name}),
        },
    )


def report_part(extraction: Extraction) -> ReportPart:
    """The nodes and edges one report's extraction adds to the graph."""
    report = extraction.report
    report_node = resolve.report_node_id(report)
    place = resolve.jurisdiction_node_id(report)
    rows = _EvidenceRows(report)
    entities: list[Node] = []
    edges: list[Edge] = []
    ids: dict[str, str] = {}
    written: dict[str, set[str]] = {}  # concept id -> the names this report gives it
    year = report_year(report.title, report.text)
    for entity in extraction.entities:
        node = resolve.entity_node_id(entity, report)
        ids[entity.key] = node
        attributes = _entity_attributes(entity, report)
        if entity.metric is not None:
            attributes.update(
                metric_properties(entity.name, entity.metric.unit, attributes["comparison"], year)
            )
        entities.append((node, attributes))
        mention_evidence = [
            rows.row(
                Evidence(
                    report.id,
                    m.sentence,
                    report.sentences[m.sentence].start,
                    report.sentences[m.sentence].end,
                    report.sentences[m.sentence].status,
                )
            )
            for m in entity.mentions[:1]
        ]
        edges.append((node, report_node, "MENTIONED_IN", mention_evidence))
        if attributes["scope"] == "local" and entity.type in LOCATED:
            edges.append((node, place, "LOCATED_IN", mention_evidence))
        if concept := _initiative(entity):
            written.setdefault(concept, set())
            edges.append((node, resolve.concept_node_id(concept), "INSTANCE_OF", mention_evidence))
    # The initiatives the report states anywhere in its text, named by an entity or not.
    for link in link_concepts(report):
        written.setdefault(link.concept, set()).update(strip_quotes(name) for name in link.names)
        edges.append(
            (
                report_node,
                resolve.concept_node_id(link.concept),
                "INSTANCE_OF",
                [rows.row(e) for e in link.evidence],
            )
        )
    concepts = [_concept_node(concept_by_id(concept), names) for concept, names in sorted(written.items())]
    edges.append((report_node, ids[extraction.bureau], "ISSUED_BY", []))
    above = _places_above(report)
    inner = [place, *(node for node, _ in above)]
    edges.extend((node, outer, "LOCATED_IN", []) for node, outer in pairwise(inner))
    edges.extend(
        (ids[relation.source], ids[relation.target], relation.type, [rows.row(e) for e in relation.evidence])
        for relation in extraction.relations
    )
    report_attributes = {
        "label": "Report",
        "name": report.title,
        "source": report.source,
        "title": report.title,
        "bureau": report.bureau,
        "level": report.level,
        "jurisdiction": report.jurisdiction,
        "masked": report.jurisdiction_masked,
        "chars": len(report.text),
        "year": year,
        **report.location.properties(),
    }
    place_attributes = {
        "label": "Jurisdiction",
        "name": resolve.jurisdiction_name(report),
        "level": report.level,
        "masked": report.jurisdiction_masked or not report.jurisdiction,
        **report.location.properties(),
    }
    return ReportPart(
        report.id,
        (report_node, report_attributes),
        (place, place_attributes),
        above,
        entities,
        concepts,
        edges,
    )


def _places_above(report: Report) -> list[Node]:
    """The Jurisdiction nodes of the named divisions above the report's own: a county's
    city and province, each one node for every report in it."""
    nodes = []
    for name, code in resolve.places_above(report):
        place = place_by_code(code)
        level = level_of(place) if place else ""
        location = location_of(place, "text").properties()
        attributes = {"label": "Jurisdiction", "name": name, "level": level, "masked": False, **location}
        nodes.append((resolve.place_node_id(code), attributes))
    return nodes


def _add_entity(graph: nx.MultiDiGraph, node: str, report_id: str, attributes: dict[str, Any]) -> None:
    if node in graph:
        data = graph.nodes[node]
        if report_id < data["reports"][0]:
            # The name the first report (by id) writes wins, whatever order reports come in.
            data["aliases"] = [*data["aliases"], data["name"]]
            data["name"] = attributes["name"]
        _insert_report(data["reports"], report_id)
        data["mentions"].extend(attributes["mentions"])
    else:
        mentions = _fitted(attributes["mentions"])
        graph.add_node(node, **{**attributes, "mentions": mentions, "reports": [report_id]})
        data = graph.nodes[node]
    data["aliases"] = _fitted(
        sorted((set(data["aliases"]) | {attributes["name"], *attributes["aliases"]}) - {data["name"]})
    )
    if attributes["status"] == "reported":
        data["status"] = "reported"


# Offsets recur across reports (many a sentence starts at character 1,204), and each int
# above 256 is an object of its own (32 bytes) unless it is shared: one object per value
# saved about 80 MB at 10,000 reports. Offsets past the bound, rare, stay unshared, which
# keeps the table a few MB.
_OFFSET_BOUND = 1 << 16
_OFFSETS: dict[int, int] = {}


def _share_offsets(record: dict[str, Any]) -> None:
    for field in ("sentence", "start", "end"):
        value = record[field]
        if value < _OFFSET_BOUND:
            record[field] = _OFFSETS.setdefault(value, value)


def _add_report(graph: nx.MultiDiGraph, node: str, report_id: str, attributes: dict[str, Any]) -> None:
    if node in graph and attributes["source"] < graph.nodes[node]["source"]:
        # Two files with one text are one Report node, named after the first file by name.
        graph.nodes[node]["source"] = attributes["source"]
    _add_node(graph, node, report_id, **attributes)


def _add_place(graph: nx.MultiDiGraph, node: str, report_id: str, attributes: dict[str, Any]) -> None:
    _add_node(graph, node, report_id, **attributes)


def _add_concept(graph: nx.MultiDiGraph, node: str, attributes: dict[str, Any]) -> None:
    if node not in graph:
        graph.add_node(node, **attributes)
    elif not set(attributes["aliases"]) <= set(aliases := graph.nodes[node]["aliases"]):
        graph.nodes[node]["aliases"] = sorted(set(aliases).union(attributes["aliases"]))


# One change a report makes to the graph: the node it changes (for an edge, its source), and
# the function that makes it with its arguments after the graph.
Update = tuple[str, Callable[..., None], tuple[Any, ...]]


def part_updates(part: ReportPart) -> list[Update]:
    """The changes one report's part makes to the graph, in the order :func:`add_part` makes
    them, each with the node it changes (for an edge, its source).

    Each change reads and writes its node or edge only, so the changes of many reports grouped
    by that node, and made in each group in the order of the reports, give the same graph as
    :func:`add_part` does report after report: the cluster build (``graph.build_cluster``)
    groups them so. The part's values are shared first: a part from a worker process brings
    its own copies of node ids, edge types and offsets, and interning the ids and types saved
    about 10 MB at 10,000 reports.
    """
    intern = sys.intern
    for _, attributes in part.entities:
        for mention in attributes["mentions"]:
            _share_offsets(mention)
    for *_, evidence in part.edges:
        for row in evidence:
            _share_offsets(row)
    report_node, report_attributes = part.report_node
    report_node = intern(report_node)
    updates: list[Update] = [(report_node, _add_report, (report_node, part.report, report_attributes))]
    for place, place_attributes in (part.place_node, *part.places_above):
        place = intern(place)
        updates.append((place, _add_place, (place, part.report, place_attributes)))
    for node, attributes in part.entities:
        node = intern(node)
        updates.append((node, _add_entity, (node, part.report, attributes)))
    updates.extend((node, _add_concept, (intern(node), attributes)) for node, attributes in part.concepts)
    for source, target, kind, evidence in part.edges:
        source = intern(source)
        updates.append((source, _add_edge, (source, intern(target), intern(kind), evidence)))
    return updates


def add_part(graph: nx.MultiDiGraph, part: ReportPart) -> None:
    """Merge one report's part into ``graph`` (in place)."""
    for _, change, arguments in part_updates(part):
        change(graph, *arguments)


def add_extraction(graph: nx.MultiDiGraph, extraction: Extraction) -> None:
    """Add one report's entities and relations to ``graph`` (in place)."""
    add_part(graph, report_part(extraction))


def sort_mentions(graph: nx.MultiDiGraph) -> None:
    """Put every node's mentions in the order of (report, start, end), in place."""
    for _, data in graph.nodes(data=True):
        if "mentions" in data:
            data["mentions"].sort(key=lambda m: (m["report"], m["start"], m["end"]))


def _finish(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    sort_mentions(graph)
    discover_initiatives(graph)
    return graph


def build_graph(extractions: Iterable[Extraction]) -> nx.MultiDiGraph:
    """One graph from many reports' extractions; the result does not depend on their order."""
    graph = nx.MultiDiGraph()
    for extraction in extractions:
        add_extraction(graph, extraction)
    return _finish(graph)


def extract_path(path: str | Path, places: Mapping[str, Place] | None = None) -> Extraction:
    """Read and extract one report file, placed where ``places`` says by its file name if it
    names it; raises InputError for a file that cannot be read."""
    report = read_report(path)
    if places and report.source in places:
        report = with_place(report, places[report.source])
    return extract(report)


def extract_then(
    path: Path, then: Callable[[Extraction], Any] | None, places: Mapping[str, Place] | None = None
) -> Any:
    """What ``then`` makes of the report's extraction (the extraction itself without ``then``),
    or its :class:`Failure`: one report's fault never stops the others."""
    try:
        extraction = extract_path(path, places)
        return then(extraction) if then else extraction
    except InputError as error:
        return Failure(error.path, error.reason)
    except Exception as error:  # a fault on one report's text costs that report only, said by name
        return Failure(
            str(path), f"could not be extracted ({type(error).__name__}: {error}); please report it"
        )


def _in_workers(paths: Sequence[Path], workers: int) -> bool:
    return workers > 1 and len(paths) > 1


def iter_extractions(
    paths: Sequence[Path],
    workers: int = 1,
    then: Callable[[Extraction], T] | None = None,
    places: Mapping[str, Place] | None = None,
) -> Iterator[Extraction | T | Failure]:
    """Each report's extraction, or its failure, in the order of ``paths``.

    With ``then``, what ``then`` makes of each extraction instead, made in the process that
    extracted it: with ``workers`` > 1 only that result travels back, so ``then`` must pickle
    (a module-level function or a ``functools.partial`` of one). ``places`` places reports
    by file name (see :func:`extract_path`).
    """
    work = partial(extract_then, then=then, places=places)
    if _in_workers(paths, workers):
        pool = ProcessPoolExecutor(max_workers=workers)
        try:
            yield from pool.map(work, paths, chunksize=CHUNK)
        finally:
            # Workers take a while to exit (freeing their dictionaries): the build goes on
            # meanwhile, and the interpreter waits for them at its own exit.
            pool.shutdown(wait=False, cancel_futures=True)
    else:
        yield from map(work, paths)


@contextmanager
def _collector_paused(paused: bool) -> Iterator[None]:
    """Pause Python's cyclic garbage collector, if ``paused``, while the block runs.

    The graph is millions of container objects that live as long as the build, and each
    full collection scans them all: at 10,000 reports, 15 of the first process's 37 CPU
    seconds. Merging parts makes no reference cycles, so while workers extract, nothing is
    lost; extraction in this process does make some, so there the collector keeps running.
    """
    if not paused or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def placed_reports(overrides: Mapping[str, PlaceOverride]) -> dict[str, Place]:
    """The places that ``--places`` gives reports by file name; InputError for one that names
    no division of the gazetteer."""
    placed = {}
    for name, override in overrides.items():
        try:
            placed[name] = override.place()
        except ValueError as error:
            raise InputError(name, f"its place: {error}") from None
    return placed


def part_and(
    extraction: Extraction, per_report: Callable[[Extraction], T] | None
) -> tuple[ReportPart, T | None]:
    """The report's part of the graph, and what ``per_report`` makes of its extraction."""
    return report_part(extraction), per_report(extraction) if per_report else None


def build_from_paths(
    paths: Iterable[str | Path],
    workers: int = 1,
    progress: Callable[[], object] | None = None,
    per_report: Callable[[Extraction], T] | None = None,
    on_report: Callable[[T], object] | None = None,
    places: Mapping[str, PlaceOverride] | None = None,
) -> BuildResult:
    """The main job: find reports under ``paths``, read, extract, resolve, build the graph.

    Each report goes into the graph as it arrives, so memory holds only the graph. For other
    output per report (the CLI's extraction files), ``per_report`` makes it from the
    extraction in the process that extracted it (it must pickle, see :func:`iter_extractions`)
    and ``on_report`` takes it here, in the order of the reports. ``places`` maps a report's
    file name to the place the user gives it, over the one its text names; an override that
    names no division of the gazetteer is an InputError before anything is read.
    """
    from edukg.ingest import find_reports

    graph = nx.MultiDiGraph()
    failures: list[Failure] = []
    read = 0
    placed = placed_reports(places or {})
    reports = find_reports(paths)
    outcomes = iter_extractions(reports, workers, partial(part_and, per_report=per_report), placed)
    with _collector_paused(_in_workers(reports, workers)):
        for outcome in outcomes:
            if isinstance(outcome, Failure):
                failures.append(outcome)
            elif isinstance(outcome, tuple):  # what part_and made in the worker
                part, output = outcome
                read += 1
                add_part(graph, part)
                if on_report and output is not None:
                    on_report(output)
            if progress:
                progress()
        # Still paused: sorting makes a key per mention, and a collection then would scan
        # the whole graph, which the collector has not seen yet.
        _finish(graph)
    return BuildResult(graph, tuple(failures), read)
