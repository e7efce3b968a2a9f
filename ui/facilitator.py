"""The Facilitator tab: a theme in, a cited leadership-dialogue brief out (shown, and as .md and .docx).

`build_facilitator_tab` is layout only and runs inside a `gr.Tab` the app has opened; the work is in
plain functions (`doc_choices`, `make_brief_files`, `on_make_brief`) that tests call directly.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import gradio as gr

from assistant.brief import make_brief
from assistant.brief.export import to_docx
from assistant.brief.render import to_markdown
from assistant.pipeline import Assistant
from index.errors import IntegrityError

log = logging.getLogger("integrity.ui")
KEEP_S = 3600  # exported briefs older than this are removed from the download folder
EXAMPLES = [["问责制", "zh"], ["accountability", "en"], ["文明", "zh"], ["防止报复", "zh"], ["speaking up", "en"]]
INTRO = (
    "### 领导力对话主持人简报 · Leadership dialogue brief\n"
    "输入对话主题，得到文件中的要点、关键数字、相关机构、讨论问题和情景，每句引文都注明段落出处。  \n"
    "Type a dialogue theme: you get key points, figures, who does what, discussion questions and scenarios, "
    "every quote cited to its paragraph. Briefs are not stored."
)


class BriefFiles(NamedTuple):
    markdown: str
    md: str | None
    docx: str | None


def doc_choices(assistant: Assistant) -> list[tuple[str, str]]:
    """(label shown, document id) for the document filter."""
    return [(f"{d.label} · {d.title}", d.doc_id) for d in assistant.store.documents.values()]


def download_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "integrity-briefs"
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.iterdir():
        if old.is_file() and now - old.stat().st_mtime > KEEP_S:
            old.unlink(missing_ok=True)
    return folder


def file_stem(theme: str, lang: str) -> str:
    slug = re.sub(r"[^\w-]+", "-", theme.strip().lower(), flags=re.UNICODE).strip("-")[:40] or "theme"
    return f"brief-{slug}-{lang}-{uuid.uuid4().hex[:6]}"


def make_brief_files(
    assistant: Assistant, theme: str, lang: str, docs: list[str] | None, folder: Path | None = None
) -> BriefFiles:
    """The brief as Markdown (for the page) and the paths of its .md and .docx exports."""
    brief = make_brief(assistant, theme, lang, docs)
    markdown = to_markdown(brief)
    folder = folder or download_folder()
    stem = file_stem(theme, lang)
    md_path, docx_path = folder / f"{stem}.md", folder / f"{stem}.docx"
    md_path.write_text(markdown, encoding="utf-8")
    docx_path.write_bytes(to_docx(brief))
    return BriefFiles(markdown, str(md_path), str(docx_path))


def on_make_brief(
    get_assistant: Callable[[], Assistant], theme: str | None, lang: str | None, docs: list[str] | None
) -> tuple[str, Any, Any]:
    """The button's handler: the brief, and the two download buttons shown with their files (or an error line)."""
    hidden = gr.update(value=None, visible=False)
    if not (theme or "").strip():
        return "请先输入主题 · Type a theme first (e.g. 问责制, accountability).", hidden, hidden
    try:
        files = make_brief_files(get_assistant(), theme or "", lang or "zh", docs)
    except IntegrityError as e:
        return f"**错误 · Error:** {e}", hidden, hidden
    except Exception:  # the page must answer; the trace goes to the server log without the theme
        log.exception("brief failed")
        return "**错误 · Error:** the brief could not be made; see the server log.", hidden, hidden
    return files.markdown, gr.update(value=files.md, visible=True), gr.update(value=files.docx, visible=True)


def build_facilitator_tab(get_assistant: Callable[[], Assistant]) -> None:
    """The tab's components and events (call inside an open `gr.Tab`)."""
    gr.Markdown(INTRO, elem_id="brief-intro")
    with gr.Row():
        theme = gr.Textbox(
            label="主题 · Theme",
            placeholder="问责制 · accountability · 防止报复 · speaking up",
            scale=3,
            elem_id="brief-theme",
        )
        lang = gr.Radio(
            [("中文", "zh"), ("English", "en")],
            value="zh",
            label="简报语言 · Brief language",
            scale=1,
            elem_id="brief-lang",
        )
    docs = gr.Dropdown(
        choices=doc_choices(get_assistant()),
        multiselect=True,
        elem_id="brief-docs",
        label="只用这些文件（不选则用全部）· Only these documents (optional)",
    )
    make = gr.Button("生成简报 · Make brief", variant="primary", elem_id="brief-make")
    gr.Examples(EXAMPLES, [theme, lang], label="示例 · Examples")
    with gr.Row():
        md_file = gr.DownloadButton("下载 Markdown · Download .md", visible=False, elem_id="brief-download-md")
        docx_file = gr.DownloadButton("下载 Word · Download .docx", visible=False, elem_id="brief-download-docx")
    shown = gr.Markdown(elem_id="brief-markdown", latex_delimiters=[])
    run = partial(on_make_brief, get_assistant)
    make.click(run, [theme, lang, docs], [shown, md_file, docx_file], api_visibility="private")
    theme.submit(run, [theme, lang, docs], [shown, md_file, docx_file], api_visibility="private")
