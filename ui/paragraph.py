"""The paragraph panel: a cited paragraph in full with its quoted sentences highlighted; a table unit as a
table (header row, row labels), a quoted cell marked with its row and column labels."""

from __future__ import annotations

import html
import re

from ui.i18n import t
from ui.render import doc_titles
from ui.session import Source


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _spans(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    """Where the quoted sentences sit in `text`, whitespace-insensitively, merged."""
    found: list[tuple[int, int]] = []
    for q in quotes:
        chars = [re.escape(c) for c in q if not c.isspace()]
        if not chars:
            continue
        m = re.search(r"\s*".join(chars), text)
        if m:
            found.append(m.span())
    found.sort()
    merged: list[tuple[int, int]] = []
    for a, b in found:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def highlight(text: str, quotes: list[str]) -> str:
    """Escaped `text` with each quoted sentence wrapped in <mark>."""
    out, pos = [], 0
    for a, b in _spans(text, quotes):
        out += [html.escape(text[pos:a]), "<mark>", html.escape(text[a:b]), "</mark>"]
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def quoted_cells(table: list[list[str]], quotes: list[str]) -> set[tuple[int, int]]:
    """The (row, column) of each value cell a quote gives: its value together with its row or column label
    (a quoted cell reads with its labels: `2020 年 … 请求总数 … 138`), or its whole row quoted as text."""
    said = [_squeeze(q) for q in quotes if q.strip()]
    if not said or len(table) < 2:
        return set()
    header = table[0]
    cells: set[tuple[int, int]] = set()
    for r, row in enumerate(table[1:], start=1):
        label = _squeeze(row[0]) if row else ""
        for c, value in enumerate(row[1:], start=1):
            v = _squeeze(value)
            column = _squeeze(header[c]) if c < len(header) else ""
            if v and any(v in q and ((label and label in q) or (column and column in q)) for q in said):
                cells.add((r, c))
    return cells


def table_html(table: list[list[str]], marked: set[tuple[int, int]], caption: str = "") -> str:
    """The table with <th scope> headers, so that a screen reader reads each cell with its row and column;
    a marked cell is highlighted, and so are its row label and column header."""
    rows = [r for r in table if r]
    if not rows:
        return ""
    cols, lines = {c for _, c in marked}, {r for r, _ in marked}

    def th(text: str, scope: str, on: bool) -> str:
        return f"<th scope='{scope}'" + (" class='label-on'" if on else "") + f">{html.escape(text)}</th>"

    head = "".join(th(h, "col", c in cols) for c, h in enumerate(rows[0]))
    body = []
    for r, row in enumerate(rows[1:], start=1):
        cells = [th(row[0], "row", r in lines)]
        for c, value in enumerate(row[1:], start=1):
            inner = f"<mark>{html.escape(value)}</mark>" if (r, c) in marked else html.escape(value)
            cells.append(f"<td>{inner}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    name = html.escape(caption or "table", quote=True)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return (
        f"<div class='para-table-wrap' tabindex='0' role='region' aria-label='{name}'><table class='para-table'>"
        f"{cap}<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )


def paragraph_html(s: Source | None, lang: str) -> str:
    close_label = html.escape(t(lang, "close"), quote=True)
    close = f"<button type='button' class='para-close' aria-label='{close_label}'>×</button>"
    if s is None:
        return f"<div class='para para-empty'>{html.escape(t(lang, 'paragraph_empty'))}</div>"
    first, second = doc_titles(s, lang)
    title = html.escape(first) + (f" <span class='other-title'>({html.escape(second)})</span>" if second else "")
    parts = [
        f"<div class='para' data-key='{html.escape(s.key, quote=True)}'>{close}",
        f"<div class='para-key'>{html.escape(s.key)}</div>",
        f"<div class='para-doc'>{title}</div>",
    ]
    heading = [h for h in s.heading if h != s.doc_title]
    if heading:
        parts.append(f"<div class='para-path'>{' › '.join(html.escape(h) for h in heading)}</div>")
    if s.table:
        marked = quoted_cells(s.table, s.quotes)
        parts.append(table_html(s.table, marked, heading[-1] if heading else s.key))
        text = highlight(s.text, s.quotes)
        opened = " open" if "<mark>" in text and not marked else ""  # a quote no cell holds: show where it is
        parts.append(
            f"<details class='para-printed'{opened}><summary>{html.escape(t(lang, 'table_text'))}</summary>"
            f"<p class='para-text'>{text}</p></details>"
        )
    else:
        parts.append(f"<p class='para-text'>{highlight(s.text, s.quotes)}</p>")
    if s.footnotes:
        notes = "".join(f"<li>{highlight(n, s.quotes)}</li>" for n in s.footnotes)
        parts.append(f"<div class='para-notes'><div>{t(lang, 'footnotes')}</div><ul>{notes}</ul></div>")
    parts.append("</div>")
    return "".join(parts)
