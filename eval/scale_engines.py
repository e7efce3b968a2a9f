"""The engines `integrity bench --scale N` measures, each on the same synthetic corpus (eval/scale_data.py), each
run in a process of its own so that its peak memory is its own:

    flat, ivf, hnsw   FAISS indexes (index/ann.py, the `faiss` store's `faiss_index`), with bm25s over our
                      tokens (index/lexical.py) for the lexical side, fused by RRF as the retriever does
    milvus            milvus-lite through the `milvus` store's own schema (index/milvus/schema.py: a units
                      collection with Milvus BM25 over the jieba analyzer, a pieces collection with HNSW),
                      upserted in the store's batches; lexical is Milvus's BM25, hybrid fuses it with the
                      dense side by RRF client-side, as the store does
"""

from __future__ import annotations

import json
import resource
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from eval.metrics import percentile
from eval.scale_data import Corpus, exact_top
from index import ann
from index.fuse import rrf
from index.lexical import BM25

K = 10
DEPTH = 20  # candidates per route, as the retriever asks for
Result = dict[str, Any]


class Progress:
    """How far a child has got: one JSON line a step (and one a minute while a step runs) appended to a file of
    the work folder, with the stage, the rows it has done, its seconds, CPU seconds and RSS, so that an engine
    stopped at the time cap still reports what it measured. No file: nothing written."""

    def __init__(self, path: Path | None, total: int, every: float = 60.0) -> None:
        self.path, self.total, self.t0 = path, total, time.perf_counter()
        self.stage, self.rows, self.stage_t0 = "start", 0, self.t0
        self.lock = threading.Lock()
        if path is not None:
            path.write_text("", "utf-8")
            threading.Thread(target=self.beat, args=(every,), daemon=True).start()

    def __call__(self, stage: str, rows: int = 0) -> None:
        with self.lock:
            if stage != self.stage:
                self.stage, self.stage_t0 = stage, time.perf_counter()
            self.rows = rows
        self.write()

    def write(self) -> None:
        if self.path is None:
            return
        with self.lock:
            now = time.perf_counter()
            row = {"stage": self.stage, "rows": self.rows, "of": self.total, "stage_s": round(now - self.stage_t0, 1)}
            row |= {"s": round(now - self.t0, 1), "cpu_s": round(time.process_time(), 1), "rss_mb": round(rss_mb())}
            with self.path.open("a", encoding="utf-8") as f:
                f.write(json.dumps(row) + "\n")

    def beat(self, every: float) -> None:
        while True:
            time.sleep(every)
            self.write()


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20


def disk_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


def timed(fn: Callable[[int], list[int]], n: int, warm: int = 3) -> tuple[list[list[int]], dict[str, float]]:
    """fn(i) for each query i, one at a time, after `warm` unmeasured calls: results, wall p50 / p95 in ms, and
    the CPU time of this process per query (all its threads: milvus-lite's server is threads of this process),
    which a machine shared with other users' jobs disturbs far less than the wall clock."""
    for i in range(min(warm, n)):
        fn(i)
    out, ms, cpu = [], [], []
    for i in range(n):
        t, c = time.perf_counter(), time.process_time()
        out.append(fn(i))
        ms.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    return out, {
        "p50": round(percentile(ms, 50), 2),
        "p95": round(percentile(ms, 95), 2),
        "cpu_p50": round(percentile(cpu, 50), 2),
    }


def recall(found: list[list[int]], truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[:K]) & set(t.tolist())) / K for f, t in zip(found, truth, strict=True)]))


def fused(dense: list[int], lexical: list[int]) -> list[int]:
    scores = rrf([dense, lexical])
    return sorted(scores, key=lambda i: -scores[i])[:DEPTH]


def run(
    engine: str,
    corpus: Corpus,
    queries: np.ndarray,
    tokens: list[list[str]],
    texts: list[str],
    lexical: bool = True,
    progress: Progress | None = None,
) -> Result:
    """One engine's figures; `lexical=False`: a FAISS index's dense side only (bm25s is the same whatever the
    vector index, and at a million rows building it again for each index costs a quarter of an hour here)."""
    step = progress or Progress(None, len(corpus))
    step("exact search")
    truth = exact_top(corpus.vectors, queries, K)
    base = rss_mb()
    if engine == "milvus":
        res = milvus(corpus, queries, texts, step)
    else:
        res = faiss_engine(engine, corpus, queries, tokens, lexical, step)
    res["recall@10"] = round(recall(res.pop("found"), truth), 4)  # flat: 1.0 but for ties, the check of the check
    res.update(engine=engine, n=len(corpus), peak_rss_mb=round(peak_mb()), rss_growth_mb=round(rss_mb() - base))
    return res


