"""FAISS vector indexes for inner product over unit vectors: exact (`flat`, the default and what the store saves)
or approximate (`ivf`, `hnsw`), and one search function that restricts either to allowed rows.

The approximate ones are built from the stored vectors when a store is loaded (the saved file stays a flat
index, so the on-disk format does not depend on this setting). Their build parameters are fixed here; their
search depth is a setting (`hnsw_ef`, `ivf_nprobe`). `integrity bench --scale N` measures all three.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, Literal

import numpy as np

Kind = Literal["flat", "ivf", "hnsw"]
HNSW_M = 32  # neighbours per node; 32 is FAISS's and Milvus's usual choice for 384-d text vectors
HNSW_EF_CONSTRUCTION = 200
IVF_POINTS_PER_LIST = 39  # FAISS's k-means wants at least 39 training points per centroid
ADD_STEP = 20_000  # rows per add when a build reports its progress
IVF_TRAIN_MAX = 100_000  # k-means on a sample: training on all of a million vectors buys no recall here


def import_faiss() -> Any:
    """faiss, untyped: its stubs lack the search parameter classes used here."""
    import faiss

    return faiss


def ivf_lists(n: int) -> int:
    """Inverted lists for n vectors: 4·√n, as FAISS's guidelines advise, and never under-trained."""
    return max(1, min(int(4 * math.sqrt(n)), n // IVF_POINTS_PER_LIST))


def build(
    vectors: np.ndarray, kind: Kind = "flat", seed: int = 0, progress: Callable[[int], None] | None = None
) -> Any:
    """An inner-product FAISS index over `vectors` (rows: float32, L2-normalised). `progress(rows)`, when given,
    is called as the vectors are added, in steps of ADD_STEP rows; the scale bench reports with it how far a long
    build got (ivf: the same index as one add; hnsw: an equivalent graph, not the identical one, as one add
    inserts its rows highest level first)."""
    faiss: Any = import_faiss()
    x = np.ascontiguousarray(vectors, dtype=np.float32)
    dim = x.shape[1]
    index: Any
    if kind == "flat" or len(x) == 0:
        index = faiss.IndexFlatIP(dim)
    elif kind == "hnsw":
        index = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
    elif kind == "ivf":
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFFlat(quantizer, dim, ivf_lists(len(x)), faiss.METRIC_INNER_PRODUCT)
        sample = x
        if len(x) > IVF_TRAIN_MAX:
            sample = x[np.random.default_rng(seed).choice(len(x), IVF_TRAIN_MAX, replace=False)]
        index.train(sample)
    else:
        raise ValueError(f"unknown FAISS index kind {kind!r}")
    if progress is None and len(x):
        index.add(x)
    elif progress is not None:
        progress(0)
        for lo in range(0, len(x), ADD_STEP):
            index.add(x[lo : lo + ADD_STEP])
            progress(min(len(x), lo + ADD_STEP))
    return index


def search(
    index: Any, query: np.ndarray, n: int, rows: np.ndarray | None = None, ef: int = 128, nprobe: int = 16
) -> tuple[np.ndarray, np.ndarray]:
    """The n best rows for one query (scores, row ids; -1 pads), only among `rows` when given."""
    faiss = import_faiss()
    q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    sel = faiss.IDSelectorBatch(np.ascontiguousarray(rows, dtype=np.int64)) if rows is not None else None
    if isinstance(index, faiss.IndexHNSWFlat):
        params: Any = faiss.SearchParametersHNSW(efSearch=max(ef, n))
    elif isinstance(index, faiss.IndexIVF):
        params = faiss.SearchParametersIVF(nprobe=nprobe)
    elif sel is not None:
        params = faiss.SearchParameters()
    else:
        scores, ids = index.search(q, n)
        return scores[0], ids[0]
    if sel is not None:
        params.sel = sel
    scores, ids = index.search(q, n, params=params)
    return scores[0], ids[0]
