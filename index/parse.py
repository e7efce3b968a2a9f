"""Text of a UN document to `Paragraph`s: numbers, heading path, clean text, footnotes attached.

The text comes from PDF extraction, so the parser removes page furniture (link lines, symbol and
job-number lines), lifts footnote blocks out of the paragraphs they cut, re-joins paragraphs split by
page breaks, and tells real paragraph numbers from numbered headings, table rows and stray numbers by
their sequence. See corpus/README.md of the shared folder for the hazards this handles.
"""

from __future__ import annotations

import re

from index.block import Block
from index.blocks import BlockParser
from index.lines import (
    INLINE_SUB,
    INLINE_UNDOCS,
    LIST_START,
    PAGE_BREAK,
    clean,
    is_short_heading,
    join_lines,
    strip_furniture,
)
from index.tables import parse_table
from index.types import Document, Paragraph


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
        table = parse_table(b.lines) if b.kind in ("annex", "table") else ()
        out.append(Paragraph(doc.doc_id, doc.label, number, text, b.heading, notes, len(out), table))
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
    parser = BlockParser()
    blocks = parser.run(lines)
    if sum(b.kind == "para" for b in blocks) < 3:
        return parse_plain(lines, doc)
    numbers = [(b.section, b.number) for b in blocks if b.kind == "para"]
    restarted = len({n for _, n in numbers}) < len(numbers)
    return to_paragraphs(blocks, doc, prefix_sections=restarted)
