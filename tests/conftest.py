"""Shared fixtures: the bundled corpus embedded once per session into a real FAISS index."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from assistant.pipeline import Assistant, ingest
from assistant.settings import PACKAGE_ROOT, Settings
from index.embed import E5Embedder
from index.store import Store

CORPUS = PACKAGE_ROOT / "corpus"


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, corpus_dir=CORPUS)


@pytest.fixture(scope="session")
def embedder(settings: Settings) -> E5Embedder:
    return E5Embedder(settings)


@pytest.fixture(scope="session")
def store(settings: Settings, embedder: E5Embedder) -> Store:
    """The bundled corpus, embedded once for the whole session (about a minute on 2 cores)."""
    built, _ = ingest([CORPUS], settings, embedder)
    return built


@pytest.fixture(scope="session")
def assistant(settings: Settings, store: Store, embedder: E5Embedder) -> Assistant:
    return Assistant(settings, store, embedder)
