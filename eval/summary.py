"""Scored rows into metrics: one group (`aggregate`), groups by a key, and Markdown tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eval import metrics as M

STAGES = ("prepare", "retrieve", "answer", "total")

# metric name -> (what it means) for the report's definitions section and table headers
DEFINITIONS: dict[str, str] = {
    "hit@1": "share of answerable questions with a gold paragraph at rank 1",
    "hit@5": "… in the top 5",
    "hit@10": "… in the top 10",
    "mrr@10": "mean reciprocal rank of the first gold paragraph (0 beyond 10)",
    "ndcg@10": "binary nDCG over the gold entries found in the top 10",
    "recall@10": "share of a question's gold entries found in the top 10",
    "key_coverage": "share of answer keys present anywhere in the answer text (refusal: 0); quoting more scores higher",
    "lead_key_coverage": "share of answer keys in the answer's lead: its text up to the first citation marker",
    "answer_chars": "mean characters of an answer (answered questions)",
    "citation_precision": "share of citations whose paragraph contains gold evidence",
    "citation_support": "share of citations whose paragraph contains the cited sentence (true by construction for "
    "the extractive generator, which quotes; a real check only for a model's sentences)",
    "answered_precision": "correct / answered (not refused)",
    "accuracy": "correct / all questions",
    "refused_unanswerable": "refusal rate on unanswerable questions (higher is better)",
    "refused_answerable": "over-refusal: refusal rate on answerable questions (lower is better)",
    "followup_hit@5": "hit@5 of the answerable later turns of conversations",
    "context_chars": "mean characters of the retrieved text handed to the answer stage",
}


def group_of(lang: str) -> str:
    return "zh" if lang.startswith("zh") else lang


def _avg(name: str, pool: Sequence[dict[str, Any]]) -> float | None:
    """Mean of a per-question score over the questions that have it; None when none has it."""
    vals = [float(p[name]) for p in pool if p.get(name) is not None]
    return round(M.mean(vals), 4) if vals else None


def _rate(flags: Sequence[bool]) -> float | None:
    return round(sum(flags) / len(flags), 4) if flags else None


def aggregate(rows: Sequence[dict[str, Any]]) -> dict[str, float | int | None]:
    """The metrics of one group of scored rows (see DEFINITIONS); None where the group has no question
    the metric applies to (retrieval metrics of unanswerable questions, key coverage without keys)."""
    scores = [r["scores"] for r in rows]
    ans = [s for s in scores if s["answerable"]]
    una = [s for s in scores if not s["answerable"]]
    correct = [bool(s.get("correct")) for s in scores]
    answered = [not s["refused"] for s in scores]
    out: dict[str, float | int | None] = {
        "n": len(rows),
        "answerable": len(ans),
        "unanswerable": len(una),
        "hit@1": _avg("hit1", ans),
        "hit@5": _avg("hit5", ans),
        "hit@10": _avg("hit10", ans),
        "mrr@10": _avg("mrr10", ans),
        "ndcg@10": _avg("ndcg10", ans),
        "recall@10": _avg("recall10", ans),
        "key_coverage": _avg("key_coverage", ans),
        "lead_key_coverage": _avg("lead_key_coverage", ans),
        "answer_chars": _avg("answer_chars", scores),
        "citation_precision": _avg("citation_precision", ans),
        "citation_support": _avg("citation_support", scores),
        "answered_precision": round(M.answered_precision(correct, answered), 4) if any(answered) else None,
        "accuracy": round(M.accuracy(correct), 4) if correct else None,
        "refused_unanswerable": _rate([bool(p["refused"]) for p in una]),
        "refused_answerable": _rate([bool(p["refused"]) for p in ans]),
        "followup_hit@5": _avg("hit5", [s for s in ans if s.get("followup")]),
        "context_chars": round(M.mean([float(s.get("context_chars", 0)) for s in scores]), 1),
    }
    for stage in STAGES:
        ms = [float(r["timings_ms"][stage]) for r in rows if stage in r.get("timings_ms", {})]
        prefix = "latency" if stage == "total" else stage
        out[f"{prefix}_p50_ms"] = round(M.percentile(ms, 50), 1)
        out[f"{prefix}_p95_ms"] = round(M.percentile(ms, 95), 1)
    return out


def groups_by(rows: Sequence[dict[str, Any]], keys: Callable[[dict[str, Any]], list[str]]) -> dict[str, Any]:
    """Metrics for each value of a key (a row may count in several groups, e.g. its tags), sorted."""
    buckets: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        for k in keys(r):
            buckets.setdefault(k, []).append(r)
    return {k: aggregate(buckets[k]) for k in sorted(buckets)}


def breakdowns(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """By kind and by style tag (typo, keyword, instruction, traditional, followup)."""
    return {
        "kind": groups_by(rows, lambda r: [r["kind"]]),
        "tag": groups_by(rows, lambda r: list(r.get("tags", []))),
    }


def fmt(v: Any) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) <= 1 else f"{v:.1f}"
    return str(v)


def table(groups: dict[str, Any]) -> str:
    """A Markdown table: one row per metric, one column per group."""
    cols = list(groups)
    names = [k for k in groups["all"] if k != "n"] if "all" in groups else list(next(iter(groups.values())))
    lines = ["| metric | " + " | ".join(f"{c} (n={groups[c]['n']})" for c in cols) + " |", "|---|" + "---|" * len(cols)]
    lines += [f"| {n} | " + " | ".join(fmt(groups[c].get(n, "")) for c in cols) + " |" for n in names]
    return "\n".join(lines)


def side_by_side(per_config: dict[str, dict[str, Any]], names: Sequence[str], group: str = "all") -> str:
    """One row per metric, one column per configuration, for one group (`all`, `en`, `kind:fact`…)."""
    cfgs = [c for c in per_config if group in per_config[c]]
    lines = ["| metric | " + " | ".join(cfgs) + " |", "|---|" + "---:|" * len(cfgs)]
    lines += [f"| {n} | " + " | ".join(fmt(per_config[c][group].get(n, "")) for c in cfgs) + " |" for n in names]
    return "\n".join(lines)


def by_group(per_config: dict[str, dict[str, Any]], groups: Sequence[str], names: Sequence[str]) -> str:
    """Rows: configuration × group; columns: the metrics named."""
    lines = ["| config | group | n | " + " | ".join(names) + " |", "|---|---|---:|" + "---:|" * len(names)]
    for c, gs in per_config.items():
        for g in groups:
            if g in gs:
                vals = " | ".join(fmt(gs[g].get(n, "")) for n in names)
                lines.append(f"| {c} | {g} | {gs[g]['n']} | {vals} |")
    return "\n".join(lines)
