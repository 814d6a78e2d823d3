"""The CLI end to end: extract, build, bad input, --strict, and --help with an example everywhere."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from edukg.cli import main
from edukg.graph.evaluate import score_directories
from edukg.graph.export_json import read_graph


def test_cli_extract_writes_the_guides_format(
    sample_reports: list[Path], gold_dir: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["extract", *map(str, sample_reports), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(tmp_path.glob("*.json"))  # in the folder itself: scorers read it as it is
    assert [f.stem for f in files] == [p.stem for p in sample_reports]
    document = json.loads(files[0].read_text(encoding="utf-8"))
    assert {"doc", "bureau", "entities", "relations"} <= set(document)
    assert score_directories(gold_dir, tmp_path).f1("entity") > 0.8


def test_cli_build_defaults_to_bundled_reports(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "reports: 5 read, 0 failed" in result.output
    graph = read_graph(tmp_path / "graph.json")
    assert sum(1 for _, d in graph.nodes(data=True) if d["label"] == "Report") == 5
    assert (tmp_path / "graph.graphml").stat().st_size > 0
    assert len(list((tmp_path / "extractions").glob("*.json"))) == 5


BAD_FILES = [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", bytes(range(256)) * 8, "binary"),
    ("truncated.docx", b"PK\x03\x04\x14\x00\x00\x00", "docx"),
    ("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<<", "PDF"),
    ("notes.xyz", "市教育局".encode(), "unsupported file type"),
]


@pytest.mark.parametrize(("name", "content", "reason"), BAD_FILES)
def test_cli_build_reports_bad_files_in_one_line_and_goes_on(
    name: str,
    content: bytes,
    reason: str,
    sample_reports: list[Path],
    tmp_path: Path,
    edukg_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    result = edukg_cli("build", str(bad), str(sample_reports[0]), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if name in line]
    assert lines and reason.lower() in lines[0].lower()
    assert "Traceback" not in result.stderr
    assert "reports: 1 read, 1 failed" in result.stdout


NOTHING_READ = [
    ("a path that does not exist", lambda tmp: [tmp / "no" / "such" / "path"], "none of the 1 report"),
    ("a folder with no report", lambda tmp: [tmp / "empty"], "no report found under"),
    ("only reports that fail", lambda tmp: [tmp / "empty" / "blank.txt"], "none of the 1 report"),
]


@pytest.mark.parametrize("command", ["build", "extract"])
@pytest.mark.parametrize(("case", "paths", "reason"), NOTHING_READ, ids=[case for case, _, _ in NOTHING_READ])
def test_cli_run_that_reads_no_report_fails_in_one_line(
    command: str,
    case: str,
    paths: Any,
    reason: str,
    tmp_path: Path,
    edukg_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    (tmp_path / "empty").mkdir()
    if case == "only reports that fail":
        (tmp_path / "empty" / "blank.txt").write_text("")
    out = tmp_path / "out"
    result = edukg_cli(command, *map(str, paths(tmp_path)), "--out", str(out))
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("edukg: error: ") and reason in last
    assert "Traceback" not in result.stderr
    assert not (out / "graph.json").exists() and not (out / "extractions").exists()


def test_cli_build_strict_fails_on_any_failure(
    sample_reports: list[Path], tmp_path: Path, edukg_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    missing = tmp_path / "missing.txt"
    result = edukg_cli(
        "build", str(missing), str(sample_reports[0]), "--out", str(tmp_path / "out"), "--strict"
    )
    assert result.returncode == 1
    assert "missing.txt" in result.stderr


@pytest.mark.parametrize(
    ("blocked", "workers", "named"),
    [
        ("", "1", ""),  # --out inside a file
        ("graph.json", "1", "graph.json"),
        ("graph.json", "2", "graph.json"),
        ("graph.graphml", "1", "graph.graphml"),
        ("graph.graphml", "2", "graph.graphml"),
    ],
)
def test_cli_build_into_what_it_cannot_write_is_one_clear_line(
    sample_reports: list[Path],
    tmp_path: Path,
    blocked: str,
    workers: str,
    named: str,
    edukg_cli: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    out = tmp_path / "out"
    if blocked:
        (out / blocked).mkdir(parents=True)  # a folder where the file goes
    else:
        (tmp_path / "file").write_text("not a folder")
        out = tmp_path / "file" / "out"
    result = edukg_cli("build", *map(str, sample_reports[:2]), "--out", str(out), "--workers", workers)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()[-1:]
    assert line.startswith("edukg: error: ") and str(out / named).rstrip("/") in line
    assert "Traceback" not in result.stderr


def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize(
    ("path", "command"), list(_commands(main)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_cli_every_command_has_help_with_an_example(path: tuple[str, ...], command: click.Command) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.output, f"edukg {' '.join(path)} --help has no example"


def test_cli_build_load_fills_the_embedded_store(
    tmp_path: Path, sample_reports: list[Path], edukg_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    out = tmp_path / "out"
    try:
        result = edukg_cli("build", *map(str, sample_reports[:2]), "--out", str(out), "--load")
        assert result.returncode == 0, result.stderr
        graph = read_graph(out / "graph.json")
        expected = f"holds {graph.number_of_nodes()} nodes and {graph.number_of_edges()} relationships"
        assert expected in result.stdout
        listed = edukg_cli("query", "run", "audit_unrelated_entities", "--out", str(out), "--format", "json")
        assert listed.returncode == 0, listed.stderr
    finally:
        edukg_cli("db", "stop", "--out", str(out))
    assert "running" not in edukg_cli("db", "status", "--out", str(out)).stdout.replace("not running", "")
