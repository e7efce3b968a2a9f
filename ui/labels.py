"""Every label of the page in one language: what `relabel` sends when the page's language changes (the
browser's at load, the header's switch, the language of a question). Keyed by elem_id; app.py binds them."""

from __future__ import annotations

import html
from typing import Any

import gradio as gr

from ui import admin, facilitator
from ui.i18n import EXAMPLES, HTML_LANG, Lang, feedback_choices, t
from ui.intro import intro_html
from ui.library import Library
from ui.session import Session

SKIP: dict[str, Any] = gr.skip()


def header_html(lang: Lang, ready: bool = True) -> str:
    """Title and subtitle, and the mark ui/page.js reads: <html lang>, the window title, the download's words;
    `ready` once the page is in the reader's language (ui/page.js shows the page then, or after 3 s)."""
    e = html.escape
    mark = (
        f"<span id='page-mark' hidden data-lang='{HTML_LANG[lang]}' data-title='{e(t(lang, 'title'), quote=True)}' "
        f"data-conv='{e(t(lang, 'conversation'), quote=True)}' "
        f"data-conv-note='{e(t(lang, 'conversation_note'), quote=True)}'{' data-ready' if ready else ''}></span>"
    )
    return f"<h2>{e(t(lang, 'title'))}</h2><p>{e(t(lang, 'subtitle'))}</p>{mark}"


def note(lib: Library, lang: Lang) -> str:
    return t(lang, "note", idle=round(lib.settings.ui.session_idle_s / 60))


def chat_labels(lib: Library, lang: Lang) -> dict[str, Any]:
    return {
        "header": header_html(lang),
        "lang-switch": gr.update(value=lang, label=t(lang, "page_lang")),
        "privacy-note": note(lib, lang),
        "tab-chat": gr.Tab(label=t(lang, "chat_tab")),
        "tab-library": gr.Tab(label=t(lang, "library_tab")),
        "tab-facilitator": gr.Tab(label=t(lang, "facilitator_tab")),
        "chat": gr.update(
            label=t(lang, "chatbot"),
            placeholder=f"**{t(lang, 'examples_title')}**",
            examples=[{"text": q} for q in EXAMPLES[lang]],
        ),
        "question": gr.update(label=t(lang, "question"), placeholder=t(lang, "placeholder")),
        "send": gr.update(value=t(lang, "send")),
        "stop": gr.update(value=t(lang, "stop")),
        "new-conversation": gr.update(value=t(lang, "new")),
        "download-conversation": gr.update(value=t(lang, "download")),
        "doc-filter": gr.update(label=t(lang, "filter"), choices=admin.doc_choices(lib, lang)),
        "about": gr.update(label=t(lang, "about")),
        "intro": intro_html(lib.assistant, lib.documents(), lang),
        "feedback-kind": gr.update(choices=feedback_choices(lang)),
        "feedback-comment": gr.update(label=t(lang, "comment")),
        "feedback-send": gr.update(value=t(lang, "send_feedback")),
        "feedback-cancel": gr.update(value=t(lang, "cancel")),
    }


def library_labels(lib: Library, lang: Lang) -> dict[str, Any]:
    choices = admin.doc_choices(lib, lang)
    return {
        "library-note": admin.read_only_note(lib, lang),
        "library-table": admin.table(lib, lang),
        "admin-password": gr.update(label=t(lang, "admin_password")),
        "upload": gr.update(label=admin.upload_label(lib, lang)),
        "upload-add": gr.update(value=t(lang, "add")),
        "remove-choice": gr.update(label=t(lang, "remove_choice"), choices=choices),
        "remove": gr.update(value=t(lang, "remove")),
    }


def page_labels(lib: Library, lang: Lang) -> dict[str, Any]:
    return {**chat_labels(lib, lang), **library_labels(lib, lang), **facilitator.labels(lib.assistant, lang)}


def relabel(lib: Library, session: Session, keys: tuple[str, ...]) -> tuple[Any, ...]:
    """The labels of `keys`, in the page's language, when they are not in it yet (else nothing changes)."""
    lang: Lang = session.lang or "zh"
    if session.shown_lang == lang:
        return tuple(SKIP for _ in keys)
    session.shown_lang = lang
    updates = page_labels(lib, lang)
    return tuple(updates.get(k, SKIP) for k in keys)
