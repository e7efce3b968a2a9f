"""The web chat's handlers, called directly with the real assistant over the session's index."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.pipeline import Assistant
from assistant.settings import Settings
from ui import handlers
from ui.feedback import FeedbackStore
from ui.handlers import ChatView
from ui.library import Library
from ui.render import answer_markdown, highlight, md_escape, paragraph_html
from ui.session import Session, Source

RETALIATION = "我觉得自己因为举报而遭到报复，应该找谁？"
REQUESTS_EN = "How many service requests did the Ethics Office receive in 2020?"


@pytest.fixture(scope="module")
def lib(settings: Settings, assistant: Assistant) -> Library:
    """Read-only (no admin password): the shared index is never changed here."""
    return Library(settings.replace(admin_password=None), assistant)


def ask(
    lib: Library, question: str, session: Session | None = None, docs: list[str] | None = None
) -> tuple[list[ChatView], Session]:
    session = session or Session()
    views = list(handlers.chat(lib, question, session, docs))
    return views, session


def choices(update: dict[str, Any]) -> list[tuple[str, str]]:
    return list(update["choices"])


def test_chinese_question_streams_then_shows_cited_answer_sources_and_paragraph(lib: Library) -> None:
    views, session = ask(lib, RETALIATION)
    first, last = views[0], views[-1]
    assert first.question == {"__type__": "update", "value": ""}  # the box is cleared at once
    assert first.chatbot[-2] == {"role": "user", "content": md_escape(RETALIATION)}
    assert "正在查找" in first.chatbot[-1]["content"]
    grown = [v.chatbot[-1]["content"] for v in views[1:-1]]
    assert grown and all(len(a) <= len(b) for a, b in itertools.pairwise(grown))
    answer, timing = last.chatbot[-2], last.chatbot[-1]
    assert answer["content"].startswith("根据文件") and "<sup class='cite'>[1]</sup>" in answer["content"]
    assert "来源: [1] A/76/76 ¶" in answer["content"]
    assert timing["metadata"]["status"] == "done" and timing["metadata"]["title"].startswith("各阶段用时")
    assert re.search(r"检索 \d+ ms · 生成回答 \d+ ms", timing["content"])
    keys = [k for _, k in choices(last.sources)]
    assert keys[0].startswith("A/76/76 ¶") and last.sources["value"] == keys[0]
    label = choices(last.sources)[0][0]
    assert label.startswith(f"[1] {keys[0]} · 道德操守办公室的活动 › ") and "防止报复" in label
    assert f"<div class='para-key'>{keys[0]}</div>" in last.paragraph and "<mark>" in last.paragraph
    assert last.note.startswith("对话只保存在本浏览器会话中") and last.send == {"__type__": "update", "value": "发送"}
    assert session.history == [lib.assistant.ask(RETALIATION).query] and session.lang == "zh"


def test_english_question_switches_the_interface_to_english(lib: Library) -> None:
    views, _ = ask(lib, REQUESTS_EN)
    last = views[-1]
    assert "Looking for the relevant paragraphs" in views[0].chatbot[-1]["content"]
    assert last.chatbot[-2]["content"].startswith("According to the documents")
    assert "1 681" in last.chatbot[-2]["content"] and "Sources: [1] A/76/76 ¶6" in last.chatbot[-2]["content"]
    assert last.chatbot[-1]["metadata"]["title"].startswith("Time per stage")
    assert last.sources_title.startswith("### Cited paragraphs")
    assert last.note.startswith("This conversation stays in this browser session")
    assert [c[0] for c in choices(last.feedback_kind)] == ["Helpful", "Wrong answer", "Wrong source"]
    assert "(Activities of the Ethics Office" in last.paragraph  # the English title beside the Chinese one


def test_followup_uses_the_conversation_like_the_cli(lib: Library, assistant: Assistant) -> None:
    views, session = ask(lib, "2020年领导力对话的主题是什么？")
    views, session = ask(lib, "那2021年呢？", session)
    expected = assistant.ask("那2021年呢？", [assistant.ask("2020年领导力对话的主题是什么？").query]).query
    assert session.history[1] == expected and "2021" in expected and "领导力对话" in expected
    users = [m["content"] for m in views[-1].chatbot if m["role"] == "user"]
    assert users == ["2020年领导力对话的主题是什么？", "那2021年呢？"]
    assert len(session.turns) == 2 and session.selected == 1


def test_refusal_offers_the_nearest_paragraphs_without_markers(lib: Library) -> None:
    views, session = ask(lib, "道德操守办公室2024年的预算是多少？")
    last = views[-1]
    assert last.chatbot[-2]["content"].startswith("文件没有回答这个问题")
    assert last.sources_title.startswith("### 最接近的段落") and "仅供参考" in last.sources_title
    assert session.turns[0].refused and all(s.number is None for s in session.turns[0].sources)
    assert choices(last.sources) and not choices(last.sources)[0][0].startswith("[")
    assert "<mark>" not in last.paragraph and session.turns[0].citations() == []


def test_opening_a_source_and_selecting_an_earlier_answer(lib: Library) -> None:
    _, session = ask(lib, REQUESTS_EN)
    second = session.turns[0].sources[1]
    html = handlers.open_source(session, second.key)
    assert second.key in html and "<mark>" in html and second.quotes
    _, session = ask(lib, RETALIATION, session)
    assert session.selected == 1
    answer_index = next(i for i, t in session.message_turn.items() if t == 0)
    panel = handlers.select_message(session, answer_index)
    assert session.selected == 0 and panel.sources["value"] == session.turns[0].sources[0].key
    assert "How many service requests" in panel.feedback_title


def test_new_conversation_forgets_everything_but_the_language(lib: Library) -> None:
    _, session = ask(lib, REQUESTS_EN)
    fresh = handlers.new_conversation(session)
    assert fresh.chatbot == [] and fresh.session.history == [] and fresh.session.turns == []
    assert fresh.session.lang == "en" and fresh.sources == {"__type__": "update", "choices": [], "value": None}


def test_empty_and_too_long_questions(lib: Library) -> None:
    views, session = ask(lib, "   ")
    assert len(views) == 1 and views[0].chatbot == [] and not session.history
    views, session = ask(lib, "问" * 3000)
    assert "无法回答" in views[-1].chatbot[-1]["content"] and "limit is 2,000" in views[-1].chatbot[-1]["content"]
    assert session.history == [] and session.turns == []


def test_document_filter_restricts_the_sources(lib: Library) -> None:
    res = next(d.doc_id for d in lib.documents() if d.symbol == "A/RES/74/271")
    _, session = ask(lib, "问责制", docs=[res])
    turn = session.turns[0]
    assert turn.sources and all(s.key.startswith("A/RES/74/271") for s in turn.sources)


def test_feedback_is_stored_only_when_sent(lib: Library, tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    status, *_ = handlers.send_feedback(store, Session(), "helpful", "")
    assert "还没有可以反馈的回答" in status and not store.path.exists()
    _, session = ask(lib, REQUESTS_EN)
    assert not store.path.exists()  # asking stores nothing
    status, *_ = handlers.send_feedback(store, session, None, "")
    assert status.startswith("Please choose") and not store.path.exists()
    status, kind, comment = handlers.send_feedback(store, session, "wrong_source", "  ¶11 is about 2019  ")
    assert status.startswith("Thank you") and kind["value"] is None and comment["value"] == ""
    [row] = store.all()
    assert row["kind"] == "wrong_source" and row["comment"] == "¶11 is about 2019" and row["lang"] == "en"
    assert row["question"] == REQUESTS_EN and row["answer"] == session.turns[0].text
    assert row["citations"][0] == {"key": "A/76/76 ¶6", "quotes": session.turns[0].sources[0].quotes}


def test_escaping_highlighting_and_footnotes() -> None:
    assert md_escape("<script>x</script> *a* 1. [2]") == r"&lt;script&gt;x&lt;/script&gt; \*a\* 1. \[2\]"
    sup = "<sup class='cite'>"
    assert answer_markdown("根据文件：a。[1]b。[2]") == f"根据文件：a。{sup}[1]</sup>b。{sup}[2]</sup>"
    assert highlight("甲乙。丙 丁。戊", ["丙丁。"]) == "甲乙。<mark>丙 丁。</mark>戊"
    assert highlight("a < b", ["a <"]) == "<mark>a &lt;</mark> b"
    src = Source("A/1/1 ¶2", 1, "标题", "Title", ["一. 导言"], "正文。", ["1 见脚注。"], ["1 见脚注。"])
    html = paragraph_html(src, "en")
    assert "<div class='para-path'>一. 导言</div>" in html and "<li><mark>1 见脚注。</mark></li>" in html
    assert "Footnotes" in html and "(Title)" in html


def test_an_unexpected_failure_is_shown_calmly_and_logged_without_the_question(
    lib: Library, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        store = lib.assistant.store

        def ask_stream(self, question: str, *args: Any, **kwargs: Any) -> Any:
            raise RuntimeError(f"could not parse {question}")

    broken = Library(lib.settings, Broken())  # type: ignore[arg-type]
    with caplog.at_level("ERROR", logger="integrity.ui"):
        views, session = ask(broken, "我的主管报复我")
    assert views[-1].chatbot[-1]["content"] == "无法回答：RuntimeError" and session.history == []
    assert "RuntimeError" in caplog.text and "主管" not in caplog.text
