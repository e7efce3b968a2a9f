"""Layout only: components, and which handler each event calls. `serve` runs it with the JSON routes."""

from __future__ import annotations

import logging
import sys
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr  # ui/__init__.py, imported first, has turned analytics off
from fastapi import FastAPI

from assistant.settings import Settings
from ui import admin, handlers
from ui.api import add_error_handlers, api_router
from ui.facilitator import build_facilitator_tab
from ui.feedback import FeedbackStore, feedback_path
from ui.guard import Guard, allowed_hosts
from ui.handlers import ChatView
from ui.i18n import EXAMPLES, LANGUAGES, accept_language, feedback_choices, t
from ui.intro import intro_html
from ui.labels import header_html, note, page_labels, relabel
from ui.library import Library
from ui.paragraph import paragraph_html
from ui.session import Session
from ui.temp import KEEP_S, SWEEP_S, own_temp_folder
from ui.theme import CSS, theme

FIRST = "zh"  # the first paint; at load the page takes the browser's language (Accept-Language)
SCRIPT = (Path(__file__).parent / "page.js").read_text(encoding="utf-8")
ACTION_JS = "(s, a) => [s, window.__integrityAction || '']"  # what ui/page.js left for the action button


def on_load(session: Session, request: gr.Request) -> Session:
    """The page opens in the browser's language."""
    return handlers.set_language(session, accept_language(request.headers.get("accept-language")))


