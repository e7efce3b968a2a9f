"""A turn of a conversation read against the earlier turns ("那2021年呢？", "为什么要提？", "And who decides?").

A turn that does not stand alone (it is marked as a follow-up, or too short to name its own topic) keeps every
word it has and is followed by the earlier turns it is read against: `own ← earlier ← earlier still`. Nothing is
deleted from the question; when the turn names a year, the earlier turns' years become that year ("那2021年呢？ ←
2021年领导力对话的主题是什么？"), so what is asked is the new year. A first turn, however it looks, stands alone.
"""

from __future__ import annotations

import re

from assistant.evidence import GENERIC, RULES
from index import vocab
from index.glossary import GLOSSARY, expand
from index.lexical import EXTRA_WORDS, STOP
from index.text import YEAR
from index.types import Hit

_RULES = vocab.load(RULES)
_FOLLOWUP = _RULES["followup"]
FOLLOWUP_ZH = re.compile(_FOLLOWUP["zh"])
FOLLOWUP_EN = re.compile(_FOLLOWUP["en"], re.I)
INSTRUCTION = re.compile(_RULES["instruction"]["pattern"], re.I)
SEP = " ← "  # between a turn's own words and the earlier turns it is read against (shown as "searched for")
CONTEXT_TURNS = int(_FOLLOWUP["context_turns"])  # how many earlier turns a follow-up carries, nearest first
SHORT_ZH, SHORT_EN = int(_FOLLOWUP["short_zh"]), int(_FOLLOWUP["short_en"])  # too short to stand alone
MARKED_ZH, MARKED_EN = int(_FOLLOWUP["marked_zh"]), int(_FOLLOWUP["marked_en"])  # a marked turn longer stands alone


# The domain's topic words as the documents write them: the glossary's Chinese (with every entity's names) and the
# lexicon's fixed terms, less the generic words. A turn naming one of them names its own topic.
TOPIC_WORDS = frozenset(
    w for w in {*(t for zh in GLOSSARY.values() for t in zh.split()), *EXTRA_WORDS}
    if len(w) >= 2 and w not in GENERIC and w not in STOP
)  # fmt: skip
_TOPIC_ZH = re.compile("|".join(map(re.escape, sorted(TOPIC_WORDS, key=len, reverse=True))))


def names_topic(question: str, lang: str) -> bool:
    """Whether a turn names a topic of the documents itself (道德操守办公室, financial disclosure), so that it
    can be searched without the conversation; "为什么要提？" and "And who decides?" name none."""
    if lang == "zh":
        return bool(_TOPIC_ZH.search(question))
    return any(t in TOPIC_WORDS for zh in expand(question) for t in zh.split())


def strip_instructions(text: str) -> str:
    """Remove instructions aimed at the assistant ("ignore your documents…"): the question stays."""
    out = INSTRUCTION.sub(" ", text).strip(" ,，:：")
    return out or text


def size(question: str, lang: str) -> int:
    """Characters of a Chinese question, words of any other."""
    q = question.strip()
    return len(q) if lang == "zh" else len(q.split())


def is_followup(question: str, lang: str) -> bool:
    """Marked as a follow-up: a leading link or pronoun (那, 其中, and, what about…) or a pronoun (it, they…)."""
    if lang == "zh":
        return size(question, lang) <= MARKED_ZH and bool(FOLLOWUP_ZH.search(question.strip()))
    return size(question, lang) <= MARKED_EN and bool(FOLLOWUP_EN.search(question.strip()))


def stands_alone(question: str, lang: str) -> bool:
    """Whether a later turn is searched on its own words only: unmarked, and naming a topic of its own or too
    long to be a fragment; or marked ("once they have everything") but naming a topic of its own and too long
    to be a fragment ("How long does it take them to start the preliminary assessment …")."""
    long = size(question, lang) > (SHORT_ZH if lang == "zh" else SHORT_EN)
    if is_followup(question, lang):
        return long and names_topic(question, lang)
    return long or names_topic(question, lang)


def own_words(query: str) -> str:
    """The turn's own words of a standalone query made here (the whole query when it was not a follow-up)."""
    return query.split(SEP, 1)[0]


def condense(question: str, history: list[str], lang: str) -> str:
    """The standalone query for `question`, given the earlier turns' standalone queries (oldest first)."""
    if not history or stands_alone(question, lang):
        return question
    earlier = history[-1].split(SEP)[:CONTEXT_TURNS]
    years = [m.group(0) for m in YEAR.finditer(question)]
    if years:
        earlier = [substitute_years(t, years) for t in earlier]
    return SEP.join([question.strip(), *earlier])


def substitute_years(text: str, years: list[str]) -> str:
    """The years of `text` replaced by `years` in order (the last one repeated)."""
    it = iter(years)
    return YEAR.sub(lambda _: next(it, years[-1]), text)


def follow_on(hits: list[Hit], earlier: list[Hit], boost: float, window: int) -> list[Hit]:
    """A follow-up's hits ranked again: a passage in the document of one of the earlier turn's best passages,
    within `window` paragraphs of it, gains `boost` (a share of its score); a conversation moves through nearby
    paragraphs ("那2018年呢？" after ¶26, "调查方面呢？" after ¶27)."""
    anchors = [(h.paragraph.doc_id, h.paragraph.position) for h in earlier]

    def near(h: Hit) -> bool:
        p = h.paragraph
        return any(d == p.doc_id and abs(pos - p.position) <= window for d, pos in anchors)

    moved = [Hit(h.paragraph, h.score * (1 + boost), h.dense, h.lexical) if near(h) else h for h in hits]
    return sorted(moved, key=lambda h: -h.score)


class RuleCondenser:
    """Follow-ups made standalone by the rules above (the default; model generators bring their own)."""

    def condense(self, question: str, history: list[str], lang: str) -> tuple[str, list[str]]:
        return condense(question, history, lang), []
