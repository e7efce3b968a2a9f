"""The writing half of a store: where a built `Store` is kept and read back from.

Why a second protocol beside the search `Backend` (index/search.py), rather than a `save` on each backend:
what an ingest computes -- reading, parsing, chunking, embedding only the text whose content id has no vector
yet, and which documents are added, changed or removed (index/build.py) -- is the same whatever the store;
only where the result lands differs. For FAISS it is a whole new version of a folder switched in by one
atomic rename (index/disk.py); for Milvus it is the difference, written as row upserts and deletes by content
id, so a removal deletes rows and rebuilds nothing (index/milvus/writer.py). So `save` receives both the new
store and the one it was built from. Searching needs none of this and writing needs no search: a web
replica only reads, an ingest job only writes, and each half is registered by name beside the other
(assistant/registry.py: STORES and WRITERS), so index/update.py works with any writer and knows none.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

from index import disk, lock
from index.errors import DataDirError
from index.store import Store, document_from
from index.types import Document


class StoreWriter(Protocol):
    where: str  # what messages name: the index folder, or the Milvus URI and collections

    def writing(self) -> AbstractContextManager[None]:
        """Writers take turns: held from reading the store to saving the new one (index.lock)."""
        ...

    def load(self) -> Store:
        """The whole store; IndexMissingError when nothing was ever saved, IndexCorruptError or
        IndexMismatchError (built by another embedder) when what is there cannot be used."""
        ...

    def save(self, store: Store, previous: Store | None) -> None:
        """Keep `store`, built from `previous` (None: from nothing, or a rebuild); called inside `writing`."""
        ...

    def documents(self) -> dict[str, Document] | None:
        """The documents held, read even when the store itself does not load (what `--rebuild` re-reads);
        None when that cannot be read either."""
        ...

    def forget(self, doc_ids: list[str]) -> None:
        """Drop documents from that list, for a store that does not load (before a rebuild)."""
        ...


class FileWriter:
    """Today's store: versions of a folder under DATA_DIR/indexes (index/store.py, index/disk.py)."""

    def __init__(self, slot: Path, embedder_name: str) -> None:
        self.slot, self.embedder_name = slot, embedder_name
        self.where = str(slot)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        with lock.writing(self.slot):
            tidy(self.slot)
            yield

    def load(self) -> Store:
        with lock.if_free(self.slot) as mine:  # no writer at work: clear what dead ones left
            if mine:
                tidy(self.slot)
        return Store.load(self.slot, expect_embedder=self.embedder_name)

    def save(self, store: Store, previous: Store | None) -> None:
        store.save(self.slot)

    def documents(self) -> dict[str, Document] | None:
        listed = disk.document_list(self.slot) if self.slot.is_dir() else None
        try:
            return None if listed is None else {k: document_from(d) for k, d in listed.items()}
        except (TypeError, ValueError):
            return None

    def forget(self, doc_ids: list[str]) -> None:
        try:
            disk.forget(self.slot, doc_ids)
        except OSError as e:
            raise DataDirError.about(self.slot, e) from e


def tidy(folder: Path) -> None:
    """What dead writers left (`index.disk.clean`); call with the writer lock held."""
    with contextlib.suppress(OSError):  # leftovers that cannot be removed now are removed by a later writer
        disk.clean(folder)
