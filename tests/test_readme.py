"""The README's commands run and print what the README shows, so the README cannot drift.

Every ```sh block of README.md is run, in README order, in one scratch folder that
holds a copy of what the commands read (``data/reports/``, ``tests/data/gold/``, ``tests/data/real/``), as a
newcomer runs them from the root of a clone. Each line of a block is one command;
``#`` starts a comment; ``VAR=value`` words before the command set its environment;
``edukg`` is this environment's console script. A ```python block runs with this
interpreter in the same folder. A ```text block right after a code block is what
that block printed: each of its lines must be a line of the real output (stdout and
stderr), comparing runs of white space as one space; ``…`` inside a line stands for
any text (a pid, a path, columns left out) and a line that is only ``…`` for lines
left out.

A block that cannot run here has the HTML comment ``<!-- not run: REASON -->`` on the
line above it. The list is kept to what needs something these machines lack or
would take the suite too long:

- ``make demo`` / ``make test``: they create the environment this test runs in
  (the tour's commands are the ones ``make demo`` runs, which a test here checks);
- the commands that talk to a Neo4j server or installation (``edukg load --uri``,
  ``neo4j-admin``), and ``make neo4j-server`` with the commands that use it: the same
  loads, queries and imports run on the test server (tests/neo4j-server) in
  tests/graph/test_load_neo4j.py, tests/queries/test_engines.py and
  tests/graph/test_export_neo4j_csv.py;
- ``pip install jupyterlab``: a download (the notebook itself runs in
  tests/test_notebook.py);
- ``make lint`` / ``make bench``: ``make test`` runs the same ruff checks, and the
  benchmark takes about ten minutes (tests/bench runs a small one).

Any other block, or a line of a run block that is not an ``edukg`` command, fails.
The embedded FalkorDB that ``edukg load`` starts must be stopped by the README's own
``edukg db stop``; the test stops it afterwards in any case.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from edukg.cli import main
from edukg.graph import embedded
from edukg.ontology import schema

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EDUKG = Path(sys.executable).with_name("edukg")
COPIED = ("data/reports", "tests/data/gold", "tests/data/real")  # what the README's commands read
NOT_RUN = re.compile(r"<!--\s*not run:\s*(?P<reason>.+?)\s*-->")
FENCE = re.compile(r"^```(?P<info>\S*)\s*$")
COMMAND_TIMEOUT = 300
STORE_ENVIRONMENT = ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE", "FALKORDB_PASSWORD")


@dataclass(frozen=True, slots=True)
class Block:
    """A fenced code block of the README, with the output block shown under it."""

    language: str
    line: int
    code: str
    not_run: str = ""  # the reason given in the marker above it
    shown: str = ""  # the ```text block right after it

    @property
    def commands(self) -> list[str]:
        """Its non-empty, non-comment lines."""
        lines = (line.strip() for line in self.code.splitlines())
        return [line for line in lines if line and not line.startswith("#")]

    @property
    def label(self) -> str:
        first = self.commands[0] if self.commands else ""
        return f"line {self.line}: {first[:60]}"


def parse_blocks(text: str) -> list[Block]:
    """The README's code blocks in order, each with its marker and shown output."""
    blocks: list[Block] = []
    lines = text.splitlines()
    index = 0
    last_text = ""  # the last non-blank line before the current block
    after_block = False  # only blank lines since the last code block closed
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            if lines[index].strip():
                last_text, after_block = lines[index], False
            index += 1
            continue
        start = index
        index += 1
        body = []
        while index < len(lines) and not lines[index].startswith("```"):
            body.append(lines[index])
            index += 1
        index += 1
        code = "\n".join(body)
        language = opening["info"]
        if language == "text" and after_block:
            previous = blocks[-1]
            blocks[-1] = Block(previous.language, previous.line, previous.code, previous.not_run, code)
        elif language != "text":
            marker = NOT_RUN.search(last_text)
            blocks.append(Block(language, start + 1, code, marker["reason"] if marker else ""))
        last_text, after_block = "", language != "text"
    return blocks


BLOCKS = parse_blocks(README.read_text(encoding="utf-8"))
RUN = [block for block in BLOCKS if not block.not_run and block.language in ("sh", "python")]


def normalise(line: str) -> str:
    return " ".join(line.split())


def shown_line_matches(shown: str, real_lines: list[str]) -> bool:
    """True if ``shown`` (with ``…`` for any text) is one of ``real_lines``."""
    pattern = re.compile(".*".join(re.escape(part.strip()) for part in normalise(shown).split("…")))
    return any(pattern.fullmatch(normalise(line)) for line in real_lines)


def missing_lines(shown: str, output: str) -> list[str]:
    """The lines of ``shown`` that ``output`` does not contain."""
    real = re.split(r"[\r\n]+", output)
    wanted = [line for line in shown.splitlines() if line.strip() and line.strip() != "…"]
    return [line for line in wanted if not shown_line_matches(line, real)]


@dataclass(frozen=True, slots=True)
class Outcome:
    command: str
    code: int
    output: str


def words_of(command: str) -> list[str]:
    return shlex.split(command, comments=True)


