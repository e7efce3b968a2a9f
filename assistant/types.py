"""The plain domain types that flow between stages: documents, paragraphs, hits, citations, answers."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

WORDY_NUMBERS = ("summary", "annex", "preamble", "table")


def content_hash(*parts: str, size: int = 16) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(p.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()[:size]


@dataclass(frozen=True, slots=True)
class Document:
    """One source document as the manifest (or the reader) describes it."""

    doc_id: str
    path: str
    symbol: str | None
    title: str
    short_title: str
    language: str = "zh"
    date: str | None = None
    source: str = ""
    title_en: str = ""
    sha256: str = ""
    origin: str = "ingested"  # "bundled" (the corpus folder), "uploaded" (the web library), "ingested" (the CLI)

    @property
    def label(self) -> str:
        """What a citation names: the symbol, or the short title when none is printed."""
        return self.symbol or self.short_title


def cite_label(doc_label: str, number: str) -> str:
    """UN citation form: `A/76/76 ¶43`, `A/75/201, summary`."""
    if any(number.startswith(w) for w in WORDY_NUMBERS):
        return f"{doc_label}, {number}"
    return f"{doc_label} ¶{number}"


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A unit of retrieval and citation (a parsed paragraph, or a piece of a long one)."""

    doc_id: str
    doc_label: str
    number: str
    text: str
    heading: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
    position: int = 0

    @property
    def key(self) -> str:
        return cite_label(self.doc_label, self.number)

    @property
    def id(self) -> str:
        """Stable content id: the citation key plus the text; drives incremental re-indexing."""
        return content_hash(self.key, self.text, *self.footnotes)

    def searchable(self) -> str:
        """Text given to the indexes: heading path, body and footnotes."""
        parts = [" ".join(self.heading), self.text, *self.footnotes]
        return "\n".join(p for p in parts if p)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["heading"] = list(self.heading)
        d["footnotes"] = list(self.footnotes)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Paragraph:
        return cls(
            doc_id=d["doc_id"],
            doc_label=d["doc_label"],
            number=d["number"],
            text=d["text"],
            heading=tuple(d.get("heading", ())),
            footnotes=tuple(d.get("footnotes", ())),
            position=d.get("position", 0),
        )


@dataclass(slots=True)
class Hit:
    paragraph: Paragraph
    score: float
    dense: float | None = None
    lexical: float | None = None

    @property
    def key(self) -> str:
        return self.paragraph.key


@dataclass(frozen=True, slots=True)
class Citation:
    key: str
    paragraph_id: str
    quote: str


@dataclass(slots=True)
class Sentence:
    """One statement of an answer with the citations that support it."""

    text: str
    citations: list[Citation] = field(default_factory=list)
    supported: bool = True


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
                {"text": s.text, "supported": s.supported, "citations": [c.key for c in s.citations]}
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
