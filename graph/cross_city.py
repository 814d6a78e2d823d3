"""The analysts' cross-city view as data: which places state which initiatives, which
places are alike, and the values of one indicator family side by side.

A place runs an initiative when one of its reports does: the Report node is an instance
of the initiative's Concept (the report names it), or an entity the report mentions is.
The place of a report is where its own bureau is located (as the queries of
``queries/`` have it). ``edukg.graph.render_html`` draws the result as ``compare.html``.

>>> import networkx as nx
>>> view = cross_city(nx.MultiDiGraph())
>>> view.places, view.links
((), ())
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

LINKS_PER_PLACE = 5  # each place keeps its strongest links ...
MAX_LINKS = 600  # ... and the view keeps this many of all those, the strongest first
EVIDENCE_PER_CELL = 12  # sentences kept for one place and initiative
_BLOCK = 512  # places whose overlaps are counted at once (memory: _BLOCK x places integers)


@dataclass(frozen=True, slots=True)
class Place:
    """A report's own jurisdiction; ``name`` tells a masked or unnamed one by its reports."""

    id: str
    name: str
    province: str
    city: str
    level: str
    reports: tuple[str, ...]  # source file names


@dataclass(frozen=True, slots=True)
class Initiative:
    id: str
    name: str
    name_en: str
    domain: str
    kind: str  # initiative or discovered


@dataclass(frozen=True, slots=True)
class Cell:
    """The reports of a place that state an initiative, and sentences that say so."""

    place: int  # index into CrossCity.places
    initiative: int  # index into CrossCity.initiatives
    reports: tuple[str, ...]
    evidence: tuple[tuple[str, str], ...]  # (report file, sentence)


@dataclass(frozen=True, slots=True)
class Link:
    """Two places that run initiatives in common: how many, and Jaccard (shared / either)."""

    a: int
    b: int
    shared: tuple[int, ...]  # indexes into CrossCity.initiatives
    jaccard: float


@dataclass(frozen=True, slots=True)
class MetricRow:
    family: str
    family_name: str
    place: int
    year: int | None
    indicator: str
    value: str
    unit: str
    numeric: float | None
    report: str


@dataclass(frozen=True, slots=True)
class CrossCity:
    """Places sorted by province then name, initiatives by domain then name."""

    places: tuple[Place, ...]
    initiatives: tuple[Initiative, ...]
    cells: tuple[Cell, ...]
    links: tuple[Link, ...]  # the strongest, at most MAX_LINKS
    metrics: tuple[MetricRow, ...]
    linked_pairs: int  # pairs of places sharing an initiative, before the cut


