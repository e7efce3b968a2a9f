"""report.md: the configurations side by side, by language, kind and style, latency, plots, definitions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eval import metrics as M
from eval.plots import evidence_scores
from eval.suite import ConfigRun
from eval.summary import DEFINITIONS, by_group, fmt, side_by_side

RETRIEVAL = ["hit@1", "hit@5", "hit@10", "mrr@10", "ndcg@10", "recall@10"]
ANSWERS = [
    "lead_key_coverage",
    "key_coverage",
    "answer_chars",
    "citation_precision",
    "citation_support",
    "answered_precision",
    "accuracy",
    "refused_unanswerable",
    "refused_answerable",
    "followup_hit@5",
]
OVERALL = [*RETRIEVAL, *ANSWERS, "context_chars", "latency_p50_ms", "latency_p95_ms"]
STAGE_COLS = [
    "prepare_p50_ms",
    "prepare_p95_ms",
    "retrieve_p50_ms",
    "retrieve_p95_ms",
    "answer_p50_ms",
    "answer_p95_ms",
    "latency_p50_ms",
    "latency_p95_ms",
    "context_chars",
]
README_COLS = [
    ("zh", "hit@5"),
    ("en", "hit@5"),
    ("zh", "mrr@10"),
    ("en", "mrr@10"),
    ("all", "lead_key_coverage"),
    ("all", "key_coverage"),
    ("all", "citation_precision"),
    ("all", "refused_unanswerable"),
    ("all", "refused_answerable"),
    ("all", "followup_hit@5"),
]


def index_name(build: Any) -> str:
    return str(build.get("name", build)) if isinstance(build, dict) else str(build)


def readme_table(per_config: dict[str, dict[str, Any]]) -> str:
    """The compact table for the README: hit@5 and MRR@10 by language, then the answer metrics."""
    head = " | ".join(f"{m} {g}" if g != "all" else m for g, m in README_COLS)
    lines = [f"| configuration | {head} |", "|---|" + "---:|" * len(README_COLS)]
    for name, gs in per_config.items():
        vals = " | ".join(fmt(gs[g].get(m, "")) if g in gs else "–" for g, m in README_COLS)
        lines.append(f"| {name} | {vals} |")
    return "\n".join(lines)


def configs_table(runs: Sequence[ConfigRun], primary: str) -> str:
    lines = [
        "| configuration | pipeline | retrieval | settings overrides | run (s) | description |",
        "|---|---|---|---|---:|---|",
    ]
    for r in runs:
        p = r.preset
        over = ", ".join(f"`{k}={v}`" for k, v in p.overrides.items()) or "–"
        name = f"**{p.name}** (primary)" if p.name == primary else p.name
        lines.append(f"| {name} | {p.pipeline} | {p.mode} | {over} | {r.info.get('seconds', '')} | {p.description} |")
    return "\n".join(lines)


def refusal_text(runs: Sequence[ConfigRun]) -> list[str]:
    grid = [i / 100 for i in range(101)]
    lines = [
        "| configuration | threshold now | unanswerable refused | over-refusal | best threshold "
        "(over-refusal ≤ 0.05) | unanswerable refused there | over-refusal there |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        ans, una = evidence_scores(r.rows)
        t = float(r.info.get("refusal_threshold", 0.0))
        now = M.refusal_curve(ans, una, [t])[0]
        best = M.best_threshold(M.refusal_curve(ans, una, grid))
        lines.append(
            f"| {r.preset.name} | {t:g} | {now[1]:.3f} | {now[2]:.3f} | {best[0]:.2f} | {best[1]:.3f} | {best[2]:.3f} |"
        )
    return [
        *lines,
        "",
        "Computed from each question's evidence score (`evidence=` in its notes), without a "
        "re-run. The rule is `refused = evidence < threshold`; the assistant also refuses when the "
        "generator finds no sentence to quote, so the measured rates above can differ slightly from "
        "the curve's at the same threshold.",
    ]


def definitions(runs: Sequence[ConfigRun]) -> list[str]:
    out = ["## Definitions", ""]
    out += [f"- **{k}**: {v}" for k, v in DEFINITIONS.items()]
    out += [
        "- **correct** (LitQA2 sense): an answerable question is correct when it is not refused, its "
        "answer-key coverage is ≥ 0.5 (no keys: no condition) and at least one citation's paragraph contains "
        "gold evidence; an unanswerable question is correct when it is refused. **answered_precision** = "
        "correct / answered, **accuracy** = correct / all.",
        "- A retrieved paragraph **hits** a gold entry when its text (heading path, body, footnotes), all "
        "whitespace removed, contains the evidence with all whitespace removed. Retrieval metrics count "
        "answerable questions only; conversations are scored turn by turn (`conv-01#2`) with the earlier "
        "turns as history.",
        "- **latency**: `timings_ms` of each answer (prepare: language, instruction stripping, condensing; "
        "retrieve; answer: evidence score, refusal, generation; total). p50/p95 over the questions of a run.",
        "- **context_chars**: characters of all retrieved hits handed to the answer stage (top_k of them), "
        "the text a generator could read; large chunks buy recall with context.",
        "- Every configuration answers with the same evidence score and refusal threshold, calibrated for "
        "hybrid. The score uses the dense similarity of the top hits, which a lexical-only run does not have, "
        "so bm25 refuses far more: its answer columns show that, its retrieval columns its ranking.",
    ]
    for r in runs:
        if r.preset.pipeline == "llamaindex":
            out.append(
                f"- **{r.preset.name}**: llama-index {r.info.get('splitter')} chunks "
                f"({r.info.get('chunks')} chunks, mean {r.info.get('mean_chunk_chars')} characters) from "
                "SimpleDirectoryReader over the corpus folder, embedded by our e5 embedder passed as "
                "`embed_model` (global Settings untouched), VectorStoreIndex retriever top 10, no LLM. Its "
                "question is our prepared query (instructions stripped, traditional → simplified, follow-ups "
                "condensed) without the glossary; its **answer** is our extractive generator over its chunks, "
                "with our evidence score and refusal threshold. Its hits are cited as `DOC (chunk N)`."
            )
    return [*out, ""]


def render(runs: Sequence[ConfigRun], primary: str, meta: dict[str, Any], plots: Sequence[str]) -> str:
    per = {r.preset.name: r.groups for r in runs}
    first = next(r for r in runs if r.preset.name == primary)
    g = first.groups["all"]
    langs = [k for k in first.groups if k != "all"]
    out = [
        f"# Evaluation report: `{meta.get('questions')}`",
        "",
        f"{g['n']} scored questions ({g['answerable']} answerable, {g['unanswerable']} unanswerable), "
        f"created {meta.get('created')}, index `{index_name(meta.get('index'))}`. Regenerate with:",
        "",
        f"    {meta.get('command')}",
        "",
        f"Latency is wall time on the machine that ran it ({meta.get('cpus', '?')} CPUs; 1-minute load average "
        f"{meta.get('load_average', '?')} before and after the run): other processes inflate it.",
        "",
        "Misses with their question, gold evidence and retrieved paragraphs: [failures.md](failures.md) "
        f"({primary}); every configuration's own in `CONFIG/failures.md`.",
        "",
        "## Configurations",
        "",
        configs_table(runs, primary),
        "",
        "## Side by side (all questions)",
        "",
        side_by_side(per, OVERALL),
        "",
        "## README table",
        "",
        readme_table(per),
        "",
        "## Retrieval by language",
        "",
        by_group(per, langs, RETRIEVAL),
        "",
        "## Answers by language",
        "",
        by_group(per, langs, ANSWERS),
        "",
    ]
    for title, key in (("kind", "kind"), ("style", "tag")):
        bd = {r.preset.name: r.breakdowns[key] for r in runs}
        names = list(first.breakdowns[key])
        out += [
            f"## By question {title}",
            "",
            by_group(
                bd, names, ["hit@5", "mrr@10", "key_coverage", "accuracy", "refused_answerable", "refused_unanswerable"]
            ),
            "",
        ]
    out += [
        "## Latency per stage (ms) and context",
        "",
        by_group(per, ["all"], STAGE_COLS),
        "",
        "## Refusal threshold",
        "",
        *refusal_text(runs),
        "",
        "## Plots",
        "",
    ]
    captions = {
        "hit_at_k.png": "hit@k per configuration",
        "latency.png": "latency distribution per stage",
        "kinds.png": "by question kind and style",
        "refusal_threshold.png": "refusal threshold curve",
    }
    out += [f"![{captions.get(p, p)}](plots/{p})\n" for p in plots]
    out += definitions(runs)
    return "\n".join(out)
