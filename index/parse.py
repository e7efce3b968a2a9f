"""Text of a UN document to `Paragraph`s: numbers, heading path, clean text, footnotes attached.

The text comes from PDF extraction, so the parser removes page furniture (link lines, symbol and
job-number lines), lifts footnote blocks out of the paragraphs they cut, re-joins paragraphs split by
page breaks, and tells real paragraph numbers from numbered headings, table rows and stray numbers by
their sequence. See corpus/README.md of the shared folder for the hazards this handles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.types import Document, Paragraph

PARSER_VERSION = "4"

CJK = "\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201d"
TERMINAL = tuple("。；;：:！？!?")
LEAD_IN = tuple("：:；;")  # a line ending so introduces sub-paragraphs (a), (b) ...
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_TO_DIGIT = str.maketrans(SUPERSCRIPT, "0123456789")
CN_NUMERALS = "一二三四五六七八九十"
ROMAN = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]

LINK_LINE = re.compile(r"^\s*<?(https?://|www\.)\S*\s*$")
JOB_LINE = re.compile(r"^\s*(\d{1,3}/\d{1,3}\s+)?\d{2}-\d{5}(\s+\d{1,3}/\d{1,3})?\s*$")
SYMBOL_LINE = re.compile(r"^\s*((?:A|E|S|ST|JIU)/[A-Za-z0-9./()-]+)\s*$")
RULE_LINE = re.compile(r"^\s*_{5,}\s*$")
INLINE_UNDOCS = re.compile(r"https?://undocs\.org\S*")
SUMMARY = re.compile(r"^\s*(摘要|Summary)\s*$")
ANNEX = re.compile(rf"^\s*(?:附件([{CN_NUMERALS}]*)|Annex(?:\s+([IVX]+))?)\s*$")
MAJOR = re.compile(rf"^\s*([{CN_NUMERALS}]+)\s*(?:[.．、]\s*(\S.*))?$")
MAJOR_ROMAN = re.compile(r"^\s*([IVX]+)\.\s+(\S.*)$")
MINOR = re.compile(r"^\s*([A-Z])[.．]\s+(\S.*)$")
NUMBERED = re.compile(r"^\s*(\d{1,3})\s*[.．](?!\d)\s*(.*)$")
SUB = re.compile(r"^\s*\(([a-z]{1,2}|[ivx]{1,4})\)\s*(.*)$")
INLINE_SUB = re.compile(r"(?<=[：:；;])[ \t]*(?=\(([a-z]{1,2}|[ivx]{1,4})\)\s?\S)")  # `：(a) ...；(b) ...` in a line
LIST_START = re.compile(r"(?<![A-Za-z0-9(\n])[ \t]*(?=\(a\)\s?[^\n]*\n\(b\))")  # `以(a) ...` before a `(b)` line
CAPTION = re.compile(rf"^\s*图\s*[{CN_NUMERALS}0-9]+\s*$")
TABLE = re.compile(rf"^\s*表\s*([{CN_NUMERALS}0-9]+)\s*$")
FIGURE_NOTE = re.compile(r"^\s*[a-z]\s+\S")
TITLE_NOTE = re.compile(r"^\s*\*\s*\S")
SUP_FOOTNOTE = re.compile(rf"^\s*([{SUPERSCRIPT}]+)\s*(.*)$")
FOOTNOTE_START = re.compile(r"^\s*(\d{1,3})(?![\d.．])\s*(\S.*)$")
BULLET = re.compile(r"^\s*[•●▪◦]\s*\S")
PAGE_BREAK = "\x0c"
CJK_CHAR = re.compile(rf"[{CJK}{CJK_PUNCT}]")
# Heading levels: 一. / A. / numbered subheading (1. 雇用) / lettered subheading ((a) 内部监督事务厅) /
# plain subheading (迄今取得的进展). A heading holds until one of its level or above replaces it.
MAJOR_L, MINOR_L, NUMBERED_L, LETTERED_L, PLAIN_L = 0, 1, 2, 3, 4


def clean(text: str) -> str:
    """Collapse whitespace; drop the justification spaces that PDF extraction puts between CJK chars."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(rf"(?<=[{CJK}{CJK_PUNCT}]) (?=[{CJK}{CJK_PUNCT}])", "", text)


def join_lines(lines: list[str]) -> str:
    """Join wrapped lines (a space only between non-CJK text); a line stored with a leading newline
    (a sub-paragraph, a bullet) starts a new line."""
    out = ""
    for line in lines:
        s = line.strip()
        if s and out and line.startswith("\n"):
            out += "\n"
        elif s and out and not (CJK_CHAR.match(out[-1]) or CJK_CHAR.match(s)):
            out += " "
        out += s
    return out


