"""Hybrid retrieval: dense (FAISS) and lexical (BM25) candidates, fused, filtered, as `Hit`s."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from assistant.mentions import named_years, period_years
from assistant.settings import Settings
from assistant.types import Hit
from index.chunk import unit_spans
from index.embed import Embedder
from index.fuse import blend, rrf, top, weighted
from index.glossary import expand
from index.lexical import BM25, tokenize
from index.store import Store, span_id


@dataclass
class Query:
    """What retrieval runs for one question: the text embedded and the lexical tokens."""

    text: str
    lang: str
    dense_text: str
    tokens: list[str]


def query_terms(text: str, lang: str, glossary: bool) -> tuple[list[str], list[str]]:
    """The lexical tokens of a question and, for English with the glossary on, its Chinese terms."""
    tokens, zh = tokenize(text), []
    if lang == "en" and glossary:
        zh = expand(text)
        tokens += tokenize(" ".join(zh))
    return tokens, zh


class Retriever:
    def __init__(self, store: Store, embedder: Embedder, settings: Settings) -> None:
        import faiss

        # A flat index this small searches fastest on one thread; FAISS's spinning OpenMP threads
        # would otherwise slow the next query embedding (measured: 65 ms -> up to 3 s under load).
        faiss.omp_set_num_threads(1)
        self.store, self.embedder, self.settings = store, embedder, settings
        self.index = store.faiss_index()
        self.bm25 = BM25(store.unit_tokens)
        self.piece_unit = np.asarray(store.piece_unit, dtype=np.int64)
        self.span_rows = {sid: i for i, sid in enumerate(store.span_ids)}
        self.unit_span_rows = [  # each unit's rows of store.span_vectors, found once
            np.array(
                [r for t in unit_spans(u) if (r := self.span_rows.get(span_id(embedder.name, t))) is not None],
                dtype=np.int64,
            )
            for u in store.units
        ]
        # units flagged as planted instructions (index.planted) are never returned: not as hits, so not in any
        # answer, model context or fallback built from hits
        self.blocked = np.array([i in store.flagged for i in range(len(store.units))], dtype=bool)
        self.extra_spans: dict[str, np.ndarray] = {}  # spans not in the index (outside chunks), embedded once
        self.query_vector = lru_cache(maxsize=256)(self._embed_query)
        self.periods = period_years(store.documents, store.units)

    def _embed_query(self, text: str) -> np.ndarray:
        """One query vector (cached: retrieval and the answer stage share it)."""
        return self.embedder.embed_batch([text], "query")[0]

    def span_vectors(self, texts: list[str]) -> np.ndarray:
        """Vectors of quotable spans: from the index, or embedded now for text it lacks."""
        ids = [span_id(self.embedder.name, t) for t in texts]
        todo = list(dict.fromkeys(i for i in ids if i not in self.span_rows and i not in self.extra_spans))
        if todo:
            by_id = dict(zip(ids, texts, strict=True))
            if len(self.extra_spans) > 20_000:
                self.extra_spans.clear()
            self.extra_spans.update(
                zip(todo, self.embedder.embed_batch([by_id[i] for i in todo], "passage"), strict=True)
            )
        rows = [self.store.span_vectors[self.span_rows[i]] if i in self.span_rows else self.extra_spans[i] for i in ids]
        return np.stack(rows) if rows else np.zeros((0, self.embedder.dim), dtype=np.float32)

    def prepare(self, text: str, lang: str) -> Query:
        tokens, zh = query_terms(text, lang, self.settings.glossary)
        return Query(text, lang, f"{text} ({' '.join(zh)})" if zh else text, tokens)

    def dense(self, q: Query, allowed: np.ndarray | None) -> dict[int, float]:
        """Unit index to best piece cosine, over the top candidate pieces."""
        if self.index.ntotal == 0:
            return {}
        v = self.query_vector(q.dense_text)[None, :]
        n = min(self.index.ntotal, self.settings.candidates * 3 if allowed is None else self.index.ntotal)
        scores, ids = self.index.search(v, n)
        out: dict[int, float] = {}
        for s, pid in zip(scores[0], ids[0], strict=True):
            if pid < 0:
                continue
            u = int(self.piece_unit[pid])
            if allowed is not None and not allowed[u]:
                continue
            if u not in out:
                out[u] = float(s)
            if len(out) >= self.settings.candidates:
                break
        return out

    def lexical(self, q: Query, allowed: np.ndarray | None) -> dict[int, float]:
        scores = self.bm25.scores(q.tokens)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        idx = np.argsort(-scores)[: self.settings.candidates]
        return {int(i): float(scores[i]) for i in idx if scores[i] > 0}

    def allowed(self, docs: Collection[str] | None) -> np.ndarray | None:
        """Which units a search may return (None: all): those of `docs` when given, never a flagged one."""
        if not docs:
            return ~self.blocked if self.store.flagged else None
        wanted = {k for k, d in self.store.documents.items() if {k, d.symbol, d.label} & set(docs)}
        return np.array([u.doc_id in wanted for u in self.store.units]) & ~self.blocked

    def search(
        self,
        text: str,
        lang: str,
        k: int | None = None,
        docs: Collection[str] | None = None,
        mode: str = "hybrid",
    ) -> list[Hit]:
        """The k best units for a question: `mode` is hybrid, dense or lexical."""
        k = k or self.settings.top_k
        q = self.prepare(text, lang)
        allowed = self.allowed(docs)
        dense = self.dense(q, allowed) if mode != "lexical" else {}
        lex = self.lexical(q, allowed) if mode != "dense" else {}
        if mode == "dense":
            fused = dense
        elif mode == "lexical":
            fused = lex
        elif self.settings.fusion == "rrf":
            w = self.dense_weight(lang)
            fused = rrf(
                [sorted(dense, key=lambda i: -dense[i]), sorted(lex, key=lambda i: -lex[i])],
                k=self.settings.rrf_k,
                weights=[w, 1 - w],
            )
        else:
            fused = weighted(dense, lex, self.dense_weight(lang))
        if mode == "hybrid" and self.settings.span_rerank > 0 and fused:
            fused = self.rerank_by_spans(q, fused, max(k, self.settings.span_rerank_depth))
        years = named_years(text)
        if years and self.settings.year_boost and mode == "hybrid":
            fused = {
                i: s * (1 + self.settings.year_boost) if self.names_years(i, years) else s for i, s in fused.items()
            }
        return [Hit(self.store.units[i], s, dense.get(i), lex.get(i)) for i, s in top(fused, k)]

    def rerank_by_spans(self, q: Query, fused: dict[int, float], depth: int) -> dict[int, float]:
        """The `depth` best candidates again (the rest are dropped), each also scored by its best sentence's
        cosine to the question: a paragraph's one sentence that answers is diluted in the paragraph's vector
        (English questions gain most: dev set hit@1 0.55 -> 0.61)."""
        qv = self.query_vector(q.dense_text)
        best = {}
        for i, _ in top(fused, depth):
            rows = self.unit_span_rows[i]
            best[i] = float((self.store.span_vectors[rows] @ qv).max()) if len(rows) else 0.0
        return blend({i: fused[i] for i in best}, best, self.settings.span_rerank)

    def names_years(self, unit: int, years: list[str]) -> bool:
        """Whether a unit names every one of the years, or comes from a document reporting on them."""
        u = self.store.units[unit]
        text = u.searchable().replace(" ", "")
        return all(y in text or y in self.periods.get(u.doc_id, ()) for y in years)

    def dense_weight(self, lang: str) -> float:
        return self.settings.dense_weight_en if lang == "en" else self.settings.dense_weight_zh
