"""How answers look in a terminal: streamed as they come (on a TTY), then the numbered sources."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from assistant.settings import STAGES, Settings
from assistant.types import Answer
from index.text import shorten

if TYPE_CHECKING:
    from assistant.pipeline import Assistant
    from index.store import Store


def stream(a: Assistant, question: str, history: list[str], docs: list[str] | None) -> Answer:
    """Show a generated answer as it streams (on a terminal); return the final, verified Answer."""
    shown = ""
    final: Answer | None = None
    for part in a.ask_stream(question, history, docs):
        if isinstance(part, str):
            if sys.stdout.isatty() and part.startswith(shown):
                typer.echo(part[len(shown) :], nl=False)
            shown = part
        else:
            final = part
    assert final is not None
    if sys.stdout.isatty() and shown:
        typer.echo("\n" + "─" * 40)
    return final


def print_answer(a: Answer, show_hits: int = 3) -> None:
    typer.echo(a.text)
    refs = [c.key for c in a.citations] if not a.refused else [h.key for h in a.hits[:show_hits]]
    by_key = {h.key: h for h in a.hits}
    for i, key in enumerate(refs, start=1):
        h = by_key.get(key)
        typer.echo(f"[{i}] {key}  {shorten(h.paragraph.text) if h else ''}")


def print_library(store: Store) -> None:
    """The indexed documents (symbol, paragraphs, origin, title), then a warning per planted-instruction unit."""
    from index.planted import flag_warnings

    counts: dict[str, int] = {}
    for u in store.units:
        counts[u.doc_id] = counts.get(u.doc_id, 0) + 1
    for d in store.documents.values():
        typer.echo(f"{d.symbol or '(no symbol)':14} {counts.get(d.doc_id, 0):4} ¶  {d.origin:9} {d.title}")
    origins = {k: d.origin for k, d in store.documents.items()}
    for line in flag_warnings(store.units, store.flagged, origins):
        typer.echo(f"warning: {line}")


def print_settings(table: str | None) -> None:
    """The settings in effect, stage by stage, as the variables that set them (secrets stay hidden); or the table."""
    if table is not None:
        typer.echo(table)
        return
    s = Settings()
    for stage in STAGES:
        for name, value in getattr(s, stage).model_dump().items():
            typer.echo(f"{stage:9} INTEGRITY_{name.upper():28} {value}")
