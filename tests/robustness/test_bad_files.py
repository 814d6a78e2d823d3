"""Bad files through ``edukg build`` as a user runs it: one clear line each, and every good file read.

The reader-level cases (each bad input alone, its exact reason) are in
tests/ingest/test_readers.py and one bad file beside one good one in
tests/cli/test_pipeline.py; here they all go through one run together (as user
nobody, in one and in two worker processes), with the cases that only a whole run
shows: folders that cannot be listed, symbolic link loops, a 100 MB file and a .docx
that unpacks to hundreds of MB (peak memory measured), thousands of files, file names
in GBK bytes or with control characters, and a graph file that is no graph.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

NOBODY = 65534
UNDECODABLE = "cannot decode as UTF-8, GB18030 or UTF-16"
AS_ROOT = os.geteuid() == 0


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    max_rss_kb: int


def run_edukg(*args: str, as_nobody: bool = False, tmp: Path | None = None) -> Run:
    """``edukg ARGS`` in a child process; its peak memory comes from ``wait4``."""
    env = {**os.environ}
    if tmp is not None:
        # jieba keeps its cache in the temp folder; another user's cache there is not ours to replace.
        env["TMPDIR"] = str(tmp)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        # util-linux's setpriv: Popen(user=...) cannot exec this venv's interpreter as nobody here.
        drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
        child = subprocess.Popen(
            [*(drop if as_nobody and AS_ROOT else []), sys.executable, "-m", "edukg.cli", *args],
            stdout=out,
            stderr=err,
            env=env,
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            child.returncode,
            out.read().decode("utf-8"),
            err.read().decode("utf-8"),
            usage.ru_maxrss,
        )


def docx_bytes(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.drawString(72, 720, text)
    page.save()
    return buffer.getvalue()


def unreadable(path: Path) -> Path:
    """Shut others out; root reads anything, so the run drops to nobody (else the owner is shut out)."""
    path.chmod(0o700 if path.is_dir() else 0o600)
    if not AS_ROOT:
        path.chmod(0)
    return path


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(0o644)
    return path


def mixed_encodings(sample: str) -> bytes:
    """A UTF-8 report whose later lines were pasted in from a GBK file."""
    lines = sample.splitlines()
    return "\n".join(lines[:3]).encode("utf-8") + b"\n" + "\n".join(lines[3:6]).encode("gbk")


# (path under the folder, how to make it from (path, a sample report's text), reason)
BAD: list[tuple[str, Callable[[Path, str], Path], str]] = [
    ("in/empty.txt", lambda p, s: write(p, b""), "empty file"),
    ("in/binary.txt", lambda p, s: write(p, bytes(range(256)) * 16), "binary data, not text"),
    (
        "in/truncated.docx",
        lambda p, s: write(p, docx_bytes(s[:200])[:900]),
        "not a valid .docx (truncated or corrupt)",
    ),
    (
        "in/truncated.pdf",
        lambda p, s: write(p, pdf_bytes("report")[:600]),
        "not a valid .pdf (truncated or corrupt)",
    ),
    ("in/undecodable.txt", lambda p, s: write(p, b"\x81\x20\xff\xfe\xfd\x80" * 50), UNDECODABLE),
    ("in/mixed.txt", lambda p, s: write(p, mixed_encodings(s)), UNDECODABLE),
    ("in/secret.txt", lambda p, s: unreadable(write(p, s.encode())), "permission denied"),
    (
        "in/locked",
        lambda p, s: unreadable(write(p / "inside.txt", s.encode()).parent),
        "permission denied (cannot list the folder)",
    ),
    (
        "in/loop.txt",
        lambda p, s: (p.symlink_to(p.name), p)[1],
        "too many levels of symbolic links",
    ),
    ("in/dangling.txt", lambda p, s: (p.symlink_to("gone.txt"), p)[1], "no such file"),
    ("given-secret.txt", lambda p, s: unreadable(write(p, s.encode())), "permission denied"),
    (
        "given-shut/inside.txt",
        lambda p, s: (write(p, s.encode()), unreadable(p.parent))[0],
        "permission denied",
    ),
    (
        "given-locked",
        lambda p, s: unreadable(write(p / "inside.txt", s.encode()).parent),
        "permission denied (cannot list the folder)",
    ),
]
GIVEN = [
    "given-secret.txt",
    "given-shut/inside.txt",
    "given-locked",
]  # named on the command line, not found in a folder


@dataclass(frozen=True)
class BadRun:
    folder: Path
    run: Run
    good: list[str]


@pytest.fixture(scope="module", params=[1, 2], ids=["1 worker", "2 workers"])
def bad_run(sample_reports: list[Path], request: pytest.FixtureRequest) -> Iterator[BadRun]:
    """One ``edukg build`` over good and bad files together, as user nobody, in one or two processes."""
    folder = Path(tempfile.mkdtemp(prefix="edukg-bad-"))
    folder.chmod(0o755)
    sample = sample_reports[0].read_text(encoding="utf-8")
    good = {
        "in/a.txt": sample_reports[0],
        "in/nested/b.txt": sample_reports[1],
        "in/nested/deeper/c.txt": sample_reports[2],
        "given-good.txt": sample_reports[3],
    }
    for relative, source in good.items():
        write(folder / relative, source.read_bytes())
    for relative, make, _ in BAD:
        make(folder / relative, sample)
    (folder / "in" / "nested" / "cycle").symlink_to("..", target_is_directory=True)
    for directory in (folder / "in", folder / "in" / "nested", folder / "in" / "nested" / "deeper"):
        directory.chmod(0o755)
    for writable in (folder / "out", folder / "tmp"):
        writable.mkdir()
        writable.chmod(0o777)
    given = [str(folder / name) for name in ("in", *GIVEN, "given-good.txt")]
    workers = ["--workers", str(request.param)]
    run = run_edukg(
        "build", *given, *workers, "--out", str(folder / "out"), as_nobody=True, tmp=folder / "tmp"
    )
    try:
        yield BadRun(folder, run, sorted(Path(relative).name for relative in good))
    finally:
        for path in (folder / "in" / "locked", folder / "given-locked", folder / "given-shut"):
            path.chmod(0o755)
        shutil.rmtree(folder)


@pytest.mark.slow
@pytest.mark.parametrize(("relative", "reason"), [(r, why) for r, _, why in BAD], ids=[r for r, _, _ in BAD])
def test_bad_file_gets_one_line_naming_file_and_reason(bad_run: BadRun, relative: str, reason: str) -> None:
    path = str(bad_run.folder / relative)
    lines = [line for line in bad_run.run.stderr.splitlines() if f"{path}:" in line]
    assert lines == [f"edukg: skipped {path}: {reason}"]


@pytest.mark.slow
def test_bad_files_leave_no_traceback_and_every_good_file_read(bad_run: BadRun) -> None:
    run = bad_run.run
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert len(run.stderr.splitlines()) == len(BAD), run.stderr  # nothing but the one line per file
    assert f"reports: {len(bad_run.good)} read, {len(BAD)} failed" in run.stdout
    graph = json.loads((bad_run.folder / "out" / "graph.json").read_text(encoding="utf-8"))
    sources = sorted(node["source"] for node in graph["nodes"] if node["label"] == "Report")
    assert sources == bad_run.good  # each once, though a symbolic link loops back over two of them


def repeated_text(sample: str, size: int) -> bytes:
    unit = sample.encode("utf-8")
    return unit * (size // len(unit) + 1)


@pytest.mark.slow
def test_100_mb_text_file_is_refused_in_bounded_memory(sample_reports: list[Path], tmp_path: Path) -> None:
    """The size limit refuses it before reading: the run's peak memory is that of a run without it."""
    huge = tmp_path / "huge.txt"
    huge.write_bytes(repeated_text(sample_reports[0].read_text(encoding="utf-8"), 100 * 1024 * 1024))
    good = str(sample_reports[1])
    alone = run_edukg("build", good, "--out", str(tmp_path / "alone"))
    both = run_edukg("build", str(huge), good, "--out", str(tmp_path / "both"))
    assert both.returncode == 0 and alone.returncode == 0, both.stderr
    assert both.stderr.splitlines() == [f"edukg: skipped {huge}: too large (100.0 MB > 20 MB)"]
    assert "reports: 1 read, 1 failed" in both.stdout
    assert both.max_rss_kb - alone.max_rss_kb < 32 * 1024, (both.max_rss_kb, alone.max_rss_kb)


