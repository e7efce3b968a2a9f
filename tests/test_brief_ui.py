"""The Facilitator tab: handlers called directly on the real index, and the layout built in a Tab."""

from __future__ import annotations

import base64
import re

import gradio as gr

from assistant.pipeline import Assistant
from ui.facilitator import brief_files, build_facilitator_tab, doc_choices, on_make_brief
from ui.session import Session


def test_brief_files_are_markdown_and_docx_in_memory(assistant: Assistant) -> None:
    files = brief_files(assistant, "问责制", "zh", None)
    assert files.markdown.startswith("# 领导力对话主持人简报：问责制")
    assert files.md.decode("utf-8") == files.markdown and files.docx[:2] == b"PK"
    assert files.stem == "brief-问责制-zh"


def test_on_make_brief_shows_the_brief_and_download_buttons_holding_the_bytes(assistant: Assistant) -> None:
    markdown, buttons = on_make_brief(lambda: assistant, "speaking up", "en", None, Session(lang="en"))
    assert markdown.startswith("# Leadership dialogue brief: Speaking up")
    names = re.findall(r'data-name="([^"]+)"', buttons)
    assert names == ["brief-speaking-up-en.md", "brief-speaking-up-en.docx"] and "Download .docx" in buttons
    b64 = re.findall(r'data-b64="([^"]+)"', buttons)
    assert base64.b64decode(b64[0]).decode("utf-8") == markdown and base64.b64decode(b64[1])[:2] == b"PK"


def test_on_make_brief_errors_are_one_line_in_the_page_language(assistant: Assistant) -> None:
    text, buttons = on_make_brief(lambda: assistant, "  ", "zh", None, Session(lang="en"))
    assert text.startswith("Type a theme first") and buttons == ""
    text, buttons = on_make_brief(lambda: assistant, "问责制", "zh", ["A/99/1"], Session(lang="zh"))
    assert text.startswith("**错误：** 没有文件“A/99/1”；可以选择：A/") and buttons == ""  # wholly Chinese


def test_doc_filter_uses_document_ids(assistant: Assistant) -> None:
    choices = doc_choices(assistant)
    assert len(choices) == len(assistant.store.documents)
    _, doc_id = next(c for c in choices if c[0].startswith("A/76/644"))
    markdown, _ = on_make_brief(lambda: assistant, "问责制", "zh", [doc_id])
    assert "A/76/644 ¶6(a)" in markdown and "A/RES/74/271" not in markdown.split("## 来源")[1]
    assert doc_choices(assistant, "en")[0][0] != choices[0][0]  # English titles for an English reader


def test_tab_builds_inside_blocks(assistant: Assistant) -> None:
    with gr.Blocks() as demo, gr.Tab("Facilitator"):
        build_facilitator_tab(lambda: assistant, gr.State(Session()))
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
    assert {"brief-intro", "brief-theme", "brief-lang", "brief-docs", "brief-make", "brief-markdown"} <= ids
    assert "brief-downloads" in ids
