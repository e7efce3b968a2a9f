"""The report's PNG plots (matplotlib, Agg backend), each from the scored rows of every configuration."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from eval import metrics as M
from eval.summary import STAGES, group_of

Rows = list[dict[str, Any]]
KS = list(range(1, 11))
KINDS = ("fact", "howto", "multi", "unanswerable")


def _save(fig: Any, path: Path) -> None:
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _answerable(rows: Rows) -> Rows:
    return [r for r in rows if r["scores"]["answerable"]]


def hit_curves(runs: dict[str, Rows], path: Path) -> None:
    """hit@k for k = 1…10, one line per configuration; all questions, English, Chinese."""
    panels = [
        ("all questions", lambda r: True),
        ("English", lambda r: group_of(r["lang"]) == "en"),
        ("Chinese (simplified + traditional)", lambda r: group_of(r["lang"]) == "zh"),
    ]
    fig, axes = plt.subplots(1, 3, figsize=(13, 4.2), sharey=True)
    for ax, (title, keep) in zip(axes, panels, strict=True):
        for name, rows in runs.items():
            pool = [r for r in _answerable(rows) if keep(r)]
            ax.plot(KS, M.hit_curve([r["scores"].get("rank") for r in pool], KS), marker="o", ms=3, label=name)
        n = len([r for r in _answerable(next(iter(runs.values()))) if keep(r)])
        ax.set(title=f"{title} (n={n})", xlabel="k (paragraphs retrieved)", xticks=KS, ylim=(0, 1.02))
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("hit@k (gold paragraph in top k)")
    axes[-1].legend(loc="lower right")
    _save(fig, path)


def latency(runs: dict[str, Rows], path: Path) -> None:
    """Per-stage latency distribution (box: quartiles, whiskers: 5th-95th percentile), log scale."""
    fig, axes = plt.subplots(1, len(STAGES), figsize=(14, 4.2))
    names = list(runs)
    for ax, stage in zip(axes, STAGES, strict=True):
        data = [[max(float(r["timings_ms"].get(stage, 0.0)), 0.01) for r in runs[n]] for n in names]
        ax.boxplot(data, whis=(5, 95), showfliers=False)
        ax.set_xticks(range(1, len(names) + 1), names, rotation=30, ha="right")
        ax.set(title=f"{stage}", yscale="log", ylabel="milliseconds (log)" if stage == STAGES[0] else None)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _: f"{v:g}" if f"{v:.0e}"[0] in "25" else ""))
        ax.tick_params(axis="y", which="minor", labelsize=7)
        ax.grid(alpha=0.3, axis="y")
    fig.suptitle("Latency per stage and configuration (each question of the run)")
    _save(fig, path)


def _bars(ax: Any, runs: dict[str, Rows], groups: Sequence[str], key: str, value: Any, title: str) -> None:
    width = 0.8 / max(1, len(runs))
    for i, (name, rows) in enumerate(runs.items()):
        vals = []
        for g in groups:
            pool = [r for r in rows if g in ([r["kind"]] if key == "kind" else r.get("tags", []))]
            vals.append(value(pool))
        ax.bar([j + i * width for j in range(len(groups))], vals, width, label=name)
    counts = [
        sum(g in ([r["kind"]] if key == "kind" else r.get("tags", [])) for r in next(iter(runs.values())))
        for g in groups
    ]
    ax.set_xticks(
        [j + 0.4 - width / 2 for j in range(len(groups))],
        [f"{g}\n(n={c})" for g, c in zip(groups, counts, strict=True)],
    )
    ax.set(title=title, ylim=(0, 1.05))
    ax.grid(alpha=0.3, axis="y")


def _hit5(pool: Rows) -> float:
    return M.mean([r["scores"].get("hit5", 0.0) for r in _answerable(pool)])


def _acc(pool: Rows) -> float:
    return M.accuracy([bool(r["scores"].get("correct")) for r in pool])


def kinds(runs: dict[str, Rows], path: Path) -> None:
    """hit@5 and accuracy by question kind and by question style, one bar per configuration."""
    first = next(iter(runs.values()))
    tags = sorted({t for r in first for t in r.get("tags", [])})
    answer_kinds = [k for k in KINDS if k != "unanswerable" and any(r["kind"] == k for r in first)]
    all_kinds = [k for k in KINDS if any(r["kind"] == k for r in first)]
    fig, axes = plt.subplots(2, 2, figsize=(13, 8))
    _bars(axes[0][0], runs, answer_kinds, "kind", _hit5, "hit@5 by question kind")
    _bars(axes[0][1], runs, all_kinds, "kind", _acc, "accuracy (correct / all) by question kind")
    if tags:
        _bars(axes[1][0], runs, tags, "tag", _hit5, "hit@5 by question style")
        _bars(axes[1][1], runs, tags, "tag", _acc, "accuracy by question style")
    for ax in axes.flat:
        ax.set_ylabel("share of questions")
    axes[0][1].legend(loc="upper right", fontsize=8)
    _save(fig, path)


def evidence_scores(rows: Rows) -> tuple[list[float], list[float]]:
    """Evidence scores of the answerable and of the unanswerable questions (from each row's notes)."""
    ans: list[float] = []
    una: list[float] = []
    for r in rows:
        e = r["scores"].get("evidence")
        if e is None:
            e = M.parse_evidence(r.get("notes", []))
        if e is not None:
            (ans if r["scores"]["answerable"] else una).append(float(e))
    return ans, una


def refusal(runs: dict[str, Rows], thresholds: dict[str, float], primary: str, path: Path) -> None:
    """Refusal on unanswerable vs over-refusal on answerable as the threshold moves (no re-run)."""
    grid = [i / 100 for i in range(101)]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8))
    ans, una = evidence_scores(runs[primary])
    curve = M.refusal_curve(ans, una, grid)
    left.plot(grid, [c[1] for c in curve], label=f"unanswerable refused (n={len(una)})")
    left.plot(grid, [c[2] for c in curve], label=f"answerable refused: over-refusal (n={len(ans)})")
    t = thresholds.get(primary)
    if t is not None:
        left.axvline(t, color="grey", ls="--", label=f"current threshold {t:g}")
    left.set(
        title=f"{primary}: refusal as the evidence threshold moves",
        xlabel="refusal threshold",
        ylabel="share refused",
        ylim=(0, 1.02),
    )
    left.legend(loc="center right", fontsize=8)
    left.grid(alpha=0.3)
    for name, rows in runs.items():
        a, u = evidence_scores(rows)
        c = M.refusal_curve(a, u, grid)
        (line,) = right.plot([x[2] for x in c], [x[1] for x in c], label=name)
        if name in thresholds:
            now = M.refusal_curve(a, u, [thresholds[name]])[0]
            right.plot([now[2]], [now[1]], "o", color=line.get_color())
    right.set(
        title="trade-off per configuration (dot: current threshold)",
        xlabel="over-refusal (answerable refused)",
        ylabel="unanswerable refused",
        xlim=(0, 1),
        ylim=(0, 1.02),
    )
    right.legend(loc="lower right", fontsize=8)
    right.grid(alpha=0.3)
    _save(fig, path)


def draw_all(runs: dict[str, Rows], thresholds: dict[str, float], primary: str, folder: Path) -> list[str]:
    """Every plot into `folder`; returns the file names."""
    folder.mkdir(parents=True, exist_ok=True)
    hit_curves(runs, folder / "hit_at_k.png")
    latency(runs, folder / "latency.png")
    kinds(runs, folder / "kinds.png")
    refusal(runs, thresholds, primary, folder / "refusal_threshold.png")
    return ["hit_at_k.png", "latency.png", "kinds.png", "refusal_threshold.png"]
