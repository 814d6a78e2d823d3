"""read_report / report_from_text: the sample reports, and offsets that hold for any text."""

from __future__ import annotations

import doctest
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edukg import ingest
from edukg.ingest import metadata, read_report, readers, report_from_text, structure
from edukg.ingest.structure import normalise_text
from edukg.records import Report

SAMPLES = {
    "000": ("市教育局主题教育进展情况", "××市", True),
    "001": ("教育局在巡回指导组主题教育总结评估座谈会上的汇报发言", "**市", True),
    "002": ("教育局在主题教育总结大会上的汇报发言材料", "", False),
    "003": ("主题教育进展情况汇报", "X市", True),
    "004": ("004_b2e9dd006712b4f8", "**市", True),
}


def non_space(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_sample_reports_metadata(sample_reports: list[Path], gold_dir: Path) -> None:
    assert sorted(path.name[:3] for path in sample_reports) == sorted(SAMPLES)
    for path in sample_reports:
        report = read_report(path)
        gold = json.loads((gold_dir / f"{path.stem}.json").read_text(encoding="utf-8"))
        title, jurisdiction, masked = SAMPLES[path.name[:3]]
        assert report.source == path.name
        assert report.bureau == gold["bureau"]
        assert report.bureau.endswith("教育局") and report.level in {"市", "区"}
        assert report.bureau.startswith(report.level)
        assert (report.title, report.jurisdiction, report.jurisdiction_masked) == (
            title,
            jurisdiction,
            masked,
        )


def test_sample_reports_sentences_cover_the_text(sample_reports: list[Path]) -> None:
    for path in sample_reports:
        report = read_report(path)
        assert report.text == path.read_text(encoding="utf-8").strip()
        assert "".join(non_space(report.sentence_text(i)) for i in range(len(report.sentences))) == non_space(
            report.text
        )
        assert len(report.sentences) > 30


def test_sample_report_plan_after_next_step(sample_reports: list[Path]) -> None:
    report = read_report(sample_reports[0])
    next_step = next(
        i for i, s in enumerate(report.sentences) if report.sentence_text(i).startswith("下一步")
    )
    assert {s.status for s in report.sentences[:next_step]} == {"reported"}
    assert {s.status for s in report.sentences[next_step:]} == {"planned"}
    assert [(s.marker, s.level, s.status) for s in report.sections if s.level == 3] == [
        ("一是", 3, "planned"),
        ("二是", 3, "planned"),
        ("三是", 3, "planned"),
    ]


def assert_offsets_hold(report: Report) -> None:
    text = report.text
    assert normalise_text(text) == text
    previous_end = 0
    for paragraph in report.paragraphs:
        piece = text[paragraph.start : paragraph.end]
        assert previous_end <= paragraph.start < paragraph.end <= len(text)
        assert piece == piece.strip() and "\n" not in piece
        previous_end = paragraph.end
    for section in report.sections:
        assert 0 <= section.start <= section.end <= len(text)
        assert text.startswith(section.marker, section.start)
    previous_end = 0
    for index, sentence in enumerate(report.sentences):
        piece = text[sentence.start : sentence.end]
        assert sentence.index == index
        assert previous_end <= sentence.start < sentence.end <= len(text)
        assert piece and piece.strip() == piece
        paragraph = report.paragraphs[sentence.paragraph]
        assert paragraph.start <= sentence.start and sentence.end <= paragraph.end
        if sentence.section >= 0:
            section = report.sections[sentence.section]
            assert section.start <= sentence.start < section.end
            assert sentence.status == "planned" or section.status == "reported"
        previous_end = sentence.end
    assert "".join(non_space(text[s.start : s.end]) for s in report.sentences) == non_space(text)


# Arbitrary text, and text built from the characters the structure rules look at.
GENRE = st.text(
    alphabet=st.sampled_from(
        list("一二三是、（）()1.2。！？；!?;，”」\n\r\t 　\u2028下步将我们作为市区县教育局*X")
    ),
    max_size=200,
)


@given(text=st.one_of(st.text(max_size=300), GENRE))
@settings(max_examples=300, deadline=None)
def test_offsets_hold_for_any_text(text: str) -> None:
    report = report_from_text(text, "any.txt")
    assert_offsets_hold(report)
    again = report_from_text(text, "other.txt")
    assert again.id == report.id and again.sentences == report.sentences
    assert report_from_text(report.text, "any.txt").id == report.id


@pytest.mark.parametrize("name", ["000", "003"])
def test_sample_report_offsets(sample_reports: list[Path], name: str) -> None:
    assert_offsets_hold(read_report(next(p for p in sample_reports if p.name.startswith(name))))


@pytest.mark.parametrize("module", [ingest, metadata, readers, structure], ids=lambda m: m.__name__)
def test_docstring_examples(module: object) -> None:
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0
