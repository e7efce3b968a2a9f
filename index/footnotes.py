"""Footnotes of the block parser: a footnote block (after a rule line) is lifted out of the text it cuts, and
each note goes to the block whose marker cites it; markers are found in sequence on the note's own page, so
`在所有 8 起案件中，7 该办公室` loses the 7, not the 8. Superscript notes (¹, ¹⁰) go to the first block
carrying their marker."""

from __future__ import annotations

import re

from index.block import Block
from index.lines import FOOTNOTE_START, PAGE_BREAK, SUPERSCRIPT, TITLE_NOTE
from index.text import CJK, CJK_PUNCT


class Footnotes:
    """The footnote half of `index.blocks.BlockParser` (its state is set up there)."""

    blocks: list[Block]
    current: Block | None
    segments: list[tuple[Block, int]]
    page_start: int
    fn_cursor: int
    next_fn: int
    in_footnotes: bool
    fn_seen_in_block: bool
    note_owner: Block | None
    sup_notes: list[tuple[str, str]]

    def start_footnote(self, number: int, text: str) -> None:
        """Find the footnote's marker in this page's body, remove it, attach the note there."""
        # A marker is a bare number glued to text; `，1 176` is a number with a thousands space.
        marker = re.compile(rf"(?<=[{CJK}{CJK_PUNCT})）\]]){number}(?![\d.,%/])(?!\s\d{{3}}(?!\d))")
        owner: Block | None = None
        for i in range(max(self.fn_cursor, self.page_start), len(self.segments)):
            block, li = self.segments[i]
            m = marker.search(block.lines[li])
            if m:
                block.lines[li] = block.lines[li][: m.start()] + " " + block.lines[li][m.end() :]
                owner, self.fn_cursor = block, i
                break
        if owner is None:
            owner = self.segments[-1][0] if self.segments else self.current
        if owner is not None:
            owner.footnotes.append(f"{number} {text}")
        self.note_owner = owner
        self.next_fn = number + 1
        self.fn_seen_in_block = True

    def footnote_line(self, raw: str) -> bool:
        """Handle a line inside a footnote block; False when the body has resumed."""
        if raw == PAGE_BREAK:
            self.in_footnotes = False
            return True
        s = raw.strip()
        if not s:
            return True
        m = FOOTNOTE_START.match(raw)
        if m and (int(m.group(1)) == self.next_fn or (not self.fn_seen_in_block and int(m.group(1)) == 1)):
            self.start_footnote(int(m.group(1)), m.group(2))
            return True
        if TITLE_NOTE.match(raw):
            return True
        if not raw[:1].isspace() and self.fn_seen_in_block:
            if self.note_owner is not None and self.note_owner.footnotes:
                self.note_owner.footnotes[-1] += s
            return True
        self.in_footnotes = False
        self.fn_cursor = len(self.segments)
        return False

    def attach_superscript_notes(self) -> None:
        """Superscript footnotes (¹, ¹⁰) go to the first block whose text carries their marker."""
        for num, text in self.sup_notes:
            sup = num.translate(str.maketrans("0123456789", SUPERSCRIPT))
            pattern = re.compile(rf"(?<![{SUPERSCRIPT}]){sup}(?![{SUPERSCRIPT}])")
            hit = next(((b, i) for b in self.blocks for i, ln in enumerate(b.lines) if pattern.search(ln)), None)
            if hit is not None:
                block, i = hit
                block.lines[i] = pattern.sub("", block.lines[i], count=1)
                block.footnotes.append(f"{num} {text}")
