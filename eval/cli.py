"""`integrity eval`: one question set, one or more configurations, results, report and plots; or a
comparison of two runs.

    integrity eval eval/questions/check.jsonl --out eval/reports/check --configs bm25,dense,hybrid,llamaindex
    integrity eval --compare out/before out/after
"""

from __future__ import annotations

import os
import shlex
import sys
import time
from pathlib import Path

import typer

from assistant.settings import Settings
from index.errors import InputError

REPORT_COMMAND = (
    "integrity eval eval/questions/check.jsonl --out eval/reports/check --configs bm25,dense,hybrid,llamaindex"
)


def command_line(questions: Path, out: Path, configs: str | None, mode: str) -> str:
    parts = ["integrity", "eval", str(questions), "--out", str(out)]
    if configs:
        parts += ["--configs", configs]
    elif mode != "hybrid":
        parts += ["--mode", mode]
    return shlex.join(parts)


def run_eval(
    settings: Settings,
    questions: Path | None,
    out: Path,
    configs: str | None,
    mode: str,
    compare: tuple[Path, Path] | None,
) -> None:
    from eval import compare as cmp
    from eval import dataset, output, presets, suite
    from eval.report import OVERALL, readme_table
    from eval.summary import side_by_side

    if compare is not None:
        typer.echo(cmp.render(*compare))
        return
    if questions is None:
        raise InputError("give a question file: integrity eval QUESTIONS.jsonl --out DIR [--configs a,b]")
    if configs and mode != "hybrid":
        raise InputError("--mode applies to a single run without --configs; each preset names its own mode.")
    qs = dataset.load(questions)  # validated before anything is written
    chosen = presets.load_many(configs, mode)
    output.check_target(out)
    base = suite.default_base(settings)
    load_before = round(os.getloadavg()[0], 2)
    runs = suite.run_all(qs, chosen, base, log=lambda s: typer.echo(s, err=True))
    primary = presets.primary(chosen).name
    meta = {
        "questions": str(questions),
        "index": base.store.build,
        "command": command_line(questions, out, configs, mode),
        "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": sys.version.split()[0],
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
        "cpus": os.cpu_count(),
    }
    output.write_report(out, runs, primary, meta)
    per = {r.preset.name: r.groups for r in runs}
    typer.echo(side_by_side(per, OVERALL))
    if len(runs) > 1:
        typer.echo("\n" + readme_table(per))
    typer.echo(
        f"wrote {out}/report.md, failures.md, results.jsonl, metrics.json and plots/ (primary configuration: {primary})"
    )
