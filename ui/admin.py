"""Library tab handlers: list, upload (with progress) and remove documents; changes need the admin password."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import gradio as gr
from gradio import utils as gradio_utils

from index.build import BuildReport
from index.errors import InputError, IntegrityError
from ui.library import Library

HEADERS = ["文号 Symbol", "标题 Title", "段落 ¶", "日期 Date", "来源 Origin"]
ORIGINS = {"bundled": "随附 bundled", "uploaded": "上传 uploaded", "ingested": "命令行加入 ingested"}
ProgressFn = Callable[..., Any]


class LibraryView(NamedTuple):
    status: Any
    table: Any
    docs: Any  # the chat tab's document filter
    remove_choice: Any
    files: Any


def doc_choices(lib: Library) -> list[tuple[str, str]]:
    return [(f"{d.label} · {d.title}", d.doc_id) for d in lib.documents()]


def rows(lib: Library) -> list[list[Any]]:
    return [
        [d.symbol or "—", d.title, d.paragraphs, d.date or "—", ORIGINS.get(d.origin, d.origin)]
        for d in lib.documents()
    ]


def warning_lines(lib: Library) -> str:
    """Paragraphs kept out of answers as planted instructions, one warning line each (empty when none)."""
    return "\n".join(f"⚠ 警告 · Warning: {w}" for w in lib.warnings())


def library_view(lib: Library, status: str = "", clear_files: bool = False) -> LibraryView:
    choices = doc_choices(lib)
    warned = warning_lines(lib)
    return LibraryView(
        f"{status}\n\n{warned}".strip() if warned else status,
        rows(lib),
        gr.update(choices=choices),
        gr.update(choices=choices, value=None),
        gr.update(value=None) if clear_files else gr.skip(),
    )


def read_only_note(lib: Library) -> str:
    if lib.admin_enabled:
        return (
            "管理员可在下方添加或删除文件（需要管理员密码）。 · Admins can add or remove documents below "
            "(password needed)."
        )
    return (
        "只读：服务器未设置 INTEGRITY_ADMIN_PASSWORD，因此不能添加或删除文件。 · Read-only: the server has no "
        "INTEGRITY_ADMIN_PASSWORD, so documents cannot be added or removed here."
    )


def upload_label(lib: Library) -> str:
    return f"添加文件 · Add documents (pdf, docx, txt, md, html; ≤ {lib.settings.index.max_upload_mb:g} MB)"


SUMMARY_HEADS = (
    ("added", "已加入 · Added"),
    ("updated", "已更新 · Updated"),
    ("unchanged", "内容未变 · Already in the library, unchanged"),
)


def summary(report: BuildReport, lib: Library) -> str:
    docs = {d.doc_id: d for d in lib.documents()}
    parts = []
    for field, head in SUMMARY_HEADS:
        ids: list[str] = getattr(report, field)
        if ids:
            parts.append(f"{head}: " + ", ".join(f"{docs[k].label} ({docs[k].paragraphs} ¶)" for k in ids if k in docs))
    pieces = (
        f"新嵌入 {report.embedded} 条、复用 {report.reused} 条 · embedded {report.embedded} new texts, "
        f"reused {report.reused}."
    )
    return ". ".join(parts) + ". " + pieces


def upload_folder() -> Path:
    """Where gradio's upload route stores files (GRADIO_TEMP_DIR, else the system temp folder's gradio/)."""
    return Path(gradio_utils.get_upload_folder()).resolve()


def is_upload(path: Path) -> bool:
    """True only for a file in gradio's upload folder: a server path named in a raw event is not an upload."""
    return path.resolve().is_relative_to(upload_folder()) and path.resolve() != upload_folder()


def discard(paths: list[Path]) -> None:
    """Delete handled uploads (and the folder gradio made for each); anything outside the upload folder stays."""
    root = upload_folder()
    for p in paths:
        if is_upload(p):
            p.resolve().unlink(missing_ok=True)
            parent = p.resolve().parent
            if parent != root and parent.is_relative_to(root) and not any(parent.iterdir()):
                parent.rmdir()


def upload(
    lib: Library,
    files: list[str] | None,
    password: str | None,
    client: str = "local",
    progress: ProgressFn = gr.Progress(),  # noqa: B008 (gradio injects the bar)
) -> LibraryView:
    """Checks the files are uploads, the password and every file, then ingests them; the next question uses
    the new index. Every upload is deleted from gradio's folder once handled, accepted or not."""
    if not files:
        return library_view(lib, "请先选择文件。 · Choose a file first.")
    paths = [Path(f) for f in files]
    try:
        outside = next((p for p in paths if not is_upload(p)), None)
        if outside is not None:
            raise InputError(f"{outside.name}: not a file uploaded here; upload it through the page.")
        if len(paths) > lib.settings.ui.max_upload_files:
            raise InputError(
                f"{len(paths)} files at once; the limit is {lib.settings.ui.max_upload_files} "
                "(INTEGRITY_MAX_UPLOAD_FILES). Add them in smaller groups."
            )
        lib.check_password(password, client)
        progress(0.0, desc="读取 · reading")
        report = lib.add(paths, lambda done, total: progress((done, total), desc="嵌入 · embedding", unit="texts"))
    except IntegrityError as e:
        return library_view(lib, f"未加入 · Not added: {e}", clear_files=True)
    finally:
        discard(paths)
    return library_view(lib, summary(report, lib), clear_files=True)


def remove(lib: Library, doc_id: str | None, password: str | None, client: str = "local") -> LibraryView:
    if not doc_id:
        return library_view(lib, "请先选择要删除的文件。 · Choose a document to remove first.")
    try:
        lib.check_password(password, client)
        label = next((d.label for d in lib.documents() if d.doc_id == doc_id), doc_id)
        lib.remove(doc_id)
    except IntegrityError as e:
        return library_view(lib, f"未删除 · Not removed: {e}")
    return library_view(lib, f"已删除 · Removed: {label}. 现有 {len(lib.documents())} 份文件 · documents left.")


def client_of(request: gr.Request | None) -> str:
    """The client's address as gradio's request gives it (what the password throttle counts by)."""
    client = getattr(request, "client", None) if request is not None else None
    return str(getattr(client, "host", None) or "unknown")


class Events:
    """The tab's handlers bound to a library, with the request gradio injects (a `partial` would hide it)."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib

    def upload(
        self,
        files: list[str] | None,
        password: str | None,
        request: gr.Request,
        progress: ProgressFn = gr.Progress(),  # noqa: B008 (gradio injects the bar)
    ) -> LibraryView:
        return upload(self.lib, files, password, client_of(request), progress)

    def remove(self, doc_id: str | None, password: str | None, request: gr.Request) -> LibraryView:
        return remove(self.lib, doc_id, password, client_of(request))


def refresh(lib: Library) -> LibraryView:
    """On page load: the library as it is now (another admin may have changed it)."""
    return library_view(lib)
