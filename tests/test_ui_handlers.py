"""The web chat's handlers, called directly with the real assistant over the session's index."""

from __future__ import annotations

import itertools
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.pipeline import Assistant
from assistant.settings import Settings
from ui import handlers
from ui.feedback import FeedbackStore
from ui.handlers import ChatView
from ui.i18n import accept_language
from ui.intro import INTRO_TURN, channels, intro_html
from ui.labels import page_labels, relabel
from ui.library import Library
from ui.paragraph import highlight, paragraph_html, quoted_cells
from ui.render import answer_markdown, md_escape, plain_answer
from ui.session import Session, Source, make_source
from ui.temp import own_temp_folder

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


def act(lib: Library, store: FeedbackStore, session: Session, **action: Any) -> ChatView:
    return handlers.on_action(lib, store, session, json.dumps(action))


def test_chinese_question_streams_then_shows_clickable_markers_sources_and_paragraph(lib: Library) -> None:
    views, session = ask(lib, RETALIATION)
    first, last = views[0], views[-1]
    assert first.question == {"__type__": "update", "value": ""}  # the box is cleared once the question is taken
    assert first.chatbot[-2] == {"role": "user", "content": md_escape(RETALIATION)}
    assert "正在查找" in first.chatbot[-1]["content"]
    grown = [v.chatbot[-1]["content"] for v in views[1:-1]]
    assert grown and all(len(a) <= len(b) for a, b in itertools.pairwise(grown))
    answer, timing = last.chatbot[-2]["content"], last.chatbot[-1]
    turn = session.turns[0]
    key = turn.sources[0].key
    assert answer.startswith("根据文件") and f'class="cite" data-key="{key}" data-turn="{turn.id}"' in answer
    assert f'aria-label="来源 1，{key.replace(" ¶", " 第 ")} 段"' in answer  # a screen reader hears the source
    assert "来源: " in answer and "data-copy=" in answer
    assert timing["metadata"]["status"] == "done" and timing["metadata"]["title"].startswith("各阶段用时")
    assert re.search(r"检索 \d+ ms · 生成回答 \d+ ms", timing["content"])
    keys = [k for _, k in choices(last.sources)]
    assert (
        keys[0] == key and last.sources["value"] == key and last.sources_box == {"__type__": "update", "visible": True}
    )
    assert choices(last.sources)[0][0].startswith(f"[1] {key} · 道德操守办公室的活动")
    assert f"<div class='para-key'>{key}</div>" in last.paragraph and "<mark>" in last.paragraph
    assert last.about == {"__type__": "update", "open": False}  # the first answer folds the About panel
    assert session.lang == "zh"


def test_english_question_switches_the_page_to_english(lib: Library) -> None:
    views, session = ask(lib, REQUESTS_EN, Session(lang="zh", shown_lang="zh"))
    last = views[-1]
    assert "Looking for the relevant paragraphs" in views[0].chatbot[-1]["content"]
    assert (
        last.chatbot[-2]["content"].startswith("According to the documents") and "1 681" in last.chatbot[-2]["content"]
    )
    assert last.chatbot[-1]["metadata"]["title"].startswith("Time per stage")
    assert last.sources_title.startswith("### Cited paragraphs") and session.lang == "en"
    label = choices(last.sources)[0][0]
    assert label.startswith("[1] A/76/76 ¶6 · Activities of the Ethics Office")  # the English title first
    assert "Activities of the Ethics Office" in last.paragraph and "(道德操守办公室的活动" in last.paragraph
    keys = tuple(page_labels(lib, "en"))
    updates = dict(zip(keys, relabel(lib, session, keys), strict=True))
    assert "data-lang='en'" in updates["header"] and updates["send"]["value"] == "Send"
    assert updates["tab-facilitator"].label == "Facilitator" and "Nothing you type is kept" in updates["privacy-note"]
    assert all(u == {"__type__": "update"} for u in relabel(lib, session, keys))  # already in English: no change
    keys_zh = tuple(page_labels(lib, "zh"))
    zh = dict(zip(keys_zh, relabel(lib, Session(lang="zh"), keys_zh), strict=True))
    assert zh["tab-facilitator"].label == "主持人简报" and "data-lang='zh-CN'" in zh["header"]


def test_copy_text_is_clean_with_keys_and_a_sources_list(lib: Library) -> None:
    _, session = ask(lib, REQUESTS_EN)
    turn = session.turns[0]
    text = plain_answer(turn)
    assert "[A/76/76 ¶6]" in text and "[1]" not in text.split("Sources:")[0]
    assert "<" not in text and "\\" not in text and "sup" not in text
    assert "\nSources:\n- [1] A/76/76 ¶6 · Activities of the Ethics Office" in text


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


