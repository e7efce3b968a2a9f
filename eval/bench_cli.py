"""`integrity bench`: figures printed, nothing asserted. The command's options, dispatched to the benchmark that
runs (eval/bench.py, bench_brief.py, bench_llm.py, bench_scale.py), each imported only when asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from assistant.settings import Settings


def bench(
    brief: Annotated[bool, typer.Option("--brief", help="Time facilitator briefs instead (warm, per theme).")] = False,
    generator: Annotated[
        str | None,
        typer.Option(help="Benchmark a model generator (local or openai) beside the extractive one instead."),
    ] = None,
    questions: Annotated[
        Path, typer.Option(help="Question set for --generator (a fixed sample of it: --sample).")
    ] = Path("eval/questions/check.jsonl"),
    sample: Annotated[int, typer.Option(help="Turns taken from the set, evenly spaced; 0: all of them.")] = 24,
    scale: Annotated[
        int | None, typer.Option("--scale", help="Stores on N synthetic paragraphs instead (eval/bench_scale.py).")
    ] = None,
    engines: Annotated[str, typer.Option(help="With --scale: engines to run.")] = "flat,ivf,hnsw,milvus",
    queries: Annotated[int, typer.Option(help="With --scale: check questions timed.")] = 100,
    cap: Annotated[int, typer.Option(help="With --scale: seconds an engine may take.")] = 3600,
    max_rss: Annotated[float, typer.Option(help="With --scale: GB of RSS at which an engine is stopped.")] = 14.0,
    plot: Annotated[bool, typer.Option("--plot", help="With --scale: plot latency against N.")] = False,
    lexical_once: Annotated[
        bool, typer.Option("--lexical-once", help="With --scale: bm25s timed with flat only, not again per index.")
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            help="With --generator: each answer and the figures; with --scale: results.jsonl, latency.png "
            "(default out/bench-scale)."
        ),
    ] = None,
) -> None:
    """Print build, re-ingest, cold-start and per-stage latency figures and peak memory (nothing is asserted);
    with --generator: a model's speed (prefill and decode tokens/s, time to first token, per answer) and its
    answers' quality beside the extractive generator's.

    Example: integrity bench   or   integrity bench --brief   or   integrity bench --generator local   or
    integrity bench --scale 100000 --plot
    """
    if generator is not None:
        from eval.bench_llm import bench as run_llm_bench

        run_llm_bench(Settings(), generator, questions, sample, out)
        return
    if scale is not None:
        from eval.bench_scale import main as run_scale

        run_scale(scale, engines, queries, cap, out or Path("out/bench-scale"), plot, lexical_once, max_rss)
        return
    if brief:
        from eval.bench_brief import bench as run_brief_bench

        run_brief_bench(Settings())
        return
    from eval.bench import main as run_bench

    run_bench()
