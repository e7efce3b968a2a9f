"""Chinese-aware tokens and BM25 (bm25s) over them.

llama-index's BM25Retriever splits on whitespace, so a Chinese query is one token and scores 0;
here Chinese runs are cut by jieba (search mode) or into character bigrams.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from functools import cache
from typing import Any

import numpy as np

from index.text import CJK, is_cjk
from index.vocab import index_data

HAN = re.compile(rf"[{CJK}]+|[A-Za-z]+(?:[-/][A-Za-z0-9]+)*|\d+(?:[.,]\d+)*")
_LEXICON = index_data("lexicon.toml")
STOP = frozenset(_LEXICON["stop_zh"] + _LEXICON["stop_en"])
EXTRA_WORDS: list[str] = _LEXICON["words"]  # UN terms jieba cuts wrongly or too finely


@cache
def _segmenter() -> Any:
    """A jieba tokenizer of our own, initialised once with the lexicon's words. Not jieba's global one: milvus-lite
    analyses text with the global one and adds its analyzer's dictionary words to it, and a word added twice gets
    a higher frequency (add_word suggests one from the current), which changed our tokens in a process that had
    used the milvus store (tests/test_index_version.py after tests/test_bench_scale.py)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for w in EXTRA_WORDS:
        tokenizer.add_word(w)
    return tokenizer


def tokenize(text: str, mode: str = "jieba") -> list[str]:
    """Lower-case word tokens: jieba words (or bigrams) for Chinese, words and numbers otherwise."""
    out: list[str] = []
    text = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", text)  # 1 681 -> 1681
    for m in HAN.finditer(text.replace(" ", "") if mode == "bigram" else text):
        tok = m.group(0)
        if not is_cjk(tok[0]):
            t = tok.lower()
            if t not in STOP:
                out.append(t)
            continue
        if mode == "bigram":
            out.extend(tok[i : i + 2] for i in range(max(1, len(tok) - 1)))
        else:
            out.extend(w for w in _segmenter().lcut_for_search(tok) if w not in STOP)
    return out


class BM25:
    """BM25 over pre-tokenised documents; `scores` returns one score per document."""

    def __init__(self, docs: Iterable[list[str]]) -> None:
        import bm25s

        self.docs = list(docs)
        self.model = bm25s.BM25(k1=1.2, b=0.75)
        self.model.index(self.docs, show_progress=False)

    def scores(self, tokens: list[str]) -> np.ndarray:
        if not self.docs:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in tokens if t in self.model.vocab_dict]
        if not known:
            return np.zeros(len(self.docs), dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)
