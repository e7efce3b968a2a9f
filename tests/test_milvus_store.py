"""The milvus store on the real engine (milvus-lite 3.2.2 in this process, and its gRPC server for http://):
the bundled corpus written to Milvus, searched dense, lexical, hybrid and restricted, upserted and deleted
by ingest, reopened by a new process, and refused to a second process in one line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from assistant.pipeline import ingest
from assistant.registry import make_backend, make_writer
from assistant.settings import PACKAGE_ROOT, Settings
from index.embed import E5Embedder
from index.errors import InputError, StoreUnavailableError
from index.milvus import client as mc
from index.milvus.writer import MilvusWriter
from index.query import make_query
from index.retrieve import Retriever
from index.search import FaissBM25, SearchRequest, Where
from index.store import Store

QUESTIONS = [
    "道德操守办公室2020年收到多少项服务请求？",
    "我觉得自己因为举报而遭到报复，应该找谁？",
    "How many financial disclosure filers were there in 2020?",
    "首协会如何处理性骚扰问题？",
]
A76 = "A_76_76_ethics_office_activities_2020.zh"
CEB = "CEB_annual_overview_2019.zh"


def milvus(settings: Settings, uri: Path | str, **kw: object) -> Settings:
    return settings.replace(store="milvus", milvus_uri=str(uri), **kw)


def writer_of(s: Settings, embedder: E5Embedder) -> MilvusWriter:
    w = make_writer(s.index, embedder)
    assert isinstance(w, MilvusWriter)
    return w


def count(w: MilvusWriter, kind: str, expr: str = "") -> int:
    return int(w.client.query(w.names[kind], filter=expr, output_fields=["count(*)"])[0]["count(*)"])


@pytest.fixture(scope="module")
def lite(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return milvus(settings, tmp_path_factory.mktemp("milvus") / "corpus.db")


@pytest.fixture(scope="module")
def mstore(lite: Settings, store: Store, embedder: E5Embedder) -> Iterator[Store]:
    """The bundled corpus written to milvus-lite from nothing (the FAISS build's store: no embedding again),
    then read back."""
    w = writer_of(lite, embedder)
    with w.writing():
        w.save(store, None)
    yield w.load()
    mc.release(lite.index.milvus_target)


def request(embedder: E5Embedder, text: str, where: Where | None = None, depth: int = 20) -> SearchRequest:
    q = make_query(text, "en" if text.isascii() else "zh")
    return SearchRequest(embedder.embed_batch([q.dense_text], "query")[0], q.tokens, depth, where or Where(),
                         q.lexical_text)  # fmt: skip


def test_build_holds_the_store_with_its_metadata(mstore: Store, store: Store, lite: Settings, embedder: E5Embedder):
    assert [u.id for u in mstore.units] == [u.id for u in store.units]
    assert mstore.unit_tokens == store.unit_tokens and mstore.documents == store.documents
    assert mstore.piece_ids == store.piece_ids and mstore.piece_unit == store.piece_unit
    assert np.array_equal(mstore.vectors, store.vectors) and mstore.span_ids == store.span_ids
    assert np.array_equal(mstore.span_vectors, store.span_vectors) and mstore.build == store.build
    w = writer_of(lite, embedder)
    assert count(w, "units") == len(store.units) and count(w, "pieces") == len(store.piece_ids)
    assert count(w, "spans") >= len(store.span_ids)  # one row per unit's span: a sentence two units share is twice
    row = w.client.query(w.names["units"], filter='number == "31" and symbol == "A/76/76"',
                         output_fields=["doc_id", "lang", "date", "origin", "text"])  # fmt: skip
    assert row and row[0]["doc_id"] == A76
    assert (row[0]["lang"], row[0]["date"], row[0]["origin"]) == ("zh", "2021", "bundled")


def test_dense_lexical_and_hybrid_match_the_faiss_store(mstore: Store, store: Store, lite: Settings, embedder):
    faiss, mil = FaissBM25(lite.index, store), make_backend(lite.index, mstore)
    for text in QUESTIONS:
        r = request(embedder, text)
        a, b = faiss.search(r), mil.search(r)
        assert list(a.dense) == list(b.dense) and np.allclose(list(a.dense.values()), list(b.dense.values()), atol=1e-5)
        assert a.lexical == b.lexical  # bm25s over the tokens read back from Milvus
        hits = [Retriever(s, be, embedder, lite.retrieval).search(make_query(text, "zh")) for s, be in
                ((store, faiss), (mstore, mil))]  # fmt: skip
        assert [h.key for h in hits[0]] == [h.key for h in hits[1]]


def test_milvus_bm25_ranks_as_bm25s(mstore: Store, lite: Settings, embedder: E5Embedder) -> None:
    """Milvus's BM25 with our lexicon in its jieba analyzer and our stop words ranks the corpus as bm25s over our
    tokens does (same k1 and b), from the query text it analyses itself."""
    mil = make_backend(lite.replace(milvus_lexical="milvus").index, mstore)
    ours = FaissBM25(lite.index, mstore)
    for text in QUESTIONS:
        r = request(embedder, text, depth=10)
        a, b = ours.search(r).lexical, mil.search(r).lexical
        assert list(a)[:3] == list(b)[:3] and len(set(a) & set(b)) >= 8, text
        assert all(s > 0 for s in b.values())  # lite's BM25 distances are negative


@pytest.mark.parametrize("lexical", ["bm25s", "milvus"])
def test_filters_run_inside_the_search(mstore: Store, lite: Settings, embedder: E5Embedder, lexical: str) -> None:
    mil = make_backend(lite.replace(milvus_lexical=lexical).index, mstore)
    text = "道德操守办公室2020年收到多少项服务请求？"  # its best paragraphs are in A/76/76
    for where, ok in [
        (Where(doc_ids=(CEB,)), lambda d: d.doc_id == CEB),
        (Where(date_to="2020"), lambda d: d.date[:4] <= "2020"),
        (Where(date_from="2020-06"), lambda d: d.date >= "2020-06"),
        (Where(languages=("zh",), date_from="2021", date_to="2021"), lambda d: d.date.startswith("2021")),
    ]:
        found = mil.search(request(embedder, text, where))
        assert found.dense and found.lexical, where
        for i in [*found.dense, *found.lexical]:
            assert ok(mstore.documents[mstore.units[i].doc_id]), (where, mstore.units[i].key)
        exact = FaissBM25(lite.index, mstore).search(request(embedder, text, where)).dense  # restricted, exhaustive
        assert next(iter(found.dense)) == next(iter(exact)) and set(list(found.dense)[:10]) <= set(exact)  # HNSW
    none = mil.search(request(embedder, text, Where(languages=("fr",))))
    assert not none.dense and not none.lexical
    first = next(iter(mil.search(request(embedder, text)).dense))
    assert first not in mil.search(request(embedder, text, Where(exclude=(first,)))).dense


def segments(w: MilvusWriter, kind: str) -> set[Path]:
    return set((Path(w.uri) / "collections" / w.names[kind]).rglob("*.parquet"))


def test_ingest_upserts_new_text_and_removal_deletes_rows(
    settings: Settings, store: Store, embedder: E5Embedder, tmp_path: Path
) -> None:
    s = milvus(settings, tmp_path / "inc.db")
    w = writer_of(s, embedder)
    with w.writing():
        w.save(store, None)
    before = {k: count(w, k) for k in ("units", "pieces", "spans")}
    written = segments(w, "units")
    doc = tmp_path / "hotline.md"
    doc.write_text("# Ethics hotline\n\nThe ethics hotline number is 555-0199 and it is open on weekdays.\n\n"
                   "Calls to the hotline are confidential.\n", "utf-8")  # fmt: skip
    added, report = ingest([doc], s.index, embedder)
    new = [u for u in added.units if u.doc_id == "hotline"]
    assert report.added == ["hotline"] and new
    assert report.embedded == len(added.piece_ids) + len(added.span_ids) - len(store.piece_ids) - len(store.span_ids)
    d = added.documents["hotline"]
    held = f'doc_id == "hotline" and origin == "ingested" and lang == "{d.language}" and date == "{d.date or ""}"'
    assert count(w, "units", held) == len(new)
    hit = make_backend(s.index, added).search(request(embedder, "ethics hotline number 555-0199"))
    assert added.units[max(hit.lexical, key=lambda i: hit.lexical[i])].doc_id == "hotline"

    doc.write_text(doc.read_text("utf-8").replace("weekdays", "every day"), "utf-8")
    changed, report = ingest([doc], s.index, embedder)
    assert report.updated == ["hotline"] and 0 < report.embedded <= 3  # the changed paragraph's piece and spans
    gone = {u.id for u in new} - {u.id for u in changed.units}
    assert len(gone) == 1 and not w.client.get(w.names["units"], ids=list(gone), output_fields=["id"])
    assert count(w, "units", 'doc_id == "hotline"') == len(new)

    _, report = ingest([], s.index, embedder, remove=["hotline"])
    assert report.removed == ["hotline"] and report.embedded == 0
    assert {k: count(w, k, 'doc_id == "hotline"') for k in before} == dict.fromkeys(before, 0)
    assert {k: count(w, k) for k in before} == before
    assert written <= segments(w, "units")  # the corpus's rows were never rewritten: no rebuild
    assert [u.id for u in w.load().units] == [u.id for u in store.units]
    mc.release(s.index.milvus_target)


CHILD = """
import json, sys
from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.query import make_query
a = Assistant.load(Settings(), auto_build=False)
hits = a.retriever.search(make_query(sys.argv[1], "zh"))
print(json.dumps({"units": len(a.store.units), "hits": [h.key for h in hits]}))
"""


def child_env(s: Settings) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PACKAGE_ROOT), "INTEGRITY_STORE": "milvus",
            "INTEGRITY_MILVUS_URI": s.index.milvus_target, "INTEGRITY_DATA_DIR": str(s.index.data_dir)}  # fmt: skip


def test_reopened_by_a_new_process(mstore: Store, store: Store, lite: Settings, embedder: E5Embedder) -> None:
    text = QUESTIONS[1]
    mine = Retriever(mstore, make_backend(lite.index, mstore), embedder, lite.retrieval).search(make_query(text, "zh"))
    mc.release(lite.index.milvus_target)  # this process lets go of the folder; the new one must load it again
    out = subprocess.run([sys.executable, "-c", CHILD, text], env=child_env(lite), capture_output=True, text=True,
                         timeout=300, check=True)  # fmt: skip
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got == {"units": len(store.units), "hits": [h.key for h in mine]}


def test_second_process_gets_one_line(mstore: Store, lite: Settings, embedder: E5Embedder) -> None:
    writer_of(lite, embedder).load()  # this process holds the lite folder
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "search", "举报 报复"], env=child_env(lite),
                         capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the Milvus store ") and "open in another process" in lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_server_by_uri(settings: Settings, store: Store, embedder: E5Embedder, tmp_path: Path) -> None:
    """`milvus-lite server` speaks Milvus's gRPC protocol on a port: the http:// path of the same code."""
    port = free_port()
    server = subprocess.Popen([Path(sys.executable).parent / "milvus-lite", "server", "--data-dir",
                               str(tmp_path / "srv.db"), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)  # fmt: skip
    try:
        s = milvus(settings, f"http://127.0.0.1:{port}")
        deadline = time.monotonic() + 60
        while True:
            try:
                w = writer_of(s, embedder)
                w.exists()
                break
            except StoreUnavailableError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        with w.writing():
            w.save(store, None)
        back = writer_of(s, embedder).load()
        assert [u.id for u in back.units] == [u.id for u in store.units]
        r = request(embedder, QUESTIONS[0])
        assert list(make_backend(s.index, back).search(r).dense) == list(FaissBM25(s.index, store).search(r).dense)
        mc.release(s.index.milvus_target)
    finally:
        server.send_signal(2)  # it stops cleanly on Ctrl-C, but may take longer than 30 s on a loaded machine
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(30)


def test_unreachable_server_and_bad_uri_are_one_line(settings: Settings, embedder: E5Embedder) -> None:
    with pytest.raises(StoreUnavailableError, match=r"^cannot use Milvus at http://127.0.0.1:\d+ \(.*\); check"):
        writer_of(milvus(settings, f"http://127.0.0.1:{free_port()}"), embedder).load()
    with pytest.raises(InputError, match=r"INTEGRITY_MILVUS_URI is 'data/store'; give a path ending in \.db"):
        writer_of(milvus(settings, "data/store"), embedder).load()
