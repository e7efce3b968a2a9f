"""Retrieval and answer metrics: small pure functions over plain data."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def gold_hits(texts: Sequence[str], evidence: Sequence[str]) -> list[set[int]]:
    """For each retrieved text, the gold entries (by index) whose evidence it contains."""
    ev = [squash(e) for e in evidence]
    return [{j for j, e in enumerate(ev) if e and e in squash(t)} for t in texts]


def first_rank(matches: list[set[int]]) -> int | None:
    """1-based rank of the first retrieved text that hits any gold entry."""
    return next((i + 1 for i, m in enumerate(matches) if m), None)


def hit_at(matches: list[set[int]], k: int) -> float:
    r = first_rank(matches)
    return float(r is not None and r <= k)


def mrr_at(matches: list[set[int]], k: int = 10) -> float:
    r = first_rank(matches)
    return 1.0 / r if r is not None and r <= k else 0.0


def recall_at(matches: list[set[int]], n_gold: int, k: int = 10) -> float:
    """Share of gold entries found in the top k."""
    if n_gold == 0:
        return 0.0
    found: set[int] = set().union(*matches[:k]) if matches[:k] else set()
    return len(found) / n_gold


def ndcg_at(matches: list[set[int]], n_gold: int, k: int = 10) -> float:
    """Binary-relevance nDCG: a retrieved text is relevant when it adds a gold entry not yet found."""
    if n_gold == 0:
        return 0.0
    seen: set[int] = set()
    dcg = 0.0
    for i, m in enumerate(matches[:k]):
        new = m - seen
        if new:
            dcg += 1.0 / math.log2(i + 2)
            seen |= new
    ideal = sum(1.0 / math.log2(i + 2) for i in range(min(n_gold, k)))
    return dcg / ideal


def key_coverage(answer: str, keys: Sequence[str]) -> float | None:
    """Share of answer keys found in the answer text (whitespace aside); None when there are none."""
    if not keys:
        return None
    a = squash(answer)
    return sum(squash(k) in a for k in keys) / len(keys)


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    i = (len(s) - 1) * p / 100
    lo, hi = math.floor(i), math.ceil(i)
    return s[lo] + (s[hi] - s[lo]) * (i - lo)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0
