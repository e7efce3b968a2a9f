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

PARSER_VERSION = "3"

CJK = "\u3400-\u9fff\uf900-\ufaff"
CJK_PUNCT = "\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2018-\u201d"
TERMINAL = tuple("。；;：:！？!?")
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
CAPTION = re.compile(rf"^\s*图\s*[{CN_NUMERALS}0-9]+\s*$")
TABLE = re.compile(rf"^\s*表\s*([{CN_NUMERALS}0-9]+)\s*$")
FIGURE_NOTE = re.compile(r"^\s*[a-z]\s+\S")
TITLE_NOTE = re.compile(r"^\s*\*\s*\S")
SUP_FOOTNOTE = re.compile(rf"^\s*([{SUPERSCRIPT}]+)\s*(.*)$")
FOOTNOTE_START = re.compile(r"^\s*(\d{1,3})(?!\d)\s*(\S.*)$")
PAGE_BREAK = "\x0c"


def clean(text: str) -> str:
    """Collapse whitespace; drop the justification spaces that PDF extraction puts between CJK chars."""
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(rf"(?<=[{CJK}{CJK_PUNCT}]) (?=[{CJK}{CJK_PUNCT}])", "", text)


def join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        s = line.strip()
        if not s:
            continue
        if out and (re.match(r"[A-Za-z0-9]", out[-1]) and re.match(r"[A-Za-z0-9(]", s[0])):
            out += " "
        out += s
    return out


def is_short_heading(s: str, limit: int = 40) -> bool:
    s = s.strip()
    return 0 < len(s) <= limit and not s.endswith(TERMINAL + ("，", ","))


def roman(cn: str) -> str:
    n = CN_NUMERALS.index(cn[-1]) + 1 + (10 if len(cn) > 1 else 0) if cn else 0
    return ROMAN[n] if n < len(ROMAN) else cn


@dataclass
class Block:
    kind: str  # para | summary | preamble | annex | plain
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

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.mode = "front"
        self.heading: list[str] = []  # [major, minor, sub]
        self.section = ""
        self.expected = 1
        self.restart_ok = False
        self.sections_numbered: set[str] = set()
        self.preamble_count: dict[str, int] = {}
        self.annex = ""
        self.annex_count = 0
        self.segments: list[tuple[Block, int]] = []  # (block, line index) in reading order
        self.fn_cursor = 0
        self.next_fn = 1
        self.in_footnotes = False
        self.fn_seen_in_block = False
        self.sup_notes: list[tuple[str, str]] = []
        self.caption_pending = 0
        self.pending_major: str | None = None
        self.table_title = False

    # -- structure -------------------------------------------------------------------------
    def set_heading(self, level: int, text: str) -> None:
        self.heading = self.heading[:level] + [clean(text)]
        self.current = None

    def new_block(self, kind: str, number: str) -> Block:
        b = Block(kind, number, tuple(h for h in self.heading if h), self.section)
        self.blocks.append(b)
        self.current = b
        return b

    def add_text(self, block: Block, line: str) -> None:
        block.lines.append(line)
        self.segments.append((block, len(block.lines) - 1))

    # -- footnotes -------------------------------------------------------------------------
    def start_footnote(self, number: int, text: str) -> None:
        """Find the footnote's marker in this page's body, remove it, attach the note there."""
        marker = re.compile(rf"(?<=[{CJK}{CJK_PUNCT})）\]]){number}(?![\d.,%/])")
        owner: Block | None = None
        for i in range(self.fn_cursor, len(self.segments)):
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
            owner = self.segments[-1][0] if self.segments else self.current
            if owner is not None and owner.footnotes:
                owner.footnotes[-1] += s
            return True
        self.in_footnotes = False
        self.fn_cursor = len(self.segments)
        return False

    # -- the main loop ---------------------------------------------------------------------
    def run(self, lines: list[str]) -> list[Block]:
        for raw in lines:
            if self.in_footnotes and self.footnote_line(raw):
                continue
            if raw == PAGE_BREAK:
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
            self.set_heading(0, f"{self.pending_major}. {s}")
            self.pending_major = None
            return
        if m := SUP_FOOTNOTE.match(raw):
            self.sup_notes.append((m.group(1).translate(SUP_TO_DIGIT), m.group(2)))
            return
        if TITLE_NOTE.match(raw):
            return
        if m := ANNEX.match(raw):
            self.annex = roman(m.group(1)) if m.group(1) else (m.group(2) or "")
            self.mode, self.annex_count = "annex", 0
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
            self.caption_pending = 2
            return
        if m := TABLE.match(raw):
            self.table_title = True
            self.new_block("table", f"table {m.group(1)}")
            return
        if self.heading_line(raw, s):
            return
        if self.current is not None and self.current.kind == "table":
            if self.table_title:
                self.current.heading = (*self.current.heading, clean(s))
                self.table_title = False
                return
            return self.add_text(self.current, raw.rstrip())
        if self.mode == "front":
            return
        if self.caption_pending and is_short_heading(s, 60):
            self.caption_pending -= 1
            return
        self.caption_pending = 0
        if FIGURE_NOTE.match(raw) and self.current is None and self.blocks:
            self.blocks[-1].footnotes.append(s)
            return
        self.text_line(raw, s)

    def heading_line(self, raw: str, s: str) -> bool:
        """Numbered paragraphs, sub-paragraphs and headings of every level; False for plain text."""
        m = MAJOR.match(raw) or MAJOR_ROMAN.match(raw)
        if m and is_short_heading(s) and (m.group(2) is not None or len(s) <= 3):
            label = roman(m.group(1)) if m.group(1)[0] in CN_NUMERALS else m.group(1)
            self.section, self.restart_ok = label, True
            self.mode = "body"
            if m.group(2) is None:
                self.pending_major = s
            else:
                self.set_heading(0, s)
            return True
        if (m := MINOR.match(raw)) and is_short_heading(s):
            self.mode = "body" if self.mode != "front" or self.blocks else self.mode
            self.set_heading(1, s)
            return True
        if m := NUMBERED.match(raw):
            n = int(m.group(1))
            restart = n == 1 and self.restart_ok and self.expected > 1 and not is_short_heading(s, 20)
            if n == self.expected or restart:
                if restart:
                    self.sections_numbered.add(self.section)
                self.mode, self.restart_ok = "body", False
                self.expected = n + 1
                self.heading = self.heading[:2]
                b = self.new_block("para", str(n))
                self.sections_numbered.add(self.section)
                self.add_text(b, m.group(2))
                return True
            if is_short_heading(s, 25) and self.mode != "front":
                self.set_heading(2, s)
                return True
            return False
        if (m := SUB.match(raw)) and self.mode != "front":
            if is_short_heading(s) and (self.current is None or not self.current.is_open()):
                self.set_heading(2, s)
                return True
            if self.current is not None:
                self.add_text(self.current, "\n" + s)
                return True
        return False

    def text_line(self, raw: str, s: str) -> None:
        cur = self.current
        if cur is not None and cur.kind == "preamble" and raw[:1].isspace() and cur.text.endswith(("，", ",")):
            cur = self.current = None
        if cur is not None and (cur.is_open() or cur.kind in ("summary", "para")):
            if cur.kind == "preamble" or not (is_short_heading(s, 30) and not cur.is_open()):
                return self.add_text(cur, s)
        if cur is not None and cur.kind == "preamble" and cur.is_open():
            return self.add_text(cur, s)
        if is_short_heading(s, 30) and (cur is None or not cur.is_open()):
            self.set_heading(2, s)
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
        for num, text in self.sup_notes:
            sup = num.translate(str.maketrans("0123456789", SUPERSCRIPT))
            pattern = re.compile(rf"(?<![{SUPERSCRIPT}]){sup}(?![{SUPERSCRIPT}])")
            for block in self.blocks:
                hit = False
                for i, line in enumerate(block.lines):
                    if pattern.search(line):
                        block.lines[i] = pattern.sub("", line, count=1)
                        block.footnotes.append(f"{num} {text}")
                        hit = True
                        break
                if hit:
                    break


