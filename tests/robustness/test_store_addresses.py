"""Store addresses that are wrong or servers that never answer: one line each, never a hang.

Issue 21, item 6: ``--uri falkordb://127.0.0.1:PORT`` on a listener that accepts and
never answers hung ``load`` and ``query run`` forever (a connect timeout, no read
timeout); a port out of range or not a number, or a malformed IPv6 literal, printed
a traceback, and an IPv6 host was named without its brackets.
"""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import networkx as nx
import pytest

from edukg.graph.export_json import write_graph

HANG_GUARD = 300  # seconds: far above any timeout of the clients, only so a hang ends the test


@pytest.fixture(scope="module")
def silent_port() -> Iterator[int]:
    """A TCP listener that accepts every connection and never sends a byte."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield listener.getsockname()[1]
    listener.close()
    for connection in accepted:
        connection.close()


@pytest.fixture(scope="module")
def out(sample_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("addresses")
    write_graph(sample_graph, folder / "graph.json")
    return folder


COMMANDS = [("load",), ("query", "run", "most_connected")]
# (scheme, the start of the one line after the address, a word of the reason)
SILENT = [
    ("falkordb", "edukg: error: cannot use FalkorDB graph 'edukg' at falkordb://127.0.0.1:{port}", "Timeout"),
    ("bolt", "edukg: error: cannot reach Neo4j at bolt://127.0.0.1:{port} ", "handshake"),
    ("neo4j", "edukg: error: cannot reach Neo4j at neo4j://127.0.0.1:{port} ", "routing"),
]


@pytest.mark.slow
@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
@pytest.mark.parametrize(("scheme", "start", "reason"), SILENT, ids=[scheme for scheme, *_ in SILENT])
def test_a_server_that_never_answers_is_one_line(
    out: Path,
    silent_port: int,
    command: tuple[str, ...],
    scheme: str,
    start: str,
    reason: str,
    edukg_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    """The clients' connect and read timeouts end the wait (the Neo4j driver's connection_timeout
    and connection_acquisition_timeout, FalkorDB's socket timeouts): one line, naming the address."""
    run = edukg_cli(
        *command,
        "--out",
        str(out),
        "--uri",
        f"{scheme}://127.0.0.1:{silent_port}",
        "--password",
        "x",
        timeout=HANG_GUARD,
    )
    assert run.returncode == 1
    [line] = run.stderr.splitlines()
    assert line.startswith(start.format(port=silent_port)) and reason in line, line


# (URI, what the one line names)
BAD_ADDRESSES = [
    ("falkordb://127.0.0.1:99999", "port"),
    ("falkordb://127.0.0.1:abc", "port"),
    ("falkordb://[::1", "IPv6"),
    ("bolt://127.0.0.1:99999", "port"),
    ("bolt://127.0.0.1:abc", "port"),
    ("neo4j://[::1:7687", "IPv6"),
    ("falkordb://user:s3cret-Pass@127.0.0.1:70000", "port"),
]


@pytest.mark.parametrize(("uri", "named"), BAD_ADDRESSES, ids=[uri for uri, _ in BAD_ADDRESSES])
def test_a_bad_address_is_one_line(
    out: Path, uri: str, named: str, edukg_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    run = edukg_cli("load", "--out", str(out), "--uri", uri, timeout=HANG_GUARD)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "s3cret" not in run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith("edukg: error: ") and named in line


@pytest.mark.parametrize("uri", ["falkordb://[::1]:1", "bolt://[::1]:1"])
def test_an_ipv6_host_is_named_with_its_brackets(
    out: Path, uri: str, edukg_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    run = edukg_cli("load", "--out", str(out), "--uri", uri, timeout=HANG_GUARD)
    assert run.returncode == 1
    [line] = run.stderr.splitlines()
    assert "[::1]:1" in line, line
