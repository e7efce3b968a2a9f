"""Text and HTML for the page: answers with citation markers, source labels, the paragraph view, timings."""

from __future__ import annotations

import html
import re

from ui.i18n import t
from ui.session import Source, Turn

MARKER = re.compile(r"\\\[(\d+)\\\]")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
STAGES = ("prepare", "retrieve", "answer", "total")


def md_escape(text: str) -> str:
    """Markdown- and HTML-inert text (quoted document text may hold `*`, `<`, `1.` at a line start)."""
    return MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def answer_markdown(text: str, turn: Turn | None = None) -> str:
    """The answer with its [n] markers raised; once complete, one line naming each numbered source."""
    body = MARKER.sub(r"<sup class='cite'>[\1]</sup>", md_escape(text))
    if turn is None or turn.refused or not turn.sources:
        return body
    refs = " · ".join(f"[{s.number}] {md_escape(s.key)}" for s in turn.sources if s.number is not None)
    return f"{body}\n\n<span class='refs'>{t(turn.lang, 'sources_line')}: {refs}</span>"


ORIGIN_MARK = {"uploaded": "上传文件 · uploaded", "ingested": "另行加入 · ingested"}


def source_label(s: Source) -> str:
    """`[1] A/76/76 ¶6 · 道德操守办公室的活动 › 三. 一般资料` — key, document title, heading path; a document not
    from the bundled corpus is marked (`… · [上传文件 · uploaded]`), so an upload cannot pass for an official one."""
    mark = f"[{s.number}] " if s.number is not None else ""
    path = " › ".join([h for h in s.heading if h != s.doc_title][-2:])
    origin = f" · [{ORIGIN_MARK[s.origin]}]" if s.origin in ORIGIN_MARK else ""
    return f"{mark}{s.key} · {s.doc_title}" + (f" › {path}" if path else "") + origin


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


def paragraph_html(s: Source | None, lang: str) -> str:
    if s is None:
        return f"<div class='para para-empty'>{html.escape(t(lang, 'paragraph_empty'))}</div>"
    title = html.escape(s.doc_title) + (
        f" <span class='en'>({html.escape(s.doc_title_en)})</span>" if s.doc_title_en and lang != "zh" else ""
    )
    parts = [
        "<div class='para'>",
        f"<div class='para-key'>{html.escape(s.key)}</div>",
        f"<div class='para-doc'>{title}</div>",
    ]
    heading = [h for h in s.heading if h != s.doc_title]
    if heading:
        parts.append(f"<div class='para-path'>{' › '.join(html.escape(h) for h in heading)}</div>")
    parts.append(f"<p class='para-text'>{highlight(s.text, s.quotes)}</p>")
    if s.footnotes:
        notes = "".join(f"<li>{highlight(n, s.quotes)}</li>" for n in s.footnotes)
        parts.append(f"<div class='para-notes'><div>{t(lang, 'footnotes')}</div><ul>{notes}</ul></div>")
    parts.append("</div>")
    return "".join(parts)


def timings_markdown(turn: Turn) -> str:
    ms = turn.timings_ms
    stages = " · ".join(f"{t(turn.lang, 'stage_' + k)} {ms[k]:.0f} ms" for k in STAGES if k in ms)
    return f"{stages}\n\n{t(turn.lang, 'query')}: {md_escape(turn.query)}"
