from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from edukg.cli import main
from edukg.graph import render_html
from edukg.graph.export_json import write_graph


def test_view_writes_every_page_beside_the_graph(sample_graph: Any, tmp_path: Path) -> None:
    graph_json = write_graph(sample_graph, tmp_path / "graph.json")
    result = CliRunner().invoke(main, ["view", "--graph", str(graph_json)])
    assert result.exit_code == 0, result.output
    pages = sorted(path.name for path in (tmp_path / "views").glob("*.html"))
    assert pages == sorted(render_html.to_pages(sample_graph))
    assert {"graph.html", "cities.html", "index.html"} <= set(pages)
    assert str(tmp_path / "views" / "index.html") in result.output


def test_view_help_says_it_writes_files() -> None:
    text = CliRunner().invoke(main, ["view", "--help"]).output
    assert "writes files and opens nothing" in " ".join(text.split())


def test_view_without_a_graph_says_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["view", "--graph", str(tmp_path / "missing.json")])
    assert result.exit_code == 1
    assert "edukg build" in result.output
    assert "Traceback" not in result.output
