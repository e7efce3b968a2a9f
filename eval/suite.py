"""Several configurations over the same questions in one run: set each up, run it, keep its rows."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from assistant.pipeline import Assistant
from assistant.settings import Settings
from eval import runner, summary
from eval.dataset import Question
from eval.presets import Preset
from index.errors import InputError, IntegrityError


@dataclass
class ConfigRun:
    preset: Preset
    rows: list[dict[str, Any]]
    groups: dict[str, Any]
    info: dict[str, Any] = field(default_factory=dict)  # facts for the report (threshold, index, seconds)

    @cached_property
    def breakdowns(self) -> dict[str, dict[str, Any]]:
        """Metrics by question kind and by style tag."""
        return summary.breakdowns(self.rows)


def one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0]}" if text else type(e).__name__


def prepare(preset: Preset, base: Assistant) -> tuple[Assistant, dict[str, Any]]:
    """The assistant of one configuration: the loaded index and embedder reused unless the preset
    changes what the index is built from; llama-index's retriever swapped in for `llamaindex`."""
    settings = preset.settings(base.settings)
    try:
        a = Assistant.load(settings) if preset.needs_own_index else Assistant(settings, base.store, base.embedder)
        info: dict[str, Any] = {
            "index": a.store.build,
            "refusal_threshold": settings.answer.refusal_threshold,
            "generator": settings.answer.generator,
        }
        if preset.pipeline == "llamaindex":
            from eval import baseline

            info.update(baseline.attach(a, settings), index="llama-index VectorStoreIndex")
        if settings.answer.generator != "extractive":  # an outside generator: one question now, not a failure later
            a.ask("道德操守办公室2020年收到多少项服务请求？", mode=preset.mode)
    except IntegrityError as e:
        raise InputError(f"configuration '{preset.name}' ({preset.path.name}): {e}") from None
    except Exception as e:  # the generator's own client error (no server, refused connection, bad key)
        if settings.answer.generator == "extractive":
            raise
        raise InputError(f"configuration '{preset.name}' ({preset.path.name}): {one_line(e)}") from e
    return a, info


def run_all(
    questions: list[Question],
    presets: list[Preset],
    base: Assistant,
    log: Callable[[str], None] = lambda s: print(s, file=sys.stderr),
) -> list[ConfigRun]:
    """Every configuration on the same questions. All are set up before any runs, so a broken preset
    (an unknown generator, an `openai` preset with no server configured) fails in seconds, in one line."""
    prepared = [(p, *prepare(p, base)) for p in presets]
    out = []
    for preset, assistant, info in prepared:
        t = time.perf_counter()
        try:
            rows, groups = runner.run(questions, assistant, mode=preset.mode)
        except IntegrityError as e:
            raise InputError(f"configuration '{preset.name}': {e}") from None
        except Exception as e:  # an outside generator (an LLM server) failing mid-run: one line, not a trace
            if preset.settings(base.settings).answer.generator == "extractive" and preset.pipeline == "ours":
                raise
            raise InputError(f"configuration '{preset.name}' failed: {one_line(e)}") from e
        info["seconds"] = round(time.perf_counter() - t, 1)
        log(f"{preset.name}: {len(rows)} questions in {info['seconds']} s")
        out.append(ConfigRun(preset, rows, groups, info))
    return out


def default_base(settings: Settings) -> Assistant:
    return Assistant.load(settings)
