"""The plain domain types of the ground floor: documents, paragraphs (the units cited), hits, and the prepared
query that retrieval reads. Ids are content hashes: a paragraph's id is its citation key and text, hashed."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
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
    # A table unit's rows of cell strings (index/tables.py): row 0 the column headers, cell 0 of each row its
    # row label; empty for other units and for tables whose grid the PDF text does not give. Not in the id.
    table: tuple[tuple[str, ...], ...] = ()

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
        d["table"] = [list(row) for row in self.table]
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
            table=tuple(tuple(row) for row in d.get("table", ())),
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


@dataclass(frozen=True, eq=False)
class Query:
    """A question prepared once for the whole pipeline: retrieval, refusal and the answer stage all read it.

    `text` is what is searched: the standalone question (instructions to the assistant removed, traditional
    characters simplified, a follow-up followed by the earlier turns it is read against); `own` is the turn's
    own words of it, `asked` what the user typed. `lang` is the turn's own language: it decides retrieval."""

    text: str
    lang: str
    tokens: tuple[str, ...]  # lexical tokens, with the glossary's Chinese terms for an English question
    terms: tuple[str, ...] = ()  # those Chinese terms (the glossary's expansion of an English question)
    years: tuple[str, ...] = ()  # years the question names (not 2019 of "2019 冠状病毒病")
    names: tuple[str, ...] = ()  # organisations outside the Secretariat it names (UNDP, World Bank)
    asked: str = ""
    own: str = ""  # the turn's own words, cleaned (`text` adds the earlier turns a follow-up is read against)
    # the question states something and asks whether it holds ("…是2019年启动的吧？"): its years are taken for
    # granted, not asked about, so they neither rank passages up nor count as missing; the answer checks them
    premise: bool = False

    @property
    def own_text(self) -> str:
        return self.own or self.text

    @property
    def lexical_text(self) -> str:
        """What the lexical tokens are made from: the text and the glossary's Chinese terms."""
        return " ".join((self.text, *self.terms))

    @property
    def dense_text(self) -> str:
        """What is embedded: the text, with the glossary's Chinese terms of an English question appended."""
        return f"{self.text} ({' '.join(self.terms)})" if self.terms else self.text
