"""Scoring extractions against annotated gold files, as the annotation guide defines it.

Gold and predicted documents are dicts in the guide's file format (``doc``, ``bureau``,
``entities``, ``relations``; other fields are ignored). Five scores are computed, each
as precision, recall and F1 micro-averaged over the reports:

- ``entity``: non-Metric entities whose type matches and that share a name (name or
  alias, after :func:`normalize_name`);
- ``entity_any``: the same, type ignored;
- ``entity_rel``: type matches and a name matches, or one name contains the other
  and is at least half as long (:func:`names_match_loosely`);
- ``metric``: Metric entities whose value matches and whose indicators are equal or
  one contains the other;
- ``relation``: relations whose type and both ends match, the predicted ends first
  mapped to gold names through entity matching and the reports' own bureaus.

Matching is greedy and one-to-one: predicted items are taken in file order and each
takes the first gold item it matches that no earlier item took.

The functions here are pure except :func:`read_annotations`, :func:`predict_reports`
and :func:`write_scores_json`, which read or write files.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from tqdm import tqdm

from edukg.errors import InputError, UnknownTypeError
from edukg.ingest import find_reports, read_report
from edukg.text import MASK

ScoreKey = Literal["entity", "entity_any", "entity_rel", "metric", "relation"]
SCORE_KEYS: tuple[ScoreKey, ...] = ("entity", "entity_any", "entity_rel", "metric", "relation")
Key = TypeVar("Key", bound=str)  # a score key, or an entity type

Document = Mapping[str, Any]
RelationTriple = tuple[str, str, str]
"""A relation as scored: (type, normalised source name, normalised target name)."""

EMPTY_DOCUMENT: Document = {"entities": [], "relations": []}

# Quote and book-title marks are not part of a name (the guide strips them); whitespace
# is layout. NFKC has already turned full-width forms (＂, ＇, \u3000) into these.
_MARKS_AND_SPACE = re.compile(r"[\s\"'“”‘’「」『』《》〈〉]")
_DASH_RUN = re.compile(r"[-‐–—]+")
# A run of mask symbols, or a run of Latin X that is not part of a Latin word (so an
# abbreviation such as "STEAM" or "XML" keeps its letters). NFKC has turned ＊ and Ｘ
# into * and X.


def normalize_name(text: object) -> str:
    """The form in which names and values are compared.

    NFKC, then quote/book-title marks and whitespace removed, dash runs unified to
    ``-``, and each run of mask characters folded to one ``*``.

    >>> normalize_name("《××市 校外培训管理办法》")
    '*市校外培训管理办法'
    >>> normalize_name("大思政课——新时代") == normalize_name("大思政课－新时代")
    True
    """
    folded = unicodedata.normalize("NFKC", str(text or ""))
    folded = _MARKS_AND_SPACE.sub("", folded)
    folded = _DASH_RUN.sub("-", folded)
    return MASK.sub("*", folded)


def entity_names(entity: Document) -> frozenset[str]:
    """The normalised name and aliases of an entity, without empty ones."""
    written = [entity.get("name", ""), *(entity.get("aliases") or [])]
    return frozenset(name for name in map(normalize_name, written) if name)


def names_match_loosely(first: str, second: str) -> bool:
    """Equal, or the shorter (2+ characters) lies inside the longer and is at least half its length.

    >>> names_match_loosely("双特色建设", "应用型双特色建设")
    True
    >>> names_match_loosely("建设", "职业院校双高计划特色建设")
    False
    """
    if first == second:
        return True
    shorter, longer = sorted((first, second), key=len)
    return len(shorter) >= 2 and shorter in longer and len(shorter) / len(longer) >= 0.5


def _share_a_name(predicted: frozenset[str], gold: frozenset[str]) -> bool:
    return not predicted.isdisjoint(gold)


def _share_a_loose_name(predicted: frozenset[str], gold: frozenset[str]) -> bool:
    return any(names_match_loosely(p, g) for p in predicted for g in gold)


def match_entities(
    gold: Sequence[Document],
    predicted: Sequence[Document],
    *,
    typed: bool = True,
    loose: bool = False,
) -> dict[int, int]:
    """Greedy one-to-one matching of entities: ``{predicted index: gold index}``.

    With ``typed`` the types must be equal. With ``loose`` a second pass, after the
    exact-name pass, also accepts :func:`names_match_loosely`. The dict is ordered by
    when each pair was found (exact pass first).
    """
    gold_names = [entity_names(entity) for entity in gold]
    predicted_names = [entity_names(entity) for entity in predicted]
    passes: tuple[Callable[[frozenset[str], frozenset[str]], bool], ...] = (
        (_share_a_name, _share_a_loose_name) if loose else (_share_a_name,)
    )
    matches: dict[int, int] = {}
    taken: set[int] = set()
    for names_match in passes:
        for p_index, p_entity in enumerate(predicted):
            if p_index in matches:
                continue
            for g_index, g_entity in enumerate(gold):
                if g_index in taken or (typed and p_entity.get("type") != g_entity.get("type")):
                    continue
                if names_match(predicted_names[p_index], gold_names[g_index]):
                    matches[p_index] = g_index
                    taken.add(g_index)
                    break
    return matches


@dataclass(frozen=True, slots=True)
class Counts:
    """Matched (``tp``), predicted and gold item counts, and the P/R/F1 they give.

    >>> Counts(tp=3, predicted=4, gold=6).f1
    0.6
    """

    tp: int = 0
    predicted: int = 0
    gold: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.predicted + other.predicted, self.gold + other.gold)

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        precision, recall = self.precision, self.recall
        return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _indicators_match(predicted: str, gold: str) -> bool:
    return predicted == gold or bool(predicted and gold and (predicted in gold or gold in predicted))


def count_metric_matches(gold: Sequence[Document], predicted: Sequence[Document]) -> Counts:
    """Match the Metric entities of two entity lists: equal values, indicators equal or nested."""
    gold_metrics = [entity for entity in gold if entity.get("type") == "Metric"]
    predicted_metrics = [entity for entity in predicted if entity.get("type") == "Metric"]
    gold_keys = [
        (normalize_name(entity.get("value", "")), normalize_name(entity.get("name", "")))
        for entity in gold_metrics
    ]
    taken: set[int] = set()
    for metric in predicted_metrics:
        value, indicator = normalize_name(metric.get("value", "")), normalize_name(metric.get("name", ""))
        for g_index, (gold_value, gold_indicator) in enumerate(gold_keys):
            if g_index not in taken and gold_value == value and _indicators_match(indicator, gold_indicator):
                taken.add(g_index)
                break
    return Counts(len(taken), len(predicted_metrics), len(gold_metrics))


def _canonical_gold_names(gold: Sequence[Document]) -> dict[str, str]:
    """Every gold name and alias -> the normalised name of its entity (first entity wins)."""
    canonical: dict[str, str] = {}
    for entity in gold:
        name = normalize_name(entity.get("name", ""))
        for written in entity_names(entity):
            canonical.setdefault(written, name)
    return canonical


def relation_triples(
    gold_doc: Document, predicted_doc: Document
) -> tuple[set[RelationTriple], set[RelationTriple]]:
    """The gold and predicted relations as comparable triples.

    Gold ends are named by their entity's name (an alias resolves to it). Predicted ends
    are named by the gold entity their entity matches (any type, loose names), and the
    predicted bureau by the gold bureau; an end that matches nothing keeps its own name.
    """
    gold = list(gold_doc.get("entities", []))
    predicted = list(predicted_doc.get("entities", []))
    gold_canonical = _canonical_gold_names(gold)
    predicted_to_gold: dict[str, str] = {}
    for p_index, g_index in match_entities(gold, predicted, typed=False, loose=True).items():
        gold_name = normalize_name(gold[g_index].get("name", ""))
        for written in entity_names(predicted[p_index]):
            predicted_to_gold.setdefault(written, gold_name)
    gold_bureau, predicted_bureau = gold_doc.get("bureau"), predicted_doc.get("bureau")
    if gold_bureau and predicted_bureau:
        bureau = normalize_name(gold_bureau)
        predicted_to_gold[normalize_name(predicted_bureau)] = gold_canonical.get(bureau, bureau)

    def triples(doc: Document, names: Mapping[str, str]) -> set[RelationTriple]:
        found = set()
        for relation in doc.get("relations", []):
            source, target = normalize_name(relation.get("source")), normalize_name(relation.get("target"))
            found.add((relation.get("type"), names.get(source, source), names.get(target, target)))
        return found

    return triples(gold_doc, gold_canonical), triples(predicted_doc, predicted_to_gold)


def _entity_label(entity: Document) -> str:
    return f"{entity.get('type')}:{entity.get('name')}"


@dataclass(frozen=True, slots=True)
class DocumentScores:
    """The scores of one report, with what was missed and what was wrongly predicted."""

    name: str
    counts: Mapping[ScoreKey, Counts]
    by_type: Mapping[str, Counts]
    missed_entities: tuple[str, ...] = ()
    false_entities: tuple[str, ...] = ()
    missed_relations: tuple[RelationTriple, ...] = ()
    false_relations: tuple[RelationTriple, ...] = ()


def _counts_by_type(
    gold: Sequence[Document], predicted: Sequence[Document], found_gold: set[int]
) -> dict[str, Counts]:
    """Strict entity counts per type: gold and matches by the gold type, predictions by their own."""
    by_type: dict[str, Counts] = {}
    for index, entity in enumerate(gold):
        entity_type = str(entity.get("type"))
        found = Counts(tp=int(index in found_gold), gold=1)
        by_type[entity_type] = by_type.get(entity_type, Counts()) + found
    for entity in predicted:
        entity_type = str(entity.get("type") or "?")
        by_type[entity_type] = by_type.get(entity_type, Counts()) + Counts(predicted=1)
    return by_type


def score_document(gold_doc: Document, predicted_doc: Document, name: str = "") -> DocumentScores:
    """Score one predicted document against its gold document."""
    gold_all = list(gold_doc.get("entities", []))
    predicted_all = list(predicted_doc.get("entities", []))
    gold = [entity for entity in gold_all if entity.get("type") != "Metric"]
    predicted = [entity for entity in predicted_all if entity.get("type") != "Metric"]

    def entity_counts(matches: Mapping[int, int]) -> Counts:
        return Counts(len(matches), len(predicted), len(gold))

    strict = match_entities(gold, predicted)
    gold_relations, predicted_relations = relation_triples(gold_doc, predicted_doc)
    counts: dict[ScoreKey, Counts] = {
        "entity": entity_counts(strict),
        "entity_any": entity_counts(match_entities(gold, predicted, typed=False)),
        "entity_rel": entity_counts(match_entities(gold, predicted, loose=True)),
        "metric": count_metric_matches(gold_all, predicted_all),
        "relation": Counts(
            len(gold_relations & predicted_relations), len(predicted_relations), len(gold_relations)
        ),
    }
    found_gold = set(strict.values())
    missed = [entity for index, entity in enumerate(gold) if index not in found_gold]
    false = [entity for index, entity in enumerate(predicted) if index not in strict]
    return DocumentScores(
        name=name,
        counts=counts,
        by_type=_counts_by_type(gold, predicted, found_gold),
        missed_entities=tuple(sorted(map(_entity_label, missed))),
        false_entities=tuple(sorted(map(_entity_label, false))),
        missed_relations=tuple(sorted(gold_relations - predicted_relations, key=str)),
        false_relations=tuple(sorted(predicted_relations - gold_relations, key=str)),
    )


def _sum_counts(parts: Iterable[Mapping[Key, Counts]]) -> dict[Key, Counts]:
    total: dict[Key, Counts] = {}
    for part in parts:
        for key, counts in part.items():
            total[key] = total.get(key, Counts()) + counts
    return total


@dataclass(frozen=True, slots=True)
class Scores:
    """The scores of a set of reports, micro-averaged: counts are summed before P/R/F1."""

    documents: tuple[DocumentScores, ...]

    @property
    def totals(self) -> dict[str, Counts]:
        summed = _sum_counts(document.counts for document in self.documents)
        return {key: summed.get(key, Counts()) for key in SCORE_KEYS}

    @property
    def by_type(self) -> dict[str, Counts]:
        """Strict entity scores per entity type (Metric excluded), sorted by type."""
        summed = _sum_counts(document.by_type for document in self.documents)
        return dict(sorted(summed.items()))

    def counts(self, key: str) -> Counts:
        if key not in SCORE_KEYS:
            raise UnknownTypeError("score key", key, list(SCORE_KEYS))
        return self.totals[key]

    def precision(self, key: str) -> float:
        return self.counts(key).precision

    def recall(self, key: str) -> float:
        return self.counts(key).recall

    def f1(self, key: str) -> float:
        """F1 of one of :data:`SCORE_KEYS`, e.g. ``scores.f1("entity")``."""
        return self.counts(key).f1


def _document_name(document: Document, position: int) -> str:
    doc = document.get("doc")
    return Path(str(doc)).stem if doc else f"#{position + 1}"


def score_documents(gold: Sequence[Document], predicted: Sequence[Document]) -> Scores:
    """Score predicted documents against gold documents paired by position.

    >>> gold = [{"doc": "a.txt", "entities": [{"type": "Bureau", "name": "市教育局"}], "relations": []}]
    >>> score_documents(gold, gold).f1("entity")
    1.0
    """
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold documents but {len(predicted)} predicted ones")
    return Scores(
        tuple(
            score_document(gold_doc, predicted_doc, _document_name(gold_doc, position))
            for position, (gold_doc, predicted_doc) in enumerate(zip(gold, predicted, strict=True))
        )
    )


def score_named(gold: Mapping[str, Document], predicted: Mapping[str, Document]) -> Scores:
    """Score documents paired by name; a gold document without a prediction counts as empty."""
    return Scores(
        tuple(score_document(gold[name], predicted.get(name, EMPTY_DOCUMENT), name) for name in sorted(gold))
    )


def read_annotations(directory: str | Path) -> dict[str, dict[str, Any]]:
    """Read every ``*.json`` annotation file of a folder, keyed by file stem."""
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError(folder, "not a folder of annotation .json files")
    documents: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise InputError(path, f"not a UTF-8 JSON annotation file ({error})") from error
        if not isinstance(document, dict):
            raise InputError(path, "an annotation file holds one JSON object with 'entities' and 'relations'")
        documents[path.stem] = document
    return documents


def _read_gold(directory: str | Path) -> dict[str, dict[str, Any]]:
    gold = read_annotations(directory)
    if not gold:
        raise InputError(directory, "holds no gold .json files")
    return gold


def score_directories(gold_dir: str | Path, pred_dir: str | Path) -> Scores:
    """Score the prediction files of ``pred_dir`` against the same-named gold files of ``gold_dir``."""
    return score_named(_read_gold(gold_dir), read_annotations(pred_dir))


def predict_reports(paths: Sequence[str | Path], *, progress: bool = False) -> dict[str, dict[str, Any]]:
    """Run edukg's extraction on report files; the guide-format predictions keyed by file stem."""
    # Imported here so that scoring files alone never loads the segmenter and its dictionaries.
    from edukg.graph.extract import extract, to_guide_json

    return {
        Path(path).stem: to_guide_json(extract(read_report(path)))
        for path in tqdm(paths, desc="extract", unit="report", disable=not progress)
    }


