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
from index.chunk import unit_spans
from index.lexical import tokenize
from index.retrieve import Retriever, query_terms

QUANTITY = re.compile(r"多少|几|比例|百分|数量|数字|how many|how much|number|rate|percent|share|figure", re.I)
WHY = re.compile(r"为什么|为何|原因|why|reason|cause", re.I)
BECAUSE = re.compile(r"原因|由于|因为|因此|导致|所致|鉴于")
WHEN = re.compile(r"什么时候|何时|哪一年|哪年|日期|when|what year|which year|what date", re.I)
DATE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月")
# Digits that are no figure: years, dates, document symbols (A/76/76, 74/271), paragraph and session numbers.
NOT_FIGURES = re.compile(
    r"(?:19|20)\d{2}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|\d{1,2}\s*月\s*\d{1,2}\s*日|(?<!\d)(?:19|20)\d{2}(?!\d)"
    r"|[A-Z]+(?:/[\w.()-]+)+|\d+/\d+|第\s*\d+(?:\([a-z]\))?\s*[段号届次]"
)
FIGURE = re.compile(r"\d")


def has_figure(span: str) -> bool:
    return bool(FIGURE.search(NOT_FIGURES.sub(" ", span)))


# What a question asks for, and what shows a span holds it.
CUES: list[tuple[re.Pattern[str], Callable[[str], object]]] = [
    (QUANTITY, has_figure), (WHY, BECAUSE.search), (WHEN, DATE.search)
]
PART_END = re.compile(r"[？?；;]|, and (?=how|what|who|when|which|where|why|is|are|does|did|do)", re.I)
RANK_DISCOUNT = 0.5  # a span of the n-th hit counts 1 / (1 + 0.5 n); dev set: 0.3 and 0.8 cover fewer keys
HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


def bigrams(text: str) -> set[str]:
    """Chinese character bigrams: matches words that jieba cuts differently in question and text."""
    return {run[i : i + 2] for run in HAN_RUN.findall(text) for i in range(len(run) - 1)}


def question_parts(question: str) -> list[str]:
    """The sub-questions of a question that asks two things ("…有多少？其中多少…？")."""
    return [p for p in (x.strip() for x in PART_END.split(question)) if len(p) >= 4]


class AnswerGenerator(Protocol):
    name: str

    def generate(self, question: str, query_tokens: list[str], lang: str, hits: list[Hit]) -> list[Sentence]:
        """Cited sentences answering the question from the hits (already judged to hold evidence)."""
        ...


class Extractive:
    name = "extractive"

    def __init__(self, settings: Settings, idf: dict[str, float]) -> None:
        self.settings, self.idf = settings, idf
        self.retriever: Retriever | None = None

    def bind(self, retriever: Retriever) -> None:
        """With the retriever, spans are also scored by meaning (their indexed vectors against the query's)."""
        self.retriever = retriever

    def candidates(self, hits: list[Hit]) -> Iterator[tuple[int, str, Hit]]:
        for rank, h in enumerate(hits[:4]):
            for s in unit_spans(h.paragraph):
                if len(s) >= 8 and (rank == 0 or len(s) <= 180 or "；" in s):  # no table blobs from lesser hits
                    yield rank, s, h

    def scores(self, question: str, lang: str, terms: set[str], cands: list[tuple[int, str, Hit]]) -> list[float]:
        """Each candidate's fit to the question: idf-weighted term overlap (scaled up when it holds what the
        question asks for: a number, a cause, a date) plus, with a retriever, its cosine to the question,
        both normalised over the candidates; then discounted by the rank of its hit."""
        grams = bigrams(" ".join(terms))
        wanted = [found for asks, found in CUES if asks.search(question)]
        lexical = []
        for _, s, _ in cands:
            overlap = sum(self.idf.get(t, 1.0) for t in terms & set(tokenize(s))) + 0.5 * len(grams & bigrams(s))
            lexical.append(overlap * 1.3 ** sum(bool(found(s)) for found in wanted))
        top = max(lexical, default=0.0) or 1.0
        fit = [x / top for x in lexical]
        weight = self.settings.span_dense_weight
        if self.retriever is not None and weight > 0:
            qv = self.retriever.query_vector(self.retriever.prepare(question, lang).dense_text)
            cos = self.retriever.span_vectors([s for _, s, _ in cands]) @ qv
            lo, spread = float(cos.min()), max(1e-6, float(cos.max() - cos.min()))
            fit = [f + weight * (float(c) - lo) / spread for f, c in zip(fit, cos, strict=True)]
        return [f / (1 + RANK_DISCOUNT * rank) for f, (rank, _, _) in zip(fit, cands, strict=True)]

    def generate(self, question: str, query_tokens: list[str], lang: str, hits: list[Hit]) -> list[Sentence]:
        cands = list(self.candidates(hits))
        if not cands:
            return []
        overall = self.scores(question, lang, set(query_tokens), cands)
        picks: list[int] = []
        parts = question_parts(question)
        if len(parts) > 1:  # the best span for each sub-question first
            for part in parts:
                terms = set(query_terms(part, lang, self.settings.glossary)[0]) & set(query_tokens)
                by_part = self.scores(part, lang, terms, cands)
                best = max(range(len(cands)), key=lambda i: by_part[i])
                if by_part[best] > 0 and best not in picks:
                    picks.append(best)
        top = max(overall)
        for i in sorted(range(len(cands)), key=lambda i: -overall[i]):
            if len(picks) >= self.settings.answer_sentences or overall[i] < 0.3 * top:
                break
            if all(cands[i][1] != cands[j][1] for j in picks):
                picks.append(i)
        picks.sort(key=lambda i: (cands[i][0], cands[i][2].paragraph.position))  # source order in the best hits
        out = []
        for i in picks:
            _, s, h = cands[i]
            cite = Citation(h.key, h.paragraph.id, s)
            out.append(Sentence(s, [cite], supported=supports(h.paragraph.searchable(), s)))
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
