"""Paragraphs, sentences, sections and reported/planned status on small hand-written texts."""

from __future__ import annotations

import pytest

from edukg.ingest.structure import normalise_text, parse_structure, states_plan


def sentence_texts(text: str) -> list[str]:
    _, _, sentences = parse_structure(text)
    return [text[sentence.start : sentence.end] for sentence in sentences]


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("\r\n\r\n标题  \r\n正文。\t\r\n\r\n", "标题\n正文。"),
        ("一行\r二行\n\n三行", "一行\n二行\n\n三行"),
        ("　　首行缩进。　\n", "　　首行缩进。"),
        ("分页\f下一页\u2028同页", "分页\n下一页\n同页"),
        ("", ""),
        (" \n \n", ""),
    ],
)
def test_normalise_text(raw: str, normalised: str) -> None:
    assert normalise_text(raw) == normalised


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "他说：“要抓落实。”大家赞同！是否可行？可以；马上办\n第二行没有句号",
            ["他说：“要抓落实。”", "大家赞同！", "是否可行？", "可以；", "马上办", "第二行没有句号"],
        ),
        ("（完成任务。）下一句。", ["（完成任务。）", "下一句。"]),
        ("　　缩进的段落。 后一句。", ["缩进的段落。", "后一句。"]),
        ("Done! Next? ok.", ["Done!", "Next?", "ok."]),
        ("数量为1.5万人;比上年增加。", ["数量为1.5万人;", "比上年增加。"]),
        ("一句跨\n两行。", ["一句跨", "两行。"]),
        ("。。。", ["。。。"]),
        ("「引号」里的话。」多余的收尾", ["「引号」里的话。」", "多余的收尾"]),
    ],
)
def test_sentences_split_on_terminators_and_line_ends(text: str, sentences: list[str]) -> None:
    assert sentence_texts(text) == sentences


def test_paragraphs_are_non_empty_lines_without_indent() -> None:
    text = "标题\n\n　　第一段。第二句。\n第二段"
    _, paragraphs, sentences = parse_structure(text)
    assert [text[p.start : p.end] for p in paragraphs] == ["标题", "第一段。第二句。", "第二段"]
    assert [s.paragraph for s in sentences] == [0, 1, 1, 2]


NESTED = """县教育局2024年工作总结
一、夯实基础教育
（一）扩大学前资源。新建幼儿园两所。
1.完成城区布局调整。
2、推进乡镇园建设。
（二）提升义务教育质量。
二、下一步工作打算
(一)加快项目建设。全年开工三所学校。"""


def test_sections_nest_and_end_at_same_or_higher_level() -> None:
    sections, _, sentences = parse_structure(NESTED)
    assert [(s.marker, s.heading, s.level, s.status) for s in sections] == [
        ("一、", "夯实基础教育", 1, "reported"),
        ("（一）", "扩大学前资源", 2, "reported"),
        ("1.", "完成城区布局调整", 3, "reported"),
        ("2、", "推进乡镇园建设", 3, "reported"),
        ("（二）", "提升义务教育质量", 2, "reported"),
        ("二、", "下一步工作打算", 1, "planned"),
        ("(一)", "加快项目建设", 2, "planned"),
    ]
    assert NESTED[sections[0].start : sections[0].end].endswith("（二）提升义务教育质量。")
    assert (
        NESTED[sections[1].start : sections[1].end]
        == "（一）扩大学前资源。新建幼儿园两所。\n1.完成城区布局调整。\n2、推进乡镇园建设。"
    )
    assert sections[6].end == len(NESTED)
    by_text = {NESTED[s.start : s.end]: (s.section, s.status) for s in sentences}
    assert by_text["县教育局2024年工作总结"] == (-1, "reported")
    assert by_text["新建幼儿园两所。"] == (1, "reported")
    assert by_text["2、推进乡镇园建设。"] == (3, "reported")
    assert by_text["全年开工三所学校。"] == (6, "planned")


@pytest.mark.parametrize(
    ("line", "marker", "level"),
    [
        ("十一、其他工作", "十一、", 1),
        ("（三）强化保障", "（三）", 2),
        ("三是强化保障。", "三是", 3),
        ("（2）强化保障。", "（2）", 3),
        ("12、强化保障。", "12、", 3),
        ("第二，强化保障。", "第二，", 3),
        ("②强化保障。", "②", 3),
        ("　　一、缩进的标题", "一、", 1),
    ],
)
def test_section_markers(line: str, marker: str, level: int) -> None:
    sections, _, _ = parse_structure(line)
    assert [(s.marker, s.level) for s in sections] == [(marker, level)]


