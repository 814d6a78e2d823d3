"""Id, title, own bureau, level and jurisdiction on small hand-written openings."""

from __future__ import annotations

import re

import pytest

from edukg.ingest import report_from_text
from edukg.ingest.metadata import report_id


@pytest.mark.parametrize(
    ("text", "bureau", "level", "jurisdiction", "masked"),
    [
        ("芜湖市教育局2023年工作总结\n全市完成培训。", "芜湖市教育局", "市", "芜湖市", False),
        (
            "根据安排，现将鸠江区教育局工作汇报如下：\n区教育局加强领导。",
            "鸠江区教育局",
            "区",
            "鸠江区",
            False,
        ),
        ("**区教育局工作汇报\n区教育局党组认真落实。", "区教育局", "区", "**区", True),
        ("×××县教育局关于半年工作的报告", "县教育局", "县", "×××县", True),
        ("X市教育局工作要点", "市教育局", "市", "X市", True),
        (
            "教育局在座谈会上的发言\n尊敬的各位领导：\n区教育局党组坚持学习。区教育局扎实推进。",
            "区教育局",
            "区",
            "",
            False,
        ),
        ("现将市教育局有关工作汇报如下：\n出台××市课程方案。××市高校参与。", "市教育局", "市", "××市", True),
        ("印发市教育局实施方案，召开市教育局会议。", "市教育局", "市", "", False),
        ("北京市海淀区教育委员会工作要点", "海淀区教育委员会", "区", "海淀区", False),
        ("达拉特旗教育体育局工作总结", "达拉特旗教育体育局", "县", "达拉特旗", False),
        ("省教育厅2024年工作要点\n教育厅推进改革。", "省教育厅", "省", "", False),
        # A report that never names its bureau speaks for the level of 全县, 我区, 县委 (the guide's rule).
        ("全市教育系统工作总结\n学校开展活动。", "市教育局", "市", "", False),
        ("我局工作总结\n在县委县政府领导下，全县学校开展活动。", "县教育局", "县", "", False),
        ("重庆某县教委工作总结\n县教委推进“双减”。", "县教委", "县", "某县", True),
        ("工作总结\n学校开展活动。", "", "", "", False),
    ],
)
def test_own_bureau(text: str, bureau: str, level: str, jurisdiction: str, masked: bool) -> None:
    report = report_from_text(text, "x.txt")
    assert (report.bureau, report.level, report.jurisdiction, report.jurisdiction_masked) == (
        bureau,
        level,
        jurisdiction,
        masked,
    )


def test_own_bureau_is_the_most_frequent_of_the_opening() -> None:
    text = "县教育局工作汇报\n县教育局认真贯彻市教育局部署，县教育局党组带头学习。\n市教育局检查指导。"
    assert report_from_text(text, "x.txt").bureau == "县教育局"


@pytest.mark.parametrize(
    ("text", "source", "title"),
    [
        ("市教育局工作总结\n正文。", "a.txt", "市教育局工作总结"),
        ("关于教育工作，情况汇报\n正文。", "a.txt", "关于教育工作，情况汇报"),
        (
            "根据安排，现将全区教育系统半年工作情况汇报如下：\n一、主要工作",
            "a.txt",
            "全区教育系统半年工作情况",
        ),
        ("教育是民生之本。我们做了很多工作。", "reports/2024-summary.txt", "2024-summary"),
        ("一、主要工作\n完成培训。", "b.docx", "b"),
        ("尊敬的各位领导：\n大家好。", "c.txt", "c"),
        ("", "d.txt", "d"),
    ],
)
def test_title(text: str, source: str, title: str) -> None:
    assert report_from_text(text, source).title == title


def test_report_id_is_a_hash_of_the_normalised_text() -> None:
    report = report_from_text("\r\n标题  \r\n正文。\r\n", "a.txt")
    assert re.fullmatch(r"report:[0-9a-f]{16}", report.id)
    assert report.id == report_from_text("标题\n正文。", "b.txt").id == report_id("标题\n正文。")
    assert report.id != report_from_text("标题\n正文！", "a.txt").id
    # A literal, so the id cannot drift between versions or machines.
    assert report.id == "report:9ab84ddb5bba7649"
