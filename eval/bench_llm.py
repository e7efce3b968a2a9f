"""Benchmark a model generator beside the extractive one: speed and answer quality. Prints; asserts nothing.

    integrity bench --generator local [--questions eval/questions/check.jsonl] [--sample 24] [--out DIR]

Speed (llama.cpp's own timings, from the finishing chunk of each streamed reply): prompt tokens and prefill
tokens/s, generated tokens and decode tokens/s, time to first token (from the question: preparing and
retrieving included) and time per answer. Quality on the same turns, for both generators: lead key coverage
(the answer up to its first citation marker; for English questions only the answer keys holding a digit, since
an English answer cannot hold a Chinese key), citation precision (cited paragraphs holding gold evidence),
the share of the model's sentences that verification dropped, fallbacks to the extractive answer, refusals.

`--sample N` takes N standalone turns of the set, evenly spaced, half Chinese and half English (conversation
turns need their history and are left out): a model on 2 shared cores takes one to three minutes an answer,
so the whole check set (247 turns) would take hours. `--sample 0` takes every standalone turn.
"""

from __future__ import annotations

import json
import re
import resource
import time
from pathlib import Path
from typing import Any

from assistant import verify
from assistant.generate_openai import OpenAIGenerator
from assistant.pipeline import Assistant, load_store
from assistant.registry import make_embedder
from assistant.settings import Settings
from assistant.types import Answer
from eval import dataset
from eval import metrics as M
from eval.runner import score

DIGIT = re.compile(r"\d")
VERIFIED = re.compile(r"^verified: (\d+) of (\d+) sentences")


