"""Whether the documents answer a question: an evidence score over plain data, and citation checks.

Refusal is decided here, in code, before any answer is generated: no evidence, no answer.
"""

from __future__ import annotations

import math
import re

from assistant.types import Hit

GENERIC = {
    "联合国",
    "秘书处",
    "工作人员",
    "报告",
    "文件",
    "年",
    "情况",
    "方面",
    "问题",
    "进行",
    "工作",
    "相关",
    "un",
    "united",
    "nations",
    "staff",
    "document",
    "documents",
    "report",
    "year",
    "please",
    "tell",
}


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# What these documents never give: contact details, legal or personal advice, pay, who holds a post now.
OUT_OF_SCOPE = re.compile(
    r"电话|號碼|号码|邮箱|电子邮件|邮件地址|地址|哪栋楼|几层|律师|起诉|胜算|勝算|辞职|工资|薪水|薪酬|叫什么名字"
    r"|phone|e-?mail|(?:postal|office|street|mailing) address|lawyer|attorney|\bsue\b|salary"
    r"|\bname of\b|\bresign\b|\bquit my\b",
    re.I,
)


# The kind of answer a question asks for, and what a passage holding that answer must show: a question on a
# gift's dollar limit near paragraphs with no sum of money is not answered by them, however near the topic.
ANSWER_TYPES = {
    "a sum of money": (
        re.compile(r"金额|多少钱|美元|上限|限额|门槛|dollar|\$|threshold|how much money|monetary limit", re.I),
        re.compile(r"\d[\d\s,.]*(?:万|百万|亿)?\s*(?:美元|美金|USD|\$)|(?:美元|USD|\$)\s*\d", re.I),
    ),
    "a length of time": (
        re.compile(
            r"多久|多长时间|几天|多少天|几个月|多少个月|几周|多少周|how long|how many (?:days|weeks|months)"
            r"|within how many",
            re.I,
        ),
        re.compile(
            r"(?:\d+(?:\.\d+)?|[一二三四五六七八九十两]+)\s*(?:个)?\s*(?:天|周(?!期|年)|星期|个月|工作日)"
            r"|\d+\s*(?:days|weeks|months)",
            re.I,
        ),
    ),
    "a number of months": (  # asked in months, a figure in days does not answer it
        re.compile(r"多少个月|几个月|how many months", re.I),
        re.compile(r"\d+\s*个月|\d+\s*months|[一二三四五六七八九十两]个月", re.I),
    ),
    "a date": (  # "哪天" is also said for "when": a month answers it
        re.compile(r"哪天|哪一天|几号|几月几日|具体日期|what date|which day|on what day|exact date", re.I),
        re.compile(
            r"\d{1,2}\s*月|(?:January|February|March|April|May|June|July|August|September|October"
            r"|November|December)",
            re.I,
        ),
    ),
}


def missing_answer_type(question: str, hits: list[Hit]) -> list[str]:
    """The kinds of answer the question asks for (a sum of money, a length of time, a date) that no hit shows."""
    text = " ".join(h.paragraph.searchable() for h in hits)
    return [name for name, (asks, shows) in ANSWER_TYPES.items() if asks.search(question) and not shows.search(text)]


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


# Cosine range of the best hit that maps to 0..1: cross-language (English over Chinese) cosines run lower.
DENSE_RANGE = {"zh": (0.75, 0.90), "en": (0.68, 0.82)}


def evidence_score(dense_top: float | None, cover: float, missing: int, scope: bool = True, lang: str = "zh") -> float:
    """One number in [0, 1]: how well the best hits answer; calibrated against the dev set. `missing`
    counts what the question names or asks for that the hits lack (a year, an ordinal, a sum of money)."""
    if missing or not scope:
        return 0.0
    lo, hi = DENSE_RANGE.get(lang, DENSE_RANGE["en"])
    d = 0.0 if dense_top is None else min(1.0, max(0.0, (dense_top - lo) / (hi - lo)))
    return 0.5 * d + 0.5 * cover


def idf_table(doc_freq: dict[str, int], n_docs: int) -> dict[str, float]:
    return {t: math.log(1 + (n_docs - df + 0.5) / (df + 0.5)) for t, df in doc_freq.items()}


def supports(paragraph_text: str, sentence: str) -> bool:
    """A quoted sentence is supported when the cited paragraph contains it (whitespace aside)."""
    return bool(sentence.strip()) and squash(sentence) in squash(paragraph_text)