def test_a_marker_of_an_earlier_answer_opens_its_paragraph(lib: Library, tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "f.sqlite3")
    # a two-part question, so that the first answer cites two paragraphs (answers cite fewer since issue 13)
    _, session = ask(lib, REQUESTS_EN.removesuffix("?") + ", and how many retaliation complaints?")
    _, session = ask(lib, RETALIATION, session)
    first = session.turns[0]
    second = first.sources[1]
    view = act(lib, store, session, act="cite", turn=first.id, key=second.key)
    assert session.selected == 0 and view.sources["value"] == second.key
    assert f"<div class='para-key'>{second.key}</div>" in view.paragraph and "<mark>" in view.paragraph
    assert act(lib, store, session, act="cite", turn=99, key="x").paragraph == {"__type__": "update"}
    assert handlers.parse_action("[1]") == {} and handlers.parse_action("{") == {}
    assert not store.path.exists()


def test_new_conversation_forgets_everything_but_the_language(lib: Library) -> None:
    _, session = ask(lib, REQUESTS_EN)
    fresh = handlers.new_conversation(session)
    assert fresh.chatbot == [] and fresh.session.history == [] and fresh.session.turns == []
    assert fresh.session.lang == "en" and fresh.sources_box == {"__type__": "update", "visible": False}


def test_empty_and_too_long_questions_stay_in_the_box(lib: Library) -> None:
    views, session = ask(lib, "   ")
    assert len(views) == 1 and views[0].chatbot == {"__type__": "update"} and not session.history
    views, session = ask(lib, "问" * 5000)
    assert len(views) == 1 and views[0].question == {"__type__": "update"}  # the text stays where it was
    assert views[0].chatbot == {"__type__": "update"} and "5,000 个字符" in views[0].question_status
    assert "仍在框中" in views[0].question_status and session.turns == []
    views, _ = ask(lib, "why " * 1000, Session(lang="en"))
    assert views[0].question_status.startswith("Your question is 3,999 characters")


def test_document_filter_restricts_the_sources(lib: Library) -> None:
    res = next(d.doc_id for d in lib.documents() if d.symbol == "A/RES/74/271")
    _, session = ask(lib, "问责制", docs=[res])
    turn = session.turns[0]
    assert turn.sources and all(s.key.startswith("A/RES/74/271") for s in turn.sources)


def test_feedback_belongs_to_an_answer_and_is_stored_only_when_sent(lib: Library, tmp_path: Path) -> None:
    store = FeedbackStore(tmp_path / "feedback.sqlite3")
    view = act(lib, store, Session(lang="zh"), act="up", turn=1)
    assert "已不在对话中" in view.feedback_status and not store.path.exists()
    _, session = ask(lib, REQUESTS_EN)
    _, session = ask(lib, "How many service requests did the Ethics Office receive in 2019?", session)
    assert not store.path.exists()  # asking stores nothing
    first = session.turns[0]
    view = act(lib, store, session, act="down", turn=first.id)
    assert view.feedback_box == {"__type__": "update", "visible": True} and REQUESTS_EN[:40] in view.feedback_title
    assert [c[0] for c in choices(view.feedback_kind)] == ["Wrong answer", "Wrong source"]
    assert handlers.send_feedback(store, session, None, "").feedback_status.startswith("Please choose")
    assert not store.path.exists()
    done = handlers.send_feedback(store, session, "wrong_source", "  ¶11 is about 2019  ")
    assert done.feedback_status.startswith("Thank you") and done.feedback_box == {
        "__type__": "update",
        "visible": False,
    }
    act(lib, store, session, act="up", turn=session.turns[1].id)
    rows = store.all()
    assert [r["kind"] for r in rows] == ["wrong_source", "helpful"]
    assert rows[0]["comment"] == "¶11 is about 2019" and rows[0]["question"] == REQUESTS_EN  # the first answer's
    assert rows[0]["citations"][0] == {"key": "A/76/76 ¶6", "quotes": first.sources[0].quotes}
    assert rows[1]["question"].endswith("in 2019?")


