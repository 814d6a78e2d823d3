"""``edukg extract`` and ``edukg build``: the main job."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import click
from tqdm import tqdm

from edukg.cli.app import main, one_line, out_option, store_options
from edukg.graph.build import BuildResult, Failure, build_from_paths, iter_extractions
from edukg.graph.export_graphml import write_graph_files
from edukg.graph.export_json import json_text
from edukg.graph.extract import to_guide_json
from edukg.ingest import find_reports
from edukg.ingest.locate import read_places
from edukg.records import Extraction


def bundled_reports() -> Path:
    """The sample reports shipped with the project (data/reports beside the package)."""
    return Path(str(resources.files("edukg"))).parent / "data" / "reports"


def _report_failures(failures: list[Failure] | tuple[Failure, ...]) -> None:
    for failure in failures:
        click.echo(f"edukg: skipped {one_line(failure)}", err=True)


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


def extraction_file(extraction: Extraction) -> ExtractionFile:
    """Made in the worker process that extracted the report: text travels back faster than records."""
    report = extraction.report
    return ExtractionFile(report.source, report.id, guide_json_text(to_guide_json(extraction)))


class ExtractionWriter:
    """Writes one guide-format JSON per report, named after its file, as extractions arrive.

    A report whose file name (without suffix) an earlier one already took, from another
    folder or format, gets its id too.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.taken: set[str] = set()
        folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, file: ExtractionFile) -> None:
        name = Path(file.source).stem
        if name in self.taken:
            name = f"{name}-{file.report.removeprefix('report:')}"
        self.taken.add(name)
        (self.folder / f"{name}.json").write_text(file.text, encoding="utf-8")


def _progress(total: int, what: str) -> tqdm:
    return tqdm(total=total, desc=what, unit="report", disable=None, file=sys.stderr)


@main.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(readable=False))
@out_option("out/extractions")
@click.option("--workers", default=1, show_default=True, help="Extract in this many processes.")
@click.option("--strict", is_flag=True, help="Exit non-zero if any report fails.")
def extract(reports: tuple[str, ...], out: str, workers: int, strict: bool) -> None:
    """Extract entities and relations, one JSON file per report (the annotation guide's format).

    \b
    Example:
      edukg extract data/reports/*.txt --out out/extractions
    """
    paths = find_reports(reports)
    folder = Path(out)
    writer = ExtractionWriter(folder)
    extracted, failures = 0, []
    with _progress(len(paths), "extract") as bar:
        for outcome in iter_extractions(paths, workers, then=extraction_file):
            if isinstance(outcome, Failure):
                failures.append(outcome)
            else:
                writer(outcome)
                extracted += 1
            bar.update()
    _report_failures(failures)
    click.echo(f"{extracted} extracted, {len(failures)} failed -> {folder}")
    if strict and failures:
        sys.exit(1)


def summary(result: BuildResult) -> str:
    """Reports read and failed, entities by type and relations by type."""
    graph = result.graph
    labels = Counter(data["label"] for _, data in graph.nodes(data=True))
    kinds = Counter(kind for _, _, kind in graph.edges(keys=True))
    lines = [f"reports: {result.read} read, {len(result.failures)} failed"]
    lines += [f"  failed: {one_line(failure)}" for failure in result.failures]
    lines.append("nodes:  " + ", ".join(f"{label} {count}" for label, count in sorted(labels.items())))
    lines.append("edges:  " + ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items())))
    return "\n".join(lines)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(readable=False))
@out_option()
@click.option(
    "--workers",
    default=1,
    show_default=True,
    help="Extract in this many processes (and, with 2 or more, write the two graph files at once).",
)
@click.option("--strict", is_flag=True, help="Exit non-zero if any report fails.")
@click.option(
    "--load", "load_store", is_flag=True, help="Also load the graph into the store (see edukg load)."
)
@click.option(
    "--places",
    "places_file",
    type=click.Path(dir_okay=False),
    help="A CSV file placing reports by file name, over what their text names (format above).",
)
@store_options
def build(
    paths: tuple[str, ...],
    out: str,
    workers: int,
    strict: bool,
    load_store: bool,
    places_file: str | None,
    uri: str | None,
    user: str | None,
    password: str | None,
    database: str | None,
) -> None:
    """Read reports, extract, resolve and write the graph (graph.json, graph.graphml, extractions/).

    With no PATH, builds the bundled sample reports. With --load, also loads the graph
    into the embedded FalkorDB under --out (or the store --uri names).

    With --places, a CSV file gives reports their place: a line per report with its
    file name, then its province, city and county as the gazetteer names them (full
    or short, any may be empty), or its file name and a six-digit adcode. A first
    line starting with "file" is a header.

    \b
    Example:
      edukg build data/reports --out out --workers 2
      edukg build --load
      edukg build reports --places places.csv

    \b
    places.csv:
      file,province,city,county
      report-11.txt,山东省,聊城市,阳谷县
      report-16.txt,140423
    """
    places = read_places(places_file) if places_file else None
    inputs = list(paths) or [str(bundled_reports())]
    files = find_reports(inputs)
    folder = Path(out)
    extraction_folder = folder / "extractions"
    with _progress(len(files), "build") as bar:
        result = build_from_paths(
            files,
            workers=workers,
            progress=bar.update,
            per_report=extraction_file,
            on_report=ExtractionWriter(extraction_folder),
            places=places,
        )
    write_graph_files(result.graph, folder / "graph.json", folder / "graph.graphml", processes=workers)
    _report_failures(result.failures)
    click.echo(summary(result))
    click.echo(f"written: {folder / 'graph.json'}, {folder / 'graph.graphml'}, {extraction_folder}/")
    if load_store:
        from edukg.graph.load_store import load_graph, open_store

        with open_store(uri, out_dir=out, user=user, password=password, database=database) as store:
            click.echo(str(load_graph(result.graph, store)))
    if strict and result.failures:
        sys.exit(1)
