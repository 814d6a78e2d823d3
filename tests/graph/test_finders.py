"""The small finders of extraction: numbered schools, designations, named sets of tasks.

Each case is a sentence and the names its finder gives; sentences are made up in the
genre's manner, not taken from any report.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from edukg.graph.extract.designations import designation_mentions
from edukg.graph.extract.lexicons import lexicons, segmenter
from edukg.graph.extract.mentions import Candidate
from edukg.graph.extract.numbered import numbered_set_mentions
from edukg.graph.extract.schools import numbered_school_mentions


def schools(sentence: str) -> list[Candidate]:
    tokens = segmenter().tokens(sentence)
    edges = {edge for _, start, end in tokens for edge in (start, end)}
    return numbered_school_mentions(sentence, 0, len(sentence), 0, lexicons(), segmenter().tags, edges)


def designations(sentence: str) -> list[Candidate]:
    return designation_mentions(sentence, 0, segmenter().tokens(sentence), 0, lexicons(), segmenter().tags)


def sets(sentence: str) -> list[Candidate]:
    tokens = segmenter().tokens(sentence)
    edges = {edge for _, start, end in tokens for edge in (start, end)}
    return numbered_set_mentions(sentence, 0, len(sentence), 0, edges)


@pytest.mark.parametrize(
    ("finder", "sentence", "names"),
    [
        (schools, "扩建二中、三中两所学校。", ["二中", "三中"]),
        (schools, "西安八中和XX一小教学质量提升。", ["西安八中", "XX一小"]),
        (schools, "**职中扩建完成，县职中招生。", ["**职中"]),
        (schools, "学习十九届二中全会精神。", []),
        (schools, "一小部分学生参加。", []),
        (schools, "第一中学扩建完成。", []),
        (designations, "成功创建全国学前教育普及普惠县。", ["全国学前教育普及普惠县"]),
        (designations, "获评省级文明校园示范校和市级平安学校。", ["省级文明校园示范校", "市级平安学校"]),
        (designations, "全国各地学校开展活动。", []),
        (designations, "省教育厅部署工作。", []),
        # a title given in batches needs no word of merit; the batch and scope are written forms
        (designations, "确定首批科创教育基地校5所。", ["科创教育基地校"]),
        (designations, "新增全市首批智慧窗口学校3所。", ["智慧窗口学校"]),
        (designations, "确定首批培育基地。", []),
        # jieba's verbs inside a title (示范) do not end it
        (designations, "被评为全国家庭教育示范乡镇。", ["全国家庭教育示范乡镇"]),
        (sets, "实施“十大行动”和八项工程。", ["十大行动", "八项工程"]),
        (sets, "完成三项任务。", []),
    ],
)
def test_finder(finder: Callable[[str], list[Candidate]], sentence: str, names: list[str]) -> None:
    found = finder(sentence)
    assert [c.name for c in found] == names
    assert all(sentence[c.start : c.end] in (c.name, c.written_with) for c in found)
