"""Retrieval and answer metrics: small pure functions over plain data."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from index.text import squash


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


MARKER = re.compile(r"\[\d+\]")


def lead(answer: str) -> str:
    """An answer's lead: its text up to the first citation marker (`[1]`), frame and first statement."""
    m = MARKER.search(answer)
    return answer[: m.start()] if m else answer


def percentile(values: Sequence[float], p: float) -> float:
    if not values:
        return 0.0
    s = sorted(values)
    i = (len(s) - 1) * p / 100
    lo, hi = math.floor(i), math.ceil(i)
    return s[lo] + (s[hi] - s[lo]) * (i - lo)


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def gold_rank(matches: list[set[int]], k: int = 10) -> int | None:
    """1-based rank of the first gold hit within the top k; None when there is none."""
    r = first_rank(matches)
    return r if r is not None and r <= k else None


def hit_curve(ranks: Sequence[int | None], ks: Sequence[int]) -> list[float]:
    """hit@k for each k over a set of questions (their first gold ranks; None: no gold retrieved)."""
    if not ranks:
        return [0.0 for _ in ks]
    return [sum(r is not None and r <= k for r in ranks) / len(ranks) for k in ks]


def is_correct(
    answerable: bool,
    refused: bool,
    coverage: float | None,
    cites_gold: bool,
    min_coverage: float = 0.5,
) -> bool:
    """LitQA2-style correctness of one answer.

    Answerable: not refused, answer-key coverage ≥ `min_coverage` (no keys: no condition) and at least
    one citation whose paragraph holds gold evidence. Unanswerable: refused.
    """
    if not answerable:
        return refused
    return not refused and (coverage is None or coverage >= min_coverage) and cites_gold


def answered_precision(correct: Sequence[bool], answered: Sequence[bool]) -> float:
    """Correct among the answered (not refused) questions; 0 when nothing was answered."""
    n = sum(answered)
    return sum(c and a for c, a in zip(correct, answered, strict=True)) / n if n else 0.0


def accuracy(correct: Sequence[bool]) -> float:
    """Correct among all questions, refusals included."""
    return sum(correct) / len(correct) if correct else 0.0


def parse_evidence(notes: Sequence[str]) -> float | None:
    """The evidence score an answer carries in its notes (`evidence=0.412`)."""
    for n in notes:
        if n.startswith("evidence="):
            try:
                return float(n.split("=", 1)[1])
            except ValueError:
                return None
    return None


def refusal_curve(
    answerable: Sequence[float],
    unanswerable: Sequence[float],
    thresholds: Sequence[float],
) -> list[tuple[float, float, float]]:
    """For each threshold t: (t, share of unanswerable refused, share of answerable refused), where a
    question is refused when its evidence score is under t (the assistant's rule)."""

    def share(xs: Sequence[float], t: float) -> float:
        return sum(x < t for x in xs) / len(xs) if xs else 0.0

    return [(t, share(unanswerable, t), share(answerable, t)) for t in thresholds]


def best_threshold(curve: Sequence[tuple[float, float, float]], max_over: float = 0.05) -> tuple[float, float, float]:
    """The point of a refusal curve that refuses the most unanswerable questions while refusing at most
    `max_over` of the answerable ones (ties: the lowest threshold); the first point when none qualifies."""
    ok = [c for c in curve if c[2] <= max_over]
    if not ok:
        return curve[0] if curve else (0.0, 0.0, 0.0)
    return max(ok, key=lambda c: (c[1], -c[0]))
