"""Configuration presets are files: each bundled one loads; a broken one is one error naming file and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.settings import Settings
from eval import presets
from index.errors import InputError


def test_every_bundled_preset_loads_and_the_four_are_there() -> None:
    names = presets.available()
    assert {"bm25", "dense", "hybrid", "llamaindex", "openai"} <= set(names)
    loaded = {n: presets.load(n) for n in names}
    assert loaded["bm25"].mode == "lexical" and loaded["dense"].mode == "dense"
    assert loaded["hybrid"].overrides == {} and loaded["hybrid"].default
    assert loaded["llamaindex"].pipeline == "llamaindex"
    assert loaded["openai"].overrides == {"generator": "openai"}
    for p in loaded.values():
        assert p.description and p.settings(Settings())  # every override is a valid Settings value


def test_load_many_and_the_primary_configuration() -> None:
    ps = presets.load_many("bm25, dense,hybrid")
    assert [p.name for p in ps] == ["bm25", "dense", "hybrid"] and presets.primary(ps).name == "hybrid"
    assert presets.primary(presets.load_many("dense,bm25")).name == "dense"  # none marked: the first
    assert [p.name for p in presets.load_many(None, "lexical")] == ["bm25"]  # --mode without --configs
    assert [p.name for p in presets.load_many(None)] == ["hybrid"]


def test_overrides_reach_the_settings_and_mark_index_changes() -> None:
    p = presets.parse(Path("x.toml"), {"settings": {"refusal_threshold": 0.3, "max_chunk_chars": 200}})
    s = p.settings(Settings())
    assert s.answer.refusal_threshold == 0.3 and s.index.max_chunk_chars == 200 and p.needs_own_index
    assert (
        not presets.load("rrf").needs_own_index and presets.load("rrf").settings(Settings()).retrieval.fusion == "rrf"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('pipeline = "haystack"', "'pipeline' is 'haystack'"),
        ('mode = "sparse"', "'mode' is 'sparse'"),
        ('retrieval = "dense"', "unknown key 'retrieval'"),
        ("[settings]\nrefusal_treshold = 0.3", "'refusal_treshold' is not a Settings field"),
        ('[settings]\ntop_k = "many"', "setting 'top_k'"),
        ("mode = ", "not valid TOML"),
    ],
)
def test_a_broken_preset_names_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    f = tmp_path / "broken.toml"
    f.write_text(text, "utf-8")
    with pytest.raises(InputError, match=r"broken\.toml") as e:
        presets.load(str(f)).settings(Settings())
    assert message in str(e.value) and "\n" not in str(e.value)


def test_unknown_and_repeated_names() -> None:
    with pytest.raises(InputError, match=r"no configuration 'bm52'; choose from .*bm25"):
        presets.load_many("bm52")
    with pytest.raises(InputError, match="named twice"):
        presets.load_many("bm25,bm25")
    with pytest.raises(InputError, match="--configs is empty"):
        presets.load_many(" , ")
    with pytest.raises(InputError, match="--mode is 'fuzzy'"):
        presets.load_many(None, "fuzzy")