def build_blocks(lib: Library, feedback: FeedbackStore) -> gr.Blocks:
    lang, most = FIRST, lib.settings.answer.max_question_chars
    blocks = gr.Blocks(title=t(lang, "title"), analytics_enabled=False, delete_cache=(SWEEP_S, KEEP_S))
    # the relabelled components, named outside the layout: a gr.Tab made inside it would be a second row of tabs
    keys = tuple(page_labels(lib, lang))
    with blocks as demo:
        # gradio drops a session's state when its tab closes, or this long after its last update
        session = gr.State(Session(), time_to_live=lib.settings.ui.session_idle_s)
        with gr.Row(elem_id="top", equal_height=False):
            gr.HTML(header_html(lang, ready=False), elem_id="header")
            lang_switch = gr.Radio(
                LANGUAGES, value=lang, label=t(lang, "page_lang"), elem_id="lang-switch", scale=0, min_width=220
            )
        gr.Markdown(note(lib, lang), elem_id="privacy-note")
        with gr.Tabs(elem_id="tabs"):
            with gr.Tab(t(lang, "chat_tab"), id="chat", elem_id="tab-chat"):  # noqa: SIM117 (the layout's nesting)
                with gr.Row(equal_height=False, elem_id="chat-row"):
                    with gr.Column(scale=3, elem_id="chat-col"):
                        chatbot = gr.Chatbot(
                            label=t(lang, "chatbot"),
                            show_label=False,
                            height=540,
                            elem_id="chat",
                            examples=[{"text": q} for q in EXAMPLES[lang]],
                            placeholder=f"**{t(lang, 'examples_title')}**",
                            feedback_options=None,
                            latex_delimiters=[],
                            buttons=[],  # Copy and 👍 👎 are in each answer (ui/render.py)
                            sanitize_html=False,  # every text is escaped by ui/render.py; see its docstring
                            layout="bubble",
                        )
                        with gr.Row(elem_id="ask-row"):
                            question = gr.Textbox(
                                label=t(lang, "question"),
                                placeholder=t(lang, "placeholder"),
                                lines=1,
                                max_lines=6,
                                scale=6,
                                elem_id="question",
                            )
                            send = gr.Button(t(lang, "send"), variant="primary", scale=1, elem_id="send")
                            # only a model's answer takes long enough to stop: with quotes alone (0.3 s) no button
                            stop = gr.Button(
                                t(lang, "stop"),
                                variant="stop",
                                scale=1,
                                elem_id="stop",
                                visible=lib.assistant.generator.name != "extractive",
                            )
                        gr.HTML(f"<span class='count' data-max='{most}'></span>", elem_id="question-count")
                        question_status = gr.Markdown(elem_id="question-status")
                        feedback_status = gr.Markdown(elem_id="feedback-status")
                        with gr.Group(visible=False, elem_id="feedback") as feedback_box:
                            feedback_title = gr.Markdown(elem_id="feedback-title")
                            feedback_kind = gr.Radio(feedback_choices(lang), show_label=False, elem_id="feedback-kind")
                            feedback_comment = gr.Textbox(label=t(lang, "comment"), lines=2, elem_id="feedback-comment")
                            with gr.Row():
                                feedback_send = gr.Button(t(lang, "send_feedback"), size="sm", elem_id="feedback-send")
                                feedback_cancel = gr.Button(t(lang, "cancel"), size="sm", elem_id="feedback-cancel")
                        with gr.Row(elem_id="chat-tools"):
                            docs = gr.Dropdown(
                                choices=admin.doc_choices(lib, lang),
                                multiselect=True,
                                label=t(lang, "filter"),
                                scale=4,
                                elem_id="doc-filter",
                            )
                            new = gr.Button(t(lang, "new"), scale=1, size="sm", elem_id="new-conversation")
                            download = gr.Button(
                                t(lang, "download"), scale=1, size="sm", elem_id="download-conversation"
                            )
                    with gr.Column(scale=2, elem_id="side-col"):
                        with gr.Group(visible=False, elem_id="sources-box") as sources_box:
                            sources_title = gr.Markdown(elem_id="sources-title")
                            sources = gr.Radio(choices=[], label=t(lang, "source_pick"), elem_id="sources")
                            paragraph = gr.HTML(paragraph_html(None, lang), elem_id="paragraph")
                        with gr.Accordion(t(lang, "about"), open=True, elem_id="about") as about:
                            gr.HTML(intro_html(lib.assistant, lib.documents(), lang), elem_id="intro")
            with gr.Tab(t(lang, "library_tab"), id="library", elem_id="tab-library"):
                gr.Markdown(admin.read_only_note(lib, lang), elem_id="library-note")
                table = gr.Dataframe(
                    value=admin.rows(lib, lang),
                    headers=admin.headers(lang),
                    interactive=False,
                    wrap=True,
                    elem_id="library-table",
                )
                with gr.Group(visible=lib.admin_enabled, elem_id="library-admin"):
                    password = gr.Textbox(label=t(lang, "admin_password"), type="password", elem_id="admin-password")
                    files = gr.File(
                        label=admin.upload_label(lib, lang), file_count="multiple", type="filepath", elem_id="upload"
                    )
                    add = gr.Button(t(lang, "add"), variant="primary", elem_id="upload-add")
                    remove_choice = gr.Dropdown(
                        choices=admin.doc_choices(lib, lang), label=t(lang, "remove_choice"), elem_id="remove-choice"
                    )
                    remove = gr.Button(t(lang, "remove"), variant="stop", size="sm", elem_id="remove")
                library_status = gr.Markdown(elem_id="library-status")
            with gr.Tab(t(lang, "facilitator_tab"), id="facilitator", elem_id="tab-facilitator"):
                build_facilitator_tab(lib.get, session, lang)
        action = gr.Textbox(visible="hidden", elem_id="action")  # ui/page.js: a button inside a message
        action_go = gr.Button(visible="hidden", elem_id="action-go")

        chat_parts: dict[str, Any] = {
            "chatbot": chatbot,
            "session": session,
            "question": question,
            "question_status": question_status,
            "sources_box": sources_box,
            "sources_title": sources_title,
            "sources": sources,
            "paragraph": paragraph,
            "about": about,
            "feedback_box": feedback_box,
            "feedback_title": feedback_title,
            "feedback_kind": feedback_kind,
            "feedback_comment": feedback_comment,
            "feedback_status": feedback_status,
        }
        chat_out = [chat_parts[f] for f in ChatView._fields]
        by_id = {b.elem_id: b for b in demo.blocks.values() if getattr(b, "elem_id", None)}
        labelled = [by_id[k] for k in keys]
        labels = partial(relabel, lib, keys=keys)
        library_out = [library_status, table, docs, remove_choice, files]
        private: dict[str, Any] = {"api_visibility": "private"}

        ask = partial(handlers.chat, lib)
        asking = [
            question.submit(ask, [question, session, docs], chat_out, api_name="chat"),
            send.click(ask, [question, session, docs], chat_out, **private),
            chatbot.example_select(handlers.use_example, None, question, **private).then(
                ask, [question, session, docs], chat_out, **private
            ),
        ]
        for asked in asking:  # the page follows the question's language once it is answered
            asked.then(labels, [session], labelled, **private)
        # a model's answer can take minutes: stop keeps the extractive answer shown first (handlers.stop)
        stop.click(partial(handlers.stop, lib), [session], chat_out, cancels=asking, **private).then(
            labels, [session], labelled, **private
        )
        chatbot.select(handlers.on_select, [session], chat_out, **private)
        sources.input(handlers.open_source, [session, sources], paragraph, **private)
        new.click(handlers.new_conversation, [session], chat_out, **private)
        chatbot.clear(handlers.new_conversation, [session], chat_out, **private)
        download.click(None, None, None, js="() => window.integrityDownload()", **private)
        feedback_send.click(
            partial(handlers.send_feedback, feedback), [session, feedback_kind, feedback_comment], chat_out, **private
        )
        feedback_cancel.click(handlers.cancel_feedback, [session], chat_out, **private)
        # a click on a marker or a 👍/👎 made while the action before is still being handled runs after it (the
        # default, "once", dropped it: a 👎 right after opening a paragraph was lost); never two at once on one
        # session, whose state each action reads and writes
        action_go.click(
            partial(handlers.on_action, lib, feedback), [session, action], chat_out, js=ACTION_JS,
            trigger_mode="always_last", **private,
        )  # fmt: skip
        lang_switch.input(handlers.set_language, [session, lang_switch], [session], **private).then(
            labels, [session], labelled, **private
        ).then(partial(handlers.repaint_panel, lib), [session], chat_out, **private)

        events = admin.Events(lib)
        add.click(events.upload, [files, password, session], library_out, **private)
        remove.click(events.remove, [remove_choice, password, session], library_out, **private)
        files.upload(admin.uploaded, [session, files], [session], **private)
        files.delete(events.delete, [session], [session], **private)
        files.clear(events.clear, [session], [session], **private)

        def loaded(state: Session, request: gr.Request) -> tuple[Any, ...]:
            return (on_load(state, request), *labels(state))

        demo.load(loaded, [session], [session, *labelled], **private).then(
            partial(admin.refresh, lib), [session], library_out, **private
        )
    queued: gr.Blocks = demo.queue(default_concurrency_limit=8)
    return queued


