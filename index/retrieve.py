"""Hybrid retrieval: a backend's dense and lexical candidates (index/search.py), fused, re-ranked by each
candidate's best sentence, passages naming the asked year ranked up, as `Hit`s."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Collection
from dataclasses import replace
from typing import Literal

import numpy as np

from index.chunk import unit_spans
from index.embed import Embedder
from index.fuse import blend, rrf, top, weighted
from index.periods import period_years
from index.search import Backend, SearchRequest, Where
from index.settings import RetrievalSettings
from index.store import Store, span_id
from index.types import Hit, Query

QUERY_CACHE = 256  # query vectors kept
EXTRA_SPANS = 20_000  # vectors of spans outside the index (model sentences, text of other units) kept
Mode = Literal["hybrid", "dense", "lexical"]


class Retriever:
    """The k best units for a `Query`, and the vectors the answer stage scores with (queries, sentences)."""

    def __init__(self, store: Store, backend: Backend, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.store, self.backend, self.embedder, self.settings = store, backend, embedder, settings
        self.span_rows = {sid: i for i, sid in enumerate(store.span_ids)}
        self.unit_span_rows = [  # each unit's rows of store.span_vectors, found once
            np.array(
                [r for t in unit_spans(u) if (r := self.span_rows.get(span_id(embedder.name, t))) is not None],
                dtype=np.int64,
            )
            for u in store.units
        ]
        # units flagged as planted instructions (index.planted) are never returned (`where` excludes them): not
        # as hits, so not in any answer, model context or fallback built from hits
        self.extra_spans: dict[str, np.ndarray] = {}  # spans not in the index, embedded once
        self._query_vectors: OrderedDict[str, np.ndarray] = OrderedDict()  # shared by retrieval and answers
        self.periods = period_years(store.documents, store.units)

    # -- vectors ------------------------------------------------------------------------------
    def query_vector(self, q: Query) -> np.ndarray:
        """The query's vector (cached: retrieval and the answer stage share it)."""
        return self.query_vectors([q.dense_text])[0]

    def query_vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Query vectors for several texts, the ones not cached embedded in one batch (a brief's queries)."""
        cache = self._query_vectors
        todo = list(dict.fromkeys(t for t in texts if t not in cache))
        if todo:
            cache.update(zip(todo, self.embedder.embed_batch(todo, "query"), strict=True))
        for t in texts:
            cache.move_to_end(t)
        while len(cache) > QUERY_CACHE:
            cache.popitem(last=False)
        return [cache[t] for t in texts]

    def forget_queries(self) -> None:
        """Drop the cached query vectors (the benchmark times every question's embedding)."""
        self._query_vectors.clear()

    def span_vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors of quotable spans: from the index, or embedded now for text it lacks."""
        ids = [span_id(self.embedder.name, t) for t in texts]
        todo = list(dict.fromkeys(i for i in ids if i not in self.span_rows and i not in self.extra_spans))
        if todo:
            by_id = dict(zip(ids, texts, strict=True))
            if len(self.extra_spans) > EXTRA_SPANS:
                self.extra_spans.clear()
            self.extra_spans.update(
                zip(todo, self.embedder.embed_batch([by_id[i] for i in todo], "passage"), strict=True)
            )
        rows = [self.store.span_vectors[self.span_rows[i]] if i in self.span_rows else self.extra_spans[i] for i in ids]
        return np.stack(rows) if rows else np.zeros((0, self.embedder.dim), dtype=np.float32)

    # -- search -------------------------------------------------------------------------------
    def where(self, docs: Collection[str] | None, where: Where | None = None) -> Where:
        """Which units a search may return: those of `docs` (ids, symbols or labels) when given, within
        `where` (languages, dates), never a flagged one."""
        where = where or Where()
        if docs:
            wanted = {k for k, d in self.store.documents.items() if {k, d.symbol, d.label} & set(docs)}
            if where.doc_ids is not None:
                wanted &= set(where.doc_ids)
            where = replace(where, doc_ids=tuple(sorted(wanted)))
        if self.store.flagged:
            where = replace(where, exclude=tuple(sorted({*where.exclude, *self.store.flagged})))
        return where

    def search(
        self,
        q: Query,
        k: int | None = None,
        docs: Collection[str] | None = None,
        mode: Mode = "hybrid",
        where: Where | None = None,
    ) -> list[Hit]:
        """The k best units for the query: `mode` is hybrid, dense or lexical; `docs` and `where` restrict
        the units searched (inside the backend's search)."""
        k = k or self.settings.top_k
        found = self.backend.search(
            SearchRequest(
                self.query_vector(q) if mode != "lexical" else None,
                q.tokens if mode != "dense" else (),
                self.settings.candidates,
                self.where(docs, where),
                q.lexical_text if mode != "dense" else "",
            )
        )
        dense, lex = found.dense, found.lexical
        if mode == "dense":
            fused = dense
        elif mode == "lexical":
            fused = lex
        elif self.settings.fusion == "rrf":
            w = self.dense_weight(q.lang)
            fused = rrf(
                [sorted(dense, key=lambda i: -dense[i]), sorted(lex, key=lambda i: -lex[i])],
                k=self.settings.rrf_k,
                weights=[w, 1 - w],
            )
        else:
            fused = weighted(dense, lex, self.dense_weight(q.lang))
        if mode == "hybrid" and self.settings.span_rerank > 0 and fused:
            fused = self.rerank_by_spans(q, fused, max(k, self.settings.span_rerank_depth))
        if q.years and not q.premise and self.settings.year_boost and mode == "hybrid":
            boost = 1 + self.settings.year_boost
            fused = {i: s * boost if self.names_years(i, q.years) else s for i, s in fused.items()}
        return [Hit(self.store.units[i], s, dense.get(i), lex.get(i)) for i, s in top(fused, k)]

    def rerank_by_spans(self, q: Query, fused: dict[int, float], depth: int) -> dict[int, float]:
        """The `depth` best candidates again (the rest are dropped), each also scored by its best sentence's
        cosine to the question: a paragraph's one sentence that answers is diluted in the paragraph's vector
        (English questions gain most: dev set hit@1 0.55 -> 0.61)."""
        qv = self.query_vector(q)
        best = {}
        for i, _ in top(fused, depth):
            rows = self.unit_span_rows[i]
            best[i] = float((self.store.span_vectors[rows] @ qv).max()) if len(rows) else 0.0
        return blend({i: fused[i] for i in best}, best, self.settings.span_rerank)

    def names_years(self, unit: int, years: tuple[str, ...]) -> bool:
        """Whether a unit names every one of the years, or comes from a document reporting on them."""
        u = self.store.units[unit]
        text = u.searchable().replace(" ", "")
        return all(y in text or y in self.periods.get(u.doc_id, ()) for y in years)

    def dense_weight(self, lang: str) -> float:
        return self.settings.dense_weight_en if lang == "en" else self.settings.dense_weight_zh
