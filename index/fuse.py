"""Fusion of ranked candidate lists: pure functions over plain data."""

from __future__ import annotations

from collections.abc import Mapping


def rrf(rankings: list[list[int]], k: int = 60, weights: list[float] | None = None) -> dict[int, float]:
    """Reciprocal-rank fusion: sum of w / (k + rank) over the lists an item appears in (rank from 1)."""
    weights = weights or [1.0] * len(rankings)
    out: dict[int, float] = {}
    for ranking, w in zip(rankings, weights, strict=True):
        for rank, item in enumerate(ranking, start=1):
            out[item] = out.get(item, 0.0) + w / (k + rank)
    return out


def normalize(scores: Mapping[int, float]) -> dict[int, float]:
    """Scale to [0, 1] by the top score (0 stays 0; a list of equal scores maps to 1)."""
    if not scores:
        return {}
    top = max(scores.values())
    if top <= 0:
        return dict.fromkeys(scores, 0.0)
    return {i: max(s, 0.0) / top for i, s in scores.items()}


def minmax(scores: Mapping[int, float]) -> dict[int, float]:
    """Scale to [0, 1] between the lowest and highest score (equal scores all map to 1)."""
    if not scores:
        return {}
    lo, hi = min(scores.values()), max(scores.values())
    if hi - lo < 1e-9:
        return dict.fromkeys(scores, 1.0)
    return {i: (s - lo) / (hi - lo) for i, s in scores.items()}


def weighted(dense: Mapping[int, float], lexical: Mapping[int, float], dense_weight: float) -> dict[int, float]:
    """Convex combination of the two sides' normalised scores; an item missing from a side scores 0 there."""
    d, lx = minmax(dense), normalize(lexical)
    return {i: dense_weight * d.get(i, 0.0) + (1 - dense_weight) * lx.get(i, 0.0) for i in set(d) | set(lx)}


def top(scores: Mapping[int, float], n: int) -> list[tuple[int, float]]:
    """The n best items, ties broken by item id so that results are stable."""
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def blend(first: Mapping[int, float], second: Mapping[int, float], weight: float) -> dict[int, float]:
    """min-max(first) + weight * min-max(second), over the items of `first` (missing from `second`: 0 there)."""
    a, b = minmax(first), minmax(second)
    return {i: a[i] + weight * b.get(i, 0.0) for i in a}