@pytest.mark.slow
def test_thousands_of_files_are_all_built(tmp_path: Path) -> None:
    """3,000 small reports in 30 yearly folders that reuse the same 100 file names, plus a bad one."""
    folders, per_folder = 30, 100
    for year in range(folders):
        for number in range(per_folder):
            place = f"第{year:02}{number:03}市"  # unique: equal texts are one report
            (tmp_path / "in" / f"{2000 + year}").mkdir(parents=True, exist_ok=True)
            (tmp_path / "in" / f"{2000 + year}" / f"report-{number:03}.txt").write_text(
                f"{place}教育局工作总结\n一、主要工作\n{place}教育局开展“强师计划”，培训教师{year * number}人。\n",
                encoding="utf-8",
            )
    (tmp_path / "in" / "2000" / "broken.txt").write_bytes(b"")
    out = tmp_path / "out"
    run = run_edukg("build", str(tmp_path / "in"), "--out", str(out), "--workers", "2")
    total = folders * per_folder
    assert run.returncode == 0, run.stderr
    assert f"reports: {total} read, 1 failed" in run.stdout
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    assert sum(node["label"] == "Report" for node in graph["nodes"]) == total
    assert len(list((out / "extractions").glob("*.json"))) == total  # no report's file overwrites another's


@pytest.mark.slow
@pytest.mark.skipif(not AS_ROOT, reason="needs root to make a jieba cache another user cannot replace")
def test_another_users_jieba_cache_prints_no_traceback(sample_reports: list[Path]) -> None:
    folder = Path(tempfile.mkdtemp(prefix="edukg-tmp-"))  # pytest's tmp_path is private to root
    try:
        folder.chmod(0o1777)  # like /tmp: anyone writes, only the owner replaces
        report = write(folder / "report.txt", sample_reports[0].read_bytes())
        first = run_edukg("build", str(report), "--out", str(folder / "root-out"), tmp=folder)
        assert first.returncode == 0 and any(folder.glob("jieba*.cache"))
        run = run_edukg("build", str(report), "--out", str(folder / "out"), as_nobody=True, tmp=folder)
        assert run.returncode == 0, run.stderr
        assert "Traceback" not in run.stderr
    finally:
        shutil.rmtree(folder)


