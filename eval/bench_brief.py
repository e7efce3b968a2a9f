"""Warm timings of facilitator briefs (`integrity bench --brief`): figures printed, nothing asserted."""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass

from assistant.brief import make_brief
from assistant.brief.export import to_docx
from assistant.brief.render import to_markdown
from assistant.pipeline import Assistant
from assistant.settings import Settings

BENCH_THEMES = ("问责制", "accountability", "文明", "防止报复", "speaking up", "气候融资")


@dataclass(frozen=True, slots=True)
class Timing:
    theme: str
    lang: str
    median_s: float
    max_s: float
    export_s: float  # Markdown and DOCX together
    covered: bool
    points: int
    sources: int


def bench(settings: Settings, themes: Iterable[str] = BENCH_THEMES, repeat: int = 3) -> list[Timing]:
    """Warm timings: the index is loaded and one brief made first, then each theme `repeat` times."""
    t0 = time.perf_counter()
    a = Assistant.load(settings)
    make_brief(a, "问责制")
    print(f"load + first brief: {time.perf_counter() - t0:.2f} s")
    rows: list[Timing] = []
    for theme in themes:
        for lang in ("zh", "en"):
            times, export = [], []
            for _ in range(repeat):
                t = time.perf_counter()
                brief = make_brief(a, theme, lang)
                times.append(time.perf_counter() - t)
                t = time.perf_counter()
                to_markdown(brief)
                to_docx(brief)
                export.append(time.perf_counter() - t)
            row = Timing(
                theme,
                lang,
                statistics.median(times),
                max(times),
                statistics.median(export),
                brief.covered,
                len(brief.key_points),
                len(brief.sources),
            )
            rows.append(row)
            print(
                f"{theme:16} {lang}  brief {row.median_s:.3f} s (max {row.max_s:.3f})  md+docx {row.export_s:.3f} s"
                f"  covered={row.covered} points={row.points} sources={row.sources}"
            )
    print(f"slowest warm brief: {max(r.max_s for r in rows):.3f} s (target <= 3 s)")
    return rows
