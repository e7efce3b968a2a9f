import pytest

from index.fuse import blend, minmax, normalize, rrf, top, weighted


def test_rrf_rewards_agreement_and_rank() -> None:
    fused = rrf([[1, 2, 3], [2, 4]], k=60)
    assert max(fused, key=lambda i: fused[i]) == 2  # in both lists
    assert fused[1] > fused[3]  # rank 1 beats rank 3 in the same list
    assert fused[4] == 1 / 62


def test_rrf_weights_scale_each_list() -> None:
    fused = rrf([[1], [2]], k=0, weights=[0.9, 0.1])
    assert fused == {1: 0.9, 2: 0.1}


def test_normalize_and_minmax_edges() -> None:
    assert normalize({}) == {}
    assert normalize({1: 0.0, 2: -1.0}) == {1: 0.0, 2: 0.0}
    assert normalize({1: 2.0, 2: 1.0}) == {1: 1.0, 2: 0.5}
    assert minmax({1: 0.8, 2: 0.8}) == {1: 1.0, 2: 1.0}
    assert minmax({1: 0.9, 2: 0.7, 3: 0.8}) == pytest.approx({1: 1.0, 2: 0.0, 3: 0.5})


def test_weighted_combines_and_fills_missing_side_with_zero() -> None:
    fused = weighted({1: 0.9, 2: 0.8}, {2: 10.0, 3: 5.0}, dense_weight=0.5)
    assert fused[2] == 0.5 * 0.0 + 0.5 * 1.0
    assert fused[1] == 0.5
    assert fused[3] == 0.25
    assert weighted({1: 1.0}, {2: 1.0}, dense_weight=1.0)[2] == 0.0


def test_top_breaks_ties_by_id() -> None:
    assert top({5: 1.0, 3: 1.0, 9: 2.0}, 2) == [(9, 2.0), (3, 1.0)]


def test_blend_adds_a_weighted_second_opinion_over_the_first_sides_items() -> None:
    first, second = {1: 0.9, 2: 0.8, 3: 0.1}, {1: 0.70, 2: 0.95, 9: 1.0}
    out = blend(first, second, 0.5)
    assert set(out) == {1, 2, 3}  # items only the second side has are not added
    assert out[2] > out[1]  # 2's far better second score overtakes 1's slightly better first score
    assert out[3] == pytest.approx(0.0)  # lowest on the first side, missing on the second
    assert blend(first, second, 0.0) == minmax(first)
