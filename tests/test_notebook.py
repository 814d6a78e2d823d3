"""The walkthrough notebook runs from top to bottom, and notebooks are committed without outputs.

The notebook runs with nbclient in a kernel of this interpreter: the kernel spec
manager is given no kernel folders, so ``python3`` is the ipykernel of this
environment whatever kernels the machine has installed. It runs from a scratch folder
outside the clone (it finds the sample reports installed with edukg), with ``TMPDIR``
set to that folder so that the embedded FalkorDB it starts (in a temporary folder)
lives there, and the kernel talks over unix sockets in that folder rather than TCP.
Its last cell must stop that server and delete its temporary folder; the test checks
that nothing is left and stops a server in any case.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from edukg.graph import embedded

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
WALKTHROUGH = NOTEBOOKS / "walkthrough.ipynb"
CELL_TIMEOUT = 180


@dataclass(frozen=True, slots=True)
class Executed:
    notebook: nbformat.NotebookNode
    work: list[Path]  # the folders the notebook made with tempfile.mkdtemp
    left_running: list[Path]  # those whose FalkorDB still ran after the last cell


def execute(scratch: Path, **environment: str) -> nbformat.NotebookNode:
    """The walkthrough, run in ``scratch`` (its working folder and TMPDIR) with ``environment`` added."""
    import matplotlib.font_manager  # noqa: F401  (builds matplotlib's font cache here, not on the kernel's stderr)
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    notebook = nbformat.read(WALKTHROUGH, as_version=4)
    kernel = KernelManager(
        kernel_name="python3",
        kernel_spec_manager=KernelSpecManager(kernel_dirs=[]),
        transport="ipc",
        ip=str(scratch / "kernel"),
    )
    assert kernel.kernel_spec is not None and kernel.kernel_spec.argv[0] == sys.executable
    client = NotebookClient(
        notebook, km=kernel, timeout=CELL_TIMEOUT, resources={"metadata": {"path": str(scratch)}}
    )
    environment = {**os.environ, "TMPDIR": str(scratch), **environment}
    client.execute(env=environment)  # the kernel's environment only
    return notebook


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Executed]:
    scratch = tmp_path_factory.mktemp("walkthrough")
    try:
        notebook = execute(scratch, EDUKG_REPORTS="")
        work = sorted(scratch.glob("edukg-walkthrough-*"))
        yield Executed(notebook, work, [folder for folder in work if embedded.status(folder)])
    finally:
        for folder in scratch.glob("edukg-walkthrough-*"):
            embedded.stop(folder)


def outputs_of(notebook: nbformat.NotebookNode, source: str) -> str:
    """The text and HTML that the code cell containing ``source`` printed or displayed."""
    [cell] = [cell for cell in notebook.cells if cell.cell_type == "code" and source in cell.source]
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type in ("display_data", "execute_result"):
            parts.append(output.data.get("text/html", output.data.get("text/plain", "")))
    return "\n".join(parts)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("build_from_paths([REPORTS])", ["读入 5 份报告，失败 0 份", "图谱："]),
        ("def place_of", ["002_a69d6ec3abac42da.txt  区级  未具名区"]),
        ("names_zh = ", ["Programme", "工程项目", "RESPONSIBLE_FOR", "负责", "INSTANCE_OF"]),
        ('"思政" in', ["区教育局 → 大中小学思政一体化建设", "002_a69d6ec3abac42da.txt 第"]),
        (
            "shared = []",
            ["主题教育（举措）：4 份报告", "双一流建设（举措）", "双一流二期建设"],
        ),
        ("server = embedded.start(work)", ["unix socket", "the store now holds"]),
        ('ask("shared_initiatives"', ["<th>cities</th>", "主题教育", "双一流建设"]),
        ('ask("bureau_responsibilities"', ["<td style='text-align:left'>区教育局</td>", "主题教育专项整治"]),
        ('ask("fact_evidence"', ["<th>text</th>", "002_a69d6ec3abac42da.txt"]),
        ("cities_view(graph)", ["cities.html", "<iframe srcdoc=", "Cities side by side"]),
        ('run_sparql(rdf, "shared_initiatives"', ["个三元组", "<th>city_count</th>", "双一流建设"]),
        ("embedded.stop(work)", ["已停止：embedded FalkorDB", "已删除临时文件夹：True"]),
        ("plt.subplots", ["<Figure size", "个地区报告了它"]),
    ],
)
def test_walkthrough_cell_shows(executed: Executed, cell: str, expected: list[str]) -> None:
    shown = outputs_of(executed.notebook, cell)
    assert [text for text in expected if text not in shown] == [], shown[:2000]


@pytest.mark.slow
def test_walkthrough_view_is_offline(executed: Executed) -> None:
    """The inline cities page is the whole page in ``srcdoc``: no script or style is fetched."""
    frame = outputs_of(executed.notebook, "cities_view(graph)")
    assert "vis.Network" in frame or "vis-network" in frame
    assert "src=&quot;http" not in frame and "href=&quot;http" not in frame


@pytest.mark.slow
def test_walkthrough_stops_its_store_and_cleans_up(executed: Executed) -> None:
    assert executed.work == [], "the notebook's last cell deletes its temporary folder"
    assert executed.left_running == []


@pytest.mark.slow
def test_walkthrough_draws_its_charts(executed: Executed) -> None:
    [cell] = [cell for cell in executed.notebook.cells if "plt.subplots" in cell.source]
    images = [output for output in cell.outputs if "image/png" in output.get("data", {})]
    assert len(images) == 1


@pytest.mark.slow
def test_walkthrough_stops_on_an_empty_build(tmp_path: Path) -> None:
    from nbclient.exceptions import CellExecutionError

    empty = tmp_path / "no-reports"
    empty.mkdir()
    with pytest.raises(CellExecutionError, match="没有读入任何报告"):
        execute(tmp_path, EDUKG_REPORTS=str(empty))
    assert list(tmp_path.glob("edukg-walkthrough-*")) == []  # it stopped before making one


@pytest.mark.slow
def test_walkthrough_has_no_errors_or_warnings(executed: Executed) -> None:
    streams = [
        output
        for cell in executed.notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "error" or output.get("name") == "stderr"
    ]
    assert streams == []


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda path: path.name)
def test_committed_notebook_has_no_outputs(path: Path) -> None:
    """Outputs stay out of git: clear them before committing (Jupyter: Edit > Clear Outputs of All Cells)."""
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    dirty = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert dirty == [], f"{path.name}: cells {dirty} have outputs or execution counts"


def test_walkthrough_is_a_python3_notebook() -> None:
    notebook = nbformat.read(WALKTHROUGH, as_version=4)
    assert notebook.metadata.kernelspec.name == "python3"
    assert any("build_from_paths" in cell.source for cell in notebook.cells)
