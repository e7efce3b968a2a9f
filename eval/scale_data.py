"""The synthetic corpus of `integrity bench --scale N`: N paragraphs recombined from the real corpus's sentences,
with vectors derived from the real e5 vectors of those sentences (embedding a million paragraphs would take
~13 h here).

How: every quotable span of the bundled corpus (index/chunk.py `unit_spans`) already has its e5 passage vector
in the built store. A synthetic paragraph is 1-3 spans drawn at random (seeded); its text is their
concatenation, its tokens the concatenation of theirs (our jieba tokens, computed once per span), and its
vector the normalised sum of the spans' vectors plus Gaussian noise (σ = NOISE per dimension), normalised
again. The sum is what e5 gives a paragraph made of those sentences to a good approximation: `calibration`
measures it on the real units (cosine between a unit's own vector and the normalised sum of its spans'
vectors), and the bench prints it. The noise keeps the many paragraphs that share sentences apart, as real
paragraphs that share phrasing are. Queries are the real question texts of eval/questions/check.jsonl,
embedded by the real e5 model (timing only: nothing is tuned on them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.chunk import unit_spans
from index.lexical import tokenize
from index.store import Store, span_id

NOISE = 0.02  # per dimension: a noise vector of norm ≈ 0.39 beside a sum of norm 1-3
MAX_SPANS = 3
QUESTIONS = Path(__file__).resolve().parent / "questions" / "check.jsonl"


@dataclass
class Sentences:
    """The real spans with their e5 vectors and tokens."""

    texts: list[str]
    vectors: np.ndarray  # float32, one row per text
    tokens: list[list[str]]


@dataclass
class Corpus:
    combos: np.ndarray  # (n, MAX_SPANS) span indexes, -1 where a paragraph has fewer spans
    vectors: np.ndarray  # (n, dim) float32, L2-normalised
    sentences: Sentences

    def __len__(self) -> int:
        return len(self.combos)

    def text(self, i: int) -> str:
        return "".join(self.sentences.texts[j] for j in self.combos[i] if j >= 0)

    def tokens(self, i: int) -> list[str]:
        return [t for j in self.combos[i] if j >= 0 for t in self.sentences.tokens[j]]


def sentences(store: Store) -> Sentences:
    rows = {sid: i for i, sid in enumerate(store.span_ids)}
    texts: dict[str, int] = {}
    for u in store.units:
        for text in unit_spans(u):
            if len(text) >= 8 and (row := rows.get(span_id(store.embedder, text))) is not None:
                texts.setdefault(text, row)
    order = list(texts)
    vectors = np.asarray(store.span_vectors[[texts[t] for t in order]], dtype=np.float32)
    return Sentences(order, vectors, [tokenize(t) for t in order])


def normalised(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    return out


def synthesise(s: Sentences, n: int, seed: int = 0, chunk: int = 100_000) -> Corpus:
    """n paragraphs, the same ones for the same (n, seed) in every process."""
    rng = np.random.default_rng(seed)
    m, dim = s.vectors.shape
    sizes = rng.integers(1, MAX_SPANS + 1, n)
    combos = rng.integers(0, m, (n, MAX_SPANS)).astype(np.int32)
    combos[np.arange(MAX_SPANS)[None, :] >= sizes[:, None]] = -1
    out = np.empty((n, dim), dtype=np.float32)
    padded = np.vstack([s.vectors, np.zeros((1, dim), dtype=np.float32)])  # index -1: the zero row
    for lo in range(0, n, chunk):
        c = combos[lo : lo + chunk]
        summed = padded[c].sum(axis=1) + rng.normal(0.0, NOISE, (len(c), dim)).astype(np.float32)
        out[lo : lo + chunk] = normalised(summed)
    return Corpus(combos, out, s)


def calibration(store: Store) -> float:
    """Mean cosine, over the real units, between a unit's first piece vector and the normalised sum of its
    spans' vectors: how well a sum of sentence vectors stands for a paragraph's e5 vector."""
    rows = {sid: i for i, sid in enumerate(store.span_ids)}
    first: dict[int, int] = {}
    for row, unit in enumerate(store.piece_unit):
        first.setdefault(unit, row)
    cos = []
    for u, row in first.items():
        ids = [rows[k] for t in unit_spans(store.units[u]) if (k := span_id(store.embedder, t)) in rows]
        if len(ids) >= 2:
            summed = normalised(store.span_vectors[ids].sum(axis=0, keepdims=True))[0]
            cos.append(float(summed @ store.vectors[row]))
    return float(np.mean(cos)) if cos else float("nan")


def questions(limit: int) -> list[tuple[str, str]]:
    """(text, language) of the first `limit` questions of the check set."""
    out = []
    for line in QUESTIONS.read_text("utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            for turn in row.get("turns", [row]):  # a conversation's turns are questions too
                out.append((str(turn["question"]), str(row.get("lang", "zh"))))
    return out[:limit]


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int, chunk: int = 200_000) -> np.ndarray:
    """The exact top-k rows by inner product for each query (the ground truth of recall@k)."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), 0), dtype=np.int64)
    for lo in range(0, len(vectors), chunk):
        s = queries @ vectors[lo : lo + chunk].T
        part = np.argpartition(-s, min(k, s.shape[1] - 1), axis=1)[:, :k]
        best_s = np.hstack([best_s, np.take_along_axis(s, part, axis=1)])
        best_i = np.hstack([best_i, part + lo])
        keep = np.argsort(-best_s, axis=1)[:, :k]
        best_s, best_i = np.take_along_axis(best_s, keep, axis=1), np.take_along_axis(best_i, keep, axis=1)
    return best_i
