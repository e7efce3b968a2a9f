"""Line-level rules of the UN-document parser: the patterns of headings, numbers, footnotes and page
furniture, whitespace repair for CJK text extracted from PDF, and the removal of page furniture."""

from __future__ import annotations

import re

from index.text import CJK, CJK_PUNCT

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
