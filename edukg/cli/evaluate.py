"""``edukg eval``: score edukg's extraction (or any predictions) against annotated gold files."""

from __future__ import annotations

from pathlib import Path

import click

from edukg.cli.app import main
from edukg.graph.evaluate import (
    corpora_summary,
    score_corpora,
    score_directories,
    score_reports,
    to_table,
    write_scores_json,
)


@main.command("eval")
@click.argument("gold_dir", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("reports", nargs=-1, metavar="[REPORT]...", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--pred",
    "pred_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Score the prediction .json files of this folder instead of extracting REPORTS.",
)
@click.option(
    "--corpus",
    "corpora",
    multiple=True,
    nargs=3,
    type=(str, click.Path(exists=True, file_okay=False), click.Path(exists=True)),
    metavar="NAME GOLD_DIR REPORTS",
    help="Score a named corpus on its own (repeatable): a development set and real reports side by side.",
)
@click.option("--detail", is_flag=True, help="List each report's missed and false entities and relations.")
@click.option(
    "--json",
    "json_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the scores as JSON to this file.",
)
def eval_command(
    gold_dir: Path | None,
    reports: tuple[Path, ...],
    pred_dir: Path | None,
    corpora: tuple[tuple[str, str, str], ...],
    detail: bool,
    json_path: Path | None,
) -> None:
    """Score extractions against gold annotation files (the annotation guide's format).

    With REPORT files (or folders of them), edukg extracts them and each is scored
    against the gold file of GOLD_DIR with the same name (000_x.txt against 000_x.json). With --pred, the
    .json files of that folder are scored instead; a gold file without a prediction
    counts as an empty one. Prints per-report F1, total P/R/F1 with counts, per-type
    entity figures, and a last line of key_f1=value pairs.

    \b
    With --corpus NAME GOLD_DIR REPORTS (repeatable), each corpus is scored on its own and
    reported per corpus and per entity type.

    \b
    Example:
      edukg eval tests/data/gold data/reports
      edukg eval tests/data/gold --pred out/extractions --detail --json scores.json
      edukg eval --corpus sample tests/data/gold data/reports \\
                 --corpus real tests/data/real/gold tests/data/real/reports
    """
    if corpora:
        if gold_dir or reports or pred_dir:
            raise click.UsageError("give either --corpus options or GOLD_DIR with reports, not both")
        by_corpus = score_corpora(corpora, progress=True)
        if detail:
            for name, corpus in by_corpus.items():
                click.echo(f"# {name}\n{to_table(corpus, detail=True)}\n")
        click.echo(corpora_summary(by_corpus))
        return
    if gold_dir is None:
        raise click.UsageError("give GOLD_DIR with REPORT files or --pred DIR, or --corpus options")
    if reports and pred_dir:
        raise click.UsageError("give either REPORT files or --pred DIR, not both")
    if pred_dir:
        scores = score_directories(gold_dir, pred_dir)
    elif reports:
        scores = score_reports(gold_dir, reports, progress=True)
    else:
        raise click.UsageError("give REPORT files to extract and score, or --pred DIR with prediction files")
    click.echo(to_table(scores, detail=detail))
    if json_path:
        write_scores_json(scores, json_path)