def score_reports(gold_dir: str | Path, reports: Sequence[str | Path], *, progress: bool = False) -> Scores:
    """Extract the given reports (folders expanded) and score them against the gold files with the same stem.

    Only the given reports are scored; each needs a gold file.
    """
    gold = _read_gold(gold_dir)
    paths = find_reports(reports)
    if not paths:
        raise InputError(", ".join(map(str, reports)), "holds no report files")
    missing = [str(path) for path in paths if path.stem not in gold]
    if missing:
        raise InputError(", ".join(missing), f"no gold file with the same name in {gold_dir}")
    predicted = predict_reports(paths, progress=progress)
    return score_named({name: gold[name] for name in predicted}, predicted)


def score_corpora(
    corpora: Sequence[tuple[str, str | Path, str | Path]], *, progress: bool = False
) -> dict[str, Scores]:
    """Each corpus (name, gold folder, reports) extracted and scored on its own, so that a
    development set and a set of real reports are reported side by side."""
    return {name: score_reports(gold, [reports], progress=progress) for name, gold, reports in corpora}


def corpora_summary(scores: Mapping[str, Scores]) -> str:
    """One block per corpus: its totals and per-type F1, then ``corpus key_f1=…`` lines.

    >>> print(corpora_summary({}))
    <BLANKLINE>
    """
    blocks = []
    for name, corpus in scores.items():
        totals = " ".join(f"{key}={counts.f1:.3f}" for key, counts in corpus.totals.items())
        types = " ".join(f"{kind}={counts.f1:.2f}" for kind, counts in corpus.by_type.items())
        blocks.append(f"{name}: {len(corpus.documents)} reports\n  {totals}\n  {types}")
    footer = "\n".join(
        f"{name} " + " ".join(f"{key}_f1={counts.f1:.4f}" for key, counts in corpus.totals.items())
        for name, corpus in scores.items()
    )
    return "\n\n".join([*blocks, footer])


