"""Properties of the pipeline over arbitrary text and reports spliced from the samples' sentences.

tests/graph/test_extract.py already checks the offset invariants on short arbitrary
text and on genre fragments, and tests/graph/test_build.py that reversing the
extractions gives the same graph. Here: whole reports spliced from random sentences
of data/reports, longer text mixing them with hostile characters, ids across runs
(in fresh processes with other hash seeds) and across file orders, through files.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edukg.graph.build import build_from_paths, build_graph
from edukg.graph.extract import extract
from edukg.ingest import report_from_text
from edukg.text import strip_quotes

ROOT = Path(__file__).resolve().parents[2]
SENTENCE_END = re.compile(r"(?<=[。；！？\n])")
MARKERS = ["一、", "二、", "（一）", "（二）", "一是", "二是", "下一步，", "今后，", ""]
ODD = ["\u200b", "\u200d", "\u202e", "\u2066", "\ufeff", "\u0301", "\t", " ", "\r\n", "\\", "`", "{", "}"]


def sample_sentences() -> list[str]:
    sentences = []
    for path in sorted((ROOT / "data" / "reports").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sentences += [piece.strip() for piece in SENTENCE_END.split(text) if piece.strip()]
    return sentences


SENTENCES = sample_sentences()
spliced_lines = st.lists(
    st.tuples(st.sampled_from(MARKERS), st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4)).map(
        lambda line: line[0] + "".join(line[1])
    ),
    min_size=1,
    max_size=25,
)
spliced_reports = st.tuples(st.sampled_from(SENTENCES), spliced_lines).map(
    lambda report: "\n".join([report[0], *report[1]])
)
mixed_text = st.lists(
    st.one_of(st.sampled_from(SENTENCES), st.sampled_from(ODD), st.text(max_size=20)), max_size=30
).map("".join)

INSERTS = [*ODD, "“", "”", "《", "》", '"', "'", "、", "。", "\n", "**", "×", "<script>", "市", "局"]


def insert(report: tuple[str, list[tuple[int, str]]]) -> str:
    text, pieces = report
    for at, piece in sorted(pieces, reverse=True):
        at %= len(text) + 1
        text = text[:at] + piece + text[at:]
    return text


# Spliced reports with marks, masks and odd characters dropped anywhere, also inside names.
broken_reports = st.tuples(
    spliced_reports, st.lists(st.tuples(st.integers(0, 5000), st.sampled_from(INSERTS)), max_size=40)
).map(insert)


def check_offsets(text: str) -> None:
    """Extraction does not raise, and every offset slices the report text back to what it names."""
    report = report_from_text(text, "property.txt")
    extraction = extract(report)
    keys = {entity.key for entity in extraction.entities}
    assert extraction.bureau in keys
    for sentence in report.sentences:
        assert 0 <= sentence.start <= sentence.end <= len(report.text)
    for entity in extraction.entities:
        for mention in entity.mentions:
            assert 0 <= mention.start < mention.end <= len(report.text)
            surface = report.text[mention.start : mention.end]
            if entity.type == "Metric":
                assert surface == entity.metric.value
            else:
                assert strip_quotes(surface) in {
                    strip_quotes(name) for name in (entity.name, *entity.aliases)
                }
            sentence = report.sentences[mention.sentence]
            assert sentence.start <= mention.start and mention.end <= sentence.end
    for relation in extraction.relations:
        assert relation.source in keys and relation.target in keys
        for evidence in relation.evidence:
            sentence = report.sentences[evidence.sentence]
            assert (evidence.start, evidence.end) == (sentence.start, sentence.end)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spliced_reports)
def test_spliced_reports_extract_with_exact_offsets(text: str) -> None:
    check_offsets(text)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_text)
def test_report_sentences_among_odd_characters_extract_with_exact_offsets(text: str) -> None:
    check_offsets(text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_reports)
def test_spliced_reports_with_characters_dropped_in_extract_with_exact_offsets(text: str) -> None:
    check_offsets(text)


def graph_meaning(graph: nx.MultiDiGraph) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    return dict(graph.nodes(data=True)), {
        (u, v, k): data for u, v, k, data in graph.edges(keys=True, data=True)
    }


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(spliced_reports, min_size=2, max_size=4, unique=True), st.randoms(use_true_random=False))
def test_ids_do_not_depend_on_file_order_or_rerun(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], order: random.Random
) -> None:
    folder = tmp_path_factory.mktemp("order")
    files = [folder / f"{index}.txt" for index in range(len(texts))]
    for path, text in zip(files, texts, strict=True):
        path.write_text(text, encoding="utf-8")
    first = build_from_paths(files)
    shuffled = list(files)
    order.shuffle(shuffled)
    again = build_from_paths(shuffled)
    assert first.failures == again.failures == ()
    assert graph_meaning(again.graph) == graph_meaning(first.graph)


def test_report_and_entity_ids_are_the_text_not_the_run() -> None:
    """Ids from one extraction match ids from a fresh Report of the same text, by value."""
    text = "\n".join(SENTENCES[:40])
    one = build_graph([extract(report_from_text(text, "a.txt"))])
    two = build_graph([extract(report_from_text(text, "a.txt"))])
    assert graph_meaning(one) == graph_meaning(two)
    assert all(re.fullmatch(r"[a-z]+:[0-9a-f]{16}", node) for node in one)


def node_link(path: Path) -> tuple[dict[str, Any], dict[tuple[str, str, str], Any]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return (
        {node["id"]: node for node in data["nodes"]},
        {(edge["source"], edge["target"], edge["key"]): edge for edge in data["edges"]},
    )


@pytest.mark.slow
def test_edukg_build_gives_the_same_graph_in_other_processes_and_orders(tmp_path: Path) -> None:
    """Two runs of ``edukg build``: other hash seeds (set order), files given in reverse order."""
    rng = random.Random(9)
    files = []
    for index in range(6):
        lines = [rng.choice(SENTENCES)]
        lines += [rng.choice(MARKERS) + "".join(rng.sample(SENTENCES, 3)) for _ in range(15)]
        files.append(tmp_path / f"spliced-{index}.txt")
        files[-1].write_text("\n".join(lines), encoding="utf-8")
    graphs = []
    for seed, ordered in (("1", files), ("2", files[::-1])):
        out = tmp_path / f"out-{seed}"
        subprocess.run(
            [sys.executable, "-m", "edukg.cli", "build", *map(str, ordered), "--out", str(out), "--strict"],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=300,
        )
        graphs.append(node_link(out / "graph.json"))
    assert len(graphs[0][0]) > 50
    assert graphs[0] == graphs[1]


def test_files_with_the_same_text_give_a_graph_independent_of_order(tmp_path: Path) -> None:
    text = "\n".join(SENTENCES[:10])
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_text(text, encoding="utf-8")
    second.write_text(text, encoding="utf-8")
    assert graph_meaning(build_from_paths([first, second]).graph) == graph_meaning(
        build_from_paths([second, first]).graph
    )
