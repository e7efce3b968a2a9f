"""Chinese-aware tokens and BM25 (bm25s) over them.

llama-index's BM25Retriever splits on whitespace, so a Chinese query is one token and scores 0;
here Chinese runs are cut by jieba (search mode) or into character bigrams.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

import numpy as np

HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[A-Za-z]+(?:[-/][A-Za-z0-9]+)*|\d+(?:[.,]\d+)*")
STOP = frozenset(
    "的 了 和 与 及 在 是 为 对 以 其 之 或 等 中 上 下 由 从 于 将 并 而 也 被 有 该 这 那 个 项 名 "
    "什么 怎么 如何 哪些 哪个 多少 是否 吗 呢 请问 我们 我 你 他 她 它 们 就 都 要 会 能 可以 应该 一下 "
    "the a an of to in for on and or is are was were be by with what how which who when where why "
    "do does did i my me we you your it its this that there any can could should would about from".split()
)
_jieba = None


def _segmenter() -> Any:
    global _jieba
    if _jieba is None:
        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        for w in EXTRA_WORDS:
            jieba.add_word(w)
        _jieba = jieba
    return _jieba


# UN terms jieba cuts wrongly or too finely.
EXTRA_WORDS = [
    "道德操守办公室",
    "道德操守",
    "防止报复",
    "财务披露",
    "利益冲突",
    "监督厅",
    "问责制",
    "领导力对话",
    "高级管理人员契约",
    "权力下放",
    "授权",
    "性骚扰",
    "不当行为",
    "举报人",
    "首协会",
    "监督事务厅",
    "价值观和行为框架",
    "成果管理制",
    "企业风险管理",
    "联合检查组",
    "审计委员会",
    "行预咨委会",
]


def tokenize(text: str, mode: str = "jieba") -> list[str]:
    """Lower-case word tokens: jieba words (or bigrams) for Chinese, words and numbers otherwise."""
    out: list[str] = []
    text = re.sub(r"(?<=\d) (?=\d{3}(?!\d))", "", text)  # 1 681 -> 1681
    for m in HAN.finditer(text.replace(" ", "") if mode == "bigram" else text):
        tok = m.group(0)
        if not ("\u3400" <= tok[0] <= "\ufaff"):
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
