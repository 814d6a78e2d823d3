"""Indicator families and report years, and the Metric and Report nodes that carry them
through the build and every export."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pytest
import rdflib

from edukg.graph import indicators
from edukg.graph.build import build_graph
from edukg.graph.export_graphml import to_graphml
from edukg.graph.export_neo4j_csv import write_neo4j_import
from edukg.graph.export_rdf import EDUKG, to_rdf, validate_rdf
from edukg.graph.extract import extract
from edukg.ingest import report_from_text


@pytest.mark.parametrize(
    ("name", "unit", "comparison", "family"),
    [
        ("学前三年毛入园率", "%", "", "preschool-gross-enrolment"),
        ("入园率", "%", "", "preschool-gross-enrolment"),
        ("入园", "人", "", None),  # children admitted are no rate
        ("普惠性幼儿园覆盖率", "%", "", "inclusive-kindergarten-coverage"),
        ("公办园在园幼儿占比", "%", "", "public-kindergarten-share"),
        ("九年义务教育巩固率", "%", "", "compulsory-retention"),
        ("高中阶段毛入学率", "%", "", "senior-secondary-enrolment"),
        ("适龄儿童入学率", "%", "", "enrolment-rate"),
        ("上线率", "%", "", "exam-pass-rate"),
        ("本科上线", "人", "", "exam-passes"),
        ("新增学位", "个", "", "new-school-places"),
        ("新增学位", "%", "", None),  # places are counted, not a share
        ("教育经费总投入", "元", "", "education-investment"),
        ("党组织覆盖率", "%", "", "party-organisation-coverage"),
        ("课后服务覆盖率", "%", "", "coverage"),
        ("家长满意度", "%", "", "satisfaction-rate"),
        ("专任教师", "人", "", "teachers"),
        ("在校生", "名", "", "students"),
        ("比上年提高", "个百分点", "比上年提高", None),  # a change is no level
        ("毛入园率", "%", "同比增长", None),
        ("学校", "所", "", None),
    ],
)
def test_family_of(name: str, unit: str, comparison: str, family: str | None) -> None:
    found = indicators.family_of(name, unit, comparison)
    assert (found.id if found else None) == family


def test_families_are_unique_and_named() -> None:
    families = indicators.families()
    assert len({family.id for family in families}) == len(families) >= 15
    assert all(family.zh and family.en and family.units and family.patterns for family in families)
    assert indicators.family_by_id("new-school-places").unit_kind == "count"


@pytest.mark.parametrize(
    ("title", "text", "year"),
    [
        ("县教育局2021年工作总结及2022年工作计划", "", 2021),
        ("二〇二一年教育工作要点", "", 2021),
        ("2014—2015学年度工作总结", "", 2014),
        ("工作总结", "2019年，全区……2019年底……2020年将……", 2019),
        ("工作总结", "2019年……2020年……", 2019),  # a tie: the year reviewed comes first
        ("工作总结", "共有在校生12000人。", None),
        ("工作总结", "****年，全市……", None),  # a masked year is no year
    ],
)
def test_report_year(title: str, text: str, year: int | None) -> None:
    assert indicators.report_year(title, text) == year


TEXT = """县教育局2023年工作总结
2023年，全县学前教育毛入园率达到95.5%，九年义务教育巩固率达到99.2%，新增学位1200个，比上年提高2个百分点。
"""


@pytest.fixture(scope="module")
def built() -> nx.MultiDiGraph:
    return build_graph([extract(report_from_text(TEXT, "county.txt"))])


def metrics(graph: nx.MultiDiGraph) -> dict[str, dict[str, object]]:
    return {data["name"]: data for _, data in graph.nodes(data=True) if data["label"] == "Metric"}


def test_build_gives_metrics_their_family_and_year(built: nx.MultiDiGraph) -> None:
    [report] = [data for _, data in built.nodes(data=True) if data["label"] == "Report"]
    assert report["year"] == 2023
    found = {
        (data["family"], data["numeric"], data["unit"], data["year"]) for data in metrics(built).values()
    }
    assert {
        ("preschool-gross-enrolment", 95.5, "%", 2023),
        ("compulsory-retention", 99.2, "%", 2023),
        ("new-school-places", 1200.0, "个", 2023),
    } <= found
    changes = [data for data in metrics(built).values() if data["comparison"]]
    assert changes and all(data["family"] == "" for data in changes)


def test_exports_carry_family_and_year(built: nx.MultiDiGraph, tmp_path: Path) -> None:
    [retention] = [
        node for node, data in built.nodes(data=True) if data.get("family") == "compulsory-retention"
    ]
    back = nx.read_graphml(io.BytesIO(to_graphml(built).encode("utf-8")))
    assert (back.nodes[retention]["family"], back.nodes[retention]["year"]) == ("compulsory-retention", 2023)

    write_neo4j_import(built, tmp_path / "import")
    with (tmp_path / "import" / "nodes_Metric.csv").open(encoding="utf-8", newline="") as handle:
        row = next(row for row in csv.DictReader(handle) if row["id:ID"] == retention)
    assert (row["family"], row["family_name"], row["year:long"]) == (
        "compulsory-retention",
        "九年义务教育巩固率",
        "2023",
    )

    rdf = to_rdf(built)
    [subject] = [
        s
        for s, _ in rdf.subject_objects(EDUKG.indicatorFamily)
        if rdf.value(s, EDUKG.name).endswith("巩固率")
    ]
    assert rdf.value(subject, EDUKG.indicatorFamily) == rdflib.Literal("compulsory-retention")
    assert rdf.value(subject, EDUKG.indicatorFamilyName) == rdflib.Literal("九年义务教育巩固率", lang="zh")
    assert rdf.value(subject, EDUKG.reportYear) == rdflib.Literal(2023)
    assert validate_rdf(rdf).conforms
