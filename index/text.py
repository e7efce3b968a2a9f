"""Text helpers every floor shares: the CJK ranges, whitespace squashing, character bigrams, years, shortening."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

CJK = "\u3400-\u9fff\uf900-\ufaff"  # CJK ideographs, extension A and compatibility ideographs (a char class body)
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201d"
CJK_CHAR = re.compile(rf"[{CJK}]")
HAN_RUN = re.compile(rf"[{CJK}]+")
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    """The text without any whitespace: how quotes, evidence and answer keys are compared."""
    return SPACES.sub("", text)


def bigrams(text: str) -> set[str]:
    """Chinese character bigrams: matches words that jieba cuts differently in question and text."""
    return {run[i : i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1)}


def is_cjk(ch: str) -> bool:
    return bool(CJK_CHAR.match(ch))


def shorten(text: str, n: int = 90) -> str:
    """One line of at most n characters, cut with an ellipsis."""
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"


@cache
def _opencc() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional Chinese characters to simplified (a no-op on simplified text and on English)."""
    return _opencc().convert(text) if CJK_CHAR.search(text) else text
