import pytest

from eval import metrics as M


def test_gold_hits_ignore_whitespace() -> None:
    assert M.gold_hits(["收到 1 681 项 服务请求", "别的"], ["1681项服务"]) == [{0}, set()]


def test_perfect_run() -> None:
    m = [{0}, set(), set()]
    assert M.hit_at(m, 1) == 1.0 and M.mrr_at(m) == 1.0
    assert M.recall_at(m, 1) == 1.0 and M.ndcg_at(m, 1) == 1.0


def test_empty_run() -> None:
    assert M.hit_at([], 5) == 0.0 and M.mrr_at([]) == 0.0 and M.recall_at([], 2) == 0.0
    assert M.ndcg_at([], 2) == 0.0 and M.first_rank([]) is None
    assert M.percentile([], 95) == 0.0 and M.mean([]) == 0.0


def test_rank_beyond_k_counts_as_miss() -> None:
    m = [set()] * 10 + [{0}]
    assert M.hit_at(m, 10) == 0.0 and M.mrr_at(m, 10) == 0.0 and M.first_rank(m) == 11


def test_multi_gold_recall_and_ndcg() -> None:
    m = [{1}, set(), {0, 1}]
    assert M.recall_at(m, 2, 10) == 1.0
    assert M.recall_at(m, 2, 1) == 0.5
    ideal = 1 + 1 / 1.5849625007211562
    assert M.ndcg_at(m, 2) == pytest.approx((1 + 1 / 2) / ideal)
    assert M.mrr_at(m) == 1.0


def test_ties_keep_retrieved_order() -> None:
    assert M.first_rank([set(), {0}, {0}]) == 2


def test_key_coverage() -> None:
    assert M.key_coverage("共 1 681 项，合规率 99.9%", ["1681", "99.9%", "缺"]) == pytest.approx(2 / 3)
    assert M.key_coverage("anything", []) is None


def test_percentile_interpolates() -> None:
    assert M.percentile([1, 2, 3, 4], 50) == 2.5
    assert M.percentile([10.0], 95) == 10.0
