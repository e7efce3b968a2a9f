"""The `integrity` command as a user runs it: real processes, one-line errors, non-zero exits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index.store import Store


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "INTEGRITY_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        env=env,
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )


def test_ask_json_prints_the_answer_object(data_dir: Path, store: Store) -> None:
    r = run(["ask", "道德操守办公室2020年收到多少服务请求？", "--json"], data_dir)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert not d["refused"] and "1 681" in d["text"] and d["citations"][0]["key"].startswith("A/76/76")


def test_ask_prints_numbered_citations(data_dir: Path, store: Store) -> None:
    r = run(["ask", "How do I report misconduct?"], data_dir)
    assert r.returncode == 0, r.stderr
    assert "[1]" in r.stdout and "¶" in r.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "/nonexistent/report.pdf"], "no such file or folder"),
        (["ask", "问" * 20000], "20,000 characters; the limit is"),
        (["search", "问" * 20000], "20,000 characters; the limit is"),
        (["search", "\udcff问责制"], "lone surrogate"),
        (["search", "问责制", "--k", "0"], "--k must be between 1 and 100"),
        (["search", "问责制", "--mode", "fuzzy"], "unknown mode 'fuzzy'; choose hybrid, dense or lexical"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(data_dir: Path, store: Store, args: list[str], message: str) -> None:
    r = run(args, data_dir)
    assert r.returncode == 2
    assert r.stderr.strip().startswith("error:") and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_bad_files_are_refused(data_dir: Path, store: Store, tmp_path: Path) -> None:
    for name, content, message in [
        ("empty.txt", b"", "the file is empty"),
        ("blob.txt", b"\x00\x01\x02binary", "looks binary"),
        ("tool.exe", b"MZ", "unsupported format"),
    ]:
        f = tmp_path / name
        f.write_bytes(content)
        r = run(["ingest", str(f)], data_dir)
        assert r.returncode == 2 and message in r.stderr, r.stderr


def test_malformed_question_file_names_the_line_and_writes_nothing(
    data_dir: Path, store: Store, tmp_path: Path
) -> None:
    qf = tmp_path / "q.jsonl"
    qf.write_text(
        '{"id": "a", "lang": "zh", "question": "问", "kind": "fact", "gold": [{"evidence": "x"}]}\n'
        '{"id": "b", "lang": "zh", "question": "问", "kind": "factoid"}\n',
        "utf-8",
    )
    out = tmp_path / "out"
    r = run(["eval", str(qf), "--out", str(out)], data_dir)
    assert r.returncode == 2 and "q.jsonl:2" in r.stderr and "'kind'" in r.stderr
    assert not out.exists()
    qf.write_text("{not json\n", "utf-8")
    r = run(["eval", str(qf), "--out", str(out)], data_dir)
    assert r.returncode == 2 and "q.jsonl:1: not valid JSON" in r.stderr and not out.exists()


def test_eval_writes_results_and_metrics(data_dir: Path, store: Store, tmp_path: Path) -> None:
    qf = tmp_path / "q.jsonl"
    qf.write_text(
        '{"id": "a", "lang": "zh", "question": "财务披露合规率", "kind": "fact", '
        '"gold": [{"para": "A/76/76 ¶19", "evidence": "合规率为 99.9%"}], "answer_keys": ["99.9%"]}\n'
        '{"id": "c", "lang": "en", "turns": [{"question": "What was the 2020 leadership dialogue about?", '
        '"kind": "fact", "gold": [{"evidence": "文明"}]}, {"question": "And in 2021?", "kind": "fact", '
        '"gold": [{"evidence": "领导力对话重点关注问责制"}]}]}\n',
        "utf-8",
    )
    out = tmp_path / "out"
    r = run(["eval", str(qf), "--out", str(out)], data_dir)
    assert r.returncode == 0, r.stderr
    rows = [json.loads(x) for x in (out / "results.jsonl").read_text("utf-8").splitlines()]
    assert [x["id"] for x in rows] == ["a", "c#1", "c#2"]
    assert len(rows[0]["retrieved"]) == 10 and {"key", "text", "score"} <= set(rows[0]["retrieved"][0])
    assert "2021" in rows[2]["query"]
    m = json.loads((out / "metrics.json").read_text("utf-8"))["metrics"]
    assert set(m) >= {"all", "zh", "en"} and "hit@5" in m["all"] and "latency_p95_ms" in m["all"]


def test_chat_keeps_only_the_latest_turns_as_history(data_dir: Path, store: Store) -> None:
    env = {**os.environ, "INTEGRITY_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1", "INTEGRITY_MAX_HISTORY_ITEMS": "1"}
    r = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "chat"],
        env=env,
        input="道德操守办公室2019年收到多少服务请求？\n2020年领导力对话的主题是什么？\n那2021年呢？\n",
        capture_output=True,
        check=False,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0 and "error:" not in r.stderr, r.stderr  # the third turn carries one, not two
    assert r.stdout.count("A/76/644 ¶") >= 1
