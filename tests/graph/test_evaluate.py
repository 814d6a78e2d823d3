"""Tests of edukg.graph.evaluate and ``edukg eval``: the guide's scoring, and agreement with score.py."""

from __future__ import annotations

import copy
import doctest
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from edukg.cli import main
from edukg.errors import InputError, UnknownTypeError
from edukg.graph import evaluate
from edukg.graph.evaluate import (
    SCORE_KEYS,
    Counts,
    Scores,
    count_metric_matches,
    entity_names,
    match_entities,
    names_match_loosely,
    normalize_name,
    read_annotations,
    relation_triples,
    score_directories,
    score_document,
    score_documents,
    to_json,
    to_table,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SHARED_SCORER = PROJECT_ROOT.parent / "shared" / "eval" / "score.py"


def bureau(name: str, *aliases: str) -> dict[str, Any]:
    return {"type": "Bureau", "name": name, "aliases": list(aliases)}


def entity(entity_type: str, name: str, *aliases: str) -> dict[str, Any]:
    return {"type": entity_type, "name": name, "aliases": list(aliases)}


def metric(indicator: str, value: str) -> dict[str, Any]:
    return {"type": "Metric", "name": indicator, "value": value}


def relation(relation_type: str, source: str, target: str) -> dict[str, str]:
    return {"type": relation_type, "source": source, "target": target}


# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("**市教育局", "*市教育局"),
        ("×××市教育局", "*市教育局"),
        ("XX市教育局", "*市教育局"),
        ("x市", "*市"),
        ("＊＊市", "*市"),  # full-width asterisks, NFKC
        ("Ｘ市", "*市"),  # full-width X, NFKC
        ("✕✕大学", "*大学"),
        ("**.*%", "*.*%"),
        ("STEAM教育", "STEAM教育"),  # an X inside a Latin word is a letter, not a mask
        ("XML课程", "XML课程"),
        ("“三进三联”活动", "三进三联活动"),
        ("《**市督学管理办法》", "*市督学管理办法"),
        ("「双减」『试点』〈方案〉", "双减试点方案"),
        ("'双一流'\"建设\"", "双一流建设"),
        ("１２个", "12个"),  # full-width digits, NFKC
        ("ＡＩ教育", "AI教育"),
        ("大思政课——新时代共同成长工程", "大思政课-新时代共同成长工程"),
        ("1－2件", "1-2件"),
        ("1–2件", "1-2件"),
        ("1‐2件", "1-2件"),
        ("市 教育局", "市教育局"),
        ("市\u3000教育局\n", "市教育局"),
        (None, ""),
        ("", ""),
    ],
)
def test_normalize_name(written: str | None, normalised: str) -> None:
    assert normalize_name(written) == normalised


@pytest.mark.parametrize(
    ("first", "second"),
    [("**市教育局", "×××市教育局"), ("XX大学", "**大学"), ("《家庭教育促进法》", "家庭教育促进法")],
)
def test_normalize_name_masks_and_marks_compare_equal(first: str, second: str) -> None:
    assert normalize_name(first) == normalize_name(second)


@pytest.mark.parametrize(
    ("written", "names"),
    [
        (entity("Bureau", "市教育局", "局党组", "**市教育局"), {"市教育局", "局党组", "*市教育局"}),
        ({"type": "Bureau", "name": "市委"}, {"市委"}),
        ({"type": "Bureau", "name": "市委", "aliases": None}, {"市委"}),
        (entity("Policy", "《方案》", "", "“ ”"), {"方案"}),
    ],
)
def test_entity_names(written: dict[str, Any], names: set[str]) -> None:
    assert entity_names(written) == names


# --- entity matching -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "matches"),
    [
        ("市教育局", "市教育局", True),
        ("双特色建设", "应用型双特色建设", True),  # 5/8 >= 0.5
        ("应用型双特色建设", "双特色建设", True),  # symmetric
        ("双一流建设", "双一流建设攻坚", True),
        ("建设", "应用型本科高校双特色建设", False),  # contained but too short against the longer
        ("市委", "市委第四巡回指导组", False),  # 2/9 < 0.5
        ("市", "市委", False),  # one character never matches loosely
        ("十大行动", "十个重点实事", False),
        ("教育局", "市教育厅", False),  # same length, different
    ],
)
def test_names_match_loosely(first: str, second: str, matches: bool) -> None:
    assert names_match_loosely(first, second) is matches


