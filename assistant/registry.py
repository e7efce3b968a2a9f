"""The backends, registered by name: embedders and stores (the index floor's), answer generators and
condensers (this floor's). Settings name them (`INTEGRITY_EMBEDDER`, `INTEGRITY_STORE`,
`INTEGRITY_GENERATOR`); a backend with heavy imports is imported only when chosen.

A store is two halves registered under one name: its search backend (STORES: `search`, index/search.py) and
its writer (WRITERS: load and save, index/writer.py, which says why they are two)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from assistant.answer import Extractive
from assistant.condense import RuleCondenser
from assistant.generate import AnswerGenerator, Condenser
from assistant.settings import Settings
from index.build import index_folder
from index.embed import E5Embedder, Embedder, SentenceTransformerEmbedder
from index.errors import InputError
from index.retrieve import Retriever
from index.search import Backend, FaissBM25
from index.settings import IndexSettings
from index.store import Store
from index.writer import FileWriter, StoreWriter

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


def _milvus_search(settings: IndexSettings, store: Store) -> Backend:
    from index.milvus.search import MilvusSearch  # pymilvus loads only when chosen

    return MilvusSearch(settings, store)


def _milvus_writer(settings: IndexSettings, embedder: Embedder) -> StoreWriter:
    from index.milvus.writer import MilvusWriter

    return MilvusWriter(settings, embedder)


def _file_writer(settings: IndexSettings, embedder: Embedder) -> StoreWriter:
    return FileWriter(index_folder(settings, embedder.name), embedder.name)


EMBEDDERS: dict[str, Callable[[IndexSettings], Embedder]] = {
    "e5": E5Embedder,
    "sentence-transformers": SentenceTransformerEmbedder,
}
STORES: dict[str, Callable[[IndexSettings, Store], Backend]] = {"faiss": FaissBM25, "milvus": _milvus_search}
WRITERS: dict[str, Callable[[IndexSettings, Embedder], StoreWriter]] = {"faiss": _file_writer, "milvus": _milvus_writer}
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
    return pick(STORES, settings.store, "store")(settings, store)


def make_writer(settings: IndexSettings, embedder: Embedder) -> StoreWriter:
    return pick(WRITERS, settings.store, "store")(settings, embedder)


def make_generator(settings: Settings, retriever: Retriever, idf: dict[str, float]) -> AnswerGenerator:
    return pick(GENERATORS, settings.answer.generator, "generator")(settings, retriever, idf)


def make_condenser(settings: Settings) -> Condenser:
    factory = CONDENSERS.get(settings.answer.generator)
    return factory(settings) if factory is not None else RuleCondenser()
