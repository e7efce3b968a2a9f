"""Layout only: components, and which handler each event calls. `serve` runs it with the JSON routes."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from functools import partial
from typing import Any

import gradio as gr  # ui/__init__.py, imported first, has turned analytics off
from fastapi import FastAPI

from assistant.pipeline import Assistant
from assistant.settings import Settings
from ui import admin, handlers
from ui.api import add_error_handlers, api_router
from ui.feedback import FeedbackStore, feedback_path
from ui.guard import Guard, allowed_hosts
from ui.i18n import EXAMPLES, both, feedback_choices
from ui.library import Library
from ui.render import paragraph_html
from ui.session import Session
from ui.theme import CSS, theme

UPLOAD_SWEEP_S, UPLOAD_KEEP_S = 600, 3600  # uploads never handled (no Add click) are deleted after an hour
FacilitatorTab = Callable[[Callable[[], Assistant]], None]
build_facilitator_tab: FacilitatorTab | None
try:
    from ui.facilitator import build_facilitator_tab
except ModuleNotFoundError as e:  # the slot stays empty while ui/facilitator.py is absent
    if e.name != "ui.facilitator":
        raise
    build_facilitator_tab = None


def build_blocks(lib: Library, feedback: FeedbackStore) -> gr.Blocks:
    blocks = gr.Blocks(
        title="诚信助手 · Integrity Assistant", analytics_enabled=False, delete_cache=(UPLOAD_SWEEP_S, UPLOAD_KEEP_S)
    )
    with blocks as demo:
        # gradio drops a session's state when its tab closes, or this long after its last update
        session = gr.State(Session(), time_to_live=lib.settings.ui.session_idle_s)
        gr.Markdown(f"## {both('title')}\n{both('subtitle')}", elem_id="header")
        note = gr.Markdown(both("note"), elem_id="privacy-note")
        with gr.Tabs():
            with gr.Tab(both("chat_tab"), id="chat"), gr.Row(equal_height=False):
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label=both("chatbot"),
                        show_label=False,
                        height=560,
                        elem_id="chat",
                        examples=[{"text": q} for q in EXAMPLES],
                        placeholder=f"**{both('examples_title')}**",
                        feedback_options=None,
                        latex_delimiters=[],
                        buttons=["copy", "copy_all"],
                        layout="bubble",
                    )
                    with gr.Row():
                        question = gr.Textbox(
                            label=both("question"),
                            placeholder=both("placeholder"),
                            lines=1,
                            max_lines=6,
                            scale=6,
                            elem_id="question",
                            autofocus=True,
                        )
                        send = gr.Button(both("send"), variant="primary", scale=1, elem_id="send")
                        stop = gr.Button(both("stop"), variant="stop", scale=1, elem_id="stop")
                    with gr.Row():
                        docs = gr.Dropdown(
                            choices=admin.doc_choices(lib),
                            multiselect=True,
                            label=both("filter"),
                            scale=4,
                            elem_id="doc-filter",
                        )
                        new = gr.Button(both("new"), scale=1, size="sm", elem_id="new-conversation")
                with gr.Column(scale=2):
                    sources_title = gr.Markdown(f"### {both('sources')}\n{both('no_sources_note')}")
                    sources = gr.Radio(choices=[], label=both("source_pick"), elem_id="sources")
                    paragraph = gr.HTML(paragraph_html(None, "zh"), elem_id="paragraph")
                    with gr.Group(elem_id="feedback"):
                        feedback_title = gr.Markdown(f"**{both('feedback')}**")
                        feedback_kind = gr.Radio(feedback_choices(None), show_label=False, elem_id="feedback-kind")
                        feedback_comment = gr.Textbox(label=both("comment"), lines=2, elem_id="feedback-comment")
                        feedback_send = gr.Button(both("send_feedback"), size="sm", elem_id="feedback-send")
                    feedback_status = gr.Markdown(elem_id="feedback-status")
            with gr.Tab(both("library_tab"), id="library"):
                gr.Markdown(admin.read_only_note(lib), elem_id="library-note")
                table = gr.Dataframe(
                    value=admin.rows(lib), headers=admin.HEADERS, interactive=False, wrap=True, elem_id="library-table"
                )
                with gr.Group(visible=lib.admin_enabled, elem_id="library-admin"):
                    password = gr.Textbox(
                        label="管理员密码 · Admin password", type="password", elem_id="admin-password"
                    )
                    files = gr.File(
                        label=admin.upload_label(lib), file_count="multiple", type="filepath", elem_id="upload"
                    )
                    add = gr.Button("加入文件库 · Add to library", variant="primary", elem_id="upload-add")
                    remove_choice = gr.Dropdown(
                        choices=admin.doc_choices(lib), label="删除文件 · Remove a document", elem_id="remove-choice"
                    )
                    remove = gr.Button("删除 · Remove", variant="stop", size="sm", elem_id="remove")
                library_status = gr.Markdown(elem_id="library-status")
            if build_facilitator_tab is not None:
                with gr.Tab("Facilitator", id="facilitator"):
                    build_facilitator_tab(lib.get)

        chat_out: list[Any] = [
            chatbot,
            session,
            question,
            note,
            send,
            new,
            docs,
            sources_title,
            sources,
            paragraph,
            feedback_title,
            feedback_kind,
            feedback_comment,
            feedback_send,
            feedback_status,
        ]
        panel_out = [session, sources_title, sources, paragraph, feedback_title, feedback_status]
        library_out = [library_status, table, docs, remove_choice, files]
        ask = partial(handlers.chat, lib)
        asking = [
            question.submit(ask, [question, session, docs], chat_out, api_name="chat"),
            send.click(ask, [question, session, docs], chat_out, api_visibility="private"),
            chatbot.example_select(handlers.use_example, None, question, api_visibility="private").then(
                ask, [question, session, docs], chat_out, api_visibility="private"
            ),
        ]
        # a model's answer can take minutes: stop keeps the extractive answer shown first (handlers.stop)
        stop.click(partial(handlers.stop, lib), [session], chat_out, cancels=asking, api_visibility="private")
        chatbot.select(handlers.on_select, [session], panel_out, api_visibility="private")
        sources.input(handlers.open_source, [session, sources], paragraph, api_visibility="private")
        new.click(handlers.new_conversation, [session], chat_out, api_visibility="private")
        chatbot.clear(handlers.new_conversation, [session], chat_out, api_visibility="private")
        feedback_send.click(
            partial(handlers.send_feedback, feedback),
            [session, feedback_kind, feedback_comment],
            [feedback_status, feedback_kind, feedback_comment],
            api_visibility="private",
        )
        events = admin.Events(lib)
        add.click(events.upload, [files, password], library_out, api_visibility="private")
        remove.click(events.remove, [remove_choice, password], library_out, api_visibility="private")
        demo.load(partial(admin.refresh, lib), None, library_out, api_visibility="private")
    queued: gr.Blocks = demo.queue(default_concurrency_limit=8)
    return queued


def create_app(settings: Settings, lib: Library | None = None, host: str = "127.0.0.1") -> FastAPI:
    """The FastAPI app: `/api/*` JSON routes and the gradio page at `/`, behind the Host and body-size guard."""
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
