"""The real server (`integrity serve` in a child process, on a copy of the session index) driven by headless
Chromium and by 20 concurrent clients on loopback."""

from __future__ import annotations

import re
import sqlite3
import stat
import subprocess
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from serving import PASSWORD, Server, serve_copy

from assistant.settings import Settings
from index.embed import Embedder
from index.store import Store

RETALIATION = "举报不当行为的人怎样得到保护，不受报复？"
FLAGSHIP = "我觉得自己因为举报而遭到报复，应该找谁？"  # a staff member's own words: who handles retaliation
REQUESTS_EN = "How many service requests did the Ethics Office receive in 2020?"
NEW_DOC = """# 联合国外勤安全培训中心 2023 年度报告

A/99/456

## 一. 培训情况

1. 2023 年，外勤安全培训中心为 2 718 名工作人员举办了安全意识培训，其中 61% 在恩德培完成。

2. 培训中心计划于 2024 年在达喀尔开设第二个教学点。
"""


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, store: Store, embedder: Embedder
) -> Iterator[Server]:
    with serve_copy(tmp_path_factory.mktemp("serve"), settings, embedder.name) as srv:
        yield srv


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    """A fresh browser session on the app; every request that is not to the server is refused and reported."""
    ctx = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN")  # Accept-Language: zh
    ctx.set_default_timeout(60_000)
    outside: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(server.url + "/"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    ctx.route("**/*", route)
    pg = ctx.new_page()
    pg.goto(server.url)
    pg.wait_for_selector("#page-mark[data-ready]", state="attached")  # the page is in the reader's language
    pg.wait_for_selector("body.page-ready #question textarea")
    yield pg
    ctx.close()
    assert outside == [], f"the page reached outside 127.0.0.1: {outside}"


def wait_text(pg: Any, selector: str, text: str, timeout: float = 60_000) -> None:
    pg.wait_for_function(
        "([s, t]) => (document.querySelector(s)?.innerText || '').includes(t)", arg=[selector, text], timeout=timeout
    )


def answers(pg: Any) -> int:
    return int(pg.evaluate("document.querySelector('#chat').innerText.split(/各阶段用时|Time per stage/).length - 1"))


def ask(pg: Any, question: str) -> None:
    n = answers(pg)
    pg.fill("#question textarea", question)
    pg.press("#question textarea", "Enter")
    pg.wait_for_function(
        "n => document.querySelector('#chat').innerText.split(/各阶段用时|Time per stage/).length > n", arg=n + 1
    )


def test_chinese_and_english_answers_with_citations_and_paragraphs(page: Any) -> None:
    assert page.get_by_text("财务披露方案的合规率是多少？").is_visible()  # examples in the reader's language only
    assert not page.get_by_text("What is the accountability system of the Secretariat?").count()
    assert "本页不保存您输入的内容" in page.inner_text("#privacy-note")
    # two parts, so that the answer cites two paragraphs (since issue 13 a one-part question's answer often cites one)
    ask(page, RETALIATION + "初步审查平均要多少天？")
    chat = page.inner_text("#chat")
    assert "根据文件" in chat and "来源: [1] A/76/76 ¶" in chat and page.locator("#chat button.cite").count() >= 2
    labels = page.locator("#sources label")
    assert labels.count() >= 2 and re.match(r"\[1\] A/76/76 ¶\d+ · 道德操守办公室的活动", labels.nth(0).inner_text())
    assert page.locator("#paragraph mark").count() >= 1
    second = labels.nth(1).inner_text().split(" · ")[0].removeprefix("[2] ")
    labels.nth(1).click()
    page.wait_for_function(f"document.querySelector('#paragraph .para-key').innerText === {second!r}")
    assert page.locator("#paragraph mark").count() >= 1 and "防止报复" in page.inner_text("#paragraph .para-path")

    ask(page, REQUESTS_EN)
    chat = page.inner_text("#chat")
    assert "According to the documents" in chat and "1 681" in chat and "Sources: [1] A/76/76 ¶6" in chat
    page.wait_for_function("document.querySelector('#send').innerText === 'Send'")  # the page follows the question
    assert "Nothing you type is kept" in page.inner_text("#privacy-note")
    assert page.get_by_role("heading", name="Cited paragraphs").is_visible()
    assert page.inner_text("#paragraph .para-key") == "A/76/76 ¶6" and "1 681" in page.inner_text("#paragraph mark")
    page.get_by_text("Time per stage").last.click()
    page.wait_for_selector("text=/retrieve \\d+ ms/")

    page.get_by_text(RETALIATION).click()  # an earlier turn: its sources come back to the panel
    page.wait_for_function("document.querySelector('#sources').innerText.includes('防止报复')")
    stored = page.evaluate(
        "async () => JSON.stringify([localStorage, sessionStorage, document.cookie, "
        "(await indexedDB.databases()).map(d => d.name)])"
    )
    assert "举报" not in stored and "service requests" not in stored  # nothing kept beyond the session
    page.click("#new-conversation")
    page.wait_for_selector("text=What is the accountability system of the Secretariat?")  # English examples now
    assert "根据文件" not in page.inner_text("#chat")


def test_who_do_i_go_to_is_answered_with_the_office_that_handles_retaliation(page: Any) -> None:
    """The flagship question: the answer opens by naming the office (from the paragraphs it quotes) and cites."""
    ask(page, FLAGSHIP)
    chat = page.inner_text("#chat")
    answer = chat[chat.index(FLAGSHIP) + len(FLAGSHIP) :]
    assert "道德操守办公室" in answer.strip()[:80]  # named first, not after statistics
    assert "来源: [1] A/76/76 ¶" in answer or "来源: [1] A/76/644 ¶" in answer


def test_example_question_then_feedback_lands_in_sqlite(page: Any, server: Server) -> None:
    n = answers(page)
    page.get_by_text("财务披露方案的合规率是多少？").click()
    page.wait_for_function(f"document.querySelector('#chat').innerText.split(/各阶段用时/).length > {n + 1}")
    page.locator("#chat .answer-tools button[data-act=down]").last.click()  # 👎 on that answer
    page.get_by_role("radio", name="答案有误").check()
    page.fill("#feedback-comment textarea", "合规率应为 2020 年的数字")
    page.click("#feedback-send")
    wait_text(page, "#feedback-status", "反馈已保存")
    db = server.root / "data" / "feedback.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600 and stat.S_IMODE(db.parent.stat().st_mode) & 0o002 == 0
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT kind, comment, question, answer, citations FROM feedback").fetchall()
    assert [r[:3] for r in rows] == [("wrong_answer", "合规率应为 2020 年的数字", "财务披露方案的合规率是多少？")]
    assert rows[0][3].startswith("根据文件") and "A/76/76 ¶" in rows[0][4]


def test_admin_uploads_a_document_and_the_chat_answers_from_it(page: Any, tmp_path: Path) -> None:
    doc = tmp_path / "field_security_training_2023.md"
    doc.write_text(NEW_DOC, "utf-8")
    page.click("#tab-library-button")
    page.fill("#admin-password input", PASSWORD)
    page.set_input_files("#upload input[type=file]", str(doc))
    wait_text(page, "#upload", doc.name)
    page.click("#upload-add")
    wait_text(page, "#library-status", "已加入", timeout=120_000)
    assert "A/99/456 (2 ¶)" in page.inner_text("#library-status")
    assert "联合国外勤安全培训中心 2023 年度报告" in page.inner_text("#library-table")
    page.click("#tab-chat-button")
    ask(page, "外勤安全培训中心2023年培训了多少名工作人员？")
    chat = page.inner_text("#chat")
    assert "2 718" in chat and "[1] A/99/456 ¶1" in chat

    page.click("#tab-library-button")
    page.click("#remove-choice input")
    page.get_by_role("option", name="A/99/456 · 联合国外勤安全培训中心").click()
    page.click("#remove")
    wait_text(page, "#library-status", "已删除")
    assert "A/99/456" not in page.inner_text("#library-table")


def test_refused_uploads_show_a_clear_message(page: Any, tmp_path: Path) -> None:
    page.click("#tab-library-button")

    def refused(path: Path, message: str, password: str = PASSWORD) -> None:
        page.fill("#admin-password input", password)
        page.set_input_files("#upload input[type=file]", str(path))
        wait_text(page, "#upload", path.name)
        page.click("#upload-add")
        wait_text(page, "#library-status", message)
        assert page.inner_text("#library-status").startswith("未加入：")

    xlsx = tmp_path / "budget.xlsx"
    xlsx.write_bytes(b"PK\x03\x04 spreadsheet")
    refused(xlsx, "不能添加“.xlsx”文件；请使用 .txt, .md, .html, .htm, .pdf, .docx 之一")
    big = tmp_path / "big.txt"
    big.write_text("问责制。" * 130_000, "utf-8")  # 1.5 MB, over the server's 1 MB: gradio refuses the upload itself
    page.set_input_files("#upload input[type=file]", str(big))
    page.wait_for_selector('text=/exceed the maximum allowed size of 1(\\.0)? Mb: "big.txt"/i')
    ok = tmp_path / "fine.md"
    ok.write_text(NEW_DOC, "utf-8")
    refused(ok, "管理员密码错误", "guess")


def chat_text(message: dict[str, Any]) -> str:
    content = message["content"]
    return " ".join(c.get("text", "") for c in content) if isinstance(content, list) else str(content)


TURNS = [  # (first question, follow-up, the follow-up read against this session's own history: its own words kept)
    ("2020年领导力对话的主题是什么？", "那2021年呢？", "那2021年呢？ ← 2021年领导力对话的主题是什么？"),
    ("道德操守办公室2020年收到多少服务请求？", "那2019年呢？", "那2019年呢？ ← 道德操守办公室2019年收到多少服务请求？"),
    ("财务披露方案2020年的合规率是多少？", "那2019年呢？", "那2019年呢？ ← 财务披露方案2019年的合规率是多少？"),
    (
        "How many service requests did the Ethics Office receive in 2020?",
        "那2019年呢？",
        "那2019年呢？ ← How many service requests did the Ethics Office receive in 2019?",
    ),
    ("2020年道德操守办公室收到多少起报复投诉？", "2019年呢？", "2019年呢？ ← 2019年道德操守办公室收到多少起报复投诉？"),
]


def test_twenty_concurrent_chat_sessions_each_get_their_own_answers(server: Server) -> None:
    from gradio_client import Client

    def session(i: int) -> tuple[int, list[dict[str, Any]]]:
        first, follow, _ = TURNS[i % len(TURNS)]
        client = Client(server.url + "/", verbose=False)
        client.predict(f"{first}", [], api_name="/chat")
        result = client.predict(follow, [], api_name="/chat")
        return i, result[0]

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(session, range(20), timeout=240))
    assert len(results) == 20 and time.perf_counter() - t0 < 240
    for i, messages in results:
        first, follow, query = TURNS[i % len(TURNS)]
        assert [chat_text(m) for m in messages if m["role"] == "user"] == [first, follow], i
        answers = [chat_text(m) for m in messages if m["role"] == "assistant" and not m.get("metadata")]
        assert len(answers) == 2 and all('class="cite" data-key=' in a for a in answers), (i, answers)
        timings = [chat_text(m) for m in messages if m.get("metadata")]
        assert len(timings) == 2 and timings[1].endswith(f": {query}"), (i, timings)


