"""Persons: names after posts, before words for people, and in lists of names."""

from __future__ import annotations

import pytest

from edukg.graph.extract.lexicons import lexicons, segmenter
from edukg.graph.extract.persons import person_mentions


def persons_in(sentence: str) -> list[str]:
    tokens = segmenter().tokens(sentence)
    edges = {edge for _, start, end in tokens for edge in (start, end)}
    found = person_mentions(sentence, 0, len(sentence), 0, lexicons(), segmenter().tags, edges)
    return [c.name for c in found if c.type == "Person"]


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("市委常委、宣传部部长王建国出席会议。", ["王建国"]),
        ("张晓明、欧阳丽华等5位教师获省级表彰。", ["张晓明", "欧阳丽华"]),
        ("同时何小燕老师入选名师工作室。", ["何小燕"]),
        ("刘洋、谢芳芳等一批老师获奖。", ["刘洋", "谢芳芳"]),
        ("李湖局长带队调研。", ["李湖"]),
        # not names: words of the dictionary, words cut across, the national leadership
        ("深入学习习近平总书记重要讲话。", []),
        ("大力培养骨干教师。", []),
        ("支持大学生创新创业。", []),
        ("党委书记主持会议。", []),
        ("优秀、骨干等多位教师参加。", []),
    ],
)
def test_person_mentions(sentence: str, names: list[str]) -> None:
    assert persons_in(sentence) == names