def faiss_engine(
    kind: str, corpus: Corpus, queries: np.ndarray, tokens: list[list[str]], lexical: bool, step: Progress
) -> Result:
    import bm25s  # noqa: F401  (imported before the clock starts, as a running server has it)

    ann.import_faiss()
    res: Result = {}
    step(f"{kind}: train" if kind == "ivf" else kind)
    t = time.perf_counter()
    index = ann.build(corpus.vectors, kind, progress=lambda rows: step(f"{kind}: add", rows))  # type: ignore[arg-type]
    res["build_s"] = round(time.perf_counter() - t, 2)
    step("bm25s" if lexical else "queries", len(corpus))
    t = time.perf_counter()
    bm25 = BM25(corpus.tokens(i) for i in range(len(corpus))) if lexical else BM25([["-"]])
    res["bm25_build_s"] = round(time.perf_counter() - t, 2)
    res["ingest_rows_per_s"] = round(len(corpus) / max(res["build_s"] + res["bm25_build_s"], 1e-3))

    def dense(i: int) -> list[int]:
        return [int(x) for x in ann.search(index, queries[i], DEPTH)[1] if x >= 0]

    def lexical_top(i: int) -> list[int]:
        scores = bm25.scores(tokens[i])
        top = np.argpartition(-scores, DEPTH)[:DEPTH]
        return [int(x) for x in top[np.argsort(-scores[top])] if scores[x] > 0]

    step("queries", len(corpus))
    res["found"], res["dense"] = timed(dense, len(queries))
    if lexical:
        _, res["lexical"] = timed(lexical_top, len(queries))
        _, res["hybrid"] = timed(lambda i: fused(dense(i), lexical_top(i)), len(queries))
    with tempfile.TemporaryDirectory() as tmp:
        ann.import_faiss().write_index(index, f"{tmp}/x.faiss")
        res["disk_mb"] = round(disk_mb(Path(tmp) / "x.faiss"), 1)
    return res


def milvus(corpus: Corpus, queries: np.ndarray, texts: list[str], step: Progress) -> Result:
    import jieba

    from index.milvus import client as mc
    from index.milvus import schema

    res: Result = {}
    folder = Path(tempfile.mkdtemp(prefix="bench-milvus-"))
    uri = str(folder / "bench.db")
    try:
        t = time.perf_counter()
        c = mc.connect(uri)
        schema.create(c, "units", "units", corpus.vectors.shape[1], "HNSW")
        schema.create(c, "pieces", "pieces", corpus.vectors.shape[1], "HNSW")
        jieba.initialize()  # its dictionary, once per process, before the clock starts
        res["setup_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        upsert(c, corpus, mc.BATCH, step)
        res["upsert_s"] = round(time.perf_counter() - t, 2)
        step("milvus: flush and index builds", len(corpus))
        t = time.perf_counter()
        for name in ("units", "pieces"):
            c.flush(name)
            wait_for_index(uri, name)
        res["flush_and_index_s"] = round(time.perf_counter() - t, 2)
        res["ingest_rows_per_s"] = round(len(corpus) / (res["upsert_s"] + res["flush_and_index_s"]))
        sp = schema.search_params("HNSW", DEPTH, 128, 16)
        qv = [q.tolist() for q in queries]

        def dense(i: int) -> list[int]:
            hits = c.search("pieces", data=[qv[i]], anns_field="vector", limit=DEPTH, output_fields=["unit_id"],
                            search_params=sp)[0]  # fmt: skip
            return [int(h["entity"]["unit_id"][1:]) for h in hits]

        def lexical(i: int) -> list[int]:
            hits = c.search("units", data=[texts[i]], anns_field="sparse", limit=DEPTH, output_fields=[],
                            search_params={"metric_type": "BM25"})[0]  # fmt: skip
            return [int(h["id"][1:]) for h in hits]

        step("queries", len(corpus))
        t = time.perf_counter()
        lexical(0)
        res["lexical_first_query_ms"] = round((time.perf_counter() - t) * 1000)  # lite builds posting lists
        res["found"], res["dense"] = timed(dense, len(queries))
        _, res["lexical"] = timed(lexical, len(queries))
        _, res["hybrid"] = timed(lambda i: fused(dense(i), lexical(i)), len(queries))
        mc.release(uri)
        res["disk_mb"] = round(disk_mb(Path(uri)), 1)
        t = time.perf_counter()
        c = mc.connect(uri)
        for name in ("units", "pieces"):
            c.load_collection(name)
        res["reopen_s"] = round(time.perf_counter() - t, 2)
        mc.release(uri)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return res


def upsert(c: Any, corpus: Corpus, batch: int, step: Progress) -> None:
    """The corpus into the units and pieces collections, in the store's batches."""
    meta = {"lang": "zh", "origin": "bundled"}
    for lo in range(0, len(corpus), batch):
        hi = min(len(corpus), lo + batch)
        doc = [{"doc_id": f"d{i // 50}", "date": str(2015 + i % 8), **meta} for i in range(lo, hi)]
        units = [{"id": f"u{i}", **d, "ord": i % 50, "text": corpus.text(i), "tokens": "", "symbol": "",
                  "number": str(i % 50), "para": {}} for i, d in zip(range(lo, hi), doc, strict=True)]  # fmt: skip
        pieces = [{"id": f"u{i}-p0", **d, "ord": 0, "unit_id": f"u{i}", "key": f"u{i}", "vector": corpus.vectors[i]}
                  for i, d in zip(range(lo, hi), doc, strict=True)]  # fmt: skip
        c.upsert("units", units)
        c.upsert("pieces", pieces)
        step("milvus: upsert", hi)


def wait_for_index(uri: str, name: str) -> None:
    """milvus-lite builds a flushed segment's index on a background thread; wait for it (a private hook of
    milvus-lite 3.2.2: without it the first queries would search unindexed segments exhaustively)."""
    from milvus_lite.server_manager import server_manager_instance

    servers = getattr(server_manager_instance, "_servers", {})
    entry = servers.get(str(Path(uri).absolute()))
    if entry is not None:
        collection = entry[1].get_collection(name)
        getattr(collection, "_wait_for_bg", lambda: None)()
