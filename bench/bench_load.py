"""Load throughput: edukg's loader beside hand-written baselines, on FalkorDB and on Neo4j.

``baselines`` (the default): each graph.json given is loaded into a fresh store three
ways, one after the other in one run, with the same client library, batch size and the
same unique-id schema made first:

- ``edukg``: ``load_graph``, the loader `edukg load` runs (idempotent, keeps other
  reports' facts, replaces a changed report's);
- ``merge``: the same idempotent ``UNWIND $rows … MERGE`` on the ids with ``SET … +=``
  of the same properties, written by hand (no report bookkeeping);
- ``create``: a plain ``UNWIND $rows … CREATE`` of the same nodes and relationships.

Each prints rows/s (nodes + relationships over the wall time, the statements'
parameters built inside the timing) and the ratios to the baselines. FalkorDB is a
fresh graph of the embedded server; Neo4j is tests/neo4j-server started on a new
folder for each load (its community edition has one database).

``per-row``: batched ``UNWIND`` vs one statement per row into the embedded FalkorDB, on
a synthetic graph (the per-row side measured on a sample and extrapolated).

With ``--queries``, every catalogue query is timed on the store edukg's load filled
(``bench_queries.py``). Run: ``.venv/bin/python bench/bench_load.py baselines --graph
out/graph.json --stores falkordb neo4j``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import subprocess
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx
from bench_queries import time_queries  # bench/ is a folder of scripts: the script's own folder

from edukg.graph import embedded, load_falkordb
from edukg.graph.export_json import read_graph
from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.load_neo4j import Neo4jStore
from edukg.graph.load_store import DEFAULT_BATCH, edge_statements, load_graph, node_statements
from edukg.graph.store import GraphStore, Statement, count_elements
from edukg.graph.store_properties import edge_reports, node_reports, to_properties
from edukg.ontology import entity_types, node_labels

SERVER = Path(__file__).resolve().parent.parent / "tests" / "neo4j-server" / "server.sh"
QUERY_TIMEOUT = 60.0  # seconds, with --queries: any one read (query) or write (batch) of FalkorDB


# ---------------------------------------------------------------- hand-written baselines


def _properties(attributes: dict[str, Any], reports: list[str]) -> dict[str, Any]:
    properties, lists = to_properties(attributes)
    return {**{k: v for k, v in properties.items() if v is not None}, **lists, "reports": reports}


def _batches(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def baseline_statements(graph: nx.MultiDiGraph, verb: str, batch_size: int) -> Iterator[Statement]:
    """``verb`` ``MERGE`` or ``CREATE``: nodes label by label, then relationships by type and end labels."""
    by_label: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node, data in graph.nodes(data=True):
        by_label[data["label"]].append({"id": node, "props": _properties(data, node_reports(graph, node))})
    for label, rows in sorted(by_label.items()):
        text = (
            f"UNWIND $rows AS row MERGE (n:`{label}` {{id: row.id}}) SET n += row.props"
            if verb == "MERGE"
            else f"UNWIND $rows AS row CREATE (n:`{label}` {{id: row.id}}) SET n += row.props"
        )
        for batch in _batches(rows, batch_size):
            yield Statement(text, {"rows": batch}, len(batch), "node")
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    for source, target, kind, data in graph.edges(keys=True, data=True):
        ends = (kind, graph.nodes[source]["label"], graph.nodes[target]["label"])
        props = _properties(data, edge_reports(graph, source, target, data))
        groups[ends].append({"source": source, "target": target, "props": props})
    for (kind, source_label, target_label), rows in sorted(groups.items()):
        text = (
            f"UNWIND $rows AS row MATCH (a:`{source_label}` {{id: row.source}})"
            f" MATCH (b:`{target_label}` {{id: row.target}}) {verb} (a)-[e:`{kind}`]->(b) SET e += row.props"
        )
        for batch in _batches(rows, batch_size):
            yield Statement(text, {"rows": batch}, len(batch), "relationship")


def run_baseline(graph: nx.MultiDiGraph, store: GraphStore, verb: str, batch_size: int) -> int:
    """Rows written by the ``verb`` baseline into ``store`` (schema first, as the loader does)."""
    store.ensure_schema(node_labels())
    rows = 0
    for statement in baseline_statements(graph, verb, batch_size):
        store.write(statement)
        rows += statement.rows
    return rows


def run_edukg(graph: nx.MultiDiGraph, store: GraphStore, batch_size: int) -> int:
    summary = load_graph(graph, store, batch_size)
    return summary.nodes + summary.relationships


SIDES: dict[str, Callable[[nx.MultiDiGraph, GraphStore, int], int]] = {
    "edukg": run_edukg,
    "merge": lambda graph, store, size: run_baseline(graph, store, "MERGE", size),
    "create": lambda graph, store, size: run_baseline(graph, store, "CREATE", size),
}


# ---------------------------------------------------------------- fresh stores


@contextmanager
def falkordb_stores(folder: Path) -> Iterator[Callable[[str], Any]]:
    """``fresh(name)``: a context giving a new graph of one embedded FalkorDB, dropped after."""
    server = embedded.start(folder)

    @contextmanager
    def fresh(name: str) -> Iterator[GraphStore]:
        store = FalkorStore.connect(server.url, graph=name, where=server.where)
        try:
            yield store
        finally:
            store.delete_graph()
            store.close()

    try:
        yield fresh
    finally:
        embedded.stop(folder)


@contextmanager
def neo4j_stores(folder: Path) -> Iterator[Callable[[str], Any]]:
    """``fresh(name)``: a context giving a Neo4j started on a new folder, stopped and removed after."""

    @contextmanager
    def fresh(name: str) -> Iterator[GraphStore]:
        home = folder / name
        password = secrets.token_hex(16)
        environment = {**os.environ, "NEO4J_PASSWORD": password, "EDUKG_NEO4J_OWNER": str(os.getpid())}
        started = subprocess.run(
            ["bash", SERVER, "start", home], env=environment, capture_output=True, text=True, check=True
        )
        store = Neo4jStore.connect(started.stdout.split()[-1], "neo4j", password, "neo4j")
        try:
            yield store
        finally:
            store.close()
            subprocess.run(["bash", SERVER, "stop", home], capture_output=True, check=True)
            subprocess.run(["rm", "-rf", home], check=True)

    yield fresh


STORES = {"falkordb": falkordb_stores, "neo4j": neo4j_stores}


def measure(
    graph: nx.MultiDiGraph,
    fresh: Callable[[str], Any],
    side: str,
    batch_size: int,
    then: Callable[[GraphStore], object] | None = None,
) -> dict[str, Any]:
    """``side``'s load of ``graph`` into a fresh store; ``then`` runs on the store it filled."""
    with fresh(f"bench_{side}") as store:
        started = time.perf_counter()
        rows = SIDES[side](graph, store, batch_size)
        seconds = time.perf_counter() - started
        held = count_elements(store)
        if then:
            then(store)
    assert held == (graph.number_of_nodes(), graph.number_of_edges()), (side, held)
    return {"rows": rows, "seconds": seconds, "rows_per_s": rows / seconds}


