"""Library tab handlers: list, upload (with progress) and remove documents; changes need the admin password.

Text is in the reader's language (the session's); the domain errors of index/ (an empty or binary file, a
document posing as another) are one English line inside the localised frame. Every upload is deleted from
gradio's folder once handled, and one the user removes from the upload box before adding it, at once."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import gradio as gr
from gradio import utils as gradio_utils

from index.build import BuildReport
from index.errors import IntegrityError
from ui.i18n import Lang, Refusal, message, t
from ui.library import Library
from ui.session import Session

ProgressFn = Callable[..., Any]
COLUMNS = ("col_symbol", "col_title", "col_paragraphs", "col_date", "col_origin")


class LibraryView(NamedTuple):
    status: Any
    table: Any
    docs: Any  # the chat tab's document filter
    remove_choice: Any
    files: Any


def headers(lang: Lang | None) -> list[str]:
    return [t(lang, c) for c in COLUMNS]


def doc_choices(lib: Library, lang: Lang | None = "zh") -> list[tuple[str, str]]:
    return [
        (f"{d.label} · {d.title_en if lang == 'en' and d.title_en else d.title}", d.doc_id) for d in lib.documents()
    ]


def rows(lib: Library, lang: Lang | None = "zh") -> list[list[Any]]:
    return [
        [d.symbol or "—", d.title, d.paragraphs, d.date or "—", t(lang, f"origin_{d.origin}_row")]
        for d in lib.documents()
    ]


def table(lib: Library, lang: Lang | None) -> Any:
    return gr.update(value={"headers": headers(lang), "data": rows(lib, lang)}, headers=headers(lang))


def warning_lines(lib: Library, lang: Lang | None = "zh") -> str:
    """Paragraphs kept out of answers as planted instructions, one warning line each (empty when none)."""
    return "\n".join(t(lang, "warning", w=w) for w in lib.warnings())


def library_view(lib: Library, lang: Lang | None = "zh", status: str = "", clear_files: bool = False) -> LibraryView:
    choices = doc_choices(lib, lang)
    warned = warning_lines(lib, lang)
    return LibraryView(
        f"{status}\n\n{warned}".strip() if warned else status,
        table(lib, lang),
        gr.update(choices=choices),
        gr.update(choices=choices, value=None),
        gr.update(value=None) if clear_files else gr.skip(),
    )


def read_only_note(lib: Library, lang: Lang | None = "zh") -> str:
    return t(lang, "library_note_admin" if lib.admin_enabled else "library_note_read_only")


def upload_label(lib: Library, lang: Lang | None = "zh") -> str:
    return t(lang, "upload", mb=f"{lib.settings.index.max_upload_mb:g}")


def summary(report: BuildReport, lib: Library, lang: Lang | None) -> str:
    docs = {d.doc_id: d for d in lib.documents()}
    parts = []
    for field in ("added", "updated", "unchanged"):
        ids: list[str] = getattr(report, field)
        if ids:
            names = ", ".join(f"{docs[k].label} ({docs[k].paragraphs} ¶)" for k in ids if k in docs)
            parts.append(f"{t(lang, field)}: {names}")
    return ". ".join(parts) + ". " + t(lang, "embedded", e=report.embedded, r=report.reused)


def upload_folder() -> Path:
    """Where gradio's upload route stores files (GRADIO_TEMP_DIR: the app's own folder, ui/temp.py)."""
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
    sweep_strays(root)


def sweep_strays(root: Path) -> None:
    """gr.File(type="filepath") leaves an empty, never used temporary file in its folder for each file of each
    event it passes on (`tempfile.NamedTemporaryFile(delete=False)` in its preprocess): delete them."""
    for stray in root.glob("tmp*"):
        with contextlib.suppress(OSError):
            if stray.is_file() and not stray.is_symlink() and stray.stat().st_size == 0:
                stray.unlink()


def upload(
    lib: Library,
    files: list[str] | None,
    password: str | None,
    client: str = "local",
    progress: ProgressFn = gr.Progress(),  # noqa: B008 (gradio injects the bar)
    lang: Lang | None = "zh",
) -> LibraryView:
    """Checks the files are uploads, the password and every file, then ingests them; the next question uses
    the new index. Every upload is deleted from gradio's folder once handled, accepted or not."""
    if not files:
        return library_view(lib, lang, t(lang, "choose_file"))
    paths = [Path(f) for f in files]
    try:
        outside = next((p for p in paths if not is_upload(p)), None)
        if outside is not None:
            raise Refusal("not_uploaded", name=outside.name)
        if len(paths) > lib.settings.ui.max_upload_files:
            raise Refusal("too_many_files", n=len(paths), most=lib.settings.ui.max_upload_files)
        lib.check_password(password, client)
        progress(0.0, desc=t(lang, "reading"))
        report = lib.add(paths, lambda done, total: progress((done, total), desc=t(lang, "embedding"), unit="texts"))
    except IntegrityError as e:
        return library_view(lib, lang, t(lang, "not_added", reason=message(e, lang)), clear_files=True)
    finally:
        discard(paths)
    return library_view(lib, lang, summary(report, lib, lang), clear_files=True)


def remove(
    lib: Library, doc_id: str | None, password: str | None, client: str = "local", lang: Lang | None = "zh"
) -> LibraryView:
    if not doc_id:
        return library_view(lib, lang, t(lang, "choose_doc"))
    try:
        lib.check_password(password, client)
        label = next((d.label for d in lib.documents() if d.doc_id == doc_id), doc_id)
        lib.remove(doc_id)
    except IntegrityError as e:
        return library_view(lib, lang, t(lang, "not_removed", reason=message(e, lang)))
    return library_view(lib, lang, t(lang, "removed", label=label, n=len(lib.documents())))


def client_of(request: gr.Request | None) -> str:
    """The client's address as gradio's request gives it (what the password throttle counts by)."""
    client = getattr(request, "client", None) if request is not None else None
    return str(getattr(client, "host", None) or "unknown")


def uploaded(session: Session, files: list[str] | None) -> Session:
    """The upload box received files: remember them, to delete them if the user removes them unused."""
    session.uploads = [str(f) for f in files or []]
    sweep_strays(upload_folder())
    return session


def removed_upload(session: Session, path: str | None) -> Session:
    """The user took one file out of the upload box (or all, `path` None): it is deleted now, not in an hour."""
    mine = {str(Path(p).resolve()) for p in session.uploads}  # only this session's own uploads
    gone = mine if path is None else {str(Path(path).resolve())} & mine
    discard([Path(p) for p in gone])
    session.uploads = [p for p in session.uploads if str(Path(p).resolve()) not in gone]
    return session


class Events:
    """The tab's handlers bound to a library, with the request gradio injects (a `partial` would hide it)."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib

    def upload(
        self,
        files: list[str] | None,
        password: str | None,
        session: Session,
        request: gr.Request,
        progress: ProgressFn = gr.Progress(),  # noqa: B008 (gradio injects the bar)
    ) -> LibraryView:
        session.uploads = []
        return upload(self.lib, files, password, client_of(request), progress, session.lang)

    def remove(self, doc_id: str | None, password: str | None, session: Session, request: gr.Request) -> LibraryView:
        return remove(self.lib, doc_id, password, client_of(request), session.lang)

    def delete(self, session: Session, deleted: gr.DeletedFileData) -> Session:
        return removed_upload(session, str(deleted.file.path))

    def clear(self, session: Session) -> Session:
        return removed_upload(session, None)


def refresh(lib: Library, session: Session) -> LibraryView:
    """On page load: the library as it is now (another admin may have changed it)."""
    return library_view(lib, session.lang)
