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
WHO = re.compile(r"谁|哪个(?:部门|办公室|机构|单位)|\bwho\b|\bwhom\b|which (?:office|unit|body|department)", re.I)
ACTOR = re.compile(  # who answers a "who" question: an office, a department, a body, a post
    r"办公室|事务厅|监督厅|[^\s，。]{1,8}(?:部|司|厅|署)(?!分)|委员会|小组|主席|监察员|秘书长|行政当局|主管"
)
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
    (QUANTITY, has_figure),
    (WHY, BECAUSE.search),
    (WHEN, DATE.search),
    (WHO, ACTOR.search),
]
CUE_BOOST = 1.6  # a span holding what the question asks for (a figure, cause, date, actor) counts 1.6 times
NOVELTY_EXP = 0.7  # fit x novelty^0.7: a span that only restates the question adds nothing (dev set: 0.5-1)
# A span that is an item of an enumeration: 第一，… / 第二项承诺… / 首先 / (a) …
ITEM = re.compile(
    r"^(?:第[一二三四五六七八九十]+(?:[，,、：:]|项|个|条|点|类|种)|首先|其次|再次|最后|\([a-z]\)|[a-z]\))"
)
PART_END = re.compile(r"[？?；;]|, and (?=how|what|who|when|which|where|why|is|are|does|did|do)", re.I)
# A span of the n-th hit counts 1 / (1 + 0.5 n). Dev set: 0.3 covers a few more keys but cites many more
# paragraphs that are not the answer (citation precision 0.54 -> 0.51); 0.8 covers fewer keys.
RANK_DISCOUNT = 0.5
PART_RANK_DISCOUNT = 0.0  # each sub-question's span may come from any of the best hits (dev set: 0.5 covers fewer)
Candidate = tuple[int, str, Hit]  # (rank of the hit, span, hit)
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

    def candidates(self, hits: list[Hit]) -> Iterator[Candidate]:
        for rank, h in enumerate(hits[:4]):
            for s in unit_spans(h.paragraph):
                if len(s) >= 8 and (rank == 0 or len(s) <= 180 or "；" in s):  # no table blobs from lesser hits
                    yield rank, s, h

    def scores(
        self,
        question: str,
        lang: str,
        terms: set[str],
        cands: list[Candidate],
        discount: float = RANK_DISCOUNT,
    ) -> list[float]:
        """Each candidate's fit to the question: idf-weighted term overlap plus, with a retriever, its cosine to
        the question, both normalised over the candidates; scaled up when it holds what the question asks for
        (a figure, a cause, a date), down when it adds nothing to the question (novelty: the share of its idf
        weight in words the question lacks); then discounted by the rank of its hit."""
        grams = bigrams(" ".join(terms))
        wanted = [found for asks, found in CUES if asks.search(question)]
        lexical, novelty = [], []
        for _, s, _ in cands:
            toks = set(tokenize(s))
            lexical.append(sum(self.idf.get(t, 1.0) for t in terms & toks) + 0.5 * len(grams & bigrams(s)))
            weight_all = sum(self.idf.get(t, 1.0) for t in toks) or 1.0
            novelty.append(max(0.05, 1 - sum(self.idf.get(t, 1.0) for t in toks & terms) / weight_all))
        top = max(lexical, default=0.0) or 1.0
        fit = [x / top for x in lexical]
        weight = self.settings.span_dense_weight
        if self.retriever is not None and weight > 0:
            qv = self.retriever.query_vector(self.retriever.prepare(question, lang).dense_text)
            cos = self.retriever.span_vectors([s for _, s, _ in cands]) @ qv
            lo, spread = float(cos.min()), max(1e-6, float(cos.max() - cos.min()))
            fit = [f + weight * (float(c) - lo) / spread for f, c in zip(fit, cos, strict=True)]
        return [
            f * CUE_BOOST ** sum(bool(found(s)) for found in wanted) * n**NOVELTY_EXP / (1 + discount * rank)
            for f, n, (rank, s, _) in zip(fit, novelty, cands, strict=True)
        ]

    def list_items(self, picks: list[int], cands: list[Candidate]) -> list[int]:
        """A list answers whole: the enumerated items (第一…第二…, (a) (b)…) of a paragraph a pick comes from,
        up to two beyond the usual number of sentences."""
        room = self.settings.answer_sentences + 2 - len(picks)
        from_hits = {id(cands[i][2]) for i in picks}
        items = [j for j, (_, s, h) in enumerate(cands) if id(h) in from_hits and ITEM.match(s) and j not in picks]
        return items[: max(0, room)]

    def part_picks(self, question: str, query_tokens: list[str], lang: str, cands: list[Candidate]) -> list[int]:
        """For a question asking several things, a different span for each sub-question: the strongest
        (sub-question, span) pairs first. The parts of a question are often answered in different paragraphs,
        so the rank of a span's hit counts less here."""
        parts = question_parts(question)
        if len(parts) < 2:
            return []
        pairs = []
        for p, part in enumerate(parts):
            terms = set(query_terms(part, lang, self.settings.glossary)[0]) & set(query_tokens)
            by_part = self.scores(part, lang, terms, cands, discount=PART_RANK_DISCOUNT)
            pairs += [(score, p, i) for i, score in enumerate(by_part) if score > 0]
        picks: list[int] = []
        answered: set[int] = set()
        for _, p, i in sorted(pairs, reverse=True):
            if p not in answered and i not in picks:
                picks.append(i)
                answered.add(p)
        return picks

    def generate(self, question: str, query_tokens: list[str], lang: str, hits: list[Hit]) -> list[Sentence]:
        cands = list(self.candidates(hits))
        if not cands:
            return []
        overall = self.scores(question, lang, set(query_tokens), cands)
        picks = self.part_picks(question, query_tokens, lang, cands)
        top = max(overall)
        for i in sorted(range(len(cands)), key=lambda i: -overall[i]):
            if len(picks) >= self.settings.answer_sentences or overall[i] < 0.3 * top:
                break
            if all(cands[i][1] != cands[j][1] for j in picks):
                picks.append(i)
        picks += self.list_items(picks, cands)
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
    "extractive": Extractive,
    "openai": openai_generator,
}


