"""Every catalogue query on a real FalkorDB holding the sample reports' graph.

Each query's rows are compared with what the networkx graph that the pipeline built
from the same reports says they must be (computed here in Python, independently of
Cypher); a few tests also check facts the reports state in so many words.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from edukg.errors import StoreError
from edukg.graph.load_store import load_graph
from edukg.graph.store import Statement
from edukg.queries.catalogue import ALL_ROWS, LIMIT, Query, catalogue, load
from edukg.queries.run_query import run

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
INITIATIVES = ("Programme", "Campaign", "Policy")
SEMANTIC = ("RESPONSIBLE_FOR", "PART_OF", "MEASURED_BY")
PATH_TYPES = ("RESPONSIBLE_FOR", "PART_OF", "MEASURED_BY", "LOCATED_IN", "ISSUED_BY", "INSTANCE_OF")


def rows(store: Any, name: str, **overrides: Any) -> list[dict[str, Any]]:
    """Every row of query ``name`` (not only the first of its default limit)."""
    query = load(name)
    return run(query, every_row(query, overrides), store).records()


# Queries whose expectation below takes the limit and cuts its rows itself: the others are
# compared row for row with every row they have, their limit aside.
CUT_BY_EXPECTATION = ("most_connected", "similar_places")


def every_row(query: Query, overrides: dict[str, Any]) -> dict[str, Any]:
    return {**query.defaults(), LIMIT: ALL_ROWS, **overrides}


def expectation_arguments(query: Query, parameters: dict[str, Any]) -> list[Any]:
    """The parameter values an expectation function takes, in the header's order."""
    return [v for k, v in parameters.items() if k != LIMIT or query.name in CUT_BY_EXPECTATION]


# ---------------------------------------------------------------- the graph, read in Python


def label(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node]["label"]


def name(graph: nx.MultiDiGraph, node: str) -> str:
    return graph.nodes[node]["name"]


