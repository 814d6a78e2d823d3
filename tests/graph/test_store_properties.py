"""What a graph element becomes in a store: properties, record lists, supporting reports."""

from __future__ import annotations

import math
from typing import Any

import networkx as nx
import pytest

from edukg.errors import StoreError
from edukg.graph.store_properties import edge_reports, node_reports, to_properties


@pytest.mark.parametrize(
    ("attributes", "properties", "lists"),
    [
        ({"name": "市教育局", "label": "Bureau", "reports": ["r"]}, {"name": "市教育局"}, {}),
        ({"numeric": None, "masked": True, "chars": 3}, {"numeric": None, "masked": True, "chars": 3}, {}),
        ({"numeric": math.inf}, {"numeric": None}, {}),
        ({"name": "a\x00b", "aliases": ["\x00"]}, {"name": "a\ufffdb", "aliases": ["\ufffd"]}, {}),
        ({"aliases": ("甲", "乙")}, {"aliases": ["甲", "乙"]}, {}),
        ({"extra": {"b": 1, "a": "x"}}, {"extra": '{"a": "x", "b": 1}'}, {}),
        (
            {
                "mentions": [
                    {"report": "r1", "start": 0, "end": 2, "sentence": 0},
                    {"report": "r2", "start": 5, "end": 9, "sentence": 3},
                ]
            },
            {},
            {
                "mentions_report": ["r1", "r2"],
                "mentions_start": [0, 5],
                "mentions_end": [2, 9],
                "mentions_sentence": [0, 3],
            },
        ),
        (
            {
                "evidence": [
                    {"report": "r", "sentence": 1, "start": 2, "end": 3, "text": "句", "status": "planned"}
                ]
            },
            {},
            {
                "evidence_report": ["r"],
                "evidence_sentence": [1],
                "evidence_start": [2],
                "evidence_end": [3],
                "evidence_text": ["句"],
                "evidence_status": ["planned"],
            },
        ),
    ],
)
def test_to_properties(attributes: dict[str, Any], properties: dict[str, Any], lists: dict[str, Any]) -> None:
    assert to_properties(attributes) == (properties, lists)


@pytest.mark.parametrize("name", ["bad name", "x`) DETACH DELETE (n", "名字", "1st"])
def test_attribute_names_that_cannot_be_properties_are_refused(name: str) -> None:
    with pytest.raises(StoreError, match="cannot be a store property"):
        to_properties({name: "x"})


def test_edges_without_evidence_and_concepts_get_derived_reports(store_graph: nx.MultiDiGraph) -> None:
    issued = store_graph.edges["report:aaaaaaaaaaaaaaaa", "bureau:1111111111111111", "ISSUED_BY"]
    assert edge_reports(store_graph, "report:aaaaaaaaaaaaaaaa", "bureau:1111111111111111", issued) == [
        "report:aaaaaaaaaaaaaaaa"
    ]
    assert node_reports(store_graph, "concept:moe") == ["report:aaaaaaaaaaaaaaaa", "report:bbbbbbbbbbbbbbbb"]
