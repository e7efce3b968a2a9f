"""The `milvus` store's writer (index/writer.py): a built `Store` kept as Milvus rows, written as the change.

An ingest upserts the rows whose content id is new or whose fields changed, deletes the rows of removed
documents by a filter and the rows a changed document no longer has, and writes each document's row after
its rows (so a document whose rows are not all there is recognised at load). Nothing is rebuilt on a removal;
only `--rebuild` (a save from nothing) drops the collections and writes them again, which also gives
milvus-lite's BM25 one segment with collection-wide statistics again.

Milvus has no transactions: a write stopped midway leaves the rows of the documents it was writing, which a
load reports (IndexCorruptError naming them; `integrity ingest --rebuild` repairs it). Writers on this
machine take turns on a lock file under DATA_DIR/indexes, as the FAISS store's do; writers on several
machines must be one job at a time (README, Production).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from index import lock
from index.build import build_settings
from index.embed import Embedder
from index.errors import DataDirError, IndexCorruptError, IndexMismatchError, IndexMissingError
from index.milvus import client as mc
from index.milvus import schema
from index.milvus.rows import Rows, fields, incomplete, rows_of, same, store_of
from index.milvus.schema import INDEX_ROW, KINDS
from index.settings import IndexSettings
from index.store import Store, document_from
from index.types import Document

FIX = "rebuild it with `integrity ingest --rebuild`."


class MilvusWriter:
    def __init__(self, settings: IndexSettings, embedder: Embedder) -> None:
        name = str(build_settings(settings, embedder)["name"])
        self.uri, self.dim, self.embedder_name = settings.milvus_target, embedder.dim, embedder.name
        self.token = settings.milvus_token.get_secret_value() if settings.milvus_token else None
        self.dense = settings.milvus_index
        self.names = {k: f"{schema.prefix(name)}_{k}" for k in KINDS}
        self.slot = settings.index_root / f"milvus-{name}"  # only its lock file is used
        self.where = f"{self.uri} (collections {schema.prefix(name)}_*)"
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = mc.connect(self.uri, self.token)
        return self._client

    @contextmanager
    def writing(self) -> Iterator[None]:
        try:
            self.slot.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise DataDirError.about(self.slot.parent, e) from e
        with lock.writing(self.slot):
            yield

    # -- reading ------------------------------------------------------------------------------------
    def exists(self) -> bool:
        return bool(self.client.has_collection(self.names["documents"]))

    def read(self) -> Rows:
        out = Rows()
        for kind in KINDS:
            name = self.names[kind]
            if not self.client.has_collection(name):
                raise IndexCorruptError(f"the Milvus store at {self.where} has no collection {name}; {FIX}")
            self.client.load_collection(name)  # a reopened lite collection is not loaded, and cannot be read
            out.of(kind).update((r["id"], r) for r in mc.rows(self.client, name, fields(kind)))
        return out

    def load(self) -> Store:
        if not self.exists():
            raise IndexMissingError(f"no index in Milvus at {self.where}; build it with `integrity ingest`.")
        rows = self.read()
        info = rows.documents.get(INDEX_ROW)
        if info is None:
            raise IndexCorruptError(f"the Milvus store at {self.where} was never finished; {FIX}")
        if info["data"]["embedder"] != self.embedder_name:
            raise IndexMismatchError(
                f"the Milvus store at {self.where} was built with embedder '{info['data']['embedder']}', not "
                f"'{self.embedder_name}'; {FIX}"
            )
        if bad := incomplete(rows):
            raise IndexCorruptError(
                f"the Milvus store at {self.where} holds unfinished rows of {', '.join(sorted(bad))} (an ingest "
                f"stopped midway); {FIX}"
            )
        return store_of(rows, self.where)

    def documents(self) -> dict[str, Document] | None:
        try:
            if not self.exists():
                return None
            found = mc.rows(self.client, self.names["documents"], ["id", "data"], f'id != "{INDEX_ROW}"')
            return {r["id"]: document_from(r["data"]["document"]) for r in found}
        except Exception:  # a store that cannot be read at all: the caller says so
            return None

    # -- writing ------------------------------------------------------------------------------------
    def save(self, store: Store, previous: Store | None) -> None:
        new = rows_of(store)
        if previous is None:
            self.recreate()
            for kind in KINDS:
                mc.upsert(self.client, self.names[kind], list(new.of(kind).values()))
            self.flush()
            return
        old = rows_of(previous)
        removed = [k for k in old.documents if k not in new.documents]
        self.delete_documents(removed)
        changed: set[str] = set()
        for kind in ("units", "pieces", "spans"):
            table, before = new.of(kind), old.of(kind)
            todo = [r for k, r in table.items() if k not in before or not same(r, before[k])]
            changed |= {r["doc_id"] for r in todo}
            mc.upsert(self.client, self.names[kind], todo)
        # documents with new rows, or whose content changed (not only their place in the list)
        changed |= {k for k, r in new.documents.items() if r["data"] != old.documents.get(k, {}).get("data")}
        self.delete_stale(new, sorted(changed - {INDEX_ROW}))
        docs = [r for k, r in new.documents.items() if k not in old.documents or not same(r, old.documents[k])]
        mc.upsert(self.client, self.names["documents"], docs)  # last: a document is whole once its row is written
        self.flush()

    def recreate(self) -> None:
        for kind in KINDS:
            if self.client.has_collection(self.names[kind]):
                self.client.drop_collection(self.names[kind])
        for kind in KINDS:
            schema.create(self.client, self.names[kind], kind, self.dim, self.dense)

    def delete_documents(self, doc_ids: list[str]) -> None:
        """Document rows first (the documents are gone for every reader), then their rows, by a filter."""
        if not doc_ids:
            return
        self.client.delete(self.names["documents"], filter=mc.one_of("id", doc_ids))
        for kind in ("units", "pieces", "spans"):
            self.client.delete(self.names[kind], filter=mc.one_of("doc_id", doc_ids))

    def delete_stale(self, new: Rows, doc_ids: list[str]) -> None:
        """Rows of these documents that the new store does not have (a changed paragraph's old rows, and
        what a write stopped midway left)."""
        if not doc_ids:
            return
        for kind in ("units", "pieces", "spans"):
            name, keep = self.names[kind], new.of(kind)
            held = mc.rows(self.client, name, ["id"], mc.one_of("doc_id", doc_ids))
            stale = [r["id"] for r in held if r["id"] not in keep]
            for start in range(0, len(stale), mc.BATCH):
                self.client.delete(name, ids=stale[start : start + mc.BATCH])

    def forget(self, doc_ids: list[str]) -> None:
        self.delete_documents(doc_ids)
        self.flush()

    def flush(self) -> None:
        """Rows to a segment: persisted, and (lite) scored by BM25 with the segment's statistics."""
        for kind in KINDS:
            self.client.flush(self.names[kind])
