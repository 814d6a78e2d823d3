"""The build on a Dask cluster gives the local build's graph, failures and CSV rows.

Every test runs on a real cluster: a ``dask scheduler`` and two ``dask worker`` processes
that the module starts on loopback, each worker a process of its own (no nanny), so a
test can kill one by its pid.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from edukg.cli import main
from edukg.graph.build import build_from_paths
from edukg.graph.build_cluster import (
    build_on_cluster,
    export_on_cluster,
    scheduler_arguments,
    worker_arguments,
)
from edukg.graph.export_json import read_graph
from edukg.graph.export_neo4j_csv import ARRAY_DELIMITER

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "data" / "real" / "reports"
DASK = Path(sys.executable).parent / "dask"
BAD_FILES = {"broken.pdf": b"%PDF-1.4 truncated", "empty.txt": b""}


@dataclass
class Cluster:
    """A scheduler and its workers, started as processes on 127.0.0.1."""

    folder: Path
    address: str = ""
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, *arguments: str, log: str) -> subprocess.Popen[bytes]:
        with (self.folder / log).open("wb") as output:
            process = subprocess.Popen([str(DASK), *arguments], stdout=output, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def add_worker(self, name: str) -> subprocess.Popen[bytes]:
        """A worker process of one thread (its own pid: no nanny), registered before it returns."""
        process = self.start(*worker_arguments(self.folder / "scheduler.json", name), log=f"{name}.log")
        self.wait_for(lambda client: name in self.addresses(client))
        return process

    @staticmethod
    def addresses(client: Any) -> dict[str, str]:
        """The workers' addresses by name."""
        return {w["name"]: address for address, w in client.scheduler_info(n_workers=-1)["workers"].items()}

    def wait_for(self, ready: Callable[[Any], bool], timeout: float = 60) -> None:
        """Wait until ``ready`` says so of a client of the scheduler."""
        from distributed import Client

        with Client(self.address, timeout=30, set_as_default=False) as client:
            deadline = time.monotonic() + timeout
            while not ready(client):
                assert time.monotonic() < deadline, "the cluster did not get ready"
                time.sleep(0.05)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("dask")
    running = Cluster(folder)
    try:
        running.start(*scheduler_arguments(folder / "scheduler.json"), log="scheduler.log")
        deadline = time.monotonic() + 60
        while not (folder / "scheduler.json").exists():
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.2)
        running.address = json.loads((folder / "scheduler.json").read_text())["address"]
        assert running.address.startswith("tcp://127.0.0.1:")
        running.add_worker("worker-1")
        running.add_worker("worker-2")
        yield running
    finally:
        # Killed, not asked to stop: a worker asked to stop first hands its data to the others.
        for process in reversed(running.processes):
            process.kill()
        for process in running.processes:
            process.wait(timeout=30)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Twenty reports of the benchmark's generator, and two that cannot be read."""
    spec = importlib.util.spec_from_file_location("generate_corpus", ROOT / "bench" / "generate_corpus.py")
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generator  # dataclasses look their module up there
    spec.loader.exec_module(generator)
    folder = tmp_path_factory.mktemp("generated")
    texts = generator.generate_corpus(20, 3, generator.load_samples(), generator.load_places())
    for index, text in enumerate(texts):
        (folder / f"report-{index:02d}.txt").write_text(text, encoding="utf-8")
    for name, content in BAD_FILES.items():
        (folder / name).write_bytes(content)
    return folder


def meaning(graph: nx.MultiDiGraph) -> tuple[dict[str, str], dict[tuple[str, str, str], str]]:
    """Nodes and edges with their attributes, whatever order they were added in."""

    def text(data: dict[str, Any]) -> str:
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    return (
        {node: text(data) for node, data in graph.nodes(data=True)},
        {(s, t, k): text(data) for s, t, k, data in graph.edges(keys=True, data=True)},
    )


