"""Answer generators behind one method, `generate`, registered by name. Default: extractive.

The extractive generator quotes the sentences that answer from the best paragraphs and cites each;
it works offline and never states what it cannot cite.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from assistant.evidence import RULES, supports
from assistant.generate import Draft, Stream, sentence_pieces
from assistant.render import quoted
from assistant.settings import Settings
from assistant.types import Citation, Sentence
from index import vocab
from index.chunk import unit_spans
from index.lexical import tokenize
from index.query import make_query
from index.retrieve import Retriever
from index.text import bigrams
from index.types import Hit, Query

_CUES = vocab.load(RULES)["cues"]


def _asks(name: str) -> re.Pattern[str]:
    return re.compile(_CUES[name]["asks"], re.I if _CUES[name]["ignore_case"] else 0)


QUANTITY, WHY, WHEN, WHO = _asks("quantity"), _asks("why"), _asks("when"), _asks("who")
BECAUSE, DATE = re.compile(_CUES["why"]["shows"]), re.compile(_CUES["when"]["shows"])
ACTOR = re.compile(_CUES["who"]["shows"])  # who answers a "who" question: an office, a department, a body, a post
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
SpanChoice = tuple[int, str, Hit]  # (rank of the hit, span, hit)


def question_parts(question: str) -> list[str]:
    """The sub-questions of a question that asks two things ("…有多少？其中多少…？")."""
    return [p for p in (x.strip() for x in PART_END.split(question)) if len(p) >= 4]


class Extractive:
    """Quotes the sentences that answer from the best hits and cites each; offline, never invents."""

    name = "extractive"

    def __init__(self, settings: Settings, retriever: Retriever | None, idf: dict[str, float]) -> None:
        """With a retriever, spans are also scored by meaning (their indexed vectors against the query's)."""
        self.settings, self.retriever, self.idf = settings, retriever, idf

    def candidates(self, hits: list[Hit]) -> Iterator[SpanChoice]:
        for rank, h in enumerate(hits[:4]):
            for s in unit_spans(h.paragraph):
                if len(s) >= 8 and (rank == 0 or len(s) <= 180 or "；" in s):  # no table blobs from lesser hits
                    yield rank, s, h

    def scores(
        self,
        q: Query,
        terms: set[str],
        cands: list[SpanChoice],
        discount: float = RANK_DISCOUNT,
    ) -> list[float]:
        """Each candidate's fit to the question: idf-weighted term overlap plus, with a retriever, its cosine to
        the question, both normalised over the candidates; scaled up when it holds what the question asks for
        (a figure, a cause, a date), down when it adds nothing to the question (novelty: the share of its idf
        weight in words the question lacks); then discounted by the rank of its hit."""
        grams = bigrams(" ".join(terms))
        wanted = [found for asks, found in CUES if asks.search(q.text)]
        lexical, novelty = [], []
        for _, s, _ in cands:
            toks = set(tokenize(s))
            lexical.append(sum(self.idf.get(t, 1.0) for t in terms & toks) + 0.5 * len(grams & bigrams(s)))
            weight_all = sum(self.idf.get(t, 1.0) for t in toks) or 1.0
            novelty.append(max(0.05, 1 - sum(self.idf.get(t, 1.0) for t in toks & terms) / weight_all))
        top = max(lexical, default=0.0) or 1.0
        fit = [x / top for x in lexical]
        weight = self.settings.answer.span_dense_weight
        if self.retriever is not None and weight > 0:
            qv = self.retriever.query_vector(q)
            cos = self.retriever.span_vectors([s for _, s, _ in cands]) @ qv
            lo, spread = float(cos.min()), max(1e-6, float(cos.max() - cos.min()))
            fit = [f + weight * (float(c) - lo) / spread for f, c in zip(fit, cos, strict=True)]
        return [
            f * CUE_BOOST ** sum(bool(found(s)) for found in wanted) * n**NOVELTY_EXP / (1 + discount * rank)
            for f, n, (rank, s, _) in zip(fit, novelty, cands, strict=True)
        ]

    def list_items(self, picks: list[int], cands: list[SpanChoice]) -> list[int]:
        """A list answers whole: the enumerated items (第一…第二…, (a) (b)…) of a paragraph a pick comes from,
        up to two beyond the usual number of sentences."""
        room = self.settings.answer.answer_sentences + 2 - len(picks)
        from_hits = {id(cands[i][2]) for i in picks}
        items = [j for j, (_, s, h) in enumerate(cands) if id(h) in from_hits and ITEM.match(s) and j not in picks]
        return items[: max(0, room)]

    def part_picks(self, q: Query, cands: list[SpanChoice]) -> list[int]:
        """For a question asking several things, a different span for each sub-question: the strongest
        (sub-question, span) pairs first. The parts of a question are often answered in different paragraphs,
        so the rank of a span's hit counts less here."""
        parts = question_parts(q.text)
        if len(parts) < 2:
            return []
        pairs = []
        for p, part in enumerate(parts):
            sub = make_query(part, q.lang, self.settings.retrieval.glossary)
            terms = set(sub.tokens) & set(q.tokens)
            by_part = self.scores(sub, terms, cands, discount=PART_RANK_DISCOUNT)
            pairs += [(score, p, i) for i, score in enumerate(by_part) if score > 0]
        picks: list[int] = []
        answered: set[int] = set()
        for _, p, i in sorted(pairs, reverse=True):
            if p not in answered and i not in picks:
                picks.append(i)
                answered.add(p)
        return picks

    def generate(self, q: Query, hits: list[Hit]) -> Stream:
        """Yields the answer text sentence by sentence; returns the Draft (declined when nothing fits)."""
        sents = self.sentences(q, hits)
        if not sents:
            return Draft([], "", declined=True, generator=self.name)
        text = quoted(q.lang, sents)
        yield from sentence_pieces(text)
        return Draft(sents, text, generator=self.name)

    def sentences(self, q: Query, hits: list[Hit]) -> list[Sentence]:
        """The cited sentences that answer `q`, in source order."""
        cands = list(self.candidates(hits))
        if not cands:
            return []
        overall = self.scores(q, set(q.tokens), cands)
        picks = self.part_picks(q, cands)
        top = max(overall)
        for i in sorted(range(len(cands)), key=lambda i: -overall[i]):
            if len(picks) >= self.settings.answer.answer_sentences or overall[i] < 0.3 * top:
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
