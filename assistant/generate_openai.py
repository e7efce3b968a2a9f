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

import re
from collections.abc import Collection

import numpy as np

from assistant import llm, verify
from assistant.answer import Extractive
from assistant.condense import condense, strip_instructions
from assistant.generate import Draft, Stream
from assistant.phrases import phrase
from assistant.render import quoted, refusal, written
from assistant.settings import Settings
from assistant.types import Citation, Sentence
from index.chunk import sentences
from index.retrieve import Retriever
from index.text import shorten, to_simplified
from index.types import Hit, Paragraph, Query

LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


class OpenAIGenerator:
    name = "openai"

    def __init__(self, settings: Settings, retriever: Retriever, idf: dict[str, float]) -> None:
        """Verification reuses the retriever's embedder and the indexed paragraph vectors."""
        self.settings, self.retriever = settings, retriever
        self.client = llm.make_client(settings)
        self.fallback = Extractive(settings, retriever, idf)
        self.thresholds = verify.thresholds(settings)
        self.embedder, self.store = retriever.embedder, retriever.store
        ids = [u.id for u in self.store.units]
        self.rows: dict[str, list[int]] = {}  # paragraph id -> rows of its pieces in store.vectors
        for row, unit in enumerate(self.store.piece_unit):
            self.rows.setdefault(ids[unit], []).append(row)

    def generate(self, query: Query, hits: list[Hit]) -> Stream:
        """Stream the model's reply as it comes, then verify it; a failure falls back to the extractive answer."""
        context = hits[: self.settings.llm.openai_context]
        messages = llm.answer_messages(query.text, query.lang, context, self.settings)
        reply = ""
        try:
            for piece in llm.stream(self.client, self.settings, messages):
                reply += piece
                yield piece
        except llm.LLMError as e:
            return self.fall_back(query, hits, str(e))
        return self.check(reply, query, hits)

    # -- verification -------------------------------------------------------------------------
    def check(self, reply: str, query: Query, hits: list[Hit]) -> Draft:
        lang = query.lang
        context = hits[: self.settings.llm.openai_context]
        found = verify.claims(reply, [h.key for h in context])
        if verify.declined(reply, found):
            note = "declined: the model said the documents do not answer"
            return Draft([], refusal(lang, hits), [note], declined=True, generator=self.name)
        if not verify.language_ok(reply, lang):
            want = LANGUAGE_NAMES.get(lang, lang)
            return self.fall_back(query, hits, f"it did not answer in {want}")
        sents, notes, dropped = self.verify_claims(found, {h.key: h.paragraph for h in context}, query.tokens)
        if not any(s.supported for s in sents):
            return self.fall_back(query, hits, "none of its sentences was supported by the paragraphs it cited", notes)
        kept = sum(s.supported for s in sents)
        notes.insert(
            0,
            f"verified: {kept} of {len(found)} sentences supported by their citations"
            f"; policy for the rest: {self.settings.llm.openai_unsupported}",
        )
        return Draft(sents, written(lang, sents, dropped), notes, generator=self.name)

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
            notes += [f"citation removed, {k} does not support: {shorten(c.text, 40)}" for k in c.keys if k not in kept]
            if kept and not verify.numbers_ok(c.text, "\n".join(verify.cited_text(by_key[k]) for k in kept)):
                notes.append(f"figures not in the cited paragraphs: {shorten(c.text, 40)}")
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
            elif self.settings.llm.openai_unsupported == "mark":
                out.append(Sentence(c.text, [], supported=False))
                notes.append(f"unsupported sentence marked unverified: {shorten(c.text, 40)}")
            else:
                dropped += 1
                notes.append(f"unsupported sentence dropped: {shorten(c.text, 40)}")
        return out, notes, dropped

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self.embedder.embed_batch(texts, "query")

    def cosine(self, vec: np.ndarray, para: Paragraph) -> float:
        """Best cosine between the sentence and the paragraph's indexed pieces (embedded if not indexed)."""
        rows = self.rows.get(para.id)
        pv = self.store.vectors[rows] if rows else self.embedder.embed_batch([para.searchable()], "passage")
        return float(np.max(pv @ vec))

    # -- fallback -----------------------------------------------------------------------------
    def fall_back(self, query: Query, hits: list[Hit], reason: str, notes: list[str] | None = None) -> Draft:
        """The extractive answer, with a note the user sees saying why the model's is not shown."""
        lang = query.lang
        sents = self.fallback.sentences(query, hits)
        model = f"{self.settings.llm.openai_model} at {llm.where(self.settings.llm.openai_base_url or '')}"
        notice = phrase("llm", "notice", lang, reason=reason)
        return Draft(
            sents,
            notice + "\n" + (quoted(lang, sents) if sents else refusal(lang, hits)),
            [f"fallback to extractive: the language model ({model}): {reason}", *(notes or [])],
            generator=self.fallback.name,
        )


class ModelCondenser:
    """Follow-ups made standalone by the model (INTEGRITY_OPENAI_CONDENSE); the rules when it fails."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.client = llm.make_client(settings)

    def condense(self, question: str, history: list[str], lang: str) -> tuple[str, list[str]]:
        rules = condense(question, history, lang)
        if not history:
            return rules, []
        if not self.settings.llm.openai_condense:
            return rules, ["condensed by rules"]
        try:
            reply = llm.complete(self.client, self.settings, llm.condense_messages(question, history))
        except llm.LLMError as e:
            return rules, [f"condense: the model failed ({e}); rules used"]
        line = next((x.strip() for x in reply.splitlines() if x.strip()), "")
        line = re.sub(r"^(?:standalone question|rewritten question|question|问题)\s*[:：]\s*", "", line, flags=re.I)
        line = line.strip(" \"'“”「」")
        if not line or "<" in line or len(line) > max(300, 3 * (len(question) + len(history[-1]))):
            return rules, ["condense: the model's reply was unusable; rules used"]
        return strip_instructions(to_simplified(line)), ["condensed by the model"]
