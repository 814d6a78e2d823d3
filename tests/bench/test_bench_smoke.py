"""The benchmark at N = 20: the corpus generator, and one short run of every measurement.

Not a timed test: it checks that the benchmark still runs and says everything it should.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from edukg.ingest import report_from_text

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
FIGURES = (
    "extraction throughput",
    "extraction time / jieba.lcut time",
    "speed-up of edukg build --workers 2",
    "speed-up of jieba.lcut alone in 2 processes",
    "time(20) / time(10) of edukg build",
    "peak memory of edukg build, 20 reports",
    "load into the embedded FalkorDB",
    "restart of the embedded FalkorDB holding that graph",
)


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    """bench/generate_corpus.py (bench/ is a folder of scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("generate_corpus", BENCH / "generate_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def corpus(generator: ModuleType) -> list[str]:
    return generator.generate_corpus(20, 7, generator.load_samples(), generator.load_places())


def test_corpus_is_reproducible_for_a_seed(generator: ModuleType, corpus: list[str]) -> None:
    samples, places = generator.load_samples(), generator.load_places()
    assert generator.generate_corpus(20, 7, samples, places) == corpus
    assert generator.generate_corpus(5, 7, samples, places) == corpus[:5]
    assert generator.generate_corpus(20, 8, samples, places) != corpus


def test_corpus_reports_differ_and_read_as_reports(generator: ModuleType, corpus: list[str]) -> None:
    assert len(set(corpus)) == len(corpus)
    reports = [report_from_text(text, f"r{index}.txt") for index, text in enumerate(corpus)]
    assert all(report.bureau and len(report.sentences) >= 10 for report in reports)
    named = {report.jurisdiction for report in reports if not report.jurisdiction_masked}
    assert named <= set(generator.load_places())
    assert len(named) >= 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一、总体情况。完成培训3场！其他", ["一、总体情况。", "完成培训3场！", "其他"]),
        ("没有句末标点", ["没有句末标点"]),
    ],
)
def test_split_sentences(generator: ModuleType, text: str, expected: list[str]) -> None:
    assert generator.split_sentences(text) == expected


@pytest.mark.slow
def test_benchmark_runs_every_measurement(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    run = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run_bench.py"),
            "--small=10",
            "--large=20",
            "--profile-reports=4",
            "--rounds=1",
            "--build-rounds=1",
            f"--corpus={tmp_path / 'corpus'}",
            f"--results={results}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    written = results.read_text(encoding="utf-8")
    for figure in FIGURES:
        assert f"\n{figure}: " in "\n" + run.stdout
        assert f"| {figure} | " in written
    for detail in ("| CPU |", "| memory |", "| Python |", "| jieba |", "| load average before extraction |"):
        assert detail in written
    assert "| segmentation (jieba) |" in written
    assert len(list((tmp_path / "corpus" / "seed0-n20").glob("report_*.txt"))) == 20
