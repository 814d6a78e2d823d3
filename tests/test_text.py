"""Masks have one definition (edukg.text), which every stage asks."""

from __future__ import annotations

import pytest

from edukg.text import MASK_CHARACTERS, MASK_CLASS, has_mask, normalise


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("**市教育局", True),
        ("××个", True),
        ("╳╳大学", True),
        ("X市", True),
        ("xx中学", True),
        ("某大学", True),
        ("某县教育局", True),
        ("某些学校", False),  # a determiner, not a hidden name
        ("XML和RDF", False),  # a Latin word
        ("芜湖市教育局", False),
    ],
)
def test_has_mask(text: str, masked: bool) -> None:
    assert has_mask(text) is masked


def test_masks_fold_to_one_key() -> None:
    assert normalise("**市") == normalise("×××市") == normalise("XX市") == "*市"


def test_mask_class_and_characters_agree() -> None:
    import re

    assert all(re.fullmatch(MASK_CLASS, char) for char in MASK_CHARACTERS if char != "某")
