"""Issue 11 against the real server (`integrity serve` in a child process): raw calls to gradio's queue and
upload routes and to the JSON route, the way a browser or a script sends them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from serving import PASSWORD, Server, client, file_data, queue_call, serve_copy, status_of, upload

from assistant.settings import Settings
from index.embed import Embedder
from index.store import Store

MARKER = "SECRET-7f3a9c-不应外泄"
DOC = """# 远程安全办公室 2023 年报告

A/99/777

1. 2023 年，远程安全办公室共处理 512 起安全事件。
"""


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, store: Store, embedder: Embedder
) -> Iterator[Server]:
    with serve_copy(tmp_path_factory.mktemp("secure"), settings, embedder.name) as srv:
        yield srv


def cached_copies(srv: Server) -> list[Path]:
    return [p for p in srv.uploads.rglob("*") if p.is_file() and MARKER.encode() in p.read_bytes()]


def add(http: httpx.Client, srv: Server, paths: list[str], password: str) -> str:
    values = {"upload": [file_data(p) for p in paths], "admin-password": password}
    return status_of(queue_call(http, srv.url, "upload-add", "click", values))


def uploaded(http: httpx.Client, srv: Server, path: Path) -> str:
    r = upload(http, srv.url, path)
    assert r.status_code == 200, r.text
    [stored] = r.json()
    return str(stored)


def test_a_server_file_named_in_a_raw_add_event_never_reaches_the_cache_or_the_library(server: Server) -> None:
    secret = server.root / "secret" / "notes.md"
    secret.parent.mkdir()
    secret.write_text(DOC + f"\n2. {MARKER}\n", "utf-8")
    sneaky = server.uploads / ".." / "secret" / "notes.md"  # inside the upload folder only by its spelling
    with client() as http:
        for password in ("guess", PASSWORD):
            for path in (secret, sneaky):
                status = add(http, server, [str(path)], password)
                assert "已加入" not in status and "Added" not in status, status
        assert cached_copies(server) == []
        for p in (secret, sneaky):
            r = http.get(f"{server.url}/gradio_api/file={p}")
            assert r.status_code != 200 and MARKER not in r.text
        assert "A/99/777" not in {d["symbol"] for d in http.get(server.url + "/api/documents").json()}


def test_uploads_are_limited_to_the_project_size_and_deleted_once_handled(server: Server, tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("问责制。" * 130_000, "utf-8")  # 1.5 MB, over the server's 1 MB
    good = tmp_path / "remote_security_2023.md"
    good.write_text(DOC, "utf-8")
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"PK\x03\x04 spreadsheet")
    with client() as http:
        r = upload(http, server.url, big)
        assert r.status_code == 413 and "maximum allowed size" in r.text
        assert not list(server.uploads.rglob("big.txt"))

        for path, password, expected in [
            (good, "guess", "wrong admin password"),
            (sheet, PASSWORD, "'.xlsx' files cannot be added"),
            (good, PASSWORD, "Added: A/99/777"),  # a session without a language yet: English
        ]:
            stored = uploaded(http, server, path)
            assert Path(stored).is_file() and Path(stored).is_relative_to(server.uploads)
            status = add(http, server, [stored], password)
            assert expected in status, status
            assert not Path(stored).exists(), f"{stored} was left in gradio's upload folder after: {status}"


def ask(http: httpx.Client, srv: Server, **body: object) -> httpx.Response:
    return http.post(srv.url + "/api/ask", json=body)


def test_no_request_buys_minutes_of_cpu(server: Server) -> None:
    with client() as http:
        r = ask(http, server, question="那2021年呢？", history=["问责制" * 33_334])
        assert r.status_code == 400 and "history item 1 is 100,002 characters; the limit is" in r.json()["error"]
        r = ask(http, server, question="那2021年呢？", history=["问责制"] * 500)
        assert r.status_code == 400 and "500 earlier turns; the limit is" in r.json()["error"]
        r = ask(http, server, question="问责制", docs=["A/76/76"] * 500)
        assert r.status_code == 400 and "500 documents in the filter" in r.json()["error"]
        raw = b'{"question": "\\ud800 \xe9\x97\xae\xe8\xb4\xa3"}'
        r = http.post(server.url + "/api/ask", content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 400 and "lone surrogate" in r.json()["error"], r.text
        raw = b'{"history": ["\\udfff"], "question": "\xe9\x97\xae\xe8\xb4\xa3"}'
        r = http.post(server.url + "/api/ask", content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 400 and "lone surrogate" in r.json()["error"], r.text

        raw = b'{"question": ["\\ud800"]}'  # the wrong type, and text no reply could echo
        r = http.post(server.url + "/api/ask", content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 422 and r.json()["error"].startswith("question: Input should be a valid string")

        huge = json.dumps({"question": "问责制", "history": ["x" * 1000] * 2000}).encode()
        r = http.post(server.url + "/api/ask", content=huge, headers={"content-type": "application/json"})
        assert r.status_code == 413 and "INTEGRITY_MAX_REQUEST_BYTES" in r.json()["error"]
        chunks = iter([huge[i : i + 65536] for i in range(0, len(huge), 65536)])  # no Content-Length: chunked
        r = http.post(server.url + "/api/ask", content=chunks, headers={"content-type": "application/json"})
        assert r.status_code == 413 and "INTEGRITY_MAX_REQUEST_BYTES" in r.json()["error"]
        join = json.dumps({"data": ["问" * 400_000, None, None], "fn_index": 3, "session_hash": "x"}).encode()
        r = http.post(server.url + "/gradio_api/queue/join", content=join, headers={"content-type": "application/json"})
        assert r.status_code == 413

        r = ask(http, server, question="道德操守办公室2020年收到多少服务请求？")
        assert r.status_code == 200 and "1 681" in r.json()["text"]  # the server still answers


def test_the_chat_refuses_questions_it_should_not_read(server: Server) -> None:
    with client() as http:
        for question, reason in [
            ("问" * 60_000, "问题有 60,000 个字符，超过了 2,000 个字符的上限"),
            ("\ud800问", "无法识别的字符"),
        ]:
            done = queue_call(http, server.url, "question", "submit", {"question": question})
            assert done["success"], done
            out = done["output"]["data"]
            assert out[0] == {"__type__": "update"}  # the chat is untouched: the question stays in its box (issue 14)
            assert any(isinstance(x, str) and reason in x for x in out), out


def test_password_guessing_is_throttled_per_client_and_logged(server: Server, tmp_path: Path) -> None:
    doc = tmp_path / "guess.md"
    doc.write_text(DOC, "utf-8")
    sheet = tmp_path / "budget.xlsx"
    sheet.write_bytes(b"PK\x03\x04 spreadsheet")
    with client("127.0.0.5") as guesser:
        for i in range(5):
            status = add(guesser, server, [uploaded(guesser, server, doc)], f"guess-{i}-wrong")
            assert "wrong admin password" in status, status
        status = add(guesser, server, [uploaded(guesser, server, doc)], PASSWORD)  # right, but during the lockout
        assert "too many wrong passwords; try again in" in status, status  # one language (issue 14)
    with client("127.0.0.1") as admin:  # another address is not locked out
        assert "'.xlsx' files cannot be added" in add(admin, server, [uploaded(admin, server, sheet)], PASSWORD)
    log = server.log.read_text("utf-8", errors="replace")
    assert log.count("wrong admin password from 127.0.0.5") == 5
    assert "locked out 127.0.0.5" in log and "guess-" not in log and PASSWORD not in log


def test_host_header_must_name_this_server(server: Server) -> None:
    port = server.url.rsplit(":", 1)[1]
    with client() as http:
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.nip.io"):
            for path in ("/api/health", "/", "/config"):
                r = http.get(server.url + path, headers={"host": host})
                assert r.status_code == 400 and "--allowed-host" in r.json()["error"], (host, path)
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", "LOCALHOST"):
            assert http.get(server.url + "/api/health", headers={"host": host}).status_code == 200, host
