"""ARCHITECTURE.md and README.md name only files and functions that exist.

Paths in backticks (``graph/build.py``, ``queries/sparql/``) must be files or folders
of the project; dotted names of the data-flow section (``graph.build.build_graph``)
must resolve under the package ``edukg``. Output paths (``out/…``) are made by the
commands, not kept in the repository, and are not checked.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = ("ARCHITECTURE.md", "README.md")
BACKTICKED_PATH = re.compile(
    r"`((?:ingest|graph|ontology|queries|edukg|tests|notebooks|data|bench)/[^`*…<> ]*)`"
)
# A dotted name of the package that is not a file name (graph.ttl, out/graph.json).
DOTTED_NAME = re.compile(r"(?<![\w/.])((?:ingest|graph|queries|ontology)(?:\.[A-Za-z_]\w*)+)(?![\w/])")
FILE_SUFFIXES = {
    "ttl",
    "json",
    "jsonld",
    "graphml",
    "html",
    "rdf",
    "nt",
    "csv",
    "cypher",
    "rq",
    "py",
    "txt",
    "md",
}


def flow_section() -> str:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    start = text.index("## From a report to Neo4j, RDF and HTML")
    return text[start : text.index("\n## ", start + 1)]


def resolves(dotted: str) -> bool:
    """True if ``edukg.<dotted>`` is a module, or an attribute of the longest module prefix."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module("edukg." + ".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            if not hasattr(target, attribute):
                return False
            target = getattr(target, attribute)
        return True
    return False


@pytest.mark.parametrize("document", DOCUMENTS)
def test_named_paths_exist(document: str) -> None:
    text = (ROOT / document).read_text(encoding="utf-8")
    paths = set(BACKTICKED_PATH.findall(text))
    assert paths, f"{document} names no project paths"
    assert sorted(path for path in paths if not (ROOT / path).exists()) == []


def test_data_flow_names_resolve() -> None:
    names = {
        name for name in DOTTED_NAME.findall(flow_section()) if name.rsplit(".", 1)[1] not in FILE_SUFFIXES
    }
    assert len(names) > 15
    assert sorted(name for name in names if not resolves(name)) == []


@pytest.mark.parametrize(
    ("dotted", "exists"),
    [("graph.build.build_graph", True), ("graph.build.no_such_function", False), ("graph.nowhere", False)],
)
def test_resolves(dotted: str, exists: bool) -> None:
    assert resolves(dotted) is exists
