"""The national initiative scheme (ontology/concepts.ttl) and finding its concepts in text."""

from __future__ import annotations

import pyshacl
import pytest
import rdflib

from edukg.ontology import read_text
from edukg.ontology.concepts import concept_by_id, concept_in_name, concepts, find_concepts, match_key

DOMAINS = {
    "学前",
    "义务",
    "高中",
    "职教",
    "高教",
    "教师",
    "党建",
    "治理",
    "思政",
    "体美劳",
    "安全",
    "信息化",
    "民办",
    "特教",
    "资助",
    "终身",
    "语言",
    "综合",
}


def initiatives() -> list:
    return [concept for concept in concepts() if concept.kind == "initiative"]


def test_scheme_has_at_least_120_initiatives_across_the_fields() -> None:
    assert len(initiatives()) >= 120
    assert {concept.domain for concept in initiatives()} == DOMAINS


def test_every_initiative_is_described() -> None:
    for concept in initiatives():
        assert concept.domain in DOMAINS, concept.id
        assert concept.name_en, concept.id
        for broader in concept.broader:
            assert concept_by_id(broader).kind == "initiative", concept.id
        if concept.document:
            assert concept.document.startswith("《") and concept.document.endswith("》"), concept.id
        if concept.year is not None:
            assert 1980 <= concept.year <= 2030, concept.id


def test_no_two_concepts_share_a_variant_as_matched() -> None:
    """Quotes, spaces, years and editions are read past: two variants equal without them
    would make one name point at two concepts."""
    seen: dict[str, str] = {}
    for concept in concepts():
        for variant in (*concept.variants, *concept.hidden):
            key = match_key(variant)[0]
            assert seen.setdefault(key, concept.id) == concept.id, f"{variant}: {seen[key]} and {concept.id}"


def test_scheme_conforms_to_the_shapes() -> None:
    data = rdflib.Graph().parse(data=read_text("concepts.ttl"), format="turtle")
    ontology = rdflib.Graph().parse(data=read_text("edukg.ttl"), format="turtle")
    shapes = rdflib.Graph().parse(data=read_text("shapes.ttl"), format="turtle")
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology)
    assert conforms, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # short and quoted forms
        ("全面落实“双减”政策", [("double-reduction", "“双减”政策")]),
        ("严格落实“三会一课”制度", [("three-meetings-one-lesson", "“三会一课”制度")]),
        # place and scope prefixes, generic suffixes, designations of a place
        (
            "县域义务教育优质均衡发展县创建工作",
            [("balanced-compulsory-education", "县域义务教育优质均衡发展县创建工作")],
        ),
        ("全市控辍保学工作", [("dropout-control", "全市控辍保学工作")]),
        ("成功创建学前教育普及普惠县", [("preschool-inclusive", "学前教育普及普惠县")]),
        # inside a longer name, and more than one in a sentence
        ("举办第一中学校园足球联赛", [("campus-football", "校园足球")]),
        (
            "深化县管校聘管理改革和教师交流轮岗",
            [
                ("county-management-school-hiring", "县管校聘管理改革"),
                ("teacher-rotation", "教师交流轮岗"),
            ],
        ),
        # years and editions inside a name, commas inside a slogan
        ("实施学前教育第三期行动计划", [("preschool-inclusive", "学前教育第三期行动计划")]),
        (
            "按照“守初心、担使命，找差距、抓落实”的总要求",
            [("original-aspiration-education", "“守初心、担使命，找差距、抓落实”")],
        ),
        # not an instance: another thing sharing the words, a denial, a longer word
        ("开展爱国主义主题教育", []),
        ("学习宣传教育法律法规", []),
        ("非双减范围的培训", []),
    ],
)
def test_find_concepts(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(match.concept.id, match.text) for match in find_concepts(text)] == expected


@pytest.mark.parametrize(
    ("text", "mention"),
    [
        ("深化教育评价改革，发展素质教育", "教育评价改革"),  # a suffix word after a comma is not the name's
        ("推进“双一流”建设", "“双一流”建设"),
        ("创建“全国义务教育发展基本均衡县（市、区）”", "全国义务教育发展基本均衡县"),  # no lone quote mark
    ],
)
def test_find_concepts_mention_spans(text: str, mention: str) -> None:
    assert [match.text for match in find_concepts(text)] == [mention]


def test_find_concepts_gives_offsets_into_the_text() -> None:
    text = "一、推进“双减”工作。"
    (match,) = find_concepts(text)
    assert text[match.start : match.end] == match.text == "“双减”工作"


def test_find_concepts_leaves_bodies_to_be_asked_for() -> None:
    assert find_concepts("教育部印发通知") == []
    assert [m.concept.id for m in find_concepts("教育部印发通知", frozenset({"body"}))] == ["moe"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("国家级义务教育优质均衡发展区", "balanced-compulsory-education"),
        ("不忘初心、牢记使命主题教育", "original-aspiration-education"),
        ("爱国主义主题教育活动", None),
    ],
)
def test_concept_in_name_takes_the_longest_variant(name: str, expected: str | None) -> None:
    concept = concept_in_name(name)
    assert (concept.id if concept else None) == expected


def test_cached_scheme_is_the_parsed_scheme() -> None:
    """concepts() may come from the JSON cache in the temp folder: it must equal a fresh parse."""
    from edukg.ontology.concepts import _parse_scheme

    assert concepts() == _parse_scheme(read_text("concepts.ttl"))
