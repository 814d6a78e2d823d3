"""Builds into one output folder: each leaves the folder whole, never a mix of two builds.

Issue 21, item 7: two builds into one --out at once both said "written" and left a
corrupt graph.json and GraphML; SIGINT while writing left a truncated graph.json beside
the previous GraphML; extractions/ kept the files of earlier builds beside the new ones.
`edukg extract --out DIR` wrote into DIR while a build or another extraction did.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest

from edukg.graph.export_json import read_graph


def start_build(paths: list[Path], out: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "edukg.cli", "build", *map(str, paths), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def sources(out: Path) -> tuple[set[str], set[str], set[str]]:
    """The report files of graph.json, of graph.graphml and of extractions/ in ``out``."""
    graph = read_graph(out / "graph.json")
    in_json = {data["source"] for _, data in graph.nodes(data=True) if data["label"] == "Report"}
    graphml = nx.read_graphml(out / "graph.graphml")
    in_graphml = {data["source"] for _, data in graphml.nodes(data=True) if data.get("label") == "Report"}
    extractions = {
        json.loads(path.read_text(encoding="utf-8"))["doc"] for path in (out / "extractions").glob("*.json")
    }
    return in_json, in_graphml, extractions


def whole(out: Path) -> set[str]:
    """The reports of the one build ``out`` holds (its three outputs agree)."""
    in_json, in_graphml, extractions = sources(out)
    assert in_json == in_graphml == extractions
    return in_json


@pytest.fixture(scope="module")
def halves(sample_reports: list[Path]) -> tuple[list[Path], list[Path]]:
    return sample_reports[:2], sample_reports[2:]


def names(paths: list[Path]) -> set[str]:
    return {path.name for path in paths}


def test_a_later_build_replaces_every_output(halves: tuple[list[Path], list[Path]], tmp_path: Path) -> None:
    first, second = halves
    for paths in (first, second):
        build = start_build(paths, tmp_path)
        assert build.wait() == 0, build.communicate()
    assert whole(tmp_path) == names(second)


@pytest.mark.slow
def test_two_builds_at_once_leave_one_whole_build(
    halves: tuple[list[Path], list[Path]], tmp_path: Path
) -> None:
    builds = [start_build(paths, tmp_path) for paths in halves]
    for build in builds:
        assert build.wait() == 0, build.communicate()
    assert whole(tmp_path) in (names(halves[0]), names(halves[1]))


@pytest.mark.slow
def test_sigint_while_writing_leaves_the_previous_build_whole(
    halves: tuple[list[Path], list[Path]], sample_reports: list[Path], tmp_path: Path
) -> None:
    previous = start_build(halves[0], tmp_path)
    assert previous.wait() == 0
    before = (tmp_path / "graph.json").stat()
    build = start_build(sample_reports, tmp_path)
    # Interrupt once the new build has begun to write its graph, wherever it writes it.
    while build.poll() is None:
        written = [
            path for path in tmp_path.rglob("graph.json*") if path.stat().st_mtime_ns > before.st_mtime_ns
        ]
        if written:
            build.send_signal(signal.SIGINT)
            break
        time.sleep(0.002)
    build.wait()
    assert whole(tmp_path) in (names(halves[0]), names(sample_reports))


@pytest.mark.parametrize(
    ("out", "locked"),
    [("predictions", "predictions"), ("build/extractions", "build")],
)
def test_extract_waits_for_the_folder_a_build_or_extraction_holds(
    sample_reports: list[Path], tmp_path: Path, out: str, locked: str
) -> None:
    """The test holds the lock a build (or an extraction) holds: `edukg extract` says it waits and
    writes nothing until the lock is free, then writes every report."""
    (tmp_path / locked).mkdir(parents=True)
    descriptor = os.open(tmp_path / locked / ".build.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    extract = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "edukg.cli",
            "extract",
            *map(str, sample_reports[:2]),
            "--out",
            str(tmp_path / out),
        ],
        stderr=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        assert extract.stderr is not None
        line = extract.stderr.readline()
        assert line == f"edukg: waiting for another build or extraction into {tmp_path / locked} to finish\n"
        assert not list((tmp_path / out).glob("*.json"))
    finally:
        os.close(descriptor)  # frees the lock
    stdout, _ = extract.communicate(timeout=300)
    assert extract.returncode == 0
    assert stdout.startswith("2 extracted, 0 failed")
    assert len(list((tmp_path / out).glob("*.json"))) == 2
