"""The real index: FAISS + BM25 on the real corpus, incremental re-ingest, removal, bad index files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from ondisk import index_files

from assistant.pipeline import ingest
from assistant.settings import PACKAGE_ROOT, Settings
from index.build import index_folder
from index.embed import E5Embedder
from index.errors import IndexCorruptError, IndexMismatchError, IndexMissingError, InputError
from index.store import Store

CORPUS = PACKAGE_ROOT / "corpus"


def test_store_holds_every_document_and_paragraph(store: Store) -> None:
    labels = {d.label for d in store.documents.values()}
    assert labels == {"A/RES/74/271", "A/76/644", "A/75/201", "CEB annual overview 2019", "A/76/76"}
    assert store.vectors.shape == (len(store.piece_ids), 384)
    assert len(store.units) == len(store.unit_tokens) > 300
    assert store.faiss_index().ntotal == len(store.piece_ids)
    keys = [u.key for u in store.units]
    assert "A/76/76 ¶31" in keys and "A/RES/74/271 ¶II.1" in keys


def test_saved_index_is_named_after_what_built_it(settings: Settings, embedder: E5Embedder, store: Store) -> None:
    folder = index_folder(settings.index, embedder.name)
    assert folder.name.startswith("e5-") and (folder / "CURRENT").exists() and (folder / "documents.json").exists()
    loaded = Store.load(folder, expect_embedder=embedder.name)
    assert [u.id for u in loaded.units] == [u.id for u in store.units]
    assert [u.table for u in loaded.units] == [u.table for u in store.units]  # tables travel in units.jsonl
    assert sum(bool(u.table) for u in loaded.units) == 7
    other = index_folder(settings.replace(max_chunk_chars=200).index, embedder.name)
    assert other != folder


def test_unchanged_reingest_embeds_nothing(settings: Settings, embedder: E5Embedder, store: Store) -> None:
    _, report = ingest([CORPUS], settings.index, embedder)
    assert report.embedded == 0 and not report.changed and len(report.unchanged) == 5


def copy_index(settings: Settings, embedder: E5Embedder, tmp_path: Path) -> Settings:
    dst = tmp_path / "index"
    shutil.copytree(index_folder(settings.index, embedder.name), dst)
    return settings.replace(index_path=dst)


def test_add_and_remove_a_document(settings: Settings, embedder: E5Embedder, store: Store, tmp_path: Path) -> None:
    s = copy_index(settings, embedder, tmp_path)
    doc = tmp_path / "hotline.md"
    doc.write_text(
        "# Ethics hotline\n\nThe ethics hotline number is 555-0199 and it is open on weekdays.\n\n"
        "Calls to the hotline are confidential.\n",
        "utf-8",
    )
    added, report = ingest([doc], s.index, embedder)
    new_units = [u for u in added.units if u.doc_id == "hotline"]
    assert report.added == ["hotline"] and new_units
    new_vectors = len(added.piece_ids) + len(added.span_ids) - len(store.piece_ids) - len(store.span_ids)
    assert report.embedded == new_vectors > 0  # only the new document's pieces and spans are embedded
    assert len(added.units) == len(store.units) + len(new_units)
    assert any("555-0199" in u.text for u in new_units)
    removed, report = ingest([], s.index, embedder, remove=["hotline"])
    assert report.removed == ["hotline"] and report.embedded == 0
    assert [u.id for u in removed.units] == [u.id for u in store.units]
    with pytest.raises(InputError, match="no document 'nothing'"):
        ingest([], s.index, embedder, remove=["nothing"])


def test_index_built_by_another_embedder_is_refused(settings: Settings, embedder: E5Embedder, tmp_path: Path) -> None:
    s = copy_index(settings, embedder, tmp_path)
    with pytest.raises(IndexMismatchError, match=r"built with embedder 'e5:.*integrity ingest --rebuild"):
        Store.load(s.index.index_path or Path(), expect_embedder="sentence-transformers:all-MiniLM-L6-v2")


@pytest.mark.parametrize(
    "damage", ["vectors.faiss", "units.jsonl", "manifest.json", "spans.npy", "spans.json", "truncate-units"]
)
def test_corrupt_index_is_reported(settings: Settings, embedder: E5Embedder, tmp_path: Path, damage: str) -> None:
    s = copy_index(settings, embedder, tmp_path)
    folder = s.index.index_path
    assert folder is not None
    (units,) = index_files(folder, "units.jsonl")
    if damage == "truncate-units":
        lines = units.read_text("utf-8").splitlines()
        units.write_text("\n".join(lines[:-5]) + "\n", "utf-8")
    else:
        (units.parent / damage).write_bytes(b"\x00garbage")
    with pytest.raises(IndexCorruptError, match=r"rebuild it with `integrity ingest --rebuild`"):
        Store.load(folder, expect_embedder=embedder.name)


def test_missing_index_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(IndexMissingError, match="integrity ingest"):
        Store.load(tmp_path / "nothing")