GOLD_ENTITIES = [
    bureau("市教育局", "局党组", "我局"),
    entity("Programme", "双特色建设", "应用型本科高校双特色建设"),
    entity("Campaign", "三进三联活动"),
    entity("Policy", "第一议题制度"),
]


@pytest.mark.parametrize(
    ("predicted", "typed", "loose", "expected"),
    [
        pytest.param([bureau("局党组")], True, False, {0: 0}, id="alias-to-name"),
        pytest.param([bureau("**教育局", "我局")], True, False, {0: 0}, id="alias-to-alias"),
        pytest.param([entity("Programme", "“三进三联”活动")], True, False, {}, id="type-mismatch-typed"),
        pytest.param(
            [entity("Programme", "“三进三联”活动")], False, False, {0: 2}, id="type-mismatch-untyped"
        ),
        pytest.param([entity("Programme", "双特色")], True, False, {}, id="contained-strict"),
        pytest.param([entity("Programme", "双特色建设工作")], True, True, {0: 1}, id="contains-loose"),
        pytest.param([entity("Programme", "建设")], True, True, {}, id="too-short-loose"),
        pytest.param([entity("Campaign", "第一议题制度")], True, True, {}, id="loose-still-typed"),
        pytest.param(
            [entity("Policy", "第一议题制度"), entity("Policy", "《第一议题制度》")],
            True,
            False,
            {0: 3},
            id="one-to-one-first-prediction-wins",
        ),
        pytest.param(
            [entity("Programme", "双特色建设工作"), entity("Programme", "双特色建设")],
            True,
            True,
            {1: 1},
            id="exact-pass-before-loose-pass",
        ),
        pytest.param(
            [entity("Programme", "双特色建设工作"), entity("Programme", "双特色建设工")],
            True,
            True,
            {0: 1},
            id="loose-pass-greedy-in-order",
        ),
    ],
)
def test_match_entities(
    predicted: list[dict[str, Any]], typed: bool, loose: bool, expected: dict[int, int]
) -> None:
    assert match_entities(GOLD_ENTITIES, predicted, typed=typed, loose=loose) == expected


def test_match_entities_takes_the_first_free_gold_entity() -> None:
    gold = [entity("Campaign", "专项整治"), entity("Campaign", "违规吃喝专项整治", "专项整治")]
    predicted = [entity("Campaign", "专项整治"), entity("Campaign", "专项整治")]
    assert match_entities(gold, predicted) == {0: 0, 1: 1}


# --- metrics ---------------------------------------------------------------------------------


GOLD_METRICS = [
    metric("新增普惠学位", "****个"),
    metric("市域产教联合体", "×个"),
    metric("就读公办学校比例", "**.*%"),
    bureau("市教育局"),
]


@pytest.mark.parametrize(
    ("predicted", "expected"),
    [
        pytest.param([metric("新增普惠学位", "XX个")], Counts(1, 1, 3), id="masked-values-fold"),
        pytest.param([metric("普惠学位", "****个")], Counts(1, 1, 3), id="indicator-inside-gold"),
        pytest.param([metric("建设市域产教联合体", "*个")], Counts(1, 1, 3), id="gold-inside-indicator"),
        pytest.param([metric("新增普惠学位", "****所")], Counts(0, 1, 3), id="unit-differs"),
        pytest.param([metric("新增学位", "****个")], Counts(0, 1, 3), id="indicator-differs"),
        pytest.param([metric("", "×个")], Counts(0, 1, 3), id="empty-indicator"),
        pytest.param(
            [metric("普惠学位", "****个"), metric("新增普惠学位", "****个")],
            Counts(1, 2, 3),
            id="one-to-one",
        ),
        pytest.param([bureau("市教育局")], Counts(0, 0, 3), id="non-metrics-ignored"),
        pytest.param([], Counts(0, 0, 3), id="no-predictions"),
    ],
)
def test_count_metric_matches(predicted: list[dict[str, Any]], expected: Counts) -> None:
    assert count_metric_matches(GOLD_METRICS, predicted) == expected


