"""The Facilitator tab: handlers called directly on the real index, and the layout built in a Tab."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from assistant.pipeline import Assistant
from ui.facilitator import build_facilitator_tab, doc_choices, make_brief_files, on_make_brief


def test_make_brief_files_writes_markdown_and_docx(assistant: Assistant, tmp_path: Path) -> None:
    files = make_brief_files(assistant, "问责制", "zh", None, folder=tmp_path)
    assert files.markdown.startswith("# 领导力对话主持人简报：问责制")
    assert files.md and Path(files.md).read_text(encoding="utf-8") == files.markdown
    assert files.docx and Path(files.docx).read_bytes()[:2] == b"PK"
    assert Path(files.md).parent == tmp_path and Path(files.docx).suffix == ".docx"


def test_on_make_brief_shows_brief_and_downloads(assistant: Assistant) -> None:
    markdown, md, docx = on_make_brief(lambda: assistant, "speaking up", "en", None)
    assert markdown.startswith("# Leadership dialogue brief: Speaking up")
    assert md["visible"] and md["value"].endswith(".md")
    assert docx["visible"] and docx["value"].endswith(".docx")


def test_on_make_brief_errors_are_one_line(assistant: Assistant) -> None:
    text, md, docx = on_make_brief(lambda: assistant, "  ", "zh", None)
    assert "Type a theme first" in text and not md["visible"] and not docx["visible"]
    text, md, _ = on_make_brief(lambda: assistant, "问责制", "zh", ["A/99/1"])
    assert text.startswith("**错误 · Error:** unknown document") and not md["visible"]


def test_doc_filter_uses_document_ids(assistant: Assistant) -> None:
    choices = doc_choices(assistant)
    assert len(choices) == len(assistant.store.documents)
    _, doc_id = next(c for c in choices if c[0].startswith("A/76/644"))
    markdown, _, _ = on_make_brief(lambda: assistant, "问责制", "zh", [doc_id])
    assert "A/76/644 ¶6(a)" in markdown and "A/RES/74/271" not in markdown.split("## 来源")[1]


def test_tab_builds_inside_blocks(assistant: Assistant) -> None:
    with gr.Blocks() as demo, gr.Tab("Facilitator"):
        build_facilitator_tab(lambda: assistant)
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
    assert {
        "brief-theme",
        "brief-lang",
        "brief-docs",
        "brief-make",
        "brief-markdown",
        "brief-download-md",
        "brief-download-docx",
    } <= ids
