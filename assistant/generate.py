"""The answer stage's two backend kinds, each behind one method.

An `AnswerGenerator` writes the answer to a prepared `Query` from the hits retrieval found (refusal has already
been decided): `generate` yields pieces of the answer text as they come and returns a `Draft` (the cited,
checked sentences, the final text, notes for the reader, whether it declined). A `Condenser` turns a follow-up
into a standalone question. Both are registered by name in assistant/registry.py.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from assistant.types import Sentence
from index.types import Hit, Query


@dataclass
class Draft:
    """What a generator produced for one question."""

    sentences: list[Sentence]
    text: str  # the answer as shown ("" when it declined: the pipeline writes the refusal)
    notes: list[str] = field(default_factory=list)
    declined: bool = False
    generator: str = ""  # who wrote it: a model generator that fell back names the extractive one


Stream = Generator[str, None, Draft]


class AnswerGenerator(Protocol):
    name: str

    def generate(self, query: Query, hits: list[Hit]) -> Stream:
        """Yield pieces of the answer text; return the Draft."""
        ...


@runtime_checkable
class Previewing(Protocol):
    """A generator that takes long (a model) and has a quick answer to show meanwhile (the extractive one)."""

    def preview(self, query: Query, hits: list[Hit]) -> Draft: ...


class Condenser(Protocol):
    def condense(self, question: str, history: list[str], lang: str) -> tuple[str, list[str]]:
        """The standalone form of `question` given the earlier turns' standalone queries, and notes on how."""
        ...


MARKERS = re.compile(r"(?<=\])(?!\[)")  # after a citation marker group: [1] or [1][2]


def sentence_pieces(text: str) -> Iterator[str]:
    """An answer text in pieces that each end with a statement's citation markers (how a quoted answer streams)."""
    yield from (p for p in MARKERS.split(text) if p)


def drain(stream: Stream) -> tuple[str, Draft]:
    """Run a generator to its end: the text it streamed and its Draft."""
    shown = ""
    while True:
        try:
            shown += next(stream)
        except StopIteration as done:
            return shown, done.value
