"""The assistant: a question and a conversation in, a cited `Answer` out. The CLI, UI and eval call this.

prepare the `Query` once (assistant/query.py) → retrieve (index/retrieve.py) → decide refusal in code
(assistant/evidence.py, assistant/mentions.py) → the generator writes and cites (assistant/answer.py, or a model
through assistant/generate_openai.py) → `Answer`. One path, streamed: `ask` is `ask_stream` run to its end.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from pathlib import Path
from typing import Protocol

from assistant.evidence import coverage, evidence_score, idf_table, missing_answer_type, out_of_scope
from assistant.generate import Draft
from assistant.mentions import missing_organisations, missing_years
from assistant.query import prepare
from assistant.registry import make_backend, make_condenser, make_embedder, make_generator, make_writer
from assistant.render import refusal
from assistant.settings import Settings
from assistant.types import Answer
from index import update
from index.build import BuildReport, Progress
from index.embed import Embedder
from index.lexical import tokenize
from index.retrieve import Mode, Retriever
from index.settings import IndexSettings
from index.store import Store
from index.types import Hit, Query

__all__ = ["Assistant", "Searcher", "forget", "ingest", "load_store"]


def ingest(
    paths: Iterable[Path],
    settings: IndexSettings,
    embedder: Embedder,
    remove: Iterable[str] = (),
    rebuild: bool = False,
    progress: Progress | None = None,
    replace: bool = False,
) -> tuple[Store, BuildReport]:
    """`index.update.ingest` into the configured store (INTEGRITY_STORE names its writer)."""
    writer = make_writer(settings, embedder)
    return update.ingest(paths, settings, embedder, writer, remove, rebuild, progress, replace)


def load_store(settings: IndexSettings, embedder: Embedder, auto_build: bool = False) -> Store:
    """`index.update.load_store` from the configured store."""
    return update.load_store(settings, embedder, make_writer(settings, embedder), auto_build)


def forget(settings: IndexSettings, embedder: Embedder, name: str) -> tuple[list[str], int]:
    """`index.update.forget` in the configured store: a document off the list of a store that does not load."""
    return update.forget(make_writer(settings, embedder), name)


class Searcher(Protocol):
    """What gives a query its hits: the assistant's own retriever, or an outside one (eval/baseline.py)."""

    def search(
        self, q: Query, k: int | None = None, docs: Collection[str] | None = None, mode: Mode = "hybrid"
    ) -> list[Hit]: ...


class Assistant:
    def __init__(self, settings: Settings, store: Store, embedder: Embedder, searcher: Searcher | None = None) -> None:
        self.settings, self.store, self.embedder = settings, store, embedder
        self.retriever = Retriever(store, make_backend(settings.index, store), embedder, settings.retrieval)
        self.searcher = searcher or self.retriever
        df: Counter[str] = Counter()
        for toks in store.unit_tokens:
            df.update(set(toks))
        self.idf = idf_table(dict(df), max(1, len(store.units)))
        self.generator = make_generator(settings, self.retriever, self.idf)
        self.condenser = make_condenser(settings)

    @classmethod
    def load(cls, settings: Settings, auto_build: bool = True) -> Assistant:
        embedder = make_embedder(settings.index)
        return cls(settings, load_store(settings.index, embedder, auto_build), embedder)

    def missing(self, q: Query, hits: list[Hit]) -> list[str]:
        """What the question names or asks for that its best passages lack (a year, UNDP, a sum of money)."""
        return [
            *missing_years(q, hits, self.retriever.periods),
            *missing_answer_type(q.text, hits[:3]),
            *missing_organisations(q, hits[:3]),
        ]

    def evidence(self, q: Query, hits: list[Hit], missing: list[str]) -> float:
        top_tokens = [set(tokenize(h.paragraph.searchable())) for h in hits[:3]]
        cover = coverage(list(q.searched_tokens), top_tokens, self.idf)
        dense_top = max((h.dense for h in hits[:3] if h.dense is not None), default=None)
        return evidence_score(dense_top, cover, len(missing), not out_of_scope(q.text), q.searched_lang)

    def ask(
        self,
        question: str,
        history: list[str] | None = None,
        docs: Collection[str] | None = None,
        mode: Mode = "hybrid",
    ) -> Answer:
        """Answer `question`; `history` holds the earlier turns' standalone queries (see `Answer.query`)."""
        for part in self.ask_stream(question, history, docs, mode):
            if isinstance(part, Answer):
                return part
        raise AssertionError("ask_stream ends with the Answer")

    def ask_stream(
        self,
        question: str,
        history: list[str] | None = None,
        docs: Collection[str] | None = None,
        mode: Mode = "hybrid",
    ) -> Iterator[str | Answer]:
        """Yields the answer text as it grows (a model's reply as it comes), then the final `Answer`, whose
        text is the checked one."""
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        q, notes = prepare(question, list(history or []), docs, self.settings, self.condenser)
        timings["prepare"] = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        hits = self.searcher.search(q, self.settings.retrieval.top_k, docs, mode=mode)
        timings["retrieve"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        missing = self.missing(q, hits) if hits else []
        score = self.evidence(q, hits, missing) if hits else 0.0
        draft = Draft([], "", declined=True, generator=self.generator.name)
        shown = ""
        if score >= self.settings.answer.refusal_threshold:
            stream = self.generator.generate(q, hits)
            while True:
                try:
                    shown += next(stream)
                except StopIteration as done:
                    draft = done.value
                    break
                yield shown
        refused = draft.declined or not draft.sentences
        text = draft.text or refusal(q.lang, hits, missing)
        timings["answer"] = (time.perf_counter() - t2) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        notes = [f"evidence={score:.3f}", *(f"missing={m}" for m in missing), *notes, *draft.notes]
        known = self.store.documents
        origins = {h.paragraph.doc_id: known[h.paragraph.doc_id].origin for h in hits if h.paragraph.doc_id in known}
        if not shown:
            yield text
        yield Answer(q.asked, q.lang, text, draft.sentences, refused, hits, q.text, timings, notes,
                     draft.generator or self.generator.name, origins)  # fmt: skip
