"""Runs a question set through the assistant and scores it: results.jsonl, metrics.json, a table."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.pipeline import Assistant
from assistant.types import Answer
from eval import metrics as M
from eval.dataset import Question


def score(q: Question, answer: Answer) -> dict[str, Any]:
    """Per-question scores from the gold evidence and the answer."""
    texts = [h.paragraph.searchable() for h in answer.hits[:10]]
    ev = [g.evidence for g in q.gold]
    matches = M.gold_hits(texts, ev)
    by_key = {h.key: h.paragraph for h in answer.hits}
    cites = [(c.key, c.quote) for s in answer.sentences for c in s.citations]
    s: dict[str, Any] = {"answerable": q.kind != "unanswerable", "refused": answer.refused}
    if q.kind != "unanswerable":
        s.update(
            hit1=M.hit_at(matches, 1), hit5=M.hit_at(matches, 5), hit10=M.hit_at(matches, 10),
            mrr10=M.mrr_at(matches, 10), recall10=M.recall_at(matches, len(ev), 10),
            ndcg10=M.ndcg_at(matches, len(ev), 10),
            key_coverage=M.key_coverage("" if answer.refused else answer.text, q.answer_keys),
        )
        if cites:
            s["citation_precision"] = M.mean(
                [float(bool(M.gold_hits([by_key[k].searchable()], ev)[0])) if k in by_key else 0.0
                 for k, _ in cites]
            )
    if cites:
        s["citation_support"] = M.mean(
            [float(k in by_key and M.squash(quote) in M.squash(by_key[k].searchable())) for k, quote in cites]
        )
    return s


def aggregate(rows: list[dict[str, Any]]) -> dict[str, float | int]:
    ans = [r["scores"] for r in rows if r["scores"]["answerable"]]
    una = [r["scores"] for r in rows if not r["scores"]["answerable"]]

    def avg(name: str, pool: list[dict[str, Any]]) -> float:
        vals = [p[name] for p in pool if p.get(name) is not None]
        return round(M.mean(vals), 4)

    lat = [r["timings_ms"]["total"] for r in rows]
    return {
        "n": len(rows), "answerable": len(ans), "unanswerable": len(una),
        "hit@1": avg("hit1", ans), "hit@5": avg("hit5", ans), "hit@10": avg("hit10", ans),
        "mrr@10": avg("mrr10", ans), "ndcg@10": avg("ndcg10", ans), "recall@10": avg("recall10", ans),
        "key_coverage": avg("key_coverage", ans),
        "citation_precision": avg("citation_precision", ans),
        "citation_support": avg("citation_support", [r["scores"] for r in rows]),
        "refused_unanswerable": round(M.mean([float(p["refused"]) for p in una]), 4),
        "refused_answerable": round(M.mean([float(p["refused"]) for p in ans]), 4),
        "latency_p50_ms": round(M.percentile(lat, 50), 1), "latency_p95_ms": round(M.percentile(lat, 95), 1),
    }


def group_of(lang: str) -> str:
    return "zh" if lang.startswith("zh") else lang


def run(
    questions: list[Question], assistant: Assistant, mode: str = "hybrid",
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    history: dict[str, list[str]] = {}
    for i, q in enumerate(questions):
        hist = history.setdefault(q.conversation, []) if q.conversation else []
        answer = assistant.ask(q.question, hist, mode=mode)
        if q.conversation:
            hist.append(answer.query)
        d = answer.to_dict()
        rows.append({
            "id": q.id, "lang": q.lang, "kind": q.kind, "question": q.question, "query": answer.query,
            "retrieved": [
                {"key": h.key, "text": h.paragraph.text, "score": round(h.score, 4)} for h in answer.hits[:10]
            ],
            "answer": {"text": answer.text, "refused": answer.refused, "citations": [
                {"key": c["key"], "text": c["text"], "quote": c["quote"]} for c in d["citations"]
            ]},
            "timings_ms": d["timings_ms"], "notes": answer.notes,
            "scores": score(q, answer),
        })
        if progress:
            progress(i + 1, len(questions))
    groups: dict[str, Any] = {"all": aggregate(rows)}
    for lang in sorted({group_of(r["lang"]) for r in rows}):
        groups[lang] = aggregate([r for r in rows if group_of(r["lang"]) == lang])
    for lang in sorted({r["lang"] for r in rows} - set(groups)):
        groups[lang] = aggregate([r for r in rows if r["lang"] == lang])
    return rows, groups


def table(groups: dict[str, Any]) -> str:
    """A Markdown table: one row per metric, one column per language group."""
    cols = list(groups)
    names = [k for k in groups["all"] if k not in ("n",)]
    lines = ["| metric | " + " | ".join(f"{c} (n={groups[c]['n']})" for c in cols) + " |",
             "|---|" + "---|" * len(cols)]
    lines += [f"| {n} | " + " | ".join(str(groups[c][n]) for c in cols) + " |" for n in names]
    return "\n".join(lines)


def write(out: Path, rows: list[dict[str, Any]], groups: dict[str, Any], extra: dict[str, Any]) -> None:
    """Write results.jsonl and metrics.json all at once (a temporary folder renamed into place)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    with open(tmp / "results.jsonl", "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    meta = {**extra, "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (tmp / "metrics.json").write_text(json.dumps({"meta": meta, "metrics": groups}, indent=1), "utf-8")
    (tmp / "table.md").write_text(table(groups) + "\n", "utf-8")
    if out.exists():
        for f in tmp.iterdir():
            f.replace(out / f.name)
        tmp.rmdir()
    else:
        tmp.rename(out)
