"""Library tab, index swap and the JSON route, on a copy of the session index (the shared one is never changed)."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import Any

import gradio as gr
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.build import index_folder
from index.embed import Embedder
from index.store import Store
from ui import admin, handlers
from ui.api import api_router
from ui.app import build_blocks
from ui.feedback import FeedbackStore
from ui.library import Library, safe_name
from ui.session import Session

NEW_DOC = """# 远程工作办公室 2023 年活动报告

A/99/123

## 一. 导言

1. 2023 年，远程工作办公室共收到 4 321 份关于远程办公津贴的申诉，比 2022 年增加 12%。

2. 远程工作办公室设在内罗毕，由一名主任领导，另有 6 名工作人员。
"""
QUESTION = "远程工作办公室2023年收到多少份申诉？"


@pytest.fixture
def admin_lib(tmp_path: Path, settings: Settings, store: Store, embedder: Embedder) -> Library:
    """A library with an admin password over a copy of the session index."""
    copy = tmp_path / "index"
    shutil.copytree(index_folder(settings.index, embedder.name), copy)
    s = settings.replace(
        index_path=copy, data_dir=tmp_path / "data", admin_password=SecretStr("pw"), max_upload_mb=0.05
    )
    return Library(s, Assistant(s, Store.load(copy, embedder.name), embedder))


@pytest.fixture(autouse=True)
def upload_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """gradio's upload folder for this test (gradio reads GRADIO_TEMP_DIR on each call)."""
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    return tmp_path / "gradio"


def write(folder: Path, name: str, text: str | bytes) -> str:
    """`name` as gradio's upload route stores it: in a folder of its own inside the upload folder."""
    p = folder / "gradio" / uuid.uuid4().hex / name
    p.parent.mkdir(parents=True)
    p.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(p)


def test_read_only_without_password(settings: Settings, assistant: Assistant, tmp_path: Path) -> None:
    lib = Library(settings.replace(admin_password=None), assistant)
    assert not lib.admin_enabled and "只读" in admin.read_only_note(lib)
    view = admin.upload(lib, [write(tmp_path, "a.md", NEW_DOC)], "anything", progress=lambda *a, **k: None, lang="en")
    assert "read-only" in view.status and "INTEGRITY_ADMIN_PASSWORD" in view.status
    assert "只读" in admin.remove(lib, "A_76_76_ethics_office_activities_2020.zh", "x").status
    rows = admin.rows(lib)
    assert rows[[r[0] for r in rows].index("A/76/76")][:2] == ["A/76/76", "道德操守办公室的活动"]
    assert all(isinstance(r[2], int) and r[2] > 10 for r in rows)
    with build_blocks(lib, FeedbackStore(tmp_path / "f.sqlite3")) as demo:
        group = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "library-admin")
        assert group.visible is False


def test_refused_uploads_say_why_and_change_nothing(admin_lib: Library, tmp_path: Path) -> None:
    before = admin.rows(admin_lib, "en")

    def status(files: list[str], password: str = "pw") -> str:
        view = admin.upload(admin_lib, files, password, progress=lambda *a, **k: None, lang="en")
        assert view.table["value"]["data"] == before
        return str(view.status)

    assert "wrong admin password" in status([write(tmp_path, "a.md", NEW_DOC)], "nope")
    assert "'.xlsx' files cannot be added; use one of .txt, .md" in status([write(tmp_path, "b.xlsx", b"PK\x03")])
    assert "over the 0.05 MB limit" in status([write(tmp_path, "big.txt", "问责制。" * 20000)])
    assert "the file is empty" in status([write(tmp_path, "empty.md", "")])
    assert "looks binary" in status([write(tmp_path, "bin.txt", b"\x00\x01\x02" * 10)])
    assert "Choose a file first" in status([])
    assert not admin_lib.uploads_dir.exists() or not any(admin_lib.uploads_dir.iterdir())
    assert not [p for p in (tmp_path / "gradio").rglob("*") if p.is_file()]  # every temp upload was deleted


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_refused_upload_or_removal_is_said_wholly_in_the_readers_language(
    admin_lib: Library, tmp_path: Path, lang: str
) -> None:
    def status(files: list[str]) -> str:
        return str(admin.upload(admin_lib, files, "pw", progress=lambda *a, **k: None, lang=lang).status)

    lines = [
        status([write(tmp_path, "empty.md", "")]),
        status([write(tmp_path, "bin.txt", b"\x00\x01\x02" * 10)]),
        status([write(tmp_path, "big5.txt", "問責制度".encode("big5"))]),
        status([write(tmp_path, "broken.docx", b"PK\x03\x04 not a zip")]),
        status([write(tmp_path, "headings.md", "# 只有标题")]),
        str(admin.remove(admin_lib, "A/99/999", "pw", lang=lang).status),
    ]
    for line in lines:
        rest = re.sub(r"[\w.]*\.(md|txt|docx)|A/99/999|UTF-8|Word|`[^`]*`", " ", line)  # names, formats, commands
        if lang == "zh":
            assert line.startswith(("未加入：", "未删除：")) and not re.search(r"[A-Za-z]{2,}", rest), line
        else:
            assert line.startswith(("Not added: ", "Not removed: ")) and not re.search(r"[\u4e00-\u9fff]", line), line


