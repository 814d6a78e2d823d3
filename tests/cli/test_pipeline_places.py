"""edukg build --places: reports placed by a CSV file, and a bad file as one clear line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from edukg.cli import main
from edukg.graph.export_json import read_graph

REAL = Path(__file__).resolve().parent.parent / "data" / "real" / "reports"


def test_build_with_places(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text("file,province,city,county\n08_liuzhou.txt,450204\n", encoding="utf-8")
    reports = [str(REAL / "08_liuzhou.txt"), str(REAL / "22_yancheng.txt")]
    result = CliRunner().invoke(main, ["build", *reports, "--out", str(tmp_path), "--places", str(places)])
    assert result.exit_code == 0, result.output
    graph = read_graph(tmp_path / "graph.json")
    found = {
        data["source"]: (data["province"], data["city"], data["county"], data["bureau"])
        for _, data in graph.nodes(data=True)
        if data["label"] == "Report"
    }
    assert found == {
        "08_liuzhou.txt": ("广西壮族自治区", "柳州市", "柳南区", "柳南区教育局"),
        "22_yancheng.txt": ("江苏省", "盐城市", "", "盐城市教育局"),  # from its text
    }


def test_build_with_a_bad_places_file(tmp_path: Path) -> None:
    places = tmp_path / "places.csv"
    places.write_text("22_yancheng.txt,江苏,南京,阳谷县\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["build", str(REAL / "22_yancheng.txt"), "--out", str(out), "--places", str(places)]
    )
    assert result.exit_code == 1
    assert result.output.strip() == f"edukg: error: {places}: line 1: no county named '阳谷县' in 南京市"
    assert not (out / "graph.json").exists()


def test_build_help_shows_the_places_format() -> None:
    help_text = CliRunner().invoke(main, ["build", "--help"]).output
    assert "--places" in help_text and "file,province,city,county" in help_text
