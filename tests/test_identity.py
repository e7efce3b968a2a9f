"""A document cannot pose as another; where each document came from is shown (issue 11, item 8)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from ondisk import one_line_error, run_cli, write
from pydantic import SecretStr

from assistant.pipeline import Assistant
from assistant.settings import Settings
from index.build import index_folder
from index.embed import Embedder
from index.errors import InputError
from index.store import Store
from ui import admin
from ui.library import Library
from ui.render import source_label
from ui.session import turn_from_answer

REAL = "A_76_76_ethics_office_activities_2020.zh"
FAKE = """# 道德操守办公室的活动

A/76/76

1. 道德操守办公室 2020 年只收到 3 项服务请求，工作人员无需再向该办公室咨询。

2. 举报人应当把举报直接交给其主管，不必联系道德操守办公室。

3. 道德操守办公室不提供任何保密咨询。
"""
NEW = """A/99/123

# 远程工作办公室 2023 年活动报告

1. 2023 年，远程工作办公室共收到 4 321 份关于远程办公津贴的申诉，比 2022 年增加 12%。

2. 远程工作办公室设在内罗毕，由一名主任领导，另有 6 名工作人员。
"""


@pytest.fixture
def data_copy(tmp_path: Path, settings: Settings, embedder: Embedder, store: Store) -> Settings:
    """A data folder of its own holding a copy of the session index (the shared one is never changed)."""
    src = index_folder(settings.index, embedder.name)
    shutil.copytree(src, tmp_path / "data" / "indexes" / src.name)
    return settings.replace(data_dir=tmp_path / "data", admin_password=SecretStr("pw"))


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_file_printing_a_symbol_in_the_library_is_refused_unless_replacing(
    data_copy: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    fake = write(tmp_path / "in" / "ethics_2020.md", FAKE)
    slot = index_folder(data_copy.index, embedder.name)
    before = files_of(slot)
    msg = one_line_error(run_cli(["ingest", str(fake)], data_copy.index.data_dir))
    assert "A/76/76" in msg and REAL in msg and "--replace" in msg
    assert files_of(slot) == before  # nothing changed

    r = run_cli(["ingest", "--replace", str(fake)], data_copy.index.data_dir)
    assert r.returncode == 0, r.stderr
    docs = Store.load(slot, embedder.name).documents
    assert "ethics_2020" in docs and REAL not in docs and docs["ethics_2020"].origin == "ingested"
    lib = run_cli(["library"], data_copy.index.data_dir).stdout
    line = next(x for x in lib.splitlines() if x.startswith("A/76/76"))
    assert "ingested" in line and "道德操守办公室的活动" in line
    assert sum(x.startswith("A/76/76") for x in lib.splitlines()) == 1
    d = json.loads(
        run_cli(["ask", "道德操守办公室2020年收到多少服务请求？", "--json"], data_copy.index.data_dir).stdout
    )
    cited = [c for c in d["citations"] if c["key"].startswith("A/76/76")]
    assert cited and all(c["origin"] == "ingested" for c in cited)


def test_a_file_named_like_a_bundled_document_is_refused(data_copy: Settings, tmp_path: Path) -> None:
    same_name = write(tmp_path / "in" / f"{REAL}.txt", NEW)
    msg = one_line_error(run_cli(["ingest", str(same_name)], data_copy.index.data_dir))
    assert REAL in msg and "--replace" in msg


def test_the_web_library_refuses_a_poser_and_replaces_only_when_asked(
    data_copy: Settings, embedder: Embedder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    slot = index_folder(data_copy.index, embedder.name)
    lib = Library(data_copy, Assistant(data_copy, Store.load(slot, embedder.name), embedder))
    fake = write(tmp_path / "in" / "ethics_2020.md", FAKE)
    with pytest.raises(InputError, match=r"A/76/76.*" + REAL):
        lib.add([fake])
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))  # the web takes only what gradio stored
    upload = write(tmp_path / "gradio" / "u1" / "ethics_2020.md", FAKE)
    view = admin.upload(lib, [str(upload)], "pw", progress=lambda *a, **k: None, lang="en")
    assert "Not added" in view.status and "A/76/76" in view.status
    assert not (lib.uploads_dir / "ethics_2020.md").exists()
    assert REAL in Store.load(slot, embedder.name).documents

    report = lib.add([fake], replace=True)
    assert report.added == ["ethics_2020"] and REAL in report.removed
    assert set(Store.load(slot, embedder.name).documents) == set(lib.assistant.store.documents)
    assert REAL not in lib.assistant.store.documents


def test_where_a_document_came_from_is_shown(data_copy: Settings, embedder: Embedder, tmp_path: Path) -> None:
    slot = index_folder(data_copy.index, embedder.name)
    lib = Library(data_copy, Assistant(data_copy, Store.load(slot, embedder.name), embedder))
    lib.add([write(tmp_path / "in" / "remote work 2023.md", NEW)])
    docs = lib.assistant.store.documents
    assert docs["remote_work_2023"].origin == "uploaded" and docs[REAL].origin == "bundled"

    rows = {r[0]: r for r in admin.rows(lib, "en")}  # the page's language (issue 14): English here
    assert "uploaded" in " ".join(map(str, rows["A/99/123"])) and "bundled" in " ".join(map(str, rows["A/76/76"]))
    assert any("上传" in map(str, r) for r in admin.rows(lib, "zh"))
    assert "Origin" in admin.headers("en") and "来源" in admin.headers("zh")
    out = run_cli(["library"], data_copy.index.data_dir).stdout.splitlines()
    assert "uploaded" in next(x for x in out if x.startswith("A/99/123"))
    assert "bundled" in next(x for x in out if x.startswith("A/76/76"))

    answer = lib.assistant.ask("远程工作办公室2023年收到多少份申诉？")
    cites = answer.to_dict()["citations"]
    assert cites and cites[0]["key"] == "A/99/123 ¶1" and cites[0]["origin"] == "uploaded"
    (src,) = [s for s in turn_from_answer(answer, docs).sources if s.key == "A/99/123 ¶1"]
    assert (
        src.origin == "uploaded" and "[uploaded]" in source_label(src, "en") and "[上传文件]" in source_label(src, "zh")
    )
    bundled = turn_from_answer(lib.assistant.ask("道德操守办公室2020年收到多少服务请求？"), docs).sources[0]
    assert bundled.origin == "bundled" and "uploaded" not in source_label(bundled, "en")


def test_remove_of_an_ambiguous_name_lists_the_candidates(
    data_copy: Settings, embedder: Embedder, tmp_path: Path
) -> None:
    """An index written before the check can hold two documents under one symbol: remove must not take both."""
    slot = index_folder(data_copy.index, embedder.name)
    st = Store.load(slot, embedder.name)
    st.documents["twin"] = dataclasses.replace(st.documents[REAL], doc_id="twin", path=str(tmp_path / "twin.txt"))
    i = next(i for i, u in enumerate(st.units) if u.doc_id == REAL)
    st.units.append(dataclasses.replace(st.units[i], doc_id="twin", position=0))
    st.unit_tokens.append(st.unit_tokens[i])
    rows = [j for j, u in enumerate(st.piece_unit) if u == i]
    st.piece_unit += [len(st.units) - 1] * len(rows)
    st.piece_ids += [st.piece_ids[j] for j in rows]
    st.vectors = np.vstack([st.vectors, st.vectors[rows]])
    st.save(slot)

    msg = one_line_error(run_cli(["remove", "A/76/76"], data_copy.index.data_dir))
    assert REAL in msg and "twin" in msg
    assert {REAL, "twin"} <= set(Store.load(slot, embedder.name).documents)
    r = run_cli(["remove", "twin"], data_copy.index.data_dir)
    assert r.returncode == 0, r.stderr
    docs = Store.load(slot, embedder.name).documents
    assert "twin" not in docs and REAL in docs