# How a refusal names what the nearest passages lack (see assistant.evidence.ANSWER_TYPES), in Chinese.
MISSING_ZH = {"a sum of money": "金额", "a length of time": "时间长度", "a number of months": "月数", "a date": "日期"}


def render(
    lang: str, sents: list[Sentence], refused: bool, nearest: list[Hit], missing: list[str] | None = None
) -> str:
    """The answer text with numbered citation markers, framed in the question's language; a refusal says
    what the nearest passages lack when that decided it (2023, UNDP, a sum of money)."""
    keys: list[str] = []

    def mark(key: str) -> str:
        if key not in keys:
            keys.append(key)
        return f"[{keys.index(key) + 1}]"

    if refused:
        near = "、".join(f"{h.key}" for h in nearest[:3]) if lang == "zh" else ", ".join(h.key for h in nearest[:3])
        lacks = list(dict.fromkeys(missing or []))
        if lang == "zh":
            why = f"最接近的段落中没有：{'、'.join(MISSING_ZH.get(m, m) for m in lacks)}。" if lacks else ""
            return "文件没有回答这个问题。" + why + (f"与该主题最接近的段落是：{near}。" if near else "")
        why = f"Not in the nearest passages: {', '.join(lacks)}. " if lacks else ""
        return (
            "The documents do not say. " + why + (f"The nearest paragraphs on this topic are {near}." if near else "")
        )
    if lang == "zh":
        body = "".join(
            s.text.rstrip("；;") + ("" if s.text.endswith("。") else "。") + "".join(mark(c.key) for c in s.citations)
            for s in sents
        )
        return "根据文件：" + body
    lines = [f"“{s.text}” " + "".join(mark(c.key) for c in s.citations) for s in sents]
    return "According to the documents (quoted from the Chinese originals):\n" + "\n".join(lines)