# --- relations -------------------------------------------------------------------------------


GOLD_DOC = {
    "doc": "x.txt",
    "bureau": "市教育局",
    "entities": [
        bureau("市教育局", "局党组"),
        bureau("市委"),
        bureau("市委第四巡回指导组"),
        entity("Programme", "双特色建设", "应用型本科高校双特色建设"),
        entity("Programme", "十大行动"),
        metric("市域产教联合体", "×个"),
    ],
    "relations": [
        relation("RESPONSIBLE_FOR", "局党组", "十大行动"),  # gold may use an alias
        relation("PART_OF", "双特色建设", "十大行动"),
        relation("PART_OF", "市委第四巡回指导组", "市委"),
        relation("MEASURED_BY", "十大行动", "市域产教联合体"),
    ],
}


def predicted_doc(relations: list[dict[str, str]], *, bureau_name: str = "市教育局") -> dict[str, Any]:
    return {
        "bureau": bureau_name,
        "entities": [
            bureau(bureau_name),
            bureau("市委"),
            entity("Institution", "市委第四巡回指导组"),  # wrong type: ends align regardless of type
            entity("Programme", "应用型双特色建设"),  # loose match to 双特色建设
            entity("Programme", "“十大行动”"),
            metric("建设市域产教联合体", "*个"),
        ],
        "relations": relations,
    }


@pytest.mark.parametrize(
    ("relations", "bureau_name", "tp"),
    [
        pytest.param(
            [relation("RESPONSIBLE_FOR", "市教育局", "十大行动")], "市教育局", 1, id="alias-in-gold"
        ),
        pytest.param([relation("RESPONSIBLE_FOR", "**市教育局", "十大行动")], "**市教育局", 1, id="bureau"),
        pytest.param([relation("RESPONSIBLE_FOR", "区教育局", "十大行动")], "市教育局", 0, id="unknown-end"),
        pytest.param([relation("PART_OF", "应用型双特色建设", "“十大行动”")], "市教育局", 1, id="loose-ends"),
        pytest.param([relation("PART_OF", "市委第四巡回指导组", "市委")], "市教育局", 1, id="type-ignored"),
        pytest.param([relation("PART_OF", "市委", "市委第四巡回指导组")], "市教育局", 0, id="reversed"),
        pytest.param(
            [relation("RESPONSIBLE_FOR", "十大行动", "市域产教联合体")], "市教育局", 0, id="wrong-type"
        ),
        pytest.param(
            [relation("MEASURED_BY", "十大行动", "建设市域产教联合体")], "市教育局", 1, id="metric-indicator"
        ),
        pytest.param(
            [
                relation("PART_OF", "双特色建设", "十大行动"),
                relation("PART_OF", "应用型双特色建设", "十大行动"),
            ],
            "市教育局",
            1,
            id="duplicates-collapse",
        ),
    ],
)
def test_relation_alignment(relations: list[dict[str, str]], bureau_name: str, tp: int) -> None:
    gold, predicted = relation_triples(GOLD_DOC, predicted_doc(relations, bureau_name=bureau_name))
    assert len(gold & predicted) == tp
    assert score_document(GOLD_DOC, predicted_doc(relations, bureau_name=bureau_name)).counts[
        "relation"
    ] == Counts(tp, len(predicted), 4)


def test_relation_end_shared_by_two_predictions_follows_the_first_match() -> None:
    gold_doc = {
        "entities": [entity("Programme", "十大行动"), entity("Programme", "十大行动计划")],
        "relations": [relation("RESPONSIBLE_FOR", "市教育局", "十大行动")],
    }
    predicted = {
        "entities": [entity("Programme", "十大行动"), entity("Programme", "十大行动计划", "十大行动")],
        "relations": [relation("RESPONSIBLE_FOR", "市教育局", "十大行动")],
    }
    gold, found = relation_triples(gold_doc, predicted)
    assert found == gold == {("RESPONSIBLE_FOR", "市教育局", "十大行动")}


