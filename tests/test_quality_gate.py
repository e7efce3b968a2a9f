"""Regression gate: the default configuration's metrics on the *check* split must not fall under these floors.

Rules, words and weights are chosen on eval/questions/tune.jsonl; this gate and the README report
eval/questions/check.jsonl, which nothing is tuned on. The floors sit a little under the numbers measured
when they were set (in the comments, from `integrity eval eval/questions/check.jsonl`), so noise passes and
a change that hurts quality fails CI; when a change really improves a metric, raise its floor in the same
change. Citation support is not gated: extractive quotes are in their paragraph by construction.
The check set runs once per session through the session index (about 10-20 s warm).
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.pipeline import Assistant
from eval import dataset, runner

# (group, metric): floor, measured when set
FLOORS: dict[tuple[str, str], float] = {
    ("all", "hit@5"): 0.92,  # 0.942
    ("zh", "hit@5"): 0.95,  # 0.975
    ("en", "hit@5"): 0.86,  # 0.878
    ("all", "mrr@10"): 0.81,  # 0.836
    ("all", "recall@10"): 0.94,  # 0.951
    # 0.717 (issue 13: answer first, a follow-up's own words, a lead joined with the sentence that answers; was 0.645)
    ("all", "lead_key_coverage"): 0.70,
    # lowered (0.84 at 0.862): answers now stop after the statement that answers and at most two more, about 200
    # characters; whole-answer coverage rewarded quoting more (issue 13), lead coverage and citation precision rose
    ("all", "key_coverage"): 0.75,  # 0.765
    ("all", "citation_precision"): 0.70,  # 0.729 (was 0.533)
    ("all", "accuracy"): 0.71,  # 0.723: lowered with key_coverage (it asks for whole-answer coverage >= 0.5; was 0.822)
    # 0.513 (39 questions: one is 0.026) since 2026-12-02, when a third blind batch added 10 near misses to check
    # (0.552 on the 29 before; was 0.58 over 0.621 until the out-of-scope words lifted from single dev questions
    # (哪栋楼, 几层, 辞职, …) went, as issue 13 asks, and two check questions built on them were answered)
    ("all", "refused_unanswerable"): 0.48,
    ("all", "followup_hit@5"): 0.90,  # 0.923 (39 turns: one is 0.026; 0.941 over the 34 before the third batch)
}
# lower is better
CEILINGS: dict[tuple[str, str], float] = {
    ("all", "refused_answerable"): 0.03,  # 0.012 (243 questions: one is 0.004)
    ("all", "answer_chars"): 230.0,  # 217 (was 307): quoting more must not pass for answering better
}


@pytest.fixture(scope="module")
def check_metrics(assistant: Assistant) -> dict[str, Any]:
    _, groups = runner.run(dataset.load(dataset.CHECK), assistant, mode="hybrid")
    return groups


def test_check_set_metrics_stay_within_their_bounds(check_metrics: dict[str, Any]) -> None:
    low = [
        f"{g} {m} = {check_metrics[g][m]} < {floor}"
        for (g, m), floor in FLOORS.items()
        if (check_metrics[g][m] or 0.0) < floor
    ]
    high = [
        f"{g} {m} = {check_metrics[g][m]} > {ceiling}"
        for (g, m), ceiling in CEILINGS.items()
        if (check_metrics[g][m] or 0.0) > ceiling
    ]
    assert not low + high, "quality fell: " + "; ".join(low + high)


def test_the_gate_covers_both_languages(check_metrics: dict[str, Any]) -> None:
    assert check_metrics["zh"]["answerable"] >= 100 and check_metrics["en"]["answerable"] >= 60
    assert check_metrics["all"]["unanswerable"] >= 25
