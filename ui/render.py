"""An answer as the chat shows it: clickable citation markers, its sources line, copy and feedback buttons,
and the clean text the copy button and the conversation download give (`[A/76/76 ¶6]`, no markup).

The Chatbot renders this HTML unsanitised (gradio's sanitiser drops `data-*` and `aria-label`), so every piece
of text that reaches it is escaped here: `md_escape` for what is shown, `attr` for what sits in an attribute.
"""

from __future__ import annotations

import html
import re

from ui.i18n import t
from ui.session import Source, Turn

MARKER = re.compile(r"\\\[(\d+)\\\]")  # [n] once md_escape has escaped the brackets
RAW_MARKER = re.compile(r"\[(\d+)\]")
MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>-])")
STAGES = ("prepare", "retrieve", "answer", "total")
# thumbs (Material icons, Apache-2.0), drawn inline: no emoji font needed, nothing fetched
THUMB_UP = (
    "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 "
    "7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z"
)
THUMB_DOWN = (
    "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 "
    ".41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z"
)


def icon(path: str) -> str:
    svg = '<svg viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" focusable="false">'
    return f'{svg}<path d="{path}"/></svg>'


def md_escape(text: str) -> str:
    """Markdown- and HTML-inert text (quoted document text may hold `*`, `<`, `1.` at a line start)."""
    return MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def attr(text: str) -> str:
    """Text for an HTML attribute value, on one line (a blank line would end the Markdown HTML block)."""
    return html.escape(text, quote=True).replace("\r", "").replace("\n", "&#10;")


def spoken_key(key: str, lang: str) -> str:
    """A citation key as a screen reader should say it: `A/76/76 ¶6` -> `A/76/76 paragraph 6` (`第 6 段`)."""
    doc, sep, number = key.partition(" ¶")
    return f"{doc} {t(lang, 'paragraph_spoken', n=number)}" if sep else key


def cite_button(s: Source, turn: str | int, lang: str, text: str = "") -> str:
    """A focusable marker carrying its citation key: Enter or a click opens the paragraph in the panel."""
    n = s.number
    label = t(lang, "cite_spoken", n=n, key=spoken_key(s.key, lang)) if n is not None else spoken_key(s.key, lang)
    shown = html.escape(text) if text else f"[{n}]"
    return (
        f'<button type="button" class="cite" data-key="{attr(s.key)}" data-turn="{attr(str(turn))}" '
        f'aria-label="{attr(label)}">{shown}</button>'
    )


def answer_markdown(text: str, turn: Turn | None = None) -> str:
    """The answer with its [n] markers: while it streams (no `turn` yet) plain raised numbers; once complete,
    buttons that open their paragraph, then the sources line, copy and feedback buttons."""
    if turn is None:
        return MARKER.sub(r"<sup class='cite'>[\1]</sup>", md_escape(text))
    numbered = {s.number: s for s in turn.sources if s.number is not None}

    def button(m: re.Match[str]) -> str:
        s = numbered.get(int(m.group(1)))
        return cite_button(s, turn.id, turn.lang) if s else m.group(0)

    return f"{MARKER.sub(button, md_escape(text))}\n\n{answer_tools(turn)}"


def answer_tools(turn: Turn) -> str:
    """One line under an answer: each source as a button, then Copy, 👍 and 👎 (all found by ui/page.js)."""
    lang = turn.lang
    if turn.refused:
        refs = " · ".join(cite_button(s, turn.id, lang, s.key) for s in turn.sources)
        head = t(lang, "nearest_line")
    else:
        refs = " · ".join(cite_button(s, turn.id, lang, f"[{s.number}] {s.key}") for s in turn.sources)
        head = t(lang, "sources_line")
    line = f"<span class='refs'>{html.escape(head)}: {refs}</span>" if refs else ""
    buttons = (
        f'<button type="button" class="tool" data-act="copy" data-done="{attr(t(lang, "copied"))}" '
        f'aria-label="{attr(t(lang, "copy_aria"))}">{html.escape(t(lang, "copy"))}</button>'
        f'<button type="button" class="tool" data-act="up" aria-label="{attr(t(lang, "thumbs_up"))}" '
        f'title="{attr(t(lang, "thumbs_up"))}">{icon(THUMB_UP)}</button>'
        f'<button type="button" class="tool" data-act="down" aria-label="{attr(t(lang, "thumbs_down"))}" '
        f'title="{attr(t(lang, "thumbs_down"))}">{icon(THUMB_DOWN)}</button>'
    )
    return (
        f'<div class="answer-tools" data-turn="{turn.id}" data-copy="{attr(plain_answer(turn))}" '
        f'data-md="{attr(conversation_entry(turn))}">{line}<span class="tool-row">{buttons}</span></div>'
    )


def plain_answer(turn: Turn) -> str:
    """What Copy gives: the answer with `[A/76/76 ¶6]` for each [n], then its sources, one a line; no markup."""
    numbered = {s.number: s.key for s in turn.sources if s.number is not None}
    body = RAW_MARKER.sub(
        lambda m: f"[{numbered[int(m.group(1))]}]" if int(m.group(1)) in numbered else m.group(0), turn.text
    )
    if not turn.sources:
        return body
    head = t(turn.lang, "nearest_line" if turn.refused else "sources_line")
    lines = [f"- {source_label(s, turn.lang)}" for s in turn.sources]
    return f"{body}\n\n{head}:\n" + "\n".join(lines)


def conversation_entry(turn: Turn) -> str:
    """One turn of the downloaded conversation, in Markdown (document text is not Markdown: it is quoted)."""
    question = turn.question.replace("\n", " ")
    answer = "\n".join(f"> {line}" if line else ">" for line in plain_answer(turn).splitlines())
    return f"**{t(turn.lang, 'asked')}:** {question}\n\n{answer}\n"


def doc_titles(s: Source, lang: str) -> tuple[str, str]:
    """(title first, title second): the English title first for an English reader, the Chinese one beside it."""
    if lang != "zh" and s.doc_title_en:
        return s.doc_title_en, s.doc_title
    return s.doc_title, ""


def source_label(s: Source, lang: str) -> str:
    """`[1] A/76/76 ¶6 · Activities of the Ethics Office … › 三. 一般资料`: key, the document's title in the reader's
    language, then the (Chinese) heading path; a document not from the bundled corpus is marked
    (`· [uploaded]`), so an upload cannot pass for an official one."""
    mark = f"[{s.number}] " if s.number is not None else ""
    path = " › ".join([h for h in s.heading if h != s.doc_title][-2:])
    origin = f" · [{t(lang, 'origin_' + s.origin)}]" if s.origin in ("uploaded", "ingested") else ""
    return f"{mark}{s.key} · {doc_titles(s, lang)[0]}" + (f" › {path}" if path else "") + origin


def timings_markdown(turn: Turn) -> str:
    ms = turn.timings_ms
    stages = " · ".join(f"{t(turn.lang, 'stage_' + k)} {ms[k]:.0f} ms" for k in STAGES if k in ms)
    return f"{stages}\n\n{t(turn.lang, 'query')}: {md_escape(turn.query)}"