def edges(graph: nx.MultiDiGraph, kind: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    return ((a, b, data) for a, b, key, data in graph.edges(keys=True, data=True) if key == kind)


def out(graph: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    return [b for _, b, key in graph.out_edges(node, keys=True) if key == kind]


def into(graph: nx.MultiDiGraph, node: str, kind: str) -> list[str]:
    return [a for a, _, key in graph.in_edges(node, keys=True) if key == kind]


def sources(graph: nx.MultiDiGraph, report_ids: Any) -> tuple[str, ...]:
    return tuple(sorted(graph.nodes[report]["source"] for report in report_ids if report in graph))


def mentioned_in(graph: nx.MultiDiGraph, node: str) -> tuple[str, ...]:
    return sources(graph, out(graph, node, "MENTIONED_IN"))


def number(value: Any) -> Any:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else value


def city_label(graph: nx.MultiDiGraph, place: str, report: str) -> str:
    data = graph.nodes[place]
    return f"{data['name']} ({graph.nodes[report]['source']})" if data["masked"] else data["name"]


def cities(graph: nx.MultiDiGraph) -> dict[str, str]:
    """Jurisdiction node -> how the queries name it (a masked one with its report's file)."""
    return {
        place: city_label(graph, place, report)
        for report, bureau, _ in edges(graph, "ISSUED_BY")
        for place in out(graph, bureau, "LOCATED_IN")
    }


def runs(graph: nx.MultiDiGraph) -> list[tuple[str, str, str]]:
    """(city, bureau node, initiative node): a bureau located in the city is responsible for it."""
    return [
        (city, bureau, initiative)
        for place, city in cities(graph).items()
        for bureau in into(graph, place, "LOCATED_IN")
        if label(graph, bureau) == "Bureau"
        for initiative in out(graph, bureau, "RESPONSIBLE_FOR")
    ]


def concepts_of(graph: nx.MultiDiGraph, node: str) -> list[str]:
    return [c for c in out(graph, node, "INSTANCE_OF") if label(graph, c) == "Concept"]


# ---------------------------------------------------------------- expected rows, per query


def expect_bureau_responsibilities(graph, bureau):
    return [
        (name(graph, b), graph.nodes[b]["jurisdiction"], label(graph, i), name(graph, i), d["status"],
         sources(graph, d["reports"]))
        for b, i, d in edges(graph, "RESPONSIBLE_FOR")
        if label(graph, b) == "Bureau" and bureau in name(graph, b) and label(graph, i) in INITIATIVES
    ]  # fmt: skip


def _part_of_trails(graph, part):
    """Every PART_OF trail from ``part`` upwards (no edge twice), as its list of nodes."""
    stack = [(part, [part], frozenset())]
    while stack:
        node, path, used = stack.pop()
        for _, parent, key in graph.out_edges(node, keys=True):
            if key == "PART_OF" and (node, parent) not in used:
                trail = [*path, parent]
                yield trail
                stack.append((parent, trail, used | {(node, parent)}))


def expect_part_of_tree(graph, root):
    found = []
    for part in graph.nodes:
        for trail in _part_of_trails(graph, part):
            top = trail[-1]
            is_root = root in name(graph, top) if root else not out(graph, top, "PART_OF")
            if is_root:
                found.append((name(graph, top), label(graph, top), len(trail) - 1, name(graph, part),
                              label(graph, part), name(graph, trail[1]), mentioned_in(graph, part)))  # fmt: skip
    return found


def expect_initiative_metrics(graph, initiative):
    return [
        (name(graph, e), label(graph, e), name(graph, m), graph.nodes[m]["value"], graph.nodes[m]["unit"],
         number(graph.nodes[m]["numeric"]), graph.nodes[m]["masked"], graph.nodes[m]["comparison"], report)
        for e, m, _ in edges(graph, "MEASURED_BY")
        if initiative in name(graph, e)
        for report in mentioned_in(graph, m)
    ]  # fmt: skip


def expect_shared_initiatives(graph, min_cities):
    by_concept = defaultdict(lambda: (set(), set()))
    for city, _, initiative in runs(graph):
        for concept in concepts_of(graph, initiative):
            if graph.nodes[concept]["kind"] == "initiative":
                by_concept[concept][0].add(city)
                by_concept[concept][1].add(name(graph, initiative))
    return [
        (name(graph, c), graph.nodes[c]["name_en"], len(found), frozenset(found), frozenset(names))
        for c, (found, names) in by_concept.items()
        if len(found) >= min_cities
    ]


def _initiative_runs(graph):
    """(key, city, type, name, concept name, bureau name); key is the concept, else the node."""
    for city, bureau, initiative in runs(graph):
        if label(graph, initiative) in INITIATIVES:
            for concept in concepts_of(graph, initiative) or [None]:
                concept_name = name(graph, concept) if concept else None
                yield (concept or initiative, city, label(graph, initiative), name(graph, initiative),
                       concept_name, name(graph, bureau))  # fmt: skip


def expect_single_city_initiatives(graph, city):
    cities_of = defaultdict(set)
    for key, place, *_ in _initiative_runs(graph):
        cities_of[key].add(place)
    grouped = defaultdict(set)
    for key, place, kind, initiative, concept, bureau in _initiative_runs(graph):
        if len(cities_of[key]) == 1 and city in place:
            grouped[place, kind, initiative, concept or ""].add(bureau)
    return [(*key, frozenset(bureaus)) for key, bureaus in grouped.items()]


def expect_city_similarity(graph, city_a, city_b):
    portfolio, named = defaultdict(set), defaultdict(set)
    for key, place, _, _, concept, _ in _initiative_runs(graph):
        portfolio[place].add(concept or key)
        if concept:
            named[place].add(concept)
    found = []
    for a in portfolio:
        for b in portfolio:
            if a < b and ((city_a in a and city_b in b) or (city_b in a and city_a in b)):
                shared = portfolio[a] & portfolio[b]
                total = len(portfolio[a] | portfolio[b])
                found.append((a, b, len(shared), total, math.floor(1000 * len(shared) / total + 0.5),
                              frozenset(named[a] & shared)))  # fmt: skip
    return found


def expect_planned_vs_reported(graph, report):
    found = []
    for node, data in graph.nodes(data=True):
        if data["label"] == "Report" and (report in data["source"] or report in data["title"]):
            mentions = [(i, d["status"]) for i, _, d in graph.in_edges(node, data=True)
                        if d["type"] == "MENTIONED_IN" and label(graph, i) in INITIATIVES]  # fmt: skip
            planned = sorted(name(graph, i) for i, status in mentions if status == "planned")
            reported = sum(status == "reported" for _, status in mentions)
            if mentions:
                found.append(
                    (data["source"], data["bureau"], reported, len(planned), len(mentions), tuple(planned))
                )
    return found


def expect_bureau_policies(graph, bureau):
    found = []
    for node, data in graph.nodes(data=True):
        if data["label"] == "Bureau" and bureau in data["name"]:
            policies = {
                name(graph, p) for p in out(graph, node, "RESPONSIBLE_FOR") if label(graph, p) == "Policy"
            }
            if policies:
                found.append((data["name"], data["jurisdiction"], len(policies), frozenset(policies)))
    return found


def _sentences(graph, node):
    return {(m["report"], m["sentence"]) for m in graph.nodes[node].get("mentions", [])}


def expect_programme_institutions(graph, programme):
    part_of = nx.DiGraph((a, b) for a, b, _ in edges(graph, "PART_OF"))
    institutions = [n for n in graph.nodes if label(graph, n) == "Institution"]
    found = []
    for top in graph.nodes:
        if label(graph, top) != "Programme" or programme not in name(graph, top):
            continue
        items = {top} | (nx.ancestors(part_of, top) if top in part_of else set())
        for institution in institutions:
            how, reports = set(), set()
            for item in items - {institution}:
                links = [*graph.get_edge_data(item, institution, default={}).values(),
                         *graph.get_edge_data(institution, item, default={}).values()]  # fmt: skip
                shared = {report for report, _ in _sentences(graph, item) & _sentences(graph, institution)}
                how |= {d["type"] for d in links}
                if not links and shared:
                    how.add("same sentence")
                for d in links:
                    reports |= set(d["reports"])
                reports |= shared
            if how:
                found.append((name(graph, top), name(graph, institution), frozenset(how),
                              frozenset(sources(graph, reports))))  # fmt: skip
    return found


def _degree(graph, node):
    linked = [d for *_, d in graph.in_edges(node, data=True)] + [
        d for *_, d in graph.out_edges(node, data=True)
    ]
    return [d["type"] for d in linked if d["type"] not in ("MENTIONED_IN", "INSTANCE_OF")]


def expect_most_connected(graph, limit):
    ranked = sorted(
        (
            (-len(_degree(graph, n)), -len(d["reports"]), d["name"], n)
            for n, d in graph.nodes(data=True)
            if d["label"] in INITIATIVES and _degree(graph, n)
        ),
    )[:limit]
    return [(d_name, -degree, -reports) for degree, reports, d_name, _ in ranked]


def _named(graph, text):
    return [
        n for n, d in graph.nodes(data=True)
        if d["label"] != "Report" and (d["name"] == text or text in d.get("aliases", []))
    ]  # fmt: skip


def expect_shortest_path(graph, source, target):
    undirected = nx.Graph((a, b) for a, b, key in graph.edges(keys=True) if key in PATH_TYPES)
    found = []
    for a in _named(graph, source):
        for b in _named(graph, target):
            if a != b and a in undirected and b in undirected and nx.has_path(undirected, a, b):
                hops = nx.shortest_path_length(undirected, a, b)
                if hops <= 8:
                    found.append((name(graph, a), label(graph, a), mentioned_in(graph, a), name(graph, b),
                                  label(graph, b), mentioned_in(graph, b), hops))  # fmt: skip
    return sorted(found, key=lambda row: (row[6], row[0], row[3]))[:10]


def expect_fact_evidence(graph, source, target, relation):
    return [
        (name(graph, a), d["type"], name(graph, b), graph.nodes[e["report"]]["source"], e["sentence"], e["status"],
         e["text"])
        for a, b, d in graph.edges(data=True)
        if source in name(graph, a) and target in name(graph, b) and relation in ("", d["type"])
        and label(graph, b) != "Report"
        for e in d["evidence"]
    ]  # fmt: skip


def expect_audit_unrelated_entities(graph, type):
    return [
        (d["label"], d["name"], d.get("jurisdiction"), mentioned_in(graph, n))
        for n, d in graph.nodes(data=True)
        if out(graph, n, "MENTIONED_IN") and type in ("", d["label"])
        and not any(k in SEMANTIC for *_, k in [*graph.in_edges(n, keys=True), *graph.out_edges(n, keys=True)])
    ]  # fmt: skip


def expect_audit_masked_metrics(graph, report):
    return [
        (source, d["name"], d["value"], d["unit"], tuple(sorted(name(graph, e) for e in into(graph, n, "MEASURED_BY"))))
        for n, d in graph.nodes(data=True)
        if d["label"] == "Metric" and d["masked"]
        for source in mentioned_in(graph, n)
        if report in source
    ]  # fmt: skip


def expect_audit_reports_without_responsibilities(graph):
    found = []
    for report, bureau, _ in edges(graph, "ISSUED_BY"):
        responsible = [d for _, _, d in graph.out_edges(bureau, data=True) if d["type"] == "RESPONSIBLE_FOR"]
        if not any(report in d["reports"] for d in responsible):
            data = graph.nodes[report]
            found.append((data["source"], data["title"], name(graph, bureau), len(responsible)))
    return found


def expect_report_overview(graph):
    found = []
    for n, d in graph.nodes(data=True):
        if d["label"] == "Report":
            counts = Counter(label(graph, e) for e in into(graph, n, "MENTIONED_IN"))
            found.append((d["source"], d["title"], d["bureau"], d["jurisdiction"], d["level"], d["masked"],
                          *(counts[t] for t in ("Bureau", "Institution", "Programme", "Policy", "Campaign",
                                                "Metric"))))  # fmt: skip
    return found


def expect_find_entity(graph, text):
    return [
        (d["label"], d["name"], mentioned_in(graph, n), n)
        for n, d in graph.nodes(data=True)
        if out(graph, n, "MENTIONED_IN")
        and (text in d["name"] or any(text in a for a in d.get("aliases", [])))
    ]


def expect_concept_instances(graph, concept):
    found = []
    for initiative, c, _ in edges(graph, "INSTANCE_OF"):
        data = graph.nodes[c]
        if concept not in data["name"] and concept not in data["name_en"]:
            continue
        for report in out(graph, initiative, "MENTIONED_IN"):
            for bureau in out(graph, report, "ISSUED_BY"):
                for place in out(graph, bureau, "LOCATED_IN"):
                    bodies = {name(graph, body) for body, _, d in graph.in_edges(initiative, data=True)
                              if d["type"] == "RESPONSIBLE_FOR" and report in d["reports"]}  # fmt: skip
                    node = graph.nodes[initiative]
                    found.append((data["name"], city_label(graph, place, report), node["label"], node["name"],
                                  node["scope"], node["status"], frozenset(bodies)))  # fmt: skip
    return found


def expect_person_roles(graph, person):
    return [
        (d["name"], frozenset(name(graph, b) for b in out(graph, n, "PART_OF")),
         frozenset(name(graph, w) for w in out(graph, n, "RESPONSIBLE_FOR")), mentioned_in(graph, n))
        for n, d in graph.nodes(data=True)
        if d["label"] == "Person" and person in d["name"]
    ]  # fmt: skip


def expect_metric_comparison(graph, indicator, include_masked):
    return [
        (d["name"], d["value"], number(d["numeric"]), d["unit"], d["masked"], d["comparison"],
         tuple(sorted(name(graph, e) for e in into(graph, n, "MEASURED_BY"))), source)
        for n, d in graph.nodes(data=True)
        if d["label"] == "Metric" and indicator in d["name"] and (include_masked or not d["masked"])
        for source in mentioned_in(graph, n)
    ]  # fmt: skip


# ---------------------------------------------------------------- the cross-city questions


def statements(graph):
    """(place, report node, concept node) -> the sentences of the report that state the
    initiative: the report is an instance of it, or an entity it mentions is."""
    place_of = {
        report: city_label(graph, place, report)
        for report, bureau, _ in edges(graph, "ISSUED_BY")
        for place in out(graph, bureau, "LOCATED_IN")
    }
    found = defaultdict(set)
    for source, concept, data in edges(graph, "INSTANCE_OF"):
        if graph.nodes[concept]["kind"] == "body":
            continue
        reports = [source] if label(graph, source) == "Report" else out(graph, source, "MENTIONED_IN")
        for report in reports:
            if report in place_of:
                found[place_of[report], report, concept].update(
                    row["text"] for row in data["evidence"] if row["report"] == report
                )
    return found


def _matches(graph, concept, text, aliases=True):
    data = graph.nodes[concept]
    names = [data["name"], data.get("name_en") or "", *(data.get("aliases", []) if aliases else [])]
    return any(text in name for name in names)


def expect_initiative_places(graph, initiative):
    grouped = defaultdict(lambda: (set(), set(), set()))
    for (place, report, concept), sentences in statements(graph).items():
        if _matches(graph, concept, initiative):
            reports, provinces, evidence = grouped[concept, place]
            reports.add(graph.nodes[report]["source"])
            provinces.add(graph.nodes[report].get("province", ""))
            evidence.update(sentences)
    return [
        (name(graph, c), graph.nodes[c]["kind"], graph.nodes[c].get("domain", ""), min(provinces), place,
         frozenset(reports), frozenset(evidence))
        for (c, place), (reports, provinces, evidence) in grouped.items()
    ]  # fmt: skip


def _evidence_by_place(graph):
    """concept -> place -> the sentences its reports state the initiative in."""
    by_concept = defaultdict(lambda: defaultdict(set))
    for (place, _, concept), sentences in statements(graph).items():
        by_concept[concept][place].update(sentences)
    return by_concept


def expect_shared_by_two_places(graph, place_a, place_b):
    return [
        (a, b, name(graph, c), graph.nodes[c]["kind"], graph.nodes[c].get("domain", ""),
         frozenset(places[a]), frozenset(places[b]))
        for c, places in _evidence_by_place(graph).items()
        for a in places
        for b in places
        if a < b and ((place_a in a and place_b in b) or (place_b in a and place_a in b))
    ]  # fmt: skip


def expect_similar_places(graph, place, limit):
    portfolio = defaultdict(set)
    for place_name, _, concept in statements(graph):
        portfolio[place_name].add(name(graph, concept))
    pairs = []
    for a in portfolio:
        for b in portfolio:
            shared = portfolio[a] & portfolio[b]
            if a < b and (place in a or place in b) and shared:
                total = len(portfolio[a] | portfolio[b])
                jaccard = math.floor(1000 * len(shared) / total + 0.5)
                pairs.append((a, b, len(shared), total, jaccard, frozenset(shared)))
    return sorted(pairs, key=lambda pair: (-pair[4], -pair[2], pair[0], pair[1]))[:limit]


def expect_initiatives_by_year(graph, initiative):
    grouped = defaultdict(lambda: (set(), set()))
    for place, report, concept in statements(graph):
        year = graph.nodes[report].get("year")
        if year is not None and _matches(graph, concept, initiative, aliases=False):
            grouped[year, concept][0].add(place)
            grouped[year, concept][1].add(report)
    return [
        (year, name(graph, c), graph.nodes[c]["kind"], graph.nodes[c].get("domain", ""), len(places),
         len(reports), frozenset(places))
        for (year, c), (places, reports) in grouped.items()
    ]  # fmt: skip


def expect_indicator_across_places(graph, family):
    return [
        (d["family_name"], d["family"], graph.nodes[report].get("province", ""), place, d["year"], d["name"],
         d["value"], number(d["numeric"]), d["unit"], graph.nodes[report]["source"])
        for n, d in graph.nodes(data=True)
        if d["label"] == "Metric" and d["family"]
        and any(family in text for text in (d["family"], d["family_name"], d["name"]))
        for report in out(graph, n, "MENTIONED_IN")
        for bureau in out(graph, report, "ISSUED_BY")
        for place in [city_label(graph, j, report) for j in out(graph, bureau, "LOCATED_IN")]
    ]  # fmt: skip


def _sorted(value):
    return tuple(sorted(value))


# query name, parameter overrides, expected rows from the graph, a row's comparable key
CASES: list[tuple[str, dict[str, Any], Callable[..., list], Callable[[dict], tuple]]] = [
    ("bureau_responsibilities", {"bureau": "区教育局"}, expect_bureau_responsibilities,
     lambda r: (r["bureau"], r["jurisdiction"], r["type"], r["initiative"], r["status"], _sorted(r["reports"]))),
    ("bureau_responsibilities", {}, expect_bureau_responsibilities,
     lambda r: (r["bureau"], r["jurisdiction"], r["type"], r["initiative"], r["status"], _sorted(r["reports"]))),
    ("part_of_tree", {}, expect_part_of_tree,
     lambda r: (r["root"], r["root_type"], r["depth"], r["part"], r["type"], r["parent"], _sorted(r["reports"]))),
    ("part_of_tree", {"root": "市委"}, expect_part_of_tree,
     lambda r: (r["root"], r["root_type"], r["depth"], r["part"], r["type"], r["parent"], _sorted(r["reports"]))),
    ("initiative_metrics", {}, expect_initiative_metrics,
     lambda r: (r["entity"], r["type"], r["indicator"], r["value"], r["unit"], number(r["numeric"]), r["masked"],
                r["comparison"], r["report"])),
    ("shared_initiatives", {}, expect_shared_initiatives,
     lambda r: (r["concept"], r["concept_en"], r["city_count"], frozenset(r["cities"]), frozenset(r["initiatives"]))),
    ("shared_initiatives", {"min_cities": 1}, expect_shared_initiatives,
     lambda r: (r["concept"], r["concept_en"], r["city_count"], frozenset(r["cities"]), frozenset(r["initiatives"]))),
    ("single_city_initiatives", {}, expect_single_city_initiatives,
     lambda r: (r["city"], r["type"], r["initiative"], r["concept"], frozenset(r["bureaus"]))),
    ("single_city_initiatives", {"city": "002_"}, expect_single_city_initiatives,
     lambda r: (r["city"], r["type"], r["initiative"], r["concept"], frozenset(r["bureaus"]))),
    ("city_similarity", {}, expect_city_similarity,
     lambda r: (r["city_a"], r["city_b"], r["shared"], r["total"], round(r["similarity"] * 1000),
                frozenset(r["shared_initiatives"]))),
    ("city_similarity", {"city_a": "000_", "city_b": "004_"}, expect_city_similarity,
     lambda r: (r["city_a"], r["city_b"], r["shared"], r["total"], round(r["similarity"] * 1000),
                frozenset(r["shared_initiatives"]))),
    ("planned_vs_reported", {}, expect_planned_vs_reported,
     lambda r: (r["report"], r["bureau"], r["reported"], r["planned"], r["total"],
                _sorted(r["planned_initiatives"]))),
    ("bureau_policies", {}, expect_bureau_policies,
     lambda r: (r["bureau"], r["jurisdiction"], r["policy_count"], frozenset(r["policies"]))),
    ("programme_institutions", {}, expect_programme_institutions,
     lambda r: (r["programme"], r["institution"], frozenset(r["how"]), frozenset(r["reports"]))),
    ("most_connected", {}, expect_most_connected, lambda r: (r["initiative"], r["degree"], r["reports"])),
    ("most_connected", {"limit": 3}, expect_most_connected, lambda r: (r["initiative"], r["degree"], r["reports"])),
    ("shortest_path", {}, expect_shortest_path,
     lambda r: (r["source"], r["source_type"], _sorted(r["source_reports"]), r["target"], r["target_type"],
                _sorted(r["target_reports"]), r["hops"])),
    ("shortest_path", {"source": "市教育局", "target": "双一流建设"}, expect_shortest_path,
     lambda r: (r["source"], r["source_type"], _sorted(r["source_reports"]), r["target"], r["target_type"],
                _sorted(r["target_reports"]), r["hops"])),
    ("fact_evidence", {}, expect_fact_evidence,
     lambda r: (r["source"], r["relation"], r["target"], r["report"], r["sentence"], r["status"], r["text"])),
    ("fact_evidence", {"source": "", "target": "", "relation": "PART_OF"}, expect_fact_evidence,
     lambda r: (r["source"], r["relation"], r["target"], r["report"], r["sentence"], r["status"], r["text"])),
    ("audit_unrelated_entities", {}, expect_audit_unrelated_entities,
     lambda r: (r["type"], r["entity"], r["jurisdiction"], _sorted(r["reports"]))),
    ("audit_masked_metrics", {}, expect_audit_masked_metrics,
     lambda r: (r["report"], r["indicator"], r["value"], r["unit"], _sorted(r["measures"]))),
    ("audit_reports_without_responsibilities", {}, expect_audit_reports_without_responsibilities,
     lambda r: (r["report"], r["title"], r["bureau"], r["responsibilities_elsewhere"])),
    ("report_overview", {}, expect_report_overview,
     lambda r: (r["report"], r["title"], r["bureau"], r["jurisdiction"], r["level"], r["masked"], r["bureaus"],
                r["institutions"], r["programmes"], r["policies"], r["campaigns"], r["metrics"])),
    ("find_entity", {}, expect_find_entity, lambda r: (r["type"], r["name"], _sorted(r["reports"]), r["id"])),
    ("concept_instances", {}, expect_concept_instances,
     lambda r: (r["concept"], r["city"], r["type"], r["initiative"], r["scope"], r["status"],
                frozenset(r["responsible"]))),
    ("person_roles", {}, expect_person_roles,
     lambda r: (r["person"], frozenset(r["bodies"]), frozenset(r["responsible_for"]), _sorted(r["reports"]))),
    ("metric_comparison", {}, expect_metric_comparison,
     lambda r: (r["indicator"], r["value"], number(r["numeric"]), r["unit"], r["masked"], r["comparison"],
                _sorted(r["measures"]), r["report"])),
    ("metric_comparison", {"indicator": "", "include_masked": False}, expect_metric_comparison,
     lambda r: (r["indicator"], r["value"], number(r["numeric"]), r["unit"], r["masked"], r["comparison"],
                _sorted(r["measures"]), r["report"])),
    ("initiative_places", {"initiative": ""}, expect_initiative_places,
     lambda r: (r["initiative"], r["kind"], r["domain"], r["province"], r["place"], frozenset(r["reports"]),
                frozenset(r["evidence"]))),
    ("initiative_places", {"initiative": "教育"}, expect_initiative_places,
     lambda r: (r["initiative"], r["kind"], r["domain"], r["province"], r["place"], frozenset(r["reports"]),
                frozenset(r["evidence"]))),
    ("shared_by_two_places", {}, expect_shared_by_two_places,
     lambda r: (r["place_a"], r["place_b"], r["initiative"], r["kind"], r["domain"], frozenset(r["evidence_a"]),
                frozenset(r["evidence_b"]))),
    ("shared_by_two_places", {"place_a": "市", "place_b": "市"}, expect_shared_by_two_places,
     lambda r: (r["place_a"], r["place_b"], r["initiative"], r["kind"], r["domain"], frozenset(r["evidence_a"]),
                frozenset(r["evidence_b"]))),
    ("similar_places", {}, expect_similar_places,
     lambda r: (r["place_a"], r["place_b"], r["shared"], r["total"], round(r["jaccard"] * 1000),
                frozenset(r["shared_initiatives"]))),
    ("similar_places", {"place": "市", "limit": 2}, expect_similar_places,
     lambda r: (r["place_a"], r["place_b"], r["shared"], r["total"], round(r["jaccard"] * 1000),
                frozenset(r["shared_initiatives"]))),
    ("initiatives_by_year", {}, expect_initiatives_by_year,
     lambda r: (r["year"], r["initiative"], r["kind"], r["domain"], r["place_count"], r["report_count"],
                frozenset(r["places"]))),
    ("indicator_across_places", {"family": ""}, expect_indicator_across_places,
     lambda r: (r["family"], r["family_id"], r["province"], r["place"], r["year"], r["indicator"], r["value"],
                number(r["numeric"]), r["unit"], r["report"])),
    ("indicator_across_places", {"family": "学位"}, expect_indicator_across_places,
     lambda r: (r["family"], r["family_id"], r["province"], r["place"], r["year"], r["indicator"], r["value"],
                number(r["numeric"]), r["unit"], r["report"])),
]  # fmt: skip


def test_every_query_has_a_case():
    assert {case[0] for case in CASES} == {query.name for query in catalogue()}


@pytest.mark.parametrize(
    ("name", "overrides", "expect", "key"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)]
)
def test_query_rows_match_the_graph(sample_store, sample_graph, name, overrides, expect, key):
    query = load(name)
    parameters = every_row(query, overrides)
    found = Counter(key(row) for row in run(query, parameters, sample_store).records())
    expected = Counter(expect(sample_graph, *expectation_arguments(query, parameters)))
    assert found == expected
    # The sample reports mask their years: initiatives_by_year is proven on the real reports below.
    no_rows = ("audit_reports_without_responsibilities", "initiatives_by_year")
    assert expected or name in no_rows, "the case proves nothing: no rows"


CROSS_CITY = ("initiative_places", "shared_by_two_places", "similar_places", "initiatives_by_year",
              "indicator_across_places")  # fmt: skip


@pytest.fixture(scope="module")
def real_graph():
    """The graph of the 27 real reports of tests/data/real (named places, years, indicators)."""
    from edukg.graph.build import build_from_paths

    return build_from_paths(sorted((ROOT / "tests" / "data" / "real" / "reports").glob("*.txt"))).graph


@pytest.fixture(scope="module")
def real_store(falkordb_server, real_graph):
    from edukg.graph.load_falkordb import FalkorStore

    store = FalkorStore.connect(falkordb_server.url, graph="queries_real")
    store.delete_graph()
    load_graph(real_graph, store)
    try:
        yield store
    finally:
        store.delete_graph()
        store.close()


@pytest.mark.parametrize(
    ("name", "overrides", "expect", "key"),
    [case for case in CASES if case[0] in CROSS_CITY],
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES) if c[0] in CROSS_CITY],
)
def test_cross_city_queries_on_the_real_reports(real_store, real_graph, name, overrides, expect, key):
    query = load(name)
    parameters = every_row(query, overrides)
    found = Counter(key(row) for row in run(query, parameters, real_store).records())
    expected = Counter(expect(real_graph, *expectation_arguments(query, parameters)))
    assert found == expected
    assert expected, "the case proves nothing: no rows"


