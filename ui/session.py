"""What one browser session holds (in gr.State, never on disk): the turns, their sources, the history."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.types import Answer
from index.types import Document, Paragraph

NEAREST = 3  # paragraphs offered when the documents do not answer


@dataclass
class Source:
    """A paragraph an answer cites (or, for a refusal, one of the nearest), ready to show."""

    key: str
    number: int | None  # the answer's citation marker [n]; None for a nearest paragraph
    doc_title: str
    doc_title_en: str
    heading: list[str]
    text: str
    footnotes: list[str]
    quotes: list[str] = field(default_factory=list)
    origin: str = "bundled"  # the document's origin: bundled, uploaded or ingested
    table: list[list[str]] = field(default_factory=list)  # a table unit's rows: row 0 headers, cell 0 row labels


@dataclass
class Turn:
    question: str
    query: str
    lang: str
    text: str
    refused: bool
    sources: list[Source]
    timings_ms: dict[str, float]
    id: int = 0  # stable within the session (markers carry it in data-turn; trimming shifts list positions)

    def citations(self) -> list[dict[str, Any]]:
        """Key and quoted sentences of each cited paragraph: what feedback stores besides the texts."""
        return [{"key": s.key, "quotes": s.quotes} for s in self.sources if s.number is not None]


@dataclass
class Session:
    history: list[str] = field(default_factory=list)  # each turn's standalone query, as the CLI keeps it
    turns: list[Turn] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)  # what the Chatbot shows
    message_turn: dict[int, int] = field(default_factory=dict)  # chatbot message index -> turn index
    lang: str | None = None  # the page's language; None until the browser's (Accept-Language) is known
    shown_lang: str | None = None  # the language the page's labels are in now
    selected: int = -1  # the turn whose sources the side panel shows
    panel: list[Source] = field(default_factory=list)  # what the side panel lists (a turn's, or the channels')
    panel_intro: bool = False  # the panel lists the first screen's channels
    open_key: str | None = None  # the paragraph the panel shows
    feedback_turn: int | None = None  # the id of the turn the open feedback form is about
    uploads: list[str] = field(default_factory=list)  # files this session put in the upload folder, not yet handled
    next_id: int = 1
    pending: tuple[list[dict[str, Any]], Answer] | None = None  # while a model writes: messages, the quick answer

    @property
    def current(self) -> Turn | None:
        return self.turns[self.selected] if 0 <= self.selected < len(self.turns) else None

    def by_id(self, turn_id: object) -> Turn | None:
        return next((t for t in self.turns if str(t.id) == str(turn_id)), None)

    def add(self, turn: Turn) -> None:
        turn.id, self.next_id = self.next_id, self.next_id + 1
        self.turns.append(turn)
        self.selected = len(self.turns) - 1

    def trim(self, turns: int, history: int) -> None:
        """Keep the last `turns` turns (their messages, and any shown after them) and `history` queries."""
        self.history = self.history[-history:] if history else []
        cut = max(0, len(self.messages) - 3 * turns)  # an answered turn shows 3 messages, an error 2
        while cut < len(self.messages) and self.messages[cut]["role"] != "user":
            cut += 1  # start at a question
        kept = sorted({t for i, t in self.message_turn.items() if i >= cut})
        drop = kept[0] if kept else len(self.turns)
        drop = max(drop, len(self.turns) - turns)
        if not cut and not drop:
            return
        self.messages = self.messages[cut:]
        self.turns = self.turns[drop:]
        self.message_turn = {i - cut: t - drop for i, t in self.message_turn.items() if i >= cut and t >= drop}
        self.selected = self.selected - drop if self.selected >= drop else len(self.turns) - 1


def make_source(p: Paragraph, number: int | None, docs: dict[str, Document], quotes: list[str]) -> Source:
    doc = docs.get(p.doc_id)
    return Source(
        key=p.key,
        number=number,
        doc_title=doc.title if doc else p.doc_label,
        doc_title_en=doc.title_en if doc else "",
        heading=list(p.heading),
        text=p.text,
        footnotes=list(p.footnotes),
        quotes=quotes,
        origin=doc.origin if doc else "",
        table=[list(row) for row in p.table],  # a table unit's rows (index/tables.py)
    )


def turn_from_answer(answer: Answer, docs: dict[str, Document]) -> Turn:
    by_key = {h.key: h.paragraph for h in answer.hits}
    sources: list[Source] = []
    if answer.refused:
        sources = [make_source(h.paragraph, None, docs, []) for h in answer.hits[:NEAREST]]
    else:
        for n, c in enumerate(answer.citations, start=1):
            quotes = [x.quote for s in answer.sentences for x in s.citations if x.key == c.key]
            if c.key in by_key:
                sources.append(make_source(by_key[c.key], n, docs, quotes))
    return Turn(
        answer.question, answer.query, answer.lang, answer.text, answer.refused, sources, dict(answer.timings_ms)
    )
