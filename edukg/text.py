"""Text helpers the extractor and the resolver share: masks, quotes, normal forms.

Reports are often anonymised: ``**市``, ``××个``, ``X月X日``. A mask stands for
hidden characters and is kept as written; it is never a key to merge on.

>>> has_mask("**大学"), has_mask("X市教育局"), has_mask("XML"), has_mask("某大学"), has_mask("某些学校")
(True, True, False, True, False)
>>> normalise("“双一流”建设")
'双一流建设'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# The one definition of a mask; every stage asks this module.
# Symbols that stand for hidden characters or digits (**市, ××个, ╳╳大学).
MASK_SYMBOLS = "*＊×✕╳"
# Letters that do too, but only where they are not part of a Latin word (X市, xx中学; not XML).
MASK_LETTERS = "XxＸ"
# A character class of every mask character, to build other patterns with (f"{MASK_CLASS}+市").
MASK_IN_CLASS = re.escape(
    MASK_SYMBOLS + MASK_LETTERS
)  # to put beside other characters: f"[0-9{MASK_IN_CLASS}]"
MASK_CLASS = f"[{MASK_IN_CLASS}]"
# Every character that may stand in a mask, for checks one character at a time.
MASK_CHARACTERS = MASK_SYMBOLS + MASK_LETTERS + "某"
# 某 hides a name before the word it names (某市, 某中学), but 某些, 某种 are determiners.
MASK = re.compile(
    rf"[{re.escape(MASK_SYMBOLS)}]+|(?<![A-Za-z])[{MASK_LETTERS}]+(?![A-Za-z])|某(?=[\u4e00-\u9fff])(?![些种个项位方一])"
)
_MARKS = re.compile(r"[“”‘’\"'「」『』《》〈〉]")
_QUOTES = re.compile(r"[“”‘’\"'「」『』《》〈〉\s\u3000]")
_DASHES = re.compile(r"[—–－‐-]+")


def has_mask(text: str) -> bool:
    return MASK.search(text) is not None


def strip_quotes(text: str) -> str:
    """The name with quote and book-title marks removed, everything else as written (a space
    between the two halves of a slogan's name stays)."""
    return _MARKS.sub("", text)


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """A comparison key: NFKC, no quotes or spaces, one kind of dash, each mask run as ``*``."""
    text = unicodedata.normalize("NFKC", text)
    text = _QUOTES.sub("", text)
    text = _DASHES.sub("-", text)
    return MASK.sub("*", text)


@lru_cache(maxsize=1)
def jieba_dictionary() -> Any:
    """jieba's default tokenizer with its dictionary loaded, once a process.

    jieba keeps one cache in the temp folder under one name for everyone; a cache another
    user owns there makes it log a traceback, so edukg gives each user their own.
    """
    import logging
    import os

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.cache_file = f"jieba.edukg.{os.getuid() if hasattr(os, 'getuid') else 0}.cache"
    jieba.dt.initialize()
    return jieba.dt