def test_an_indicator_family_compares_places_of_named_provinces(real_store):
    rows_found = rows(real_store, "indicator_across_places", family="入园率")
    assert len({row["place"] for row in rows_found}) >= 2
    assert all(row["unit"] == "%" and row["family_id"] == "preschool-gross-enrolment" for row in rows_found)
    assert all(row["province"] and isinstance(row["year"], int) for row in rows_found)


@pytest.mark.parametrize("query", catalogue(), ids=[query.name for query in catalogue()])
def test_every_query_stops_at_its_limit(sample_store, query):
    """The declared default limit holds, and a smaller one gives rows of the whole answer."""
    broadest = {p.name: "" for p in query.parameters if isinstance(p.default, str)}
    whole = run(query, every_row(query, broadest), sample_store).rows
    assert len(run(query, {**query.defaults(), **broadest}, sample_store).rows) == min(
        len(whole), query.limit
    )
    first = run(query, {**query.defaults(), **broadest, LIMIT: 2}, sample_store).rows
    assert len(first) == min(len(whole), 2) and all(row in whole for row in first)


@pytest.mark.parametrize("query", catalogue(), ids=[query.name for query in catalogue()])
def test_query_returns_plain_values_in_its_declared_columns(sample_store, query):
    result = run(query, query.defaults(), sample_store)
    assert result.columns == query.columns
    plain = (str, int, float, bool, type(None))
    for row in result.rows:
        assert all(
            isinstance(v, plain) or (isinstance(v, list) and all(isinstance(x, plain) for x in v))
            for v in row
        )