CORPORA = {
    "samples": lambda generated: [ROOT / "data" / "reports"],
    "real": lambda generated: [REAL],
    "real, one given again": lambda generated: [REAL, min(REAL.iterdir())],
    "generated with failures": lambda generated: [generated],
}


@pytest.mark.parametrize("corpus", CORPORA)
def test_cluster_build_equals_local_build(cluster: Cluster, generated: Path, corpus: str) -> None:
    paths = CORPORA[corpus](generated)
    local = build_from_paths(paths)
    remote = build_on_cluster(paths, cluster.address)
    assert (remote.read, remote.failures) == (local.read, local.failures)
    assert meaning(remote.graph) == meaning(local.graph)
    assert remote.graph.number_of_nodes() > 100


def test_cluster_build_reads_fsspec_urls(cluster: Cluster) -> None:
    local = build_from_paths([REAL])
    remote = build_on_cluster([REAL.as_uri()], cluster.address)
    assert (remote.read, remote.failures) == (local.read, ())
    assert meaning(remote.graph) == meaning(local.graph)


def run_build(*arguments: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["build", *arguments])
    return result.exit_code, result.stdout, result.stderr


def test_cli_cluster_build_prints_and_writes_as_local(
    cluster: Cluster, generated: Path, tmp_path: Path
) -> None:
    local = run_build(str(generated), "--out", str(tmp_path / "local"))
    remote = run_build(str(generated), "--out", str(tmp_path / "remote"), "--scheduler", cluster.address)
    assert remote[0] == local[0] == 0
    assert [f"edukg: skipped {generated / name}:" in remote[2] for name in BAD_FILES] == [True, True]
    assert remote[1:] == tuple(text.replace("/local", "/remote") for text in local[1:])
    assert meaning(read_graph(tmp_path / "remote" / "graph.json")) == meaning(
        read_graph(tmp_path / "local" / "graph.json")
    )
    extractions = [
        sorted(p.name for p in (tmp_path / out / "extractions").iterdir()) for out in ("local", "remote")
    ]
    assert extractions[0] == extractions[1] and len(extractions[0]) == 20


def test_scheduler_from_the_environment(cluster: Cluster, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["build", str(REAL), "--out", str(tmp_path)],
        env={"DASK_SCHEDULER_ADDRESS": cluster.address},
    )
    assert result.exit_code == 0, result.output
    assert meaning(read_graph(tmp_path / "graph.json")) == meaning(build_from_paths([REAL]).graph)


