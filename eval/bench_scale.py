"""`integrity bench --scale N`: ingest throughput, query p50 / p95 (dense, lexical, hybrid), peak memory, disk
and recall@10 against exact search, for FAISS flat, FAISS ivf and hnsw, and milvus-lite, on N synthetic
paragraphs made from the real corpus (eval/scale_data.py says how). Prints figures and appends them to
OUT/results.jsonl; `--plot` draws query latency against N from every run there. Asserts nothing.

Each engine runs in a child process (its peak memory is its own) under a time cap: an engine that does not
finish within it is reported as such, not extrapolated.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from eval.scale_data import Sentences, calibration, questions, sentences, synthesise

ENGINES = ("flat", "ivf", "hnsw", "milvus")
COLOURS = {"flat": "tab:blue", "ivf": "tab:orange", "hnsw": "tab:green", "milvus": "tab:red"}


def prepare(work: Path, n_queries: int) -> float:
    """The real spans and embedded questions the children read; returns the calibration cosine."""
    from assistant.pipeline import load_store
    from assistant.registry import make_embedder
    from assistant.settings import Settings
    from index.query import make_query

    settings = Settings()
    embedder = make_embedder(settings.index)
    store = load_store(settings.index, embedder, auto_build=True)
    s = sentences(store)
    qs = [make_query(text, lang) for text, lang in questions(n_queries)]
    vectors = embedder.embed_batch([q.dense_text for q in qs], "query")
    work.mkdir(parents=True, exist_ok=True)
    np.save(work / "sentences.npy", s.vectors)
    np.save(work / "queries.npy", np.asarray(vectors, dtype=np.float32))
    data = {"texts": s.texts, "tokens": s.tokens, "q_tokens": [list(q.tokens) for q in qs]}
    data["q_texts"] = [q.lexical_text for q in qs]
    (work / "data.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return calibration(store)


def child(engine: str, work: Path, n: int, lexical: bool) -> None:
    from eval.scale_engines import run

    data = json.loads((work / "data.json").read_text("utf-8"))
    corpus = synthesise(Sentences(data["texts"], np.load(work / "sentences.npy"), data["tokens"]), n)
    queries = np.load(work / "queries.npy")
    print(json.dumps(run(engine, corpus, queries, data["q_tokens"], data["q_texts"], lexical)))


def bench(n: int, engines: list[str], n_queries: int, cap: int, out: Path, lexical_once: bool) -> list[dict[str, Any]]:
    work = out / "work"
    t = time.perf_counter()
    cos = prepare(work, n_queries)
    took = time.perf_counter() - t
    print(
        f"N = {n:,}: {n_queries} check questions; synthetic vectors: cosine of a real unit's e5 vector to the "
        f"normalised sum of its sentences' vectors, mean over the corpus = {cos:.3f} (prepared in {took:.0f} s)"
    )
    results = []
    for engine in engines:
        t = time.perf_counter()
        cmd = [sys.executable, "-m", "eval.bench_scale", "--child", engine, "--work", str(work), "--n", str(n)]
        if lexical_once and engine in ("ivf", "hnsw"):
            cmd.append("--dense-only")
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=cap, check=False, env=os.environ)
            if done.returncode == 0:
                r = json.loads(done.stdout.strip().splitlines()[-1])
            else:
                tail = (done.stderr.strip().splitlines() or ["?"])[-1]
                r = {"engine": engine, "n": n, "failed": tail[:300]}
        except subprocess.TimeoutExpired:
            r = {"engine": engine, "n": n, "failed": f"not finished within the {cap} s cap"}
        r["wall_s"] = round(time.perf_counter() - t, 1)
        r["calibration_cos"] = round(cos, 4)
        results.append(r)
        print(line(r), flush=True)
        with (out / "results.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(r) + "\n")
    return results


NONE = {"p50": "–", "p95": "–"}  # not measured: bm25s timed in the flat run only (--lexical-once)


def line(r: dict[str, Any]) -> str:
    name = {"flat": "FAISS flat", "ivf": "FAISS ivf", "hnsw": "FAISS hnsw", "milvus": "milvus-lite HNSW"}[r["engine"]]
    if "failed" in r:
        return f"| {r['n']:,} | {name} | {r['failed']} ({r['wall_s']} s) |"
    d, lx, h = (ms(r.get(mode, NONE)) for mode in ("dense", "lexical", "hybrid"))
    return (
        f"| {r['n']:,} | {name} | {r['ingest_rows_per_s']:,} rows/s | {d} | {lx} | {h} | {r['recall@10']:.3f} | "
        f"{r['peak_rss_mb']:,} MB (+{r['rss_growth_mb']:,}) | {r['disk_mb']} MB |"
    )


def ms(t: dict[str, Any]) -> str:
    """wall p50 / p95 (CPU p50) in ms."""
    return f"{t['p50']} / {t['p95']} ({t.get('cpu_p50', '–')})"


HEADER = (
    "| N | engine | ingest | dense ms: p50 / p95 (CPU p50) | lexical ms | hybrid ms | recall@10 | "
    "peak RSS (+ engine) | disk |\n|---:|---|---:|---:|---:|---:|---:|---:|---:|"
)


def plot(out: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [json.loads(x) for f in sorted(out.glob("results*.jsonl")) for x in f.read_text("utf-8").splitlines() if x]
    latest = {(r["engine"], r["n"]): r for r in rows if "failed" not in r}
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), sharey=True)
    for ax, mode in zip(axes, ("dense", "lexical", "hybrid"), strict=True):
        for engine in ENGINES:
            for key, style in (("p50", "-"), ("cpu_p50", ":")):
                pts = sorted(
                    (n, r[mode][key]) for (e, n), r in latest.items() if e == engine and key in r.get(mode, {})
                )
                if pts:
                    label = engine if key == "p50" else f"{engine} (CPU)"
                    ax.plot(
                        [p[0] for p in pts], [p[1] for p in pts], style, marker="o", label=label, color=COLOURS[engine]
                    )
        ax.set(xscale="log", yscale="log", title=f"{mode} query p50 (wall; dotted: CPU)", xlabel="paragraphs (N)")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("ms per query")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    path = out / "latency.png"
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def main(n: int, engines: str, n_queries: int, cap: int, out: Path, draw: bool, lexical_once: bool = False) -> None:
    chosen = [e.strip() for e in engines.split(",") if e.strip()]
    if bad := [e for e in chosen if e not in ENGINES]:
        raise SystemExit(f"error: unknown engine {bad[0]!r}; choose among {', '.join(ENGINES)}.")
    out.mkdir(parents=True, exist_ok=True)
    if n > 0:
        print(HEADER)
        bench(n, chosen, n_queries, cap, out, lexical_once)
    if draw:
        print(f"plot: {plot(out)}")


if __name__ == "__main__":
    import argparse

    p = argparse.ArgumentParser()
    p.add_argument("--child")
    p.add_argument("--work", type=Path)
    p.add_argument("--n", type=int)
    p.add_argument("--dense-only", action="store_true")
    a = p.parse_args()
    child(a.child, a.work, a.n, not a.dense_only)
