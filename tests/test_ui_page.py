"""Issue 14's page in real Chromium on a real server: clickable markers, one language, dark-mode contrast,
clean copy, a long question kept, feedback on an answer, the first screen's channels, nothing left in the temp
folder, and the phone layout."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import Server, serve_copy

from assistant.settings import Settings
from index.embed import Embedder
from index.store import Store

RETALIATION = "举报不当行为的人怎样得到保护，不受报复？"
REQUESTS_EN = "How many service requests did the Ethics Office receive in 2020?"
CJK = re.compile(r"[\u4e00-\u9fff]")
CONTRAST_JS = "\n".join(  # its comment lines dropped: playwright calls the text if it starts as a function
    line
    for line in (Path(__file__).parent / "contrast.js").read_text(encoding="utf-8").splitlines()
    if not line.startswith("//")
)


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, store: Store, embedder: Embedder
) -> Iterator[Server]:
    with serve_copy(tmp_path_factory.mktemp("serve14"), settings, embedder.name) as srv:
        yield srv


def open_page(browser: Any, server: Server, locale: str = "zh-CN", **options: Any) -> Any:
    """A fresh browser session in `locale` (its Accept-Language), shown once the page is in its language."""
    ctx = browser.new_context(locale=locale, **{"viewport": {"width": 1360, "height": 1000}, **options})
    ctx.set_default_timeout(90_000)
    pg = ctx.new_page()
    pg.goto(server.url)
    pg.wait_for_selector("#page-mark[data-ready]", state="attached")
    pg.wait_for_selector("body.page-ready #question textarea")
    return pg


def ask(pg: Any, question: str) -> Any:
    """Ask, and return the new answer's tools row (sources, Copy, 👍, 👎)."""
    n = pg.locator("#chat .answer-tools").count()
    pg.fill("#question textarea", question)
    pg.press("#question textarea", "Enter")
    pg.wait_for_function("n => document.querySelectorAll('#chat .answer-tools').length > n", arg=n)
    return pg.locator("#chat .answer-tools").nth(n)


def para_key(pg: Any, key: str) -> None:
    pg.wait_for_function("k => document.querySelector('#paragraph .para-key')?.innerText === k", arg=key)


def test_markers_open_their_paragraph_by_click_and_by_enter_even_in_an_earlier_answer(
    browser: Any, server: Server
) -> None:
    pg = open_page(browser, server)
    ask(pg, RETALIATION)
    first = pg.locator("#chat .message-row, #chat [data-testid=bot]").count()
    markers = pg.locator("#chat button.cite[data-key]")
    key = markers.first.get_attribute("data-key")
    assert key and re.fullmatch(r"A/\S+ ¶\S+", key)
    markers.first.focus()
    pg.keyboard.press("Enter")
    para_key(pg, key)
    assert pg.locator("#paragraph mark").count() >= 1
    earlier = {m.get_attribute("data-key") for m in markers.all()}
    ask(pg, "道德操守办公室2020年收到多少服务请求？")
    assert pg.locator("#chat [data-testid=bot], #chat .message-row").count() > first
    other = next(k for k in earlier if k != pg.inner_text("#paragraph .para-key"))
    pg.locator(f"#chat button.cite[data-key='{other}']").first.click()  # a marker of the first answer
    para_key(pg, other)
    assert pg.locator("#paragraph mark").count() >= 1
    pg.context.close()


def test_the_page_speaks_the_browsers_language_then_the_questions_then_the_switchs(
    browser: Any, server: Server
) -> None:
    pg = open_page(browser, server, locale="en-US")
    assert pg.evaluate("document.documentElement.lang") == "en" and pg.title() == "Integrity Assistant"
    shown = pg.inner_text("#header") + pg.inner_text("#privacy-note") + pg.inner_text("#tabs [role=tablist]")
    assert "Facilitator" in shown and not CJK.search(shown)  # nothing shown twice (the switch names 中文 in itself)
    pg.context.close()

    pg = open_page(browser, server, locale="zh-CN")
    assert pg.evaluate("document.documentElement.lang") == "zh-CN"
    tabs = pg.inner_text("#tabs [role=tablist]")
    assert "主持人简报" in tabs and "Facilitator" not in tabs and "Library" not in tabs
    ask(pg, REQUESTS_EN)
    pg.wait_for_function("document.documentElement.lang === 'en'")
    pg.wait_for_function("document.querySelector('#send').innerText === 'Send'")
    # the tab labels are relabelled after the button: wait for them too (under load the assertion raced them)
    pg.wait_for_function("document.querySelector('#tabs [role=tablist]').innerText.includes('Facilitator')")
    assert pg.inner_text("#tabs [role=tablist]").split() == ["Ask", "Library", "Facilitator"]
    assert pg.title() == "Integrity Assistant" and "Nothing you type is kept" in pg.inner_text("#privacy-note")
    assert pg.locator("#sources label").first.inner_text().startswith("[1] A/76/76 ¶6 · Activities of the Ethics")
    pg.get_by_label("中文").check()
    pg.wait_for_function("document.documentElement.lang === 'zh-CN'")
    pg.wait_for_function("document.querySelector('#send').innerText === '发送'")
    pg.wait_for_function("document.querySelector('#sources label').innerText.includes('道德操守办公室的活动')")
    pg.context.close()