def test_gold_relation_ends_resolve_to_entity_names() -> None:
    gold, _ = relation_triples(GOLD_DOC, {})
    assert ("RESPONSIBLE_FOR", "市教育局", "十大行动") in gold


# --- precision, recall, F1 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("counts", "precision", "recall", "f1"),
    [
        (Counts(0, 0, 0), 0.0, 0.0, 0.0),
        (Counts(0, 0, 5), 0.0, 0.0, 0.0),  # no predictions
        (Counts(0, 4, 0), 0.0, 0.0, 0.0),  # nothing to find
        (Counts(0, 4, 5), 0.0, 0.0, 0.0),
        (Counts(3, 4, 6), 0.75, 0.5, 0.6),
        (Counts(5, 5, 5), 1.0, 1.0, 1.0),
    ],
)
def test_counts_precision_recall_f1(counts: Counts, precision: float, recall: float, f1: float) -> None:
    assert (counts.precision, counts.recall, counts.f1) == pytest.approx((precision, recall, f1))


def test_scores_are_micro_averaged() -> None:
    gold = [
        {"entities": [entity("Programme", "甲工程")], "relations": []},
        {"entities": [entity("Programme", f"乙{n}工程") for n in range(3)], "relations": []},
    ]
    predicted = [{"entities": [entity("Programme", "甲工程")]}, {"entities": []}]
    scores = score_documents(gold, predicted)
    assert scores.counts("entity") == Counts(1, 1, 4)
    assert scores.f1("entity") == pytest.approx(2 * 1.0 * 0.25 / 1.25)  # not the mean of 1.0 and 0.0
    assert [document.name for document in scores.documents] == ["#1", "#2"]


def test_scores_by_type_counts_predictions_under_their_own_type() -> None:
    gold = [{"entities": [entity("Campaign", "三进三联活动"), entity("Policy", "第一议题制度")]}]
    predicted = [{"entities": [entity("Programme", "三进三联活动"), entity("Policy", "第一议题制度")]}]
    by_type = score_documents(gold, predicted).by_type
    assert by_type == {
        "Campaign": Counts(0, 0, 1),
        "Policy": Counts(1, 1, 1),
        "Programme": Counts(0, 1, 0),
    }


def test_scores_reject_an_unknown_key() -> None:
    with pytest.raises(UnknownTypeError, match="entity_rel"):
        Scores(()).f1("entities")


def test_score_documents_needs_pairs() -> None:
    with pytest.raises(ValueError, match="2 gold documents but 1"):
        score_documents([GOLD_DOC, GOLD_DOC], [GOLD_DOC])


def test_score_document_lists_misses_and_false_hits() -> None:
    predicted = {"entities": [bureau("市教育局"), entity("Campaign", "十大行动")], "relations": []}
    document = score_document(GOLD_DOC, predicted)
    assert "Programme:十大行动" in document.missed_entities
    assert document.false_entities == ("Campaign:十大行动",)
    assert len(document.missed_relations) == 4


# --- files and output ------------------------------------------------------------------------


def test_score_directories_of_gold_against_itself(gold_dir: Path) -> None:
    scores = score_directories(gold_dir, gold_dir)
    assert all(scores.f1(key) == 1.0 for key in SCORE_KEYS)
    assert len(scores.documents) == len(list(gold_dir.glob("*.json")))


def test_score_directories_counts_a_missing_prediction_as_empty(gold_dir: Path, tmp_path: Path) -> None:
    first, *rest = sorted(gold_dir.glob("*.json"))
    for path in rest:
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    scores = score_directories(gold_dir, tmp_path)
    missing = next(document for document in scores.documents if document.name == first.stem)
    assert missing.counts["entity"].predicted == 0
    assert scores.precision("entity") == 1.0
    assert scores.recall("entity") < 1.0