def to_table(scores: Scores, *, detail: bool = False) -> str:
    """A plain-text report: per-report F1, totals with counts, per-type lines, then ``key_f1=…``.

    With ``detail``, each report's missed and false entities and relations come first.
    """
    lines: list[str] = []
    if detail:
        for document in scores.documents:
            lines += [
                f"## {document.name}",
                f"  missed entities:  {list(document.missed_entities)}",
                f"  false entities:   {list(document.false_entities)}",
                f"  missed relations: {list(document.missed_relations)}",
                f"  false relations:  {list(document.false_relations)}",
            ]
    width = max([len("report"), *(len(document.name) for document in scores.documents)])
    lines.append(f"{'report':{width}s} " + " ".join(f"{key:>10s}" for key in SCORE_KEYS))
    for document in scores.documents:
        f1s = " ".join(f"{document.counts[key].f1:10.3f}" for key in SCORE_KEYS)
        lines.append(f"{document.name:{width}s} {f1s}")
    lines.append("")
    for key, counts in scores.totals.items():
        lines.append(
            f"{key:10s} P={counts.precision:.3f} R={counts.recall:.3f} F1={counts.f1:.3f}"
            f"  (tp={counts.tp} pred={counts.predicted} gold={counts.gold})"
        )
    lines.append("")
    for entity_type, counts in scores.by_type.items():
        lines.append(
            f"  {entity_type:12s} P={counts.precision:.3f} R={counts.recall:.3f} F1={counts.f1:.3f}"
            f"  (tp={counts.tp} pred={counts.predicted} gold={counts.gold})"
        )
    lines.append(" ".join(f"{key}_f1={counts.f1:.4f}" for key, counts in scores.totals.items()))
    return "\n".join(lines)


def _counts_json(counts: Counts) -> dict[str, float | int]:
    return {
        "precision": round(counts.precision, 4),
        "recall": round(counts.recall, 4),
        "f1": round(counts.f1, 4),
        "tp": counts.tp,
        "predicted": counts.predicted,
        "gold": counts.gold,
    }


def to_json(scores: Scores) -> dict[str, Any]:
    """The scores as JSON-ready data: one entry per score key (as score.py writes them), then
    ``by_type`` and per-report F1 under ``reports``."""
    data: dict[str, Any] = {key: _counts_json(counts) for key, counts in scores.totals.items()}
    data["by_type"] = {entity_type: _counts_json(counts) for entity_type, counts in scores.by_type.items()}
    data["reports"] = {
        document.name: {key: round(document.counts[key].f1, 4) for key in SCORE_KEYS}
        for document in scores.documents
    }
    return data


def write_scores_json(scores: Scores, path: str | Path) -> None:
    """Write :func:`to_json` of the scores to a file."""
    Path(path).write_text(json.dumps(to_json(scores), ensure_ascii=False, indent=1), encoding="utf-8")
