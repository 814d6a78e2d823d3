"""Every catalogue query on a loaded store: seconds per query with its default parameters
(and so its default row limit), the median of ``--rounds`` runs, against a target.

Run on the embedded store of an output folder that ``edukg load`` filled:
``.venv/bin/python bench/bench_queries.py --out OUT``. ``bench_load.py baselines
--queries`` runs it on the store its edukg load just filled.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from edukg.errors import StoreError
from edukg.graph.open_store import open_store
from edukg.graph.store import GraphStore
from edukg.queries.catalogue import catalogue
from edukg.queries.run_query import run

TARGET = 5.0  # seconds: the most any query may take on the 10,000-report store


def time_queries(store: GraphStore, rounds: int = 3) -> list[tuple[str, float, int]]:
    """(query, median seconds, rows) for every catalogue query, printed as each is measured."""
    figures = []
    for query in catalogue():
        seconds = []
        started = time.perf_counter()
        try:
            for _ in range(rounds):
                started = time.perf_counter()
                result = run(query, query.defaults(), store)
                seconds.append(time.perf_counter() - started)
        except StoreError as error:  # e.g. the client's read timeout: the figure is that it failed
            print(
                f"  query {query.name}: FAILED after {time.perf_counter() - started:.0f} s: {error}",
                flush=True,
            )
            continue
        median = statistics.median(seconds)
        figures.append((query.name, median, len(result.rows)))
        verdict = "" if median <= TARGET else f"  OVER {TARGET:.0f} s"
        print(
            f"  query {query.name}: {median:.2f} s median of {rounds}, {len(result.rows)} rows{verdict}",
            flush=True,
        )
    return figures


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="the output folder whose store to ask")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args(argv)
    with open_store(out_dir=options.out) as store:
        time_queries(store, options.rounds)


if __name__ == "__main__":
    main()
