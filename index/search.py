"""Search backends behind one method, `search(request) -> Candidates`: the dense and the lexical candidates of
one query, by unit position in the store. The retriever fuses and re-ranks them (index/retrieve.py).

`FaissBM25` is the default: a flat FAISS inner-product index over the unit pieces' vectors (a unit scores its
best piece) and BM25 (bm25s) over the units' jieba tokens, both held in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from index.lexical import BM25
from index.store import Store


@dataclass(frozen=True, eq=False)
class SearchRequest:
    vector: np.ndarray | None  # the query's vector; None: no dense side
    tokens: tuple[str, ...]  # the query's lexical tokens; empty: no lexical side
    depth: int  # candidates wanted from each side
    allowed: np.ndarray | None = None  # which units may be returned (None: all)


@dataclass
class Candidates:
    dense: dict[int, float] = field(default_factory=dict)  # unit position -> best piece cosine
    lexical: dict[int, float] = field(default_factory=dict)  # unit position -> BM25 score (> 0)


class Backend(Protocol):
    def search(self, request: SearchRequest) -> Candidates:
        """The best units of each side for the request, restricted to the allowed ones."""
        ...


class FaissBM25:
    """FAISS flat inner product over pieces, and BM25 over unit tokens, for one in-memory `Store`."""

    def __init__(self, store: Store) -> None:
        import faiss

        # A flat index this small searches fastest on one thread; FAISS's spinning OpenMP threads
        # would otherwise slow the next query embedding (measured: 65 ms -> up to 3 s under load).
        faiss.omp_set_num_threads(1)
        self.index: Any = store.faiss_index()
        self.bm25 = BM25(store.unit_tokens)
        self.piece_unit = np.asarray(store.piece_unit, dtype=np.int64)

    def search(self, request: SearchRequest) -> Candidates:
        return Candidates(
            self.dense(request.vector, request.depth, request.allowed) if request.vector is not None else {},
            self.lexical(request.tokens, request.depth, request.allowed) if request.tokens else {},
        )

    def dense(self, vector: np.ndarray, depth: int, allowed: np.ndarray | None) -> dict[int, float]:
        """Unit position to best piece cosine, over the top candidate pieces."""
        if self.index.ntotal == 0:
            return {}
        n = min(self.index.ntotal, depth * 3 if allowed is None else self.index.ntotal)
        scores, ids = self.index.search(vector[None, :], n)
        out: dict[int, float] = {}
        for s, pid in zip(scores[0], ids[0], strict=True):
            if pid < 0:
                continue
            u = int(self.piece_unit[pid])
            if allowed is not None and not allowed[u]:
                continue
            if u not in out:
                out[u] = float(s)
            if len(out) >= depth:
                break
        return out

    def lexical(self, tokens: tuple[str, ...], depth: int, allowed: np.ndarray | None) -> dict[int, float]:
        scores = self.bm25.scores(list(tokens))
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        idx = np.argsort(-scores)[:depth]
        return {int(i): float(scores[i]) for i in idx if scores[i] > 0}
