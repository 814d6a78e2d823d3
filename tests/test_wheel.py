"""edukg as a newcomer installs it: a wheel built from the clone, installed with pip into a
fresh virtual environment (no access to the clone's packages), run from a folder outside
the clone: build, view, load, query, the notebook.

Slow: pip downloads (or takes from its cache) every dependency.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 1800

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel_output: str  # what building the wheel printed
    bin: Path  # the fresh environment's bin folder
    elsewhere: Path  # a folder outside the clone to run commands from

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        environment = {
            key: value for key, value in os.environ.items() if not key.startswith(("NEO4J_", "EDUKG_"))
        }
        environment.pop("PYTHONPATH", None)
        result = subprocess.run(
            [str(self.bin / args[0]), *args[1:]],
            cwd=self.elsewhere,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            env=environment,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(work / "dist"), "--no-deps"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = (work / "dist").glob("edukg-*.whl")
    subprocess.run([sys.executable, "-m", "venv", str(work / "venv")], check=True, timeout=TIMEOUT)
    bin_dir = work / "venv" / "bin"
    installing = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[notebook]"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert installing.returncode == 0, installing.stderr
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    yield Installed(built.stdout + built.stderr, bin_dir, elsewhere)
    subprocess.run([str(bin_dir / "edukg"), "db", "stop"], cwd=elsewhere, capture_output=True, timeout=120)


def test_wheel_builds_without_warnings(installed: Installed) -> None:
    lines = [line for line in installed.wheel_output.splitlines() if "warn" in line.lower()]
    assert lines == []


def test_installed_package_is_not_the_clone(installed: Installed) -> None:
    where = installed.run("python", "-c", "import edukg.data as d; print(d.sample_reports())").stdout.strip()
    assert not where.startswith(str(ROOT)) and Path(where, "000_f0396854c86e362e.txt").is_file()


def test_build_view_load_query_from_the_wheel(installed: Installed) -> None:
    build = installed.run("edukg", "build").stdout
    assert "reports: 5 read, 0 failed" in build
    out = installed.elsewhere / "out"
    assert (out / "graph.json").is_file() and len(list((out / "extractions").glob("*.json"))) == 5

    assert " pages -> out/views/index.html" in installed.run("edukg", "view").stdout
    # the page asks the drawing library and its script beside it, both installed with the wheel
    page = (out / "views" / "graph.html").read_text(encoding="utf-8")
    assert '<script src="vis-network.min.js"></script>' in page and '<script src="view.js"></script>' in page
    assert "vis.Network" in (out / "views" / "view.js").read_text(encoding="utf-8")
    assert "vis" in (out / "views" / "vis-network.min.js").read_text(encoding="utf-8")[:2000]

    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    loaded = installed.run("edukg", "load").stdout
    assert f"holds {len(graph['nodes'])} nodes" in loaded

    cypher = json.loads(
        installed.run("edukg", "query", "run", "shared_initiatives", "--format", "json").stdout
    )
    sparql = json.loads(
        installed.run(
            "edukg", "query", "run", "shared_initiatives", "--engine", "sparql", "--format", "json"
        ).stdout
    )
    assert "主题教育" in {row["concept"] for row in cypher}
    assert "主题教育" in {row["concept"] for row in sparql}
    assert "stopped" in installed.run("edukg", "db", "stop").stdout


def test_a_build_of_nothing_fails_from_the_wheel(installed: Installed) -> None:
    result = installed.run("edukg", "build", "/no/such/path", "--out", "nothing", check=False)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("edukg: error: ")
    assert not (installed.elsewhere / "nothing" / "graph.json").exists()


def test_notebook_runs_in_the_installed_environment(installed: Installed) -> None:
    """`pip install edukg[notebook]` is all the walkthrough needs."""
    script = (
        "import sys, nbformat\n"
        "from nbclient import NotebookClient\n"
        "notebook = nbformat.read(sys.argv[1], as_version=4)\n"
        "NotebookClient(notebook, timeout=300, kernel_name='python3').execute()\n"
        "print(sum(1 for cell in notebook.cells for output in cell.get('outputs', [])"
        " if 'image/png' in output.get('data', {})))\n"
    )
    result = installed.run("python", "-c", script, str(ROOT / "notebooks" / "walkthrough.ipynb"))
    assert result.stdout.strip().splitlines()[-1] == "1"
    assert list(installed.elsewhere.glob("edukg-walkthrough-*")) == []
