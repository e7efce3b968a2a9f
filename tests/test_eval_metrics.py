"""The evaluation's pure functions on hand-made cases: a perfect run, an empty run, ties, multi-gold."""

from __future__ import annotations

from typing import Any

import pytest

from eval import compare, failures
from eval import metrics as M
from eval.summary import aggregate, groups_by


def test_gold_rank_and_hit_curve_on_a_perfect_run() -> None:
    m = [{0}, set(), set()]
    assert M.gold_rank(m) == 1
    assert M.hit_curve([1, 1, 1], [1, 5, 10]) == [1.0, 1.0, 1.0]


def test_hit_curve_on_an_empty_run_and_misses() -> None:
    assert M.hit_curve([], [1, 5]) == [0.0, 0.0]
    assert M.gold_rank([]) is None and M.gold_rank([set()] * 10 + [{0}]) is None
    assert M.hit_curve([None, 3, 7], [1, 3, 5, 10]) == pytest.approx([0.0, 1 / 3, 1 / 3, 2 / 3])


def test_ties_in_gold_evidence_keep_the_first_rank() -> None:
    # two retrieved texts hold the same evidence: the first counts, the second adds nothing to nDCG
    m = M.gold_hits(["甲 证据", "证据 乙"], ["证据"])
    assert m == [{0}, {0}] and M.gold_rank(m) == 1
    assert M.ndcg_at(m, 1) == 1.0 and M.recall_at(m, 1) == 1.0


def test_multi_gold_question() -> None:
    m = M.gold_hits(["无关", "第二条证据", "第一条证据和第二条证据"], ["第一条证据", "第二条证据"])
    assert m == [set(), {1}, {0, 1}]
    assert M.gold_rank(m) == 2 and M.recall_at(m, 2, 2) == 0.5 and M.recall_at(m, 2, 3) == 1.0


@pytest.mark.parametrize(
    ("answerable", "refused", "coverage", "cites_gold", "expected"),
    [
        (True, False, 1.0, True, True),
        (True, False, 0.5, True, True),  # the boundary counts
        (True, False, 0.49, True, False),
        (True, False, None, True, True),  # no answer keys: no coverage condition
        (True, False, 1.0, False, False),  # right words, no gold citation
        (True, True, 1.0, True, False),  # refused an answerable question
        (False, True, None, False, True),
        (False, False, None, True, False),  # answered an unanswerable question
    ],
)
def test_is_correct(answerable: bool, refused: bool, coverage: float | None, cites_gold: bool, expected: bool) -> None:
    assert M.is_correct(answerable, refused, coverage, cites_gold) is expected


def test_answered_precision_and_accuracy() -> None:
    correct, answered = [True, False, True, False], [True, True, False, False]
    assert M.answered_precision(correct, answered) == 0.5  # 1 correct of 2 answered
    assert M.accuracy(correct) == 0.5
    assert M.answered_precision([], []) == 0.0 and M.accuracy([]) == 0.0
    assert M.answered_precision([True], [False]) == 0.0  # nothing answered


def test_parse_evidence() -> None:
    assert M.parse_evidence(["x=1", "evidence=0.412"]) == 0.412
    assert M.parse_evidence([]) is None and M.parse_evidence(["evidence=abc"]) is None


def test_refusal_curve_is_strict_and_monotone() -> None:
    curve = M.refusal_curve([0.2, 0.6, 0.9], [0.1, 0.5], [0.0, 0.5, 0.6, 1.0])
    assert curve[0] == (0.0, 0.0, 0.0)
    assert curve[1] == pytest.approx((0.5, 0.5, 1 / 3))  # 0.5 is not under 0.5: a tie is not refused
    assert curve[2] == pytest.approx((0.6, 1.0, 1 / 3))
    assert curve[3] == pytest.approx((1.0, 1.0, 1.0))
    assert M.refusal_curve([], [], [0.5]) == [(0.5, 0.0, 0.0)]
    assert M.best_threshold(curve, max_over=0.34) == curve[2]
    assert M.best_threshold(curve, max_over=-1) == curve[0] and M.best_threshold([]) == (0.0, 0.0, 0.0)


