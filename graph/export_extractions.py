"""The extraction files: one JSON per report in the annotation guide's format.

``to_extraction_file`` runs where the report was extracted (a worker process: text
travels back faster than records); ``ExtractionWriter`` writes the files as they
arrive, named after each report's file.

>>> guide_json_text({"doc": "a.txt", "entities": [{"name": "教育局"}], "relations": []})
'{\\n "doc": "a.txt",\\n "entities": [\\n  {"name":"教育局"}\\n ],\\n "relations": []\\n}\\n'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from edukg.graph.export_json import json_text, naming
from edukg.graph.extract import to_guide_json
from edukg.records import Extraction

SUFFIX = ".json"
NAME_BYTES = 255  # the longest file name Linux, macOS and Windows file systems take


def guide_json_text(document: dict[str, Any]) -> str:
    """A guide-format document as JSON, one entity or relation a line.

    Readable like an indented file, but each line made by one call of a fast encoder
    (json's ``indent`` falls back to its slow pure-Python encoder, which showed in builds
    of thousands).
    """
    fields = []
    for key, value in document.items():
        if isinstance(value, list):
            items = ",".join("\n  " + json_text(item) for item in value)
            text = "[" + items + ("\n ]" if value else "]")
        else:
            text = json_text(value)
        fields.append(" " + json_text(key) + ": " + text)
    return "{\n" + ",\n".join(fields) + "\n}\n"


@dataclass(frozen=True, slots=True)
class ExtractionFile:
    """One report's extraction as the text of its guide-format JSON file."""

    source: str  # the report's file
    report: str  # the report's id
    text: str


def to_extraction_file(extraction: Extraction) -> ExtractionFile:
    """The file of ``extraction``, made in the process that extracted the report."""
    report = extraction.report
    return ExtractionFile(report.source, report.id, guide_json_text(to_guide_json(extraction)))


class ExtractionWriter:
    """Writes one guide-format JSON per report into ``folder``, named after its file, as
    extractions arrive; the folder is made with the first file.

    A report whose file name (without suffix) an earlier one already took, from another
    folder or format, gets its id too, and so does one whose name is cut to fit 255 bytes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: set[str] = set()

    def __call__(self, file: ExtractionFile) -> None:
        stem, tag = Path(file.source).stem, f"-{file.report.removeprefix('report:')}"
        name = _fitted(stem)
        if name != stem or name in self.taken:  # shortened names could clash: the id tells them apart
            name = _fitted(stem, tag)
        if not self.taken:
            self.folder.mkdir(parents=True, exist_ok=True)
        self.taken.add(name)
        path = self.folder / f"{name}{SUFFIX}"
        with naming(path):
            path.write_text(file.text, encoding="utf-8")


def _fitted(stem: str, tag: str = "") -> str:
    """``stem`` + ``tag``, with ``stem`` cut so the name with ``.json`` fits in a file name's
    255 bytes (a report's own name may take all 255).

    >>> len(_fitted("报" * 90, "-0123456789abcdef").encode() + b".json")
    253
    """
    while len(os.fsencode(f"{stem}{tag}{SUFFIX}")) > NAME_BYTES:
        stem = stem[:-1]
    return stem + tag
