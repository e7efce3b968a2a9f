"""Answer generators behind one method, `generate`, registered by name. Default: extractive.

The extractive generator quotes the sentences that answer from the best paragraphs and cites each;
it works offline and never states what it cannot cite.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.compose import CHANNEL, POLICY, STEP, Composed, compose, entities_in
from assistant.evidence import RULES, asking
from assistant.generate import Draft, Stream, sentence_pieces
from assistant.quote import Quotable, quotables
from assistant.render import quoted
from assistant.select import both_parts, choose, extended, same
from assistant.settings import Settings
from assistant.types import Sentence
from index import vocab
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
FIGURE = re.compile(r"\d|[一二三四五六七八九十]+分之[一二三四五六七八九十]+|一半")  # a share in words is a figure too


def has_figure(span: str) -> bool:
    return bool(FIGURE.search(NOT_FIGURES.sub(" ", span)))


def names_channel(span: str) -> bool:
    """A span naming an office staff can turn to themselves (the entities marked `contact`) or a policy by its
    symbol (the rules that say where to turn)."""
    return bool(POLICY.search(span)) or any(e.contact for e in entities_in(span))


# What a question asks for, and what shows a span holds it.
CUES: list[tuple[re.Pattern[str], Callable[[str], object]]] = [
    (QUANTITY, has_figure),
    (WHY, BECAUSE.search),
    (WHEN, DATE.search),
    (WHO, ACTOR.search),
    (CHANNEL, names_channel),
]
CUE_BOOST = 2.5  # a span holding what the question asks for (figure, cause, date, actor) counts 2.5 times (tune 1.3-3)
# A "who do I go to" / "how do I" question not asking how many: a span of statistics (holding a figure) says
# neither who nor how, and counts this share (tune set: 0.4-1)
STATISTICS = 0.6
NOVELTY_EXP = 0.5  # fit x novelty^0.5: a span that only restates the question adds nothing (tune: 0.4-1)
PART_END = re.compile(r"[？?；;]|, and (?=how|what|who|when|which|where|why|is|are|does|did|do)", re.I)
# A span of the n-th hit counts 1 / (1 + 0.5 n). Dev set: 0.3 covers a few more keys but cites many more
# paragraphs that are not the answer (citation precision 0.54 -> 0.51); 0.8 covers fewer keys.
RANK_DISCOUNT = 0.5
# A follow-up is searched with the earlier turns it is read against, but its own words say what it asks: a
# span's fit to them counts this much beside its fit to the whole (0: the whole only). Tune set (lead key
# coverage): 0 .631, 0.3 .645, 0.5 .650, 1 .660, 2 .660; check: .696 -> .700 (two follow-ups better, one worse)
OWN_WEIGHT = 1.0
PART_RANK_DISCOUNT = 0.0  # each sub-question's span may come from any of the best hits (dev set: 0.5 covers fewer)


def wanted_cues(kind: str) -> list[Callable[[str], object]]:
    """What shows a span holds what the question asks for (a figure, a cause, a date, an actor, a channel)."""
    return [found for asks, found in CUES if asks.search(kind)]


def question_parts(question: str) -> list[str]:
    """The sub-questions of a question that asks two things ("…有多少？其中多少…？")."""
    return [p for p in (x.strip() for x in PART_END.split(question)) if len(p) >= 4]


class Extractive:
    """Answers from the best hits with what it can quote and cite; offline, never invents.

    The first statement answers (the best-fitting span, holding what the question asks for); at most
    `answer_sentences - 1` more add what was asked (the other part of a two-part question, a span nearly as good,
    from another paragraph); a list asked for is quoted whole. Composition: assistant/compose.py."""

    name = "extractive"

    def __init__(self, settings: Settings, retriever: Retriever | None, idf: dict[str, float]) -> None:
        """With a retriever, spans are also scored by meaning (their indexed vectors against the query's)."""
        self.settings, self.retriever, self.idf = settings, retriever, idf
        self.documents = retriever.store.documents if retriever is not None else {}

    def candidates(self, hits: list[Hit]) -> list[Quotable]:
        out = []
        for rank, h in enumerate(hits[:4]):
            for c in quotables(rank, h):
                if len(c.shown) >= 8 and (rank == 0 or len(c.shown) <= 180 or "；" in c.shown or c.row):
                    out.append(c)  # no long blobs from lesser hits
        return out

    def scores(self, q: Query, terms: set[str], cands: list[Quotable], discount: float | None = None) -> list[float]:
        """Each candidate's fit to the question: idf-weighted term overlap plus, with a retriever, its cosine to
        the question, both normalised over the candidates; scaled up when it holds what the question asks for
        (a figure, a cause, a date), down when it adds nothing to the question (novelty: the share of its idf
        weight in words the question lacks); then discounted by the rank of its hit."""
        discount = RANK_DISCOUNT if discount is None else discount
        grams = bigrams(" ".join(terms))
        kind = asking(q)  # a follow-up's own question word decides what it asks for
        wanted = wanted_cues(kind)
        lexical, novelty = [], []
        for c in cands:
            toks = set(tokenize(c.shown))
            lexical.append(sum(self.idf.get(t, 1.0) for t in terms & toks) + 0.5 * len(grams & bigrams(c.shown)))
            weight_all = sum(self.idf.get(t, 1.0) for t in toks) or 1.0
            novelty.append(max(0.05, 1 - sum(self.idf.get(t, 1.0) for t in toks & terms) / weight_all))
        top = max(lexical, default=0.0) or 1.0
        fit = [x / top for x in lexical]
        weight = self.settings.answer.span_dense_weight
        if self.retriever is not None and weight > 0 and cands:
            qv = self.retriever.query_vector(q)
            cos = self.retriever.span_vectors([c.shown for c in cands]) @ qv
            lo, spread = float(cos.min()), max(1e-6, float(cos.max() - cos.min()))
            fit = [f + weight * (float(c) - lo) / spread for f, c in zip(fit, cos, strict=True)]
        how = bool(CHANNEL.search(kind) or STEP.search(kind)) and not QUANTITY.search(kind)
        return [
            f
            * CUE_BOOST ** sum(bool(found(c.shown)) for found in wanted)
            * (STATISTICS if how and has_figure(c.shown) else 1.0)
            * n**NOVELTY_EXP
            / (1 + discount * c.rank)
            for f, n, c in zip(fit, novelty, cands, strict=True)
        ]

    def holding(self, q: Query, cands: list[Quotable]) -> list[bool] | None:
        """Which spans show the kind of answer the question asks for (a figure, a date, an actor); None when it
        asks for no such kind ("哪些…", "what…")."""
        wanted = wanted_cues(asking(q))
        return [any(bool(found(c.shown)) for found in wanted) for c in cands] if wanted else None

    def part_scores(self, q: Query, cands: list[Quotable]) -> list[list[float]]:
        """For a question asking several things, each candidate's fit to each sub-question. The parts of a
        question are often answered in different paragraphs, so the rank of a span's hit counts less here."""
        parts = question_parts(q.text)
        if len(parts) < 2:
            return []
        out = []
        for part in parts:
            sub = make_query(part, q.lang, self.settings.retrieval.glossary)
            terms = set(sub.tokens) & set(q.tokens)
            out.append(self.scores(sub, terms, cands, discount=PART_RANK_DISCOUNT))
        return out

    def generate(self, q: Query, hits: list[Hit]) -> Stream:
        """Yields the answer text statement by statement; returns the Draft (declined when nothing fits)."""
        composed = self.compose(q, hits)
        if not composed.sentences:
            return Draft([], "", declined=True, generator=self.name)
        text = quoted(q.lang, composed.sentences, composed.frame)
        yield from sentence_pieces(text)
        return Draft(composed.sentences, text, notes=composed.notes, generator=self.name)

    def sentences(self, q: Query, hits: list[Hit]) -> list[Sentence]:
        """The cited statements that answer `q`, the answer first."""
        return self.compose(q, hits).sentences

    def compose(self, q: Query, hits: list[Hit]) -> Composed:
        cands = self.candidates(hits)
        if not cands:
            return Composed([])
        overall = self.scores(q, set(q.tokens), cands)
        if OWN_WEIGHT and q.own_text != q.text:  # a follow-up: what its own words ask weighs in
            own = make_query(q.own_text, q.lang, self.settings.retrieval.glossary)
            mine = self.scores(own, set(own.tokens), cands)
            top, top_mine = max(overall) or 1.0, max(mine) or 1.0
            overall = [a / top + OWN_WEIGHT * b / top_mine for a, b in zip(overall, mine, strict=True)]
        parts = self.part_scores(q, cands)
        picks = choose(q, cands, overall, parts, self.settings.answer.answer_sentences)
        said = [cands[i] for i in picks]
        lead = (both_parts(picks, cands) if parts else None) or extended(
            picks[0], cands, overall, self.holding(q, cands)
        )
        if lead is not None:
            said = [lead, *(c for c in said[1:] if not same(lead, c))]
        return compose(q, said, self.documents)
