"""Question files: styles (tags), conversations as turns, and errors that name the line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval import dataset
from eval.cli import REPORT_COMMAND
from eval.dataset import QuestionSetError

BLIND = ("a-", "b-")  # the sets written from the documents by people who had not seen the system (2026-12-01)


def test_question_sets_have_what_the_issues_ask_for() -> None:
    tune, check = dataset.load(dataset.TUNE), dataset.load(dataset.CHECK)
    qs = tune + check
    singles = [q for q in qs if not q.conversation]
    assert len(singles) >= 300
    blind = [q for q in qs if q.id.startswith(BLIND)]
    assert len(blind) >= 150 and len({q.conversation for q in blind if q.conversation}) >= 20
    styles = [s for q in qs for s in q.styles]
    for style, least in (
        ("traditional", 20), ("typo", 10), ("keyword", 10), ("instruction", 8), ("followup", 50),
        ("colloquial", 40), ("false-premise", 12), ("near-miss", 20), ("formal", 30),
    ):  # fmt: skip
        assert styles.count(style) >= least, style
    en = sum(q.lang == "en" for q in qs) / len(qs)
    assert 0.30 <= en <= 0.45
    assert {q.kind for q in qs} == set(dataset.KINDS)
    assert "eval/questions/check.jsonl" in REPORT_COMMAND


def test_tune_and_check_are_disjoint_and_alike() -> None:
    tune, check = dataset.load(dataset.TUNE), dataset.load(dataset.CHECK)
    assert not {q.id for q in tune} & {q.id for q in check}
    assert not {q.question for q in tune if not q.conversation} & {q.question for q in check if not q.conversation}
    for half in (tune, check):
        assert 0.45 <= len(half) / (len(tune) + len(check)) <= 0.55
        for kind in dataset.KINDS:
            assert sum(q.kind == kind for q in half) >= 8, kind
        assert sum(q.lang == "en" for q in half) >= 70 and sum(q.turn > 1 for q in half) >= 25


def test_styles_are_declared_and_implied(tmp_path: Path) -> None:
    f = tmp_path / "q.jsonl"
    f.write_text(
        '{"id": "a", "lang": "zh-Hant", "question": "財務披露 合規率", "kind": "fact", "gold": [{"evidence": "x"}],'
        ' "tags": ["keyword"]}\n'
        '{"id": "c", "lang": "zh", "turns": [{"question": "一", "kind": "fact", "gold": [{"evidence": "x"}]},'
        ' {"question": "那2021年呢？", "kind": "unanswerable", "tags": ["typo"]}]}\n',
        "utf-8",
    )
    qs = dataset.load(f)
    assert [q.id for q in qs] == ["a", "c#1", "c#2"]
    assert qs[0].styles == ["keyword", "traditional"] and qs[1].styles == [] and qs[2].styles == ["followup", "typo"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            '{"id": "a", "lang": "zh", "question": "问", "kind": "fact", "gold": [{"evidence": "x"}], "tags": "typo"}',
            "q.jsonl:2: field 'tags' must be a list of strings (question a)",
        ),
        (
            '{"id": "a", "lang": "zh", "question": "问", "kind": "fact", "gold": []}',
            "q.jsonl:2: field 'gold' is empty but kind is 'fact'",
        ),
        (
            '{"id": "a", "lang": "zh", "turns": [{"question": "问", "kind": "fact", "gold": [{"evidence": ""}]}]}',
            "q.jsonl:2: field 'gold[0].evidence' is missing or empty (question a#1)",
        ),
        ('{"id": "a", "question": "问"}', "q.jsonl:2: field 'lang' is missing"),
        ('["a"]', "q.jsonl:2: each line must be a JSON object"),
    ],
)
def test_malformed_lines_name_line_and_field(tmp_path: Path, line: str, message: str) -> None:
    f = tmp_path / "q.jsonl"
    f.write_text('{"id": "ok", "lang": "en", "question": "q", "kind": "unanswerable"}\n' + line + "\n", "utf-8")
    with pytest.raises(QuestionSetError) as e:
        dataset.load(f)
    assert message in str(e.value)
