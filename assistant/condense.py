"""A follow-up question ("那2021年呢？", "and in 2021?") made standalone from the conversation."""

from __future__ import annotations

import re

YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")
FOLLOWUP_ZH = re.compile(
    r"^(那|那么|还有|另外|以及|并且|而|又|它|他们|她们|这些|那些|该|其|同样|再)|呢[？?]?$|呢[？?]|怎么样|如何呢"
)
FOLLOWUP_EN = re.compile(
    r"^(and|what about|how about|and what about|what of|also|then|same|and for|and in|and the|"
    r"what if|how so|why)\b|\b(it|its|they|them|their|that|those|these|this one|there)\b",
    re.I,
)
# What a Chinese follow-up's standalone form drops: the leading link or pronoun, the closing 呢.
LEAD_ZH = re.compile(
    r"^(?:那么|还有|另外|以及|并且|同样|这些|那些|这个|那个|它的|它|他们|她们|其(?![他中余实次])|那|而|又|该|再)"
)
TAIL_ZH = re.compile(r"(?:的)?呢?[？?]*$")
INSTRUCTION = re.compile(
    r"(ignore|disregard|forget)\b[^.?!。？！]*?\b(documents?|instructions?|rules?|sources?|context)\b[.,:;!]?"
    r"|(不要|别|不用|无需)(看|参考|理会|管|依据|根据)[^，。？！,.?]*(文件|文档|资料|指示|指令)[，,。：:]?"
    r"|忽略[^，。？！,.?]*(文件|文档|资料|指示|指令)[，,。：:]?",
    re.I,
)


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
