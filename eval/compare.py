"""`integrity eval --compare A_DIR B_DIR`: what changed between two runs, question by question, and the
metric deltas. A_DIR/B_DIR are eval output folders (a run's own results) or one configuration's
subfolder (`out/dev/bm25`), so two configurations of one run compare the same way."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eval.output import compact
from eval.summary import fmt
from index.errors import InputError

METRICS = [
    "hit@1",
    "hit@5",
    "hit@10",
    "mrr@10",
    "ndcg@10",
    "recall@10",
    "key_coverage",
    "citation_precision",
    "citation_support",
    "answered_precision",
    "accuracy",
    "refused_unanswerable",
    "refused_answerable",
    "latency_p50_ms",
    "latency_p95_ms",
]
MISS = 11  # a rank beyond the top 10


def load(folder: Path) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, Any]]:
    """(compact rows, metrics by group, meta) of an eval output folder."""
    mf = folder / "metrics.json"
    if not mf.is_file():
        raise InputError(f"{folder}: not an eval output folder (no metrics.json); give the --out of a run.")
    try:
        doc = json.loads(mf.read_text("utf-8"))
        if (folder / "scores.jsonl").is_file():
            lines = (folder / "scores.jsonl").read_text("utf-8").splitlines()
            rows = [json.loads(x) for x in lines if x.strip()]
        else:
            lines = (folder / "results.jsonl").read_text("utf-8").splitlines()
            rows = [compact(json.loads(x)) for x in lines if x.strip()]
        return rows, doc["metrics"], doc.get("meta", {})
    except (OSError, ValueError, KeyError) as e:
        raise InputError(f"{folder}: unreadable eval results ({e}); run the evaluation again.") from e


def question_changes(a: dict[str, Any], b: dict[str, Any]) -> tuple[list[str], int]:
    """What changed for one question between runs A and B, and the sign of it (+ better, - worse)."""
    notes: list[str] = []
    sign = 0
    if a.get("answerable", True):
        ra, rb = a.get("rank") or MISS, b.get("rank") or MISS
        if ra != rb:
            notes.append(f"rank {a.get('rank') or '—'} → {b.get('rank') or '—'}")
            sign += 1 if rb < ra else -1
    if bool(a.get("refused")) != bool(b.get("refused")):
        now = "refused" if b.get("refused") else "answered"
        notes.append(f"{'answered' if now == 'refused' else 'refused'} → {now}")
        good = (now == "refused") != bool(a.get("answerable", True))
        sign += 1 if good else -1
    ka, kb = a.get("key_coverage"), b.get("key_coverage")
    if ka is not None and kb is not None and abs(ka - kb) >= 0.005:
        notes.append(f"keys {ka:.2f} → {kb:.2f}")
        sign += 1 if kb > ka else -1
    if bool(a.get("correct")) != bool(b.get("correct")):
        notes.append("wrong → correct" if b.get("correct") else "correct → wrong")
        sign += 2 if b.get("correct") else -2
    return notes, sign


def changes(a_rows: list[dict[str, Any]], b_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-question changes (better, worse, mixed) and the questions only one run has."""
    a_by, b_by = {r["id"]: r for r in a_rows}, {r["id"]: r for r in b_rows}
    out: dict[str, Any] = {
        "better": [],
        "worse": [],
        "mixed": [],
        "only_a": [i for i in a_by if i not in b_by],
        "only_b": [i for i in b_by if i not in a_by],
    }
    for qid, a in a_by.items():
        if qid not in b_by:
            continue
        notes, sign = question_changes(a, b_by[qid])
        if notes:
            key = "better" if sign > 0 else "worse" if sign < 0 else "mixed"
            out[key].append({"id": qid, "question": a.get("question", ""), "lang": a.get("lang"), "notes": notes})
    return out


def deltas(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Markdown: one row per metric, per group `B (Δ vs A)`."""
    groups = [g for g in a if g in b]
    lines = ["| metric | " + " | ".join(groups) + " |", "|---|" + "---:|" * len(groups)]
    for m in METRICS:
        cells = []
        for g in groups:
            va, vb = a[g].get(m), b[g].get(m)
            if va is None or vb is None:
                cells.append("–")
            else:
                d = vb - va
                cells.append(f"{fmt(vb)} ({'+' if d >= 0 else ''}{fmt(float(d))})" if d else fmt(vb))
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render(a_dir: Path, b_dir: Path) -> str:
    a_rows, a_m, a_meta = load(a_dir)
    b_rows, b_m, b_meta = load(b_dir)
    ch = changes(a_rows, b_rows)
    n = len(ch["better"]) + len(ch["worse"]) + len(ch["mixed"])
    out = [
        f"A = {a_dir} ({a_meta.get('created', '?')}), B = {b_dir} ({b_meta.get('created', '?')})",
        f"{n} of {len(a_rows)} questions changed: {len(ch['better'])} better, {len(ch['worse'])} worse, "
        f"{len(ch['mixed'])} mixed.",
        "",
    ]
    for key, title in (("worse", "Worse in B"), ("better", "Better in B"), ("mixed", "Mixed")):
        if ch[key]:
            out.append(f"## {title} ({len(ch[key])})")
            out += [f"- {c['id']} [{c['lang']}] {'; '.join(c['notes'])} — {c['question'][:70]}" for c in ch[key]]
            out.append("")
    for key, title in (("only_a", "Only in A"), ("only_b", "Only in B")):
        if ch[key]:
            out += [f"## {title} ({len(ch[key])})", ", ".join(ch[key]), ""]
    out += ["## Metric deltas (B, and B − A)", "", deltas(a_m, b_m)]
    return "\n".join(out)