def major_heading(raw: str) -> re.Match[str] | None:
    """`一. 导言`, `I. Introduction`, or a bare `一` whose title is on the next line."""
    m = MAJOR.match(raw) or MAJOR_ROMAN.match(raw)
    return m if m and is_short_heading(raw) and (m.group(2) is not None or len(raw.strip()) <= 3) else None


def structural(raw: str) -> bool:
    """A line that starts a paragraph, heading, table, figure or annex (ends a figure's debris)."""
    return bool(major_heading(raw)) or any(p.match(raw) for p in (NUMBERED, SUB, MINOR, ANNEX, TABLE, CAPTION))


def is_short_heading(s: str, limit: int = 40) -> bool:
    s = s.strip()
    return 0 < len(s) <= limit and not s.endswith((*TERMINAL, "，", ",", "."))


def roman(cn: str) -> str:
    n = CN_NUMERALS.index(cn[-1]) + 1 + (10 if len(cn) > 1 else 0) if cn else 0
    return ROMAN[n] if n < len(ROMAN) else cn


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


def strip_furniture(lines: list[str], symbol: str | None) -> list[str]:
    """Drop link lines and page headers/footers; leave a page-break mark where they stood."""
    out: list[str] = []
    for line in lines:
        sym = SYMBOL_LINE.match(line)
        if LINK_LINE.match(line) or JOB_LINE.match(line) or (sym and sym.group(1) == symbol):
            if not out or out[-1] != PAGE_BREAK:
                out.append(PAGE_BREAK)
            continue
        out.append(line.replace("\u00a0", " "))
    return out


class _Parser:
    """A line-by-line state machine over a numbered UN document."""

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

    # -- footnotes -------------------------------------------------------------------------
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


def block_text(b: Block) -> str:
    """Clean text; sub-paragraphs (a), (b) ... one per line; table and annex rows keep their spaces."""
    if b.kind in ("annex", "table"):
        return re.sub(r"\s+", " ", " ".join(b.lines)).strip()
    body = INLINE_SUB.sub("\n", b.text)
    body = body if re.search(r"^\(a\)", body, re.M) else LIST_START.sub("\n", body, count=1)
    return "\n".join(part for part in map(clean, body.split("\n")) if part)


def to_paragraphs(blocks: list[Block], doc: Document, prefix_sections: bool) -> list[Paragraph]:
    out: list[Paragraph] = []
    for b in blocks:
        if not (text := block_text(b)):
            continue
        number = b.number
        if prefix_sections and b.kind in ("para", "preamble") and b.section:
            number = f"{b.section}.{number}"
        notes = tuple(clean(INLINE_UNDOCS.sub("", f)) for f in b.footnotes)
        out.append(Paragraph(doc.doc_id, doc.label, number, text, b.heading, notes, position=len(out)))
    return out


def parse_plain(lines: list[str], doc: Document) -> list[Paragraph]:
    """Documents without paragraph numbers: blank-line blocks, numbered by position. `# Title` lines
    (Markdown levels) and short unpunctuated lines are headings."""
    out: list[Paragraph] = []
    heading: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        text = clean(join_lines(buf))
        buf.clear()
        if m := re.match(r"(#{1,6})\s*(.*)", text):
            level = len(m.group(1)) - 1
            heading[level:] = [*[""] * (level - len(heading)), m.group(2)]
        elif is_short_heading(text, 39):
            heading[min(1, len(heading)) :] = [text]
        elif text:
            head = tuple(h for h in heading if h)
            out.append(Paragraph(doc.doc_id, doc.label, str(len(out) + 1), text, head, (), len(out)))

    for line in [*lines, ""]:
        is_heading = line.lstrip().startswith("#")
        if is_heading or line == PAGE_BREAK or not line.strip():
            flush()
        if line.strip() and line != PAGE_BREAK:
            buf.append(line)
        if is_heading:
            flush()
    return out


def parse(text: str, doc: Document) -> list[Paragraph]:
    """The paragraphs of a document's text, in reading order; numbered by position when unnumbered."""
    lines = strip_furniture(text.splitlines(), doc.symbol)
    parser = _Parser()
    blocks = parser.run(lines)
    if sum(b.kind == "para" for b in blocks) < 3:
        return parse_plain(lines, doc)
    numbers = [(b.section, b.number) for b in blocks if b.kind == "para"]
    restarted = len({n for _, n in numbers}) < len(numbers)
    return to_paragraphs(blocks, doc, prefix_sections=restarted)