def test_a_thumbs_down_right_after_opening_a_paragraph_is_not_lost(browser: Any, server: Server) -> None:
    """Each marker and 👍/👎 click is one action: one made while the one before is still being handled is queued,
    not dropped (gradio's default for a button lets no submission through while one is pending)."""
    pg = open_page(browser, server)
    tools = ask(pg, RETALIATION)
    tools.locator("button.cite").first.click()
    tools.locator("button[data-act=down]").click()  # at once: the paragraph is still being opened
    pg.wait_for_selector("#feedback-kind", timeout=60_000)
    pg.wait_for_selector("#paragraph mark")
    pg.context.close()


def test_every_text_is_readable_in_dark_mode(browser: Any, server: Server) -> None:
    pg = open_page(browser, server, color_scheme="dark")
    assert pg.evaluate(CONTRAST_JS) == []
    tools = ask(pg, RETALIATION)
    tools.locator("button.cite").first.click()
    pg.wait_for_selector("#paragraph mark")
    pg.locator("#chat .answer-tools button[data-act=down]").first.click()
    pg.wait_for_selector("#feedback-kind")
    low = pg.evaluate(CONTRAST_JS)
    assert low == [], low
    assert pg.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")  # the system asked for dark
    pg.context.close()


def test_copy_gives_clean_text_and_markers_are_spoken_as_sources(browser: Any, server: Server) -> None:
    pg = open_page(browser, server, locale="en-US", permissions=["clipboard-read", "clipboard-write"])
    tools = ask(pg, REQUESTS_EN)
    marker = pg.locator("#chat button.cite[data-key='A/76/76 ¶6']").first
    assert marker.get_attribute("aria-label") == "source 1, A/76/76 paragraph 6"
    tools.locator("button[data-act=copy]").click()
    pg.wait_for_function("document.querySelector('#chat button[data-act=copy]').innerText === 'Copied'")
    text = pg.evaluate("navigator.clipboard.readText()")
    assert text.startswith("According to the documents") and "[A/76/76 ¶6]" in text and "1 681" in text
    assert "\nSources:\n- [1] A/76/76 ¶6 · Activities of the Ethics Office" in text
    assert not re.search(r"<|\\\(|\\\[|&[a-z]+;|\[\d+\]\s", text.split("Sources:")[0])  # no markup, no [n]
    pg.context.close()


def test_a_long_question_stays_in_the_box_and_an_empty_one_is_ignored(browser: Any, server: Server) -> None:
    pg = open_page(browser, server)
    pg.press("#question textarea", "Enter")  # empty: nothing happens
    pg.wait_for_timeout(2000)  # (while an event runs, gradio drops the next submit of the same box)
    assert pg.locator("#chat [data-testid=user]").count() == 0
    long = "我想知道" * 1250  # 5,000 characters
    pg.fill("#question textarea", long)
    pg.wait_for_function("document.querySelector('#question-count .count').innerText === '5,000 / 2,000'")
    pg.press("#question textarea", "Enter")
    pg.wait_for_function("(document.querySelector('#question-status').innerText || '').includes('5,000')")
    assert "超过了 2,000 个字符的上限" in pg.inner_text("#question-status")
    assert pg.input_value("#question textarea") == long and pg.locator("#chat [data-testid=user]").count() == 0
    pg.context.close()


def test_feedback_belongs_to_an_answer_and_the_sources_appear_with_one(browser: Any, server: Server) -> None:
    pg = open_page(browser, server)
    assert pg.locator("#feedback:visible, #sources-box:visible").count() == 0
    ask(pg, RETALIATION)
    tools = ask(pg, "道德操守办公室2020年收到多少服务请求？")
    assert pg.locator("#sources-box:visible").count() >= 1
    pg.locator("#chat .answer-tools").first.locator("button[data-act=down]").click()  # the first answer's 👎
    pg.wait_for_selector("#feedback-kind")
    assert RETALIATION[:20] in pg.inner_text("#feedback-title")
    pg.get_by_role("radio", name="来源有误").check()
    pg.fill("#feedback-comment textarea", "应引用政策段落")
    pg.click("#feedback-send")
    pg.wait_for_function("(document.querySelector('#feedback-status').innerText || '').includes('反馈已保存')")
    tools.locator("button[data-act=up]").click()
    pg.wait_for_function("(document.querySelector('#feedback-status').innerText || '').includes('有帮助')")
    pg.context.close()


