"""A save killed at any instant leaves a loadable index; flipped bytes are named (issue 11, item 7).

The on-disk states a kill leaves are built for real (a dead process's half-written version, a version no
pointer names yet, a pointer to a version that is gone, the earlier save's renamed-away folder), and a real
`integrity ingest` is killed with SIGKILL at a range of instants while it saves.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ondisk import (
    TIMEOUT,
    dead_pid,
    flip_byte,
    index_files,
    one_line_error,
    report,
    run_cli,
    start_cli,
    tiny_corpus,
    write,
)

from assistant.pipeline import ingest
from assistant.settings import Settings
from index.build import index_folder
from index.embed import Embedder
from index.errors import IndexCorruptError
from index.store import Store

FILES = ["vectors.faiss", "units.jsonl", "pieces.jsonl", "spans.npy", "spans.json", "manifest.json"]


@pytest.fixture
def small(tmp_path: Path, settings: Settings, embedder: Embedder) -> Settings:
    """A data folder holding a small real index: a two-document corpus plus one document ingested from elsewhere."""
    s = settings.replace(data_dir=tmp_path / "data", corpus_dir=tiny_corpus(tmp_path / "corpus"))
    ingest(
        [s.index.corpus_dir, write(tmp_path / "elsewhere" / "canteen.md", report("A/90/3", "食堂管理处"))],
        s.index,
        embedder,
    )
    return s


def slot_of(s: Settings, embedder: Embedder) -> Path:
    return index_folder(s.index, embedder.name)


def current_version(slot: Path) -> Path:
    return slot / json.loads((slot / "CURRENT").read_text("utf-8"))["version"]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_dead_writers_leftovers_are_ignored_then_cleaned(small: Settings, embedder: Embedder, tmp_path: Path) -> None:
    slot = slot_of(small, embedder)
    want = set(Store.load(slot, embedder.name).documents)
    dead = dead_pid()
    half = slot / f".tmp-{dead}-1"  # killed while writing its files
    half.mkdir()
    (half / "units.jsonl").write_text('{"doc_id": "half', "utf-8")
    shutil.copytree(current_version(slot), slot / f"v-99999999999999999999-{dead}")  # killed before its pointer
    for leftover in (f".{slot.name}.tmp-{dead}", f".{slot.name}.old-{dead}"):  # the earlier save's leftovers
        shutil.copytree(current_version(slot), slot.parent / leftover)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        busy = slot / f".tmp-{live.pid}-1"  # a writer still alive: its folder is not ours to remove
        busy.mkdir()
        assert set(Store.load(slot, embedder.name).documents) == want
        ingest([write(tmp_path / "in" / "travel.md", report("A/90/4", "差旅管理办公室"))], small.index, embedder)
        assert busy.exists()
    finally:
        live.kill()
        live.wait()
    names = sorted(p.name for p in slot.iterdir())
    assert [n for n in names if n.startswith("v-")] == [current_version(slot).name]
    assert not half.exists() and not any(".old-" in p.name or ".tmp-" in p.name for p in slot.parent.iterdir())
    assert set(Store.load(slot, embedder.name).documents) == {*want, "travel"}


@pytest.mark.parametrize("state", ["pointer to a missing version", "no pointer yet", "unreadable pointer"])
def test_a_pointer_a_kill_could_leave_still_loads(small: Settings, embedder: Embedder, state: str) -> None:
    slot = slot_of(small, embedder)
    want = [u.id for u in Store.load(slot, embedder.name).units]
    if state == "pointer to a missing version":
        (slot / "CURRENT").write_text(json.dumps({"version": "v-1-1", "manifest_sha256": "0" * 64}), "utf-8")
    elif state == "no pointer yet":
        (slot / "CURRENT").unlink()
    else:
        (slot / "CURRENT").write_bytes(b"\x00\x01")
    assert [u.id for u in Store.load(slot, embedder.name).units] == want


def test_the_earlier_save_killed_between_its_renames_is_recovered(small: Settings, embedder: Embedder) -> None:
    slot = slot_of(small, embedder)
    dead = dead_pid()
    shutil.copytree(slot, slot.with_name(f".{slot.name}.tmp-{dead}"))  # the new index, complete
    slot.rename(slot.with_name(f".{slot.name}.old-{dead}"))  # the old one, renamed away: then the kill
    r = run_cli(["library"], small.index.data_dir, INTEGRITY_CORPUS_DIR=str(small.index.corpus_dir))
    assert r.returncode == 0, r.stderr
    assert "A/90/3" in r.stdout  # the ingested document is there: the bundled corpus was not built again
    assert (
        slot.is_dir() and sorted(p.name for p in slot.parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name) == []
    )


@pytest.mark.parametrize("damage", ["no manifest", "only the document list left", "empty units"])
def test_an_index_that_fails_to_load_is_never_built_over(small: Settings, embedder: Embedder, damage: str) -> None:
    slot = slot_of(small, embedder)
    if damage == "no manifest":
        for f in index_files(slot, "manifest.json"):
            f.unlink()
    elif damage == "only the document list left":
        for p in slot.iterdir():
            if p.name != "documents.json":
                shutil.rmtree(p) if p.is_dir() else p.unlink()
    else:
        for f in index_files(slot, "units.jsonl"):
            f.write_text("", "utf-8")
    before = snapshot(slot)
    for args in (["library"], ["ask", "道德操守办公室处理了多少项请求？"]):
        msg = one_line_error(run_cli(args, small.index.data_dir, INTEGRITY_CORPUS_DIR=str(small.index.corpus_dir)))
        assert str(slot) in msg and "integrity ingest --rebuild" in msg
    assert snapshot(slot) == before


@pytest.mark.parametrize("name", FILES)
def test_a_flipped_byte_in_any_index_file_is_named(small: Settings, embedder: Embedder, name: str) -> None:
    slot = slot_of(small, embedder)
    for at in (0.5, 0.999):
        (f,) = index_files(slot, name)
        original = f.read_bytes()
        flip_byte(f, at)
        with pytest.raises(IndexCorruptError, match=rf"{name}.*integrity ingest --rebuild"):
            Store.load(slot, embedder.name)
        f.write_bytes(original)
    Store.load(slot, embedder.name)


def test_an_index_in_the_earlier_flat_layout_loads_and_is_upgraded(
    small: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    slot = slot_of(small, embedder)
    version = current_version(slot)
    want = [u.id for u in Store.load(slot, embedder.name).units]
    for f in version.iterdir():
        shutil.move(f, slot / f.name)
    for p in list(slot.iterdir()):
        if p.is_dir() or p.name in ("CURRENT", "documents.json"):
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    assert [u.id for u in Store.load(slot, embedder.name).units] == want
    ingest([write(tmp_path / "in" / "travel.md", report("A/90/4", "差旅管理办公室"))], small.index, embedder)
    assert not (slot / "units.jsonl").exists() and (current_version(slot) / "units.jsonl").exists()
    assert "travel" in Store.load(slot, embedder.name).documents


def test_sigkill_while_ingest_saves_leaves_a_loadable_index(
    small: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    slot = slot_of(small, embedder)
    have = set(Store.load(slot, embedder.name).documents)
    env = {"INTEGRITY_CORPUS_DIR": str(small.index.corpus_dir)}
    killed = 0
    for i, delay in enumerate([0.0, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.05]):
        doc = write(tmp_path / "in" / f"office{i}.md", report(f"A/91/{i + 1}", f"第{i + 1}办公室"))
        proc = start_cli(["ingest", str(doc)], small.index.data_dir, **env)
        deadline = time.monotonic() + TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline:  # until the save has begun
            if any(".tmp-" in p.name for p in [*slot.iterdir(), *slot.parent.iterdir()]):
                break
            time.sleep(0.0002)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            killed += 1
        proc.communicate(timeout=TIMEOUT)
        now = set(Store.load(slot, embedder.name).documents)
        assert now in (have, have | {f"office{i}"}), (delay, now)
        have = now
    assert killed  # at least one run died mid-save
    r = run_cli(["library"], small.index.data_dir, **env)
    assert r.returncode == 0, r.stderr
    doc = write(tmp_path / "in" / "last.md", report("A/91/99", "最后办公室"))
    assert run_cli(["ingest", str(doc)], small.index.data_dir, **env).returncode == 0
    assert not any(".tmp-" in p.name or ".old-" in p.name for p in [*slot.iterdir(), *slot.parent.iterdir()])
    assert set(Store.load(slot, embedder.name).documents) == have | {"last"}
