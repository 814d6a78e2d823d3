"""Linking a report to the national initiatives it states, and the graph's Report INSTANCE_OF edges."""

from __future__ import annotations

import networkx as nx
import pytest

from edukg.graph import resolve
from edukg.graph.build import build_graph
from edukg.graph.extract import extract
from edukg.graph.link import link_concepts
from edukg.ingest import report_from_text

TEXT = (
    "芜湖市教育局2023年工作总结\n"
    "一、全面落实“双减”政策，课后服务实现全覆盖。\n"
    "二、巩固“双减”成果，开展爱国主义主题教育。\n"
    "三、不属于双减范围的培训另行管理。"
)


@pytest.fixture(scope="module")
def graph() -> nx.MultiDiGraph:
    return build_graph([extract(report_from_text(TEXT, "wuhu.txt"))])


def test_link_concepts_gives_each_initiative_its_sentences() -> None:
    report = report_from_text(TEXT, "wuhu.txt")
    links = {link.concept: link for link in link_concepts(report)}
    assert set(links) == {"double-reduction", "after-school-services"}
    sentences = [report.sentence_text(e.sentence) for e in links["double-reduction"].evidence]
    assert [("落实" in s, "巩固" in s) for s in sentences] == [(True, False), (False, True)]
    assert links["double-reduction"].names == ("“双减”政策", "“双减”成果")


def test_report_is_instance_of_the_initiatives_it_states(graph: nx.MultiDiGraph) -> None:
    [report] = [node for node, data in graph.nodes(data=True) if data["label"] == "Report"]
    double = resolve.concept_node_id("double-reduction")
    edge = graph.edges[report, double, "INSTANCE_OF"]
    assert [row["text"] for row in edge["evidence"]] == [
        "一、全面落实“双减”政策，课后服务实现全覆盖。",
        "二、巩固“双减”成果，开展爱国主义主题教育。",
    ]
    assert edge["reports"] == [report]


def test_concept_node_names_the_scheme_and_the_reports_forms(graph: nx.MultiDiGraph) -> None:
    concept = graph.nodes[resolve.concept_node_id("double-reduction")]
    assert (concept["label"], concept["kind"], concept["domain"], concept["name"]) == (
        "Concept",
        "initiative",
        "义务",
        "双减",
    )
    assert {"双减政策", "双减成果", "双减工作"} <= set(concept["aliases"])


def test_report_links_no_concept_that_is_not_an_instance(graph: nx.MultiDiGraph) -> None:
    """爱国主义主题教育 is not the Party's 主题教育; 不属于双减 denies 双减 (which other sentences state)."""
    [report] = [node for node, data in graph.nodes(data=True) if data["label"] == "Report"]
    linked = {
        graph.nodes[v]["name"] for _, v, kind in graph.out_edges(report, keys=True) if kind == "INSTANCE_OF"
    }
    assert linked == {"双减", "课后服务"}
