"""The refusal decision: one fitted model over plain signals, and what a refusal says."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from assistant.refusal import FEATURES, MODEL_FITTED, Signals, answerable, covered, load
from index.types import Document, Hit, Paragraph

STRONG = Signals(dense=0.88, cover=0.9, lang="zh")


def test_strong_evidence_with_nothing_missing_is_answered() -> None:
    assert answerable(STRONG, MODEL_FITTED) >= 0.5
    assert answerable(Signals(0.80, 0.9, "en"), MODEL_FITTED) >= 0.5  # English cosines run lower


def test_a_figure_for_another_year_organisation_or_kind_is_not_an_answer() -> None:
    for missing in ({"missing_year": 1}, {"missing_organisation": 1}, {"missing_type": 1}):
        assert answerable(Signals(0.88, 0.9, "zh", **missing), MODEL_FITTED) < 0.5, missing  # type: ignore[arg-type]
    assert answerable(Signals(0.88, 0.9, "zh", out_of_scope=True), MODEL_FITTED) < 0.5


def test_the_chance_grows_with_the_evidence() -> None:
    weak, mid = Signals(0.70, 0.2, "zh"), Signals(0.80, 0.5, "zh")
    assert answerable(weak, MODEL_FITTED) < answerable(mid, MODEL_FITTED) < answerable(STRONG, MODEL_FITTED)
    assert answerable(Signals(None, 0.0, "zh"), MODEL_FITTED) < 0.5


def test_the_signals_note_carries_every_feature() -> None:
    note = Signals(0.8, 0.5, "en", missing_year=2, followup=True).note()
    kv = dict(p.split("=") for p in note.split()[1:])
    assert note.startswith("signals ") and set(kv) == set(FEATURES)
    assert kv["missing_year"] == "1" and kv["english"] == "1" and kv["followup"] == "1"


def test_an_unknown_feature_in_the_model_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "refusal.toml"
    bad.write_text("bias = 0.0\n[weights]\nlength = 1.0\n", "utf-8")
    with pytest.raises(ValueError, match=r"unknown refusal features.*length"):
        load(bad)


DOCS = {
    "d": Document("d", "x.txt", "A/76/76", "道德操守办公室的活动", "ethics", title_en="Activities of the Ethics Office")
}


def test_a_refusal_says_what_the_nearest_paragraphs_cover() -> None:
    near = [Hit(Paragraph("d", "A/76/76", "5", "……", ("三. 一般资料",)), 1.0)]
    assert covered("zh", near, DOCS) == "这些段落讲的是：A/76/76《道德操守办公室的活动》中“一般资料”一节。"
    en = covered("en", near, DOCS)
    assert "Activities of the Ethics Office" in en and "一般资料" in en and "三." not in en
    assert covered("zh", [], DOCS) == ""


def test_the_fit_keeps_over_refusal_under_its_bound(tmp_path: Path) -> None:
    # scripts/ is no package of the install: the script is loaded from its file, as `python scripts/...` runs it
    spec = importlib.util.spec_from_file_location("fit_refusal", Path(__file__).parents[1] / "scripts/fit_refusal.py")
    assert spec is not None and spec.loader is not None
    fit = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fit)
    rng = np.random.default_rng(0)
    rows = []
    for i in range(120):
        ok = i % 5 != 0
        dense = 0.85 + rng.normal(0, 0.03) if ok else 0.74 + rng.normal(0, 0.03)
        cover = float(rng.uniform(0.5, 1) if ok else rng.uniform(0, 0.6))
        s = Signals(dense, cover, "zh", missing_year=int(i % 10 == 0))
        rows.append({"id": f"q{i}", "notes": [s.note()], "scores": {"answerable": ok}})
    path = tmp_path / "results.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows), "utf-8")
    x, y, groups = fit.rows(path)
    p = fit.out_of_fold(x, y, fit.folds(groups, y), 0.1)
    t, refused_un, over, _ = fit.threshold(p, y, 0.03)
    assert over <= 0.03 and refused_un > 0.8 and 0 < t < 1


def test_under_another_embedder_its_cosines_are_not_held_against_the_question() -> None:
    worded = Signals(dense=0.55, cover=0.35, lang="en")  # a small English model's cosines run far lower
    other = "sentence-transformers:all-MiniLM-L6-v2"
    assert answerable(worded, MODEL_FITTED, MODEL_FITTED.embedder) < 0.5
    assert answerable(worded, MODEL_FITTED, other) >= 0.5
    assert answerable(Signals(0.55, 0.35, "en", missing_year=1), MODEL_FITTED, other) < 0.5