def test_upload_swaps_in_a_new_index_that_answers_then_remove(admin_lib: Library, tmp_path: Path) -> None:
    old = admin_lib.assistant
    calls: list[tuple[Any, dict[str, Any]]] = []
    first = write(tmp_path, "remote work 2023.md", NEW_DOC)
    view = admin.upload(admin_lib, [first], "pw", progress=lambda *a, **k: calls.append((a, k)))
    assert view.status.startswith("已加入: A/99/123 (2 ¶)")
    assert not Path(first).exists()  # the temp upload is deleted once the library holds its copy
    new, before = admin_lib.assistant.store, old.store
    fresh = len(new.piece_ids) + len(new.span_ids) - len(before.piece_ids) - len(before.span_ids)
    assert "新嵌入" in view.status and calls[-1][0] == ((fresh, fresh),)  # only the new document was embedded
    assert ["A/99/123", "远程工作办公室 2023 年活动报告", 2] in [r[:3] for r in view.table["value"]["data"]]
    assert ("A/99/123 · 远程工作办公室 2023 年活动报告", "remote_work_2023") in view.docs["choices"]
    assert admin_lib.assistant is not old and len(old.store.documents) == 5  # in-flight answers keep the old one
    assert (admin_lib.uploads_dir / "remote_work_2023.md").exists()
    current = admin_lib.assistant
    same = write(tmp_path, "remote work 2023.md", NEW_DOC)
    again = admin.upload(admin_lib, [same], "pw", progress=lambda *a, **k: None)
    assert again.status.startswith("已在文件库中，内容未变: A/99/123")
    assert admin_lib.assistant is current

    views = list(handlers.chat(admin_lib, QUESTION, Session(), None))
    assert "4 321" in views[-1].chatbot[-2]["content"] and "[1] A/99/123 ¶1" in views[-1].chatbot[-2]["content"]
    # a restarted server finds the same library on disk
    assert "remote_work_2023" in Store.load(admin_lib.settings.index.index_path or Path()).documents

    view = admin.remove(admin_lib, "remote_work_2023", "pw")
    assert view.status.startswith("已删除：A/99/123") and len(view.table["value"]["data"]) == 5
    assert not (admin_lib.uploads_dir / "remote_work_2023.md").exists()
    after = admin_lib.assistant.ask(QUESTION)
    assert not any(c.key.startswith("A/99/123") for c in after.citations)


def test_safe_names() -> None:
    assert safe_name("../../etc/报告 2023 (final).PDF") == "报告_2023_final.pdf"
    assert safe_name("noext") == "noext" and safe_name("...") == "document"


def test_json_route_returns_the_cli_answer_object(assistant: Assistant) -> None:
    app = FastAPI()
    app.include_router(api_router(lambda: assistant))
    client = TestClient(app)
    r = client.post("/api/ask", json={"question": "财务披露方案的合规率是多少？"})
    assert r.status_code == 200
    got, want = r.json(), assistant.ask("财务披露方案的合规率是多少？").to_dict()
    got.pop("timings_ms"), want.pop("timings_ms")
    assert got == want
    first = assistant.ask("2020年领导力对话的主题是什么？")
    r = client.post("/api/ask", json={"question": "那2021年呢？", "history": [first.query], "docs": ["A/76/644"]})
    assert "2021" in r.json()["query"] and all(h["key"].startswith("A/76/644") for h in r.json()["hits"])
    r = client.post("/api/ask", json={"question": "  "})
    assert r.status_code == 400 and "empty" in r.json()["error"]
    assert client.post("/api/ask", json={}).status_code == 422
    health = {"status": "ok", "documents": 5, "paragraphs": len(assistant.store.units)}
    assert client.get("/api/health").json() == health
    assert {d["symbol"] for d in client.get("/api/documents").json()} >= {"A/76/76", None}


def test_progress_is_a_gradio_progress_by_default() -> None:
    import inspect

    assert isinstance(inspect.signature(admin.upload).parameters["progress"].default, gr.Progress)