def sample(path: Path, n: int) -> list[dataset.Question]:
    qs = [q for q in dataset.load(path) if not q.conversation]
    if n <= 0 or n >= len(qs):
        return qs
    out: list[dataset.Question] = []
    for en, want in ((False, n - n // 2), (True, n // 2)):
        group = [q for q in qs if (q.lang == "en") == en]
        out += [group[int(i * len(group) / want)] for i in range(min(want, len(group)))]
    return out


def lead_keys(q: dataset.Question) -> list[str]:
    """The keys lead key coverage counts: all of them for Chinese, those with a digit for English."""
    return [k for k in q.answer_keys if q.lang != "en" or DIGIT.search(k)]


def sentences_written(a: Answer) -> tuple[int, int]:
    """(sentences the model wrote, sentences verification dropped) from the answer's notes."""
    dropped = sum(n.startswith("unsupported sentence dropped") for n in a.notes)
    for n in a.notes:
        m = VERIFIED.match(n)
        if m:
            return int(m.group(2)), dropped
    return dropped, dropped  # fell back with none supported: every sentence it wrote was dropped


def timed(a: Assistant, q: dataset.Question) -> tuple[Answer, float, float | None, str]:
    """The answer, seconds it took, seconds to the model's first piece (None: no piece came), the model's raw
    reply ("" when none came)."""
    t = time.perf_counter()
    first: float | None = None
    final: Answer | None = None
    raw = ""
    for part in a.ask_stream(q.question):
        if isinstance(part, Answer):
            final = part
        elif isinstance(part, str):
            raw = part
            if first is None:
                first = time.perf_counter() - t
    assert final is not None
    return final, time.perf_counter() - t, first, raw


def row(
    q: dataset.Question, a: Answer, seconds: float, ttft: float | None, timings: dict[str, Any], raw: str, context: int
) -> dict[str, Any]:
    s = score(q, a)
    keys = lead_keys(q)
    written, dropped = sentences_written(a)
    return {
        "id": q.id,
        "lang": q.lang,
        "kind": q.kind,
        "answerable": q.kind != "unanswerable",
        "refused": a.refused,
        "generator": a.generator,
        "text": a.text,
        "lead_key_coverage": M.key_coverage("" if a.refused else M.lead(a.text), keys) if keys else None,
        "citation_precision": s.get("citation_precision"),
        "fallback": any(n.startswith("fallback to extractive") for n in a.notes),
        "declined": any(n.startswith("declined") for n in a.notes),
        "written": written,
        "dropped": dropped,
        "seconds": round(seconds, 2),
        "ttft": None if ttft is None else round(ttft, 2),
        "timings": timings,
        "notes": a.notes,
        "reply": raw,  # the model's raw text, for labelling its sentences (eval/verify)
        "context": [{"key": h.key, "text": verify.cited_text(h.paragraph)} for h in a.hits[:context]] if raw else [],
    }


def mean(rows: list[dict[str, Any]], field: str) -> float | None:
    vals = [r[field] for r in rows if r.get(field) is not None]
    return sum(vals) / len(vals) if vals else None


def summary(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["answerable"]]
    t = [r["timings"] for r in rows if r["timings"]]
    written = sum(r["written"] for r in rows)
    return {
        "turns": len(rows),
        "lead_key_coverage": mean(answerable, "lead_key_coverage"),
        "lead_key_coverage_zh": mean([r for r in answerable if r["lang"] != "en"], "lead_key_coverage"),
        "lead_key_coverage_en": mean([r for r in answerable if r["lang"] == "en"], "lead_key_coverage"),
        "citation_precision": mean(answerable, "citation_precision"),
        "refused": sum(r["refused"] for r in rows),
        "dropped_share": sum(r["dropped"] for r in rows) / written if written else None,
        "written": written,
        "fallbacks": sum(r["fallback"] for r in rows),
        "declined": sum(r["declined"] for r in rows),
        "seconds_per_answer": mean(rows, "seconds"),
        "ttft": mean(rows, "ttft"),
        "prompt_tokens": sum(x.get("prompt_n", 0) for x in t) / len(t) if t else None,
        "prefill_tps": sum(x.get("prompt_n", 0) for x in t) / (sum(x.get("prompt_ms", 0) for x in t) / 1000 or 1)
        if t
        else None,
        "decode_tps": sum(x.get("predicted_n", 0) for x in t) / (sum(x.get("predicted_ms", 0) for x in t) / 1000 or 1)
        if t
        else None,
        "generated_tokens": sum(x.get("predicted_n", 0) for x in t) / len(t) if t else None,
    }


LABELS = [
    ("turns", "turns (standalone, evenly spaced)"),
    ("lead_key_coverage", "lead key coverage (en: digit keys)"),
    ("lead_key_coverage_zh", "… Chinese questions"),
    ("lead_key_coverage_en", "… English questions (digit keys)"),
    ("citation_precision", "citation precision"),
    ("refused", "refused (decided in code, or declined)"),
    ("written", "sentences the model wrote"),
    ("dropped_share", "share of them dropped by verification"),
    ("fallbacks", "fallbacks to the extractive answer"),
    ("declined", "model declined (NO_ANSWER)"),
    ("seconds_per_answer", "seconds per answer"),
    ("ttft", "time to first token, s"),
    ("prompt_tokens", "prompt tokens per answer"),
    ("prefill_tps", "prefill tokens/s"),
    ("generated_tokens", "generated tokens per answer"),
    ("decode_tps", "decode tokens/s"),
]


def fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if v < 10 else f"{v:.1f}"
    return str(v)


def table(base: dict[str, Any], model: dict[str, Any], name: str) -> str:
    lines = [f"| figure | extractive | {name} |", "|---|---:|---:|"]
    lines += [f"| {label} | {fmt(base.get(k))} | {fmt(model.get(k))} |" for k, label in LABELS]
    return "\n".join(lines)


def bench(settings: Settings, generator: str, questions: Path, n: int, out: Path | None) -> None:
    embedder = make_embedder(settings.index)
    store = load_store(settings.index, embedder, True)
    base = Assistant(settings.replace(generator="extractive"), store, embedder)
    t = time.perf_counter()
    model = Assistant(settings.replace(generator=generator), store, embedder)
    print(f"{generator} generator ready in {time.perf_counter() - t:.1f} s (the local server loads its model)")
    qs = sample(questions, n)
    print(f"{len(qs)} turns of {questions} (standalone, evenly spaced; --sample {n})", flush=True)
    rows: dict[str, list[dict[str, Any]]] = {"extractive": [], generator: []}
    for i, q in enumerate(qs, start=1):
        for name, a in (("extractive", base), (generator, model)):
            ans, secs, ttft, raw = timed(a, q)
            timings = a.generator.link.timings if isinstance(a.generator, OpenAIGenerator) else {}
            ctx = settings.llm.openai_context
            rows[name].append(row(q, ans, secs, ttft if name != "extractive" else None, timings, raw, ctx))
        r = rows[generator][-1]
        print(f"{i:3}/{len(qs)} {q.id:14} {r['seconds']:6.1f} s  {r['generator']:10} {r['text'][:60]!r}", flush=True)
        if out is not None:  # after every turn, so that a run cut short keeps what it measured
            write(out, rows, generator)
    sums = {k: summary(v) for k, v in rows.items()}
    print(table(sums["extractive"], sums[generator], generator))
    print(f"peak memory (this process): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def write(out: Path, rows: dict[str, list[dict[str, Any]]], generator: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rs in rows.items():
        with (out / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            f.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rs)
    sums = {k: summary(v) for k, v in rows.items()}
    (out / "summary.json").write_text(json.dumps(sums, indent=1), "utf-8")
    (out / "table.md").write_text(table(sums["extractive"], sums[generator], generator) + "\n", "utf-8")
