"""A query's result as a text table, CSV or JSON.

>>> result = Result(("name", "reports"), [("市教育局", ["report:1", "report:2"])])
>>> print(to_table(result))
name      reports
--------  ------------------
市教育局  report:1; report:2
(1 row)
>>> to_json(result)
'[{"name": "市教育局", "reports": ["report:1", "report:2"]}]'
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FORMATS = ("table", "csv", "json")

# a run of letters with its trailing spaces, or one wide (CJK) character: where a line may break
_BREAKABLE = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\S\s*|\s+")
# What a terminal acts on instead of showing: C0 and C1 controls (U+009B is a one-byte CSI),
# DEL, and the bidi controls that reorder what follows them.
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Result:
    """The columns a query returned and its rows, in order; values are scalars or lists."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def to_table(result: Result) -> str:
    """Aligned columns for a terminal (CJK characters count two cells), then the row count."""
    cells = [list(result.columns)] + [[_shown(_cell(value)) for value in row] for row in result.rows]
    widths = [max(_width(line[column]) for line in cells) for column in range(len(result.columns))]
    lines = [_line(cells[0], widths), _line(["-" * width for width in widths], widths)]
    lines += [_line(line, widths) for line in cells[1:]]
    count = len(result.rows)
    lines.append(f"({count} row{'' if count == 1 else 's'})")
    return "\n".join(lines)


def to_csv(result: Result) -> str:
    """RFC 4180 CSV with a header row; lists are joined with ``; ``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([_cell(value) for value in row] for row in result.rows)
    return buffer.getvalue()


def to_json(result: Result) -> str:
    """A JSON array of one object per row, keys in column order; terminal controls escaped
    (``\\u009b``), the same value to any JSON reader."""
    return _shown(json.dumps(result.records(), ensure_ascii=False))


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal cells (CJK characters count two),
    broken between words or between wide characters.

    >>> wrap("Which bureau runs 双一流建设？", 18)
    ['Which bureau runs', '双一流建设？']
    """
    lines: list[str] = []
    line = ""
    for token in _BREAKABLE.findall(text):
        while _width(token.rstrip()) > width:  # a word longer than a line: cut it
            cut = next(i for i in range(len(token), 0, -1) if _width(token[:i]) <= width)
            lines += [line.rstrip()] if line.strip() else []
            lines.append(token[:cut])
            line, token = "", token[cut:]
        if line.strip() and _width(line + token.rstrip()) > width:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def to_listing(queries: Mapping[str, Mapping[str, Any]], width: int, indent: str = "    ") -> str:
    """The catalogue for a terminal: each query's name, engines and parameters with their
    defaults, then its questions indented; every line at most ``width`` cells.

    ``queries`` maps a name to its entries by engine (``catalogue.by_name``); the first
    entry's header is shown.
    """
    lines = []
    for name, engines in queries.items():
        entry = next(iter(engines.values()))
        parameters = " ".join(
            f"{p.name}={json.dumps(p.default, ensure_ascii=False)}" for p in entry.parameters
        )
        head = f"{name}  [{', '.join(engines)}]" + (f"  {parameters}" if parameters else "")
        lines += wrap(head, width)
        for question in (entry.question_en, entry.question_zh):
            lines += [indent + line for line in wrap(question, width - len(indent))]
    lines.append(f"({len(queries)} queries)")
    return "\n".join(lines)


def render(result: Result, format: str) -> str:
    """``result`` in one of FORMATS."""
    return {"table": to_table, "csv": to_csv, "json": to_json}[format](result)


def _shown(text: str) -> str:
    """``text`` for a terminal: each terminal control as its escape (``\\u202e``), so a value
    can neither move the cursor nor reorder the line, and a line break stays in its cell.

    >>> _shown("a\\u202eb")
    'a\\\\u202eb'
    """
    return _TERMINAL_CONTROLS.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _line(cells: list[str], widths: list[int]) -> str:
    padded = [cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)]
    return "  ".join(padded).rstrip()
