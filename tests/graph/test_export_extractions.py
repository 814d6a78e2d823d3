"""The extraction files: guide-format JSON, one file per report, named after its file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from edukg.graph.export_extractions import (
    ExtractionFile,
    ExtractionWriter,
    guide_json_text,
    to_extraction_file,
)
from edukg.graph.extract import extract, to_guide_json
from edukg.ingest import read_report


@pytest.mark.parametrize(
    "document",
    [
        {"doc": "a.txt", "entities": [], "relations": []},
        {"doc": "b.txt", "bureau": "区教育局", "entities": [{"name": "主题教育", "type": "Campaign"}]},
        {"doc": "c.txt", "entities": [{"name": '引号“”"\\'}, {"name": "</script>"}], "relations": [[1, 2]]},
    ],
)
def test_guide_json_text_is_the_document(document: dict) -> None:
    text = guide_json_text(document)
    assert json.loads(text) == document
    assert all(len(line) < 200 for line in text.splitlines())  # one entity or relation a line


def test_writer_names_files_after_reports_and_keeps_clashes_apart(tmp_path: Path) -> None:
    folder = tmp_path / "extractions"
    writer = ExtractionWriter(folder)
    assert not folder.exists()  # made with the first file: a build that reads nothing leaves none
    files = [
        ExtractionFile("reports/a.txt", "report:1111", "{}\n"),
        ExtractionFile("other/a.docx", "report:2222", "{}\n"),
        ExtractionFile("b.html", "report:3333", "{}\n"),
    ]
    for file in files:
        writer(file)
    assert sorted(path.name for path in folder.iterdir()) == ["a-2222.json", "a.json", "b.json"]


def test_extraction_file_of_a_sample_report(sample_reports: list[Path]) -> None:
    extraction = extract(read_report(sample_reports[2]))
    file = to_extraction_file(extraction)
    assert file.source == sample_reports[2].name and file.report == extraction.report.id
    assert json.loads(file.text) == json.loads(json.dumps(to_guide_json(extraction)))
