"""A model's claims checked against the paragraphs they cite, with the index's own vectors.

The decisions are the pure functions of assistant/verify.py; this class only gathers what they need: each
claim's bigram share of a cited paragraph, and (when the words alone do not decide) its e5 cosine to every
paragraph the model was given, from the indexed piece vectors. The answer generators and the brief's model
writer check their statements here, the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from assistant import verify
from assistant.settings import Settings
from assistant.types import Citation, Sentence
from index.chunk import sentences
from index.retrieve import Retriever
from index.text import shorten
from index.types import Paragraph


@dataclass
class Checked:
    """The verdict on a list of claims: the sentences kept (or marked), notes, how many were dropped."""

    sentences: list[Sentence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dropped: int = 0
    kept: list[bool] = field(default_factory=list)  # per claim: did it keep a citation that supports it


class Checker:
    def __init__(self, settings: Settings, retriever: Retriever) -> None:
        self.settings = settings
        self.thresholds = verify.thresholds(settings)
        self.embedder, self.store = retriever.embedder, retriever.store
        ids = [u.id for u in self.store.units]
        self.rows: dict[str, list[int]] = {}  # paragraph id -> rows of its pieces in store.vectors
        for row, unit in enumerate(self.store.piece_unit):
            self.rows.setdefault(ids[unit], []).append(row)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return self.embedder.embed_batch(texts, "query")

    def cosine(self, vec: np.ndarray, para: Paragraph) -> float:
        """Best cosine between the sentence and the paragraph's indexed pieces (embedded if not indexed)."""
        rows = self.rows.get(para.id)
        pv = self.store.vectors[rows] if rows else self.embedder.embed_batch([para.searchable()], "passage")
        return float(np.max(pv @ vec))

    def supporting(self, found: list[verify.Claim], by_key: dict[str, Paragraph]) -> list[tuple[list[str], bool]]:
        """For each claim, the cited keys whose words or meaning support it, and whether the figures, dates and
        symbols it states are in those paragraphs."""
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
        out = []
        for i, c in enumerate(found):
            cos = cosines.get(i, {})
            best = max(cos.values(), default=1.0)
            kept = [k for k in c.keys if lexical[i, k] or verify.citation_ok(c.text, share[i, k], cos.get(k), best, t)]
            facts = not kept or verify.facts_ok(c.text, "\n".join(verify.cited_text(by_key[k]) for k in kept))
            out.append((kept, facts))
        return out

    def check(
        self, found: list[verify.Claim], by_key: dict[str, Paragraph], hint: Collection[str] = (), policy: str = ""
    ) -> Checked:
        """Keep each citation that supports its sentence; a sentence that keeps none, or states figures its kept
        paragraphs lack, is unsupported: dropped, or marked with `policy` "mark"."""
        policy = policy or self.settings.llm.openai_unsupported
        verdict = Checked()
        for c, (support, facts) in zip(found, self.supporting(found, by_key), strict=True):
            verdict.notes += [f"invented citation removed: {k}" for k in c.invented]
            gist = shorten(c.text, 40)
            verdict.notes += [f"citation removed, {k} does not support: {gist}" for k in c.keys if k not in support]
            if not facts:
                verdict.notes.append(f"figures not in the cited paragraphs: {gist}")
            kept = support if facts else []
            verdict.kept.append(bool(kept))
            if kept:
                cites = [Citation(k, by_key[k].id, quote(c.text, by_key[k], hint)) for k in kept]
                verdict.sentences.append(Sentence(c.text, cites, supported=True))
            elif policy == "mark":
                verdict.sentences.append(Sentence(c.text, [], supported=False))
                verdict.notes.append(f"unsupported sentence marked unverified: {shorten(c.text, 40)}")
            else:
                verdict.dropped += 1
                verdict.notes.append(f"unsupported sentence dropped: {shorten(c.text, 40)}")
        return verdict


def quote(claim: str, p: Paragraph, hint: Collection[str]) -> str:
    """The sentence of the paragraph (or a footnote) that the claim most resembles."""
    return verify.best_quote(claim, sentences(p.text) + list(p.footnotes), hint) or p.text
