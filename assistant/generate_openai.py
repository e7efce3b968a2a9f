"""The `openai` answer generator: fluent answers from an OpenAI-compatible server, every citation verified.

Called only after the evidence check has decided there is something to answer (no evidence, no call).
The model gets the retrieved paragraphs as data with their keys (`assistant.llm`); its answer is cut
into sentences and each cited key checked against its paragraph (`assistant.verify`): invented keys
are removed, citations that do not support their sentence are removed, and a sentence left with no
support is dropped or marked unverified (`INTEGRITY_OPENAI_UNSUPPORTED`). A model that declines
(`NO_ANSWER`, although the evidence check found the paragraphs), a time-out, refused connection, HTTP error,
malformed reply, a prompt over the model's context, an answer in the wrong language or one with no supported
sentence falls back to the extractive answer with a visible note; never to another model or host.
"""

from __future__ import annotations

import re

from assistant import llm, verify
from assistant.answer import Extractive
from assistant.cite_check import Checker
from assistant.condense import condense, strip_instructions
from assistant.generate import Draft, Stream
from assistant.phrases import phrase
from assistant.render import quoted, refusal, written
from assistant.settings import Settings
from index.retrieve import Retriever
from index.text import to_simplified
from index.types import Hit, Query

LANGUAGE_NAMES = {"zh": "Chinese", "en": "English"}


class OpenAIGenerator:
    """The model generator: `openai` on a configured server, or `local` (assistant/generate_local.py) on the
    llama.cpp server it started; one path from the prompt to the checked answer, two ways to reach a server."""

    def __init__(
        self,
        settings: Settings,
        retriever: Retriever,
        idf: dict[str, float],
        link: llm.Link | None = None,
        name: str = "openai",
    ) -> None:
        """Verification reuses the retriever's embedder and the indexed paragraph vectors."""
        self.settings, self.retriever, self.name = settings, retriever, name
        self.link = link or llm.Link(settings, llm.endpoint(settings))
        self.fallback = Extractive(settings, retriever, idf)
        self.checker = Checker(settings, retriever)

    def preview(self, query: Query, hits: list[Hit]) -> Draft:
        """The extractive answer, shown at once while the model writes (it takes seconds to minutes)."""
        sents = self.fallback.sentences(query, hits)
        text = quoted(query.lang, sents) if sents else ""
        return Draft(sents, text, declined=not sents, generator=self.fallback.name)

    def generate(self, query: Query, hits: list[Hit]) -> Stream:
        """Stream the model's reply as it comes, then verify it; a failure falls back to the extractive answer."""
        context = hits[: self.settings.llm.openai_context]
        messages = llm.answer_messages(query.text, query.lang, context, self.settings)
        reply = ""
        try:
            for piece in self.link.stream(messages):
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
        if verify.declined(reply, found):  # refusal was decided in code: the evidence is there, quote it
            note = "declined: the model said the documents do not answer"
            return self.fall_back(query, hits, "it said the paragraphs do not answer", [note])
        if not verify.language_ok(reply, lang):
            want = LANGUAGE_NAMES.get(lang, lang)
            return self.fall_back(query, hits, f"it did not answer in {want}")
        v = self.checker.check(found, {h.key: h.paragraph for h in context}, query.tokens)
        if not any(s.supported for s in v.sentences):
            reason = "none of its sentences was supported by the paragraphs it cited"
            return self.fall_back(query, hits, reason, v.notes)
        kept = sum(s.supported for s in v.sentences)
        v.notes.insert(
            0,
            f"verified: {kept} of {len(found)} sentences supported by their citations"
            f"; policy for the rest: {self.settings.llm.openai_unsupported}",
        )
        return Draft(v.sentences, written(lang, v.sentences, v.dropped), v.notes, generator=self.name)

    # -- fallback -----------------------------------------------------------------------------
    def fall_back(self, query: Query, hits: list[Hit], reason: str, notes: list[str] | None = None) -> Draft:
        """The extractive answer, with a note the user sees saying why the model's is not shown."""
        lang = query.lang
        sents = self.fallback.sentences(query, hits)
        notice = phrase("llm", "notice", lang, reason=reason)
        return Draft(
            sents,
            notice + "\n" + (quoted(lang, sents) if sents else refusal(lang, hits)),
            [f"fallback to extractive: the language model ({self.link.endpoint}): {reason}", *(notes or [])],
            generator=self.fallback.name,
        )


class ModelCondenser:
    """Follow-ups made standalone by the model (INTEGRITY_OPENAI_CONDENSE); the rules when it fails."""

    def __init__(self, settings: Settings, link: llm.Link | None = None) -> None:
        self.settings = settings
        self.link = link or llm.Link(settings, llm.endpoint(settings))

    def condense(self, question: str, history: list[str], lang: str) -> tuple[str, list[str]]:
        rules = condense(question, history, lang)
        if not history:
            return rules, []
        if not self.settings.llm.openai_condense:
            return rules, ["condensed by rules"]
        try:
            reply = self.link.complete(llm.condense_messages(question, history), max_tokens=80)
        except llm.LLMError as e:
            return rules, [f"condense: the model failed ({e}); rules used"]
        line = next((x.strip() for x in reply.splitlines() if x.strip()), "")
        line = re.sub(r"^(?:standalone question|rewritten question|question|问题)\s*[:：]\s*", "", line, flags=re.I)
        line = line.strip(" \"'“”「」")
        if not line or "<" in line or len(line) > max(300, 3 * (len(question) + len(history[-1]))):
            return rules, ["condense: the model's reply was unusable; rules used"]
        return strip_instructions(to_simplified(line)), ["condensed by the model"]
