"""A seeded corpus of realistic bureau reports for the benchmark.

Each report recombines the sample reports' paragraphs and sentences (read from
``data/reports/*.txt`` at run time): an opening, an introduction and a few numbered
sections whose sentences are partly swapped for sentences of other reports. It then
names its own jurisdiction (a real city, district or county from ``places.txt``, or a
masked one such as ``**市``), and rewrites counts and amounts (some masked, some unmasked).

Report ``i`` depends only on the seed and ``i``, so a corpus of 1,000 is the first
1,000 files of the corpus of 10,000 with the same seed.

    python bench/generate_corpus.py --n 1000 --seed 0 --out bench/corpus/seed0
"""

from __future__ import annotations

import argparse
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SAMPLES = BENCH.parent / "data" / "reports"
PLACES = BENCH / "places.txt"

NUMERALS = "一二三四五六七八九十"
TOP_MARKER = re.compile(rf"^[{NUMERALS}]+、")
SENTENCE_END = re.compile(r"(?<=[。！？；!?])")
MASK_CHARS = "*×X＊"
MASKS = ("**", "××", "XX", "X", "＊＊", "***")
# A masked place (**市), or a bureau named by its level alone (市教育局): the report's own place.
PLACE_MENTION = re.compile(rf"[{MASK_CHARS}]*[市区县](?=教育局)|[{MASK_CHARS}]+[市区县]")
COLLECTIVE = re.compile(r"全[市区县]")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
DATE_UNIT = re.compile(r"[月日号时]")
MASKED_COUNT = re.compile(rf"[{MASK_CHARS}]+(?=[个项所人名家条类场次期批门种届亿万])")

HEAD_MAX = 60
TAIL_MAX = 40
SWAP_SHARE = 0.3
MASKED_SHARE = 0.3
MASKED_NUMBER_SHARE = 0.1
UNMASKED_COUNT_SHARE = 0.4


@dataclass(frozen=True, slots=True)
class Sample:
    """A sample report cut into its opening lines, body paragraphs and closing lines."""

    head: tuple[str, ...]
    body: tuple[str, ...]
    tail: tuple[str, ...]


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of a paragraph, each with its closing punctuation.

    >>> split_sentences("一、总体情况。完成培训3场！其他")
    ['一、总体情况。', '完成培训3场！', '其他']
    """
    return [sentence for sentence in SENTENCE_END.split(paragraph) if sentence]


def to_sample(text: str) -> Sample:
    """Cut a report: short lines before the body are its opening, short lines after it its closing."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    start = 0
    while start < len(lines) - 1 and len(lines[start]) <= HEAD_MAX:
        start += 1
    end = len(lines)
    while end > start + 1 and len(lines[end - 1]) <= TAIL_MAX:
        end -= 1
    return Sample(tuple(lines[:start]), tuple(lines[start:end]), tuple(lines[end:]))


def load_samples(folder: Path = SAMPLES) -> list[Sample]:
    """The sample reports of ``folder`` (``*.txt``), cut into parts."""
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise SystemExit(f"no sample reports (*.txt) in {folder}")
    return [to_sample(path.read_text(encoding="utf-8")) for path in paths]


def load_places(path: Path = PLACES) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _numeral(index: int) -> str:
    if index < 10:
        return NUMERALS[index]
    tens, units = divmod(index + 1, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[units - 1] if units else "")


def _section(paragraph: str, index: int, pool: Sequence[str], rng: random.Random) -> str:
    """A paragraph renumbered as section ``index``, some of its sentences swapped for others.

    A heading on its own line (no closing punctuation) stays a heading.
    """
    first, *rest = split_sentences(paragraph)
    if not SENTENCE_END.search(paragraph):
        return TOP_MARKER.sub(_numeral(index) + "、", first)
    first = TOP_MARKER.sub(_numeral(index) + "、", first)
    body = [rng.choice(pool) if rng.random() < SWAP_SHARE else sentence for sentence in rest]
    body += rng.sample(pool, rng.randint(0, 2))
    return first + "".join(body)


def _number(match: re.Match[str], text: str, rng: random.Random) -> str:
    """A new number of the same shape; years stay plausible, dates stay as written."""
    written = match.group()
    after = text[match.end() : match.end() + 1]
    if DATE_UNIT.fullmatch(after):
        return written
    if after == "年" and len(written) == 4:
        return str(rng.randint(2018, 2024))
    if rng.random() < MASKED_NUMBER_SHARE:
        return "*" * len(written)
    whole, _, fraction = written.partition(".")
    lowest = 10 ** (len(whole) - 1) if len(whole) > 1 else 1
    number = str(rng.randint(lowest, 10 ** len(whole) - 1))
    return number + ("." + "".join(str(rng.randint(0, 9)) for _ in fraction) if fraction else "")


def _place(places: Sequence[str], rng: random.Random) -> str:
    if rng.random() < MASKED_SHARE:
        return rng.choice(MASKS) + rng.choice("市市区县")
    return rng.choice(places)


def _localise(text: str, place: str, rng: random.Random) -> str:
    """Name ``place`` as the report's jurisdiction and vary its numbers and masked counts."""
    level = place[-1]
    text = PLACE_MENTION.sub(place, text)
    text = COLLECTIVE.sub("全" + level, text)
    text = MASKED_COUNT.sub(
        lambda m: str(rng.randint(2, 60)) if rng.random() < UNMASKED_COUNT_SHARE else m.group(), text
    )
    return NUMBER.sub(lambda m: _number(m, text, rng), text)


def generate_report(samples: Sequence[Sample], places: Sequence[str], rng: random.Random) -> str:
    """One report: an opening, an introduction, 3 to 8 sections and a closing."""
    intros = [sample.body[0] for sample in samples if not TOP_MARKER.match(sample.body[0])]
    sections = [paragraph for sample in samples for paragraph in sample.body[1:]]
    pool = [sentence for paragraph in sections for sentence in split_sentences(paragraph)[1:]]
    lines = [*rng.choice(samples).head, rng.choice(intros)]
    chosen = rng.sample(sections, min(len(sections), rng.randint(3, 8)))
    lines += [_section(paragraph, index, pool, rng) for index, paragraph in enumerate(chosen)]
    lines += rng.choice(samples).tail
    return _localise("\n".join(lines) + "\n", _place(places, rng), rng)


def generate_corpus(n: int, seed: int, samples: Sequence[Sample], places: Sequence[str]) -> list[str]:
    """``n`` report texts; report ``i`` depends only on ``seed`` and ``i``."""
    return [generate_report(samples, places, random.Random(f"{seed}:{index}")) for index in range(n)]


def write_corpus(folder: Path, n: int, seed: int, samples_folder: Path = SAMPLES) -> list[Path]:
    """Write ``report_00000.txt`` ... into ``folder`` (replacing an older corpus there); the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("report_*.txt"):
        old.unlink()
    texts = generate_corpus(n, seed, load_samples(samples_folder), load_places())
    paths = []
    for index, text in enumerate(texts):
        path = folder / f"report_{index:05d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="number of reports")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=BENCH / "corpus" / "seed0")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help="folder of sample reports (*.txt)")
    options = parser.parse_args(argv)
    paths = write_corpus(options.out, options.n, options.seed, options.samples)
    print(f"{len(paths)} reports -> {options.out}")


if __name__ == "__main__":
    main()