def test_the_first_screen_names_the_channels_each_with_its_citation(lib: Library, tmp_path: Path) -> None:
    found = {c.entity.en[0]: c for c in channels(lib.assistant)}
    assert {"Ethics Office", "Office of Internal Oversight Services"} <= set(found)
    for c in found.values():
        assert c.sources and all(s.quotes and s.quotes[0] in s.text for s in c.sources)
        assert all(c.entity.in_chinese.search(s.text) for s in c.sources)  # the cited paragraph names it
    zh, en = intro_html(lib.assistant, lib.documents(), "zh"), intro_html(lib.assistant, lib.documents(), "en")
    assert "这里不是举报渠道" in zh and "This is not a reporting channel" in en and "不是举报" not in en
    assert "A/76/76" in en and "2021" in en and "Activities of the Ethics Office" in en
    key = found["Ethics Office"].sources[0].key
    assert f'data-key="{key}" data-turn="{INTRO_TURN}"' in en
    session = Session(lang="en")
    view = act(lib, FeedbackStore(tmp_path / "f.sqlite3"), session, act="cite", turn=INTRO_TURN, key=key)
    assert view.sources["value"] == key and "<mark>" in view.paragraph and session.panel_intro


def test_escaping_highlighting_footnotes_and_tables() -> None:
    assert md_escape("<script>x</script> *a* 1. [2]") == r"&lt;script&gt;x&lt;/script&gt; \*a\* 1. \[2\]"
    sup = "<sup class='cite'>"
    assert answer_markdown("根据文件：a。[1]b。[2]") == f"根据文件：a。{sup}[1]</sup>b。{sup}[2]</sup>"
    assert highlight("甲乙。丙 丁。戊", ["丙丁。"]) == "甲乙。<mark>丙 丁。</mark>戊"
    assert highlight("a < b", ["a <"]) == "<mark>a &lt;</mark> b"
    src = Source("A/1/1 ¶2", 1, "标题", "Title", ["一. 导言"], "正文。", ["1 见脚注。"], ["1 见脚注。"])
    html = paragraph_html(src, "en")
    assert "<div class='para-path'>一. 导言</div>" in html and "<li><mark>1 见脚注。</mark></li>" in html
    assert "Footnotes" in html and "Title <span class='other-title'>(标题)</span>" in html
    table = [["", "2019", "2020"], ["服务请求", "1 436", "1 681"], ["报复投诉", "20", "25"]]
    assert quoted_cells(table, ["2020 年服务请求为 1 681 项。"]) == {(1, 2)}
    assert quoted_cells(table, ["共 1 681 项"]) == set()  # a number without its labels is not that cell
    shown = paragraph_html(
        Source("A/1/1, table 1", 1, "标题", "", [], "...", [], ["2020年服务请求1 681"], table=table), "zh"
    )
    assert "<th scope='col' class='label-on'>2020</th>" in shown and "<td><mark>1 681</mark></td>" in shown
    assert "<th scope='row' class='label-on'>服务请求</th>" in shown and "<td>25</td>" in shown


def test_accept_language_and_the_own_temp_folder(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "before"))  # restored after the test
    assert accept_language("fr;q=1, zh-CN;q=0.8, en;q=0.5") == "zh"
    assert accept_language("en-GB,en;q=0.9,zh;q=0.8") == "en" and accept_language("de") == "en"
    assert accept_language("zh-TW") == "zh" and accept_language(None, "zh") == "zh"
    s = settings.replace(data_dir=tmp_path)
    (tmp_path / "web-temp" / "abc").mkdir(parents=True)
    (tmp_path / "web-temp" / "abc" / "old-upload.md").write_text("x", "utf-8")
    folder = own_temp_folder(s)
    assert folder.is_dir() and not any(folder.iterdir()) and (folder.stat().st_mode & 0o777) == 0o700
    assert os.environ["GRADIO_TEMP_DIR"] == str(folder.resolve())


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


def test_a_table_unit_reads_as_a_table_with_its_quoted_row_marked(assistant: Assistant) -> None:
    """A/76/76 table 1 as the parser gives it (index/tables.py): the panel shows rows and columns; a quote of
    one row marks its cells, its row label and the column headers."""
    unit = next(u for u in assistant.store.units if u.key == "A/76/76, table 1")
    assert unit.table and unit.table[2][0] == "已完成的初步审查"
    src = make_source(unit, 1, assistant.store.documents, ["已完成的初步审查 17 10 22 39 36 30"])
    html = paragraph_html(src, "en")
    assert (
        "<table class='para-table'>" in html and "<caption>防止报复统计，2015 年 8 月至 2020 年 12 月</caption>" in html
    )
    assert "<th scope='col' class='label-on'>2020 年 1 月至 2020 年 12 月</th>" in html
    assert "<th scope='row' class='label-on'>已完成的初步审查</th>" in html and "<td><mark>30</mark></td>" in html
    assert "<th scope='row'>认定初步证据证明可以立案</th>" in html  # an unquoted row is not marked
    assert html.count("<tr>") == len(unit.table)
    assert "The table&#x27;s text as printed" in html  # the printed text stays one click away
