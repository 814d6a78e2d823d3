"""Load throughput into the embedded FalkorDB: batched ``UNWIND`` vs one statement per row.

A synthetic graph of 100,000 elements (40,000 nodes, 60,000 relationships) is loaded
in batches; the one-statement-per-row side runs on a sample of the same graph and
is extrapolated to the full size (it would take minutes otherwise), which the
output says. Run: ``.venv/bin/python bench/bench_load.py``.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time

import networkx as nx

from edukg.graph import embedded
from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.load_store import edge_statements, load_graph, node_statements
from edukg.graph.store import Statement
from edukg.ontology import entity_types


def synthetic_graph(nodes: int, relationships: int, seed: int = 7) -> nx.MultiDiGraph:
    """Entities of every extracted type from 100 reports, linked at random by PART_OF / RESPONSIBLE_FOR."""
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    reports = [f"report:{index:016x}" for index in range(100)]
    for report in reports:
        graph.add_node(
            report, label="Report", name=f"报告{report[-4:]}", source=f"{report[-4:]}.txt", reports=[report]
        )
    labels = [label for label in entity_types() if label != "Metric"]
    ids = []
    for index in range(nodes - len(reports)):
        report = rng.choice(reports)
        node = f"entity:{index:016x}"
        mention = {"report": report, "start": index % 1000, "end": index % 1000 + 6, "sentence": index % 50}
        graph.add_node(
            node,
            label=rng.choice(labels),
            name=f"某某工程{index}",
            aliases=[],
            scope="local",
            jurisdiction="某市",
            status="reported",
            concept="",
            reports=[report],
            mentions=[mention],
        )
        ids.append(node)
    edges = 0
    while edges < relationships:
        source, target = rng.sample(ids, 2)
        kind = rng.choice(["PART_OF", "RESPONSIBLE_FOR"])
        if graph.has_edge(source, target, key=kind):
            continue
        edges += 1
        report = graph.nodes[source]["reports"][0]
        evidence = {
            "report": report,
            "sentence": 1,
            "start": 0,
            "end": 12,
            "text": "某某工程纳入某某计划。",
            "status": "reported",
        }
        graph.add_edge(
            source, target, key=kind, type=kind, reports=[report], evidence=[evidence], status="reported"
        )
    return graph


def timed(store: FalkorStore, statements: list[Statement]) -> float:
    """Seconds to write ``statements`` one after the other."""
    started = time.perf_counter()
    for statement in statements:
        store.write(statement)
    return time.perf_counter() - started


def per_row_rates(store: FalkorStore, graph: nx.MultiDiGraph, sample: int) -> tuple[float, float]:
    """Nodes/s and relationships/s with one statement per row, measured on ``sample`` rows of each."""
    store.ensure_schema(sorted({label for _, label in graph.nodes(data="label")}))
    node_rows = node_statements(graph, batch_size=1)[:sample]
    node_rate = len(node_rows) / timed(store, node_rows)
    for statement in node_statements(graph):  # the other nodes, untimed, so relationships find their ends
        store.write(statement)
    edge_rows = edge_statements(graph, batch_size=1)[:sample]
    return node_rate, len(edge_rows) / timed(store, edge_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=40_000)
    parser.add_argument("--relationships", type=int, default=60_000)
    parser.add_argument("--sample", type=int, default=3_000, help="rows measured one statement at a time")
    parser.add_argument("--batch-size", type=int, default=2_000)
    options = parser.parse_args()

    graph = synthetic_graph(options.nodes, options.relationships)
    started = time.perf_counter()
    nodes, edges = node_statements(graph, options.batch_size), edge_statements(graph, options.batch_size)
    building = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="edukg-bench-") as out:
        server = embedded.start(out)
        try:
            batched = FalkorStore.connect(server.url, graph="batched")
            batched.ensure_schema(sorted({label for _, label in graph.nodes(data="label")}))
            batched_nodes = graph.number_of_nodes() / timed(batched, nodes)
            batched_edges = graph.number_of_edges() / timed(batched, edges)
            per_row = FalkorStore.connect(server.url, graph="per_row")
            row_nodes, row_edges = per_row_rates(per_row, graph, options.sample)
            check = load_graph(
                graph, batched, options.batch_size
            )  # the real entry point: nothing new to write
            assert (check.nodes_in_store, check.relationships_in_store) == (
                options.nodes,
                options.relationships,
            )
        finally:
            embedded.stop(out)

    total = graph.number_of_nodes() / batched_nodes + graph.number_of_edges() / batched_edges
    elements = graph.number_of_nodes() + graph.number_of_edges()
    per_row_total = graph.number_of_nodes() / row_nodes + graph.number_of_edges() / row_edges
    print(
        f"synthetic graph: {graph.number_of_nodes():,} nodes + {graph.number_of_edges():,} relationships = {elements:,} elements"
    )
    print(
        f"batched (UNWIND, {options.batch_size} rows): {batched_nodes:,.0f} nodes/s, {batched_edges:,.0f} relationships/s, {total:.1f} s in all"
        f" (+{building:.1f} s to build the statements in Python)"
    )
    print(
        f"one statement per row: {row_nodes:,.0f} nodes/s, {row_edges:,.0f} relationships/s "
        f"(measured on {options.sample:,} nodes and {options.sample:,} relationships, "
        f"extrapolated: {per_row_total:.0f} s for the whole graph)"
    )
    print(
        f"ratio batched / per row: nodes {batched_nodes / row_nodes:.1f}x, relationships {batched_edges / row_edges:.1f}x, "
        f"whole load {per_row_total / total:.1f}x"
    )


if __name__ == "__main__":
    main()
