"""Two writers, and rebuilds: real `integrity` processes racing each other and a web upload; `--rebuild`
re-reading every document the index knows (issue 11, items 5 and 6)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from filelock import FileLock
from ondisk import TIMEOUT, flip_byte, index_files, one_line_error, report, run_cli, start_cli, tiny_corpus, write

from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.build import index_folder
from index.embed import Embedder
from index.store import Store

WAITING = "another ingest is running; waiting…"


@pytest.fixture
def data_copy(tmp_path: Path, settings: Settings, embedder: Embedder, store: Store) -> Settings:
    """A data folder of its own holding a copy of the session index (the shared one is never changed)."""
    src = index_folder(settings.index, embedder.name)
    shutil.copytree(src, tmp_path / "data" / "indexes" / src.name)
    return settings.replace(data_dir=tmp_path / "data")


def lock_file(folder: Path) -> Path:
    """Where writers of an index take their turn (documented in README: `.<index folder>.lock` beside it)."""
    return folder.with_name(f".{folder.name}.lock")


# -- item 5: nothing is lost when two writers meet -----------------------------------------------------
def test_two_ingests_at_once_both_keep_their_document(data_copy: Settings, embedder: Embedder, tmp_path: Path) -> None:
    a = write(tmp_path / "in" / "travel.md", report("A/99/101", "差旅管理办公室", paragraphs=30))
    b = write(tmp_path / "in" / "payroll.md", report("A/99/102", "薪金发放股", paragraphs=30))
    procs = [start_cli(["ingest", str(p)], data_copy.index.data_dir) for p in (a, b)]
    outs = [p.communicate(timeout=TIMEOUT) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    docs = Store.load(index_folder(data_copy.index, embedder.name), embedder.name).documents
    assert {"travel", "payroll"} <= set(docs) and len(docs) == 7


def test_a_cli_ingest_and_a_web_upload_wait_their_turn(data_copy: Settings, embedder: Embedder, tmp_path: Path) -> None:
    folder = index_folder(data_copy.index, embedder.name)
    lib_settings = data_copy.replace(max_upload_mb=1.0)
    from ui.library import Library

    lib = Library(lib_settings, Assistant(lib_settings, Store.load(folder, embedder.name), embedder))  # loaded first
    cli_doc = write(tmp_path / "in" / "travel.md", report("A/99/101", "差旅管理办公室"))
    web_doc = write(tmp_path / "in" / "payroll.md", report("A/99/102", "薪金发放股"))
    held = FileLock(str(lock_file(folder)))
    held.acquire()  # a writer already at work: both must wait for it, then build on each other's result
    try:
        proc = start_cli(["ingest", str(cli_doc)], data_copy.index.data_dir)
        waiting = threading.Event()
        err: list[str] = []

        def read_stderr() -> None:
            assert proc.stderr is not None
            for line in proc.stderr:
                err.append(line)
                if WAITING in line:
                    waiting.set()

        reader = threading.Thread(target=read_stderr, daemon=True)
        reader.start()
        assert waiting.wait(TIMEOUT), "".join(err)
        failures: list[BaseException] = []

        def upload() -> None:
            try:
                lib.add([web_doc])
            except BaseException as e:
                failures.append(e)

        web = threading.Thread(target=upload)
        web.start()
    finally:
        held.release()
    web.join(TIMEOUT)
    assert proc.wait(TIMEOUT) == 0, "".join(err)
    assert not web.is_alive() and not failures, failures
    on_disk = Store.load(folder, embedder.name).documents
    assert {"travel", "payroll"} <= set(on_disk) and len(on_disk) == 7
    # the server's next upload builds on the index on disk, not on the one it held
    lib.add([write(tmp_path / "in" / "canteen.md", report("A/99/103", "食堂管理处"))])
    assert {"travel", "payroll", "canteen"} <= set(lib.assistant.store.documents)
    assert {"travel", "payroll", "canteen"} <= set(Store.load(folder, embedder.name).documents)


# -- item 6: --rebuild never drops documents --------------------------------------------------------------
@pytest.fixture
def small(tmp_path: Path, settings: Settings) -> Settings:
    """An empty data folder and a two-document corpus: rebuilds here take seconds."""
    return settings.replace(data_dir=tmp_path / "data", corpus_dir=tiny_corpus(tmp_path / "corpus"))


def small_env(s: Settings) -> dict[str, str]:
    return {"INTEGRITY_CORPUS_DIR": str(s.index.corpus_dir)}


def test_rebuild_keeps_uploads_and_earlier_ingests(small: Settings, embedder: Embedder, tmp_path: Path) -> None:
    from ui.library import Library

    env = small_env(small)
    assert run_cli(["ingest"], small.index.data_dir, **env).returncode == 0
    extra = write(tmp_path / "elsewhere" / "canteen.md", report("A/90/3", "食堂管理处"))
    assert run_cli(["ingest", str(extra)], small.index.data_dir, **env).returncode == 0
    folder = index_folder(small.index, embedder.name)
    lib = Library(small, Assistant(small, Store.load(folder, embedder.name), embedder))
    lib.add([write(tmp_path / "upload" / "travel.md", report("A/90/4", "差旅管理办公室"))])
    before = Store.load(folder, embedder.name)
    assert len(before.documents) == 4

    r = run_cli(["ingest", "--rebuild"], small.index.data_dir, **env)
    assert r.returncode == 0, r.stderr
    after = Store.load(folder, embedder.name)
    assert set(after.documents) == set(before.documents)
    assert sorted(u.key for u in after.units) == sorted(u.key for u in before.units)


def test_rebuild_refuses_when_a_document_file_is_gone(small: Settings, embedder: Embedder, tmp_path: Path) -> None:
    env = small_env(small)
    assert run_cli(["ingest"], small.index.data_dir, **env).returncode == 0
    extra = write(tmp_path / "elsewhere" / "canteen.md", report("A/90/3", "食堂管理处"))
    assert run_cli(["ingest", str(extra)], small.index.data_dir, **env).returncode == 0
    extra.unlink()
    folder = index_folder(small.index, embedder.name)
    before = sorted(p.read_bytes() for p in folder.rglob("*") if p.is_file())

    msg = one_line_error(run_cli(["ingest", "--rebuild"], small.index.data_dir, **env))
    assert "A/90/3" in msg and str(extra) in msg and "integrity remove" in msg
    assert sorted(p.read_bytes() for p in folder.rglob("*") if p.is_file()) == before  # nothing changed
    # giving the file back, from wherever it is now, is the other way on
    moved = write(tmp_path / "moved" / "canteen.md", report("A/90/3", "食堂管理处"))
    r = run_cli(["ingest", "--rebuild", str(small.index.corpus_dir), str(moved)], small.index.data_dir, **env)
    assert r.returncode == 0, r.stderr
    assert set(Store.load(folder, embedder.name).documents) == {"ethics", "oios", "canteen"}


def test_rebuild_of_a_corrupt_index_finds_its_documents(small: Settings, embedder: Embedder, tmp_path: Path) -> None:
    env = small_env(small)
    assert run_cli(["ingest"], small.index.data_dir, **env).returncode == 0
    canteen = write(tmp_path / "elsewhere" / "canteen.md", report("A/90/3", "食堂管理处"))
    travel = write(tmp_path / "elsewhere" / "travel.md", report("A/90/4", "差旅管理办公室"))
    assert run_cli(["ingest", str(canteen), str(travel)], small.index.data_dir, **env).returncode == 0
    folder = index_folder(small.index, embedder.name)
    for name in ("units.jsonl", "manifest.json"):
        for f in index_files(folder, name):
            flip_byte(f)

    msg = one_line_error(run_cli(["library"], small.index.data_dir, **env))  # never silently built again
    assert "integrity ingest --rebuild" in msg
    travel.unlink()
    msg = one_line_error(run_cli(["ingest", "--rebuild"], small.index.data_dir, **env))
    assert "A/90/4" in msg and "integrity remove" in msg
    r = run_cli(["remove", "A/90/4"], small.index.data_dir, **env)  # works on an unreadable index: forgets the document
    assert r.returncode == 0 and "integrity ingest --rebuild" in r.stdout, r.stderr
    r = run_cli(["ingest", "--rebuild"], small.index.data_dir, **env)
    assert r.returncode == 0, r.stderr
    assert set(Store.load(folder, embedder.name).documents) == {"ethics", "oios", "canteen"}
