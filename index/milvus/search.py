"""The `milvus` store's search backend (index/search.py `Backend`): the same request as FAISS + bm25s, run in
Milvus, with the document, language and date restrictions as a filter expression inside the search.

Dense: the pieces collection, inner product. Unrestricted it takes three pieces per unit wanted and keeps each
unit's best, exactly as the FAISS store does; restricted, Milvus groups by unit (`group_by_field`), which
gives the best allowed units as FAISS's exhaustive restricted search does. Lexical: `milvus_lexical` chooses
Milvus's own BM25 (the units' `sparse` field, jieba analyzer, scores made positive: lite returns -BM25) or
bm25s over the units' tokens in this process (index/search.py `Lexical`, with the restriction as a mask).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from index.milvus import client as mc
from index.milvus import schema
from index.milvus.rows import unit_keys
from index.search import Candidates, Lexical, SearchRequest, Where
from index.settings import IndexSettings
from index.store import Store


class MilvusSearch:
    def __init__(self, settings: IndexSettings, store: Store) -> None:
        token = settings.milvus_token.get_secret_value() if settings.milvus_token else None
        self.uri = settings.milvus_target
        self.client: Any = mc.connect(self.uri, token)
        p = schema.prefix(str(store.build["name"]))
        self.units, self.pieces = f"{p}_units", f"{p}_pieces"
        for name in (self.units, self.pieces):
            self.client.load_collection(name)
        self.store, self.settings = store, settings
        self.keys = unit_keys(store)
        self.position = {k: i for i, k in enumerate(self.keys)}
        # bm25s is the default lexical side (README, "The milvus store"): measured on the check set, Milvus's BM25
        # is not better (hit@5 equal, MRR@10 +0.002), bm25s gives exactly the FAISS store's lists and answers, and
        # milvus-lite's BM25 keeps IDF per segment (a document upserted later is scored on its own segment's
        # statistics) and is 100-200x slower. `milvus_lexical = "milvus"` for a server, which scores collection-wide.
        self.lex = Lexical(store) if settings.milvus_lexical == "bm25s" else None

    def search(self, request: SearchRequest) -> Candidates:
        where = request.where
        dense = self.dense(request.vector, request.depth, where) if request.vector is not None else {}
        if not request.tokens:
            return Candidates(dense, {})
        if self.lex is not None:
            return Candidates(dense, self.lex.search(request.tokens, request.depth, where.mask(self.store)))
        return Candidates(dense, self.bm25(request.text or " ".join(request.tokens), request.depth, where))

    def expr(self, where: Where, unit_field: str) -> str:
        """The restriction as a Milvus filter on rows that carry their document's metadata."""
        parts = []
        if where.doc_ids is not None:
            parts.append(mc.one_of("doc_id", where.doc_ids))
        if where.languages:
            parts.append(mc.one_of("lang", where.languages))
        if where.date_from:
            parts.append(f"date >= {mc.quote(where.date_from)}")
        if where.date_to:  # "~" sorts after "-12-31": `2020` keeps every date of 2020; undated rows never pass
            parts.append(f'date != "" and date <= {mc.quote(where.date_to + "~")}')
        if where.exclude:
            parts.append(mc.one_of(unit_field, [self.keys[i] for i in where.exclude], negate=True))
        return " and ".join(f"({p})" for p in parts)

    def dense(self, vector: np.ndarray, depth: int, where: Where) -> dict[int, float]:
        s = self.settings
        kw: dict[str, Any] = {"limit": depth * 3}
        if where.restricts:
            kw = {"limit": depth, "filter": self.expr(where, "unit_id"), "group_by_field": "unit_id"}
        res = self.client.search(
            self.pieces, data=[np.asarray(vector, dtype=np.float32).tolist()], anns_field="vector",
            output_fields=["unit_id"], search_params=schema.search_params(s.milvus_index, kw["limit"], s.hnsw_ef,
                                                                         s.ivf_nprobe), **kw,
        )  # fmt: skip
        out: dict[int, float] = {}
        for h in res[0]:
            u = self.position.get(h["entity"]["unit_id"])  # None: written by another process since this loaded
            if u is not None and u not in out:
                out[u] = float(h["distance"])
            if len(out) >= depth:
                break
        return out

    def bm25(self, text: str, depth: int, where: Where) -> dict[int, float]:
        """Milvus's BM25 of the query text, analysed by the units' jieba analyzer (as the rows were)."""
        res = self.client.search(
            self.units, data=[text], anns_field="sparse", limit=depth, filter=self.expr(where, "id"),
            output_fields=[], search_params={"metric_type": "BM25"},
        )  # fmt: skip
        out: dict[int, float] = {}
        for h in res[0]:
            u = self.position.get(h["id"])
            if u is not None and h["distance"]:
                out[u] = abs(float(h["distance"]))  # lite returns -BM25, a server +BM25
        return out
