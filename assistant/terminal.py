"""How answers look in a terminal: streamed as they come (on a TTY), then the numbered sources."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from assistant.phrases import phrase
from assistant.settings import STAGES, Settings
from assistant.types import Answer, Preview
from index.text import shorten

if TYPE_CHECKING:
    from assistant.pipeline import Assistant
    from index.store import Store


def stream(a: Assistant, question: str, history: list[str], docs: list[str] | None, live: bool | None = None) -> Answer:
    """Answer on the terminal and return the final Answer. Live (a TTY): a model generator's extractive answer
    at once, the model's reply streaming under a label, then the verified answer (or, when it fails, only the
    note: the quotes above stand); Ctrl-C stops the model and keeps the quotes. Not live: the final answer."""
    live = sys.stdout.isatty() if live is None else live
    shown = ""
    early: Answer | None = None
    parts = a.ask_stream(question, history, docs, preview=live)
    try:
        for part in parts:
            if isinstance(part, Preview):
                early = part.answer
                print_answer(early)
                typer.echo(phrase("llm", "writing", early.lang))
            elif isinstance(part, str):
                if live and part.startswith(shown):
                    typer.echo(part[len(shown) :], nl=False)
                shown = part
            else:
                return finish(part, early, shown, live)
    except KeyboardInterrupt:
        parts.close()  # closes the model's stream: the server stops writing
        if early is None:
            raise
        typer.echo("\n" + phrase("llm", "stopped", early.lang))
        return early
    raise AssertionError("ask_stream ends with the Answer")


def finish(final: Answer, early: Answer | None, shown: str, live: bool) -> Answer:
    """After a live stream: the verified answer under its label, or only the fallback's note under the quotes."""
    if live and shown:
        typer.echo("\n" + "─" * 40)
    if early is not None and final.generator == early.generator and not final.refused:
        typer.echo(final.text.split("\n", 1)[0])  # the note; the quoted answer is on the screen already
    else:
        if early is not None:
            typer.echo(phrase("llm", "verified", final.lang))
        print_answer(final)
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
