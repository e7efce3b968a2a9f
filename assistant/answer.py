"""Answer generators behind one method, `generate`, registered by name. Default: extractive.

The extractive generator quotes the sentences that answer from the best paragraphs and cites each;
it works offline and never states what it cannot cite.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Protocol

from assistant.evidence import supports
from assistant.settings import Settings
from assistant.types import Citation, Hit, Sentence
from index.chunk import sentences
from index.lexical import tokenize

QUANTITY = re.compile(r"多少|几|比例|百分|数量|数字|how many|how much|number|rate|percent|share|figure", re.I)
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


def bigrams(text: str) -> set[str]:
    """Chinese character bigrams: matches words that jieba cuts differently in question and text."""
    return {run[i : i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1)}


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
                if len(s) >= 8 and (rank == 0 or len(s) <= 180):  # no table blobs from lesser hits
                    yield rank, s, h

    def generate(self, question: str, query_tokens: list[str], lang: str, hits: list[Hit]) -> list[Sentence]:
        terms = set(query_tokens)
        grams = bigrams(" ".join(query_tokens))
        wants_number = bool(QUANTITY.search(question))
        scored: list[tuple[float, int, str, Hit]] = []
        for rank, s, h in self.candidates(hits):
            toks = set(tokenize(s))
            overlap = sum(self.idf.get(t, 1.0) for t in terms & toks) + 0.5 * len(grams & bigrams(s))
            if wants_number and re.search(r"\d", s):
                overlap *= 1.3
            scored.append((overlap / (1 + 0.3 * rank), rank, s, h))
        scored.sort(key=lambda x: -x[0])
        chosen: list[tuple[int, int, str, Hit]] = []
        for score, rank, s, h in scored:
            if len(chosen) >= self.settings.answer_sentences or (chosen and score < 0.3 * scored[0][0]):
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


def openai_generator(settings: Settings, idf: dict[str, float]) -> AnswerGenerator:
    """issue 6: imported only when chosen (the openai client is not loaded for extractive answers)."""
    from assistant.generate_openai import OpenAIGenerator

    return OpenAIGenerator(settings, idf)


GENERATORS: dict[str, Callable[[Settings, dict[str, float]], AnswerGenerator]] = {
    "extractive": Extractive, "openai": openai_generator,
}


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
