"""Report-to-initiative links of whole builds, scored against gold as the shared scorer does.

``link_f1`` is a copy of the logic of ``eval/concept_score.py`` (the copy that runs
without scipy: gold concepts in order, each matched greedily to the predicted concept
that shares most of its reports among those whose names agree), so the project checks
its own target without the shared folder. Gold: ``tests/data/concepts.json`` (the five
sample reports) and ``tests/data/real/concepts.json`` (27 real reports of named places).
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from edukg.graph.build import build_from_paths
from edukg.graph.export_json import write_graph

DATA = Path(__file__).resolve().parents[1] / "data"
ROOT = Path(__file__).resolve().parents[2]
NAME_MIN = 0.4  # the scorer's bigram Dice at which two concepts' names agree
TARGET = 0.85


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} or {text}


def _dice(a: str, b: str) -> float:
    x, y = _bigrams(a), _bigrams(b)
    return 2 * len(x & y) / (len(x) + len(y))


def link_f1(graph: dict[str, Any], gold: dict[str, dict[str, list[str]]]) -> float:
    """Report -> concept link F1 of a node-link graph against gold, as the scorer counts it."""
    nodes = {node["id"]: node for node in graph["nodes"]}
    source = {node["id"]: node["source"] for node in graph["nodes"] if node.get("label") == "Report"}
    entity_reports: dict[str, set[str]] = defaultdict(set)
    for edge in graph["edges"]:
        if edge["type"] == "MENTIONED_IN" and edge["target"] in source:
            entity_reports[edge["source"]].add(source[edge["target"]])
    for node_id, node in nodes.items():
        entity_reports[node_id].update(source[r] for r in node.get("reports") or [] if r in source)
    predicted: dict[str, set[str]] = defaultdict(set)
    for edge in graph["edges"]:
        if edge["type"] == "INSTANCE_OF" and nodes.get(edge["target"], {}).get("label") == "Concept":
            own = {source[edge["source"]]} if edge["source"] in source else set()
            predicted[edge["target"]] |= entity_reports[edge["source"]] | own
    reports = set(gold) & set(source.values())
    gold_reports: dict[str, set[str]] = defaultdict(set)
    phrases: dict[str, set[str]] = defaultdict(set)
    for report in reports:
        for concept, written in gold[report].items():
            gold_reports[concept].add(report)
            phrases[concept] |= set(written)
    predicted = {c: rs & reports for c, rs in predicted.items() if rs & reports}

    def agree(concept: str, node_id: str) -> bool:
        names = set(nodes[node_id].get("aliases") or []) | {nodes[node_id].get("name", "")}
        return max((_dice(a, b) for a in phrases[concept] for b in names if a and b), default=0) >= NAME_MIN

    matched, used = 0, set()
    for concept in sorted(gold_reports):
        candidates = [
            (len(gold_reports[concept] & predicted[p]) * agree(concept, p), p)
            for p in sorted(predicted)
            if p not in used
        ]
        best = max(candidates, default=(0, None))
        if best[0]:
            matched += best[0]
            used.add(best[1])
    gold_links = sum(map(len, gold_reports.values()))
    predicted_links = sum(map(len, predicted.values()))
    precision, recall = matched / predicted_links, matched / gold_links
    return 2 * precision * recall / (precision + recall) if matched else 0.0


@pytest.mark.parametrize(
    ("reports", "gold"),
    [
        (ROOT / "data" / "reports", DATA / "concepts.json"),
        (DATA / "real" / "reports", DATA / "real" / "concepts.json"),
    ],
    ids=["sample", "real"],
)
def test_concept_link_f1_meets_the_target(reports: Path, gold: Path, tmp_path: Path) -> None:
    path = write_graph(build_from_paths([reports]).graph, tmp_path / "graph.json")
    score = link_f1(
        json.loads(path.read_text(encoding="utf-8")), json.loads(gold.read_text(encoding="utf-8"))
    )
    assert score >= TARGET, f"link F1 {score:.3f} < {TARGET}"


def test_link_f1_counts_report_and_entity_links() -> None:
    """The copy counts as the scorer does: a Report's own INSTANCE_OF edge, an entity's
    through MENTIONED_IN, and names matched by Dice, not ids."""
    graph = {
        "nodes": [
            {"id": "report:a", "label": "Report", "source": "a.txt"},
            {"id": "report:b", "label": "Report", "source": "b.txt"},
            {"id": "programme:x", "label": "Programme", "reports": []},
            {"id": "concept:1", "label": "Concept", "name": "双减", "aliases": ["双减工作"]},
            {"id": "concept:2", "label": "Concept", "name": "课后服务"},
        ],
        "edges": [
            {"source": "report:a", "target": "concept:1", "type": "INSTANCE_OF"},
            {"source": "programme:x", "target": "report:b", "type": "MENTIONED_IN"},
            {"source": "programme:x", "target": "concept:1", "type": "INSTANCE_OF"},
            {"source": "report:b", "target": "concept:2", "type": "INSTANCE_OF"},
        ],
    }
    gold = {"a.txt": {"shuangjian": ["双减工作"]}, "b.txt": {"shuangjian": ["落实双减"]}}
    assert link_f1(graph, gold) == pytest.approx(2 * (2 / 3) * 1 / (2 / 3 + 1))
