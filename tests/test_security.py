"""Issue 11 on the parts themselves: input caps in the pipeline, the admin password throttle, what the upload
handler accepts, the bounded chat session, the feedback file's mode, the Host and body guard, brief escaping."""

from __future__ import annotations

import logging
import re
import stat
import uuid
from datetime import date
from functools import partial
from pathlib import Path

import gradio as gr
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from markdown_it import MarkdownIt
from pydantic import SecretStr

from assistant.brief.model import Actor, Brief, BriefSource, Discussion, Figure, KeyPoint, Quote, Scenario
from assistant.brief.render import to_markdown
from assistant.pipeline import Assistant
from assistant.settings import AnswerSettings, Settings
from index.errors import InputError
from index.types import Paragraph
from ui import admin, handlers
from ui.app import build_blocks
from ui.feedback import FeedbackStore
from ui.guard import Guard, allowed_hosts
from ui.library import Library
from ui.render import md_escape
from ui.session import Session

DOC = "# 远程安全办公室 2023 年报告\n\nA/99/777\n\n1. 2023 年，远程安全办公室共处理 512 起安全事件。\n"
NO_BAR = {"progress": lambda *a, **k: None, "lang": "en"}


def test_every_input_that_reaches_retrieval_is_capped(assistant: Assistant) -> None:
    s = assistant.settings
    cases = [
        (("那2021年呢？", ["问责制" * 33_334]), "history item 1 is 100,002 characters; the limit is 2,400"),
        (("那2021年呢？", ["问责制"] * 500), "the history holds 500 earlier turns; the limit is 20"),
        (("\ud800问责制", []), "the question holds a lone surrogate (U+D800)"),
        (("问责制", ["a", "b\udfff"]), "history item 2 holds a lone surrogate (U+DFFF)"),
        (("那么原因呢？", ["问" * s.answer.max_history_item_chars]), "the follow-up makes a 2,409-character query"),
    ]
    for (question, history), message in cases:
        with pytest.raises(InputError, match=re.escape(message)):
            assistant.ask(question, history)
    with pytest.raises(InputError, match=re.escape("500 documents in the filter; the limit is 50")):
        assistant.ask("问责制", docs=["A/76/76"] * 500)
    with pytest.raises(InputError, match=re.escape("document filter 1 holds a lone surrogate")):
        assistant.ask("问责制", docs=["A/76/76\udc00"])
    assert s.answer.max_history_items == 20 and s.ui.max_request_bytes == 512 * 1024
    assert all(AnswerSettings.model_fields[f].description for f in ("max_history_items", "max_history_item_chars"))


@pytest.fixture
def uploads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """gradio's upload folder for this test (gradio reads GRADIO_TEMP_DIR on each call)."""
    folder = tmp_path / "gradio"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))
    return folder


def uploaded(folder: Path, name: str, text: str | bytes) -> str:
    """A file as gradio's upload route stores it: in a folder of its own inside the upload folder."""
    p = folder / uuid.uuid4().hex / name
    p.parent.mkdir(parents=True)
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(p)


@pytest.fixture
def pw_lib(settings: Settings, assistant: Assistant) -> Library:
    """Admin password set; these tests never get past it with a file that would change the shared index."""
    return Library(settings.replace(admin_password=SecretStr("pw")), assistant)


def test_upload_handler_takes_only_files_in_gradios_upload_folder(
    pw_lib: Library, uploads: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(DOC, "utf-8")
    for path in (str(secret), str(uploads / ".." / "secret.md")):
        for password in ("pw", "nope"):
            view = admin.upload(pw_lib, [path], password, **NO_BAR)
            assert "not a file uploaded here" in view.status and "upload it through the page" in view.status
    assert secret.read_text("utf-8") == DOC  # refused, and never deleted: it is not ours
    for password, message in [("nope", "wrong admin password"), ("pw", "'.xlsx' files cannot be added")]:
        path = uploaded(uploads, "budget.xlsx", b"PK\x03\x04")
        assert message in admin.upload(pw_lib, [path], password, **NO_BAR).status
        assert not Path(path).exists() and not Path(path).parent.exists()  # the temp upload is gone


def test_wrong_passwords_lock_a_client_out_and_are_logged_without_the_password(
    pw_lib: Library, uploads: Path, caplog: pytest.LogCaptureFixture
) -> None:
    now = [1000.0]
    pw_lib.throttle.clock = lambda: now[0]
    with caplog.at_level(logging.INFO, logger="integrity"):
        for i in range(5):
            view = admin.upload(pw_lib, [uploaded(uploads, "a.md", DOC)], f"hunter{i}", client="10.0.0.9", **NO_BAR)
            assert "wrong admin password" in view.status
        view = admin.upload(pw_lib, [uploaded(uploads, "a.xlsx", b"PK")], "pw", client="10.0.0.9", **NO_BAR)
    assert view.status == "Not added: too many wrong passwords; try again in 300 s."  # one language (issue 14)
    assert "请 300 秒后再试" in admin.remove(pw_lib, "A/76/76", "pw", client="10.0.0.9", lang="zh").status
    assert not list(uploads.rglob("*.*"))  # refused uploads are deleted too
    pw_lib.check_password("pw", "10.0.0.8")  # another client is not locked out
    now[0] += 299
    with pytest.raises(InputError, match=r"try again in 1 s"):
        pw_lib.check_password("pw", "10.0.0.9")
    now[0] += 1
    pw_lib.check_password("pw", "10.0.0.9")  # the lockout is over
    assert caplog.text.count("wrong admin password from 10.0.0.9") == 5 and "locked out 10.0.0.9" in caplog.text
    assert "hunter" not in caplog.text and "pw" not in caplog.text.replace("password", "")


def test_a_session_keeps_only_its_last_turns(settings: Settings, assistant: Assistant) -> None:
    lib = Library(settings.replace(admin_password=None, max_session_turns=2), assistant)
    session = Session()
    questions = [
        "2020年领导力对话的主题是什么？",
        "问" * 3000,  # refused: shown with its reason, not a turn
        "那2021年呢？",
        "道德操守办公室2020年收到多少服务请求？",
    ]
    for q in questions:
        views = list(handlers.chat(lib, q, session, None))
    assert [t.question for t in session.turns] == questions[2:] and len(session.history) == 2
    assert views[-1].chatbot == session.messages and len(session.messages) == 6  # question, answer, timings x 2
    assert session.messages[0]["content"] == md_escape(questions[2]) and session.selected == 1
    assert sorted(set(session.message_turn.values())) == [0, 1] and max(session.message_turn) == 5
    assert handlers.select_message(session, 1).sources["value"] == session.turns[0].sources[0].key


def test_idle_sessions_expire_after_the_configured_time(
    settings: Settings, assistant: Assistant, tmp_path: Path
) -> None:
    assert Settings().ui.session_idle_s == 1800
    lib = Library(settings.replace(admin_password=None, session_idle_s=600), assistant)
    with build_blocks(lib, FeedbackStore(tmp_path / "f.sqlite3")) as demo:
        [state] = [b for b in demo.blocks.values() if isinstance(b, gr.State)]
    assert state.time_to_live == 600
    assert demo.delete_cache == (60, 600)  # issue 14: uploads never handled are deleted within minutes
    # a marker or 👍/👎 clicked while the action before is still handled runs after it, not dropped
    [action] = [f for f in demo.fns.values() if isinstance(f.fn, partial) and f.fn.func is handlers.on_action]
    assert action.trigger_mode == "always_last"


def test_feedback_file_is_private_and_its_folder_not_world_writable(tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "data" / "feedback.sqlite3")
    store.add("helpful", "", "问", "答", [], "zh")
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.path.parent.stat().st_mode) & 0o002 == 0
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)
    message = f"{open_dir} is writable by every user; run `chmod o-w {open_dir}`"
    with pytest.raises(InputError, match=re.escape(message)):
        FeedbackStore(open_dir / "feedback.sqlite3")


