"""Store faults and concurrency against the real FalkorDB: concurrent loads, interrupted
loads, a full disk and a read-only data folder.

Already covered elsewhere: the server killed mid-load and a rerun to exact counts,
an unreachable server, a wrong password (tests/graph/test_load_falkordb.py); stale
pid and socket files (tests/graph/test_embedded.py). Here the interruption comes at
a random batch and the rerun is compared element by element with a clean load.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from edukg.graph import embedded
from edukg.graph.export_json import write_graph
from edukg.graph.load_falkordb import FalkorStore
from edukg.graph.load_store import edge_statements, load_graph, node_statements
from edukg.graph.store import Statement

Dump = tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]


def dump(store: FalkorStore) -> Dump:
    """Every node by id and relationship by (source, type, target), with labels and properties."""
    nodes: dict[str, dict[str, Any]] = {}
    for row in store.read(
        Statement("MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props")
    ):
        assert row["id"] not in nodes, f"two nodes with id {row['id']}"
        nodes[row["id"]] = {**row["props"], "_labels": row["labels"]}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in store.read(
        Statement("MATCH (a)-[e]->(b) RETURN a.id AS a, type(e) AS type, b.id AS b, properties(e) AS props")
    ):
        key = (row["a"], row["type"], row["b"])
        assert key not in edges, f"two {key[1]} relationships from {key[0]} to {key[2]}"
        edges[key] = row["props"]
    return nodes, edges


@pytest.fixture(scope="module")
def reference(falkordb_server: Any, sample_graph: nx.MultiDiGraph) -> Dump:
    """The store after one clean load of the sample graph."""
    store = FalkorStore.connect(falkordb_server.url, graph="robustness_reference")
    try:
        store.delete_graph()
        load_graph(sample_graph, store)
        return dump(store)
    finally:
        store.delete_graph()
        store.close()


@pytest.fixture(scope="module")
def sample_graph_file(sample_graph: nx.MultiDiGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_graph(sample_graph, tmp_path_factory.mktemp("graph") / "graph.json")


# ---------------------------------------------------------------- concurrency


@pytest.mark.slow
@pytest.mark.parametrize("batch_size", [7, 50, 2000])
def test_two_loads_at_once_give_no_duplicates(
    falkordb_server: Any,
    falkordb_store: FalkorStore,
    sample_graph_file: Path,
    reference: Dump,
    batch_size: int,
) -> None:
    """Two ``edukg load`` processes write the same graph into the same graph name at the same time."""
    command = [
        sys.executable,
        "-m",
        "edukg.cli",
        "load",
        "--graph",
        str(sample_graph_file),
        "--uri",
        falkordb_server.url,
        "--database",
        falkordb_store.graph_name,
        "--batch-size",
        str(batch_size),
    ]
    loads = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
    ]
    outcomes = [load.communicate(timeout=120) for load in loads]
    assert [load.returncode for load in loads] == [0, 0], [err for _, err in outcomes]
    assert dump(falkordb_store) == reference


def redis_servers_of(folder: Path) -> list[int]:
    """Pids of the redis-servers whose socket lies under ``folder``."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if proc.name.isdigit() and b"redis-server" in command and str(folder).encode() in command:
            pids.append(int(proc.name))
    return pids


@pytest.mark.slow
@pytest.mark.parametrize(
    ("command", "count"), [(["db", "start"], 3), (["build", "--load"], 2)], ids=["db start", "build --load"]
)
def test_commands_starting_one_embedded_store_at_once_share_one_server(
    tmp_path: Path, command: list[str], count: int
) -> None:
    """Commands start the embedded store of one --out at the same time: one server serves them all."""
    out = tmp_path / "out"
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "edukg.cli", *command, "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    try:
        outcomes = [run.communicate(timeout=120) for run in runs]
        assert [run.returncode for run in runs] == [0] * count, [err for _, err in outcomes]
        server = embedded.status(out)
        assert server is not None and redis_servers_of(out) == [server.pid]
        if command == ["db", "start"]:
            assert {stdout for stdout, _ in outcomes} == {f"running: {server.where}\n"}
    finally:
        embedded.stop(out)
    assert redis_servers_of(out) == []


