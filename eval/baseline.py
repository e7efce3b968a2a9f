"""The outside baseline: llama-index's default pipeline with our embedder, as a drop-in retriever.

SimpleDirectoryReader over the corpus folder + the default SentenceSplitter + VectorStoreIndex, with our
E5 embedder passed explicitly as `embed_model` (llama-index's global `Settings` is never touched, and no
LLM is used: only the retriever). Its chunks become `Hit`s, and the rest of our pipeline (query
preparation, evidence score and refusal, extractive generator) runs on them unchanged, so the answer
columns of this configuration show what our answer stage makes of llama-index's retrieval.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
from llama_index.core.base.embeddings.base import BaseEmbedding
from pydantic import PrivateAttr

from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.embed import Embedder, Role
from index.read import load_manifest
from index.retrieve import Mode
from index.types import Hit, Paragraph, Query

SPLITTER = "SentenceSplitter()"  # the defaults: chunk_size 1024 tokens, chunk_overlap 200


class LlamaE5(BaseEmbedding):
    """Any of our embedders (`embed_batch(texts, role)`) as a llama-index embedding model."""

    _embedder: Any = PrivateAttr()

    def __init__(self, embedder: Embedder, **kwargs: Any) -> None:
        super().__init__(model_name=embedder.name, embed_batch_size=32, **kwargs)
        self._embedder = embedder

    def _vec(self, texts: list[str], role: Role) -> list[list[float]]:
        vecs: list[list[float]] = np.asarray(self._embedder.embed_batch(texts, role), dtype=np.float32).tolist()
        return vecs

    def _get_query_embedding(self, query: str) -> list[float]:
        return self._vec([query], "query")[0]

    async def _aget_query_embedding(self, query: str) -> list[float]:
        return self._get_query_embedding(query)

    def _get_text_embedding(self, text: str) -> list[float]:
        return self._vec([text], "passage")[0]

    async def _aget_text_embedding(self, text: str) -> list[float]:
        return self._get_text_embedding(text)

    def _get_text_embeddings(self, texts: list[str]) -> list[list[float]]:
        return self._vec(list(texts), "passage")


class Chunk(Paragraph):
    """A llama-index chunk in our `Paragraph` shape; cited as `A/76/76 (chunk 7)`, never as a ¶ number."""

    __slots__ = ()

    @property
    def key(self) -> str:
        return f"{self.doc_label} (chunk {self.number})"


def cache_key(corpus: Path, embedder_name: str) -> str:
    import llama_index.core

    h = hashlib.sha256(f"{embedder_name}|{SPLITTER}|{llama_index.core.__version__}".encode())
    for f in sorted(corpus.iterdir()):
        if f.is_file() and f.name != "manifest.json":
            h.update(f.name.encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()[:12]


def build_index(corpus: Path, embed_model: LlamaE5, cache: Path | None) -> Any:
    """The VectorStoreIndex of the corpus folder, persisted under `cache` and reloaded when unchanged."""
    from llama_index.core import SimpleDirectoryReader, StorageContext, VectorStoreIndex, load_index_from_storage
    from llama_index.core.node_parser import SentenceSplitter

    if cache is not None and (cache / "docstore.json").exists():
        ctx = StorageContext.from_defaults(persist_dir=str(cache))
        return load_index_from_storage(ctx, embed_model=embed_model)
    docs = SimpleDirectoryReader(str(corpus), exclude=["manifest.json"]).load_data()
    index = VectorStoreIndex.from_documents(docs, embed_model=embed_model, transformations=[SentenceSplitter()])
    if cache is not None:
        tmp = cache.with_name(cache.name + ".tmp")
        index.storage_context.persist(persist_dir=str(tmp))
        tmp.replace(cache)
    return index


class LlamaIndexSearcher:
    """The hits of an `Assistant` (its `Searcher`) from llama-index's retriever; the question is still prepared,
    and the answer still scored and written, by ours."""

    def __init__(self, index: Any, corpus: Path, k: int) -> None:
        self.k = k
        self.retriever = index.as_retriever(similarity_top_k=k)
        self.labels = {
            name: str(m.get("symbol") or m.get("short_title") or Path(name).stem)
            for name, m in load_manifest(corpus).items()
        }
        self.order: dict[str, int] = {}  # node id -> its number within its document (1-based)
        counts: dict[str, int] = {}
        for nid, node in index.docstore.docs.items():
            name = str(node.metadata.get("file_name", "?"))
            counts[name] = counts.get(name, 0) + 1
            self.order[nid] = counts[name]

    def search(
        self, q: Query, k: int | None = None, docs: Collection[str] | None = None, mode: Mode = "hybrid"
    ) -> list[Hit]:
        hits = []
        for n in self.retriever.retrieve(q.text)[: k or self.k]:
            name = str(n.node.metadata.get("file_name", "?"))
            if docs and not {name, Path(name).stem, self.labels.get(name)} & set(docs):
                continue
            label = self.labels.get(name, Path(name).stem)
            number = str(self.order.get(n.node.node_id, 0))
            chunk = Chunk(Path(name).stem, label, number, n.node.get_content())
            hits.append(Hit(chunk, float(n.score or 0.0), dense=float(n.score or 0.0)))
        return hits


def attach(assistant: Assistant, settings: Settings) -> dict[str, Any]:
    """Let llama-index's default pipeline find the assistant's hits; returns facts for the report."""
    corpus = settings.index.corpus_dir
    model = LlamaE5(assistant.embedder)
    cache = settings.index.data_dir / "eval-cache" / f"llamaindex-{cache_key(corpus, model.model_name)}"
    cache.parent.mkdir(parents=True, exist_ok=True)
    index = build_index(corpus, model, cache)
    assistant.searcher = LlamaIndexSearcher(index, corpus, settings.retrieval.top_k)
    sizes = [len(n.get_content()) for n in index.docstore.docs.values()]
    return {
        "chunks": len(sizes),
        "mean_chunk_chars": round(float(np.mean(sizes)) if sizes else 0.0, 1),
        "splitter": SPLITTER,
        "cache": str(cache),
    }
