"""Several configurations through the real assistant, the llama-index baseline on a small real corpus,
the `openai` preset's one-line failure, and `integrity eval` as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from assistant.pipeline import Assistant
from assistant.settings import Settings
from eval import baseline, dataset, output, presets, suite
from index.embed import E5Embedder
from index.errors import InputError
from index.store import Store


def small_set() -> list[dataset.Question]:
    ids = {"zh-001", "zh-010", "en-013", "hant-001", "zh-092"}
    every = dataset.load(dataset.TUNE) + dataset.load(dataset.CHECK)
    return [q for q in every if q.id in ids or q.conversation == "conv-03"]


def test_configurations_side_by_side_on_the_real_index(assistant: Assistant, tmp_path: Path) -> None:
    qs = small_set()
    runs = suite.run_all(qs, presets.load_many("bm25,hybrid"), assistant, log=lambda s: None)
    assert [r.preset.name for r in runs] == ["bm25", "hybrid"]
    hybrid = runs[1]
    assert [r["id"] for r in hybrid.rows] == [q.id for q in qs]
    by_id = {r["id"]: r for r in hybrid.rows}
    assert by_id["zh-001"]["scores"]["rank"] == 1 and by_id["zh-001"]["scores"]["correct"]
    assert "2021" in by_id["conv-03#2"]["query"] and "followup" in by_id["conv-03#2"]["tags"]
    assert by_id["hant-001"]["tags"] == ["traditional"]
    assert all(r["retrieved"][0]["score"] for r in runs[0].rows if r["retrieved"])
    assert runs[0].rows[0]["retrieved"][0]["key"] != ""
    assert hybrid.info["refusal_threshold"] == assistant.settings.answer.refusal_threshold
    out = tmp_path / "run"
    output.write_report(out, runs, "hybrid", {"questions": "dev", "command": "x", "created": "now", "index": "i"})
    assert (out / "report.md").is_file() and (out / "bm25" / "results.jsonl").is_file()


def test_the_openai_preset_fails_in_one_line_without_a_server(assistant: Assistant) -> None:
    with pytest.raises(InputError) as e:
        suite.run_all(small_set(), presets.load_many("hybrid,openai"), assistant, log=lambda s: None)
    msg = str(e.value)
    assert msg.startswith("configuration 'openai' (openai.toml): ") and "\n" not in msg


def tiny_corpus(folder: Path) -> Path:
    folder.mkdir()
    (folder / "ethics.txt").write_text(
        "道德操守办公室 2020 年收到 1 681 项服务请求。\n\n财务披露方案的合规率为 99.9%。\n", "utf-8"
    )
    (folder / "reform.txt").write_text(
        "管理改革把权力下放给各实体负责人。\n\n管理与客户委员会由两位副秘书长共同主持。\n", "utf-8"
    )
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "documents": [
                    {"file": "ethics.txt", "symbol": "A/76/76"},
                    {"file": "reform.txt", "symbol": None, "short_title": "Reform"},
                ]
            }
        ),
        "utf-8",
    )
    return folder


def test_llamaindex_baseline_uses_our_embedder_and_leaves_global_settings_alone(
    settings: Settings, store: Store, embedder: E5Embedder, tmp_path: Path
) -> None:
    from llama_index.core import Settings as LlamaSettings

    s = settings.replace(corpus_dir=tiny_corpus(tmp_path / "corpus"), data_dir=tmp_path / "data")
    model = baseline.LlamaE5(embedder)
    q = model.get_query_embedding("合规率")
    assert np.allclose(q, embedder.embed_batch(["合规率"], "query")[0], atol=1e-6)
    assert len(model.get_text_embedding_batch(["一", "二"])) == 2
    a = Assistant(s, store, embedder)
    info = baseline.attach(a, s)
    assert info["chunks"] == 2 and Path(info["cache"], "docstore.json").is_file()
    assert LlamaSettings._embed_model is None and LlamaSettings._llm is None  # never assigned
    answer = a.ask("财务披露的合规率是多少？", mode="dense")
    assert answer.hits[0].key == "A/76/76 (chunk 1)" and answer.hits[1].key == "Reform (chunk 1)"
    assert not answer.refused and "99.9%" in answer.text and answer.citations[0].key == "A/76/76 (chunk 1)"
    assert a.ask("财务披露的合规率是多少？", docs=["Reform"], mode="dense").hits[0].key == "Reform (chunk 1)"
    b = Assistant(s, store, embedder)
    assert baseline.attach(b, s)["cache"] == info["cache"]  # reloaded from the persisted index
    assert b.ask("谁主持管理与客户委员会？", mode="dense").hits[0].key == "Reform (chunk 1)"


def cli(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTEGRITY_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", "eval", *args],
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )


def test_cli_errors_are_one_line_and_write_nothing(data_dir: Path, store: Store, tmp_path: Path) -> None:
    qf = tmp_path / "q.jsonl"
    qf.write_text(
        '{"id": "a", "lang": "zh", "question": "财务披露合规率", "kind": "fact", '
        '"gold": [{"evidence": "合规率为 99.9%"}]}\n',
        "utf-8",
    )
    out = tmp_path / "out"
    for args, message in [
        ([str(qf), "--out", str(out), "--configs", "hybrid,openai"], "configuration 'openai'"),
        ([str(qf), "--out", str(out), "--configs", "bm52"], "no configuration 'bm52'"),
        (["--compare", str(tmp_path), str(out)], "not an eval output folder"),
    ]:
        r = cli(args, data_dir)
        assert r.returncode == 2 and r.stderr.startswith("error: ") and message in r.stderr, r.stderr
        assert len(r.stderr.strip().splitlines()) == 1 and not out.exists()