# ---------------------------------------------------------------- facts the reports state


def report_text(source: str) -> str:
    return (ROOT / "data" / "reports" / source).read_text(encoding="utf-8")


def test_theme_education_is_shared_by_every_report_that_names_it(sample_store, sample_reports):
    naming = {path.name for path in sample_reports if "主题教育" in path.read_text(encoding="utf-8")}
    [theme] = [row for row in rows(sample_store, "shared_initiatives") if row["concept"] == "主题教育"]
    assert len(naming) == 4 and theme["city_count"] == len(naming)
    assert {city.rsplit("(", 1)[1].rstrip(")") for city in theme["cities"]} == naming


def test_each_reports_bureau_is_responsible_for_theme_education_work(sample_store, sample_reports):
    naming = {path.name for path in sample_reports if "主题教育" in path.read_text(encoding="utf-8")}
    found = {
        report
        for row in rows(sample_store, "bureau_responsibilities", bureau="教育局")
        if "主题教育" in row["initiative"]
        for report in row["reports"]
    }
    assert found == naming


def test_evidence_sentences_are_quoted_from_their_reports(sample_store):
    found = rows(sample_store, "fact_evidence", source="", target="", relation="")
    assert len({row["report"] for row in found}) == 5
    for row in found:
        assert row["text"] and row["text"] in report_text(row["report"])