def _out(graph: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    return [target for _, target, key in graph.out_edges(node, keys=True) if key == kind]


def report_places(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Report node -> its own Jurisdiction node: where its bureau is located, else the
    innermost jurisdiction that holds the report."""
    found = {}
    holding: dict[str, set[str]] = defaultdict(set)
    for node, attrs in graph.nodes(data=True):
        if attrs["label"] == "Jurisdiction":
            for report in attrs.get("reports", ()):
                holding[report].add(node)
    for report, label in graph.nodes(data="label"):
        if label != "Report":
            continue
        located = [
            place
            for bureau in _out(graph, report, "ISSUED_BY")
            for place in _out(graph, bureau, "LOCATED_IN")
        ]
        if located:
            found[report] = located[0]
            continue
        places = holding.get(report, set())
        outer = {above for place in places for above in _out(graph, place, "LOCATED_IN")}
        inner = sorted(places - outer)
        if inner:
            found[report] = inner[0]
    return found


def _place(graph: nx.MultiDiGraph, node: str, reports: list[str]) -> Place:
    attrs = graph.nodes[node]
    sources = tuple(sorted(graph.nodes[report].get("source", report) for report in reports))
    first = graph.nodes[min(reports)] if reports else {}
    name = attrs["name"] or "未具名"
    if attrs.get("masked") or not attrs["name"]:
        name = f"{name} ({', '.join(sources)})"
    return Place(
        node,
        name,
        attrs.get("province") or first.get("province", ""),
        attrs.get("city") or first.get("city", ""),
        attrs.get("level", ""),
        sources,
    )


def statements(graph: nx.MultiDiGraph, places: dict[str, str]) -> dict[tuple[str, str], dict[str, list[str]]]:
    """(place node, concept node) -> report node -> the sentences of that report that state
    the initiative (body concepts are no initiatives)."""
    found: dict[tuple[str, str], dict[str, list[str]]] = defaultdict(dict)
    for source, concept, key, data in graph.edges(keys=True, data=True):
        if key != "INSTANCE_OF" or graph.nodes[concept].get("kind") == "body":
            continue
        reports = (
            [source] if graph.nodes[source]["label"] == "Report" else _out(graph, source, "MENTIONED_IN")
        )
        for report in reports:
            if report not in places:
                continue
            sentences = found[places[report], concept].setdefault(report, [])
            for row in data.get("evidence") or ():
                if row["report"] == report and row["text"] not in sentences:
                    sentences.append(row["text"])
    return found


def cross_city(
    graph: nx.MultiDiGraph, max_links: int = MAX_LINKS, links_per_place: int = LINKS_PER_PLACE
) -> CrossCity:
    """The matrix, the links and the metric table of ``graph``."""
    places_of = report_places(graph)
    stated = statements(graph, places_of)
    by_place: dict[str, list[str]] = defaultdict(list)
    for report, place in places_of.items():
        by_place[place].append(report)
    places = sorted(
        (_place(graph, node, reports) for node, reports in by_place.items()),
        key=lambda place: (place.province == "", place.province, place.city, place.name, place.id),
    )
    concepts = {concept for _, concept in stated}
    initiatives = sorted(
        (
            Initiative(
                node,
                graph.nodes[node]["name"],
                graph.nodes[node].get("name_en") or "",
                graph.nodes[node].get("domain") or "",
                graph.nodes[node].get("kind", ""),
            )
            for node in concepts
        ),
        key=lambda item: (item.domain == "", item.domain, item.name, item.id),
    )
    place_index = {place.id: index for index, place in enumerate(places)}
    initiative_index = {item.id: index for index, item in enumerate(initiatives)}
    cells = tuple(
        sorted(
            (
                Cell(
                    place_index[place],
                    initiative_index[concept],
                    tuple(sorted(graph.nodes[report].get("source", report) for report in reports)),
                    tuple(
                        (graph.nodes[report].get("source", report), sentence)
                        for report in sorted(reports)
                        for sentence in reports[report]
                    )[:EVIDENCE_PER_CELL],
                )
                for (place, concept), reports in stated.items()
            ),
            key=lambda cell: (cell.place, cell.initiative),
        )
    )
    links, linked = _links(cells, len(places), len(initiatives), max_links, links_per_place)
    return CrossCity(
        tuple(places), tuple(initiatives), cells, links, _metrics(graph, places_of, place_index), linked
    )


def _links(
    cells: Iterable[Cell], places: int, initiatives: int, max_links: int, per_place: int
) -> tuple[tuple[Link, ...], int]:
    """The strongest links between places (each place's ``per_place`` strongest, then the
    ``max_links`` strongest of those), and how many pairs share anything at all."""
    runs = np.zeros((places, initiatives), dtype=np.int32)
    for cell in cells:
        runs[cell.place, cell.initiative] = 1
    sizes = runs.sum(axis=1)
    chosen: set[tuple[int, int]] = set()
    linked = 0
    for start in range(0, places, _BLOCK):
        shared = runs[start : start + _BLOCK] @ runs.T
        for offset, row in enumerate(shared):
            place = start + offset
            row[place] = 0
            others = np.flatnonzero(row)
            linked += int(np.count_nonzero(others > place))
            if not len(others):
                continue
            jaccard = row[others] / (sizes[place] + sizes[others] - row[others])
            strongest = np.lexsort((others, -row[others], -jaccard))[:per_place]
            chosen.update((min(place, int(other)), max(place, int(other))) for other in others[strongest])
    links = []
    for a, b in chosen:
        shared_initiatives = tuple(int(index) for index in np.flatnonzero(runs[a] & runs[b]))
        union = int(sizes[a] + sizes[b]) - len(shared_initiatives)
        links.append(Link(a, b, shared_initiatives, round(len(shared_initiatives) / union, 3)))
    links.sort(key=lambda link: (-link.jaccard, -len(link.shared), link.a, link.b))
    return tuple(links[:max_links]), linked


def _metrics(
    graph: nx.MultiDiGraph, places_of: dict[str, str], place_index: dict[str, int]
) -> tuple[MetricRow, ...]:
    """Every metric of a family whose report has a place, by family, place and indicator."""
    rows = []
    for _, attrs in graph.nodes(data=True):
        if attrs["label"] != "Metric" or not attrs.get("family"):
            continue
        for report in attrs.get("reports", ()):
            if report in places_of:
                rows.append(
                    MetricRow(
                        attrs["family"],
                        attrs.get("family_name", ""),
                        place_index[places_of[report]],
                        attrs.get("year"),
                        attrs["name"],
                        attrs.get("value", ""),
                        attrs.get("unit", ""),
                        attrs.get("numeric"),
                        graph.nodes[report].get("source", report),
                    )
                )
    rows.sort(key=lambda row: (row.family, row.place, row.indicator, row.value, row.report))
    return tuple(rows)


def to_json(view: CrossCity) -> dict[str, Any]:
    """The view as plain values for the page: lists of lists, short keys, indexes for places."""
    return {
        "places": [[p.name, p.province, p.city, p.level, list(p.reports)] for p in view.places],
        "initiatives": [[i.name, i.name_en, i.domain, i.kind] for i in view.initiatives],
        "cells": [
            [c.place, c.initiative, list(c.reports), [list(e) for e in c.evidence]] for c in view.cells
        ],
        "links": [[link.a, link.b, list(link.shared), link.jaccard] for link in view.links],
        "linkedPairs": view.linked_pairs,
        "metrics": [
            [m.family, m.family_name, m.place, m.year, m.indicator, m.value, m.unit, m.numeric, m.report]
            for m in view.metrics
        ],
    }