def test_the_first_screen_names_the_official_channels_with_their_citations(browser: Any, server: Server) -> None:
    pg = open_page(browser, server, locale="en-US")
    intro = pg.inner_text("#intro")
    assert "For UN Secretariat staff" in intro and "This is not a reporting channel" in intro
    assert pg.locator("#send").is_visible() and not pg.locator("#stop").is_visible()  # quotes need no stop button
    for name in ("Ethics Office", "Office of Internal Oversight Services"):
        line = pg.locator("#intro .channels li", has_text=name).first
        keys = [b.get_attribute("data-key") for b in line.locator("button.cite").all()]
        assert keys and all(re.fullmatch(r"A/\S+ ¶\S+", k or "") for k in keys), (name, keys)
    for symbol in ("A/76/76", "A/76/644", "A/RES/74/271", "A/75/201"):
        assert re.search(re.escape(symbol) + r" · .+\(\d{4}", intro), symbol  # each document, dated
    mark = pg.locator("#intro .channels button.cite").first
    key = mark.get_attribute("data-key")
    mark.click()
    para_key(pg, key)
    assert pg.locator("#paragraph mark").count() >= 1
    pg.context.close()


def test_nothing_uploaded_or_downloaded_stays_in_the_temp_folder(browser: Any, server: Server, tmp_path: Path) -> None:
    temp = server.uploads
    pg = open_page(browser, server)
    pg.locator("#tabs [role=tab]", has_text="文件库").click()
    doc = tmp_path / "my_private_notes.md"
    doc.write_text("# 私人笔记\n\n1. 这是一份不应留在服务器上的文件。\n", "utf-8")
    pg.set_input_files("#upload input[type=file]", str(doc))
    pg.wait_for_function("(document.querySelector('#upload').innerText || '').includes('my_private_notes.md')")
    pg.wait_for_function("document.querySelector('#upload a[download], #upload .file-name, #upload td') !== null")
    pg.wait_for_timeout(1000)
    assert list(temp.rglob("my_private_notes.md"))  # gradio stored the upload in the app's own folder
    pg.locator("#upload button[aria-label='清除']").click()  # gradio's Clear, in the page's language
    pg.wait_for_function("() => !(document.querySelector('#upload').innerText || '').includes('my_private_notes')")
    pg.wait_for_timeout(1500)
    assert not list(temp.rglob("my_private_notes.md"))

    pg.locator("#tabs [role=tab]", has_text="主持人简报").click()
    pg.fill("#brief-theme textarea, #brief-theme input", "问责制")
    pg.click("#brief-make")
    pg.wait_for_selector("#brief-download-md", timeout=120_000)
    with pg.expect_download() as info:
        pg.click("#brief-download-md")
    saved = tmp_path / "brief.md"
    info.value.save_as(saved)
    assert saved.read_text("utf-8").startswith("# 领导力对话主持人简报：问责制")
    assert not [p for p in temp.rglob("*") if p.is_file() and "brief" in p.name]
    assert not list(server.root.rglob("brief-*"))  # nowhere in the server's folders either
    pg.context.close()


def test_the_phone_opens_at_the_top_with_tabs_reachable_and_a_marker_opens_its_paragraph_in_view(
    browser: Any, server: Server
) -> None:
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    pg = open_page(browser, server, **phone)
    pg.wait_for_timeout(500)
    assert pg.evaluate("window.scrollY") == 0
    assert pg.evaluate("document.activeElement.tagName") != "TEXTAREA"  # no autofocus jump past the header
    for tab in pg.locator("#tabs [role=tab]").all():
        box = tab.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, tab.inner_text()
    assert pg.locator("#intro").is_visible()  # what this is and where to turn come first
    tools = ask(pg, RETALIATION)
    marker = tools.locator("button.cite").first
    key = marker.get_attribute("data-key")
    marker.tap()
    para_key(pg, key)
    box = pg.locator("#paragraph").bounding_box()
    assert box and box["y"] < 844 and box["y"] + box["height"] > 0  # on screen, under the answer
    assert pg.locator("#paragraph .para-close").is_visible()
    pg.context.close()
