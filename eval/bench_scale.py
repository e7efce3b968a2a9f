"""`integrity bench --scale N`: ingest throughput, query p50 / p95 (dense, lexical, hybrid), peak memory, disk
and recall@10 against exact search, for FAISS flat, FAISS ivf and hnsw, and milvus-lite, on N synthetic
paragraphs made from the real corpus (eval/scale_data.py says how). Prints figures and appends them to
OUT/results.jsonl; `--plot` draws query latency against N from every run there. Asserts nothing.

Each engine runs in a child process (its peak memory is its own) under a time cap and an RSS limit: an engine
that does not finish within them is reported as such, with how far it got (its last progress line: stage, rows,
seconds, RSS), not extrapolated.
"""

from __future__ import annotations

import json
import os
import shutil
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
    qs = [make_query(text, lang) for text, lang in questions(n_queries)]
    vectors = embedder.embed_batch([q.dense_text for q in qs], "query")
    write_work(work, sentences(store), np.asarray(vectors, dtype=np.float32), qs)
    return calibration(store)


def write_work(work: Path, s: Sentences, vectors: np.ndarray, qs: list[Any]) -> None:
    """The work folder the children read: the spans, the questions' vectors, tokens and texts."""
    work.mkdir(parents=True, exist_ok=True)
    np.save(work / "sentences.npy", s.vectors)
    np.save(work / "queries.npy", vectors)
    data = {"texts": s.texts, "tokens": s.tokens, "q_tokens": [list(q.tokens) for q in qs]}
    data["q_texts"] = [q.lexical_text for q in qs]
    (work / "data.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")


def child(engine: str, work: Path, n: int, lexical: bool) -> None:
    from eval.scale_engines import Progress, run

    progress = Progress(work / f"progress-{engine}.jsonl", n)
    progress("synthesise")
    data = json.loads((work / "data.json").read_text("utf-8"))
    corpus = synthesise(Sentences(data["texts"], np.load(work / "sentences.npy"), data["tokens"]), n)
    queries = np.load(work / "queries.npy")
    print(json.dumps(run(engine, corpus, queries, data["q_tokens"], data["q_texts"], lexical, progress)))


def bench(
    n: int, engines: list[str], n_queries: int, cap: int, out: Path, lexical_once: bool, max_rss_gb: float = 14.0
) -> list[dict[str, Any]]:
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
        r = supervise(engine, n, cap, work, max_rss_gb, dense_only=lexical_once and engine in ("ivf", "hnsw"))
        r["wall_s"] = round(time.perf_counter() - t, 1)
        r["calibration_cos"] = round(cos, 4)
        results.append(r)
        print(line(r), flush=True)
        with (out / "results.jsonl").open("a", encoding="utf-8") as f:
            f.write(json.dumps(r) + "\n")
    return results


def supervise(engine: str, n: int, cap: float, work: Path, max_rss_gb: float, dense_only: bool) -> dict[str, Any]:
    """Runs one engine's child, stopping it at the time cap or past max_rss_gb of RSS; a stopped child's row says so and
    carries its last progress line (eval/scale_engines.Progress), what it had done by then."""
    cmd = [sys.executable, "-m", "eval.bench_scale", "--child", engine, "--work", str(work), "--n", str(n)]
    cmd += ["--dense-only"] if dense_only else []
    progress = work / f"progress-{engine}.jsonl"
    progress.unlink(missing_ok=True)
    tmp = work / f"tmp-{engine}"  # the child's temporary files (milvus-lite's database): removed even if it is killed
    tmp.mkdir(exist_ok=True)
    with (work / f"{engine}.out").open("w") as so, (work / f"{engine}.err").open("w") as se:
        child = subprocess.Popen(cmd, stdout=so, stderr=se, text=True, env=os.environ | {"TMPDIR": str(tmp)})
        t, why = time.perf_counter(), ""
        while child.poll() is None:
            if time.perf_counter() - t > cap:
                why = f"not finished within the {cap:g} s cap"
            elif (rss := child_rss_gb(child.pid)) > max_rss_gb:
                why = f"stopped at {rss:.1f} GB of RSS (limit {max_rss_gb:g} GB)"
            if why:
                child.kill()
                child.wait()
                break
            time.sleep(2)
    shutil.rmtree(tmp, ignore_errors=True)
    if why:
        lines = progress.read_text("utf-8").splitlines() if progress.exists() else []
        last = json.loads(lines[-1]) if lines else None
        return {"engine": engine, "n": n, "failed": f"{why}; {so_far(last)}", "progress": last}
    if child.returncode == 0:
        return dict(json.loads((work / f"{engine}.out").read_text("utf-8").strip().splitlines()[-1]))
    tail = ((work / f"{engine}.err").read_text("utf-8").strip().splitlines() or ["?"])[-1]
    return {"engine": engine, "n": n, "failed": tail[:300]}


def child_rss_gb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    kb = next((int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")), 0)
    return kb / 2**20


def so_far(p: dict[str, Any] | None) -> str:
    """A stopped child's last progress line in words."""
    if p is None:
        return "no progress reported"
    if p["stage"].endswith(("add", "upsert")):
        rate = p["rows"] / p["stage_s"] if p["stage_s"] else 0.0
        done = f"{p['stage']}, {p['rows']:,} of {p['of']:,} rows in {p['stage_s']:,.0f} s ({rate:,.0f} rows/s)"
    else:
        done = f"{p['stage']} for {p['stage_s']:,.0f} s" + (f", {p['rows']:,} rows ingested" if p["rows"] else "")
    return (
        f"last progress at {p['s']:,.0f} s: {done}; RSS {p['rss_mb'] / 1024:.1f} GB, {p['cpu_s']:,.0f} s of CPU; "
        "no query figures"
    )


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


def main(
    n: int,
    engines: str,
    n_queries: int,
    cap: int,
    out: Path,
    draw: bool,
    lexical_once: bool = False,
    max_rss_gb: float = 14.0,
) -> None:
    chosen = [e.strip() for e in engines.split(",") if e.strip()]
    if bad := [e for e in chosen if e not in ENGINES]:
        raise SystemExit(f"error: unknown engine {bad[0]!r}; choose among {', '.join(ENGINES)}.")
    out.mkdir(parents=True, exist_ok=True)
    if n > 0:
        print(HEADER)
        bench(n, chosen, n_queries, cap, out, lexical_once, max_rss_gb)
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