def test_report_overview_names_each_reports_own_bureau(sample_store):
    bureaus = {row["report"]: row["bureau"] for row in rows(sample_store, "report_overview")}
    assert bureaus == {
        "000_f0396854c86e362e.txt": "市教育局",
        "001_78241f49576b103c.txt": "市教育局",
        "002_a69d6ec3abac42da.txt": "区教育局",
        "003_c87274d175a5d971.txt": "市教育局",
        "004_b2e9dd006712b4f8.txt": "市教育局",
    }


def test_masked_metric_values_are_masked_in_the_report_text(sample_store):
    found = rows(sample_store, "audit_masked_metrics")
    assert found
    for row in found:
        assert any(mask in row["value"] for mask in "*×X") and row["value"] in report_text(row["report"])


def test_shortest_path_text_walks_from_source_to_target(sample_store):
    found = rows(sample_store, "shortest_path", source="区教育局", target="市教育局")
    assert found
    for row in found:
        assert row["path"].startswith("区教育局 ") and row["path"].endswith(" 市教育局")
        assert row["path"].count("]-") == row["hops"] >= 2


# ---------------------------------------------------------------- audits that find something


def test_audit_finds_a_report_whose_bureau_has_no_responsibilities(falkordb_store, sample_graph):
    graph = sample_graph.copy()
    [bureau] = [b for r, b, _ in edges(graph, "ISSUED_BY") if graph.nodes[r]["source"].startswith("002_")]
    graph.remove_edges_from(
        [(bureau, target, "RESPONSIBLE_FOR") for target in out(graph, bureau, "RESPONSIBLE_FOR")]
    )
    load_graph(graph, falkordb_store)
    found = rows(falkordb_store, "audit_reports_without_responsibilities")
    assert [(row["report"], row["bureau"], row["responsibilities_elsewhere"]) for row in found] == [
        ("002_a69d6ec3abac42da.txt", "区教育局", 0)
    ]