# ---------------------------------------------------------------- interrupted loads


class Interrupted(Exception):
    """Stands for Ctrl-C or a lost connection between two batches."""


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_load_interrupted_at_a_random_batch_then_rerun_equals_a_clean_load(
    falkordb_store: FalkorStore, sample_graph: nx.MultiDiGraph, reference: Dump, seed: int
) -> None:
    batch_size = 40
    batches = len(node_statements(sample_graph, batch_size)) + len(edge_statements(sample_graph, batch_size))
    stop_after = random.Random(seed).randrange(1, batches)
    written: list[Statement] = []

    def interrupt(statement: Statement) -> None:
        written.append(statement)
        if len(written) == stop_after:
            raise Interrupted

    with pytest.raises(Interrupted):
        load_graph(sample_graph, falkordb_store, batch_size, progress=interrupt)
    partial = dump(falkordb_store)
    assert 0 < len(partial[0]) + len(partial[1]) < len(reference[0]) + len(reference[1])
    summary = load_graph(sample_graph, falkordb_store, batch_size)
    assert (summary.nodes_in_store, summary.relationships_in_store) == (
        sample_graph.number_of_nodes(),
        sample_graph.number_of_edges(),
    )
    assert dump(falkordb_store) == reference


# ---------------------------------------------------------------- full disk, read-only folder


@pytest.fixture()
def tmpfs(tmp_path: Path) -> Iterator[Any]:
    """``mount(out, options)`` mounts a tmpfs at ``out/db`` (the embedded store's data folder)."""
    mounted: list[tuple[Path, Path]] = []

    def mount(out: Path, options: str) -> Path:
        target = out / embedded.DATA_DIR
        target.mkdir(parents=True)
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True, text=True
        )
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs (needs root with CAP_SYS_ADMIN): {done.stderr.strip()}")
        mounted.append((out, target))
        return target

    yield mount
    for out, target in mounted:
        running = embedded.status(out)
        if running is not None:
            os.kill(running.pid, signal.SIGKILL)  # a server on a full disk may refuse to stop
            while embedded.status(out) is not None:
                time.sleep(0.05)
        subprocess.run(["umount", "--lazy", str(target)], check=True)


def fill(folder: Path) -> None:
    with contextlib.suppress(OSError), (folder / "filler").open("wb", buffering=0) as filler:
        while True:
            filler.write(bytes(4096))


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("edukg: error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


@pytest.mark.parametrize(
    ("options", "make_full", "reason"),
    [("ro,size=1m", False, "read-only file system"), ("size=16k", True, "no space left on device")],
    ids=["read-only", "full"],
)
@pytest.mark.parametrize("command", ["db start", "load"])
def test_unwritable_data_folder_is_a_clear_error(
    tmpfs: Any,
    tmp_path: Path,
    sample_graph_file: Path,
    options: str,
    make_full: bool,
    reason: str,
    command: str,
    edukg_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    out = tmp_path / "out"
    folder = tmpfs(out, options)
    if make_full:
        fill(folder)
    extra = ["--graph", str(sample_graph_file)] if command == "load" else []
    result = edukg_cli(*command.split(), "--out", str(out), *extra)
    assert one_error_line(result) == (
        f"edukg: error: cannot keep FalkorDB's data in {folder}: {reason}; "
        "choose another --out or make room there"
    )
    assert embedded.status(out) is None


@pytest.mark.slow
def test_disk_full_during_a_load_is_a_clear_error(
    tmpfs: Any,
    tmp_path: Path,
    sample_graph_file: Path,
    edukg_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    """The store starts, then its append-only file fills the disk midway through the load."""
    out = tmp_path / "out"
    tmpfs(out, "size=160k")
    error = one_error_line(edukg_cli("load", "--out", str(out), "--graph", str(sample_graph_file)))
    assert "stopped after" in error and "No space left on device" in error
    assert embedded.status(out) is not None  # the store still answers: free space and load again
