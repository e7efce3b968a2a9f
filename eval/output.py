"""Writes a whole evaluation run at once: built in a temporary folder beside DIR, then swapped into place.

DIR/report.md, failures.md, table.md          the report, the primary configuration's misses
DIR/results.jsonl, scores.jsonl, metrics.json the primary configuration (the issue-2 contract)
DIR/plots/*.png
DIR/CONFIG/results.jsonl, scores.jsonl, metrics.json, table.md, failures.md   each configuration
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval import failures, plots, report
from eval.suite import ConfigRun
from eval.summary import side_by_side, table
from index.errors import InputError

COMPACT = ("id", "lang", "kind", "tags", "question")


def check_target(out: Path) -> None:
    """Refuse, before any work, an --out that is a file or a non-empty folder not written by eval."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "metrics.json").exists())):
        raise InputError(f"{out} exists and is not an eval output folder; choose another --out.")


def compact(row: dict[str, Any]) -> dict[str, Any]:
    """One line of scores.jsonl: what --compare needs, without the retrieved texts."""
    s = row["scores"]
    keep = ("rank", "refused", "evidence", "key_coverage", "correct", "cites_gold", "citation_precision")
    return {
        **{k: row.get(k) for k in COMPACT},
        **{k: s.get(k) for k in keep},
        "answerable": s["answerable"],
        "retrieved": [h["key"] for h in row.get("retrieved", [])[:5]],
    }


def _jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _metrics(run: ConfigRun) -> dict[str, Any]:
    return {"metrics": run.groups, "by_kind": run.breakdowns["kind"], "by_tag": run.breakdowns["tag"], "info": run.info}


def _config_files(folder: Path, run: ConfigRun, meta: dict[str, Any]) -> None:
    folder.mkdir()
    _jsonl(folder / "results.jsonl", run.rows)
    _jsonl(folder / "scores.jsonl", [compact(r) for r in run.rows])
    m = {"meta": {**meta, "config": run.preset.name, "preset": str(run.preset.path)}, **_metrics(run)}
    (folder / "metrics.json").write_text(json.dumps(m, indent=1, ensure_ascii=False), "utf-8")
    (folder / "table.md").write_text(table(run.groups) + "\n", "utf-8")
    (folder / "failures.md").write_text(failures.render(run.rows, run.preset.name), "utf-8")


def build(tmp: Path, runs: Sequence[ConfigRun], primary: str, meta: dict[str, Any]) -> None:
    first = next(r for r in runs if r.preset.name == primary)
    meta = {**meta, "primary": primary, "configs": [r.preset.name for r in runs]}
    for r in runs:
        _config_files(tmp / r.preset.name, r, meta)
    _jsonl(tmp / "results.jsonl", first.rows)
    _jsonl(tmp / "scores.jsonl", [compact(r) for r in first.rows])
    doc = {"meta": meta, **_metrics(first), "configs": {r.preset.name: _metrics(r) for r in runs}}
    (tmp / "metrics.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False), "utf-8")
    per = {r.preset.name: r.groups for r in runs}
    (tmp / "table.md").write_text(side_by_side(per, report.OVERALL) + "\n", "utf-8")
    names = plots.draw_all(
        {r.preset.name: r.rows for r in runs},
        {r.preset.name: float(r.info["refusal_threshold"]) for r in runs if "refusal_threshold" in r.info},
        primary,
        tmp / "plots",
    )
    (tmp / "report.md").write_text(report.render(runs, primary, meta, names), "utf-8")
    (tmp / "failures.md").write_text(failures.render(first.rows, primary), "utf-8")


def write_report(out: Path, runs: Sequence[ConfigRun], primary: str, meta: dict[str, Any]) -> None:
    """Everything for DIR, or nothing: any failure leaves DIR as it was."""
    check_target(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        build(tmp, runs, primary, meta)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
        tmp.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    else:
        tmp.rename(out)
