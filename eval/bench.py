"""Benchmark: cold build, unchanged re-ingest, process start to first answer, warm per-stage latency,
peak memory. Prints figures; asserts nothing. Run: `integrity bench` or `python -m eval.bench`."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from assistant.settings import Settings
from eval.metrics import percentile

QUESTIONS = [
    "我觉得自己因为举报而遭到报复，应该找谁？",
    "道德操守办公室2020年收到多少服务请求？",
    "财务披露方案的合规率是多少？",
    "2021年领导力对话的主题是什么？",
    "How do I report misconduct?",
    "Am I protected if I report wrongdoing?",
    "What did the Ethics Office do in 2020?",
    "How many financial disclosure filers were there in 2020?",
    "什么是授权制度？",
    "首协会如何处理性骚扰问题？",
]


def main() -> None:
    from assistant.pipeline import Assistant, ingest
    from assistant.registry import make_embedder

    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.of(data_dir=Path(tmp))
        t = time.perf_counter()
        embedder = make_embedder(settings.index)
        store, report = ingest([settings.index.corpus_dir], settings.index, embedder)
        cold = time.perf_counter() - t
        print(
            f"cold build of the bundled corpus: {cold:.1f} s "
            f"({len(store.documents)} documents, {len(store.units)} units, {report.embedded} texts embedded)"
        )
        t = time.perf_counter()
        _, report = ingest([settings.index.corpus_dir], settings.index, embedder)
        print(f"re-ingest, nothing changed: {time.perf_counter() - t:.2f} s ({report.embedded} texts embedded)")

        env = {**os.environ, "INTEGRITY_DATA_DIR": tmp}
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "assistant.cli", "ask", QUESTIONS[0]], env=env, check=True, capture_output=True
        )
        print(f"`integrity ask` from a cold process: {time.perf_counter() - t:.2f} s")

        a = Assistant(settings, store, embedder)
        for q in QUESTIONS:  # warm up
            a.ask(q)
        stages: dict[str, list[float]] = {}
        for _ in range(5):
            for q in QUESTIONS:
                a.retriever.forget_queries()  # every ask embeds its question, as a new one would
                for k, v in a.ask(q).timings_ms.items():
                    stages.setdefault(k, []).append(v)
        print("warm ask latency per stage (ms), 50 asks:")
        for stage, ms in stages.items():
            print(f"  {stage:9} p50 {percentile(ms, 50):7.1f}   p95 {percentile(ms, 95):7.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (this process): {peak:.0f} MB")


if __name__ == "__main__":
    main()
