"""Passwords never reach stdout, stderr, a log line or a file under the output folder.

Each command runs as a user runs it, in a child process whose logging is at DEBUG
for every logger (edukg's, the drivers', redis'), into a log file. The password comes
from NEO4J_PASSWORD / FALKORDB_PASSWORD, from --password, or inside the URI; the
store rejects it (a real FalkorDB with an ACL user) or cannot be reached. Then every
output is searched for it. tests/graph/test_load_neo4j.py already checks --password
on a Bolt server that accepts it, and test_load_falkordb.py the wrong-password message.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from edukg.graph.export_json import write_graph

ENV_NEO4J = "Env-Neo4j-Sekret-7c1"
ENV_FALKORDB = "Env-Falkor-Sekret-8d2"
FLAG = "Flag-Sekret-9e3"
IN_URI = "Uri-Sekret-0f4"
RIGHT = "Right-Sekret-1a5"
SECRETS = (ENV_NEO4J, ENV_FALKORDB, FLAG, IN_URI, RIGHT)
ACL_USER = "edukg_secrets"

RUN_WITH_DEBUG_LOGS = """
import logging, sys
logging.basicConfig(level=logging.DEBUG, filename=sys.argv.pop(1), force=True,
                    format="%(name)s %(levelname)s %(message)s")
from edukg.cli import main
main(prog_name="edukg")
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def acl_user(falkordb_server: Any) -> Iterator[str]:
    """A FalkorDB user whose password is RIGHT (never the one the commands send)."""
    import redis

    client = redis.Redis(unix_socket_path=falkordb_server.socket)
    client.acl_setuser(ACL_USER, enabled=True, passwords=[f"+{RIGHT}"], keys=["*"], commands=["+@all"])
    yield ACL_USER
    client.acl_deluser(ACL_USER)
    client.close()


@pytest.fixture(scope="module")
def graph_file(store_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_graph(store_graph, tmp_path_factory.mktemp("secrets-graph") / "graph.json")


UNREACHABLE = "cannot reach Neo4j"
REFUSED = "refused the user name or password"


def cases(socket_url: str) -> list[tuple[str, list[str], dict[str, str], str]]:
    """(case, edukg arguments, extra environment, what the error says); {graph} is the graph file."""
    closed = closed_port()
    env = {"NEO4J_PASSWORD": ENV_NEO4J, "FALKORDB_PASSWORD": ENV_FALKORDB}
    falkor = ["--uri", socket_url, "--user", ACL_USER]
    load = ["load", "--graph", "{graph}"]
    bolt = f"bolt://127.0.0.1:{closed}"
    return [
        ("neo4j unreachable, env", [*load, "--uri", bolt], env, UNREACHABLE),
        (
            "neo4j routing unreachable, flag",
            [*load, "--uri", f"neo4j://127.0.0.1:{closed}", "--password", FLAG],
            env,
            UNREACHABLE,
        ),
        ("neo4j from NEO4J_URI, env", load, {**env, "NEO4J_URI": bolt}, UNREACHABLE),
        (
            "neo4j password in the URI",
            [*load, "--uri", f"bolt://neo4j:{IN_URI}@127.0.0.1:{closed}"],
            env,
            "URI userinfo is not supported",
        ),
        (
            "neo4j+s password in the URI",
            [*load, "--uri", f"neo4j+s://neo4j:{IN_URI}@127.0.0.1:{closed}"],
            env,
            "URI userinfo is not supported",
        ),
        (
            "falkordb unreachable, env",
            [*load, "--uri", f"falkordb://127.0.0.1:{closed}"],
            env,
            "Connection refused",
        ),
        (
            "falkordb password in the URI",
            [*load, "--uri", f"falkordb://{ACL_USER}:{IN_URI}@127.0.0.1:{closed}"],
            env,
            "Connection refused",
        ),
        ("falkordb rejects, env", [*load, *falkor], env, REFUSED),
        ("falkordb rejects, flag", [*load, *falkor, "--password", FLAG], env, REFUSED),
        ("falkordb rejects a removal", ["load", "--remove", "a.txt", *falkor], env, REFUSED),
        ("query, falkordb rejects, env", ["query", "run", "find_entity", *falkor], env, REFUSED),
        (
            "query, falkordb rejects, flag",
            ["query", "run", "find_entity", *falkor, "--password", FLAG],
            env,
            REFUSED,
        ),
        ("query, neo4j unreachable, env", ["query", "run", "find_entity", "--uri", bolt], env, UNREACHABLE),
        ("build --load, falkordb rejects", ["build", "--load", *falkor, "--password", FLAG], env, REFUSED),
        (
            "no scheme, password in the URI",
            [*load, "--uri", f"neo4j:{IN_URI}@localhost:7687"],
            env,
            "unknown store URI scheme",
        ),
    ]


CASE_NAMES = [case[0] for case in cases("unix:///x")]


@pytest.mark.parametrize(
    "case", [pytest.param(name, marks=pytest.mark.slow) if "build" in name else name for name in CASE_NAMES]
)
def test_no_password_in_any_output(
    case: str, falkordb_server: Any, acl_user: str, graph_file: Path, tmp_path: Path
) -> None:
    _, arguments, extra, expected = next(c for c in cases(falkordb_server.url) if c[0] == case)
    out = tmp_path / "out"
    log = tmp_path / "debug.log"
    arguments = [argument.replace("{graph}", str(graph_file)) for argument in arguments]
    env = {key: value for key, value in os.environ.items() if not key.startswith(("NEO4J_", "FALKORDB_"))}
    result = subprocess.run(
        [sys.executable, "-c", RUN_WITH_DEBUG_LOGS, str(log), *arguments, "--out", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**env, **extra},
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("edukg: error: ")]
    assert errors == result.stderr.splitlines() and expected in errors[0], result.stderr  # one line
    assert "Traceback" not in result.stderr
    logged = log.read_text(encoding="utf-8") if log.exists() else ""
    outputs = {"stdout": result.stdout, "stderr": result.stderr, "log": logged}
    outputs.update(
        {str(path): path.read_bytes().decode("utf-8", "replace") for path in out.rglob("*") if path.is_file()}
    )
    leaks = {name: secret for name, text in outputs.items() for secret in SECRETS if secret in text}
    assert leaks == {}
