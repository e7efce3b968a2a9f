"""The `openai` answer generator: fluent answers from an OpenAI-compatible server, every citation verified.

Called only after the evidence check has decided there is something to answer (no evidence, no call).
The model gets the retrieved paragraphs as data with their keys (`assistant.llm`); its answer is cut
into sentences and each cited key checked against its paragraph (`assistant.verify`): invented keys
are removed, citations that do not support their sentence are removed, and a sentence left with no
support is dropped or marked unverified (`INTEGRITY_OPENAI_UNSUPPORTED`). The model may decline
(`NO_ANSWER`): that is a refusal. A time-out, refused connection, HTTP error, malformed reply, an answer
in the wrong language or one with no supported sentence falls back to the extractive answer with a
visible note; never to another model or host.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from assistant import llm, verify
from assistant.answer import Extractive, render
from assistant.condense import condense, strip_instructions
from assistant.language import to_simplified
from assistant.settings import Settings
from assistant.types import Answer, Citation, Hit, Paragraph, Sentence
from index.chunk import sentences

if TYPE_CHECKING:
    from assistant.pipeline import Assistant
    from index.embed import Embedder
    from index.retrieve import Retriever
    from index.store import Store

NOTICE = {
    "zh": "⚠ 语言模型未能作答（{reason}），以下为文件原文摘录。",
    "en": "⚠ The language model could not be used ({reason}); these are quoted sentences from the documents instead.",
}
UNVERIFIED = {"zh": "⚠ 未经核实：", "en": "⚠ Unverified: "}
DROPPED = {
    "zh": "（已删除 {n} 句所引段落无法证实的内容。）",
    "en": "({n} sentence(s) that the cited paragraphs did not support were removed.)",
}
LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


@dataclass
class Generation:
    """What the generator produced for one question, with what the pipeline should tell the user."""

    sentences: list[Sentence]
    text: str
    notes: list[str] = field(default_factory=list)
    declined: bool = False
    generator: str = "openai"


def short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def render_generated(lang: str, sents: list[Sentence], dropped: int) -> str:
    """The model's verified sentences with numbered citation markers (numbered as `render` does)."""
    keys: list[str] = []

    def mark(key: str) -> str:
        keys.append(key) if key not in keys else None
        return f"[{keys.index(key) + 1}]"

    zh = lang == "zh"
    parts = []
    for s in sents:
        text = s.text if s.supported else UNVERIFIED["zh" if zh else "en"] + s.text
        cites = "".join(mark(c.key) for c in s.citations)
        parts.append(text + cites if zh else f"{text} {cites}".strip())
    body = ("" if zh else " ").join(parts)
    return body + ("\n" + DROPPED["zh" if zh else "en"].format(n=dropped) if dropped else "")


