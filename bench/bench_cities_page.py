"""How soon the cities page is usable in Chromium: the page of a built graph (``--graph``, a
graph.json) is written with its assets into a temporary folder and opened ``--rounds``
times; each round times the load until the page's script says it is ready (drawn and
settled), and the median is printed with the number of places the graph holds and draws.

    .venv/bin/python bench/bench_cities_page.py --graph /work/benchdata/graph1k/graph.json
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from edukg.graph import render_html
from edukg.graph.export_json import read_graph


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--graph", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    graph = read_graph(options.graph)
    places = sum(1 for _, label in graph.nodes(data="label") if label == "Jurisdiction")
    view = render_html.cities_view(graph)
    drawn = sum(1 for _, label in view.graph.nodes(data="label") if label == "Jurisdiction")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cities.html"
        render_html.write_assets(folder)
        path.write_text(render_html.to_html(view), encoding="utf-8")
        seconds = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
            for _ in range(options.rounds):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                start = time.perf_counter()
                page.goto(path.as_uri())
                page.wait_for_function(
                    "window.edukgView !== undefined && window.edukgView.ready", timeout=120_000
                )
                seconds.append(time.perf_counter() - start)
                page.close()
            browser.close()
    print(
        f"cities page: {places} places in the graph, {drawn} drawn, {len(view.graph)} nodes: "
        f"ready after {statistics.median(seconds):.2f} s (median of {len(seconds)})"
    )


if __name__ == "__main__":
    main()
