"""The chosen quotables as an answer: cited statements shown as the reader should read them, and the frame that
opens the answer.

Each statement is a quote (verbatim in its `Citation`) shown with editorial marks only (assistant/quote.py), and
for an English reader what it holds in English (assistant/gist.py). The frame answers the kind of question:
a channel ("who do I go to": the office the lead names, and the policy by symbol when a statement names one), a
step ("how do I"), or a correction when the question takes a figure, year or office for granted that the lead
contradicts ("文件所载为 1 681 项，而非 3 000 项"); otherwise the plain frame. Rules: data/answers.toml; phrases:
data/phrases.toml [answer_frames]."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assistant.evidence import asking, supports
from assistant.gist import DATE, FIGURE, date_en, facts, gist
from assistant.phrases import phrase
from assistant.quote import Quotable, resolved
from assistant.types import Citation, Sentence
from index import vocab
from index.entities import ENTITIES, Entity
from index.types import Document, Query

RULES = vocab.load(Path(__file__).resolve().parent / "data" / "answers.toml")["asks"]
CHANNEL, STEP, CONFIRM, LIST = (re.compile(RULES[k], re.I) for k in ("channel", "step", "confirm", "list"))
POLICY = re.compile(r"ST/(?:SGB|AI|IC)/\d{4}/[\w./-]*[\w)]")
INSIDE = ("office", "department", "body")
FIGURE_EN = re.compile(r"(?<![\w/.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)\s?(%| per ?cent)?(?![\w/])")
YEAR = re.compile(r"(?:19|20)\d{2}")


@dataclass
class Composed:
    sentences: list[Sentence]
    frame: str | None = None  # None: the plain frame of data/phrases.toml [answer]
    notes: list[str] = field(default_factory=list)


def number(text: str) -> float | None:
    try:
        return float(re.sub(r"[\s,]", "", text))
    except ValueError:
        return None


def figures(text: str) -> list[tuple[float, str, str]]:
    """(value, unit, as printed) of each figure with a unit or a percent sign; years and dates are no figures."""
    out = []
    for m in FIGURE.finditer(text):
        unit = (m.group(2) or "") + (m.group(3) or "")
        value = number(m.group(1))
        if unit and value is not None and not re.match(r"\s*[年月日]", text[m.end() : m.end() + 2]):
            out.append((value, unit.replace("％", "%"), m.group(0).strip()))
    return out


def figures_en(text: str) -> list[tuple[float, str, str]]:
    """(value, "%" or "", as printed) of each figure an English text names; years are no figures."""
    out = []
    for m in FIGURE_EN.finditer(text):
        value = number(m.group(1))
        if value is not None and not YEAR.fullmatch(m.group(1)):
            out.append((value, m.group(2) or "", m.group(0)))
    return out


def entities_in(text: str, kinds: tuple[str, ...] = INSIDE) -> list[Entity]:
    """The entities a Chinese text names, in the order it names them."""
    found = sorted(
        (m.start(), i) for i, e in enumerate(ENTITIES) if e.kind in kinds for m in e.in_chinese.finditer(text)
    )
    return list(dict.fromkeys(ENTITIES[i] for _, i in found))


def entities_asked(question: str) -> list[Entity]:
    return [e for e in ENTITIES if e.in_question.search(question)]


def correction(q: Query, shown: list[str], lead: str = "") -> tuple[str, str] | None:
    """(what the documents say, what the question took for granted) when a question asking for confirmation names
    a figure, a year or an office that the lead contradicts; `lead`: what is quoted from the lead's paragraph
    (its first statement when not given)."""
    if not q.premise:  # the prepared query says whether it asks for confirmation (assistant/query.py)
        return None
    lead = lead or shown[0]
    # the year first: a figure of another year is no correction of the year asked about ("1 681, not 2 000" would
    # say the documents give 2023's figure when they give 2020's)
    lead_dates = list(DATE.finditer(lead))
    if q.years and lead_dates and not any(y in lead for y in q.years):
        if q.lang == "zh":
            return lead_dates[0].group(0), f"{q.years[0]} 年"
        return date_en(lead_dates[0]), q.years[0]
    in_lead = figures(lead)
    for value, unit, printed in figures(q.text) if q.lang == "zh" else figures_en(q.text):
        same_unit = [(v, p) for v, u, p in in_lead if u == unit or (q.lang == "en" and "%" not in u + unit)]
        if same_unit and all(v != value for v, _ in same_unit):
            found = same_unit[0][1]
            return (found if q.lang == "zh" else next((f for f in facts(found) if f[:1].isdigit()), found)), printed
    said = " ".join(shown)
    asked = [e for e in entities_asked(q.text) if e.kind in INSIDE and not e.in_chinese.search(said)]
    named = entities_in(lead)
    if asked and named and named[0] not in asked:
        return office_name(named[0], q.lang), office_name(asked[0], q.lang)
    return None


def office_name(e: Entity, lang: str) -> str:
    return e.name_zh if lang == "zh" else f"{e.en[0]} ({e.zh[0]})"


def channel_office(shown: list[str], context: list[str]) -> Entity | None:
    """The office a "who do I go to" answer names: the first one staff can turn to that the lead names, else any
    statement, else the lead's paragraph, headings or document title; else the first office the lead names."""
    for text in [shown[0], " ".join(shown), *context]:
        office = next((e for e in entities_in(text) if e.contact), None)
        if office is not None:
            return office
    named = entities_in(shown[0])
    return named[0] if named else None


def frame(q: Query, shown: list[str], context: list[str] | None = None, lead: str = "") -> tuple[str | None, str]:
    """The answer's opening phrase and its kind (for the notes); `context`: the lead's paragraph, its headings
    and its document's title, where a "who do I go to" answer may find the office its lead means."""
    context = context or []
    fix = correction(q, shown, lead)
    if fix is not None:
        return phrase("answer_frames", "correction", q.lang, found=fix[0], asked=fix[1]), "correction"
    kind = asking(q)
    if CHANNEL.search(kind):
        office = channel_office(shown, context)
        if office is not None:
            symbol = next((m.group(0) for s in shown for m in POLICY.finditer(s)), "")
            policy = phrase("answer_frames", "policy", q.lang, symbol=symbol) if symbol else ""
            name = office_name(office, q.lang)
            return phrase("answer_frames", "channel", q.lang, office=name, policy=policy), "channel"
    if STEP.search(kind):
        return phrase("answer_frames", "step", q.lang), "step"
    return None, ""


def compose(q: Query, picked: list[Quotable], documents: Mapping[str, Document]) -> Composed:
    sents = []
    for c in picked:
        doc = documents.get(c.paragraph.doc_id)
        shown = resolved(c, doc.title if doc is not None else "")
        sents.append(
            Sentence(
                shown,
                [Citation(c.hit.key, c.paragraph.id, c.quote)],
                supported=supports(c.paragraph.searchable(), c.quote),
                gloss=gist(c.hit.key, shown, doc, c.row) if q.lang == "en" else "",
            )
        )
    if not sents:
        return Composed([])
    lead = picked[0].paragraph
    doc = documents.get(lead.doc_id)
    context = [lead.text, " ".join(lead.heading), doc.title if doc is not None else ""]
    said = " ".join(s.text for s, c in zip(sents, picked, strict=True) if c.paragraph.id == lead.id)
    opening, kind = frame(q, [s.text for s in sents], context, said)
    return Composed(sents, opening, [f"frame={kind}"] if kind else [])
