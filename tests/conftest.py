"""Shared fixtures: the bundled corpus embedded once per session into a real FAISS index; the scripted LLM server;
the real llama.cpp server with the small model, started once per session; headless Chromium for the browser tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from fake_openai import FakeOpenAI, Reply, openai_settings, script

from assistant.pipeline import Assistant, ingest
from assistant.settings import PACKAGE_ROOT, Settings
from index.embed import E5Embedder
from index.store import Store
from ui.bench_serve import CHROMIUM, CHROMIUM_ARGS

CORPUS = PACKAGE_ROOT / "corpus"


@pytest.fixture(autouse=True)
def _no_integrity_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see only the settings they make: no INTEGRITY_* variable of the caller's shell leaks in."""
    for name in [n for n in os.environ if n.startswith("INTEGRITY_")]:
        monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return Settings.of(data_dir=data_dir, corpus_dir=CORPUS)


@pytest.fixture(scope="session")
def embedder(settings: Settings) -> E5Embedder:
    return E5Embedder(settings.index)


@pytest.fixture(scope="session")
def store(settings: Settings, embedder: E5Embedder) -> Store:
    """The bundled corpus, embedded once for the whole session (about a minute on 2 cores)."""
    built, _ = ingest([CORPUS], settings.index, embedder)
    return built


@pytest.fixture(scope="session")
def assistant(settings: Settings, store: Store, embedder: E5Embedder) -> Assistant:
    return Assistant(settings, store, embedder)


# -- the `openai` generator's tests: one scripted OpenAI-compatible server on loopback per module ----------
@pytest.fixture(scope="module")
def llm_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as srv:
        yield srv


@pytest.fixture
def fake(llm_server: FakeOpenAI) -> FakeOpenAI:
    """The server with its record cleared and a default script of HTTP 500 (each test scripts its own)."""
    llm_server.requests.clear()
    llm_server.auth.clear()
    llm_server.handler = script(Reply(status=500))
    return llm_server


@pytest.fixture(scope="module")
def gen(llm_server: FakeOpenAI, settings: Settings, store: Store, embedder: E5Embedder) -> Assistant:
    """The assistant with the `openai` generator pointed at the scripted server."""
    return Assistant(openai_settings(settings, llm_server.base_url), store, embedder)


# -- the `local` generator's tests: the real llama.cpp server (xllamacpp) with the small model, once per session ---
# Short prompts (the three best paragraphs, at most 120 new tokens) keep a real answer to a minute or two on 2 cores.
LOCAL = {
    "generator": "local",
    "openai_context": 3,
    "openai_max_tokens": 120,
    "local_context": 2048,
    "local_threads": 2,
    "local_timeout": 900.0,  # a loaded 2-core machine: the first piece of a fresh prompt can take minutes
}


@pytest.fixture(scope="session")
def local_settings(settings: Settings) -> Settings:
    pytest.importorskip("xllamacpp", reason="the local extra is not installed: pip install -e '.[test]'")
    return settings.replace(**LOCAL)


@pytest.fixture(scope="session")
def local_assistant(local_settings: Settings, store: Store, embedder: E5Embedder) -> Iterator[Assistant]:
    """The assistant with the `local` generator: the small model assembled from the installed parts into the
    session's data folder (`integrity local-model path`), served in process on loopback."""
    from assistant import local_model, local_server

    a = Assistant(local_settings, store, embedder)
    yield a
    local_server.stop_all()
    (local_settings.index.data_dir / "models" / local_model.NAME).unlink(missing_ok=True)  # 1.1 GB


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: apt-get install -y chromium fonts-noto-cjk (scripts/test.sh does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
