"""The Facilitator tab: a theme in, a cited leadership-dialogue brief out (shown, and as .md and .docx).

The exports never touch the server's disk: the brief's Markdown and Word bytes travel in the page and
ui/page.js hands them to the browser as downloads (nothing is kept, nothing to delete later).
`build_facilitator_tab` is layout only and runs inside a `gr.Tab` the app has opened; the work is in plain
functions (`doc_choices`, `brief_files`, `on_make_brief`) that tests call directly.
"""

from __future__ import annotations

import base64
import html
import logging
import re
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import gradio as gr

from assistant.brief import make_brief
from assistant.brief.export import to_docx
from assistant.brief.render import to_markdown
from assistant.pipeline import Assistant
from index.errors import IntegrityError
from ui.i18n import LANGUAGES, message, t
from ui.session import Session

log = logging.getLogger("integrity.ui")
EXAMPLES = [["问责制", "zh"], ["accountability", "en"], ["文明", "zh"], ["防止报复", "zh"], ["speaking up", "en"]]
MIME = {
    "md": "text/markdown;charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class BriefFiles(NamedTuple):
    markdown: str
    stem: str
    md: bytes
    docx: bytes


def doc_choices(assistant: Assistant, lang: str | None = "zh") -> list[tuple[str, str]]:
    """(label shown, document id) for the document filter."""
    return [
        (f"{d.label} · {d.title_en if lang == 'en' and d.title_en else d.title}", d.doc_id)
        for d in assistant.store.documents.values()
    ]


def file_stem(theme: str, lang: str) -> str:
    slug = re.sub(r"[^\w-]+", "-", theme.strip().lower(), flags=re.UNICODE).strip("-")[:40] or "theme"
    return f"brief-{slug}-{lang}"


def brief_files(assistant: Assistant, theme: str, lang: str, docs: list[str] | None) -> BriefFiles:
    """The brief as Markdown (for the page) and its .md and .docx exports, in memory."""
    brief = make_brief(assistant, theme, lang, docs)
    markdown = to_markdown(brief)
    return BriefFiles(markdown, file_stem(theme, lang), markdown.encode("utf-8"), to_docx(brief))


def download_buttons(files: BriefFiles, page: str | None) -> str:
    """Two buttons holding the exports (base64): ui/page.js saves them through the browser."""
    buttons = []
    for ext, data in (("md", files.md), ("docx", files.docx)):
        name = html.escape(f"{files.stem}.{ext}", quote=True)
        label = html.escape(t(page, f"brief_download_{ext}"))
        b64 = base64.b64encode(data).decode("ascii")
        buttons.append(
            f'<button type="button" class="download" id="brief-download-{ext}" data-name="{name}" '
            f'data-mime="{MIME[ext]}" data-b64="{b64}">{label}</button>'
        )
    return f"<div class='brief-downloads'>{' '.join(buttons)}</div>"


def on_make_brief(
    get_assistant: Callable[[], Assistant],
    theme: str | None,
    lang: str | None,
    docs: list[str] | None,
    session: Session | None = None,
) -> tuple[str, str]:
    """The button's handler: the brief and its download buttons (or an error line, in the page's language)."""
    page = session.lang if session else lang
    if not (theme or "").strip():
        return t(page, "brief_no_theme"), ""
    try:
        files = brief_files(get_assistant(), theme or "", lang or "zh", docs)
    except IntegrityError as e:
        return t(page, "brief_error", reason=message(e, page)), ""
    except Exception:  # the page must answer; the trace goes to the server log without the theme
        log.exception("brief failed")
        return t(page, "brief_error", reason=t(page, "brief_failed")), ""
    return files.markdown, download_buttons(files, page)


def labels(assistant: Assistant, lang: str) -> dict[str, Any]:
    """The tab's labels in `lang` (ui/labels.py gathers every tab's)."""
    return {
        "brief-intro": t(lang, "brief_intro"),
        "brief-theme": gr.update(label=t(lang, "brief_theme"), placeholder=t(lang, "brief_theme_placeholder")),
        "brief-lang": gr.update(label=t(lang, "brief_lang"), value=lang),
        "brief-docs": gr.update(label=t(lang, "brief_docs"), choices=doc_choices(assistant, lang)),
        "brief-make": gr.update(value=t(lang, "brief_make")),
        "brief-examples": gr.update(label=t(lang, "brief_examples")),
    }


def build_facilitator_tab(get_assistant: Callable[[], Assistant], session: Any, lang: str = "zh") -> None:
    """The tab's components and events (call inside an open `gr.Tab`); `session` is the page's gr.State."""
    gr.Markdown(t(lang, "brief_intro"), elem_id="brief-intro")
    with gr.Row():
        theme = gr.Textbox(
            label=t(lang, "brief_theme"), placeholder=t(lang, "brief_theme_placeholder"), scale=3, elem_id="brief-theme"
        )
        brief_lang = gr.Radio(LANGUAGES, value=lang, label=t(lang, "brief_lang"), scale=1, elem_id="brief-lang")
    docs = gr.Dropdown(
        choices=doc_choices(get_assistant(), lang), multiselect=True, elem_id="brief-docs", label=t(lang, "brief_docs")
    )
    make = gr.Button(t(lang, "brief_make"), variant="primary", elem_id="brief-make")
    examples = gr.Examples(EXAMPLES, [theme, brief_lang], label=t(lang, "brief_examples"))
    examples.dataset.elem_id = "brief-examples"
    downloads = gr.HTML("", elem_id="brief-downloads")
    shown = gr.Markdown(elem_id="brief-markdown", latex_delimiters=[])
    run = partial(on_make_brief, get_assistant)
    inputs = [theme, brief_lang, docs, session]
    make.click(run, inputs, [shown, downloads], api_visibility="private")
    theme.submit(run, inputs, [shown, downloads], api_visibility="private")
