"""The scale benchmark's synthetic corpus and engines on the real built store (figures are printed by
`integrity bench --scale N`, never asserted: these check what the figures are made of)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from eval.bench_scale import so_far, supervise, write_work
from eval.scale_data import Sentences, calibration, exact_top, questions, sentences, synthesise
from eval.scale_engines import Progress, run
from index.embed import E5Embedder
from index.query import make_query
from index.store import Store, span_id


@pytest.fixture(scope="module")
def spans(store: Store) -> Sentences:
    return sentences(store)


def test_sentences_carry_their_real_vectors(spans: Sentences, store: Store) -> None:
    rows = {sid: i for i, sid in enumerate(store.span_ids)}
    assert len(spans.texts) > 500 and len(set(spans.texts)) == len(spans.texts)
    for i in (0, len(spans.texts) // 2, len(spans.texts) - 1):
        real = store.span_vectors[rows[span_id(store.embedder, spans.texts[i])]]
        assert np.array_equal(spans.vectors[i], real) and spans.tokens[i]


def test_synthetic_paragraphs_are_recombined_sentences(spans: Sentences) -> None:
    a, b = synthesise(spans, 3000, seed=1), synthesise(spans, 3000, seed=1, chunk=700)
    assert np.array_equal(a.combos, b.combos) and np.allclose(a.vectors, b.vectors)
    assert not np.array_equal(a.combos, synthesise(spans, 3000, seed=2).combos)
    assert np.allclose(np.linalg.norm(a.vectors, axis=1), 1.0, atol=1e-5)
    sizes = (a.combos >= 0).sum(axis=1)
    assert set(sizes.tolist()) == {1, 2, 3}
    for i in range(20):
        parts = [int(j) for j in a.combos[i] if j >= 0]
        assert a.text(i) == "".join(spans.texts[j] for j in parts)
        assert a.tokens(i) == [t for j in parts for t in spans.tokens[j]]
        summed = spans.vectors[parts].sum(axis=0)
        assert float(a.vectors[i] @ (summed / np.linalg.norm(summed))) > 0.85  # the sum, moved a little by noise


def test_sentence_sums_stand_for_paragraph_vectors(store: Store) -> None:
    assert calibration(store) > 0.9  # the README's 0.966: a sum of sentence vectors is close to e5 of the unit


def test_exact_top_is_exhaustive_search() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5000, 16)).astype(np.float32)
    q = rng.normal(size=(7, 16)).astype(np.float32)
    expected = np.argsort(-(q @ x.T), axis=1)[:, :10]
    assert np.array_equal(exact_top(x, q, 10, chunk=1234), expected)


@pytest.mark.parametrize("engine", ["flat", "hnsw", "milvus"])
def test_engines_measure_the_same_corpus(spans: Sentences, embedder: E5Embedder, engine: str, tmp_path: Path) -> None:
    corpus = synthesise(spans, 1500)
    qs = [make_query(text, lang) for text, lang in questions(8)]
    vectors = np.asarray(embedder.embed_batch([q.dense_text for q in qs], "query"), dtype=np.float32)
    progress = Progress(tmp_path / "progress.jsonl", 1500)
    r = run(engine, corpus, vectors, [list(q.tokens) for q in qs], [q.lexical_text for q in qs], True, progress)
    assert r["engine"] == engine and r["n"] == 1500 and r["ingest_rows_per_s"] > 0 and r["disk_mb"] > 0
    assert {"p50", "p95", "cpu_p50"} <= set(r["dense"]) and "lexical" in r and "hybrid" in r
    assert r["recall@10"] >= (0.999 if engine == "flat" else 0.8)  # exact; graphs on 1 500 rows miss little
    steps = [json.loads(x) for x in (tmp_path / "progress.jsonl").read_text("utf-8").splitlines()]
    ingest = "milvus: upsert" if engine == "milvus" else f"{engine}: add"
    assert steps[0]["stage"] == "exact search" and steps[-1]["stage"] == "queries"
    assert [s["rows"] for s in steps if s["stage"] == ingest][-1] == 1500
    assert all(s["of"] == 1500 and s["rss_mb"] > 0 and s["s"] >= 0 for s in steps)


@pytest.fixture
def work(spans: Sentences, embedder: E5Embedder, tmp_path: Path) -> Path:
    qs = [make_query(text, lang) for text, lang in questions(3)]
    write_work(tmp_path, spans, np.asarray(embedder.embed_batch([q.dense_text for q in qs], "query")), qs)
    return tmp_path


def test_an_engine_stopped_at_the_cap_reports_how_far_it_got(work: Path) -> None:
    r = supervise("hnsw", 300_000, 15, work, max_rss_gb=14, dense_only=True)  # minutes of build: stopped at 15 s
    assert r["failed"].startswith("not finished within the 15 s cap; last progress at ")
    assert r["progress"]["of"] == 300_000 and r["progress"]["rss_mb"] > 0
    assert r["failed"].endswith(
        f"RSS {r['progress']['rss_mb'] / 1024:.1f} GB, {r['progress']['cpu_s']:,.0f} s of CPU; no query figures"
    )


def test_an_engine_past_the_memory_limit_is_stopped(work: Path) -> None:
    r = supervise("flat", 300_000, 600, work, max_rss_gb=0.3, dense_only=True)  # 440 MB of vectors alone
    assert r["failed"].startswith("stopped at ") and "GB of RSS (limit 0.3 GB); " in r["failed"]
    assert not (work / "tmp-flat").exists()  # a stopped child's temporary files go with it


def test_progress_in_words() -> None:
    last = {"stage": "hnsw: add", "rows": 412_000, "of": 1_000_000, "stage_s": 3600, "s": 3650, "cpu_s": 3000}
    assert so_far(last | {"rss_mb": 9318}) == (
        "last progress at 3,650 s: hnsw: add, 412,000 of 1,000,000 rows in 3,600 s (114 rows/s); RSS 9.1 GB, "
        "3,000 s of CPU; no query figures"
    )
    assert so_far(last | {"stage": "bm25s", "rss_mb": 512, "stage_s": 40}).startswith(
        "last progress at 3,650 s: bm25s for 40 s, 412,000 rows ingested; RSS 0.5 GB"
    )
    assert so_far(None) == "no progress reported"
