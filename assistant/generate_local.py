"""The `local` generator: a GGUF model run in this process by llama.cpp (xllamacpp, the `local` extra).

It is the `openai` generator reaching another server: the same prompts, the same streaming client, the same
citation checks and fallbacks; only the endpoint differs, the loopback server assistant/local_server.py starts
once per process for the configured model (`INTEGRITY_LOCAL_MODEL`; unset, the small test model of
`integrity local-model path`), with its threads and context size from the settings.
"""

from __future__ import annotations

from assistant import llm, local_server
from assistant.generate_openai import ModelCondenser, OpenAIGenerator
from assistant.settings import Settings
from index.retrieve import Retriever


def local_link(settings: Settings) -> llm.Link:
    """A client of this process's llama.cpp server, started on first use (seconds; minutes under load)."""
    return llm.Link(settings, local_server.serve(settings))


def local_generator(settings: Settings, retriever: Retriever, idf: dict[str, float]) -> OpenAIGenerator:
    return OpenAIGenerator(settings, retriever, idf, local_link(settings), name="local")


def local_condenser(settings: Settings) -> ModelCondenser:
    return ModelCondenser(settings, local_link(settings))
