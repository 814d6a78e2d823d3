"""The sinks after the build, before and after issue 23, side by side in one run.

For each graph (``--graph DIR``, an ``edukg build`` output folder; copied, never written
into) and each code tree (``--tree NAME=DIR``, a worktree with its own ``.venv``), every
sink runs in a child process from graph.json to its output: writing graph.json again
(the baseline), N-Triples, Turtle, JSON-LD, the views, and reading graph.json alone.
Each row gives the wall time, the peak memory of the child (``wait4``'s ``ru_maxrss``),
the output's size and the time as a multiple of the same tree's baseline. A child runs
with ``-P``, so that it imports its own tree's package, not the one of the folder it
starts in; one that runs past ``--limit`` seconds is stopped, and its row says so and
what it had written.

    .venv/bin/python bench/bench_sinks.py --graph /work/benchdata/graph1k \\
        --tree before=/work/wt-sinks-before --tree after=. --limit 600
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# sink -> the Python a child runs, with GRAPH (graph.json) and OUT (a folder) defined
SINKS = {
    "graph.json (baseline)": (
        "from edukg.graph.export_json import read_graph, write_graph\n"
        "write_graph(read_graph(GRAPH), OUT / 'graph.json')"
    ),
    "read_graph": "from edukg.graph.export_json import read_graph\nread_graph(GRAPH)",
    **{
        f"RDF {name}": (
            "from edukg.cli import main\n"
            f"main(['export', 'rdf', '--graph', str(GRAPH), '--out', str(OUT), '--format', '{name}'],"
            " standalone_mode=False)"
        )
        for name in ("nt", "turtle", "json-ld")
    },
    "views": (
        "from edukg.cli import main\n"
        "main(['view', '--graph', str(GRAPH), '--out', str(OUT)], standalone_mode=False)"
    ),
}


@dataclass(frozen=True)
class Row:
    graph: str
    tree: str
    sink: str
    seconds: float
    peak_bytes: int
    output_bytes: int
    stopped: bool
    failure: str = ""  # the child's last line of error output, if it failed


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def run_sink(python: Path, graph_json: Path, code: str, limit: float) -> tuple[float, int, int, bool, str]:
    """Seconds, peak RSS (bytes), bytes written, whether it was stopped and its failure, for one child."""
    with tempfile.TemporaryDirectory(dir=graph_json.parent) as folder:
        out = Path(folder)
        program = (
            f"from pathlib import Path\nGRAPH = Path({str(graph_json)!r})\nOUT = Path({folder!r})\n{code}\n"
        )
        start = time.perf_counter()
        child = subprocess.Popen(
            [str(python), "-P", "-c", program],
            stdout=subprocess.DEVNULL,
            stderr=(out / "stderr.txt").open("wb"),
            start_new_session=True,
        )
        stopped = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > limit:
                os.killpg(child.pid, signal.SIGKILL)
                stopped = True
                _, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.2)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        errors = (out / "stderr.txt").read_text(encoding="utf-8", errors="replace").strip().splitlines()
        failure = (
            (errors or [f"exit code {child.returncode}"])[-1] if child.returncode and not stopped else ""
        )
        (out / "stderr.txt").unlink()
        return seconds, usage.ru_maxrss * 1024, _size(out), stopped, failure


def to_markdown(rows: list[Row]) -> str:
    lines = [
        "| graph | sink | tree | time | peak memory | output | time / baseline |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        baseline = next(
            r for r in rows if (r.graph, r.tree, r.sink) == (row.graph, row.tree, "graph.json (baseline)")
        )
        over = "> " if row.stopped else ""
        if row.failure:
            lines.append(f"| {row.graph} | {row.sink} | {row.tree} | failed: {row.failure} | | | |")
            continue
        lines.append(
            f"| {row.graph} | {row.sink} | {row.tree} | {over}{row.seconds:.0f} s"
            f"{' (stopped)' if row.stopped else ''} | {row.peak_bytes / 2**20:,.0f} MB | "
            f"{row.output_bytes / 2**20:,.0f} MB{' so far' if row.stopped else ''} | "
            f"{over}{row.seconds / baseline.seconds:.1f}x |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--graph", action="append", type=Path, required=True, help="a build's output folder")
    parser.add_argument("--tree", action="append", required=True, help="NAME=DIR, a worktree with .venv")
    parser.add_argument("--sink", action="append", choices=list(SINKS), help="only these sinks")
    parser.add_argument("--limit", type=float, default=600.0, help="seconds before a child is stopped")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()), help="where to copy graphs")
    options = parser.parse_args()
    rows = []
    for source in options.graph:
        folder = options.work / f"bench-sinks-{source.name}"
        folder.mkdir(parents=True, exist_ok=True)
        graph_json = folder / "graph.json"
        if not graph_json.exists():
            shutil.copyfile(source / "graph.json", graph_json)
        for sink in [
            "graph.json (baseline)",
            *(s for s in options.sink or SINKS if s != "graph.json (baseline)"),
        ]:
            for tree in options.tree:
                name, _, path = tree.partition("=")
                python = Path(path).resolve() / ".venv" / "bin" / "python"
                row = Row(source.name, name, sink, *run_sink(python, graph_json, SINKS[sink], options.limit))
                rows.append(row)
                print(row, file=sys.stderr, flush=True)
    print(to_markdown(rows))


if __name__ == "__main__":
    main()
