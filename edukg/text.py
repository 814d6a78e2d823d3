"""Text helpers the extractor and the resolver share: masks, quotes, normal forms.

Reports are often anonymised: ``**市``, ``××个``, ``X月X日``. A mask stands for
hidden characters and is kept as written; it is never a key to merge on.

>>> has_mask("**大学"), has_mask("X市教育局"), has_mask("XML")
(True, True, False)
>>> normalise("“双一流”建设")
'双一流建设'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

# X stands for a hidden digit or name only when it is not part of a Latin word.
MASK = re.compile(r"[*×＊✕╳]+|(?<![A-Za-z])[Xx]+(?![A-Za-z])")
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