class OpenAIGenerator:
    name = "openai"

    def __init__(self, settings: Settings, idf: dict[str, float]) -> None:
        self.settings = settings
        self.client = llm.make_client(settings)
        self.fallback = Extractive(settings, idf)
        self.thresholds = verify.thresholds(settings)
        self.embedder: Embedder | None = None
        self.store: Store | None = None
        self.rows: dict[str, list[int]] = {}  # paragraph id -> rows of its pieces in store.vectors

    def bind(self, retriever: Retriever) -> None:
        """The assistant's retriever: verification reuses the indexed paragraph vectors."""
        self.fallback.bind(retriever)
        self.embedder, self.store = retriever.embedder, retriever.store
        ids = [u.id for u in retriever.store.units]
        self.rows = {}
        for row, unit in enumerate(retriever.store.piece_unit):
            self.rows.setdefault(ids[unit], []).append(row)

    # -- the generator interface ------------------------------------------------------------
    def generate(self, question: str, query_tokens: list[str], lang: str, hits: list[Hit]) -> list[Sentence]:
        return self.produce(question, query_tokens, lang, hits).sentences

    def produce(
        self,
        question: str,
        query_tokens: list[str],
        lang: str,
        hits: list[Hit],
        on_text: Callable[[str], None] | None = None,
    ) -> Generation:
        """Ask the model (streaming when `on_text` is given: it gets the growing reply), then verify."""
        context = hits[: self.settings.openai_context]
        messages = llm.answer_messages(question, lang, context, self.settings)
        try:
            if on_text is None:
                reply = llm.complete(self.client, self.settings, messages)
            else:
                reply = ""
                for piece in llm.stream(self.client, self.settings, messages):
                    reply += piece
                    on_text(reply)
        except llm.LLMError as e:
            return self.fall_back(question, query_tokens, lang, hits, str(e))
        return self.check(reply, question, query_tokens, lang, hits)

    def condense(self, question: str, history: list[str], lang: str) -> tuple[str, str]:
        """The standalone query, written by the model; the rule-based one when it fails. Plus a note."""
        rules = condense(question, history, lang)
        if not self.settings.openai_condense or not history:
            return rules, "condensed by rules"
        try:
            reply = llm.complete(self.client, self.settings, llm.condense_messages(question, history))
        except llm.LLMError as e:
            return rules, f"condense: the model failed ({e}); rules used"
        line = next((x.strip() for x in reply.splitlines() if x.strip()), "")
        line = re.sub(r"^(?:standalone question|rewritten question|question|问题)\s*[:：]\s*", "", line, flags=re.I)
        line = line.strip(" \"'“”「」")
        if not line or "<" in line or len(line) > max(300, 3 * (len(question) + len(history[-1]))):
            return rules, "condense: the model's reply was unusable; rules used"
        return strip_instructions(to_simplified(line)), "condensed by the model"

    # -- verification -------------------------------------------------------------------------
    def check(self, reply: str, question: str, query_tokens: list[str], lang: str, hits: list[Hit]) -> Generation:
        context = hits[: self.settings.openai_context]
        found = verify.claims(reply, [h.key for h in context])
        if verify.declined(reply, found):
            note = "declined: the model said the documents do not answer"
            return Generation([], render(lang, [], True, hits), [note], declined=True)
        if not verify.language_ok(reply, lang):
            want = LANGUAGE_NAMES.get(lang, lang)
            return self.fall_back(question, query_tokens, lang, hits, f"it did not answer in {want}")
        sents, notes, dropped = self.verify_claims(found, {h.key: h.paragraph for h in context}, query_tokens)
        if not any(s.supported for s in sents):
            return self.fall_back(
                question,
                query_tokens,
                lang,
                hits,
                "none of its sentences was supported by the paragraphs it cited",
                notes,
            )
        kept = sum(s.supported for s in sents)
        notes.insert(
            0,
            f"verified: {kept} of {len(found)} sentences supported by their citations"
            f"; policy for the rest: {self.settings.openai_unsupported}",
        )
        return Generation(sents, render_generated(lang, sents, dropped), notes)

    def verify_claims(
        self,
        found: list[verify.Claim],
        by_key: dict[str, Paragraph],
        hint: Collection[str],
    ) -> tuple[list[Sentence], list[str], int]:
        """Keep each citation that supports its sentence; a sentence that keeps none, or states figures
        its kept paragraphs lack, is unsupported (dropped or marked)."""
        t = self.thresholds
        share = {
            (i, k): verify.bigram_share(c.text, verify.cited_text(by_key[k]))
            for i, c in enumerate(found)
            for k in c.keys
        }
        lexical = {ik: verify.citation_ok(found[ik[0]].text, v, None, 1.0, t) for ik, v in share.items()}
        need = sorted({i for (i, _), ok in lexical.items() if not ok})
        cosines = {
            i: {k: self.cosine(v, p) for k, p in by_key.items()}
            for i, v in zip(need, self.embed([found[i].text for i in need]), strict=True)
        }
        notes: list[str] = []
        out: list[Sentence] = []
        dropped = 0
        for i, c in enumerate(found):
            notes += [f"invented citation removed: {k}" for k in c.invented]
            cos = cosines.get(i, {})
            best = max(cos.values(), default=1.0)
            kept = [k for k in c.keys if lexical[i, k] or verify.citation_ok(c.text, share[i, k], cos.get(k), best, t)]
            notes += [f"citation removed, {k} does not support: {short(c.text)}" for k in c.keys if k not in kept]
            if kept and not verify.numbers_ok(c.text, "\n".join(verify.cited_text(by_key[k]) for k in kept)):
                notes.append(f"figures not in the cited paragraphs: {short(c.text)}")
                kept = []
            if kept:
                cites = [
                    Citation(
                        k,
                        by_key[k].id,
                        verify.best_quote(c.text, sentences(by_key[k].text) + list(by_key[k].footnotes), hint)
                        or by_key[k].text,
                    )
                    for k in kept
                ]
                out.append(Sentence(c.text, cites, supported=True))
            elif self.settings.openai_unsupported == "mark":
                out.append(Sentence(c.text, [], supported=False))
                notes.append(f"unsupported sentence marked unverified: {short(c.text)}")
            else:
                dropped += 1
                notes.append(f"unsupported sentence dropped: {short(c.text)}")
        return out, notes, dropped

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if self.embedder is None:
            from index.embed import make_embedder

            self.embedder = make_embedder(self.settings)
        return self.embedder.embed_batch(texts, "query")

    def cosine(self, vec: np.ndarray, para: Paragraph) -> float:
        """Best cosine between the sentence and the paragraph's indexed pieces (embedded if not indexed)."""
        rows = self.rows.get(para.id)
        if rows and self.store is not None:
            pv = self.store.vectors[rows]
        else:
            assert self.embedder is not None
            pv = self.embedder.embed_batch([para.searchable()], "passage")
        return float(np.max(pv @ vec))

    # -- fallback -----------------------------------------------------------------------------
    def fall_back(
        self,
        question: str,
        query_tokens: list[str],
        lang: str,
        hits: list[Hit],
        reason: str,
        notes: list[str] | None = None,
    ) -> Generation:
        """The extractive answer, with a note the user sees saying why the model's is not shown."""
        sents = self.fallback.generate(question, query_tokens, lang, hits)
        model = f"{self.settings.openai_model} at {llm.where(self.settings.openai_base_url or '')}"
        notice = NOTICE["zh" if lang == "zh" else "en"].format(reason=reason)
        return Generation(
            sents,
            notice + "\n" + render(lang, sents, not sents, hits),
            [f"fallback to extractive: the language model ({model}): {reason}", *(notes or [])],
            generator="extractive",
        )


def stream_answer(
    assistant: Assistant,
    question: str,
    history: list[str] | None = None,
    docs: Collection[str] | None = None,
) -> Iterator[str | Answer]:
    """`Assistant.ask_stream` for a streaming generator: the model's growing reply, then the verified Answer.

    `ask` runs in a worker thread that hands each growing text over a queue; errors are re-raised here.
    """
    q: queue.Queue[tuple[str, Any]] = queue.Queue()

    def work() -> None:
        try:
            q.put(("answer", assistant.ask(question, history, docs, on_text=lambda t: q.put(("text", t)))))
        except BaseException as e:  # handed to the caller's thread
            q.put(("error", e))

    threading.Thread(target=work, daemon=True, name="integrity-stream").start()
    streamed = False
    while True:
        kind, item = q.get()
        if kind == "text":
            streamed = True
            yield item
        elif kind == "error":
            raise item
        else:
            if not streamed:
                yield item.text
            yield item
            return
