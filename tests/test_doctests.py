"""Every docstring example in the package runs, module by module (networkx and rdflib run theirs)."""

from __future__ import annotations

import doctest
import importlib
import importlib.util
import pkgutil
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the packages as pyproject lists them: the design card's folders live outside edukg/
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
    "packages"
]
NOT_IMPORTABLE = {"edukg.cli.__main__"}  # ``python -m edukg.cli`` runs the command line when imported


def _modules() -> list[str]:
    """Every module of the packages with code. Found by spec, not imported: importing a folder
    of data (edukg.ontology.lexicon) would shadow the function of that name in its parent."""
    found = set()
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:  # a folder of data files only
            continue
        found.add(package)
        locations = spec.submodule_search_locations or []
        found.update(f"{package}.{info.name}" for info in pkgutil.iter_modules(locations) if not info.ispkg)
    return sorted(found - NOT_IMPORTABLE)


MODULES = _modules()


def test_the_whole_package_is_walked() -> None:
    """The design card's folders are subpackages: their modules are found too."""
    assert {"edukg.graph.resolve", "edukg.ingest.readers", "edukg.queries.catalogue"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_module_examples_run(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"