@pytest.mark.parametrize(
    ("content", "message"),
    [("{not json", "not a UTF-8 JSON"), ("[1, 2]", "one JSON object"), (b"\xff\xfe{", "not a UTF-8 JSON")],
)
def test_read_annotations_rejects_bad_files(tmp_path: Path, content: str | bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        read_annotations(tmp_path)


def test_read_annotations_rejects_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a folder"):
        read_annotations(tmp_path / "absent")


def test_score_directories_rejects_an_empty_gold_folder(tmp_path: Path, gold_dir: Path) -> None:
    with pytest.raises(InputError, match="no gold"):
        score_directories(tmp_path, gold_dir)


def test_to_table_and_to_json(gold_dir: Path) -> None:
    scores = score_directories(gold_dir, gold_dir)
    table = to_table(scores, detail=True)
    assert table.splitlines()[-1] == " ".join(f"{key}_f1=1.0000" for key in SCORE_KEYS)
    assert "## 000_f0396854c86e362e" in table
    assert re.search(r"^  Bureau\s+P=1\.000 R=1\.000 F1=1\.000", table, re.M)
    data = to_json(scores)
    assert data["relation"]["gold"] == scores.counts("relation").gold
    assert set(data["reports"]) == {document.name for document in scores.documents}
    assert data["by_type"]["Campaign"]["f1"] == 1.0


def test_module_doctests() -> None:
    assert doctest.testmod(evaluate).failed == 0


# --- the command -----------------------------------------------------------------------------


def test_cli_scores_a_prediction_folder(gold_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    result = CliRunner().invoke(main, ["eval", str(gold_dir), "--pred", str(gold_dir), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1].startswith("entity_f1=1.0000 ")
    assert json.loads(out.read_text(encoding="utf-8"))["metric"]["f1"] == 1.0


@pytest.mark.parametrize(
    ("extra_args", "exit_code", "message"),
    [
        pytest.param([], 2, "give REPORT files", id="neither"),
        pytest.param(["ARCHITECTURE.md", "--pred", "tests/data/gold"], 2, "not both", id="both"),
        pytest.param(["ARCHITECTURE.md"], 1, "no gold file with the same name", id="report-without-gold"),
        pytest.param(["tests/data/gold"], 1, "holds no report files", id="folder-without-reports"),
    ],
)
def test_cli_rejects_unclear_input(
    gold_dir: Path, monkeypatch: pytest.MonkeyPatch, extra_args: list[str], exit_code: int, message: str
) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    result = CliRunner().invoke(main, ["eval", str(gold_dir), *extra_args])
    assert result.exit_code == exit_code
    assert message in result.output


# --- agreement with the reference scorer ----------------------------------------------------

ENTITY_TYPES = ["Bureau", "Institution", "Programme", "Policy", "Campaign", "Document", "Person"]
RELATION_TYPES = ["RESPONSIBLE_FOR", "PART_OF", "MEASURED_BY"]


def _rewrite_name(name: str, rng: random.Random) -> str:
    """Another way of writing a name: some still match strictly, some loosely, some not at all."""
    rewrites = [
        lambda text: re.sub(r"[*×X]+", rng.choice(["**", "XX", "×××", "＊"]), text),
        lambda text: f"《{text}》",
        lambda text: f"“{text}”",
        lambda text: text[: len(text) // 2] + " " + text[len(text) // 2 :],
        lambda text: text[:-1],
        lambda text: text[: max(1, len(text) // 3)],
        lambda text: "市" + text,
        lambda text: text + "工作",
        lambda text: text.replace("——", "－"),
    ]
    return rng.choice(rewrites)(name)


def _perturbed(gold_doc: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """A deterministic, imperfect prediction made from a gold document."""
    renamed: dict[str, str] = {}
    entities = []
    for original in gold_doc["entities"]:
        item = copy.deepcopy(original)
        roll = rng.random()
        if roll < 0.12:
            continue
        if item["type"] == "Metric":
            if roll < 0.25:
                item["value"] = item["value"] + rng.choice(["0", "", "余"])
            elif roll < 0.45:
                item["name"] = _rewrite_name(item["name"], rng)
            elif roll < 0.55:
                item["value"] = _rewrite_name(item["value"], rng)
        elif roll < 0.22:
            item["type"] = rng.choice(ENTITY_TYPES)
        elif roll < 0.50:
            item["name"] = _rewrite_name(item["name"], rng)
        elif roll < 0.60 and item.get("aliases"):
            item["name"], item["aliases"] = item["aliases"][0], [item["name"]]
        elif roll < 0.70:
            item.pop("aliases", None)
        renamed[original["name"]] = item["name"]
        entities.append(item)
    rng.shuffle(entities)
    entities += [entity(rng.choice(ENTITY_TYPES), f"虚构{n}号工程") for n in range(rng.randrange(4))]
    if entities:
        entities.append(copy.deepcopy(rng.choice(entities)))

    relations = []
    for original in gold_doc["relations"]:
        item = dict(original)
        roll = rng.random()
        if roll < 0.15:
            continue
        if roll < 0.20:
            item["type"] = rng.choice(RELATION_TYPES)
        elif roll < 0.25:
            item["source"], item["target"] = item["target"], item["source"]
        if rng.random() < 0.6:
            item["source"] = renamed.get(item["source"], item["source"])
            item["target"] = renamed.get(item["target"], item["target"])
        relations.append(item)
    relations.append(relation("PART_OF", "虚构0号工程", gold_doc["bureau"]))

    bureau_name = rng.choice(
        [gold_doc["bureau"], renamed.get(gold_doc["bureau"], gold_doc["bureau"]), "", "**市教育局"]
    )
    return {"doc": gold_doc.get("doc"), "bureau": bureau_name, "entities": entities, "relations": relations}


def _reference_scores(gold_dir: Path, pred_dir: Path, json_path: Path) -> tuple[dict[str, Any], str]:
    completed = subprocess.run(
        [sys.executable, str(SHARED_SCORER), str(gold_dir), str(pred_dir), "--json", str(json_path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(json_path.read_text(encoding="utf-8")), completed.stdout


def _assert_agreement(gold_dir: Path, pred_dir: Path, tmp_path: Path) -> None:
    reference, printed = _reference_scores(gold_dir, pred_dir, tmp_path / "reference.json")
    ours = score_directories(gold_dir, pred_dir)
    for key in SCORE_KEYS:
        counts = ours.counts(key)
        for measure in ("precision", "recall", "f1"):
            expected = reference[key][measure]
            assert getattr(counts, measure) == pytest.approx(expected, abs=5e-4), (key, measure)
        line = re.search(rf"^{key}\s+P=.*\(tp=(\d+) pred=(\d+) gold=(\d+)\)$", printed, re.M)
        assert line, printed
        assert (counts.tp, counts.predicted, counts.gold) == tuple(map(int, line.groups())), key
    reference_types = {
        name: (float(f1), int(gold), int(predicted))
        for name, f1, gold, predicted in re.findall(
            r"^  (\S+)\s+P=\S+ R=\S+ F1=(\S+)\s+\(gold=(\d+) pred=(\d+)\)$", printed, re.M
        )
    }
    assert {
        name: (round(counts.f1, 3), counts.gold, counts.predicted) for name, counts in ours.by_type.items()
    } == reference_types
    reference_rows = {
        Path(name).stem: [float(value) for value in values.split()]
        for name, values in re.findall(r"^(\S+\.json) +([\d. ]+)$", printed, re.M)
    }
    assert {
        document.name: [round(document.counts[key].f1, 3) for key in SCORE_KEYS]
        for document in ours.documents
    } == reference_rows


requires_reference_scorer = pytest.mark.skipif(
    not SHARED_SCORER.is_file(), reason=f"reference scorer {SHARED_SCORER} is absent (../shared not mounted)"
)


@requires_reference_scorer
@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5, 6])
def test_agrees_with_reference_scorer(gold_dir: Path, tmp_path: Path, seed: int | None) -> None:
    pred_dir = tmp_path / "pred"
    pred_dir.mkdir()
    gold_paths = sorted(gold_dir.glob("*.json"))
    rng = random.Random(seed)
    for path in gold_paths:
        gold_doc = json.loads(path.read_text(encoding="utf-8"))
        predicted = gold_doc if seed is None else _perturbed(gold_doc, rng)
        (pred_dir / path.name).write_text(json.dumps(predicted, ensure_ascii=False), encoding="utf-8")
    if seed == 6:
        (pred_dir / gold_paths[0].name).unlink()  # a report without a prediction counts as empty
    _assert_agreement(gold_dir, pred_dir, tmp_path)


@requires_reference_scorer
@pytest.mark.slow
def test_agrees_with_reference_scorer_on_edukg_extraction(
    gold_dir: Path, sample_reports: list[Path], tmp_path: Path
) -> None:
    pred_dir = tmp_path / "pred"
    pred_dir.mkdir()
    for stem, predicted in evaluate.predict_reports(sample_reports).items():
        (pred_dir / f"{stem}.json").write_text(json.dumps(predicted, ensure_ascii=False), encoding="utf-8")
    _assert_agreement(gold_dir, pred_dir, tmp_path)


@pytest.mark.slow
def test_cli_extracts_and_scores_reports(gold_dir: Path, sample_reports: list[Path], tmp_path: Path) -> None:
    report = sample_reports[0]
    out = tmp_path / "scores.json"
    result = CliRunner().invoke(main, ["eval", str(gold_dir), str(report), "--json", str(out)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert re.fullmatch(" ".join(rf"{key}_f1=\d\.\d{{4}}" for key in SCORE_KEYS), last)
    assert list(json.loads(out.read_text(encoding="utf-8"))["reports"]) == [report.stem]


# Scores edukg must keep on each corpus it is developed against: the five masked sample
# reports and the 27 real report openings of named cities (tests/data/real). The real set's
# goals (issue 17) are entity 0.85, metric 0.90, relation 0.72 and 0.75 for each of Person,
# Campaign, Programme, Institution and Policy; where a floor is below its goal it is the
# level reached so far, so that no change goes back on it.
# The targets of the real-reports issue: the five sample reports stay where they were, the
# 27 real ones reach 0.85 / 0.90 / 0.72 with each named type at 0.75 or more.
CORPUS_FLOORS = [
    ("sample", "tests/data/gold", "data/reports", {"entity": 0.88, "metric": 0.90, "relation": 0.80}, 0.75),
    (
        "real",
        "tests/data/real/gold",
        "tests/data/real/reports",
        {"entity": 0.85, "metric": 0.90, "relation": 0.72},
        0.75,
    ),
]
TYPES_WITH_FLOORS = ("Person", "Campaign", "Programme", "Institution", "Policy")


def test_cli_scores_each_corpus_and_holds_its_floors(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    args = [part for name, gold, reports, _, _ in CORPUS_FLOORS for part in ("--corpus", name, gold, reports)]
    result = CliRunner().invoke(main, ["eval", *args])
    assert result.exit_code == 0, result.output
    blocks = {block.split(":", 1)[0]: block for block in result.stdout.split("\n\n")}  # bars go to stderr
    totals = {line.split(" ", 1)[0]: line for line in result.stdout.splitlines() if "_f1=" in line}
    for name, _, _, floors, type_floor in CORPUS_FLOORS:
        reported = dict(pair.split("=") for pair in totals[name].split()[1:])
        for key, floor in floors.items():
            assert float(reported[f"{key}_f1"]) >= floor, f"{name} {key} {reported[f'{key}_f1']} < {floor}"
        per_type = dict(pair.split("=") for pair in blocks[name].splitlines()[2].split())
        for kind in TYPES_WITH_FLOORS:
            if kind in per_type:
                assert float(per_type[kind]) >= type_floor, f"{name} {kind} {per_type[kind]} < {type_floor}"


def test_cli_corpus_and_gold_dir_exclude_each_other(gold_dir: Path) -> None:
    result = CliRunner().invoke(main, ["eval", str(gold_dir), "--corpus", "x", str(gold_dir), str(gold_dir)])
    assert result.exit_code == 2
    assert "not both" in result.output
