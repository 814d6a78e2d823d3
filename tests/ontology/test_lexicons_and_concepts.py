"""The lexicons and the national concept scheme are well-formed data the code can rely on."""

from __future__ import annotations

import re

import pytest

from edukg.errors import UnknownTypeError
from edukg.graph.extract.lexicons import lexicons
from edukg.ontology import check_label, check_relation, entity_types, lexicon, lexicon_table
from edukg.ontology.concepts import concept_by_name, concept_in_name, concepts

LEXICONS = [
    "heads",
    "verbs",
    "stopwords",
    "measure-words",
    "not-entities",
    "titles",
    "surnames",
    "own-bureau",
    "compounds",
    "generic-modifiers",
    "plan-cues",
    "bureau-heads",
    "concept-affixes",
    "discovery",
]


@pytest.mark.parametrize("name", LEXICONS)
def test_lexicon_files_parse_and_are_not_empty(name: str) -> None:
    assert lexicon(name)


def test_lexicon_heads_name_ontology_types() -> None:
    for row in lexicon_table("heads"):
        assert row[1].split()[0] in entity_types()
        flags = row[1].split()[1:]
        assert all(
            flag in {"weak", "bare", "sub-body"} or re.fullmatch(r"min=[1-9]", flag) for flag in flags
        ), row


def test_lexicon_verb_roles_are_known() -> None:
    assert {role for _, role in lexicon_table("verbs")} <= {
        "carry",
        "make",
        "found",
        "follow",
        "attend",
        "receive",
        "other",
        "count",
    }
    assert lexicons().verb_role("全面深化") == "carry"  # a verb glued to an adverb keeps its role
    assert lexicons().verb_role("党组织") == ""  # a noun ending in a verb's characters is no verb


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("“双一流”建设", "double-first-class"),
        ("学习贯彻习近平新时代中国特色社会主义思想主题教育", "theme-education"),
        ("教育部", "moe"),
        ("市双一流建设", None),
    ],
)
def test_concept_by_exact_name(name: str, expected: str | None) -> None:
    concept = concept_by_name(name)
    assert (concept.id if concept else None) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("市双一流建设", "double-first-class"),
        ("国家智慧教育平台整市试点", "smart-education-platform"),
        ("青蓝工程", None),
    ],
)
def test_concept_in_name(name: str, expected: str | None) -> None:
    concept = concept_in_name(name)
    assert (concept.id if concept else None) == expected


def test_concepts_are_complete_and_unambiguous() -> None:
    seen: dict[str, str] = {}
    for concept in concepts():
        assert concept.name and concept.name_en
        assert concept.kind in {"initiative", "body"}
        assert concept.entity_type in entity_types()
        for variant in concept.variants:
            assert seen.setdefault(variant, concept.id) == concept.id, f"{variant} names two concepts"


@pytest.mark.parametrize(("check", "name"), [(check_label, "Programme"), (check_relation, "PART_OF")])
def test_ontology_checks_accept_known_names(check, name: str) -> None:
    assert check(name) == name


@pytest.mark.parametrize(
    ("check", "name"), [(check_label, "Bureau`) DETACH DELETE n //"), (check_relation, "KNOWS")]
)
def test_ontology_checks_reject_unknown_names_listing_valid_ones(check, name: str) -> None:
    with pytest.raises(UnknownTypeError, match="valid:"):
        check(name)
