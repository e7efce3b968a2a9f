"""The running assistant and its document library: uploads and removals swap in a new Assistant safely.

Readers take `library.assistant` once per question and keep that object to the end of the answer, so an
ingest that finishes meanwhile never changes an answer half-way; the next question sees the new index.
"""

from __future__ import annotations

import hmac
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.pipeline import Assistant, ingest
from assistant.settings import Settings
from index.build import BuildReport
from index.errors import DataDirError
from index.limits import Limits
from index.planted import flag_warnings
from index.read import SUPPORTED, read_text
from index.store import Store
from ui.i18n import Refusal
from ui.throttle import Throttle

log = logging.getLogger("integrity.ui")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DocRow:
    doc_id: str
    label: str
    symbol: str
    title: str
    paragraphs: int
    date: str
    source: str
    origin: str = "bundled"  # bundled, uploaded or ingested (Document.origin)
    title_en: str = ""


class Library:
    def __init__(self, settings: Settings, assistant: Assistant) -> None:
        self.settings = settings
        self._assistant = assistant
        self._write = threading.Lock()  # one ingest or removal at a time
        self.throttle = Throttle(settings.ui.admin_max_failures, settings.ui.admin_lockout_s)

    @classmethod
    def load(cls, settings: Settings) -> Library:
        return cls(settings, Assistant.load(settings))

    def warm(self) -> None:
        """One question through the whole pipeline, so the first person does not wait for the tokenizer."""
        self._assistant.ask("问责制")

    @property
    def assistant(self) -> Assistant:
        return self._assistant

    def get(self) -> Assistant:
        """The current assistant (what the facilitator tab and the JSON route call)."""
        return self._assistant

    @property
    def uploads_dir(self) -> Path:
        return self.settings.index.uploads_dir

    @property
    def admin_enabled(self) -> bool:
        pw = self.settings.ui.admin_password
        return pw is not None and bool(pw.get_secret_value())

    def check_password(self, password: str | None, client: str = "local") -> None:
        """Raises a Refusal unless `password` is the admin password and `client` (an address) is not locked out.

        Each wrong password is logged with the client's address, never the password itself."""
        pw = self.settings.ui.admin_password
        if pw is None or not pw.get_secret_value():
            raise Refusal("read_only")
        wait = self.throttle.wait_s(client)
        if wait:
            raise Refusal("locked_out", wait=wait)
        given = (password or "").encode("utf-8", "replace")
        if not hmac.compare_digest(given, pw.get_secret_value().encode("utf-8", "replace")):
            n = self.throttle.fail(client)
            log.warning("wrong admin password from %s (%d of %d)", client, n, self.throttle.max_failures)
            if n >= self.throttle.max_failures:
                log.warning("locked out %s for %d s after %d wrong admin passwords", client, self.throttle.lockout_s, n)
            raise Refusal("wrong_password")
        self.throttle.succeed(client)

    def documents(self) -> list[DocRow]:
        store = self._assistant.store
        counts: dict[str, int] = {}
        for u in store.units:
            counts[u.doc_id] = counts.get(u.doc_id, 0) + 1
        return [
            DocRow(
                d.doc_id,
                d.label,
                d.symbol or "",
                d.title,
                counts.get(d.doc_id, 0),
                d.date or "",
                d.source,
                d.origin,
                d.title_en,
            )
            for d in store.documents.values()
        ]

    def warnings(self) -> list[str]:
        """A line for each paragraph kept out of answers because it reads as instructions to an assistant."""
        store = self._assistant.store
        return flag_warnings(store.units, store.flagged, {k: d.origin for k, d in store.documents.items()})

    def check_upload(self, path: Path) -> None:
        """Raises InputError naming the problem (format, size, empty, binary, no text) before anything changes."""
        if path.suffix.lower() not in SUPPORTED:
            raise Refusal("bad_type", name=path.name, ext=path.suffix or "—", kinds=", ".join(SUPPORTED))
        read_text(path, self.settings.index.max_upload_mb, Limits.of(self.settings.index))

    def add(self, files: list[Path], progress: Progress | None = None, replace: bool = False) -> BuildReport:
        """Check, copy into DATA_DIR/uploads and ingest `files`; only their new text is embedded.

        The index is read again from disk under the writer lock (another process may have changed it); a
        file that poses as a document in the library is refused unless `replace`. On failure the uploads
        folder is as it was (an earlier upload of the same name is put back)."""
        for f in files:
            self.check_upload(f)
        with self._write:
            copies: list[tuple[Path, Path | None]] = []  # (copy, the earlier file of that name, set aside)
            try:
                try:
                    self.uploads_dir.mkdir(parents=True, exist_ok=True)
                    for f in files:
                        dest = self.uploads_dir / safe_name(f.name)
                        kept = dest.with_name(f".{dest.name}.previous-{os.getpid()}") if dest.exists() else None
                        if kept is not None:
                            dest.replace(kept)
                        copies.append((dest, kept))
                        shutil.copyfile(f, dest)
                except OSError as e:
                    raise DataDirError.about(self.uploads_dir, e) from e
                store, report = ingest(
                    [c for c, _ in copies],
                    self.settings.index,
                    self._assistant.embedder,
                    progress=progress,
                    replace=replace,
                )
            except Exception:
                for c, kept in copies:
                    c.unlink(missing_ok=True)
                    if kept is not None:
                        kept.replace(c)
                raise
            for _, kept in copies:
                if kept is not None:
                    kept.unlink(missing_ok=True)
            if report.changed or store.documents != self._assistant.store.documents:  # or changed by another
                self._swap(store)
            return report

    def remove(self, doc: str) -> BuildReport:
        with self._write:
            found = self._assistant.store.documents.get(doc)
            store, report = ingest([], self.settings.index, self._assistant.embedder, remove=[doc])
            self._swap(store)
            if found and Path(found.path).parent.resolve() == self.uploads_dir.resolve():
                Path(found.path).unlink(missing_ok=True)
            return report

    def _swap(self, store: Store) -> None:
        old = self._assistant
        self._assistant = Assistant(old.settings, store, old.embedder)


def safe_name(name: str) -> str:
    """A file name without folders or odd characters (the document id is made from it)."""
    p = Path(Path(name.replace("\\", "/")).name)
    suffix = re.sub(r"[^\w.]+", "", p.suffix.lower())
    return (re.sub(r"[^\w.-]+", "_", p.stem).strip("._") or "document") + suffix
