"""failures.md: every miss of a configuration with the question, the gold evidence and what was retrieved."""

from __future__ import annotations

from typing import Any

from index.text import shorten


def reasons(row: dict[str, Any]) -> list[str]:
    """Why a row counts as a miss (empty: it does not). Retrieval misses are gold outside the top 5."""
    s = row["scores"]
    if not s["answerable"]:
        return [] if s["refused"] else [f"answered an unanswerable question (evidence {s.get('evidence')})"]
    out = []
    rank = s.get("rank")
    if rank is None or rank > 5:
        out.append("gold not in top 5" + (f" (rank {rank})" if rank else " (not in top 10)"))
    if s["refused"]:
        out.append(f"refused (evidence {s.get('evidence')})")
    elif not s.get("correct"):
        cov = s.get("key_coverage")
        why = [
            f"key coverage {cov:.2f}" if cov is not None and cov < 0.5 else "",
            "" if s.get("cites_gold") else "no citation on gold",
        ]
        out.append("answer not correct (" + ", ".join(w for w in why if w) + ")")
    return out


CATEGORIES = (
    ("Retrieval misses (gold not in the top 5)", lambda r: r.startswith("gold not")),
    ("Over-refusals (answerable, refused)", lambda r: r.startswith("refused")),
    ("Wrong answers (answered, not correct)", lambda r: r.startswith("answer not")),
    ("Unanswerable questions answered", lambda r: r.startswith("answered an")),
)


def entry(row: dict[str, Any], why: list[str]) -> list[str]:
    tags = ", ".join(row.get("tags", []))
    head = f"### {row['id']} ({row['lang']}, {row['kind']}{'; ' + tags if tags else ''})"
    lines = [head, "", f"- **why:** {'; '.join(why)}", f"- **question:** {row['question']}"]
    if row.get("query") and row["query"] != row["question"]:
        lines.append(f"- **query searched:** {row['query']}")
    for g in row.get("gold", []):
        lines.append(f"- **gold:** {g.get('para') or '?'}: 「{g['evidence']}」")
    if row.get("answer_keys"):
        lines.append(f"- **answer keys:** {' · '.join(row['answer_keys'])}")
    a = row["answer"]
    cites = ", ".join(c["key"] for c in a.get("citations", [])) or "none"
    lines.append(f"- **answer** ({'refused' if a['refused'] else 'cites ' + cites}): {shorten(a['text'], 200)}")
    lines.append("- **retrieved:**")
    for i, h in enumerate(row.get("retrieved", [])[:5], start=1):
        mark = " **✓ gold**" if h.get("gold") else ""
        lines.append(f"  {i}. `{h['key']}` ({h['score']}){mark} {shorten(h['text'], 140)}")
    return [*lines, ""]


def render(rows: list[dict[str, Any]], config: str) -> str:
    """The Markdown of all misses, grouped by category (a question appears under its first reason)."""
    missed = [(r, reasons(r)) for r in rows]
    missed = [(r, w) for r, w in missed if w]
    out = [
        f"# Failures: {config}",
        "",
        f"{len(missed)} of {len(rows)} questions missed somewhere. Retrieved: the top 5 with their fused "
        "score; ✓ marks a paragraph that contains gold evidence.",
        "",
    ]
    for title, match in CATEGORIES:
        group = [(r, w) for r, w in missed if match(w[0])]
        out += [f"## {title}: {len(group)}", ""]
        for r, w in group:
            out += entry(r, w)
    return "\n".join(out).rstrip() + "\n"
