"""The extractor's lexicons: rules read from ontology/lexicon."""

from __future__ import annotations

import pytest

from edukg.graph.extract.lexicons import lexicons


@pytest.mark.parametrize(
    ("name", "is_report"),
    [
        ("县教育局2024年工作要点", True),
        ("2025年工作计划", True),
        ("区委教育工委区教育局2023年工作要点", True),
        ("**市教育局二〇二二年度工作总结暨工作计划", True),
        ("合肥市工作要点", True),
        ("政府工作报告", False),  # a publication the guide makes a Document
        ("全省义务教育工作要点", False),  # a named plan of a field
        ("学前教育三年行动计划", False),
    ],
)
def test_report_genre(name: str, is_report: bool) -> None:
    assert lexicons().report_genre(name) is is_report


@pytest.mark.parametrize(
    ("name", "bare", "sub_body"),
    [
        ("领导小组", True, True),
        ("市委", True, False),
        ("市政府", True, False),
        ("教育部", True, False),
        ("校外培训监管股", False, True),
        ("学校", False, False),
    ],
)
def test_body_flags(name: str, bare: bool, sub_body: bool) -> None:
    assert (lexicons().bare_body(name), lexicons().sub_body(name)) == (bare, sub_body)