def csv_meaning(folder: Path) -> dict[tuple[str, str], tuple[tuple[str, ...], set[tuple[str, ...]]]]:
    """Each table of the partitioned files: its header and its rows (all parts together)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    tables = {}
    for table in manifest["tables"]:
        with (folder / table["header"]).open(encoding="utf-8", newline="") as file:
            header = tuple(next(csv.reader(file)))
        rows: set[tuple[str, ...]] = set()
        for part in table["parts"]:
            with (folder / part).open(encoding="utf-8", newline="") as file:
                rows.update(map(tuple, csv.reader(file)))
        assert len(rows) == table["rows"]
        tables[table["kind"], table["label"]] = (header, rows)
    return tables


def test_cluster_csv_parts_hold_the_single_files_rows(
    cluster: Cluster, generated: Path, tmp_path: Path, single_csv_tables: Callable[..., Any]
) -> None:
    paths = [ROOT / "data" / "reports", generated]
    result = export_on_cluster(paths, cluster.address, tmp_path / "parts")
    local = build_from_paths(paths)
    assert (result.read, result.failures) == (local.read, local.failures)
    expected = single_csv_tables(local.graph, tmp_path / "single")
    assert csv_meaning(tmp_path / "parts") == expected
    assert result.rows == {table: len(rows) for table, (_, rows) in expected.items()}
    manifest = json.loads((tmp_path / "parts" / "manifest.json").read_text(encoding="utf-8"))
    arguments = manifest["neo4j_admin"]
    assert arguments[:5] == ["neo4j-admin", "database", "import", "full", "neo4j"]
    assert f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}" in arguments
    grouped = [
        argument.split("=", 1)[1].split(",") for argument in arguments if argument.startswith("--nodes=")
    ]
    assert len(grouped) == len({label for kind, label in expected if kind == "nodes"})
    assert all(files[0].endswith(".header.csv") and len(files) >= 2 for files in grouped)


IMPORTED = re.compile(r"^\s*(\d+) (nodes|relationships)$", re.M)


def test_neo4j_admin_imports_the_cluster_parts(cluster: Cluster, tmp_path: Path) -> None:
    """The manifest's neo4j-admin arguments, run as written in the parts' folder by Neo4j's own
    importer (tests/neo4j-server), import every node and relationship of the local build."""
    result = export_on_cluster([ROOT / "data" / "reports"], cluster.address, tmp_path / "parts")
    arguments = json.loads((tmp_path / "parts" / "manifest.json").read_text(encoding="utf-8"))["neo4j_admin"][
        1:
    ]
    home = tmp_path / "neo4j"
    home.mkdir()
    done = subprocess.run(
        ["bash", ROOT / "tests" / "neo4j-server" / "server.sh", "admin", home, *arguments],
        cwd=tmp_path / "parts",
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    local = build_from_paths([ROOT / "data" / "reports"]).graph
    imported = {kind: int(count) for count, kind in IMPORTED.findall(done.stdout)}
    assert imported == {"nodes": local.number_of_nodes(), "relationships": local.number_of_edges()}
    assert sum(result.rows.values()) == local.number_of_nodes() + local.number_of_edges()


def test_cli_neo4j_import_format(cluster: Cluster, tmp_path: Path) -> None:
    code, stdout, _ = run_build(
        str(REAL), "--out", str(tmp_path), "--scheduler", cluster.address, "--format", "neo4j-import"
    )
    assert code == 0
    assert "reports: 27 read, 0 failed" in stdout
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["neo4j-import"]
    assert (tmp_path / "neo4j-import" / "manifest.json").exists()
    code, _, stderr = run_build(str(REAL), "--out", str(tmp_path), "--format", "neo4j-import")
    assert code != 0 and "--scheduler" in stderr


@pytest.mark.parametrize("output", ["graph", "neo4j-import"])
def test_cluster_build_of_no_report_is_one_line(cluster: Cluster, tmp_path: Path, output: str) -> None:
    (tmp_path / "empty").mkdir()
    empty, out = str(tmp_path / "empty"), str(tmp_path / "out")
    local = run_build(empty, "--out", out)
    remote = run_build(empty, "--out", out, "--scheduler", cluster.address, "--format", output)
    assert remote == local and local[0] == 1
    assert local[2].startswith("edukg: error: no report found under") and local[2].count("\n") == 1


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    code, stdout, stderr = run_build(str(REAL), "--out", str(tmp_path), "--scheduler", address)
    assert code == 1 and stdout == ""
    assert stderr.count("\n") == 1 and stderr.startswith(
        f"edukg: error: cannot reach the Dask scheduler at {address}"
    )
    assert not (tmp_path / "graph.json").exists()


def test_worker_killed_mid_build_changes_nothing(cluster: Cluster, generated: Path, tmp_path: Path) -> None:
    victim = cluster.add_worker("victim")
    build = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "edukg"),
            "build",
            str(generated),
            str(REAL),
            "--out",
            str(tmp_path),
            "--scheduler",
            cluster.address,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # Kill the victim once it is working on the build's tasks.
    cluster.wait_for(lambda client: bool(client.processing().get(cluster.addresses(client)["victim"])))
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=30)
    stdout, stderr = build.communicate(timeout=600)
    assert build.returncode == 0, stderr.decode()
    assert "reports: 47 read, 2 failed" in stdout.decode()
    local = build_from_paths([generated, REAL])
    assert meaning(read_graph(tmp_path / "graph.json")) == meaning(local.graph)
