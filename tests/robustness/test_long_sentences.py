"""A page without punctuation is one long sentence: it is extracted like the punctuated text.

Its cost is measured in bench/ (``unpunctuated / punctuated extraction time``); here the
names found must be the same kinds of thing, at the same places of the text.
"""

from __future__ import annotations

from pathlib import Path

from edukg.graph.extract import extract, to_guide_json
from edukg.ingest import report_from_text

UNPUNCTUATED = str.maketrans("", "", "。，；！？\n")


def test_unpunctuated_report_keeps_its_quoted_and_titled_names(sample_reports: list[Path]) -> None:
    text = "".join(path.read_text(encoding="utf-8") for path in sample_reports)
    flat = text.translate(UNPUNCTUATED)
    assert len(flat) > 10_000
    report = report_from_text(flat, "flat.txt")
    assert len(report.sentences) < 10  # one long sentence, not many short ones
    found = to_guide_json(extract(report))
    names = {entity["name"] for entity in found["entities"] if entity["type"] != "Metric"}
    punctuated = to_guide_json(extract(report_from_text(text, "text.txt")))
    marked = {
        entity["name"]
        for entity in punctuated["entities"]
        if entity["type"] in {"Policy", "Document"} and f"《{entity['name']}" in text
    }
    assert len(marked & names) >= 0.8 * len(marked)
