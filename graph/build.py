"""Extractions to one networkx MultiDiGraph, and the whole main job from paths.

>>> result = build_from_paths([])
>>> result.graph.number_of_nodes(), result.failures
(0, ())
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from edukg.errors import InputError
from edukg.graph import resolve
from edukg.graph.extract import extract
from edukg.ingest import read_report
from edukg.ontology.concepts import concept_by_id
from edukg.records import Entity, Evidence, Extraction, Report

LOCATED = {"Bureau", "Institution"}


@dataclass(frozen=True, slots=True)
class Failure:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class BuildResult:
    graph: nx.MultiDiGraph
    extractions: tuple[Extraction, ...]  # empty when the build was asked not to keep them
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
        graph.add_node(node, **attributes, **({"reports": []} if report_id else {}))
    if report_id:
        _insert_report(graph.nodes[node]["reports"], report_id)


def _insert_report(reports: list[str], report_id: str) -> None:
    """Keep ``reports`` sorted and unique; bisection keeps a node of every report linear to build."""
    at = bisect_left(reports, report_id)
    if at == len(reports) or reports[at] != report_id:
        reports.insert(at, report_id)


def _add_edge(
    graph: nx.MultiDiGraph, source: str, target: str, kind: str, evidence: list[dict[str, Any]]
) -> None:
    """Add evidence to the edge, kept sorted by (report, start, end) and unique on that key."""
    if not graph.has_edge(source, target, key=kind):
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


def _entity_attributes(entity: Entity, report: Report) -> dict[str, Any]:
    national = resolve.is_national(entity)
    attributes: dict[str, Any] = {
        "label": entity.type,
        "name": entity.name,
        "aliases": sorted(entity.aliases),
        "scope": "national" if national else "local",
        "jurisdiction": "" if national else resolve.jurisdiction_name(report),
        "status": entity.status,
        "concept": resolve.concept_node_id(entity.concept) if entity.concept else "",
        "mentions": [],
    }
    if entity.metric is not None:
        attributes.update(entity.metric.properties())
    return attributes


def add_extraction(graph: nx.MultiDiGraph, extraction: Extraction) -> None:
    """Add one report's entities and relations to ``graph`` (in place)."""
    report = extraction.report
    report_node = resolve.report_node_id(report)
    rows = _EvidenceRows(report)
    if report_node in graph and report.source < graph.nodes[report_node]["source"]:
        # Two files with one text are one Report node, named after the first file by name.
        graph.nodes[report_node]["source"] = report.source
    _add_node(
        graph,
        report_node,
        report.id,
        label="Report",
        name=report.title,
        source=report.source,
        title=report.title,
        bureau=report.bureau,
        level=report.level,
        jurisdiction=report.jurisdiction,
        masked=report.jurisdiction_masked,
        chars=len(report.text),
    )
    place = resolve.jurisdiction_node_id(report)
    _add_node(
        graph,
        place,
        report.id,
        label="Jurisdiction",
        name=resolve.jurisdiction_name(report),
        level=report.level,
        masked=report.jurisdiction_masked or not report.jurisdiction,
    )
    ids: dict[str, str] = {}
    for entity in extraction.entities:
        node = resolve.entity_node_id(entity, report)
        ids[entity.key] = node
        if node in graph:
            data = graph.nodes[node]
            if report.id < data["reports"][0]:
                # The name the first report (by id) writes wins, whatever order reports come in.
                data["aliases"] = [*data["aliases"], data["name"]]
                data["name"] = entity.name
            _insert_report(data["reports"], report.id)
        else:
            _add_node(graph, node, report.id, **_entity_attributes(entity, report))
        data = graph.nodes[node]
        data["aliases"] = sorted((set(data["aliases"]) | {entity.name, *entity.aliases}) - {data["name"]})
        if entity.status == "reported":
            data["status"] = "reported"
        data["mentions"].extend(
            {"report": m.report, "start": m.start, "end": m.end, "sentence": m.sentence}
            for m in entity.mentions
        )
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
        _add_edge(graph, node, report_node, "MENTIONED_IN", mention_evidence)
        if data["scope"] == "local" and entity.type in LOCATED:
            _add_edge(graph, node, place, "LOCATED_IN", mention_evidence)
        if entity.concept:
            concept = concept_by_id(entity.concept)
            concept_node = resolve.concept_node_id(concept.id)
            if concept_node not in graph:
                graph.add_node(
                    concept_node,
                    label="Concept",
                    name=concept.name,
                    name_en=concept.name_en,
                    kind=concept.kind,
                    aliases=sorted(concept.variants),
                )
            _add_edge(graph, node, concept_node, "INSTANCE_OF", mention_evidence)
    _add_edge(graph, report_node, ids[extraction.bureau], "ISSUED_BY", [])
    for relation in extraction.relations:
        _add_edge(
            graph,
            ids[relation.source],
            ids[relation.target],
            relation.type,
            [rows.row(e) for e in relation.evidence],
        )


def _finish(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    for _, data in graph.nodes(data=True):
        if "mentions" in data:
            data["mentions"].sort(key=lambda m: (m["report"], m["start"], m["end"]))
    return graph


def build_graph(extractions: Iterable[Extraction]) -> nx.MultiDiGraph:
    """One graph from many reports' extractions; the result does not depend on their order."""
    graph = nx.MultiDiGraph()
    for extraction in extractions:
        add_extraction(graph, extraction)
    return _finish(graph)


def extract_path(path: str | Path) -> Extraction:
    """Read and extract one report file; raises InputError for a file that cannot be read."""
    return extract(read_report(path))


def _extract_or_fail(path: Path) -> Extraction | Failure:
    try:
        return extract_path(path)
    except InputError as error:
        return Failure(error.path, error.reason)


def iter_extractions(paths: Sequence[Path], workers: int = 1) -> Iterator[Extraction | Failure]:
    """Each report's extraction, or its failure, in the order of ``paths``."""
    if workers > 1 and len(paths) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield from pool.map(_extract_or_fail, paths, chunksize=max(1, len(paths) // (workers * 8)))
    else:
        yield from map(_extract_or_fail, paths)


def build_from_paths(
    paths: Iterable[str | Path],
    workers: int = 1,
    progress: Callable[[], None] | None = None,
    on_extraction: Callable[[Extraction], None] | None = None,
    keep_extractions: bool = True,
) -> BuildResult:
    """The main job: find reports under ``paths``, read, extract, resolve, build the graph.

    Each extraction goes into the graph as it arrives and is handed to ``on_extraction``;
    with ``keep_extractions=False`` none is kept, so memory holds only the graph.
    """
    from edukg.ingest import find_reports

    graph = nx.MultiDiGraph()
    kept: list[Extraction] = []
    failures: list[Failure] = []
    read = 0
    for outcome in iter_extractions(find_reports(paths), workers):
        if isinstance(outcome, Failure):
            failures.append(outcome)
        else:
            read += 1
            add_extraction(graph, outcome)
            if on_extraction:
                on_extraction(outcome)
            if keep_extractions:
                kept.append(outcome)
        if progress:
            progress()
    return BuildResult(_finish(graph), tuple(kept), tuple(failures), read)
