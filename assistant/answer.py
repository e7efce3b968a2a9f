"""Answer generators behind one method, `generate`, registered by name. Default: extractive.

The extractive generator quotes the sentences that answer from the best paragraphs and cites each;
it works offline and never states what it cannot cite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from assistant.evidence import supports
from assistant.settings import Settings
from assistant.types import Citation, Hit, Sentence
from index.chunk import sentences
from index.lexical import tokenize


class AnswerGenerator(Protocol):
    name: str

    def generate(self, question: str, query_tokens: list[str], lang: str, hits: list[Hit]) -> list[Sentence]:
        """Cited sentences answering the question from the hits (already judged to hold evidence)."""
        ...


class Extractive:
    name = "extractive"

    def __init__(self, settings: Settings, idf: dict[str, float]) -> None:
        self.settings, self.idf = settings, idf

    def candidates(self, hits: list[Hit]) -> Iterator[tuple[int, str, Hit]]:
        for rank, h in enumerate(hits[:4]):
            for s in sentences(h.paragraph.text) + list(h.paragraph.footnotes):
                if len(s) >= 8:
                    yield rank, s, h

    def generate(self, question: str, query_tokens: list[str], lang: str, hits: list[Hit]) -> list[Sentence]:
        terms = set(query_tokens)
        scored: list[tuple[float, int, str, Hit]] = []
        for rank, s, h in self.candidates(hits):
            toks = set(tokenize(s))
            overlap = sum(self.idf.get(t, 1.0) for t in terms & toks)
            scored.append((overlap / (1 + 0.15 * rank) + (0.5 if rank == 0 else 0.0), rank, s, h))
        scored.sort(key=lambda x: -x[0])
        chosen: list[tuple[int, int, str, Hit]] = []
        for score, rank, s, h in scored:
            if len(chosen) >= self.settings.answer_sentences or (chosen and score < 0.35 * scored[0][0]):
                break
            if any(s == c[2] for c in chosen):
                continue
            chosen.append((rank, h.paragraph.position, s, h))
        chosen.sort(key=lambda c: (c[0], c[1]))  # read in source order within the best paragraphs
        out = []
        for _, _, s, h in chosen:
            full = h.paragraph.searchable()
            cite = Citation(h.key, h.paragraph.id, s)
            out.append(Sentence(s, [cite], supported=supports(full, s)))
        return out


GENERATORS: dict[str, Callable[[Settings, dict[str, float]], AnswerGenerator]] = {"extractive": Extractive}


def render(lang: str, sents: list[Sentence], refused: bool, nearest: list[Hit]) -> str:
    """The answer text with numbered citation markers, framed in the question's language."""
    keys: list[str] = []

    def mark(key: str) -> str:
        if key not in keys:
            keys.append(key)
        return f"[{keys.index(key) + 1}]"

    if refused:
        near = "、".join(f"{h.key}" for h in nearest[:3]) if lang == "zh" else ", ".join(h.key for h in nearest[:3])
        if lang == "zh":
            return "文件没有回答这个问题。" + (f"与该主题最接近的段落是：{near}。" if near else "")
        return "The documents do not say. " + (f"The nearest paragraphs on this topic are {near}." if near else "")
    if lang == "zh":
        body = "".join(s.text.rstrip("；;") + ("" if s.text.endswith("。") else "。") + "".join(
            mark(c.key) for c in s.citations) for s in sents)
        return "根据文件：" + body
    lines = [f"“{s.text}” " + "".join(mark(c.key) for c in s.citations) for s in sents]
    return "According to the documents (quoted from the Chinese originals):\n" + "\n".join(lines)