@pytest.mark.parametrize(
    "line",
    ["1.5万名学生参加活动。", "2024年工作总结", "一项工作。", "其中一是重点。", "一．未识别的点号"],
)
def test_no_section_without_marker_at_paragraph_start(line: str) -> None:
    sections, _, sentences = parse_structure(line)
    assert sections == ()
    assert all(sentence.section == -1 for sentence in sentences)


OPENING = """一、主要成效
全年培训教师八百人次。
下一步，我们将聚焦短板。
一是加强师资建设。补充教师一百名。
二是改善办学条件。
二、存在问题
部分学校师资不足。"""


def test_opening_paragraph_plans_up_to_next_level_one_section() -> None:
    sections, _, sentences = parse_structure(OPENING)
    statuses = {OPENING[s.start : s.end]: s.status for s in sentences}
    assert statuses == {
        "一、主要成效": "reported",
        "全年培训教师八百人次。": "reported",
        "下一步，我们将聚焦短板。": "planned",
        "一是加强师资建设。": "planned",
        "补充教师一百名。": "planned",
        "二是改善办学条件。": "planned",
        "二、存在问题": "reported",
        "部分学校师资不足。": "reported",
    }
    assert [s.status for s in sections] == ["reported", "planned", "planned", "reported"]


def test_heading_cue_plans_subsections_not_parent() -> None:
    text = (
        "一、工作情况\n（一）已完成工作\n建成两所学校。\n（二）今后工作计划\n1.新建一所学校。\n继续推进改革。"
    )
    sections, _, sentences = parse_structure(text)
    assert [(s.heading, s.status) for s in sections] == [
        ("工作情况", "reported"),
        ("已完成工作", "reported"),
        ("今后工作计划", "planned"),
        ("新建一所学校", "planned"),
    ]
    assert [s.status for s in sentences] == [
        "reported",
        "reported",
        "reported",
        "planned",
        "planned",
        "planned",
    ]


@pytest.mark.parametrize(
    ("sentence", "planned"),
    [
        ("我们将继续深化课程改革。", True),
        ("明年将新建两所学校。", True),
        ("该校将于九月开学。", True),
        ("局党组将加大督查力度。", True),
        ("下一步，着力补齐短板。", True),
        ("市教育局党组将以新发展理念为指导。", True),
        ("将主题教育与业务工作相结合，形成合力。", False),
        ("局党组将化解矛盾作为重点，逐项推进。", False),
        ("将义务教育均衡发展纳入考核。", False),
        ("把当前和今后一个时期的任务落实好。", False),
        ("为下一步工作打下了基础。", False),
        ("全年完成培训八百人次。", False),
    ],
)
def test_states_plan(sentence: str, planned: bool) -> None:
    assert states_plan(sentence) is planned
    _, _, sentences = parse_structure(sentence)
    assert [s.status for s in sentences] == ["planned" if planned else "reported"]


PAGE_LINE = "全市教育系统坚持以立德树人为根本任务不断深化改革"  # as wide as a page


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("以创建全 国义务教育优质均衡发展市为主线", "以创建全国义务教育优质均衡发展市为主线"),
        ("市教育局 2022 年工作要点", "市教育局2022年工作要点"),
        (
            "开展“感恩总书记　奋进新征程”宣讲",
            "开展“感恩总书记　奋进新征程”宣讲",
        ),  # a full-width space is meant
        ("use Neo4j and RDF", "use Neo4j and RDF"),
        ("落实<山西省督导标准>相关指标", "落实《山西省督导标准》相关指标"),
        ("if a<b and c>d", "if a<b and c>d"),
        (
            "\n".join(["标题", PAGE_LINE, PAGE_LINE, "结束。", PAGE_LINE, PAGE_LINE, "二、下一节"]),
            "\n".join(["标题", PAGE_LINE * 2 + "结束。", PAGE_LINE * 2, "二、下一节"]),
        ),
        (
            "\n".join(["短行一", "短行二", "短行三", "短行四", "短行五"]),
            "短行一\n短行二\n短行三\n短行四\n短行五",
        ),
    ],
)
def test_normalise_text_joins_broken_words_and_wrapped_lines(raw: str, normal: str) -> None:
    assert normalise_text(raw) == normal
