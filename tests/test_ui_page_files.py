"""Issue 14's page in real Chromium on a real server, continued: a refused upload said wholly in the page's
language, a cited table shown as a table, and the conversation downloaded from the browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serving import PASSWORD, Server, serve_copy
from test_ui_page import REQUESTS_EN, ask, open_page, para_key

from assistant.settings import Settings
from index.embed import Embedder
from index.store import Store

CJK = re.compile(r"[\u4e00-\u9fff]")
TABLE_KEY = re.compile(r", table \d+$")
STATS = "防止报复的统计数字是多少？"  # the real assistant cites A/76/76's table of retaliation statistics for it


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, store: Store, embedder: Embedder
) -> Iterator[Server]:
    with serve_copy(tmp_path_factory.mktemp("serve14b"), settings, embedder.name) as srv:
        yield srv


def refused_upload(pg: Any, path: Path, library_tab: str) -> str:
    """Upload `path` with the admin password from the library tab; the status line once it says something."""
    pg.locator("#tabs [role=tab]", has_text=library_tab).click()
    pg.fill("#admin-password input", PASSWORD)
    pg.set_input_files("#upload input[type=file]", str(path))
    pg.wait_for_function("n => (document.querySelector('#upload').innerText || '').includes(n)", arg=path.stem)
    pg.click("#upload-add")
    pg.wait_for_function("n => (document.querySelector('#library-status').innerText || '').includes(n)", arg=path.name)
    return str(pg.inner_text("#library-status")).strip()


def test_an_empty_upload_is_refused_wholly_in_the_pages_language(browser: Any, server: Server, tmp_path: Path) -> None:
    empty = tmp_path / "empty_notes.md"
    empty.write_bytes(b"")
    pg = open_page(browser, server, locale="en-US")
    tabs = pg.locator("[role=tablist]").all_inner_texts()
    assert tabs and not [t for t in tabs if CJK.search(t)], tabs  # one row of tabs, in English
    line = refused_upload(pg, empty, "Library")
    assert line.startswith("Not added: empty_notes.md") and "empty" in line.split("empty_notes.md", 1)[1], line
    assert not CJK.search(line), line
    pg.context.close()

    pg = open_page(browser, server, locale="zh-CN")
    line = refused_upload(pg, empty, "文件库")
    assert line.startswith("未加入：empty_notes.md") and CJK.search(line.split("empty_notes.md", 1)[1]), line
    assert not re.search(r"[A-Za-z]{2,}", line.replace("empty_notes.md", "")), line  # no English beyond the name
    assert not [p for p in server.uploads.rglob("*") if p.is_file() and p.name == empty.name]  # deleted once refused
    pg.context.close()


def test_a_cited_table_opens_in_the_panel_as_a_table_with_row_and_column_labels(browser: Any, server: Server) -> None:
    pg = open_page(browser, server)
    ask(pg, STATS)
    keys = [m.get_attribute("data-key") or "" for m in pg.locator("#chat button.cite[data-key]").all()]
    key = next((k for k in keys if TABLE_KEY.search(k)), None)
    assert key, f"the answer to {STATS} cites no table unit: {keys}"
    pg.locator(f"#chat button.cite[data-key='{key}']").last.click()
    para_key(pg, key)
    table = pg.locator("#paragraph table")
    assert table.count() == 1
    columns = [c.inner_text().strip() for c in table.locator("thead th").all()]
    rows = [r.inner_text().strip() for r in table.locator("tbody th[scope=row]").all()]
    assert len(columns) >= 3 and all(columns[1:]), columns  # a label over every column of figures
    assert len(rows) >= 2 and all(rows) and all(CJK.search(r) for r in rows), rows  # each row named
    cells = table.locator("tbody tr").first.locator("td").all()
    assert len(cells) == len(columns) - 1 and any(re.search(r"\d", c.inner_text()) for c in cells)
    pg.context.close()


def test_the_conversation_downloads_from_the_browser_as_markdown_with_citations(
    browser: Any, server: Server, tmp_path: Path
) -> None:
    pg = open_page(browser, server, locale="en-US")
    ask(pg, REQUESTS_EN)
    keys = [m.get_attribute("data-key") or "" for m in pg.locator("#chat button.cite[data-key]").all()]
    assert keys and all(re.fullmatch(r"A/\S+ ¶\S+", k) for k in keys), keys
    quotes = re.findall(r"“([^”]{8,})”", pg.locator("#chat [data-testid=bot]:has(.answer-tools)").last.inner_text())
    assert quotes  # the answer quotes the documents
    with pg.expect_download() as info:
        pg.click("#download-conversation")
    saved = tmp_path / "conversation.md"
    info.value.save_as(saved)
    text = saved.read_text("utf-8")
    assert info.value.suggested_filename.startswith("conversation-") and text.startswith("# Integrity Assistant")
    assert f"**Question:** {REQUESTS_EN}" in text and text.count(REQUESTS_EN) == 1
    assert all(q in text for q in quotes), quotes  # the answer as the page showed it
    assert all(f"[{k}]" in text for k in keys) and "> Sources:" in text, keys  # each citation key, in UN form
    assert "<" not in text  # clean Markdown: no HTML
    written = [p for p in server.root.rglob("*") if p.is_file() and "index" not in p.relative_to(server.root).parts]
    assert not [p for p in written if p.name.startswith("conversation")]
    assert not [p for p in written if REQUESTS_EN.encode() in p.read_bytes()]  # nothing of it kept server-side
    assert not [p for p in server.uploads.rglob("*") if p.is_file()]  # the app's temp folder holds nothing of it
    pg.context.close()
