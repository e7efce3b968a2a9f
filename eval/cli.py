"""`integrity eval`: one question set, one or more configurations, results and a table."""

from __future__ import annotations

from pathlib import Path

import typer

from assistant.errors import InputError
from assistant.settings import Settings


def run_eval(
    settings: Settings, questions: Path | None, out: Path, configs: str | None, mode: str,
    compare: tuple[Path, Path] | None,
) -> None:
    from assistant.pipeline import Assistant
    from eval import dataset, runner

    if compare is not None:
        raise InputError("--compare is not available yet.")
    if questions is None:
        raise InputError("give a question file: integrity eval QUESTIONS.jsonl --out DIR")
    qs = dataset.load(questions)  # validated before anything is written
    a = Assistant.load(settings)
    rows, groups = runner.run(qs, a, mode=mode)
    runner.write(out, rows, groups, {"questions": str(questions), "mode": mode, "index": a.store.build})
    typer.echo(runner.table(groups))
    typer.echo(f"wrote {out}/results.jsonl and {out}/metrics.json")
