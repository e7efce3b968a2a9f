"""Runs a question set through an assistant and scores each answer; `summary` turns rows into metrics."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any, Protocol

from assistant.types import Answer
from eval import metrics as M
from eval.dataset import Question
from eval.summary import aggregate, group_of, groups_by, table
from index.retrieve import Mode

__all__ = ["Asker", "aggregate", "group_of", "run", "score", "table", "to_row", "write"]


class Asker(Protocol):
    """What the runner needs: `assistant.pipeline.Assistant` (with any retriever) fits."""

    def ask(
        self,
        question: str,
        history: list[str] | None = None,
        docs: Collection[str] | None = None,
        mode: Mode = "hybrid",
    ) -> Answer: ...


def score(q: Question, answer: Answer) -> dict[str, Any]:
    """Per-question scores from the gold evidence and the answer (definitions in eval/metrics.py)."""
    texts = [h.paragraph.searchable() for h in answer.hits[:10]]
    ev = [g.evidence for g in q.gold]
    matches = M.gold_hits(texts, ev)
    by_key = {h.key: h.paragraph for h in answer.hits}
    cites = [(c.key, c.quote) for s in answer.sentences for c in s.citations]
    s: dict[str, Any] = {
        "answerable": q.kind != "unanswerable",
        "refused": answer.refused,
        "evidence": M.parse_evidence(answer.notes),
        "context_chars": sum(len(h.paragraph.searchable()) for h in answer.hits),
        "citations": len(cites),
        "answer_chars": None if answer.refused else len(answer.text),
        "followup": q.turn > 1,
    }
    cites_gold = False
    if q.kind != "unanswerable":
        s.update(
            rank=M.gold_rank(matches, 10),
            hit1=M.hit_at(matches, 1),
            hit5=M.hit_at(matches, 5),
            hit10=M.hit_at(matches, 10),
            mrr10=M.mrr_at(matches, 10),
            recall10=M.recall_at(matches, len(ev), 10),
            ndcg10=M.ndcg_at(matches, len(ev), 10),
            key_coverage=M.key_coverage("" if answer.refused else answer.text, q.answer_keys),
            lead_key_coverage=M.key_coverage("" if answer.refused else M.lead(answer.text), q.answer_keys),
        )
        if cites:
            hits = [float(k in by_key and bool(M.gold_hits([by_key[k].searchable()], ev)[0])) for k, _ in cites]
            s["citation_precision"] = M.mean(hits)
            cites_gold = any(hits)
    if cites:
        s["citation_support"] = M.mean(
            [float(k in by_key and M.squash(quote) in M.squash(by_key[k].searchable())) for k, quote in cites]
        )
    s["cites_gold"] = cites_gold
    s["correct"] = M.is_correct(s["answerable"], answer.refused, s.get("key_coverage"), cites_gold)
    return s


def to_row(q: Question, answer: Answer) -> dict[str, Any]:
    """One line of results.jsonl: the issue-2 contract plus what reports and comparisons need."""
    d = answer.to_dict()
    ev = [g.evidence for g in q.gold]
    texts = [h.paragraph.searchable() for h in answer.hits[:10]]
    return {
        "id": q.id,
        "lang": q.lang,
        "kind": q.kind,
        "tags": q.styles,
        "question": q.question,
        "query": answer.query,
        "gold": [{"para": g.para, "evidence": g.evidence} for g in q.gold],
        "answer_keys": q.answer_keys,
        "retrieved": [
            {"key": h.key, "text": t, "score": round(h.score, 4), "gold": sorted(m)}
            for h, t, m in zip(answer.hits[:10], texts, M.gold_hits(texts, ev), strict=True)
        ],
        "answer": {
            "text": answer.text,
            "refused": answer.refused,
            "citations": [{"key": c["key"], "text": c["text"], "quote": c["quote"]} for c in d["citations"]],
        },
        "timings_ms": d["timings_ms"],
        "notes": answer.notes,
        "scores": score(q, answer),
    }


def run(
    questions: list[Question],
    assistant: Asker,
    mode: Mode = "hybrid",
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Every question through `assistant.ask` (conversation turns with the earlier turns as history).

    Returns the rows (one per scored question) and the metrics by language group (`all`, `en`, `zh`
    with zh-Hant folded in, then each finer language such as `zh-Hant`)."""
    rows: list[dict[str, Any]] = []
    history: dict[str, list[str]] = {}
    for i, q in enumerate(questions):
        hist = history.setdefault(q.conversation, []) if q.conversation else []
        answer = assistant.ask(q.question, hist, mode=mode)
        if q.conversation:
            hist.append(answer.query)
        rows.append(to_row(q, answer))
        if progress:
            progress(i + 1, len(questions))
    return rows, groups_by_language(rows)


def groups_by_language(rows: list[dict[str, Any]]) -> dict[str, Any]:
    groups: dict[str, Any] = {"all": aggregate(rows)}
    groups.update(groups_by(rows, lambda r: [group_of(r["lang"])]))
    fine = groups_by(rows, lambda r: [r["lang"]])
    groups.update({k: v for k, v in fine.items() if k not in groups})
    return groups


def write(out: Path, rows: list[dict[str, Any]], groups: dict[str, Any], extra: dict[str, Any]) -> None:
    """Write results.jsonl, metrics.json and table.md all at once (a temporary folder renamed into place).

    One configuration, no report; `eval.output.write_report` writes a whole multi-configuration run."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    with (tmp / "results.jsonl").open("w", encoding="utf-8") as fh:
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
