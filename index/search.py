"""Search backends behind one method, `search(request) -> Candidates`: the dense and the lexical candidates of
one query, by unit position in the store. The retriever fuses and re-ranks them (index/retrieve.py).

`FaissBM25` is the default: a FAISS inner-product index over the unit pieces' vectors (a unit scores its
best piece; flat unless `faiss_index` asks for an approximate one, index/ann.py) and BM25 (bm25s) over the
units' jieba tokens, both held in memory. `index.milvus.search.MilvusSearch` runs the same request in Milvus.

Which units a search may return is a `Where`: documents, languages, a date range, and the units never
returned (planted instructions). Each backend applies it inside its search: FAISS and bm25s as a mask over
unit positions, Milvus as a filter expression on the rows it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from index import ann
from index.lexical import BM25
from index.settings import IndexSettings
from index.store import Store
from index.types import Document


@dataclass(frozen=True)
class Where:
    """A restriction of the units a search may return; the default restricts nothing."""

    doc_ids: tuple[str, ...] | None = None  # only these documents (ids); None: every document
    languages: tuple[str, ...] = ()  # only documents in these languages (`zh`, `en`); empty: any
    date_from: str = ""  # documents dated on or after this ISO date or prefix (`2020`, `2020-06`)
    date_to: str = ""  # documents dated on or before it (`2020` keeps every date of 2020)
    exclude: tuple[int, ...] = ()  # unit positions never returned (flagged as planted instructions)

    @property
    def restricts(self) -> bool:
        return self.doc_ids is not None or bool(self.languages or self.date_from or self.date_to or self.exclude)

    @property
    def on_documents(self) -> bool:
        return self.doc_ids is not None or bool(self.languages or self.date_from or self.date_to)

    def admits(self, doc: Document) -> bool:
        """Whether the document passes the document, language and date conditions."""
        date = doc.date or ""
        return (
            (self.doc_ids is None or doc.doc_id in self.doc_ids)
            and (not self.languages or doc.language in self.languages)
            and (not self.date_from or (bool(date) and date >= self.date_from))
            and (not self.date_to or (bool(date) and date <= self.date_to + "~"))  # "~" sorts after "-12-31"
        )

    def mask(self, store: Store) -> np.ndarray | None:
        """Which of the store's units pass (None: all of them)."""
        if not self.restricts:
            return None
        n = len(store.units)
        out = np.ones(n, dtype=bool)
        if self.on_documents:
            ok = {k for k, d in store.documents.items() if self.admits(d)}
            out = np.fromiter((u.doc_id in ok for u in store.units), dtype=bool, count=n)
        if self.exclude:
            out[list(self.exclude)] = False
        return out


@dataclass(frozen=True, eq=False)
class SearchRequest:
    vector: np.ndarray | None  # the query's vector; None: no dense side
    tokens: tuple[str, ...]  # the query's lexical tokens; empty: no lexical side
    depth: int  # candidates wanted from each side
    where: Where = field(default_factory=Where)
    text: str = ""  # what the tokens were made from, for a backend that analyses text itself (Milvus BM25)


@dataclass
class Candidates:
    dense: dict[int, float] = field(default_factory=dict)  # unit position -> best piece cosine
    lexical: dict[int, float] = field(default_factory=dict)  # unit position -> BM25 score (> 0)


class Backend(Protocol):
    def search(self, request: SearchRequest) -> Candidates:
        """The best units of each side for the request, restricted to the units its `where` admits."""
        ...


class FaissBM25:
    """FAISS inner product over pieces, and BM25 over unit tokens, for one in-memory `Store`."""

    def __init__(self, settings: IndexSettings, store: Store) -> None:
        import faiss

        # A flat index this small searches fastest on one thread; FAISS's spinning OpenMP threads
        # would otherwise slow the next query embedding (measured: 65 ms -> up to 3 s under load).
        faiss.omp_set_num_threads(1)
        self.store, self.kind = store, settings.faiss_index
        self.ef, self.nprobe = settings.hnsw_ef, settings.ivf_nprobe
        self.index: Any = store.faiss_index() if self.kind == "flat" else ann.build(store.vectors, self.kind)
        self.lex = Lexical(store)
        self.piece_unit = np.asarray(store.piece_unit, dtype=np.int64)

    def search(self, request: SearchRequest) -> Candidates:
        allowed = request.where.mask(self.store)
        return Candidates(
            self.dense(request.vector, request.depth, allowed) if request.vector is not None else {},
            self.lex.search(request.tokens, request.depth, allowed) if request.tokens else {},
        )

    def dense(self, vector: np.ndarray, depth: int, allowed: np.ndarray | None) -> dict[int, float]:
        """Unit position to best piece cosine, over the top candidate pieces."""
        if self.index.ntotal == 0:
            return {}
        if self.kind == "flat":  # exact: every piece when filtered, then the mask
            n = min(self.index.ntotal, depth * 3 if allowed is None else self.index.ntotal)
            scores, ids = ann.search(self.index, vector, n)
        else:  # approximate: the allowed pieces only, inside the index's search
            rows = None if allowed is None else np.flatnonzero(allowed[self.piece_unit])
            scores, ids = ann.search(self.index, vector, min(self.index.ntotal, depth * 3), rows, self.ef, self.nprobe)
        return best_per_unit(scores, ids, self.piece_unit, depth, allowed)


def best_per_unit(
    scores: np.ndarray, ids: np.ndarray, piece_unit: np.ndarray, depth: int, allowed: np.ndarray | None = None
) -> dict[int, float]:
    """Unit position to its best piece's score, from pieces ranked best first, up to `depth` units."""
    out: dict[int, float] = {}
    for s, pid in zip(scores, ids, strict=True):
        if pid < 0:
            continue
        u = int(piece_unit[pid])
        if allowed is not None and not allowed[u]:
            continue
        if u not in out:
            out[u] = float(s)
        if len(out) >= depth:
            break
    return out


class Lexical:
    """BM25 (bm25s) over the store's unit tokens, restricted by a mask."""

    def __init__(self, store: Store) -> None:
        self.bm25 = BM25(store.unit_tokens)

    def search(self, tokens: tuple[str, ...], depth: int, allowed: np.ndarray | None) -> dict[int, float]:
        scores = self.bm25.scores(list(tokens))
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        idx = np.argsort(-scores)[:depth]
        return {int(i): float(scores[i]) for i in idx if scores[i] > 0}