def baselines(options: argparse.Namespace) -> None:
    results = []
    if options.queries:  # a query slower than this fails in the figures instead of holding the run up
        load_falkordb.READ_TIMEOUT = QUERY_TIMEOUT
    for path in options.graph:
        graph = read_graph(path)
        reports = sum(1 for _, label in graph.nodes(data="label") if label == "Report")
        for store_name in options.stores:
            with (
                tempfile.TemporaryDirectory(prefix="edukg-bench-load-") as folder,
                STORES[store_name](Path(folder)) as fresh,
            ):
                figures = {
                    side: measure(
                        graph,
                        fresh,
                        side,
                        options.batch_size,
                        time_queries if options.queries and side == "edukg" else None,
                    )
                    for side in options.sides
                }
            line = {"store": store_name, "reports": reports, **figures}
            results.append(line)
            rates = ", ".join(
                f"{side} {figure['rows_per_s']:,.0f} rows/s" for side, figure in figures.items()
            )
            ratios = ", ".join(
                f"edukg/{side} {figures['edukg']['rows_per_s'] / figures[side]['rows_per_s']:.2f}x"
                for side in figures
                if side != "edukg" and "edukg" in figures
            )
            print(
                f"{store_name}, {reports:,} reports, {graph.number_of_nodes() + graph.number_of_edges():,} rows: "
                f"{rates}; {ratios}",
                flush=True,
            )
        del graph
    if options.json:
        options.json.write_text(json.dumps(results, indent=1), encoding="utf-8")


# ---------------------------------------------------------------- one statement per row


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


def timed(store: FalkorStore, statements: Sequence[Statement]) -> float:
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


def per_row(options: argparse.Namespace) -> None:
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
            single = FalkorStore.connect(server.url, graph="per_row")
            row_nodes, row_edges = per_row_rates(single, graph, options.sample)
            check = load_graph(graph, batched, options.batch_size)  # the real entry point: nothing new
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


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    compare = commands.add_parser("baselines", help="edukg's loader beside the MERGE and CREATE baselines")
    compare.add_argument(
        "--graph", type=Path, action="append", required=True, help="a graph.json (repeatable)"
    )
    compare.add_argument("--stores", nargs="+", choices=sorted(STORES), default=["falkordb", "neo4j"])
    compare.add_argument("--sides", nargs="+", choices=sorted(SIDES), default=list(SIDES))
    compare.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    compare.add_argument("--json", type=Path, help="also write the figures here")
    compare.add_argument(
        "--queries", action="store_true", help="time every catalogue query on the store edukg's load filled"
    )
    single = commands.add_parser("per-row", help="batched UNWIND vs one statement per row (FalkorDB)")
    single.add_argument("--nodes", type=int, default=40_000)
    single.add_argument("--relationships", type=int, default=60_000)
    single.add_argument("--sample", type=int, default=3_000, help="rows measured one statement at a time")
    single.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    options = parser.parse_args(argv)
    if options.command == "per-row":
        per_row(options)
    elif options.command == "baselines":
        baselines(options)
    else:
        parser.print_help()


if __name__ == "__main__":
    main()