def test_twenty_concurrent_json_requests(server: Server) -> None:
    questions = [t[0] for t in TURNS]

    def post(i: int) -> tuple[int, httpx.Response]:
        with httpx.Client(timeout=120) as c:
            return i, c.post(server.url + "/api/ask", json={"question": questions[i % len(questions)]})

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(post, range(20), timeout=240))
    for i, r in results:
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["question"] == questions[i % len(questions)] and body["citations"] and not body["refused"]
        assert set(body) >= {"text", "sentences", "citations", "hits", "timings_ms", "query", "lang"}


def test_server_log_holds_no_question_text(server: Server) -> None:
    from gradio_client import Client

    secret = "我的主管吴某某多次报复我"
    httpx.post(server.url + "/api/ask", json={"question": secret + "？"}, timeout=60)
    Client(server.url + "/", verbose=False).predict(secret + "，怎么办？", [], api_name="/chat")
    httpx.post(server.url + "/api/ask", json={"question": secret * 400}, timeout=60)  # an error, too
    time.sleep(0.5)
    log = server.log.read_text("utf-8", errors="replace")
    assert "Integrity Assistant on http://127.0.0.1" in log
    for q in (secret, RETALIATION, REQUESTS_EN, "财务披露方案"):
        assert q not in log


def test_screenshot_of_a_cited_answer_in_chinese_fonts(page: Any, tmp_path: Path) -> None:
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], check=True, capture_output=True, text=True).stdout
    assert "Noto Sans CJK SC" in fonts, "fonts-noto-cjk is not installed"
    family = page.evaluate("getComputedStyle(document.querySelector('#chat')).fontFamily")
    assert family.startswith('"Noto Sans CJK SC"') and "fonts.googleapis" not in page.content()
    ask(page, RETALIATION)
    shot = tmp_path / "chat.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 50_000