def to_paragraphs(blocks: list[Block], doc: Document, prefix_sections: bool) -> list[Paragraph]:
    out: list[Paragraph] = []
    for b in blocks:
        sub_split = [clean(part) for part in b.text.split("\n")]
        text = "\n".join(p for p in sub_split if p)
        if not text:
            continue
        number = b.number
        if b.kind in ("annex", "table"):
            text = re.sub(r"\s+", " ", " ".join(b.lines)).strip()
        if prefix_sections and b.kind in ("para", "preamble") and b.section:
            number = f"{b.section}.{number}"
        notes = tuple(clean(INLINE_UNDOCS.sub("", f)) for f in b.footnotes)
        out.append(
            Paragraph(doc.doc_id, doc.label, number, text, b.heading, notes, position=len(out))
        )
    return out


def parse_plain(lines: list[str], doc: Document) -> list[Paragraph]:
    """Documents without paragraph numbers: blank-line blocks, numbered by position."""
    out: list[Paragraph] = []
    heading: tuple[str, ...] = ()
    buf: list[str] = []

    def flush() -> None:
        nonlocal heading
        text = clean(join_lines(buf))
        buf.clear()
        if not text:
            return
        if text.startswith("#") or (is_short_heading(text, 40) and len(text) < 40):
            heading = (text.lstrip("# ").strip(),)
            return
        out.append(Paragraph(doc.doc_id, doc.label, str(len(out) + 1), text, heading, (), len(out)))

    for line in lines:
        if line == PAGE_BREAK or not line.strip() or line.lstrip().startswith("#"):
            flush()
            if line.lstrip().startswith("#"):
                buf.append(line)
                flush()
            continue
        buf.append(line)
    flush()
    return out


def parse(text: str, doc: Document) -> list[Paragraph]:
    lines = strip_furniture(text.splitlines(), doc.symbol)
    parser = _Parser(doc)
    blocks = parser.run(lines)
    if sum(b.kind == "para" for b in blocks) < 3:
        return parse_plain(lines, doc)
    numbers = [(b.section, b.number) for b in blocks if b.kind == "para"]
    restarted = len({n for _, n in numbers}) < len(numbers)
    return to_paragraphs(blocks, doc, prefix_sections=restarted)
