"""The assistant: a question and a conversation in, a cited `Answer` out. The CLI, UI and eval call this."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection, Iterator

from assistant.answer import GENERATORS, render
from assistant.condense import condense, strip_instructions
from assistant.errors import InputError
from assistant.evidence import (
    coverage,
    evidence_score,
    idf_table,
    missing_answer_type,
    out_of_scope,
)
from assistant.language import detect, to_simplified
from assistant.limits import check_docs, check_history, check_query, check_question
from assistant.mentions import missing_organisations, missing_years
from assistant.settings import Settings
from assistant.types import Answer, Hit
from index.embed import Embedder, make_embedder
from index.lexical import tokenize
from index.retrieve import Retriever
from index.store import Store
from index.update import ingest, load_store

__all__ = ["Assistant", "ingest", "load_store"]  # ingest and load_store live in index.update (writes, locks)


class Assistant:
    def __init__(self, settings: Settings, store: Store, embedder: Embedder) -> None:
        self.settings, self.store, self.embedder = settings, store, embedder
        self.retriever = Retriever(store, embedder, settings)
        df: Counter[str] = Counter()
        for toks in store.unit_tokens:
            df.update(set(toks))
        self.idf = idf_table(dict(df), max(1, len(store.units)))
        try:
            self.generator = GENERATORS[settings.generator](settings, self.idf)
        except KeyError:
            choices = ", ".join(GENERATORS)
            raise InputError(f"unknown generator '{settings.generator}'; choose one of {choices}.") from None
        bind = getattr(self.generator, "bind", None)  # generators that score or verify with the index
        if bind is not None:
            bind(self.retriever)

    @classmethod
    def load(cls, settings: Settings, auto_build: bool = True) -> Assistant:
        embedder = make_embedder(settings)
        return cls(settings, load_store(settings, embedder, auto_build), embedder)

    def check_question(self, question: str) -> str:
        """The question stripped; InputError when it is empty, too long or not text (see assistant/limits)."""
        return check_question(question, self.settings)

    def missing(self, query: str, hits: list[Hit]) -> list[str]:
        """What the question names or asks for that its best passages lack (a year, UNDP, a sum of money)."""
        return [
            *missing_years(query, hits, self.retriever.periods),
            *missing_answer_type(query, hits[:3]),
            *missing_organisations(query, hits[:3]),
        ]

    def evidence(self, query: str, hits: list[Hit], missing: list[str]) -> float:
        toks = tokenize(query)
        top_tokens = [set(tokenize(h.paragraph.searchable())) for h in hits[:3]]
        lang = detect(query)
        q = self.retriever.prepare(query, lang)
        cover = coverage(q.tokens if lang == "en" else toks, top_tokens, self.idf)
        dense_top = max((h.dense for h in hits[:3] if h.dense is not None), default=None)
        return evidence_score(dense_top, cover, len(missing), not out_of_scope(query), lang)

    def ask(
        self,
        question: str,
        history: list[str] | None = None,
        docs: Collection[str] | None = None,
        mode: str = "hybrid",
        on_text: Callable[[str], None] | None = None,
    ) -> Answer:
        """Answer `question`; `history` holds the earlier turns' standalone queries (see `Answer.query`).

        `on_text` receives the growing generated text (generators that stream: openai)."""
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        question = self.check_question(question)
        history = list(history or [])
        check_history(history, self.settings)
        check_docs(docs, self.settings)
        lang = detect(question)
        cleaned = to_simplified(strip_instructions(question))
        query, gen_notes = self.condense(cleaned, history, lang)
        check_query(query, self.settings)
        timings["prepare"] = (time.perf_counter() - t0) * 1000
        t1 = time.perf_counter()
        hits = self.retriever.search(query, lang, self.settings.top_k, docs, mode=mode)
        timings["retrieve"] = (time.perf_counter() - t1) * 1000
        t2 = time.perf_counter()
        missing = self.missing(query, hits) if hits else []
        score = self.evidence(query, hits, missing) if hits else 0.0
        refused = score < self.settings.refusal_threshold
        q = self.retriever.prepare(query, lang)
        produce = getattr(self.generator, "produce", None)  # issue 6: generators with notes (openai)
        if produce is not None and not refused:
            gen = produce(query, q.tokens, lang, hits, on_text)
            sents, text, name = gen.sentences, gen.text, gen.generator
            refused, gen_notes = gen.declined or not sents, [*gen_notes, *gen.notes]
        else:  # the extractive path, and every refusal decided here
            sents = [] if refused else self.generator.generate(query, q.tokens, lang, hits)
            refused = refused or not sents
            text, name = render(lang, sents, refused, hits, missing), self.generator.name
        timings["answer"] = (time.perf_counter() - t2) * 1000
        timings["total"] = (time.perf_counter() - t0) * 1000
        notes = [f"evidence={score:.3f}", *(f"missing={m}" for m in missing), *gen_notes]
        docs = self.store.documents
        origins = {h.paragraph.doc_id: docs[h.paragraph.doc_id].origin for h in hits if h.paragraph.doc_id in docs}
        return Answer(question, lang, text, sents, refused, hits, query, timings, notes, name, origins)

    def condense(self, question: str, history: list[str], lang: str) -> tuple[str, list[str]]:
        """issue 6: the standalone query, by the generator's model when it has one (it notes how), else rules."""
        by_model = getattr(self.generator, "condense", None)
        if by_model is not None and history:
            query, note = by_model(question, history, lang)
            return query, [note]
        return condense(question, history, lang), []

    def ask_stream(
        self,
        question: str,
        history: list[str] | None = None,
        docs: Collection[str] | None = None,
    ) -> Iterator[str | Answer]:
        """Yields the answer text in growing pieces (one per cited sentence), then the final `Answer`."""
        if getattr(self.generator, "produce", None) is not None:  # issue 6: the model's text as it comes
            from assistant.generate_openai import stream_answer

            yield from stream_answer(self, question, history, docs)
            return
        answer = self.ask(question, history, docs)
        if answer.refused or not answer.sentences:
            yield answer.text
        else:
            shown = ""
            for part in answer.text.split("[")[:-1]:
                shown += part + "["
                yield shown.rsplit("[", 1)[0]
        yield answer
