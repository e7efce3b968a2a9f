"""A block of a parsed document: the lines of one paragraph, table or annex row group, before it becomes a
`Paragraph` (index/parse.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.lines import TERMINAL, join_lines


@dataclass
class Block:
    kind: str  # para | summary | preamble | table | annex
    number: str
    heading: tuple[str, ...]
    section: str = ""
    lines: list[str] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    def is_open(self) -> bool:
        t = self.text.rstrip()
        return bool(t) and not t.endswith(TERMINAL)
