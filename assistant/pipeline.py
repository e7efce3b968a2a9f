"""The assistant: a question and a conversation in, a cited `Answer` out. The CLI, UI and eval call this.

prepare the `Query` once (assistant/query.py) → retrieve (index/retrieve.py) → decide refusal in code
(assistant/evidence.py, assistant/mentions.py) → the generator writes and cites (assistant/answer.py, or a model
through assistant/generate_openai.py) → `Answer`. One path, streamed: `ask` is `ask_stream` run to its end; a
model generator's readers get the extractive answer first (`preview=True`), the model's when it is verified.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Collection, Generator, Iterable
from pathlib import Path
from typing import Protocol

from assistant.condense import follow_on, own_words
from assistant.evidence import asking, coverage, idf_table, missing_answer_type, out_of_scope
from assistant.generate import Draft, Previewing
from assistant.language import detect
from assistant.mentions import missing_organisations, missing_years
from assistant.query import prepare, query_for
from assistant.refusal import MODEL_FITTED, Signals, answerable, covered
from assistant.registry import make_backend, make_condenser, make_embedder, make_generator, make_writer
from assistant.render import refusal
from assistant.settings import Settings
from assistant.types import Answer, Preview
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

    def follow_on(self, hits: list[Hit], earlier: str, docs: Collection[str] | None, mode: Mode) -> list[Hit]:
        """A follow-up's hits ranked again towards the paragraphs the earlier turn found (assistant/condense.py)."""
        r = self.settings.retrieval
        before = self.searcher.search(query_for(earlier, detect(own_words(earlier)), self.settings), 3, docs, mode)
        return follow_on(hits, before, r.followup_boost, r.followup_window)

    def missing(self, q: Query, hits: list[Hit]) -> dict[str, list[str]]:
        """What the question names or asks for that its best passages lack (a year, UNDP, a sum of money)."""
        return {
            # a question asking whether something holds ("…是2019年启动的吧？") takes its year for granted: a year
            # the passages lack is the premise the answer corrects (assistant/compose.py), not a reason to refuse
            "year": [] if q.premise else missing_years(q, hits, self.retriever.periods),
            "type": missing_answer_type(asking(q), hits[:3]),
            # another body's figure is answered only by a best passage that names it: UNDP listed in the third
            # passage does not make the first one's 1 681 requests UNDP's
            "organisation": missing_organisations(q, hits[:1]),
        }

    def unmet(self, q: Query, hits: list[Hit], draft: Draft) -> list[str]:
        """The organisations the question names that the paragraph of the statement that answers (the first)
        does not: a best passage may name the World Bank while the sentence quoted gives the Secretariat's
        figure."""
        if not q.names or draft.declined or not draft.sentences or not draft.sentences[0].citations:
            return []
        lead = next((h for h in hits if h.key == draft.sentences[0].citations[0].key), None)
        return missing_organisations(q, [lead]) if lead is not None else []

    def signals(self, q: Query, hits: list[Hit], missing: dict[str, list[str]]) -> Signals:
        """The plain signals the refusal decision weighs (assistant/refusal.py)."""
        top_tokens = [set(tokenize(h.paragraph.searchable())) for h in hits[:3]]
        cover = coverage(list(q.tokens), top_tokens, self.idf)
        dense_top = max((h.dense for h in hits[:3] if h.dense is not None), default=None)
        return Signals(
            dense_top, cover, q.lang, len(missing["type"]), len(missing["year"]),
            len(missing["organisation"]), out_of_scope(q.own_text), q.own_text != q.text,
        )  # fmt: skip

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
        preview: bool = False,
    ) -> Generator[str | Preview | Answer, None, None]:
        """Yields the answer text as it grows (a model's reply as it comes), then the final `Answer`, whose
        text is the checked one. With `preview`, a model generator's quick extractive answer comes first, as
        a `Preview` (the reader has something to read while the model writes)."""
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        q, notes = prepare(question, list(history or []), docs, self.settings, self.condenser)
        timings["prepare"] = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        hits = self.searcher.search(q, self.settings.retrieval.top_k, docs, mode=mode)
        if history and q.own_text != q.text and hits and self.settings.retrieval.followup_boost:
            hits = self.follow_on(hits, history[-1], docs, mode)
        timings["retrieve"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        lacks = self.missing(q, hits) if hits else {}
        missing = [m for ms in lacks.values() for m in ms]
        signals = self.signals(q, hits, lacks) if hits else None
        score = answerable(signals, MODEL_FITTED, self.embedder.name) if signals else 0.0
        notes = [f"evidence={score:.3f}", *(f"missing={m}" for m in missing), *notes]
        weighed = [signals.note()] if signals else []  # the refusal model's signals, last
        draft = Draft([], "", declined=True, generator=self.generator.name)
        shown, previewed = "", False
        if score >= self.settings.answer.refusal_threshold:
            if preview and isinstance(self.generator, Previewing):
                quick = self.generator.preview(q, hits)
                timings["preview"] = (time.perf_counter() - t2) * 1000
                early = self.answer(
                    q, hits, quick, missing, [*notes, "preview: the model's answer follows", *weighed], timings
                )
                yield Preview(early)
                previewed = True
            stream = self.generator.generate(q, hits)
            while True:
                try:
                    shown += next(stream)
                except StopIteration as done:
                    draft = done.value
                    break
                yield shown
        unmet = self.unmet(q, hits, draft)
        if unmet:  # the statement that answers is about another body than the one asked
            draft = Draft([], "", declined=True, generator=draft.generator)
            missing, notes = [*missing, *unmet], [*notes, *(f"lead lacks={m}" for m in unmet)]
        timings["answer"] = (time.perf_counter() - t2) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        final = self.answer(q, hits, draft, missing, [*notes, *draft.notes, *weighed], timings)
        if not shown and not previewed:  # after a preview, text is only the model's: its fallback is the Answer
            yield final.text
        yield final

    def answer(
        self, q: Query, hits: list[Hit], draft: Draft, missing: list[str], notes: list[str], timings: dict[str, float]
    ) -> Answer:
        """The `Answer` for a draft: a refusal when it declined or cites nothing."""
        refused = draft.declined or not draft.sentences
        text = draft.text or refusal(q.lang, hits, missing) + covered(q.lang, hits, self.store.documents)
        known = self.store.documents
        origins = {h.paragraph.doc_id: known[h.paragraph.doc_id].origin for h in hits if h.paragraph.doc_id in known}
        return Answer(q.asked, q.lang, text, draft.sentences, refused, hits, q.text, dict(timings), notes,
                      draft.generator or self.generator.name, origins)  # fmt: skip