def guarded(bind: str, extra: list[str], max_body: int = 100) -> TestClient:
    app = FastAPI()

    @app.post("/echo")
    async def echo(body: dict[str, str]) -> dict[str, str]:
        return body

    app.add_middleware(Guard, hosts=allowed_hosts(bind, extra), max_body=max_body, max_upload_body=1000)
    return TestClient(app, base_url=f"http://{bind}:7860")


def test_host_and_body_guard() -> None:
    loopback = guarded("127.0.0.1", [])
    assert loopback.post("/echo", json={"a": "b"}).status_code == 200
    r = loopback.post("/echo", json={"a": "b"}, headers={"host": "attacker.example"})
    assert r.status_code == 400 and r.json()["error"].startswith("Host 'attacker.example' is not this server")
    public = guarded("10.1.2.3", ["chat.example.org"])
    for host in ("10.1.2.3:7860", "chat.example.org", "CHAT.example.org:443", "localhost:7860"):
        assert public.post("/echo", json={"a": "b"}, headers={"host": host}).status_code == 200, host
    assert public.post("/echo", json={"a": "b"}, headers={"host": "10.1.2.4"}).status_code == 400
    r = loopback.post("/echo", json={"a": "b" * 200})
    assert r.status_code == 413 and "over the 100-byte limit (INTEGRITY_MAX_REQUEST_BYTES)" in r.json()["error"]
    chunked = iter([b'{"a": "', b"b" * 200, b'"}'])  # no Content-Length
    r = loopback.post("/echo", content=chunked, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "INTEGRITY_MAX_REQUEST_BYTES" in r.json()["error"]
    assert allowed_hosts("0.0.0.0", []) == allowed_hosts("127.0.0.1", [])  # all interfaces: name the host you serve


EVIL = "<script>alert(1)</script> [点此](javascript:alert(2)) | 甲 | 乙 | <img src=x onerror=alert(3)>"


def test_brief_markdown_shows_document_text_as_text() -> None:
    key = "A/99/1 ¶1"
    para = Paragraph("d", "A/99/1", "1", f"# 假标题\n| a | b |\n|---|---|\n{EVIL}", ("# 一. 导言", "| 节 |"), (EVIL,))
    quote = Quote(EVIL, key)
    brief = Brief(
        theme="<b>x</b>",
        theme_label="<script>主题</script>",
        lang="zh",
        covered=True,
        key_points=[KeyPoint(quote, "commitment")],
        figures=[Figure(("[1](javascript:x) 名",), quote)],
        actors=[Actor("<i>办公室</i>", "Office", "office", (key,), quote)],
        discussion=Discussion(["# 问题 | 一 |"], [Scenario("# 情景", EVIL)]),
        sources=[BriefSource(1, para, f"标题 {EVIL}", "Title")],
        created=date(2024, 1, 1),
    )
    md = to_markdown(brief)
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in html and "<img" not in html and "<a " not in html and "<table" not in html
    assert "<b>" not in html and "<i>" not in html
    headings = re.findall(r"<h\d>(.*?)</h\d>", html)
    assert headings[0] == "领导力对话主持人简报：&lt;script&gt;主题&lt;/script&gt;"
    assert not [h for h in headings if "假标题" in h or "导言" in h or "问题 |" in h]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [点此](javascript:alert(2)) | 甲 | 乙 |" in html  # shown as written
    assert "” [1]" in md  # the brief's own citation markers stay markers
