"""The plain data of a facilitator brief. Every quoted sentence carries the key of a paragraph that
contains it; `Brief.sources` holds those paragraphs in full, numbered in order of first citation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from index.types import Paragraph

STAGES = ("commitment", "action", "results", "remaining")  # the order a brief's key points argue in


@dataclass(frozen=True, slots=True)
class Quote:
    """One sentence copied from a paragraph, with the paragraph's citation key (`A/76/644 ¶6(a)`)."""

    text: str
    key: str


@dataclass(frozen=True, slots=True)
class KeyPoint:
    quote: Quote
    stage: str  # one of STAGES
    score: float = 0.0
    text_en: str = ""  # an English brief written with a model: the quote in English, checked against its paragraph


@dataclass(frozen=True, slots=True)
class Figure:
    values: tuple[str, ...]  # the numbers as printed, with their unit: `40 000 名`, `79.7%`
    quote: Quote


@dataclass(frozen=True, slots=True)
class Actor:
    """An office, body, bulletin or resolution the documents name, where, and one sentence on its role."""

    name_zh: str
    name_en: str
    kind: str  # office | body | policy | resolution
    keys: tuple[str, ...]
    quote: Quote | None = None
    contact: bool = False  # staff can turn to it themselves


@dataclass(frozen=True, slots=True)
class Scenario:
    title: str
    text: str
    refs: tuple[int, ...] = ()


@dataclass(slots=True)
class Discussion:
    questions: list[str] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
    writer: str = "template"
    notes: list[str] = field(default_factory=list)  # a model writer's: what it wrote that was dropped, and why


@dataclass(frozen=True, slots=True)
class BriefSource:
    number: int
    paragraph: Paragraph
    title: str
    title_en: str

    @property
    def key(self) -> str:
        return self.paragraph.key


@dataclass(slots=True)
class Brief:
    theme: str
    theme_label: str
    lang: str  # language of headings and framing; quotes stay in the documents' language
    covered: bool
    key_points: list[KeyPoint] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    discussion: Discussion = field(default_factory=Discussion)
    sources: list[BriefSource] = field(default_factory=list)
    nearest: list[str] = field(default_factory=list)  # for an uncovered theme: the closest paragraphs' keys
    docs: list[str] = field(default_factory=list)
    evidence: dict[str, float] = field(default_factory=dict)
    created: date = field(default_factory=date.today)
    timings_ms: dict[str, float] = field(default_factory=dict)

    def ref(self, key: str) -> int:
        """The citation number of a paragraph key (`[n]` in the text)."""
        for s in self.sources:
            if s.key == key:
                return s.number
        raise KeyError(key)

    def quotes(self) -> list[Quote]:
        """Every quoted sentence in the brief (key points, figures, who does what)."""
        out = [p.quote for p in self.key_points] + [f.quote for f in self.figures]
        return out + [a.quote for a in self.actors if a.quote]

    def points_by_stage(self) -> list[tuple[str, list[KeyPoint]]]:
        return [
            (s, [p for p in self.key_points if p.stage == s])
            for s in STAGES
            if any(p.stage == s for p in self.key_points)
        ]
