"""The backends, registered by name: embedders and search stores (the index floor's), answer generators and
condensers (this floor's). Settings name them (`INTEGRITY_EMBEDDER`, `INTEGRITY_STORE`,
`INTEGRITY_GENERATOR`); a backend with heavy imports is imported only when chosen."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from assistant.answer import Extractive
from assistant.condense import RuleCondenser
from assistant.generate import AnswerGenerator, Condenser
from assistant.settings import Settings
from index.embed import E5Embedder, Embedder, SentenceTransformerEmbedder
from index.errors import InputError
from index.retrieve import Retriever
from index.search import Backend, FaissBM25
from index.settings import IndexSettings
from index.store import Store

T = TypeVar("T")
GeneratorFactory = Callable[[Settings, Retriever, dict[str, float]], AnswerGenerator]


def _openai(settings: Settings, retriever: Retriever, idf: dict[str, float]) -> AnswerGenerator:
    from assistant.generate_openai import OpenAIGenerator  # the openai client loads only when chosen

    return OpenAIGenerator(settings, retriever, idf)


def _model_condenser(settings: Settings) -> Condenser:
    from assistant.generate_openai import ModelCondenser

    return ModelCondenser(settings)


def _local(settings: Settings, retriever: Retriever, idf: dict[str, float]) -> AnswerGenerator:
    from assistant.generate_local import local_generator  # xllamacpp loads only when chosen

    return local_generator(settings, retriever, idf)


def _local_condenser(settings: Settings) -> Condenser:
    from assistant.generate_local import local_condenser

    return local_condenser(settings)


EMBEDDERS: dict[str, Callable[[IndexSettings], Embedder]] = {
    "e5": E5Embedder,
    "sentence-transformers": SentenceTransformerEmbedder,
}
STORES: dict[str, Callable[[Store], Backend]] = {"faiss": FaissBM25}
GENERATORS: dict[str, GeneratorFactory] = {"extractive": Extractive, "openai": _openai, "local": _local}
# how a generator's follow-ups are made standalone; generators not named here use the rules
CONDENSERS: dict[str, Callable[[Settings], Condenser]] = {"openai": _model_condenser, "local": _local_condenser}


def pick(table: dict[str, T], name: str, what: str) -> T:
    try:
        return table[name]
    except KeyError:
        raise InputError(f"unknown {what} '{name}'; choose one of {', '.join(table)}.") from None


def make_embedder(settings: IndexSettings) -> Embedder:
    return pick(EMBEDDERS, settings.embedder, "embedder")(settings)


def make_backend(settings: IndexSettings, store: Store) -> Backend:
    return pick(STORES, settings.store, "store")(store)


def make_generator(settings: Settings, retriever: Retriever, idf: dict[str, float]) -> AnswerGenerator:
    return pick(GENERATORS, settings.answer.generator, "generator")(settings, retriever, idf)


def make_condenser(settings: Settings) -> Condenser:
    factory = CONDENSERS.get(settings.answer.generator)
    return factory(settings) if factory is not None else RuleCondenser()
