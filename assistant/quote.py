"""What an extractive answer may quote from a unit, and how a quote is shown.

A quote stays verbatim (its `Citation.quote` is in the paragraph, whitespace aside); what the reader is shown may
differ from it only by editorial marks that say so: an unresolved reference named in square brackets (`该办公室`
shown as `[道德操守办公室]`, the office the paragraph means), a footnote's number and stray brackets left out.
A table's row is shown with its row and column labels (`虚假陈述和不实证明，数目：51`), its quote the row as the
paragraph prints it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.chunk import spans
from index.entities import ENTITIES
from index.types import Hit, Paragraph

# `该办公室`, `该厅`…: a reference to an office or body named earlier, by the kind of thing it is.
REFERENCE = re.compile(r"该(办公室|事务厅|厅|司|部|小组|网络|委员会|理事会|机制|处|署)")
REFERENCE_WINDOW = 24  # only a reference this near the start leaves a quote opening unresolved
OPENERS, CLOSERS = "(（[【“‘《", ")）]】”’》"
FOOTNOTE_NUMBER = re.compile(r"^(?:\d{1,3}\s*|[a-z]\s+)(?=\S)")  # `5 这 3 起案件…`, a table's `c 其余…`
ROW_SEP, CELL_SEP = "；", "，"
BLOB_FIGURE = re.compile(r"(?<![\d.])\d+(?:\.\d+)?[a-z]?(?=\s)")
BLOB_FIGURES = 10  # this many figures (separated by spaces only) in a span without commas: a table blob


@dataclass(frozen=True, slots=True)
class Quotable:
    """One thing the answer may say: what is shown, the verbatim quote it stands for, its hit and rank."""

    rank: int
    shown: str
    quote: str
    hit: Hit
    row: bool = False  # a table row, shown with its labels
    note: bool = False  # a footnote of the paragraph

    @property
    def paragraph(self) -> Paragraph:
        return self.hit.paragraph


def balanced(text: str) -> str:
    """The text without brackets that open or close nothing inside it (`)在请求总数中…`, `…(见图二`)."""
    out = text
    while out and out[0] in CLOSERS:
        out = out[1:].lstrip()
    while out and out[-1] in OPENERS:
        out = out[:-1].rstrip()
    for o, c in zip(OPENERS, CLOSERS, strict=True):
        if o != c and out.count(c) > out.count(o) and c in out:
            i = out.index(c)
            if out.find(o, 0, i) < 0:
                out = out[:i] + out[i + 1 :]
    return out.strip()


def blob(span: str) -> bool:
    """A table flattened to text (no grid read): many figures with hardly a comma between them."""
    return len(BLOB_FIGURE.findall(span)) >= BLOB_FIGURES and span.count("，") + span.count(",") < 2


def quotables(rank: int, hit: Hit) -> list[Quotable]:
    """A unit's spans: its sentences (a short ；-list whole) and footnotes (without their numbers), or the rows
    of its table."""
    p = hit.paragraph
    if p.table:
        return table_rows(rank, hit)
    # shown without stray brackets; quoted as the paragraph prints it (`4) 在报告中…` is shown `4 在报告中…`)
    out = [Quotable(rank, s, x.strip(), hit) for x in spans(p.text) if (s := balanced(x)) and not blob(s)]
    for note in p.footnotes:
        body = balanced(FOOTNOTE_NUMBER.sub("", note))
        if body:
            out.append(Quotable(rank, body, body, hit, note=True))
    return out


def row_pattern(cells: tuple[str, ...]) -> re.Pattern[str]:
    """A table row as the paragraph prints it: its cells in order, any spacing, a footnote letter after a number."""
    parts = []
    for c in cells:
        chars = r"\s*".join(re.escape(ch) for ch in re.sub(r"\s+", "", c))
        parts.append(chars + (r"[a-z]?" if c[-1:].isdigit() else ""))
    return re.compile(r"\s*".join(parts))


def table_title(p: Paragraph) -> str:
    head = p.heading[-1] if p.heading else ""
    return "" if head.startswith(("附件", "Annex")) else head


def table_rows(rank: int, hit: Hit) -> list[Quotable]:
    """Each row with a value: shown as `label，header：value；…`, quoted as printed (rows not found verbatim are
    left out)."""
    p = hit.paragraph
    header, out = p.table[0], []
    for row in p.table[1:]:
        cells = [c for c in row if c]
        if len(cells) < 2:
            continue  # a group label
        m = row_pattern(tuple(cells)).search(p.text)
        if m is None:
            continue
        values = [f"{h}：{v}" if h else v for h, v in zip(header[1:], row[1:], strict=False) if v]
        shown = f"{row[0]}{CELL_SEP}{ROW_SEP.join(values)}"
        out.append(Quotable(rank, shown, m.group(0), hit, row=True))
    return out


def referent(kind: str, before: str, p: Paragraph, doc_title: str) -> str | None:
    """The office or body a `该<kind>` means: the last one of that kind named before it in the paragraph, else in
    its headings, else in its document's title."""
    for text in (before, " ".join(reversed(p.heading)), doc_title):
        found: list[tuple[int, str]] = []
        for e in ENTITIES:
            name = e.zh[0]
            if not name.endswith(kind):
                continue
            found += [(m.end(), name) for m in e.in_chinese.finditer(text)]
        if found:
            return max(found)[1]
    return None


def resolved(q: Quotable, doc_title: str) -> str:
    """What is shown for a quote: a reference near its start named in square brackets (`[道德操守办公室]`)."""
    if q.row:
        return q.shown
    m = REFERENCE.search(q.shown[:REFERENCE_WINDOW])
    if m is None:
        return q.shown
    flat = re.sub(r"\s+", "", q.paragraph.text)
    start = flat.find(re.sub(r"\s+", "", q.quote)[:12])
    before = flat[:start] if start > 0 else ""
    name = referent(m.group(1), before, q.paragraph, doc_title)
    return q.shown if name is None else q.shown[: m.start()] + f"[{name}]" + q.shown[m.end() :]