def run_command(command: str, cwd: Path, environment: dict[str, str]) -> Outcome:
    words = words_of(command)
    env = dict(environment)
    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
        name, _, value = words.pop(0).partition("=")
        env[name] = value
    if not words or words[0] != "edukg":
        return Outcome(
            command, -1, f"not an edukg command: {command!r}; mark its block `<!-- not run: … -->`"
        )
    completed = subprocess.run(
        [str(EDUKG), *words[1:]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=COMMAND_TIMEOUT,
    )
    return Outcome(command, completed.returncode, completed.stdout + completed.stderr)


def run_block(block: Block, cwd: Path, environment: dict[str, str]) -> list[Outcome]:
    if block.language == "python":
        completed = subprocess.run(
            [sys.executable, "-c", block.code],
            cwd=cwd,
            env=environment,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=COMMAND_TIMEOUT,
        )
        return [Outcome("python block", completed.returncode, completed.stdout + completed.stderr)]
    return [run_command(command, cwd, environment) for command in block.commands]


@dataclass(frozen=True, slots=True)
class Tour:
    outcomes: dict[int, list[Outcome]]  # block line -> what its commands did
    left_running: bool  # the embedded FalkorDB still ran after the last block


@pytest.fixture(scope="module")
def tour(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tour]:
    """Every runnable block, run once in order in one scratch copy of the project."""
    cwd = tmp_path_factory.mktemp("readme")
    for part in COPIED:
        shutil.copytree(ROOT / part, cwd / part)
    environment = {key: value for key, value in os.environ.items() if key not in STORE_ENVIRONMENT}
    environment["PYTHONIOENCODING"] = "utf-8"
    outcomes = {}
    try:
        for block in RUN:
            outcomes[block.line] = run_block(block, cwd, environment)
        left_running = embedded.status(cwd / "out") is not None
        yield Tour(outcomes, left_running)
    finally:
        embedded.stop(cwd / "out")


@pytest.mark.slow
@pytest.mark.parametrize("block", RUN, ids=[block.label for block in RUN])
def test_readme_block_runs_and_prints_what_it_shows(tour: Tour, block: Block) -> None:
    outcomes = tour.outcomes[block.line]
    failed = [outcome for outcome in outcomes if outcome.code != 0]
    assert not failed, "\n\n".join(f"$ {o.command}  (exit {o.code})\n{o.output}" for o in failed)
    output = "\n".join(outcome.output for outcome in outcomes)
    missing = missing_lines(block.shown, output)
    assert not missing, (
        f"README.md line {block.line}: these shown lines are not in the real output:\n"
        + "\n".join(missing)
        + f"\n\nreal output (paste what changed into the README):\n{output}"
    )


@pytest.mark.slow
def test_readme_tour_stops_the_embedded_store(tour: Tour) -> None:
    assert not tour.left_running, "the README starts the embedded FalkorDB and never runs `edukg db stop`"


def test_every_block_runs_or_says_why_not() -> None:
    unknown = [
        block.label for block in BLOCKS if block.language not in ("sh", "python") and not block.not_run
    ]
    assert unknown == [], "code blocks must be sh, python or text, or be marked not run"
    assert [block for block in BLOCKS if block.not_run], "the README's Neo4j and make blocks are marked"
    assert len(RUN) >= 10


def test_every_cli_command_is_in_the_tour() -> None:
    run_commands = [command for block in RUN for command in block.commands]
    used = {words_of(command)[1] for command in run_commands if command.startswith("edukg ")}
    assert set(main.commands) - used == set()


def test_make_demo_runs_commands_of_the_tour() -> None:
    """``make demo`` is not run here; its edukg commands are, as the README shows them."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert recipe is not None
    demo = [
        " ".join(line.strip().replace("$(BIN)/edukg", "edukg").split())
        for line in recipe.group(1).splitlines()
        if line.strip().startswith("$(BIN)/edukg")
    ]
    run_commands = {" ".join(words_of(command)) for block in RUN for command in block.commands}
    assert demo and [command for command in demo if command not in run_commands] == []


def test_ontology_table_lists_every_label_and_type() -> None:
    readme = README.read_text(encoding="utf-8")
    rows = {
        cells[1]: cells[2]
        for line in readme.splitlines()
        if line.startswith("| ") and len(cells := [cell.strip() for cell in line.strip("|").split("|")]) == 4
    }
    ontology = schema()
    expected = {name: ontology.labels[name]["zh"] for name in ontology.node_labels + ontology.relation_types}
    assert {name: rows.get(name) for name in expected} == expected


@pytest.mark.parametrize(
    ("shown", "output", "missing"),
    [
        ("a  b\n…\nc", "x\na b\nc\n", []),
        ("loaded … nodes (pid …)", "loaded 3 nodes (pid 12)", []),
        ("loaded 4 nodes", "loaded 3 nodes", ["loaded 4 nodes"]),
        ("part", "a part of a line", ["part"]),
        ("bar 100%", "bar  50%\rbar 100%\n", []),
    ],
)
def test_shown_output_matching(shown: str, output: str, missing: list[str]) -> None:
    assert missing_lines(shown, output) == missing


def test_parse_blocks_pairs_output_and_markers() -> None:
    text = "\n".join(
        [
            "<!-- not run: needs docker -->",
            "```sh",
            "docker run x",
            "```",
            "Then:",
            "```sh",
            "edukg build  # main job",
            "```",
            "",
            "```text",
            "reports: 5 read",
            "```",
            "```text",
            "not an output: no code block right before it",
            "```",
        ]
    )
    docker, build = parse_blocks(text)
    assert (docker.not_run, docker.shown) == ("needs docker", "")
    assert (build.not_run, build.commands, build.shown) == (
        "",
        ["edukg build  # main job"],
        "reports: 5 read",
    )