def row(qid: str, lang: str, kind: str, **scores: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"answerable": kind != "unanswerable", "refused": False}
    return {
        "id": qid,
        "lang": lang,
        "kind": kind,
        "tags": scores.pop("tags", []),
        "question": qid,
        "timings_ms": {"prepare": 1.0, "retrieve": 10.0, "answer": 5.0, "total": 16.0},
        "scores": {**base, **scores},
    }


PERFECT = [
    row(
        "a",
        "zh",
        "fact",
        rank=1,
        hit1=1.0,
        hit5=1.0,
        hit10=1.0,
        mrr10=1.0,
        recall10=1.0,
        ndcg10=1.0,
        key_coverage=1.0,
        citation_precision=1.0,
        citation_support=1.0,
        cites_gold=True,
        correct=True,
        context_chars=300,
    ),
    row("u", "en", "unanswerable", refused=True, correct=True, context_chars=100),
]


def test_aggregate_of_a_perfect_run() -> None:
    g = aggregate(PERFECT)
    assert g["n"] == 2 and g["hit@1"] == g["mrr@10"] == g["accuracy"] == g["answered_precision"] == 1.0
    assert g["refused_unanswerable"] == 1.0 and g["refused_answerable"] == 0.0
    assert g["context_chars"] == 200.0 and g["retrieve_p50_ms"] == 10.0 and g["latency_p95_ms"] == 16.0


def test_aggregate_of_an_empty_run_says_none_not_zero() -> None:
    g = aggregate([])
    assert g["n"] == 0 and g["hit@5"] is None and g["accuracy"] is None and g["refused_unanswerable"] is None
    only_unanswerable = aggregate(PERFECT[1:])
    assert only_unanswerable["hit@5"] is None and only_unanswerable["refused_answerable"] is None


def test_groups_by_counts_a_row_in_each_of_its_tags() -> None:
    rows = [row("a", "zh", "fact", tags=["typo", "keyword"], hit5=1.0), row("b", "zh", "fact", tags=["typo"], hit5=0.0)]
    g = groups_by(rows, lambda r: r["tags"])
    assert list(g) == ["keyword", "typo"] and g["typo"]["n"] == 2 and g["typo"]["hit@5"] == 0.5


def test_failure_reasons() -> None:
    assert failures.reasons(PERFECT[0]) == [] and failures.reasons(PERFECT[1]) == []
    miss = row("m", "en", "fact", rank=7, refused=True, evidence=0.2)
    assert failures.reasons(miss) == ["gold not in top 5 (rank 7)", "refused (evidence 0.2)"]
    wrong = row("w", "zh", "fact", rank=1, key_coverage=0.0, cites_gold=False, correct=False)
    assert failures.reasons(wrong) == ["answer not correct (key coverage 0.00, no citation on gold)"]
    assert failures.reasons(row("x", "zh", "unanswerable", evidence=0.9))[0].startswith("answered an")


def test_question_changes_between_runs() -> None:
    a = {"answerable": True, "rank": 3, "refused": False, "key_coverage": 0.5, "correct": True}
    b = {"answerable": True, "rank": None, "refused": True, "key_coverage": 0.0, "correct": False}
    notes, sign = compare.question_changes(a, b)
    assert notes == ["rank 3 → —", "answered → refused", "keys 0.50 → 0.00", "correct → wrong"] and sign < 0
    notes, sign = compare.question_changes(b, a)
    assert "rank — → 3" in notes and sign > 0
    assert compare.question_changes(a, dict(a)) == ([], 0)
    una = {"answerable": False, "refused": False, "correct": False}
    assert compare.question_changes(una, {**una, "refused": True, "correct": True})[1] > 0


def test_changes_lists_questions_only_one_run_has() -> None:
    a = [{"id": "q1", "rank": 1, "answerable": True}, {"id": "q2", "rank": 1, "answerable": True}]
    b = [{"id": "q1", "rank": 2, "answerable": True}, {"id": "q3", "rank": 1, "answerable": True}]
    ch = compare.changes(a, b)
    assert [c["id"] for c in ch["worse"]] == ["q1"] and ch["only_a"] == ["q2"] and ch["only_b"] == ["q3"]