# (file name as bytes, what the graph's `source` says) for good reports with odd names or text
ODD_NAMES = [
    ("报告".encode("gbk") + b".txt", "报告.txt"),  # a GBK name unpacked from a Windows archive
    (b"unit\x1fsep.txt", "unitsep.txt"),
    ("line\nbreak “引号” <b>.txt".encode(), "line\nbreak “引号” <b>.txt"),
]


@pytest.mark.slow
def test_odd_names_and_control_characters_still_build(sample_reports: list[Path], tmp_path: Path) -> None:
    """Every output holds them: graph.json and GraphML parse, and each report is read under its name."""
    import networkx as nx

    sample = sample_reports[0].read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    for index, (name, _) in enumerate(ODD_NAMES):
        lines = sample.splitlines()
        lines[1] = f"{lines[1][:5]}\x01\x1f\x7f\ufffe{lines[1][5:]}{index}"  # controls inside a sentence
        with open(os.path.join(os.fsencode(folder), name), "wb") as report:
            report.write("\n".join(lines).encode("utf-8"))
    run = run_edukg("build", str(folder), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    assert f"reports: {len(ODD_NAMES)} read, 0 failed" in run.stdout
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    sources = sorted(node["source"] for node in graph["nodes"] if node["label"] == "Report")
    assert sources == sorted(source for _, source in ODD_NAMES)
    graphml = nx.read_graphml(tmp_path / "out" / "graph.graphml")
    assert graphml.number_of_nodes() == len(graph["nodes"])
    assert len(list((tmp_path / "out" / "extractions").glob("*.json"))) == len(ODD_NAMES)


@pytest.mark.slow
def test_a_line_break_in_a_bad_files_name_stays_on_its_one_line(
    sample_reports: list[Path], tmp_path: Path
) -> None:
    bad = tmp_path / "bad\nname.txt"
    bad.write_bytes(b"")
    run = run_edukg("build", str(bad), str(sample_reports[0]), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [f"edukg: skipped {tmp_path}/bad name.txt: empty file"]
    assert f"  failed: {tmp_path}/bad name.txt: empty file" in run.stdout.splitlines()


def docx_bomb(path: Path, unpacked_mb: int) -> None:
    """A valid .docx of a few MB whose document.xml unpacks to ``unpacked_mb`` MB, written as a stream."""
    import zipfile

    template = zipfile.ZipFile(io.BytesIO(docx_bytes("市教育局工作总结")))
    paragraph = ("<w:p><w:r><w:t>" + "市教育局工作总结。" * 1000 + "</w:t></w:r></w:p>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as bomb:
        for info in template.infolist():
            data = template.read(info.filename)
            if info.filename != "word/document.xml":
                bomb.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with bomb.open(info.filename, "w", force_zip64=True) as document:
                document.write(head + b"<w:body>")
                for _ in range(unpacked_mb * 1024 * 1024 // len(paragraph)):
                    document.write(paragraph)
                document.write(tail)


@pytest.mark.slow
def test_docx_that_unpacks_to_gigabytes_is_refused_in_bounded_memory(
    sample_reports: list[Path], tmp_path: Path
) -> None:
    """A decompression bomb: before the limit, 2 MB of .docx (770 MB unpacked) took 7.8 GB and 5 min."""
    bomb = tmp_path / "bomb.docx"
    docx_bomb(bomb, 300)
    assert bomb.stat().st_size < 20 * 1024 * 1024
    run = run_edukg("build", str(bomb), str(sample_reports[0]), "--out", str(tmp_path / "out"))
    assert run.returncode == 0, run.stderr
    [line] = run.stderr.splitlines()
    assert re.fullmatch(
        rf"edukg: skipped {re.escape(str(bomb))}: too large unpacked \(30\d\.\d MB > 100 MB\)", line
    )
    assert "reports: 1 read, 1 failed" in run.stdout
    # side by side: the same build without the bomb; unpacking the bomb (300 MB) would show
    alone = run_edukg("build", str(sample_reports[0]), "--out", str(tmp_path / "alone"))
    assert run.max_rss_kb < alone.max_rss_kb + 150 * 1024


NOT_NODE_LINK = [("list.json", "[1, 2]"), ("no-edges.json", '{"nodes": [{"id": "x"}]}')]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "content"), NOT_NODE_LINK, ids=[name for name, _ in NOT_NODE_LINK])
def test_a_json_that_is_no_graph_is_one_clear_error(tmp_path: Path, name: str, content: str) -> None:
    graph = tmp_path / name
    graph.write_text(content, encoding="utf-8")
    run = run_edukg("view", "--graph", str(graph), "--out", str(tmp_path / "out"))
    assert run.returncode == 1
    [line] = run.stderr.splitlines()
    assert line.startswith(f"edukg: error: {graph}: ")
