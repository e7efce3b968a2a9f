"""A follow-up question ("那2021年呢？", "and in 2021?") made standalone from the conversation."""

from __future__ import annotations

import re

from assistant.evidence import RULES
from index import vocab
from index.text import YEAR

_RULES = vocab.load(RULES)
FOLLOWUP_ZH = re.compile(_RULES["followup"]["zh"])
FOLLOWUP_EN = re.compile(_RULES["followup"]["en"], re.I)
# What a Chinese follow-up's standalone form drops: the leading link or pronoun, the closing 呢.
LEAD_ZH = re.compile(_RULES["followup"]["lead_zh"])
TAIL_ZH = re.compile(_RULES["followup"]["tail_zh"])
INSTRUCTION = re.compile(_RULES["instruction"]["pattern"], re.I)


def strip_instructions(text: str) -> str:
    """Remove instructions aimed at the assistant ("ignore your documents…"): the question stays."""
    out = INSTRUCTION.sub(" ", text).strip(" ,，:：")
    return out or text


def is_followup(question: str, lang: str) -> bool:
    q = question.strip()
    if lang == "zh":
        return len(q) <= 24 and bool(FOLLOWUP_ZH.search(q))
    return len(q.split()) <= 12 and bool(FOLLOWUP_EN.search(q))


def condense(question: str, history: list[str], lang: str) -> str:
    """The standalone query for `question`, given the earlier turns' standalone queries."""
    if not history or not is_followup(question, lang):
        return question
    prev = history[-1]
    years = [m.group(0) for m in YEAR.finditer(question)]
    if years and YEAR.search(prev):
        it = iter(years)
        last = years[-1]
        return YEAR.sub(lambda _: next(it, last), prev)
    rest = TAIL_ZH.sub("", LEAD_ZH.sub("", question)) if lang == "zh" else FOLLOWUP_EN.sub("", question)
    return f"{prev} {rest.strip(' ?？，,')}".strip()


class RuleCondenser:
    """Follow-ups made standalone by the rules above (the default; model generators bring their own)."""

    def condense(self, question: str, history: list[str], lang: str) -> tuple[str, list[str]]:
        return condense(question, history, lang), []
