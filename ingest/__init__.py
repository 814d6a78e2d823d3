"""Reading report files into Report records (text, structure, offsets).

>>> report = report_from_text("市教育局工作汇报\\n一、主要工作\\n完成培训3场。", "demo.txt")
>>> report.title, report.bureau, report.level, len(report.sentences)
('市教育局工作汇报', '市教育局', '市', 3)
"""

from __future__ import annotations

import os
from pathlib import Path

from edukg.ingest.locate import place_report
from edukg.ingest.metadata import guess_title, own_bureau, report_id
from edukg.ingest.readers import SUPPORTED_SUFFIXES, find_reports, read_text
from edukg.ingest.structure import normalise_text, parse_structure, writable
from edukg.records import Report

__all__ = ["SUPPORTED_SUFFIXES", "find_reports", "read_report", "report_from_text"]


def read_report(path: str | os.PathLike[str]) -> Report:
    """The Report of a .txt, .docx, .html/.htm or .pdf file; InputError when it cannot be read."""
    path = Path(path)
    return report_from_text(read_text(path), file_name(path))


def file_name(path: Path) -> str:
    """The file's name as text every output can hold: a name in GBK bytes (unpacked from a
    Windows archive) read as GB18030, and control characters left out.

    >>> file_name(Path(os.fsdecode("报告".encode("gbk") + b"\\x1f.txt")))
    '报告.txt'
    """
    raw = os.fsencode(path.name)
    try:
        name = raw.decode("utf-8")
    except UnicodeDecodeError:
        name = raw.decode("gb18030", errors="replace")
    return writable(name)


def report_from_text(text: str, source: str) -> Report:
    """The Report of a text: normalised, split into sections, paragraphs and sentences."""
    text = normalise_text(text)
    sections, paragraphs, sentences = parse_structure(text)
    title = guess_title(text, paragraphs, source)
    placed = place_report(text, title, own_bureau(text, paragraphs))
    return Report(
        id=report_id(text),
        source=source,
        text=text,
        title=title,
        bureau=placed.bureau,
        level=placed.level,
        jurisdiction=placed.jurisdiction,
        jurisdiction_masked=placed.masked,
        sections=sections,
        paragraphs=paragraphs,
        sentences=sentences,
        location=placed.location,
    )
