"""The sample reports ship inside the package, and the clone's data/reports is the same folder."""

from __future__ import annotations

from pathlib import Path

from edukg.data import sample_reports

ROOT = Path(__file__).resolve().parent.parent


def test_clone_data_reports_is_the_packaged_folder() -> None:
    """One copy only: data/reports links to edukg/data/reports, so the two cannot drift."""
    assert (ROOT / "data" / "reports").resolve() == sample_reports().resolve()


def test_sample_reports_are_five_texts() -> None:
    files = sorted(sample_reports().iterdir())
    assert len(files) == 5 and {path.suffix for path in files} == {".txt"}
    assert all(path.stat().st_size > 1000 for path in files)
