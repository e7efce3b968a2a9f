"""Whether the documents answer a question: an evidence score over plain data, and citation checks.

The signals refusal weighs are read here, in code, before any answer is generated; assistant/refusal.py weighs
them.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from index import vocab
from index.text import squash
from index.types import Hit, Query

RULES = Path(__file__).resolve().parent / "data" / "questions.toml"  # how a question is read: data, not code
_RULES = vocab.load(RULES)
GENERIC = frozenset(_RULES["generic"]["words"])


# What these documents never give: contact details, legal or personal advice, pay, who holds a post now.
OUT_OF_SCOPE = re.compile(_RULES["out_of_scope"]["pattern"], re.I)
# The kind of answer a question asks for, and what a passage holding that answer must show: a question on a
# gift's dollar limit near paragraphs with no sum of money is not answered by them, however near the topic.
ANSWER_TYPES = {
    name: (re.compile(t["asks"], re.I), re.compile(t["shows"], re.I)) for name, t in _RULES["answer_types"].items()
}


def missing_answer_type(question: str, hits: list[Hit]) -> list[str]:
    """The kinds of answer the question asks for (a sum of money, a length of time, a date) that no hit shows."""
    text = " ".join(h.paragraph.searchable() for h in hits)
    return [name for name, (asks, shows) in ANSWER_TYPES.items() if asks.search(question) and not shows.search(text)]


OWN_QUESTION = {
    "zh": re.compile(_RULES["own_question"]["zh"]),
    "en": re.compile(_RULES["own_question"]["en"], re.I),
}


def asking(q: Query) -> str:
    """The text whose kind of question counts (the answer type, a "who do I go to" frame, the cues): the turn's
    own words when they ask with a question word of their own ("那要多长时间处理？" asks a length of time and
    "And who decides?" an actor, whatever the earlier turn asked), else the whole standalone query ("那2021年呢？"
    asks what the earlier turn asked)."""
    own = q.own_text
    if own == q.text:
        return own
    asks_own = OWN_QUESTION["zh" if q.lang == "zh" else "en"].search(own)
    return own if asks_own or any(asks.search(own) for asks, _ in ANSWER_TYPES.values()) else q.text


def out_of_scope(question: str) -> bool:
    """Questions of a kind the documents never answer (a phone number, legal advice), however near the topic."""
    return bool(OUT_OF_SCOPE.search(question))


def coverage(tokens: list[str], hit_tokens: list[set[str]], idf: dict[str, float]) -> float:
    """IDF-weighted share of the question's content tokens found in the best-covering hit."""
    terms = {t for t in tokens if (t not in GENERIC and len(t) > 1) or t.isdigit()}
    if not terms or not hit_tokens:
        return 0.0
    total = sum(idf.get(t, 1.0) for t in terms)
    best = max(sum(idf.get(t, 1.0) for t in terms if t in ht) for ht in hit_tokens)
    return best / total if total else 0.0


def idf_table(doc_freq: dict[str, int], n_docs: int) -> dict[str, float]:
    return {t: math.log(1 + (n_docs - df + 0.5) / (df + 0.5)) for t, df in doc_freq.items()}


def supports(paragraph_text: str, sentence: str) -> bool:
    """A quoted sentence is supported when the cited paragraph contains it (whitespace aside)."""
    return bool(sentence.strip()) and squash(sentence) in squash(paragraph_text)
