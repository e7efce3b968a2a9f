"""From a theme to cited material: several queries, the paragraphs they find, the sentences worth quoting
(scored, staged into an argument), the figures they give and the offices and policies they name.

Nothing here writes prose: every string that reaches the brief is a sentence cut from a paragraph and
checked with `assistant.evidence.supports` against that paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from assistant.brief.model import Figure, KeyPoint, Quote
from assistant.brief.themes import Theme
from assistant.evidence import supports
from assistant.mentions import named_years
from index.chunk import SUB_MARK, sentences
from index.query import make_query
from index.retrieve import Retriever
from index.types import Paragraph

PER_QUERY = 12
ON_THEME = 0.75  # share of the theme's concepts a paragraph must mention to count as being on the theme
MIN_ON_THEME = 3  # paragraphs on the theme needed before a brief is written (the evidence threshold)
MIN_POINTS = 3  # verified key-point sentences needed, likewise
TARGET_POINTS, MAX_POINTS = 7, 8
STAGE_CAP = {"commitment": 2, "action": 3, "results": 2, "remaining": 2}
CLOSERS = "”’」』）)》"
TRIM = "；;，,：: "
PEOPLE_CASES_RATES = ("名", "人", "起", "件", "例", "%", "％")
FIGURE = re.compile(
    r"(?<![A-Za-z0-9/.(第])(?:约|逾|超过|近|共)?\s?(\d{1,3}(?: \d{3})+|\d+(?:\.\d+)?)\s?"
    r"(%|％|名|人|项|起|次|天|份|件|种|家|倍|例|场|门|条|万|亿|美元|小时|周)(?!月)"
)
REMAINING = re.compile(r"下一步|尚未|仍需|仍然|有待|今后|将继续|正在进行|挑战|计划在|拟于|需要进一步|还需")
COMMITMENT = re.compile(r"强调|重申|承诺|必须|负有|至关重要|核心|支柱|原则|政策规定|政策要求|应当|有义务")
BOILERPLATE = re.compile(
    r"图[一二三四五六七八九十]|表[一二三四五六七八九十\d]|本报告|本文件|谨|附件[一二三四五]|"
    r"第[一二三四五六七八九十]+节|报告介绍了|下文|见上文|以下各段"
)
SUB_SPLIT = re.compile(r"(?<=[：:])\s*(?=\((?:[a-z]{1,2}|[ivx]{1,4})\)\s)")
CONTEXT = re.compile(r"此类|该办公室|该小组|该司|该网络|该倡议|该政策|其中|上述|这些|这一|所有\s?\d|其余")
PRONOUN_START = re.compile(
    r"^(该|此|这|其|上述|另|他们|它|如上文|如上所述|因此|然而|此外|在其中|在其余|在这|其中|"
    r"同时|另外|之后|随后|为此|对此)"
)


@dataclass(slots=True)
class Found:
    """A retrieved paragraph: best fused score over the queries, how many found it, theme coverage."""

    paragraph: Paragraph
    score: float
    queries: int
    coverage: float

    @property
    def on_theme(self) -> bool:
        return self.coverage >= ON_THEME


@dataclass(frozen=True, slots=True)
class Candidate:
    quote: Quote
    found: Found
    index: int  # sentence position in its paragraph
    score: float
    stage: str
    figures: tuple[str, ...]
    standalone: bool  # reads without the sentence before it (no 该办公室, 其中, 此类 …)


def retrieve(retriever: Retriever, theme: Theme, docs: Collection[str] | None) -> list[Found]:
    """Every query of the theme, merged by paragraph: its best score relative to each query's top hit, plus a
    little for each further query that finds it. The hybrid queries are embedded first, in one batch."""
    glossary = retriever.settings.glossary
    queries = [(make_query(t, lang, glossary, tuple(named_years(t))), mode) for t, lang, mode in theme.queries]
    retriever.query_vectors([q.dense_text for q, mode in queries if mode != "lexical"])
    best: dict[str, Found] = {}
    for q, mode in queries:
        hits = retriever.search(q, PER_QUERY, docs, mode=mode)
        top = max((h.score for h in hits), default=0.0) or 1.0
        for h in hits:
            score = h.score / top
            f = best.get(h.paragraph.id)
            if f is None:
                best[h.paragraph.id] = Found(h.paragraph, score, 1, theme.coverage(h.paragraph.searchable()))
            else:
                f.score, f.queries = max(f.score, score), f.queries + 1
    found = list(best.values())
    for f in found:
        f.score = min(1.0, f.score + 0.05 * (f.queries - 1))
    return sorted(found, key=lambda f: -f.score)


def split(text: str) -> list[str]:
    """Sentences with a closing quotation mark kept on the sentence it closes; sub-paragraph marks dropped."""
    out: list[str] = []
    for whole in sentences(text):
        parts = SUB_SPLIT.split(whole)
        if len(parts) > 1:
            out.extend(p.strip() for p in parts if p.strip())
            continue
        s = whole
        while out and s and s[0] in CLOSERS:
            out[-1], s = out[-1] + s[0], s[1:].strip()
        if s:
            out.append(s)
    cleaned = [SUB_MARK.sub("", s).strip(TRIM) for s in out]
    return [s for s in cleaned if s]


def is_table(p: Paragraph) -> bool:
    digits = sum(c.isdigit() for c in p.text)
    return p.number.startswith("table") or digits > 0.15 * max(1, len(p.text))


def stage_of(sentence: str, p: Paragraph, figures: tuple[str, ...]) -> str:
    if REMAINING.search(sentence) or any("下一步" in h for h in p.heading):
        return "remaining"
    if "领导力对话" in sentence:
        return "action"
    if figures:
        return "results"
    if p.doc_label.startswith("A/RES/") or COMMITMENT.search(sentence):
        return "commitment"
    return "action"


def candidates(theme: Theme, found: list[Found], limit: int = 60) -> list[Candidate]:
    """Quotable sentences of the best paragraphs, scored for the theme, each verified in its paragraph."""
    out: list[Candidate] = []
    seen: set[str] = set()
    for f in found[:limit]:
        p = f.paragraph
        if is_table(p):
            continue
        previous = 0.0
        for i, s in enumerate(split(p.text)):
            # a sentence right after one on the theme carries on its subject ("截至年底，约 40 000 名…")
            core, previous = max(theme.coverage(s), 0.6 * previous), theme.coverage(s)
            if not 12 <= len(s) <= 260 or s in seen or not supports(p.text, s):
                continue
            seen.add(s)
            if core < 0.5 and not (f.on_theme and f.score >= 0.5):
                continue
            figs = tuple(dict.fromkeys(m.group(0).strip() for m in FIGURE.finditer(s)))
            score = 0.45 * core + 0.35 * f.score + 0.1 * f.coverage
            score += 0.3 if "领导力对话" in s and core >= 0.5 else 0.0
            standalone = not (PRONOUN_START.match(s) or CONTEXT.search(s))
            score -= 0.0 if standalone else 0.15
            score -= 0.3 if BOILERPLATE.search(s) else 0.0
            score += 0.05 if 20 <= len(s) <= 150 else -0.1 if len(s) > 150 else -0.25  # fragments read badly
            out.append(Candidate(Quote(s, p.key), f, i, score, stage_of(s, p, figs), figs, standalone))
    return sorted(out, key=lambda c: -c.score)


def choose_points(cands: list[Candidate]) -> list[KeyPoint]:
    """5-8 sentences: the best of each stage first, then the best remaining, one per paragraph where possible;
    returned in argument order (commitment, action, results, remaining), each stage best first."""
    chosen: list[Candidate] = []
    per_stage: dict[str, int] = {}
    per_unit: dict[str, int] = {}

    def take(c: Candidate, unit_cap: int) -> bool:
        if (
            c in chosen
            or per_stage.get(c.stage, 0) >= STAGE_CAP[c.stage]
            or per_unit.get(c.quote.key, 0) >= unit_cap
            or len(chosen) >= MAX_POINTS
        ):
            return False
        chosen.append(c)
        per_stage[c.stage] = per_stage.get(c.stage, 0) + 1
        per_unit[c.quote.key] = per_unit.get(c.quote.key, 0) + 1
        return True

    for stage in STAGE_CAP:
        for c in cands:
            if c.stage == stage and c.standalone and c.score >= 0.45 and take(c, 1):
                break
    for unit_cap, standalone in ((1, True), (2, True), (2, False)):  # sentences that need context come last
        for c in cands:
            if len(chosen) >= TARGET_POINTS:
                break
            if c.standalone or not standalone:
                take(c, unit_cap)
    order = list(STAGE_CAP)
    chosen.sort(key=lambda c: (order.index(c.stage), -c.score))
    return [KeyPoint(c.quote, c.stage, round(c.score, 3)) for c in chosen]


def choose_figures(cands: list[Candidate], points: list[KeyPoint], most: int = 6) -> list[Figure]:
    """Sentences that give numbers on the theme (one per paragraph), preferring ones not already key points."""
    used = {p.quote for p in points}
    numeric = [c for c in cands if c.figures and c.score >= 0.3 and not PRONOUN_START.match(c.quote.text)]
    if sum(c.standalone for c in numeric) >= 3:
        numeric = [c for c in numeric if c.standalone]
    numeric.sort(key=lambda c: -(c.score + (0.25 if any(f.endswith(PEOPLE_CASES_RATES) for f in c.figures) else 0)))
    ordered = [c for c in numeric if c.quote not in used] + [c for c in numeric if c.quote in used]
    out: list[Figure] = []
    keys: set[str] = set()
    for c in ordered:
        if c.quote.key in keys:
            continue
        keys.add(c.quote.key)
        out.append(Figure(c.figures, c.quote))
        if len(out) >= most:
            break
    return out
