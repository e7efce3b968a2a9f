"""Document text made inert for Markdown: shown as written, never turned into HTML, links, headings or tables.

A paragraph may hold `<script>`, `[x](javascript:…)`, a line starting `# ` or `|` columns; every document
string a brief prints in Markdown goes through `md_text` (the DOCX export writes plain text and needs none).
"""

from __future__ import annotations

import html
import re

INLINE = re.compile(r"([\\`*_\[\]|~])")  # emphasis, code, links and images, tables, strike-through
LINE_START = re.compile(r"^([ \t]*)([#+=-]|\d+(?=[.)]))", re.M)  # headings, lists, setext underlines
MARKER = re.compile(r"\\\[(\d+)\\\](?![(\[:])")  # a bare [n] is never a link: no target, no definition


def md_inline(text: str) -> str:
    """`text` escaped for a place no block can start (after `## `): HTML as entities, markup with a backslash."""
    return INLINE.sub(r"\\\1", html.escape(text, quote=False))


def md_text(text: str) -> str:
    """`md_inline`, and no line of `text` starts a heading or a list."""
    return LINE_START.sub(_line_start, md_inline(text))


def _line_start(m: re.Match[str]) -> str:
    """`# x` -> `\\# x`, `- x` -> `\\- x`, `1. x` -> `1\\. x`: no heading or list item from a line of text."""
    indent, mark = m.group(1), m.group(2)
    return indent + (mark + "\\" if mark[0].isdigit() else "\\" + mark)


def with_markers(text: str, inline: bool = False) -> str:
    """`md_text` (or `md_inline`), keeping the brief's own citation markers `[n]` as they are."""
    return MARKER.sub(r"[\1]", md_inline(text) if inline else md_text(text))
