"""Changing the index on disk: one writer at a time, each building on what is on disk now; a rebuild
re-reads every document the index holds, or refuses and names the ones whose files are gone."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable
from pathlib import Path

from index import disk, lock
from index.build import BuildReport, Progress, build, expand_paths, index_folder, pick
from index.embed import Embedder
from index.errors import DataDirError, IndexCorruptError, IndexMismatchError, IndexMissingError, InputError
from index.read import doc_id_for
from index.settings import IndexSettings
from index.store import Store, document_from
from index.types import Document


def tidy(folder: Path) -> None:
    """What dead writers left (`index.disk.clean`); call with the writer lock held."""
    with contextlib.suppress(OSError):  # leftovers that cannot be removed now are removed by a later writer
        disk.clean(folder)


def load_store(settings: IndexSettings, embedder: Embedder, auto_build: bool = False) -> Store:
    """The configured index. Built from the bundled corpus only when there is no index at all (and
    `auto_build`); an index that exists but does not load is an error that says how to rebuild it."""
    folder = index_folder(settings, embedder.name)
    with lock.if_free(folder) as mine:
        if mine:
            tidy(folder)
    try:
        return Store.load(folder, expect_embedder=embedder.name)
    except IndexMissingError:
        if not auto_build or settings.index_path:
            raise
    print(f"No index yet: building one from {settings.corpus_dir} …", file=sys.stderr)
    store, _ = ingest([settings.corpus_dir], settings, embedder)
    return store


def ingest(
    paths: Iterable[Path],
    settings: IndexSettings,
    embedder: Embedder,
    remove: Iterable[str] = (),
    rebuild: bool = False,
    progress: Progress | None = None,
    replace: bool = False,
) -> tuple[Store, BuildReport]:
    """Add, update or remove documents in the configured index; unchanged pieces are not re-embedded.

    Holds the writer lock from reading the index to switching in the new one (`index.lock`), so that two
    writers at once both keep their documents; `rebuild` embeds everything again from the documents' files;
    `replace` lets a file take the place of a document that holds the same symbol or name."""
    folder = index_folder(settings, embedder.name)
    with lock.writing(folder):
        tidy(folder)
        existing = None
        if rebuild:
            paths = rebuild_paths(folder, embedder.name, list(paths))
        else:
            try:
                existing = Store.load(folder, expect_embedder=embedder.name)
            except IndexMissingError:
                existing = None
        store, report = build(paths, settings, embedder, existing, remove, progress, replace)
        if report.changed or existing is None:
            store.save(folder)
    return store, report


def known_documents(folder: Path, embedder_name: str) -> dict[str, Document] | None:
    """The documents the index holds: from the index, else (unreadable) from its document list; None when
    neither can be read."""
    try:
        return Store.load(folder, expect_embedder=embedder_name).documents
    except IndexMissingError:
        return {}
    except (IndexCorruptError, IndexMismatchError):
        listed = disk.document_list(folder) if folder.is_dir() else None
        try:
            return None if listed is None else {k: document_from(d) for k, d in listed.items()}
        except (TypeError, ValueError):
            return None


def rebuild_paths(folder: Path, embedder_name: str, given: list[Path]) -> list[Path]:
    """The files a rebuild reads: those given, and the recorded file of every other document the index holds."""
    files = expand_paths(given)
    known = known_documents(folder, embedder_name)
    if known is None:
        print(
            f"note: the document list of {folder} is unreadable too; rebuilding from the paths given only.",
            file=sys.stderr,
        )
        return files
    given_ids = {doc_id_for(p) for p in files}
    rest = [d for d in known.values() if d.doc_id not in given_ids]
    gone = [d for d in rest if not Path(d.path).is_file()]
    if gone:
        names = ", ".join(f"{d.label} ({d.path})" for d in gone)
        raise InputError(
            f"--rebuild cannot find the files of {len(gone)} document(s) in the index: {names}; give their files "
            f"(`integrity ingest --rebuild FILE…`) or remove them first (`integrity remove {gone[0].label}`)."
        )
    return files + [Path(d.path) for d in rest]


def forget(settings: IndexSettings, embedder_name: str, name: str) -> tuple[list[str], int]:
    """Remove a document from the document list of an index that cannot be read (the next `--rebuild` then
    leaves it out). Returns the ids removed and how many documents are left."""
    folder = index_folder(settings, embedder_name)
    with lock.writing(folder):
        listed = disk.document_list(folder) if folder.is_dir() else None
        if listed is None:
            raise IndexCorruptError(
                f"the index at {folder} and its document list are unreadable; rebuild it from the documents' "
                "files: `integrity ingest --rebuild FILE…`."
            )
        docs = {k: document_from(d) for k, d in listed.items()}
        match = pick(docs, name)
        try:
            disk.forget(folder, match)
        except OSError as e:
            raise DataDirError.about(folder, e) from e
    return match, len(docs) - len(match)
