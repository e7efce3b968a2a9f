"""The answer's types: a citation, a cited sentence, the answer (documents, paragraphs and hits: index/types.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from index.types import Hit


@dataclass(frozen=True, slots=True)
class Citation:
    key: str
    paragraph_id: str
    quote: str


@dataclass(slots=True)
class Sentence:
    """One statement of an answer with the citations that support it."""

    text: str  # as shown: a quote, with editorial marks only (assistant/quote.py), or a model's sentence
    citations: list[Citation] = field(default_factory=list)
    supported: bool = True
    gloss: str = ""  # for an English reader: the key, title, figures, dates and offices of a Chinese quote


@dataclass(slots=True)
class Answer:
    question: str
    lang: str
    text: str
    sentences: list[Sentence]
    refused: bool
    hits: list[Hit]
    query: str = ""
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    generator: str = "extractive"
    origins: dict[str, str] = field(default_factory=dict)  # doc_id -> Document.origin, for the hits' documents

    @property
    def citations(self) -> list[Citation]:
        seen: dict[str, Citation] = {}
        for s in self.sentences:
            for c in s.citations:
                seen.setdefault(c.key, c)
        return list(seen.values())

    def to_dict(self) -> dict[str, Any]:
        by_key = {h.key: h.paragraph for h in self.hits}
        return {
            "question": self.question,
            "query": self.query,
            "lang": self.lang,
            "text": self.text,
            "refused": self.refused,
            "generator": self.generator,
            "sentences": [
                {"text": s.text, "gloss": s.gloss, "supported": s.supported, "citations": [c.key for c in s.citations]}
                for s in self.sentences
            ],
            "citations": [
                {
                    "key": c.key,
                    "quote": c.quote,
                    "text": by_key[c.key].text if c.key in by_key else "",
                    "origin": self.origins.get(by_key[c.key].doc_id, "") if c.key in by_key else "",
                }
                for c in self.citations
            ],
            "hits": [{"key": h.key, "score": round(h.score, 4)} for h in self.hits],
            "notes": self.notes,
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


@dataclass(slots=True)
class Preview:
    """The extractive answer, shown while a model writes its own: `ask_stream(..., preview=True)` yields it
    first; the model's answer replaces it only when verified (else the final answer is this one, with a note)."""

    answer: Answer
