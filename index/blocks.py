"""The line-by-line state machine that groups a numbered UN document's lines into blocks: paragraphs,
sub-paragraphs, summary, tables and annexes, each with its heading path and footnotes."""

from __future__ import annotations

import re

from index.block import Block
from index.footnotes import Footnotes
from index.lines import (
    ANNEX,
    BULLET,
    CAPTION,
    CN_NUMERALS,
    FIGURE_NOTE,
    LEAD_IN,
    MINOR,
    NUMBERED,
    PAGE_BREAK,
    RULE_LINE,
    SUB,
    SUMMARY,
    SUP_FOOTNOTE,
    SUP_TO_DIGIT,
    TABLE,
    TITLE_NOTE,
    clean,
    is_short_heading,
    major_heading,
    roman,
    structural,
)

# Heading levels: 一. / A. / numbered subheading (1. 雇用) / lettered subheading ((a) 内部监督事务厅) /
# plain subheading (迄今取得的进展). A heading holds until one of its level or above replaces it.
MAJOR_L, MINOR_L, NUMBERED_L, LETTERED_L, PLAIN_L = 0, 1, 2, 3, 4


class BlockParser(Footnotes):
    """A line-by-line state machine over a numbered UN document (footnotes: index/footnotes.py)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.mode = "front"
        self.heading: list[str] = []  # indexed by MAJOR_L .. PLAIN_L
        self.section = ""
        self.expected = 1
        self.restart_ok = False
        self.sections_numbered: set[str] = set()
        self.preamble_count: dict[str, int] = {}
        self.annex = ""
        self.annex_count = 0
        self.segments: list[tuple[Block, int]] = []  # (block, line index) in reading order
        self.page_start = 0  # first segment of the current page: footnote markers are on their note's page
        self.fn_cursor = 0
        self.next_fn = 1
        self.in_footnotes = False
        self.fn_seen_in_block = False
        self.note_owner: Block | None = None  # the block that took the last footnote (for its wrapped lines)
        self.sup_notes: list[tuple[str, str]] = []
        self.in_figure = False
        self.pending_major: str | None = None
        self.table_title = False
        self.table_heading: str | None = None  # a text-only line after a table: a heading, or a cell

    # -- structure -------------------------------------------------------------------------
    def set_heading(self, level: int, text: str) -> None:
        head = self.heading[:level]
        self.heading = [*head, *[""] * (level - len(head)), clean(text)]
        self.current = None

    def new_block(self, kind: str, number: str) -> Block:
        b = Block(kind, number, tuple(h for h in self.heading if h), self.section)
        self.blocks.append(b)
        self.current = b
        return b

    def add_text(self, block: Block, line: str) -> None:
        block.lines.append(line)
        self.segments.append((block, len(block.lines) - 1))

    def last_body(self) -> Block | None:
        return next((b for b in reversed(self.blocks) if b.kind in ("para", "preamble", "summary")), None)

    # -- the main loop ---------------------------------------------------------------------
    def run(self, lines: list[str]) -> list[Block]:
        for raw in lines:
            if raw == PAGE_BREAK:
                self.page_start = len(self.segments)
            if (self.in_footnotes and self.footnote_line(raw)) or raw == PAGE_BREAK:
                continue
            if RULE_LINE.match(raw):
                self.in_footnotes, self.fn_seen_in_block = True, False
                continue
            self.line(raw)
        self.attach_superscript_notes()
        return self.blocks

    def line(self, raw: str) -> None:
        s = raw.strip()
        if not s:
            return
        if self.pending_major is not None:
            self.set_heading(MAJOR_L, f"{self.pending_major}. {s}")
            self.pending_major = None
            return
        if m := SUP_FOOTNOTE.match(raw):
            self.sup_notes.append((m.group(1).translate(SUP_TO_DIGIT), m.group(2)))
            return
        if TITLE_NOTE.match(raw):
            return
        if m := ANNEX.match(raw):
            self.annex = roman(m.group(1)) if m.group(1) else (m.group(2) or "")
            self.mode, self.annex_count, self.in_figure = "annex", 0, False
            self.heading = [clean(s)]
            self.current = None
            return
        if self.mode == "annex":
            return self.annex_line(raw, s)
        if SUMMARY.match(raw) and self.mode == "front":
            self.mode = "summary"
            self.new_block("summary", "summary")
            return
        if CAPTION.match(raw):
            self.in_figure, self.current = True, None
            return
        if self.in_figure and self.figure_line(raw, s):
            return
        if m := TABLE.match(raw):
            self.table_title = True
            self.new_block("table", f"table {m.group(1)}")
            return
        if self.heading_line(raw, s):
            return
        if self.current is not None and self.current.kind == "table":
            return self.table_line(self.current, raw, s)
        if self.mode == "front":
            return
        if FIGURE_NOTE.match(raw) and self.current is None and self.blocks:
            # The note of a figure printed without a 图 caption: the short lines before it were the
            # figure's titles, not headings.
            self.blocks[-1].footnotes.append(s)
            self.heading = self.heading[:PLAIN_L]
            return
        self.text_line(raw, s)

    def figure_line(self, raw: str, s: str) -> bool:
        """Inside a figure: drop its titles, labels and data; keep its notes. False when the figure ends."""
        owner = self.last_body()
        if FIGURE_NOTE.match(raw):
            if owner is not None:
                owner.footnotes.append(s)
            return True
        if structural(raw):
            self.in_figure = False
            return False
        notes = owner.footnotes if owner is not None else []
        if notes and not raw[:1].isspace() and FIGURE_NOTE.match(notes[-1]):
            notes[-1] += s  # a wrapped figure note
            return True
        if owner is not None and owner.is_open() and len(s) > 40:
            self.in_figure, self.current = False, owner  # the paragraph the figure interrupted goes on
            return False
        return True

    def table_line(self, table: Block, raw: str, s: str) -> None:
        if self.table_title:
            table.heading = (*table.heading, clean(s))
            self.table_title = False
            return
        if self.table_heading is not None:
            self.add_text(table, self.table_heading)
            self.table_heading = None
        if is_short_heading(s, 20) and not re.search(r"[\d\s]", s):
            self.table_heading = s  # a plain heading when a paragraph follows, else a cell
            return
        self.add_text(table, raw.rstrip())

    def heading_line(self, raw: str, s: str) -> bool:
        """Numbered paragraphs, sub-paragraphs and headings of every level; False for plain text."""
        if m := major_heading(raw):
            label = roman(m.group(1)) if m.group(1)[0] in CN_NUMERALS else m.group(1)
            self.section, self.restart_ok = label, True
            self.mode = "body"
            if m.group(2) is None:
                self.pending_major = s
            else:
                self.set_heading(MAJOR_L, s)
            return True
        if (m := MINOR.match(raw)) and is_short_heading(s):
            self.mode = "body" if self.mode != "front" or self.blocks else self.mode
            self.set_heading(MINOR_L, s)
            return True
        if m := NUMBERED.match(raw):
            n = int(m.group(1))
            restart = n == 1 and self.restart_ok and self.expected > 1 and not is_short_heading(s, 20)
            if n == self.expected or restart:
                if self.table_heading is not None:
                    self.set_heading(PLAIN_L, self.table_heading)
                    self.table_heading = None
                self.mode, self.restart_ok = "body", False
                self.expected = n + 1
                b = self.new_block("para", str(n))
                self.sections_numbered.add(self.section)
                self.add_text(b, m.group(2))
                return True
            if is_short_heading(s, 25) and self.mode != "front":
                self.set_heading(NUMBERED_L, s)
                return True
            return False
        if (m := SUB.match(raw)) and self.mode != "front":
            cur = self.current
            in_list = cur is not None and cur.kind != "table" and cur.text.rstrip().endswith(LEAD_IN)
            if not in_list and is_short_heading(s) and (cur is None or not cur.is_open()):
                self.set_heading(LETTERED_L, s)  # a lettered heading: (a) 内部监督事务厅
                return True
            if cur is not None and cur.kind != "table":
                self.add_text(cur, "\n" + s)
                return True
        return False

    def text_line(self, raw: str, s: str) -> None:
        cur = self.current
        if cur is not None and BULLET.match(raw):
            return self.add_text(cur, "\n" + s)
        if cur is not None and cur.kind == "preamble" and raw[:1].isspace() and cur.text.endswith(("，", ",")):
            cur = self.current = None
        if (
            cur is not None
            and (cur.is_open() or cur.kind in ("summary", "para"))
            and (cur.kind == "preamble" or not (is_short_heading(s, 30) and not cur.is_open()))
        ):
            return self.add_text(cur, s)
        if is_short_heading(s, 30) and (cur is None or not cur.is_open()):
            self.set_heading(PLAIN_L, s)
            return
        if self.section not in self.sections_numbered:
            if cur is None or cur.kind != "preamble" or (raw[:1].isspace() and not cur.is_open()):
                n = self.preamble_count[self.section] = self.preamble_count.get(self.section, 0) + 1
                cur = self.new_block("preamble", f"preamble {n}")
            return self.add_text(cur, s)
        last = next((b for b in reversed(self.blocks) if b.kind == "para"), None)
        if last is not None:
            self.current = last
            self.add_text(last, s)

    def annex_line(self, raw: str, s: str) -> None:
        cur = self.current
        if cur is None or (len(cur.text) > 300 and not cur.is_open()) or len(cur.text) > 600:
            self.annex_count += 1
            label = f"annex {self.annex} {self.annex_count}" if self.annex else f"annex {self.annex_count}"
            cur = self.new_block("annex", label)
        self.add_text(cur, raw.rstrip())
