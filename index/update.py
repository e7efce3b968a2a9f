"""Changing the index: one writer at a time, each building on what the store holds now; a rebuild re-reads
every document the index holds, or refuses and names the ones whose files are gone.

Where the index is kept is a `StoreWriter` (index/writer.py: a folder of versions, or Milvus rows), chosen
by name above this floor (assistant/registry.py) and passed in; this module works the same for every one."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

from index.build import BuildReport, Progress, build, expand_paths, pick
from index.embed import Embedder
from index.errors import IndexCorruptError, IndexMismatchError, IndexMissingError, InputError
from index.read import doc_id_for
from index.settings import IndexSettings
from index.store import Store
from index.types import Document
from index.writer import StoreWriter


def load_store(settings: IndexSettings, embedder: Embedder, writer: StoreWriter, auto_build: bool = False) -> Store:
    """The configured index. Built from the bundled corpus only when there is no index at all (and
    `auto_build`); an index that exists but does not load is an error that says how to rebuild it."""
    try:
        return writer.load()
    except IndexMissingError:
        if not auto_build or settings.index_path:
            raise
    print(f"No index yet: building one from {settings.corpus_dir} …", file=sys.stderr)
    store, _ = ingest([settings.corpus_dir], settings, embedder, writer)
    return store


def ingest(
    paths: Iterable[Path],
    settings: IndexSettings,
    embedder: Embedder,
    writer: StoreWriter,
    remove: Iterable[str] = (),
    rebuild: bool = False,
    progress: Progress | None = None,
    replace: bool = False,
) -> tuple[Store, BuildReport]:
    """Add, update or remove documents in the configured index; unchanged pieces are not re-embedded.

    Holds the writer lock from reading the index to switching in the new one (`index.lock`), so that two
    writers at once both keep their documents; `rebuild` embeds everything again from the documents' files;
    `replace` lets a file take the place of a document that holds the same symbol or name."""
    with writer.writing():
        existing = None
        if rebuild:
            paths = rebuild_paths(writer, list(paths))
        else:
            try:
                existing = writer.load()
            except IndexMissingError:
                existing = None
        store, report = build(paths, settings, embedder, existing, remove, progress, replace)
        if report.changed or existing is None:
            writer.save(store, existing)
    return store, report


def known_documents(writer: StoreWriter) -> dict[str, Document] | None:
    """The documents the index holds: from the index, else (unreadable) from its document list; None when
    neither can be read."""
    try:
        return writer.load().documents
    except IndexMissingError:
        return {}
    except (IndexCorruptError, IndexMismatchError):
        return writer.documents()


def rebuild_paths(writer: StoreWriter, given: list[Path]) -> list[Path]:
    """The files a rebuild reads: those given, and the recorded file of every other document the index holds."""
    files = expand_paths(given)
    known = known_documents(writer)
    if known is None:
        print(
            f"note: the document list of {writer.where} is unreadable too; rebuilding from the paths given only.",
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


def forget(writer: StoreWriter, name: str) -> tuple[list[str], int]:
    """Remove a document from the document list of an index that cannot be read (the next `--rebuild` then
    leaves it out). Returns the ids removed and how many documents are left."""
    with writer.writing():
        docs = writer.documents()
        if docs is None:
            raise IndexCorruptError(
                f"the index at {writer.where} and its document list are unreadable; rebuild it from the documents' "
                "files: `integrity ingest --rebuild FILE…`."
            )
        match = pick(docs, name)
        writer.forget(match)
    return match, len(docs) - len(match)