# ---------------------------------------------------------------- parameters stay parameters


@pytest.mark.parametrize("hostile", ["' OR 1=1 //", '"}) DETACH DELETE n //', "$bureau", "\\'"])
def test_hostile_parameter_values_are_only_data(sample_store, sample_graph, hostile):
    assert rows(sample_store, "bureau_responsibilities", bureau=hostile) == []
    assert len(rows(sample_store, "report_overview")) == 5


def test_falkordb_runs_the_common_file_and_neo4j_its_own(sample_store):
    from edukg.graph.load_neo4j import Neo4jStore

    assert (Neo4jStore.dialect, sample_store.dialect) == ("neo4j", "falkordb")
    query = load("shortest_path")
    assert query.cypher(sample_store.dialect) == query.text != query.cypher(Neo4jStore.dialect)


def test_an_empty_store_says_how_to_fill_it(falkordb_store):
    with pytest.raises(StoreError, match="holds no graph: run `edukg build` and `edukg load` first"):
        rows(falkordb_store, "report_overview")


@pytest.mark.parametrize(
    "query", [q for q in catalogue() if q.parameters], ids=[q.name for q in catalogue() if q.parameters]
)
def test_browser_params_evaluate_to_the_defaults(sample_store, query):
    [row] = sample_store.read(Statement(f"RETURN {query.defaults_map()} AS params"))
    assert dict(row["params"]) == query.defaults()
