"""Choose the answer stage's weights on the tune questions: every turn retrieved once, then composed again per setting.

    python scripts/tune_answer.py [--questions eval/questions/tune.jsonl] NAME=v1,v2 [NAME=...]

NAME is a module constant of assistant/answer.py or assistant/select.py (CUE_BOOST, RANK_DISCOUNT, EXTRA_SHARE, …).
Retrieval and refusal do not read these constants, so each turn's hits are searched once and kept in memory;
every combination of values reruns the whole question set through `Assistant.ask` and prints lead key coverage,
key coverage, citation precision, answer length and refusals. Prints figures; changes nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from pathlib import Path
from typing import Any

from assistant import answer, pipeline, select
from assistant.pipeline import Assistant
from assistant.settings import Settings
from eval import dataset
from eval.runner import run

MODULES = (answer, select)


def cached(search: Any) -> Any:
    memo: dict[Any, Any] = {}

    def inner(q: Any, k: Any = None, docs: Any = None, mode: Any = "hybrid", where: Any = None) -> Any:
        key = (q, k, tuple(sorted(docs)) if docs else None, mode, repr(where))
        if key not in memo:
            memo[key] = search(q, k, docs, mode, where)
        return memo[key]

    return inner


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=Path, default=dataset.TUNE)
    ap.add_argument("--rows", type=Path, help="Write the last combination's results.jsonl rows here.")
    ap.add_argument("grid", nargs="*")
    args = ap.parse_args()
    grid = {}
    for g in args.grid:
        name, values = g.split("=")
        owner = next((m for m in MODULES if hasattr(m, name)), None)
        if owner is None:
            sys.exit(f"error: no constant {name} in assistant/answer.py or assistant/select.py")
        grid[name] = (owner, [type(getattr(owner, name))(v) for v in values.split(",")])
    a = Assistant.load(Settings())
    a.searcher.search = cached(a.searcher.search)  # type: ignore[method-assign]
    prepared: dict[Any, Any] = {}
    prepare = pipeline.prepare

    def prepare_once(question: str, history: list[str], *rest: Any) -> Any:
        key = (question, tuple(history))
        if key not in prepared:
            prepared[key] = prepare(question, history, *rest)
        return prepared[key]

    pipeline.prepare = prepare_once  # type: ignore[assignment]
    qs = dataset.load(args.questions)
    names = list(grid)
    print("| " + " | ".join(names) + " | lead | key | cit.prec | chars | refused ans | refused unans | s |")
    for combo in itertools.product(*(grid[n][1] for n in names)) if names else [()]:
        for n, v in zip(names, combo, strict=True):
            setattr(grid[n][0], n, v)
        t = time.perf_counter()
        rows, groups = run(qs, a)
        m = groups["all"]
        vals = [m.get(k) for k in ("lead_key_coverage", "key_coverage", "citation_precision", "answer_chars",
                                   "refused_answerable", "refused_unanswerable")]  # fmt: skip
        cells = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in vals]
        print("| " + " | ".join(map(str, combo)) + " | " + " | ".join(cells) + f" | {time.perf_counter() - t:.0f} |",
              flush=True)  # fmt: skip
    if args.rows:
        args.rows.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


if __name__ == "__main__":
    main()
