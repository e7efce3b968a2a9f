"""The report from hand-made answers: files, tables, plots, failures, comparison, and all-or-nothing writing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from assistant.types import Answer, Citation, Sentence
from eval import compare, output, presets, runner
from eval.dataset import Gold, Question
from eval.suite import ConfigRun
from index.errors import InputError
from index.types import Hit, Paragraph

P6 = Paragraph("A_76_76", "A/76/76", "6", "2020 年，道德操守办公室收到 1 681 项服务请求。")
P9 = Paragraph("A_76_76", "A/76/76", "9", "其中数量最多的(691 项)是道德操守咨询请求。")
QUESTIONS = [
    Question(
        "zh-1",
        "zh",
        "2020年收到多少服务请求？",
        "fact",
        [Gold("A/76/76 ¶6", "收到1681项服务请求")],
        ["1 681"],
        tags=["keyword"],
    ),
    Question("en-1", "en", "How many ethics advice requests?", "fact", [Gold("A/76/76 ¶9", "691 项")], ["691"]),
    Question("un-1", "zh", "2023年的预算是多少？", "unanswerable"),
]


def answer(q: Question, hits: list[Paragraph], refused: bool, evidence: float) -> Answer:
    sents = [] if refused else [Sentence(hits[0].text, [Citation(hits[0].key, hits[0].id, hits[0].text)])]
    text = "文件没有说明。" if refused else f"根据文件：{hits[0].text}[1]"
    return Answer(
        q.question,
        q.lang,
        text,
        sents,
        refused,
        [Hit(p, 1.0 - i / 10) for i, p in enumerate(hits)],
        q.question,
        {"prepare": 1.0, "retrieve": 12.0, "answer": 4.0, "total": 17.0},
        [f"evidence={evidence:.3f}"],
    )


def config_run(name: str, good: bool) -> ConfigRun:
    """`good`: every question right; otherwise en-1 retrieves the wrong paragraph and un-1 is answered."""
    answers = [
        answer(QUESTIONS[0], [P6, P9], False, 0.9),
        answer(QUESTIONS[1], [P9, P6] if good else [P6], False, 0.8),
        answer(QUESTIONS[2], [P6], good, 0.1 if good else 0.6),
    ]
    rows = [runner.to_row(q, a) for q, a in zip(QUESTIONS, answers, strict=True)]
    return ConfigRun(presets.load(name), rows, runner.groups_by_language(rows), {"refusal_threshold": 0.4})


def write(out: Path) -> None:
    runs = [config_run("hybrid", True), config_run("bm25", False)]
    output.write_report(
        out,
        runs,
        "hybrid",
        {"questions": "q.jsonl", "command": "integrity eval q.jsonl", "created": "now", "index": {"name": "e5-test"}},
    )


def test_row_scores_from_a_hand_made_answer() -> None:
    good, bad = config_run("hybrid", True).rows, config_run("bm25", False).rows
    assert good[0]["scores"]["rank"] == 1 and good[0]["scores"]["correct"] and good[0]["tags"] == ["keyword"]
    assert good[0]["retrieved"][0]["gold"] == [0] and good[0]["gold"][0]["para"] == "A/76/76 ¶6"
    assert good[1]["scores"]["key_coverage"] == 1.0 and good[2]["scores"]["correct"]
    assert bad[1]["scores"]["rank"] is None and not bad[1]["scores"]["correct"]
    assert bad[2]["scores"]["correct"] is False and bad[2]["scores"]["evidence"] == 0.6
    assert good[0]["scores"]["context_chars"] == len(P6.text) + len(P9.text)


def test_report_files_tables_and_plots(tmp_path: Path) -> None:
    out = tmp_path / "run"
    write(out)
    for f in (
        "report.md",
        "failures.md",
        "results.jsonl",
        "scores.jsonl",
        "metrics.json",
        "table.md",
        "hybrid/results.jsonl",
        "bm25/failures.md",
        "bm25/metrics.json",
    ):
        assert (out / f).is_file(), f
    for png in ("hit_at_k", "latency", "kinds", "refusal_threshold"):
        data = (out / "plots" / f"{png}.png").read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    report = (out / "report.md").read_text("utf-8")
    assert "| hit@5 | 1.000 | 0.500 |" in report and "![hit@k per configuration](plots/hit_at_k.png)" in report
    assert "## README table" in report and "| **hybrid** (primary) |" in report and "`e5-test`" in report
    assert "keyword" in report and "traditional" not in report.split("## By question style")[1].split("##")[0]
    m = json.loads((out / "metrics.json").read_text("utf-8"))
    assert m["meta"]["primary"] == "hybrid" and set(m["configs"]) == {"hybrid", "bm25"}
    assert m["metrics"]["all"]["accuracy"] == 1.0 and m["configs"]["bm25"]["metrics"]["all"]["accuracy"] == 0.3333
    assert set(m["by_kind"]) == {"fact", "unanswerable"} and "keyword" in m["by_tag"]
    assert len((out / "results.jsonl").read_text("utf-8").splitlines()) == 3
    assert "0 of 3 questions missed" in (out / "failures.md").read_text("utf-8")


def test_failures_show_question_gold_and_retrieved(tmp_path: Path) -> None:
    write(tmp_path / "run")
    text = (tmp_path / "run" / "bm25" / "failures.md").read_text("utf-8")
    assert "2 of 3 questions missed" in text and "## Retrieval misses (gold not in the top 5): 1" in text
    en = text.split("### en-1")[1].split("###")[0]
    assert "How many ethics advice requests?" in en and "A/76/76 ¶9: 「691 项」" in en and "`A/76/76 ¶6`" in en
    assert "### un-1" in text.split("## Unanswerable questions answered: 1")[1]


def test_compare_two_runs_question_by_question(tmp_path: Path) -> None:
    write(tmp_path / "run")
    text = compare.render(tmp_path / "run" / "hybrid", tmp_path / "run" / "bm25")
    assert "2 of 3 questions changed: 0 better, 2 worse" in text
    assert "- en-1 [en] rank 1 → —; keys 1.00 → 0.00; correct → wrong" in text
    assert "- un-1 [zh] refused → answered; correct → wrong" in text
    assert "| accuracy | 0.333 (-0.667)" in text
    (tmp_path / "run" / "bm25" / "scores.jsonl").unlink()  # falls back to results.jsonl
    assert "2 of 3 questions changed" in compare.render(tmp_path / "run", tmp_path / "run" / "bm25")
    with pytest.raises(InputError, match="not an eval output folder"):
        compare.render(tmp_path, tmp_path / "run")


def test_nothing_is_half_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "run"
    write(out)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError("No space left on device")

    monkeypatch.setattr(Figure, "savefig", disk_full)  # the plots come after results and metrics
    with pytest.raises(OSError):
        write(out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    with pytest.raises(OSError):
        write(tmp_path / "fresh")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no fresh/, no temporary folder left


def test_an_unrelated_folder_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    with pytest.raises(InputError, match="is not an eval output folder"):
        output.check_target(tmp_path)
    with pytest.raises(InputError):
        output.check_target(tmp_path / "notes.txt")
    output.check_target(tmp_path / "new")