def create_app(settings: Settings, lib: Library | None = None, host: str = "127.0.0.1") -> FastAPI:
    """The FastAPI app: `/api/*` JSON routes and the gradio page at `/`, behind the Host and body-size guard."""
    own_temp_folder(settings)  # before gradio makes any component or route: they read GRADIO_TEMP_DIR
    lib = lib or Library.load(settings)
    lib.warm()
    app = FastAPI(title="Integrity Assistant", docs_url=None, redoc_url=None)  # the docs pages load a CDN
    app.include_router(api_router(lib.get))
    add_error_handlers(app)
    upload_mb = settings.index.max_upload_mb * 1024 * 1024  # what read_text calls a MB
    app.add_middleware(
        Guard,
        hosts=allowed_hosts(host, settings.ui.allowed_hosts),
        max_body=settings.ui.max_request_bytes,
        max_upload_body=int(upload_mb * settings.ui.max_upload_files) + 1024 * 1024,  # and the multipart framing
    )
    blocks = build_blocks(lib, FeedbackStore(feedback_path(settings)))
    # run_history=False: gradio would otherwise keep every question and answer in the browser's localStorage
    mounted: FastAPI = gr.mount_gradio_app(
        app,
        blocks,
        path="",
        theme=theme(),
        css=CSS,
        head=f"<script>{SCRIPT}</script>",
        show_error=True,
        run_history=False,
        footer_links=["api", "settings"],
        max_file_size=max(1, int(upload_mb)),  # gradio's upload route refuses larger files with 413
    )
    # Mounted Blocks are never launch()ed, so gradio leaves `has_launched` False, and with it False its
    # processing_utils._check_allowed lets an event name any server file as an "upload" and copies it into
    # its cache. launch() sets it once the server runs (as gradio's reload mode does for swapped Blocks);
    # set here, gradio takes from events only files in its upload folder and returns only files it may serve.
    blocks.has_launched = True
    return mounted


def setup_logging() -> None:
    """The app's own log lines (failed admin passwords, unexpected errors; never a question) to stderr."""
    log = logging.getLogger("integrity")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    import uvicorn

    setup_logging()
    lib = Library.load(settings)
    app = create_app(settings, lib, host)
    library = (
        "uploads on (admin password set)"
        if lib.admin_enabled
        else "read-only library (set INTEGRITY_ADMIN_PASSWORD to allow uploads)"
    )
    names = ", ".join(sorted(allowed_hosts(host, settings.ui.allowed_hosts)))
    print(
        f"Integrity Assistant on http://{host}:{port}  ({library}; questions are never logged; answers Host: {names})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)
