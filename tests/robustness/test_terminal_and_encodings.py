"""Low-severity cases of issue 21, item 10: what reaches a terminal, odd encodings, a full disk.

Before: C1 control characters (U+009B, the one-byte CSI) and bidi overrides in a store's
values reached the terminal raw in `query run` tables and JSON; UTF-7 was read as ASCII
junk; UTF-16 without a BOM was refused as "binary data"; a build on a full disk said
"No space left on device" without naming the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from edukg.ingest.readers import decode_text
from edukg.queries.format_result import Result, to_json, to_table

TEXT = "某市教育局2023年工作总结\n全市学校开展“双减”工作，完成培训3场。\n"
BIDI = {"\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
HOSTILE_VALUES = ["\x9b31m红\x9b0m", "\u202egnp.exe", "a\u2066b\u2069c", "\x1b]0;title\x07", "x\x7fy\x85z"]


def unsafe(text: str) -> set[str]:
    """Characters a terminal acts on: controls other than the line break, and bidi controls."""
    return {c for c in text if (unicodedata.category(c) == "Cc" and c != "\n") or c in BIDI}


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_table_shows_controls_as_escapes(value: str) -> None:
    table = to_table(Result(("name", "reports"), [(value, [value])]))
    assert not unsafe(table), sorted(map(hex, map(ord, unsafe(table))))
    assert len(table.splitlines()) == 4  # header, rule, one row, count


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_json_escapes_controls_and_keeps_the_value(value: str) -> None:
    result = Result(("name",), [(value,)])
    text = to_json(result)
    assert not unsafe(text)
    assert json.loads(text) == [{"name": value}]


# (how the bytes were made, the bytes)
ENCODED = [
    ("utf-7 with its BOM", "\ufeff".encode("utf-7") + TEXT.encode("utf-7")),
    ("utf-7", TEXT.encode("utf-7")),
    ("utf-16-le without BOM", TEXT.encode("utf-16-le")),
    ("utf-16-be without BOM", TEXT.encode("utf-16-be")),
]


@pytest.mark.parametrize(("how", "data"), ENCODED, ids=[how for how, _ in ENCODED])
def test_text_in_an_unmarked_encoding_is_read(how: str, data: bytes) -> None:
    assert decode_text(data, "a.txt").lstrip("\ufeff") == TEXT


def test_ascii_text_stays_ascii() -> None:
    plain = b"Report 2023: +5 schools, a+b-c\n"
    assert decode_text(plain, "a.txt") == plain.decode()


@pytest.fixture()
def full_folder(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs of 256 KB: too small for a build's outputs."""
    target = tmp_path / "out"
    target.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(target)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs (needs root with CAP_SYS_ADMIN): {done.stderr.strip()}")
    yield target
    subprocess.run(["umount", "--lazy", str(target)], check=True)


def test_a_full_disk_names_the_file(sample_reports: list[Path], full_folder: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "edukg.cli", "build", *map(str, sample_reports), "--out", str(full_folder)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    line = run.stderr.strip().splitlines()[-1]
    assert line.startswith(f"edukg: error: {full_folder}/") and line.endswith(": No space left on device"), (
        line
    )
